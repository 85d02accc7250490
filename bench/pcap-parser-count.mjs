// Bench helper: counts the packets of a classic pcap with pcap-parser 0.2.1 (the named peer).
// Prints one JSON line: {packets, ms}.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pcapParser = require('pcap-parser');
const started = performance.now();
let packets = 0;
const parser = pcapParser.parse(process.argv[2]);
parser.on('packet', () => packets++);
parser.on('end', () => console.log(JSON.stringify({ packets, ms: performance.now() - started })));
parser.on('error', (e) => {
  console.error(String(e));
  process.exit(1);
});
