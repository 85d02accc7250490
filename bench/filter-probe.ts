// Bench helper: a display filter as the app applies it. Opens FILE the way the app does (index
// worker), waits for the index pass, then times CaptureIndex.filter for each FILTER (the frames
// the packet list will show) — RUNS times each, median. Prints one JSON line per filter.
// Paired in `npm run bench` with `tshark -n -r FILE -Y FILTER -T fields -e frame.number`.
//   node out/bench/filter-probe.mjs FILE RUNS 'tcp.port == 80' …
import { openCaptureIndex } from '../electron/backend/capture-index';

const [file, runsText, ...filters] = process.argv.slice(2);
const runs = Math.max(1, Number(runsText) || 3);
const cap = openCaptureIndex(file);
const summary = await cap.done;
for (const text of filters) {
  const times: number[] = [];
  let hits = 0;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    const frames = await cap.filter(text, summary.packets);
    times.push(performance.now() - t);
    hits = frames.length;
  }
  times.sort((a, b) => a - b);
  console.log(
    JSON.stringify({ filter: text, ms: times[Math.floor(times.length / 2)], hits, packets: summary.packets }),
  );
}
await cap.close();
