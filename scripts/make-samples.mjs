// Remakes resources/samples/: the labs run headless through the CLI (`wirescope lab … -w`) over
// loopback, so a class without capture rights can still replay every lab from real traffic.
//   node scripts/make-samples.mjs [--only NAME]
// The tap samples always run; the capture-helper ones need capture rights (dumpcap/tcpdump may
// open lo) and are kept as they were, with a note, when this machine does not grant them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'resources/samples');
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;

const SAMPLES = [
  {
    name: 'websocket-lab.pcapng',
    title: 'WebSocket lab (captured on loopback)',
    description:
      'A ws client and server on 127.0.0.1 captured by dumpcap on lo: the TCP handshake, GET /chat with Upgrade: websocket and Sec-WebSocket-Key, 101 Switching Protocols with Sec-WebSocket-Accept, two text messages (the second in three fragments), a binary message, a ping and its pong, and a close with code 1000. Client frames are masked, the server’s are not.',
    args: ['websocket', '--messages', '2', '--pace', '250'],
    capture: true,
  },
  {
    name: 'websocket-lab-tap.pcapng',
    title: 'WebSocket lab (through the tap, no privileges)',
    description:
      'The same WebSocket lab run through Wirescope’s tap: the payload bytes and timings are real, the IP and TCP headers are reconstructed (each packet says so in its comment). What a class without capture rights sees.',
    args: ['websocket', '--messages', '2', '--pace', '250', '--tap'],
    capture: false,
  },
  {
    name: 'tcp-vs-udp.pcapng',
    title: 'TCP vs UDP lab',
    description:
      'Ten small messages over TCP (handshake, each message echoed and acknowledged, teardown) and the same ten over UDP (no handshake, no acknowledgements, no teardown), with a relay dropping about 20% of the UDP datagrams as simulated loss. Compare packets, header bytes (TCP 20–60 each, UDP 8) and round trips.',
    args: ['tcp-udp', '--messages', '10', '--loss', '20', '--pace', '50'],
    capture: true,
    tapFallback: true,
  },
];

const build = mkdtempSync(join(tmpdir(), 'wirescope-samples-'));
const built = spawnSync(
  process.execPath,
  [join(root, 'scripts/build-cli.mjs'), '--outdir', build, '--quiet'],
  {
    stdio: 'inherit',
  },
);
if (built.status !== 0) {
  console.error('make-samples: building the CLI failed');
  process.exit(1);
}
const cli = join(build, 'wirescope.mjs');

function runLab(args, file) {
  const r = spawnSync(process.execPath, [cli, 'lab', ...args, '-w', file], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { ok: r.status === 0 && existsSync(file), out: r.stdout ?? '', err: r.stderr ?? '' };
}

const notes = [];
for (const s of SAMPLES) {
  if (only && s.name !== only) continue;
  const target = join(out, s.name);
  const temp = join(build, s.name);
  let r = runLab(s.args, temp);
  let how = s.capture ? 'capture helper' : 'tap';
  if (!r.ok && s.capture && /not permitted|cannot start the capture/.test(r.err) && s.tapFallback) {
    r = runLab([...s.args, '--tap'], temp);
    how = 'tap (capture not permitted here)';
  }
  if (!r.ok) {
    notes.push(
      `${s.name}: not remade (${r.err.trim().split('\n')[0] || 'the lab failed'}); the previous file is kept`,
    );
    continue;
  }
  renameSync(temp, target);
  console.log(`${s.name}: ${statSync(target).size} bytes, ${how}`);
}

// index.json lists every sample whose file is there, in the order above.
const index = SAMPLES.filter((s) => existsSync(join(out, s.name))).map(({ name, title, description }) => ({
  name,
  title,
  description,
}));
const previous = existsSync(join(out, 'index.json')) ? readFileSync(join(out, 'index.json'), 'utf8') : '';
const text = `${JSON.stringify(index, null, 2)}\n`;
if (text !== previous) writeFileSync(join(out, 'index.json'), text);
rmSync(build, { recursive: true, force: true });
for (const n of notes) console.error(`make-samples: ${n}`);
process.exit(notes.length ? 1 : 0);
