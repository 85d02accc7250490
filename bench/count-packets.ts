// Bench helper: counts the packets of a file with our reader alone (no dissection), reading 1 MiB
// chunks as the CLI does. Prints one JSON line: {packets, ms}.
import { openSync, readSync, closeSync } from 'node:fs';
import { createReader } from '../shared/capture/reader';

const file = process.argv[2];
const started = performance.now();
let packets = 0;
const reader = createReader({ packet: () => void packets++ }, { name: file });
const fd = openSync(file, 'r');
const buf = new Uint8Array(1 << 20);
for (;;) {
  const n = readSync(fd, buf, 0, buf.length, null);
  if (n === 0) break;
  reader.push(buf.subarray(0, n));
}
reader.end();
closeSync(fd);
console.log(JSON.stringify({ packets, ms: performance.now() - started }));
