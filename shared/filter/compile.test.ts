import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileFilter, describeError } from './compile';
import { parseFilter } from './parse';
import { dissectOneFrame } from '../../tests/support/one-frame';
import type { FilterTarget } from './compile';

// One real-shaped frame: Ethernet + IPv4 + TCP SYN from 192.0.2.1:40000 to 198.51.100.7:80.
function synFrame(): FilterTarget {
  const hex =
    '0200000000020200000000010800' +
    '450000280001400040060000c0000201c6336407' +
    '9c400050000003e80000000050022000e4e60000';
  return dissectOneFrame(Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16))));
}

const frame = synFrame();
const sel = (f: string) => {
  const c = compileFilter(f);
  if (!c.ok) throw new Error(describeError(f, c.error));
  return c.filter.test(frame);
};

describe('display filter semantics', () => {
  it('compares addresses, subnets, ports and flags', () => {
    expect(sel('ip.src == 192.0.2.1')).toBe(true);
    expect(sel('ip.addr == 198.51.100.0/24')).toBe(true);
    expect(sel('ip.addr == 10.0.0.0/8')).toBe(false);
    expect(sel('tcp.port == 80 and tcp.flags.syn == 1')).toBe(true);
    expect(sel('tcp.flags & 0x02')).toBe(true);
    expect(sel('tcp.flags & 0x10')).toBe(false);
    expect(sel('tcp.srcport in {1..1023}')).toBe(false);
    expect(sel('tcp.srcport in {40000, 50000}')).toBe(true);
    expect(sel('eth.src[0:3] == 02:00:00')).toBe(true);
    expect(sel('eth.type == 0x800')).toBe(true);
  });

  it('gives != "all differ" and ~= "any differs" for fields that occur twice', () => {
    expect(sel('ip.addr != 192.0.2.1')).toBe(false);
    expect(sel('ip.addr ~= 192.0.2.1')).toBe(true);
    expect(sel('ip.addr == 192.0.2.1')).toBe(true);
    expect(sel('ip.addr === 192.0.2.1')).toBe(false);
  });

  it('knows protocols as existence tests and as bytes', () => {
    expect(sel('tcp')).toBe(true);
    expect(sel('udp')).toBe(false);
    expect(sel('tcp[13] == 02')).toBe(true);
    expect(sel('len(tcp) == 20')).toBe(true);
    expect(sel('ip contains c0:00:02:01')).toBe(true);
  });

  it('is case-insensitive in matches unless (?-i) says otherwise', () => {
    expect(sel('frame matches "\\\\x02"')).toBe(true);
  });
});

describe('display filter errors', () => {
  it('names the unknown field, with a suggestion and a caret under it', () => {
    const c = compileFilter('ip.scr == 1.2.3.4');
    expect(c.ok).toBe(false);
    if (c.ok) return;
    expect(c.error.message).toContain('"ip.scr" is not a valid protocol or protocol field');
    expect(c.error.message).toContain('Did you mean "ip.src"?');
    expect(describeError('ip.scr == 1.2.3.4', c.error).split('\n')[2]).toBe('^^^^^^');
  });

  it('never throws on arbitrary input: every string compiles or gives an error inside it', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        const c = compileFilter(s);
        if (!c.ok) {
          expect(c.error.start).toBeGreaterThanOrEqual(0);
          expect(c.error.end).toBeLessThanOrEqual(s.length);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on strings made of filter tokens', () => {
    const tok = fc.constantFrom(
      'tcp',
      'ip.addr',
      '==',
      '!=',
      'and',
      'or',
      'not',
      '(',
      ')',
      '{',
      '}',
      '[',
      ']',
      '0:3',
      '80',
      '"x"',
      ',',
      '..',
      '&',
      'in',
      'contains',
      'matches',
      'len(',
      'eth.src',
      '10.0.0.0/8',
      '!',
      '&&',
      '||',
    );
    fc.assert(
      fc.property(fc.array(tok, { maxLength: 12 }), (parts) => {
        const s = parts.join(' ');
        let c: ReturnType<typeof compileFilter> | null = null;
        expect(() => (c = compileFilter(s))).not.toThrow();
        if (c && !(c as { ok: boolean }).ok) expect(() => parseFilter(s)).toBeDefined();
        if (c && (c as { ok: true; filter: { test(t: FilterTarget): boolean } }).ok)
          expect(() =>
            (c as unknown as { filter: { test(t: FilterTarget): boolean } }).filter.test(frame),
          ).not.toThrow();
      }),
      { numRuns: 3000 },
    );
  });

  it('not (A) selects exactly the complement of A', () => {
    const atoms = [
      'tcp',
      'udp',
      'ip.addr == 192.0.2.1',
      'tcp.port == 80',
      'tcp.flags.syn == 1',
      'ip.ttl > 100',
      'eth.type == 0x86dd',
    ];
    const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.constantFrom(...atoms),
        fc
          .tuple(tie('e'), fc.constantFrom('and', 'or', 'xor'), tie('e'))
          .map(([a, op, b]) => `(${a}) ${op} (${b})`),
        tie('e').map((a) => `not (${a})`),
      ),
    })).e;
    fc.assert(
      fc.property(expr, (a) => {
        expect(sel(`not (${a})`)).toBe(!sel(a));
      }),
      { numRuns: 300 },
    );
  });
});
