// Measures packets/s of our capture readers against pcap-parser (the only npm peer; classic µs
// pcap only) on the benchmark captures. Not a test: numbers go to docs/decisions/capture-readers.md.
//
//   npx tsx scripts/measure-readers.ts [--runs 5] [FILE…]
//
// Without FILE arguments it prepares /tmp/wirescope-bench/{base.pcap,big.pcap,big.pcapng} from
// /work/shared/bench (or ../shared/bench next to the clone): base.pcap.xz unpacked, then grown to
// 1M packets with make-big-capture.py. Each tool counts packets in two ways:
//   mem  — the file already in memory, pushed in 1 MiB chunks (pure parsing cost);
//   file — streamed from disk (our readCaptureFile; pcap-parser's own fs stream; Wireshark's
//          wiretap through `capinfos -c -M`, process start included, when capinfos is installed).
// Every run happens in this one process, one after another; the best and the median are shown.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { readCaptureFile } from '../electron/files/capture-file';
import { createReader } from '../shared/capture/reader';

const require = createRequire(import.meta.url);
const pcapParser = require('pcap-parser') as { parse(input: string | Readable): NodeJS.EventEmitter };

const CHUNK = 1 << 20;
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function benchDir(): string {
  for (const d of ['/work/shared/bench', resolve(repo, '../shared/bench')])
    if (existsSync(resolve(d, 'base.pcap.xz'))) return d;
  throw new Error('benchmark base not found: expected base.pcap.xz in /work/shared/bench or ../shared/bench');
}

function prepare(): string[] {
  const out = '/tmp/wirescope-bench';
  mkdirSync(out, { recursive: true });
  const src = benchDir();
  const base = resolve(out, 'base.pcap');
  if (!existsSync(base)) execFileSync('sh', ['-c', `xz -dc "${resolve(src, 'base.pcap.xz')}" > "${base}"`]);
  const grow = resolve(src, 'make-big-capture.py');
  for (const [name, extra] of [
    ['big.pcap', []],
    ['big.pcapng', ['--pcapng']],
  ] as const) {
    const f = resolve(out, name);
    if (!existsSync(f))
      execFileSync('python3', [grow, base, f, '-n', '1000000', ...extra], { stdio: 'inherit' });
  }
  return [base, resolve(out, 'big.pcap'), resolve(out, 'big.pcapng')];
}

function oursMem(bytes: Uint8Array): number {
  let n = 0;
  const r = createReader({ packet: () => void n++ });
  for (let o = 0; o < bytes.length; o += CHUNK) r.push(bytes.subarray(o, o + CHUNK));
  r.end();
  return n;
}

async function oursFile(path: string): Promise<number> {
  let n = 0;
  await readCaptureFile(path, { packet: () => void n++ });
  return n;
}

function parserCount(input: string | Readable): Promise<number> {
  return new Promise((ok, fail) => {
    let n = 0;
    const p = pcapParser.parse(input);
    p.on('packet', () => void n++);
    p.on('error', fail);
    p.on('end', () => ok(n));
  });
}

function chunksOf(bytes: Uint8Array): Buffer[] {
  const out: Buffer[] = [];
  for (let o = 0; o < bytes.length; o += CHUNK)
    out.push(Buffer.from(bytes.buffer, bytes.byteOffset + o, Math.min(CHUNK, bytes.length - o)));
  return out;
}

const capinfos = spawnSync('sh', ['-c', 'command -v capinfos'], { encoding: 'utf8' }).stdout.trim();

/** Wireshark's own reader (wiretap) counting packets: `capinfos -c -M`, process start included. */
function capinfosCount(path: string): number {
  const out = execFileSync(capinfos, ['-c', '-M', path], { encoding: 'utf8' });
  const m = /Number of packets:\s+(\d+)/.exec(out);
  if (!m) throw new Error(`capinfos printed no packet count for ${path}`);
  return Number(m[1]);
}

async function time(fn: () => number | Promise<number>): Promise<{ ms: number; n: number }> {
  const t0 = process.hrtime.bigint();
  const n = await fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, n };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let runs = 5;
  const i = args.indexOf('--runs');
  if (i >= 0) {
    runs = Number(args[i + 1]);
    args.splice(i, 2);
  }
  const files = args.length ? args : prepare();
  console.log(`node ${process.version}, ${runs} runs each, best / median packets per second`);
  for (const f of files) {
    const bytes = new Uint8Array(readFileSync(f));
    const isPcapng = bytes[0] === 0x0a;
    const isNano = bytes[0] === 0x4d || bytes[3] === 0x4d;
    console.log(`\n${f} (${(statSync(f).size / 1e6).toFixed(1)} MB)`);
    const cases: [string, () => number | Promise<number>][] = [
      ['ours         mem ', () => oursMem(bytes)],
      ['ours         file', () => oursFile(f)],
    ];
    if (capinfos) cases.push(['capinfos -c  file', () => capinfosCount(f)]);
    if (!isPcapng && !isNano) {
      cases.push(['pcap-parser  mem ', () => parserCount(Readable.from(chunksOf(bytes)))]);
      cases.push(['pcap-parser  file', () => parserCount(f)]);
    }
    for (const [name, fn] of cases) {
      const res: { ms: number; n: number }[] = [];
      for (let r = 0; r < runs; r++) res.push(await time(fn));
      const n = res[0].n;
      if (res.some((x) => x.n !== n)) throw new Error(`${name}: packet counts differ between runs`);
      const ms = res.map((x) => x.ms).sort((a, b) => a - b);
      const rate = (t: number) => `${(((n / t) * 1000) / 1e6).toFixed(2)}M/s`;
      console.log(
        `  ${name}  ${n} packets  best ${ms[0].toFixed(0)} ms (${rate(ms[0])})  median ${ms[ms.length >> 1].toFixed(0)} ms (${rate(ms[ms.length >> 1])})`,
      );
    }
  }
}

await main();
