#!/usr/bin/env node
// `npm run bench` — measures the index pass and single-frame detail against named peers, in the
// same run, on the same files (DESIGN.md, "Performance principles"). Not a test: it reports
// numbers and the targets beside them, and asserts nothing.
//
//   npm run bench                  1,000,000 packets (pcap and pcapng), 3 paired runs
//   npm run bench -- --quick       100,000 packets, 3 paired runs
//   npm run bench -- --runs 5      more runs per measurement (medians are reported)
//   npm run bench -- --profile     also CPU profiles of `wirescope info` and `messages`, by area
//   npm run bench -- --no-tshark   skip the (slow) tshark runs
//   npm run bench -- --no-ui       skip the UI runs in headless Chromium (scripts/bench-ui.mjs)
//   npm run bench -- --no-live     skip the live latency runs (scripts/bench-live.mjs: the WebSocket
//                                  lab, tap and capture modes, wire to screen p50/p95)
//
// Display filters applied to an opened capture (bench/filter-probe.ts, the index worker) are timed
// against `tshark -r FILE -Y FILTER` (targets: index fields ≥ 20×, an HTTP field ≥ 2×).
//
// The application pass (`wirescope messages FILE --level application`: reassembly, every dissector,
// the messages of every conversation) is timed against `tshark -q -z conv,tcp` (target ≥ 2×, ≤ 300 MiB).
//
// Inputs: ../shared/bench/base.pcap.xz (relative to the repository root) grown by
// ../shared/bench/make-big-capture.py into bench/data/ (gitignored; reused when present).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(root, '../shared');
const data = join(root, 'bench', 'data');
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const profile = argv.includes('--profile');
const withTshark = !argv.includes('--no-tshark');
const withUi = !argv.includes('--no-ui');
const withLive = withUi && !argv.includes('--no-live');
const runsAt = argv.indexOf('--runs');
const runs = runsAt >= 0 ? Math.max(1, Number(argv[runsAt + 1]) || 3) : 3;
const packets = quick ? 100_000 : 1_000_000;

const say = (s = '') => process.stdout.write(s + '\n');
const note = (s) => process.stderr.write(`bench: ${s}\n`);

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(1);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, ...opts });
  if (r.error) fail(`${cmd}: ${r.error.message}`);
  if (r.status !== 0)
    fail(
      `${cmd} ${args.join(' ')} exited with ${r.status}: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}`,
    );
  return r.stdout;
}

function which(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

// ---- inputs ---------------------------------------------------------------------------------------

function prepare() {
  const xz = join(shared, 'bench', 'base.pcap.xz');
  const grow = join(shared, 'bench', 'make-big-capture.py');
  if (!existsSync(xz) || !existsSync(grow))
    fail(`the reference folder is missing: expected ${xz} and ${grow} (../shared beside the repository)`);
  mkdirSync(data, { recursive: true });
  const base = join(data, 'base.pcap');
  if (!existsSync(base)) {
    note('decompressing base.pcap.xz');
    writeFileSync(base, run('xz', ['-dc', xz], { encoding: 'buffer' }));
  }
  const files = {};
  for (const [kind, flag] of [
    ['pcap', []],
    ['pcapng', ['--pcapng']],
  ]) {
    const out = join(data, `big-${packets}.${kind}`);
    if (!existsSync(out)) {
      note(`growing ${relative(root, base)} to ${packets} packets (${kind})`);
      run('python3', [grow, base, out, '-n', String(packets), ...flag]);
    }
    files[kind] = out;
  }
  return files;
}

function build() {
  run(process.execPath, [join(root, 'scripts', 'build-cli.mjs'), '--quiet']);
  // The bench helpers are bundled the same way, with the worker beside them.
  // Built output lives under out/ (ignored by git and lint), the captures under bench/data/.
  const outdir = join(root, 'out', 'bench');
  const entries = Object.fromEntries(
    ['count-packets', 'detail-time', 'worker-probe', 'filter-probe'].map((n) => [
      n,
      join(root, 'bench', `${n}.ts`),
    ]),
  );
  entries['index-worker'] = join(root, 'electron', 'workers', 'index-worker.ts');
  rmSync(outdir, { recursive: true, force: true });
  const script = `
    import { build } from 'esbuild';
    await build({
      entryPoints: ${JSON.stringify(entries)},
      outdir: ${JSON.stringify(outdir)}, outExtension: { '.js': '.mjs' }, bundle: true, platform: 'node',
      format: 'esm', target: 'node20', logLevel: 'warning',
      banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
    });`;
  run(process.execPath, ['--input-type=module', '-e', script], { cwd: root });
  return outdir;
}

// ---- measuring ------------------------------------------------------------------------------------

// Wall time and peak RSS of a child, measured by a small Python parent (getrusage of its children),
// which works the same on every POSIX machine, with or without GNU time.
const MEASURE = `
import resource, subprocess, sys, time, json
t = time.perf_counter()
p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
wall = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
rss = rss if sys.platform == 'darwin' else rss * 1024
sys.stderr.buffer.write(p.stderr)
print(json.dumps({"status": p.returncode, "wall": wall, "rss": rss, "stdout": p.stdout[-4000:].decode("utf8", "replace")}))
`;

function measure(cmd, args, env = {}) {
  const r = spawnSync('python3', ['-c', MEASURE, cmd, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env: { ...process.env, ...env },
  });
  if (r.status !== 0) fail(`measuring ${cmd}: ${r.stderr.trim()}`);
  const m = JSON.parse(r.stdout.trim().split('\n').pop());
  if (m.status !== 0)
    fail(
      `${cmd} ${args.join(' ')} exited with ${m.status}: ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`,
    );
  return m;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Runs every entry `runs` times, interleaved (a, b, c, a, b, c…) so drift hits all alike. */
function paired(entries) {
  const results = entries.map(() => []);
  for (let r = 0; r < runs; r++) {
    entries.forEach((e, k) => {
      note(`run ${r + 1}/${runs}: ${e.name}`);
      results[k].push(measure(e.cmd, e.args, e.env));
    });
  }
  return entries.map((e, k) => ({
    name: e.name,
    wall: median(results[k].map((m) => m.wall)),
    rss: Math.max(...results[k].map((m) => m.rss)),
    stdout: results[k][0].stdout,
  }));
}

const fmt = (n, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const mib = (b) => `${fmt(b / 1048576, 0)} MiB`;

// ---- profile --------------------------------------------------------------------------------------

/** Decodes a source map's mappings into, per generated line, [column, source index] pairs. */
function decodeMappings(map) {
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const lines = [];
  let src = 0;
  for (const line of map.mappings.split(';')) {
    const segs = [];
    let col = 0;
    for (const seg of line.split(',')) {
      if (!seg) continue;
      const vals = [];
      let v = 0;
      let shift = 0;
      for (const ch of seg) {
        const d = B64.indexOf(ch);
        v += (d & 31) << shift;
        if (d & 32) shift += 5;
        else {
          vals.push(v & 1 ? -(v >>> 1) : v >>> 1);
          v = 0;
          shift = 0;
        }
      }
      col += vals[0];
      if (vals.length > 1) {
        src += vals[1];
        segs.push([col, src]);
      }
    }
    lines.push(segs);
  }
  return lines;
}

/**
 * Self time by source area, from a V8 CPU profile of the bundled CLI (what users run), each
 * sample's position mapped back to its source file through the bundle's source map.
 */
function profileCommand(args) {
  const dir = join(root, 'out', 'bench-prof', args[0]);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const bundle = join(root, 'out', 'cli', 'wirescope.mjs');
  run(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, bundle, ...args], { cwd: root });
  const prof = JSON.parse(
    readFileSync(
      join(
        dir,
        readdirSync(dir).find((f) => f.endsWith('.cpuprofile')),
      ),
      'utf8',
    ),
  );
  // The bundle is split into chunks (scripts/build-cli.mjs), each with its own source map.
  const maps = new Map();
  const mapOf = (url) => {
    if (!maps.has(url)) {
      const path = fileURLToPath(url);
      const map = existsSync(`${path}.map`) ? JSON.parse(readFileSync(`${path}.map`, 'utf8')) : null;
      maps.set(url, map ? { map, lines: decodeMappings(map), dir: dirname(path) } : null);
    }
    return maps.get(url);
  };
  const sourceOf = (url, line, col) => {
    const m = mapOf(url);
    if (!m) return url;
    const segs = m.lines[line] ?? [];
    let best = null;
    for (const s of segs) if (s[0] <= col) best = s;
    return best ? relative(root, resolve(m.dir, m.map.sources[best[1]])) : '';
  };
  const outUrl = pathToFileURL(join(root, 'out', 'cli')).href;
  const dt = new Map();
  for (let k = 0; k < prof.samples.length; k++)
    dt.set(prof.samples[k], (dt.get(prof.samples[k]) ?? 0) + (prof.timeDeltas[k] ?? 0));
  const self = new Map();
  const byFn = new Map();
  for (const node of prof.nodes) {
    const us = dt.get(node.id) ?? 0;
    if (!us) continue;
    const cf = node.callFrame;
    const local = cf.url.startsWith(outUrl) ? sourceOf(cf.url, cf.lineNumber, cf.columnNumber) : cf.url;
    const area = areaOf(local, cf.functionName);
    self.set(area, (self.get(area) ?? 0) + us);
    const fn = `${cf.functionName || '(anonymous)'} ${local || ''}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + us);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const top = (m, n) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  return { total, areas: top(self, 20), functions: top(byFn, 25), dir };
}

function areaOf(file, fn) {
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(program)' || fn === '(idle)') return 'V8/runtime (program, idle)';
  if (file.startsWith('shared/capture/')) return 'reader (shared/capture)';
  if (file.startsWith('shared/dissectors/')) return `dissectors (${file.slice('shared/dissectors/'.length)})`;
  if (file.startsWith('shared/conversations/')) return 'conversations (shared/conversations)';
  if (file.startsWith('shared/reassembly/')) return 'reassembly (shared/reassembly)';
  if (file.startsWith('shared/dissect/')) return `engine core (${file.slice('shared/'.length)})`;
  if (file.startsWith('shared/index/')) return `index (${file.slice('shared/'.length)})`;
  if (file.startsWith('electron/')) return `backend/CLI (${file})`;
  if (file.startsWith('node:')) return 'Node internals (module loading, fs)';
  return `other ${file || fn}`;
}

// ---- main -----------------------------------------------------------------------------------------

const files = prepare();
const helpers = build();
const cli = join(root, 'out', 'cli', 'wirescope.mjs');
const pcapMB = statSync(files.pcap).size / 1e6;
const ngMB = statSync(files.pcapng).size / 1e6;
const haveTshark = withTshark && which('tshark');

say(
  `Wirescope bench: ${fmt(packets)} packets; ${relative(root, files.pcap)} ${fmt(pcapMB, 1)} MB, ${relative(root, files.pcapng)} ${fmt(ngMB, 1)} MB`,
);
say(
  `machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, ${fmt(totalmem() / 2 ** 30, 1)} GiB; node ${process.version}; ${runs} paired runs, medians`,
);
say();

// `wirescope info` is the index pass (issue #2): link to transport layers, with the fast path
// (docs/decisions/index-pass-split.md). The application pass is the `messages` run below.
const entries = [
  { name: 'wirescope info (pcap)', cmd: process.execPath, args: [cli, 'info', files.pcap] },
  { name: 'wirescope info (pcapng)', cmd: process.execPath, args: [cli, 'info', files.pcapng] },
  {
    name: 'our reader, counting (pcap)',
    cmd: process.execPath,
    args: [join(helpers, 'count-packets.mjs'), files.pcap],
  },
  {
    name: 'our reader, counting (pcapng)',
    cmd: process.execPath,
    args: [join(helpers, 'count-packets.mjs'), files.pcapng],
  },
  // The application pass (issue #3): every dissector's first pass (TCP analysis and reassembly
  // included), making the application messages of every conversation as it goes
  // (docs/decisions/single-pass-messages.md); as users run it, on a thread per core for a large
  // capture (parallel-messages.md), and on one thread.
  {
    name: 'wirescope messages, application (pcap)',
    cmd: process.execPath,
    args: [cli, 'messages', files.pcap, '--level', 'application'],
  },
  {
    name: 'wirescope messages, application, 1 thread',
    cmd: process.execPath,
    args: [cli, 'messages', files.pcap, '--level', 'application'],
    env: { WIRESCOPE_SHARES: '1' },
  },
  {
    name: 'pcap-parser, counting (pcap)',
    cmd: process.execPath,
    args: [join(root, 'bench', 'pcap-parser-count.mjs'), files.pcap],
  },
];
if (haveTshark) {
  entries.push({
    name: 'tshark -q -z conv,tcp (pcap)',
    cmd: 'tshark',
    args: ['-n', '-q', '-z', 'conv,tcp', '-r', files.pcap],
  });
  entries.push({
    name: 'tshark -T fields -e frame.number (pcap)',
    cmd: 'tshark',
    args: ['-n', '-T', 'fields', '-e', 'frame.number', '-r', files.pcap],
  });
} else {
  note(withTshark ? 'tshark is not installed: its rows are left out' : '--no-tshark: tshark rows left out');
}
const res = paired(entries);
const by = Object.fromEntries(res.map((r) => [r.name, r]));

say(
  `${'measurement'.padEnd(42)}${'median s'.padStart(10)}${'packets/s'.padStart(14)}${'peak RSS'.padStart(12)}`,
);
for (const r of res)
  say(
    `${r.name.padEnd(42)}${fmt(r.wall, 3).padStart(10)}${fmt(packets / r.wall).padStart(14)}${mib(r.rss).padStart(12)}`,
  );
say();

const ours = by['wirescope info (pcap)'];
const ng = by['wirescope info (pcapng)'];
try {
  const j = JSON.parse(run(process.execPath, [cli, 'info', '--json', files.pcap]));
  say(
    `index pass result: ${fmt(j.packets)} packets, ${fmt(j.tcpStreams)} TCP streams, ${fmt(j.udpConversations)} UDP conversations, ${fmt(j.malformedPackets)} malformed`,
  );
} catch {
  say('index pass result: (info --json did not parse)');
}
const lines = [];
const target = (label, value, goal, ok) =>
  lines.push(`${label.padEnd(52)}${value.padStart(12)}   target ${goal}${ok ? '' : '   (missed)'}`);
if (haveTshark) {
  const conv = by['tshark -q -z conv,tcp (pcap)'];
  const tf = by['tshark -T fields -e frame.number (pcap)'];
  target(
    'tshark conv,tcp time / wirescope info time',
    `${fmt(conv.wall / ours.wall, 1)}×`,
    '≥ 15×',
    conv.wall / ours.wall >= 15,
  );
  lines.push(
    `${'tshark -T fields time / wirescope info time'.padEnd(52)}${`${fmt(tf.wall / ours.wall, 1)}×`.padStart(12)}`,
  );
  const app = by['wirescope messages, application (pcap)'];
  const one = by['wirescope messages, application, 1 thread'];
  target(
    `tshark conv,tcp time / wirescope application pass (${availableParallelism()} cores)`,
    `${fmt(conv.wall / app.wall, 1)}×`,
    '≥ 2×',
    conv.wall / app.wall >= 2,
  );
  lines.push(
    `${'tshark conv,tcp time / application pass, 1 thread'.padEnd(52)}${`${fmt(conv.wall / one.wall, 1)}×`.padStart(12)}`,
  );
}
{
  const app = by['wirescope messages, application (pcap)'];
  const one = by['wirescope messages, application, 1 thread'];
  target('peak RSS of the application pass (pcap)', mib(app.rss), '≤ 300 MiB', app.rss <= 300 * 1048576);
  lines.push(`${'peak RSS of the application pass, 1 thread'.padEnd(52)}${mib(one.rss).padStart(12)}`);
}
target('peak RSS of wirescope info (pcap)', mib(ours.rss), '≤ 150 MiB', ours.rss <= 150 * 1048576);
target(
  'pcapng time / pcap time (wirescope info)',
  `${fmt(ng.wall / ours.wall, 2)}×`,
  '≤ 1.3×',
  ng.wall / ours.wall <= 1.3,
);
const pp = by['pcap-parser, counting (pcap)'];
const rc = by['our reader, counting (pcap)'];
lines.push(
  `${'pcap-parser count time / our reader count time'.padEnd(52)}${`${fmt(pp.wall / rc.wall, 1)}×`.padStart(12)}`,
);
lines.push(
  `${'wirescope info time / our reader count time'.padEnd(52)}${`${fmt(ours.wall / rc.wall, 1)}×`.padStart(12)}   (what dissection + index add to reading)`,
);

note('timing single-frame detail (in-process)');
const dt = JSON.parse(
  run(process.execPath, [join(helpers, 'detail-time.mjs'), files.pcap, '2000'])
    .trim()
    .split('\n')
    .pop(),
);
target(
  'one frame, full detail (read + tree), median',
  `${fmt(dt.detailMedianMs, 3)} ms`,
  '< 1 ms',
  dt.detailMedianMs < 1,
);
lines.push(
  `${'one frame, full detail, 95th percentile'.padEnd(52)}${`${fmt(dt.detailP95Ms, 3)} ms`.padStart(12)}`,
);
lines.push(`${'50 rows (Info etc.), median'.padEnd(52)}${`${fmt(dt.rows50MedianMs, 2)} ms`.padStart(12)}`);
lines.push(
  `${'index columns in memory'.padEnd(52)}${mib(dt.indexBytes).padStart(12)}   (${fmt(dt.indexBytes / dt.packets, 0)} bytes/packet)`,
);

note('opening through the index worker');
const wp = JSON.parse(
  run(process.execPath, [join(helpers, 'worker-probe.mjs'), files.pcap])
    .trim()
    .split('\n')
    .pop(),
);
lines.push(
  `${'worker: first 50 rows available after'.padEnd(52)}${`${fmt(wp.firstRowsMs, 0)} ms`.padStart(12)}   (${fmt(wp.packetsAtFirstRows)} packets indexed by then)`,
);
lines.push(`${'worker: whole index pass'.padEnd(52)}${`${fmt(wp.doneMs, 0)} ms`.padStart(12)}`);

// Display filters (issue #7): the app applies a filter to an opened capture — the index worker
// answers index-field filters from the packet index and dissects only for the others. tshark has
// to read and dissect the file for every filter. Same filter, same file, same frames (checked).
const FILTERS = [
  { text: 'tcp.port == 80', goal: 20 },
  { text: 'ip.addr == 127.0.1.0/24 and tcp.flags.syn == 1', goal: 20 },
  { text: 'http.request.method == "GET"', goal: 2 },
];
note('display filters through the index worker');
const fp = run(
  process.execPath,
  [join(helpers, 'filter-probe.mjs'), files.pcap, String(runs), ...FILTERS.map((f) => f.text)],
  { cwd: root },
)
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
for (const f of FILTERS) {
  const ourRun = fp.find((x) => x.filter === f.text);
  lines.push(
    `${`filter ${f.text}`.slice(0, 51).padEnd(52)}${`${fmt(ourRun.ms, 0)} ms`.padStart(12)}   (${fmt(ourRun.hits)} frames)`,
  );
  if (!haveTshark) continue;
  const times = [];
  let tsharkHits = -1;
  for (let r = 0; r < runs; r++) {
    note(`run ${r + 1}/${runs}: tshark -Y ${f.text}`);
    const m = measure('sh', [
      '-c',
      'tshark -n -r "$1" -Y "$2" -T fields -e frame.number | wc -l',
      'sh',
      files.pcap,
      f.text,
    ]);
    times.push(m.wall);
    tsharkHits = Number(m.stdout.trim());
  }
  const ratio = median(times) / (ourRun.ms / 1000);
  target(
    `  tshark -Y time / ours (${fmt(median(times), 1)} s)`,
    `${fmt(ratio, 1)}×`,
    `≥ ${f.goal}×${tsharkHits === ourRun.hits ? '' : `; FRAMES DIFFER: tshark ${fmt(tsharkHits)}`}`,
    ratio >= f.goal && tsharkHits === ourRun.hits,
  );
}
for (const l of lines) say(l);

if (profile) {
  for (const args of [
    ['info', files.pcap],
    ['messages', files.pcap, '--level', 'application'],
  ]) {
    const what = `wirescope ${args[0]}${args.length > 2 ? ' ' + args.slice(2).join(' ') : ''}`;
    say();
    note(`profiling ${what} (the bundle; samples mapped to source files by its source map)`);
    const p = profileCommand(args);
    say(`CPU profile of \`${what}\` (${fmt(p.total / 1000, 0)} ms sampled; ${relative(root, p.dir)}):`);
    for (const [area, us] of p.areas)
      say(
        `  ${area.padEnd(60)}${fmt(us / 1000, 0).padStart(8)} ms ${fmt((100 * us) / p.total, 1).padStart(6)} %`,
      );
    say('hottest functions (self time):');
    for (const [fn, us] of p.functions) say(`  ${fn.padEnd(80)}${fmt(us / 1000, 0).padStart(8)} ms`);
  }
}

if (withUi) {
  say();
  note('the UI in serve mode, headless Chromium (scripts/bench-ui.mjs)');
  const ui = spawnSync(process.execPath, [join(root, 'scripts', 'bench-ui.mjs'), files.pcap], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  say(ui.status === 0 ? ui.stdout.trimEnd() : `UI: scripts/bench-ui.mjs failed (exit ${ui.status})`);
}

if (withLive) {
  say();
  note('live latency, wire to screen (scripts/bench-live.mjs)');
  const live = spawnSync(
    process.execPath,
    [join(root, 'scripts', 'bench-live.mjs'), '--messages', quick ? '300' : '1000'],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  say(
    live.status === 0 ? live.stdout.trimEnd() : `live: scripts/bench-live.mjs failed (exit ${live.status})`,
  );
}
