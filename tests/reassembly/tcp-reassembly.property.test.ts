// Property tests of the TCP reassembly (shared/reassembly/tcp-stream.ts, pdu-stream.ts): real
// byte streams from the fixtures, fed as shuffled, duplicated, overlapping, re-cut, truncated and
// partly lost segments, must come out as the original bytes — nothing lost that was captured,
// nothing duplicated, nothing invented, PDUs cut where the framing says, and each PDU's segment
// list covering exactly its bytes in the frames it names.
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  feedAll,
  fixedFraming,
  prefixFraming,
  realStreams,
  rebuilt,
  testProtocol,
  type Delivered,
  type Feed,
} from './support';

const captures = join(import.meta.dirname, '..', 'fixtures', 'captures');
const streams = [
  ...realStreams(join(captures, 'lo-http4-bulk.pcap'), 100),
  ...realStreams(join(captures, 'lo-http4.pcap'), 100),
];

/** Random sub-ranges of [0, n) that together cover it: the real cut points, re-cut and merged. */
function cover(n: number, real: [number, number][]): fc.Arbitrary<[number, number][]> {
  return fc
    .record({
      extra: fc.array(fc.integer({ min: 1, max: Math.max(1, n - 1) }), { maxLength: 12 }),
      keep: fc.array(fc.boolean(), { minLength: real.length, maxLength: real.length }),
    })
    .map(({ extra, keep }) => {
      const cuts = new Set<number>(extra);
      real.forEach(([o], i) => {
        if (keep[i] && o > 0) cuts.add(o);
      });
      const sorted = [...cuts].filter((c) => c > 0 && c < n).sort((a, b) => a - b);
      const out: [number, number][] = [];
      let from = 0;
      for (const c of [...sorted, n]) {
        out.push([from, c - from]);
        from = c;
      }
      return out;
    });
}

const isnArb = fc.oneof(
  fc.integer({ min: 0, max: 0xffffffff }),
  // Near the wrap: the stream crosses 2^32.
  fc.integer({ min: 0xffffffff - 3000, max: 0xffffffff }),
);

/** Every delivered PDU: its bytes are the original's at its stream offset, PDUs do not overlap,
 * and its segments rebuild it from the frames. Returns the covered stream ranges. */
function checkDelivered(d: Delivered, original: Uint8Array): [number, number][] {
  const ranges: [number, number][] = [];
  for (const { pdu, bytes } of d.pdus) {
    expect(pdu.length).toBe(bytes.length);
    expect(pdu.streamOffset).toBeGreaterThanOrEqual(0);
    expect(
      Buffer.from(bytes).equals(
        Buffer.from(original.subarray(pdu.streamOffset, pdu.streamOffset + pdu.length)),
      ),
    ).toBe(true);
    let total = 0;
    for (const s of pdu.segments) {
      expect(s.length).toBeGreaterThan(0);
      total += s.length;
    }
    expect(total).toBe(pdu.length);
    const again = rebuilt(d, pdu);
    expect(again && Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
    ranges.push([pdu.streamOffset, pdu.streamOffset + pdu.length]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < ranges.length; i++) expect(ranges[i][0]).toBeGreaterThanOrEqual(ranges[i - 1][1]);
  return ranges;
}

describe('TCP reassembly never loses, duplicates or invents bytes', () => {
  it('the fixtures give real streams to work on', () => {
    expect(streams.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...streams.map((s) => s.bytes.length))).toBeGreaterThan(10_000);
  });

  it('shuffled, duplicated, overlapping segments of a real stream: the whole stream, fixed-size PDUs', () => {
    fc.assert(
      fc.property(
        fc.nat(streams.length - 1),
        isnArb,
        fc.integer({ min: 1, max: 3000 }),
        fc.context(),
        (si, isn, size, ctx) => {
          const st = streams[si];
          const n = st.bytes.length;
          return fc.assert(
            fc.property(
              cover(n, st.segments),
              fc.array(fc.tuple(fc.nat(n - 1), fc.integer({ min: 1, max: 4000 })), { maxLength: 8 }),
              fc.array(fc.nat(), { maxLength: 64 }),
              fc.boolean(),
              (segs, overlaps, order, finLast) => {
                const feeds: Feed[] = segs.map(([off, length]) => ({
                  kind: 'data',
                  off,
                  length,
                  captured: length,
                }));
                // Retransmissions of whole segments and of ranges across segment boundaries.
                for (const [off, len] of overlaps) {
                  const l = Math.min(len, n - off);
                  feeds.push({ kind: 'data', off, length: l, captured: l });
                }
                shuffle(feeds, order);
                if (finLast) feeds.push({ kind: 'fin', off: n });
                else feeds.splice(order[0] ?? 0 % (feeds.length + 1), 0, { kind: 'fin', off: n });
                const d = feedAll(st.bytes, isn, feeds, testProtocol(fixedFraming(size)));
                const ranges = checkDelivered(d, st.bytes);
                ctx.log(`${feeds.length} feeds, ${d.pdus.length} PDUs`);
                // Nothing is missing: one run of PDUs from 0 to the end, each `size` long but the last.
                expect(ranges.length).toBe(Math.ceil(n / size));
                ranges.forEach(([a, b], i) => {
                  expect(a).toBe(i * size);
                  expect(b).toBe(Math.min(n, (i + 1) * size));
                });
                const last = d.pdus[d.pdus.length - 1];
                if (n % size) expect(last.pdu.atClose).toBe(true);
              },
            ),
            { numRuns: 8 },
          );
        },
      ),
      { numRuns: 12 },
    );
  });

  it('length-prefixed PDUs (NEED_MORE before the prefix is whole) cut exactly at their lengths', () => {
    fc.assert(
      fc.property(
        fc.nat(streams.length - 1),
        isnArb,
        fc.array(fc.integer({ min: 0, max: 2000 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 1500 }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 64 }),
        (si, isn, bodies, cutSizes, order) => {
          const st = streams[si];
          // Messages carved from the real bytes, each behind its 2-byte length.
          const parts: Uint8Array[] = [];
          let o = 0;
          for (const b of bodies) {
            const body = st.bytes.subarray(o % st.bytes.length, (o % st.bytes.length) + b);
            o += b;
            parts.push(Uint8Array.of(body.length >> 8, body.length & 255), body);
          }
          const bytes = Buffer.concat(parts);
          const feeds: Feed[] = [];
          let at = 0;
          for (let i = 0; at < bytes.length; i++) {
            const len = Math.min(cutSizes[i % cutSizes.length], bytes.length - at);
            feeds.push({ kind: 'data', off: at, length: len, captured: len });
            if (i % 3 === 1) feeds.push({ kind: 'data', off: at, length: len, captured: len });
            at += len;
          }
          shuffle(feeds, order);
          const d = feedAll(bytes, isn, feeds, testProtocol(prefixFraming));
          const ranges = checkDelivered(d, bytes);
          let want = 0;
          expect(ranges.length).toBe(bodies.length);
          bodies.forEach((b, i) => {
            const len = Math.min(
              b,
              st.bytes.length - (bodies.slice(0, i).reduce((x, y) => x + y, 0) % st.bytes.length),
            );
            expect(ranges[i]).toEqual([want, want + 2 + len]);
            want += 2 + len;
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('lost segments (ACKed past) and snaplen-cut payloads become gaps: captured bytes only, never invented', () => {
    fc.assert(
      fc.property(
        fc.nat(streams.length - 1),
        isnArb,
        fc.array(fc.integer({ min: 1, max: 2000 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.constantFrom('keep', 'keep', 'keep', 'drop', 'cut', 'dup'), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.array(fc.nat(), { maxLength: 64 }),
        fc.integer({ min: 50, max: 1200 }),
        (si, isn, cutSizes, fates, order, size) => {
          const st = streams[si];
          const n = st.bytes.length;
          const feeds: Feed[] = [];
          const missing: [number, number][] = [];
          let at = 0;
          for (let i = 0; at < n; i++) {
            const len = Math.min(cutSizes[i % cutSizes.length], n - at);
            const fate = fates[i % fates.length];
            if (fate === 'drop') missing.push([at, at + len]);
            else if (fate === 'cut') {
              const captured = Math.floor(len / 2);
              feeds.push({ kind: 'data', off: at, length: len, captured });
              missing.push([at + captured, at + len]);
            } else {
              feeds.push({ kind: 'data', off: at, length: len, captured: len });
              if (fate === 'dup') feeds.push({ kind: 'data', off: at, length: len, captured: len });
            }
            at += len;
          }
          // Local reordering only (within windows of 4), then the receiver's ACK of everything.
          for (let i = 0; i + 1 < feeds.length; i++) {
            const j = i + ((order[i % Math.max(1, order.length)] ?? 0) % Math.min(4, feeds.length - i));
            [feeds[i], feeds[j]] = [feeds[j], feeds[i]];
          }
          feeds.push({ kind: 'ack', off: n });
          feeds.push({ kind: 'fin', off: n });
          const d = feedAll(st.bytes, isn, feeds, testProtocol(fixedFraming(size)));
          const ranges = checkDelivered(d, st.bytes);
          // No delivered byte lies in a range the capture never had.
          for (const [a, b] of ranges)
            for (const [x, y] of missing)
              expect(b <= x || a >= y, `PDU ${a}-${b} overlaps lost ${x}-${y}`).toBe(true);
          // Every byte after the last loss is delivered (detection starts afresh after a gap).
          const lastLoss = Math.max(0, ...missing.map(([, y]) => y));
          const covered = new Uint8Array(n);
          for (const [a, b] of ranges) covered.fill(1, a, b);
          for (let i = lastLoss; i < n; i++)
            if (!covered[i]) expect.fail(`byte ${i} after the last gap not delivered`);
        },
      ),
      { numRuns: 150 },
    );
  });
});

/** Deterministic shuffle driven by fast-check's numbers. */
function shuffle<T>(a: T[], order: number[]): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = (order[i % Math.max(1, order.length)] ?? 0) % (i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
}
