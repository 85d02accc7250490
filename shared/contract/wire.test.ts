import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, isClientMessage, isServerMessage, WireError } from './wire';

describe('wire format', () => {
  it('round-trips bytes, bigint, non-finite numbers and nested data', () => {
    const bytes = new Uint8Array([0, 1, 2, 255]);
    const m = {
      t: 'result' as const,
      id: 7,
      result: {
        ok: true as const,
        value: {
          a: bytes,
          b: [1n, -(2n ** 64n)],
          c: [NaN, Infinity, -Infinity, 0.5],
          d: { e: 'text with "quotes" and \u0000' },
          f: null,
        },
      },
    };
    const back = decodeMessage(encodeMessage(m)) as typeof m;
    expect(back).toEqual(m);
    expect(back.result.value.a).toBeInstanceOf(Uint8Array);
    expect(Object.is(back.result.value.c[0], NaN)).toBe(true);
  });

  it('sends bytes as raw attachments, not as JSON numbers', () => {
    const big = new Uint8Array(100_000).fill(7);
    const frame = encodeMessage({
      t: 'call',
      id: 1,
      verb: 'upload.chunk',
      input: { upload: 'u1', offset: 0, bytes: big },
    });
    expect(frame.byteLength).toBeLessThan(100_000 + 200);
    const back = decodeMessage(frame) as { input: { bytes: Uint8Array } };
    expect(back.input.bytes).toEqual(big);
  });

  it('round-trips arbitrary JSON-like values with byte arrays inside', () => {
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.double(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }),
        fc.uint8Array({ maxLength: 64 }),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(
          fc.string().filter((k) => !k.startsWith('\u0000') && k !== '__proto__'),
          tie('node'),
          { maxKeys: 4 },
        ),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        const back = decodeMessage(encodeMessage({ t: 'event', name: 'capture.progress', payload: v })) as {
          payload: unknown;
        };
        expect(back.payload).toEqual(Object.is(v, -0) ? 0 : v);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses damaged frames with a WireError naming the problem, and never anything else', () => {
    expect(() => decodeMessage(new Uint8Array([1, 0]))).toThrow(/shorter than its 4-byte header/);
    expect(() => decodeMessage(new Uint8Array([9, 0, 0, 0, 0x7b]))).toThrow(/declares 9 bytes of JSON/);
    expect(() => decodeMessage(new Uint8Array([2, 0, 0, 0, 0x7b, 0x7b]))).toThrow(/not JSON/);
    expect(() => decodeMessage(new Uint8Array([2, 0, 0, 0, 0xc3, 0x28]))).toThrow(/UTF-8/);
    const ref = new TextEncoder().encode('{"a":{"\\u0000b":3}}');
    const f = new Uint8Array(4 + ref.length);
    new DataView(f.buffer).setUint32(0, ref.length, true);
    f.set(ref, 4);
    expect(() => decodeMessage(f)).toThrow(/missing attachment 3/);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (junk) => {
        try {
          decodeMessage(junk);
        } catch (e) {
          expect(e).toBeInstanceOf(WireError);
        }
      }),
    );
  });

  it('tells calls from results and events', () => {
    expect(isClientMessage({ t: 'call', id: 1, verb: 'app.hello' })).toBe(true);
    expect(isClientMessage({ t: 'call', id: 1.5, verb: 'app.hello' })).toBe(false);
    expect(isClientMessage({ t: 'result', id: 1 })).toBe(false);
    expect(isServerMessage({ t: 'result', id: 1, result: { ok: true } })).toBe(true);
    expect(isServerMessage({ t: 'event', name: 'capture.opened', payload: {} })).toBe(true);
    expect(isServerMessage({ t: 'call', id: 1, verb: 'x' })).toBe(false);
  });
});
