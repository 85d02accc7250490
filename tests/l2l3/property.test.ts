// Properties over arbitrary bytes: through every link type these dissectors serve, dissection never
// throws, and every item's byte range lies inside its data source (the frame, or the reassembled
// bytes it names). Both passes run, the second over a session the first one built, so reassembly
// and cross-frame state are exercised on garbage too.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Session, type FrameMeta } from '../../shared/dissect/packet';
import type { Dissection, Item } from '../../shared/dissect/types';
import { l2l3Engine } from './support';

const LINKS = [0, 1, 12, 14, 101, 108, 113, 228, 229, 276];

/** Frames that look a little like real ones (a plausible link header) more often than pure noise. */
const frameArb = fc.record({
  linktype: fc.constantFrom(...LINKS),
  body: fc.uint8Array({ minLength: 0, maxLength: 160 }),
  head: fc.constantFrom(
    '',
    '020000770002020000770001080045',
    '0200007700020200007700018100a064080045',
    '02000077000202000077000186dd60',
    '02000077000202000077000188a870c8810001',
    '020000770002020000770001003aaaaa03000000',
    '45',
    '60',
    '02000000',
  ),
  cut: fc.nat(64),
  extra: fc.nat(3000),
});

function bytesOf(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
}

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
  for (const l of d.layers) walk(l.items, l.source ?? 0);
  return bad;
}

describe('l2l3 dissectors on arbitrary bytes', () => {
  it('never throw and keep every range inside its data source', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { minLength: 1, maxLength: 6 }), (specs) => {
        const engine = l2l3Engine();
        const session = new Session();
        const frames = specs.map((s, i) => {
          const full = new Uint8Array([...bytesOf(s.head), ...s.body]);
          const data = full.slice(0, Math.max(0, full.length - (s.cut % (full.length + 1))));
          const meta: FrameMeta = {
            number: i + 1,
            tsSec: i,
            tsNsec: 0,
            caplen: data.length,
            origlen: full.length + (s.extra % 2 ? s.extra : 0),
            linktype: s.linktype,
            ifid: 0,
          };
          return { data, meta };
        });
        session.frameBytes = (n) => frames[n - 1]?.data ?? null;
        for (const f of frames) {
          engine.dissect(f.data, f.meta, session, false, false);
          session.lastVisited = f.meta.number;
        }
        for (const f of frames) {
          const d = engine.dissect(f.data, f.meta, session, true, true);
          expect(checkRanges(d, f.data.length)).toEqual([]);
          // A dissector bug (anything but a short read) would surface as this message.
          for (const l of d.layers)
            for (const e of l.experts) expect(e.message).not.toMatch(/dissector error/);
        }
      }),
      { numRuns: Number(process.env.L2L3_RUNS ?? 3000) },
    );
  });

  it('reassemble fragments of random datagrams, in random order, to the original bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 9, maxLength: 3000 }),
        fc.integer({ min: 1, max: 200 }),
        fc.nat(),
        (payload, unitsPerFrag, seed) => {
          const step = unitsPerFrag * 8;
          const frags: Uint8Array[] = [];
          for (let off = 0; off < payload.length; off += step) {
            const chunk = payload.slice(off, off + step);
            const more = off + step < payload.length;
            const total = 20 + chunk.length;
            const h = new Uint8Array(14 + total);
            h.set(bytesOf('020000770002020000770001080045000000abcd0000401100000a0000010a000002'));
            h[16] = total >> 8;
            h[17] = total & 0xff;
            const fo = (off / 8) | (more ? 0x2000 : 0);
            h[20] = fo >> 8;
            h[21] = fo & 0xff;
            h.set(chunk, 34);
            frags.push(h);
          }
          // A seeded shuffle: reassembly must not depend on arrival order.
          const order = frags
            .map((_, i) => i)
            .sort((a, b) => ((a * 7919 + seed) % 104729) - ((b * 7919 + seed) % 104729));
          const frames = order.map((k, i) => ({
            data: frags[k],
            meta: {
              number: i + 1,
              tsSec: i,
              tsNsec: 0,
              caplen: frags[k].length,
              origlen: frags[k].length,
              linktype: 1,
              ifid: 0,
            } as FrameMeta,
          }));
          const engine = l2l3Engine();
          const session = new Session();
          session.frameBytes = (n) => frames[n - 1]?.data ?? null;
          for (const f of frames) {
            engine.dissect(f.data, f.meta, session, false, false);
            session.lastVisited = f.meta.number;
          }
          const last = frames[frames.length - 1];
          const d = engine.dissect(last.data, last.meta, session, true, true);
          if (frags.length === 1) {
            expect(d.sources).toEqual([]);
          } else {
            expect(d.sources.length).toBe(1);
            expect(d.sources[0].bytes).toEqual(payload);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
