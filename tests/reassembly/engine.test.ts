// TCP reassembly through the whole engine on real captures: a PDU spanning segments is dissected
// once, on the frame that completes it, from a "Reassembled TCP (N bytes)" data source with the
// segments listed in the TCP tree; later visits (p.visited) show the same layers as the first pass.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createReader } from '../../shared/capture/reader';
import { Session, type FrameMeta } from '../../shared/dissect/packet';
import { findItems } from '../../shared/dissect/query';
import type { Dissection } from '../../shared/dissect/types';
import { createEngine } from '../../shared/dissectors';
import { tsharkFields, tsharkMissing } from '../support/tshark';

const fixtures = join(import.meta.dirname, '..', 'fixtures');

function load(path: string): { meta: FrameMeta; data: Uint8Array }[] {
  const packets: { meta: FrameMeta; data: Uint8Array }[] = [];
  const reader = createReader({
    packet(p) {
      packets.push({
        meta: {
          number: p.index + 1,
          tsSec: p.tsSec,
          tsNsec: p.tsNsec,
          caplen: p.caplen,
          origlen: p.origlen,
          linktype: p.linktype,
          ifid: p.ifid,
        },
        data: p.data.slice(),
      });
    },
  });
  reader.push(new Uint8Array(readFileSync(path)));
  reader.end();
  return packets;
}

/** What a layer is, without its tree: protocol, place in its data source, the source's name. */
function shape(d: Dissection): string[] {
  return d.layers.map(
    (l) =>
      `${l.proto} ${l.offset}+${l.length}${l.source ? ` src ${d.sources?.[l.source - 1]?.name ?? l.source}` : ''}`,
  );
}

/** First pass (index pass: no tree, no columns), then two later visits with tree and columns. */
function passes(path: string) {
  const packets = load(path);
  const engine = createEngine();
  const session = new Session();
  session.frameBytes = (n) => packets[n - 1]?.data ?? null;
  const first = packets.map((p) => {
    const d = engine.dissect(p.data, p.meta, session, false, false);
    session.lastVisited = p.meta.number;
    return d;
  });
  // Later visits in an order other than the capture's, as a user clicks around.
  const order = packets.map((_, i) => i).reverse();
  const second: Dissection[] = [];
  for (const i of order) second[i] = engine.dissect(packets[i].data, packets[i].meta, session, true, true);
  const third = packets.map((p) => engine.dissect(p.data, p.meta, session, true, true));
  return { first, second, third };
}

describe('TCP reassembly through the engine', () => {
  const file = join(fixtures, 'dns', 'dns-tcp.pcap');
  const { first, second, third } = passes(file);

  it('later visits show the layers the first pass found, frame by frame', () => {
    for (let i = 0; i < first.length; i++) {
      expect(shape(second[i]), `frame ${i + 1}`).toEqual(shape(third[i]));
      expect(
        second[i].layers.map((l) => l.proto).filter((x) => x !== 'frame'),
        `frame ${i + 1}`,
      ).toEqual(first[i].layers.map((l) => l.proto).filter((x) => x !== 'frame'));
    }
  });

  it('a DNS message split over segments is dissected once, on the completing frame, from reassembled data', () => {
    const split = second.filter((d) =>
      d.sources?.some((s) => /^Reassembled TCP \(\d+ bytes\)$/.test(s.name)),
    );
    expect(split.length).toBeGreaterThan(0);
    for (const d of split) {
      const src = d.sources!.findIndex((s) => s.name.startsWith('Reassembled TCP')) + 1;
      const bytes = d.sources![src - 1].bytes;
      expect(d.sources![src - 1].name).toBe(`Reassembled TCP (${bytes.length} bytes)`);
      const dns = d.layers.find((l) => l.proto === 'dns' && l.source === src);
      expect(dns, 'a DNS layer in the reassembled source').toBeDefined();
      // The TCP tree lists the segments; together they are the reassembled bytes.
      const segs = findItems(d, 'tcp.segment');
      expect(segs.length).toBeGreaterThanOrEqual(2);
      expect(findItems(d, 'tcp.reassembled.length')[0]?.value).toBe(bytes.length);
      // The segments' frames come before this one and say where it was reassembled.
      const frame = d.layers[0].items.find((it) => it.abbrev === 'frame.number')?.value as number;
      for (const s of segs) {
        const n = s.value as number;
        expect(n).toBeLessThanOrEqual(frame);
        if (n !== frame) expect(findItems(second[n - 1], 'tcp.reassembled_in')[0]?.value).toBe(frame);
      }
    }
  });

  it.skipIf(!!tsharkMissing)('reassembled frames and segment lists agree with tshark -2', () => {
    const rows = tsharkFields(
      file,
      ['frame.number', 'tcp.segments', 'tcp.reassembled_in', 'tcp.segment'],
      ['-2'],
    );
    for (const [n, , inFrame, segList] of rows) {
      const d = second[Number(n) - 1];
      const ours = findItems(d, 'tcp.segment')
        .map((i) => String(i.value))
        .join(',');
      expect(ours, `frame ${n} tcp.segment`).toBe(segList ?? '');
      const rin = findItems(d, 'tcp.reassembled_in')[0]?.value;
      expect(rin === undefined ? '' : String(rin), `frame ${n} tcp.reassembled_in`).toBe(inFrame ?? '');
    }
  });
});
