// Bench helper: display filters over the packet index of a capture. Indexes FILE once (the app's
// index pass), then times each filter over every frame: index-field filters answer from the
// index (Filter.testIndexed), others dissect the frames they must. Prints one JSON line per
// filter. Compare with `tshark -n -r FILE -Y FILTER -T fields -e frame.number` in the same run.
//   npx tsx bench/filter-index.ts FILE 'tcp.port == 80' 'ip.addr == 127.0.1.0/24 and tcp.flags.syn == 1'
import { readFileSync } from 'node:fs';
import { createReader } from '../shared/capture/reader';
import { Session } from '../shared/dissect/packet';
import { createEngine } from '../shared/dissectors';
import { compileFilter } from '../shared/filter/compile';
import { Indexer } from '../shared/index/indexer';
import { PacketIndex } from '../shared/index/packet-index';

const [file, ...filters] = process.argv.slice(2);
const engine = createEngine();
const session = new Session();
const index = new PacketIndex();
const ix = new Indexer(engine, session, index);
const t0 = performance.now();
const reader = createReader(ix.sink());
reader.push(new Uint8Array(readFileSync(file)));
reader.end();
console.log(JSON.stringify({ indexMs: Math.round(performance.now() - t0), packets: index.count }));
for (const text of filters) {
  const c = compileFilter(text);
  if (!c.ok) throw new Error(`${text}: ${c.error.message}`);
  const t = performance.now();
  let hits = 0;
  let unanswered = 0;
  for (let i = 0; i < index.count; i++) {
    const v = c.filter.testIndexed(index, i);
    if (v === null) unanswered++;
    else if (v) hits++;
  }
  console.log(
    JSON.stringify({
      filter: text,
      indexed: c.filter.indexed,
      ms: +(performance.now() - t).toFixed(1),
      hits,
      dissectionNeeded: unanswered,
    }),
  );
}
