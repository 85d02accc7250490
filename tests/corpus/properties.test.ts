// Properties of the readers on hostile input: random bytes behind a real magic, and real files
// mutated (bytes flipped, cut, spliced, chunked at random). push/end may only ever throw
// CaptureError; what a reader holds between pushes stays within twice what it was given; every
// packet it emits is self-consistent. fast-check shrinks any failure to a small reproducer.
import fc from 'fast-check';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createReader } from '../../shared/capture/reader';
import { concat, epb, idb, opt, optU8, pcapHeader, shb } from '../../shared/capture/testing';
import { CaptureError, type CaptureReader } from '../../shared/capture/types';
import { repoRoot } from './oracle';

const fixtures = resolve(repoRoot, 'tests/fixtures/readers');
const corpus = resolve(repoRoot, '../shared/corpus/tcpdump');
const seeds: Uint8Array[] = [
  ...readdirSync(fixtures)
    .filter((f) => /\.pcap(ng)?$/.test(f))
    .map((f) => new Uint8Array(readFileSync(resolve(fixtures, f)))),
  ...(existsSync(corpus)
    ? ['icmp-cksum-oobr-3.pcapng', 'time_2107.pcapng', 'e1000g.pcap', 'tcp-handshake-nano.pcap']
        .filter((f) => existsSync(resolve(corpus, f)))
        .map((f) => new Uint8Array(readFileSync(resolve(corpus, f))))
    : []),
];

type Reader = CaptureReader & { retained: number };

interface Outcome {
  packets: number;
  error: unknown;
}

/** Feeds bytes in the given chunk sizes; checks the invariants on every callback and push. */
function run(bytes: Uint8Array, sizes: number[]): Outcome {
  let packets = 0;
  const r = createReader({
    packet: (p) => {
      packets++;
      if (p.data.length !== p.caplen)
        throw new Error(`packet ${p.index}: data length ${p.data.length} != caplen ${p.caplen}`);
      if (p.dataOffset + p.caplen > bytes.length) throw new Error(`packet ${p.index}: data beyond the input`);
      if (!(p.tsNsec >= 0 && p.tsNsec < 1e9)) throw new Error(`packet ${p.index}: tsNsec ${p.tsNsec}`);
      if (p.index !== packets - 1) throw new Error(`packet index ${p.index} out of order`);
    },
    warning: (w) => {
      if (!/offset \d+/.test(w.message)) throw new Error(`warning without an offset: ${w.message}`);
    },
  }) as Reader;
  let pushed = 0;
  let k = 0;
  try {
    for (let o = 0; o < bytes.length;) {
      const n = Math.max(1, sizes.length ? sizes[k++ % sizes.length] : bytes.length);
      r.push(bytes.subarray(o, o + n));
      o += n;
      pushed += Math.min(n, bytes.length - (o - n));
      if (r.retained > 2 * pushed + 128)
        throw new Error(`reader holds ${r.retained} bytes after ${pushed} pushed`);
    }
    r.end();
    return { packets, error: null };
  } catch (e) {
    return { packets, error: e };
  }
}

function onlyCaptureErrors(o: Outcome): void {
  if (o.error === null) return;
  if (!(o.error instanceof CaptureError)) throw o.error;
  expect(o.error.message).toMatch(/offset \d+/);
}

const sizes = fc.array(fc.integer({ min: 1, max: 3000 }), { maxLength: 12 });

describe('readers on hostile input', () => {
  it('random bytes behind each magic: only CaptureError, bounded memory', () => {
    const magics = [
      pcapHeader({ endian: 'le' }).subarray(0, 4),
      pcapHeader({ endian: 'be', nano: true }).subarray(0, 4),
      Uint8Array.of(0x34, 0xcd, 0xb2, 0xa1),
      Uint8Array.of(0x0a, 0x0d, 0x0d, 0x0a),
      Uint8Array.of(0x3c, 0x21, 0x44, 0x4f),
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: magics.length - 1 }),
        fc.uint8Array({ maxLength: 2000 }),
        sizes,
        (m, tail, split) => {
          onlyCaptureErrors(run(concat(magics[m], tail), split));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('structured random pcapng (valid framing, random bodies and options): only CaptureError', () => {
    const body = fc.uint8Array({ maxLength: 200 });
    const blk = fc
      .tuple(fc.constantFrom(1, 2, 3, 4, 5, 6, 10, 0xbad, 0x40000bad, 0x77), body)
      .map(([type, b]) => {
        const pad = (4 - (b.length % 4)) % 4;
        const total = 12 + b.length + pad;
        const out = new Uint8Array(total);
        const dv = new DataView(out.buffer);
        dv.setUint32(0, type, true);
        dv.setUint32(4, total, true);
        out.set(b, 8);
        dv.setUint32(total - 4, total, true);
        return out;
      });
    fc.assert(
      fc.property(fc.array(blk, { maxLength: 12 }), sizes, (blocks, split) => {
        const file = concat(
          shb('le', [opt(1, 'x')]),
          idb('le', 1, 0, [optU8(9, 0x80 | 40)]),
          epb('le', { ts: 5n, data: Uint8Array.of(1, 2) }),
          ...blocks,
        );
        onlyCaptureErrors(run(file, split));
      }),
      { numRuns: 1500 },
    );
  });

  it('real files with bytes flipped: only CaptureError, bounded memory', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: seeds.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        sizes,
        (s, flips, split) => {
          const b = seeds[s].slice();
          for (const [at, v] of flips) b[at % b.length] = v;
          onlyCaptureErrors(run(b, split));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('real files cut anywhere: whole packets before the cut, then a warning or a CaptureError', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: seeds.length - 1 }), fc.nat(), sizes, (s, cut, split) => {
        const whole = run(seeds[s], []);
        const part = run(seeds[s].subarray(0, cut % (seeds[s].length + 1)), split);
        onlyCaptureErrors(part);
        expect(part.packets).toBeLessThanOrEqual(whole.packets);
      }),
      { numRuns: 1000 },
    );
  });

  it('real files spliced (a stretch copied elsewhere, or removed): only CaptureError', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: seeds.length - 1 }),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 0, max: 400 }),
        fc.boolean(),
        sizes,
        (s, a, b, n, remove, split) => {
          const src = seeds[s];
          const from = a % src.length;
          const to = b % src.length;
          const piece = src.subarray(from, Math.min(src.length, from + n));
          const out = remove
            ? concat(src.subarray(0, from), src.subarray(Math.min(src.length, from + n)))
            : concat(src.subarray(0, to), piece, src.subarray(to));
          onlyCaptureErrors(run(out, split));
        },
      ),
      { numRuns: 1500 },
    );
  });
});
