// Bench helper: the index pass in-process, then the time to dissect single frames with the full
// tree (a selection in the app: random-access read + dissection with tree and columns) and to
// build a screenful of rows. Prints one JSON line.
import { indexFile, frameReader } from '../electron/backend/index-file';
import { FrameSource } from '../shared/index/columns';

const file = process.argv[2];
const samples = Number(process.argv[3] ?? 2000);
const t0 = performance.now();
const cap = await indexFile(file);
const indexMs = performance.now() - t0;
const fr = frameReader(file, cap.index);
const src = new FrameSource(cap.engine, cap.session, cap.index, fr.read);
const n = cap.index.count;
const frames: number[] = [];
// A fixed, spread-out sample (no randomness: runs compare).
for (let k = 0; k < samples; k++)
  frames.push(1 + Math.floor((((k * 2654435761) % 4294967296) / 4294967296) * n));
for (const f of frames.slice(0, 200)) src.dissect(f, true, true); // warm-up
const times: number[] = [];
for (const f of frames) {
  const s = performance.now();
  src.dissect(f, true, true);
  times.push(performance.now() - s);
}
times.sort((a, b) => a - b);
const rowTimes: number[] = [];
for (let k = 0; k < 50; k++) {
  const from = 1 + Math.floor((k / 50) * Math.max(1, n - 60));
  const s = performance.now();
  src.rows(from, 50);
  rowTimes.push(performance.now() - s);
}
rowTimes.sort((a, b) => a - b);
fr.close();
console.log(
  JSON.stringify({
    packets: n,
    indexMs,
    detailMedianMs: times[times.length >> 1],
    detailP95Ms: times[Math.floor(times.length * 0.95)],
    rows50MedianMs: rowTimes[rowTimes.length >> 1],
    indexBytes: cap.index.byteSize,
  }),
);
