// Bench helper: the first (index) pass of the link- and network-layer dissectors over a capture,
// as the packet index runs it (no tree, no columns), then again with columns. Reads 1 MiB chunks.
// Prints one JSON line: {packets, readOnlyMs, indexMs, colsMs}.
//   npx tsx bench/l2l3-index.ts FILE
import { closeSync, openSync, readSync } from 'node:fs';
import { createReader } from '../shared/capture/reader';
import { Session, type FrameMeta } from '../shared/dissect/packet';
import { l2l3Engine } from '../tests/l2l3/support';

const file = process.argv[2];

function pass(mode: 'read' | 'index' | 'cols'): { packets: number; ms: number } {
  const engine = l2l3Engine();
  const session = new Session();
  let packets = 0;
  const meta: FrameMeta = { number: 0, tsSec: 0, tsNsec: 0, caplen: 0, origlen: 0, linktype: 0, ifid: 0 };
  const started = performance.now();
  const reader = createReader(
    {
      packet(p) {
        packets++;
        if (mode === 'read') return;
        meta.number = packets;
        meta.tsSec = p.tsSec;
        meta.tsNsec = p.tsNsec;
        meta.caplen = p.caplen;
        meta.origlen = p.origlen;
        meta.linktype = p.linktype;
        engine.dissect(p.data, meta, session, false, mode === 'cols');
        session.lastVisited = packets;
      },
    },
    { name: file },
  );
  const fd = openSync(file, 'r');
  const buf = new Uint8Array(1 << 20);
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, null);
    if (n === 0) break;
    reader.push(buf.subarray(0, n));
  }
  reader.end();
  closeSync(fd);
  return { packets, ms: performance.now() - started };
}

const read = pass('read');
const index = pass('index');
const cols = pass('cols');
console.log(
  JSON.stringify({
    packets: read.packets,
    readOnlyMs: Math.round(read.ms),
    indexMs: Math.round(index.ms),
    colsMs: Math.round(cols.ms),
  }),
);
