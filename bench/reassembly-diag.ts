// Bench helper: the index pass (Engine.index, every dissector, TCP reassembly) over a capture, then
// what the reassembly keeps: streams, per-frame records, waiting bytes, and the JS heap after a GC.
// Prints one JSON line.   node --expose-gc (tsx) bench/reassembly-diag.ts FILE
import { closeSync, openSync, readSync } from 'node:fs';
import { createReader } from '../shared/capture/reader';
import { Session, type FrameMeta } from '../shared/dissect/packet';
import { createEngine } from '../shared/dissectors/index';
import type { TcpReassembly } from '../shared/reassembly/tcp-stream';

const file = process.argv[2];
const engine = createEngine();
const session = new Session();
let packets = 0;
const meta: FrameMeta = { number: 0, tsSec: 0, tsNsec: 0, caplen: 0, origlen: 0, linktype: 0, ifid: 0 };
const started = performance.now();
const reader = createReader(
  {
    packet(p) {
      packets++;
      meta.number = packets;
      meta.tsSec = p.tsSec;
      meta.tsNsec = p.tsNsec;
      meta.caplen = p.caplen;
      meta.origlen = p.origlen;
      meta.linktype = p.linktype;
      engine.index(p.data, meta, session);
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
const ms = performance.now() - started;
(globalThis as { gc?: () => void }).gc?.();
const ra = session.peek<TcpReassembly>('tcp.reassembly');
let pdus = 0;
let multi = 0;
for (const r of ra?.frames.values() ?? []) {
  pdus += r.pdus.length;
  for (const p of r.pdus) if (p.segments.length > 1) multi++;
}
console.log(
  JSON.stringify({
    packets,
    ms: Math.round(ms),
    streams: ra?.streams.size ?? 0,
    frameRecords: ra?.frames.size ?? 0,
    recordPdus: pdus,
    multiSegmentPdus: multi,
    heapMiB: Math.round(process.memoryUsage().heapUsed / 1048576),
    rssMiB: Math.round(process.memoryUsage().rss / 1048576),
  }),
);
