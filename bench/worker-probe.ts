// Bench helper: opens a file the way the app does (index worker) and reports when the first rows
// were available and when the pass ended. Prints one JSON line.
import { openCaptureIndex } from '../electron/backend/capture-index';

const file = process.argv[2];
const t0 = performance.now();
const cap = openCaptureIndex(file);
await cap.firstRows;
const rows = await cap.rows(1, 50);
const firstRowsMs = performance.now() - t0;
const packetsAtFirstRows = cap.count;
const summary = await cap.done;
const doneMs = performance.now() - t0;
await cap.close();
console.log(
  JSON.stringify({
    firstRowsMs,
    rowsReturned: rows.length,
    packetsAtFirstRows,
    doneMs,
    packets: summary.packets,
  }),
);
