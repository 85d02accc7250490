// The layer views' pure parts on hostile input: every packet of tcpdump's regression captures
// (many deliberately malformed: short headers, bad lengths, cut by the snaplen) goes through the
// stack model, both layouts and the bit cells. None may throw; envelopes add up; every header bit
// is in exactly one cell; every coordinate is a finite number.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createReader } from '../../../shared/capture/reader';
import { Session } from '../../../shared/dissect/packet';
import type { Dissection } from '../../../shared/dissect/types';
import { createEngine } from '../../../shared/dissectors';
import { metaOf } from '../../../tests/support/dissect-file';
import { layoutBits } from './bit-layout';
import { headerBits } from './header-bits';
import { layoutStack } from './stack-layout';
import { stackModel } from './stack-model';

const corpus = resolve(import.meta.dirname, '../../../../shared/corpus/tcpdump');
const snap = resolve(import.meta.dirname, '../../../tests/fixtures/captures/lo-snap64.pcap');
const files = existsSync(corpus)
  ? readdirSync(corpus)
      .filter((f) => /\.pcap(ng)?$/.test(f))
      .map((f) => resolve(corpus, f))
  : [];

/** Every frame a file yields (up to a reader error), dissected with tree, beside its bytes. */
function frames(path: string): { d: Dissection; bytes: Uint8Array }[] {
  const engine = createEngine();
  const session = new Session();
  const packets: { meta: ReturnType<typeof metaOf>; data: Uint8Array }[] = [];
  const reader = createReader({
    packet: (p) => packets.push({ meta: metaOf(p), data: p.data.slice() }),
    info: (i) => {
      session.interfaceIds = i.format === 'pcapng';
    },
  });
  try {
    reader.push(new Uint8Array(readFileSync(path)));
    reader.end();
  } catch {
    // A damaged file: the packets before the damage are what a person sees.
  }
  session.prevTs = (n) => (n > 1 ? [packets[n - 2].meta.tsSec, packets[n - 2].meta.tsNsec] : null);
  session.frameBytes = (n) => packets[n - 1]?.data ?? null;
  for (const p of packets) {
    engine.dissect(p.data, p.meta, session, false, false);
    session.lastVisited = p.meta.number;
  }
  return packets.map((p) => ({ d: engine.dissect(p.data, p.meta, session, true, true), bytes: p.data }));
}

const finite = (o: unknown, where: string): void => {
  if (typeof o === 'number') {
    if (!Number.isFinite(o)) throw new Error(`${where}: ${o}`);
  } else if (Array.isArray(o)) o.forEach((x, i) => finite(x, `${where}[${i}]`));
  else if (o && typeof o === 'object' && !(o instanceof Uint8Array))
    for (const [k, v] of Object.entries(o)) if (k !== 'layer') finite(v, `${where}.${k}`);
};

describe('layer views on hostile captures', () => {
  it.skipIf(files.length === 0)(
    `tcpdump's regression captures: no throw, envelopes add up, bits partitioned${files.length ? '' : ' (skipped: ../shared/corpus/tcpdump is missing)'}`,
    () => {
      let packets = 0;
      let headers = 0;
      for (const file of [...files, snap]) {
        for (const { d, bytes } of frames(file)) {
          const where = `${file} frame ${d.frame}`;
          const m = stackModel(d);
          packets++;
          for (const l of m.layers) {
            expect(l.header, where).toBeGreaterThanOrEqual(0);
            expect(l.trailer, where).toBeGreaterThanOrEqual(0);
            expect(l.headerDeclared, where).toBeGreaterThanOrEqual(l.header);
            expect(l.header + l.payload + l.trailer, `${where} ${l.proto}`).toBe(l.length);
            const src = l.source === 0 ? bytes : d.sources[l.source - 1]?.bytes;
            if (!src) continue;
            const h = headerBits(d, l.index, l.header, src);
            if (!h) continue;
            headers++;
            let at = 0;
            for (const c of h.cells) {
              expect(c.start, `${where} ${l.proto} ${c.abbrev}`).toBe(at);
              at = c.end;
            }
            expect(at).toBe(h.bytes * 8);
            finite(layoutBits(h, { width: 420, rem: 15 }), `${where} bits`);
          }
          finite(layoutStack(m, { width: 380, rem: 15 }), `${where} stack`);
          finite(layoutStack(m, { width: 1200, rem: 22 }), `${where} stack`);
        }
      }
      expect(packets).toBeGreaterThan(1000);
      expect(headers).toBeGreaterThan(packets);
    },
  );
});
