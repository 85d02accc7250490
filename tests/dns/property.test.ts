// Properties of the DNS dissector on arbitrary bytes: messages built from random headers, names
// (labels, pointers anywhere, reserved label types) and records, or pure noise, over UDP port 53,
// mDNS 5353 and TCP port 53 (length-prefixed, sometimes cut between segments), in both passes.
// Dissection never throws, no layer reports a dissector error, and every item's byte range lies
// inside its data source (the frame, or the reassembled message it names).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Session, type FrameMeta } from '../../shared/dissect/packet';
import type { Dissection, Item } from '../../shared/dissect/types';
import { createEngine } from '../../shared/dissectors';
import { bytes, handshake, tcpFrame, u16, udpFrame } from './craft-dns';

const label = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 70 }).map((b) => [Math.min(b.length, 63), ...b.subarray(0, 63)]),
  fc.tuple(fc.integer({ min: 0xc0, max: 0xff }), fc.nat(255)).map(([a, b]) => [a, b]),
  fc.integer({ min: 0x40, max: 0xbf }).map((x) => [x]),
);
const nameArb = fc.array(label, { maxLength: 6 }).map((ls) => [...ls.flat(), 0]);
const rrArb = fc
  .record({
    n: nameArb,
    type: fc.constantFrom(1, 2, 5, 6, 12, 13, 15, 16, 28, 33, 35, 41, 43, 46, 47, 48, 50, 257, 99, 65280),
    body: fc.uint8Array({ maxLength: 60 }),
    lie: fc.integer({ min: -4, max: 4 }),
  })
  .map(({ n, type, body, lie }) => [
    ...n,
    ...u16(type),
    0,
    1,
    0,
    0,
    1,
    0,
    ...u16(Math.max(0, body.length + lie)),
    ...body,
  ]);
const messageArb = fc.oneof(
  fc.uint8Array({ maxLength: 200 }).map((b) => [...b]),
  fc
    .record({
      head: fc.uint8Array({ minLength: 12, maxLength: 12 }),
      counts: fc.array(fc.nat(3), { minLength: 4, maxLength: 4 }),
      qs: fc.array(nameArb, { maxLength: 3 }),
      rrs: fc.array(rrArb, { maxLength: 4 }),
      tail: fc.uint8Array({ maxLength: 8 }),
    })
    .map(({ head, counts, qs, rrs, tail }) => {
      const h = [...head];
      counts.forEach((c, i) => h.splice(4 + 2 * i, 2, 0, c));
      return [...h, ...qs.flatMap((q) => [...q, 0, 1, 0, 1]), ...rrs.flat(), ...tail];
    }),
);

function checkRanges(d: Dissection, frameLen: number): string[] {
  const bad: string[] = [];
  const walk = (items: Item[], source: number) => {
    for (const it of items) {
      const src = it.source ?? source;
      const limit = src === 0 ? frameLen : (d.sources[src - 1]?.bytes.length ?? -1);
      if (it.offset < 0 || it.length < 0 || it.offset + it.length > limit)
        bad.push(`${it.abbrev || it.label} @${it.offset}+${it.length} (source ${src}, ${limit} bytes)`);
      if (it.children) walk(it.children, src);
    }
  };
  for (const l of d.layers) {
    walk(l.items, l.source ?? 0);
    for (const e of l.experts) if (/dissector error/.test(e.message)) bad.push(`${l.proto}: ${e.message}`);
  }
  return bad;
}

function dissectAll(frames: { data: Uint8Array; origlen: number }[]): string[] {
  const engine = createEngine();
  const session = new Session();
  session.interfaceIds = false;
  const metas: FrameMeta[] = frames.map((f, i) => ({
    number: i + 1,
    tsSec: 1000,
    tsNsec: i * 1000,
    caplen: f.data.length,
    origlen: f.origlen,
    linktype: 1,
    ifid: 0,
  }));
  session.frameBytes = (n) => frames[n - 1]?.data ?? null;
  const bad: string[] = [];
  metas.forEach((m, i) => {
    engine.dissect(frames[i].data, m, session, false, false);
    session.lastVisited = m.number;
  });
  metas.forEach((m, i) => {
    const d = engine.dissect(frames[i].data, m, session, true, true);
    bad.push(...checkRanges(d, frames[i].data.length).map((s) => `frame ${i + 1}: ${s}`));
  });
  return bad;
}

describe('DNS on arbitrary messages', () => {
  it('over UDP (53, 5353): never throws, ranges stay in the frame', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ m: messageArb, mdns: fc.boolean(), cut: fc.nat(40) }), {
          minLength: 1,
          maxLength: 4,
        }),
        (specs) => {
          const frames = specs.map(({ m, mdns, cut }) => {
            const full = udpFrame(m, 40000, mdns ? 5353 : 53);
            return { data: full.slice(0, Math.max(42, full.length - cut)), origlen: full.length };
          });
          expect(dissectAll(frames)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('over TCP (53): several messages per segment, messages split over segments', () => {
    fc.assert(
      fc.property(
        fc.array(messageArb, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(300), { maxLength: 4 }),
        (msgs, cuts) => {
          const stream = bytes(...msgs.map((m) => [...u16(m.length), ...m]));
          const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
          const segments: Uint8Array[] = [];
          let from = 0;
          for (const p of [...points, stream.length]) {
            if (p > from) segments.push(stream.subarray(from, p));
            from = Math.max(from, p);
          }
          let seq = 1000;
          const frames = [
            ...handshake(),
            ...segments.map((s) => {
              const f = tcpFrame(s, seq, 5000);
              seq += s.length;
              return f;
            }),
          ].map((data) => ({ data, origlen: data.length }));
          expect(dissectAll(frames)).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
