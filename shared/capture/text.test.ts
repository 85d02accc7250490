import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, decodeUtf8Here, encodeUtf8, optionText } from './text';

describe('UTF-8 for option strings', () => {
  it('gives the same text through the platform decoder as through its own, on long inputs too', () => {
    // Mostly well-formed text with ill-formed bytes mixed in, long enough for the native path.
    const chunk = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 40 }).map(encodeUtf8),
      fc.uint8Array({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 40 }), fc.boolean(), (parts, bom) => {
        const bytes = [...(bom ? [0xef, 0xbb, 0xbf] : []), ...parts.flatMap((p) => [...p])];
        const b = Uint8Array.from(bytes);
        expect(decodeUtf8(b)).toBe(decodeUtf8Here(b));
        expect(decodeUtf8(b, 1, Math.max(1, b.length - 1))).toBe(
          decodeUtf8Here(b, 1, Math.max(1, b.length - 1)),
        );
      }),
      { numRuns: 1000 },
    );
    // A leading byte-order mark is text, as the hand decoder keeps it (TextDecoder drops it by default).
    const long = encodeUtf8('\ufeff' + 'x'.repeat(100));
    expect(decodeUtf8(long).charCodeAt(0)).toBe(0xfeff);
    expect(decodeUtf8(long)).toHaveLength(101);
  });

  it('decodes any bytes exactly as TextDecoder does (replacement characters included)', () => {
    const td = new TextDecoder('utf-8');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        expect(decodeUtf8(b)).toBe(td.decode(b));
      }),
      { numRuns: 3000 },
    );
    for (const b of [
      [0xe0, 0x80, 0x80],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xc0, 0xaf],
      [0xf0, 0x9f, 0x98],
      [0xe2, 0x9c, 0x93, 0x41],
    ]) {
      expect(decodeUtf8(Uint8Array.from(b))).toBe(td.decode(Uint8Array.from(b)));
    }
  });

  it('round-trips any string through encodeUtf8 like TextEncoder', () => {
    const te = new TextEncoder();
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        expect(encodeUtf8(s)).toEqual(te.encode(s));
        expect(decodeUtf8(encodeUtf8(s))).toBe(s);
      }),
    );
  });

  it('drops the NUL terminators some writers add to option text', () => {
    expect(optionText(Uint8Array.of(0x61, 0x62, 0, 0, 0), 0, 5)).toBe('ab');
    expect(optionText(Uint8Array.of(0x61, 0, 0x62), 0, 3)).toBe('a\u0000b');
  });
});
