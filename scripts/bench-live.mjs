#!/usr/bin/env node
// Live latency, wire to screen (issue #6): the WebSocket lab in serve mode, in Debian's headless
// Chromium, sends --messages text messages (typed into the lab's form and sent, as a person
// does, a few milliseconds apart); for every WebSocket frame whose arrow the diagram draws, the
// time from the frame's capture timestamp to the moment the arrow was first painted. Reports p50
// and p95 per mode and the target (p95 ≤ 100 ms); asserts nothing. Not a test.
//
//   node scripts/bench-live.mjs [--messages N] [--gap MS] [--modes tap,capture]
//
// Modes: tap always; capture (dumpcap on lo) only as root or with capture rights (the lab's own
// mode choice says whether it is offered).
//
// Measured how:
// - draw times: the diagram records, when `globalThis.__wirescopeMeasure === true`, the first paint
//   of each frame's arrow in `globalThis.__wirescopeArrowDrawn: Map<frame, epoch ms>` (a
//   requestAnimationFrame after the commit; performance.timeOrigin + performance.now()).
// - capture timestamps: the lab's capture saved with "Save as pcapng" (capture.export) and read
//   by tshark (frame.time_epoch of the frames with a WebSocket layer). Same machine, same clock.
import { startServe } from './serve-child.mjs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : fallback;
};
const messages = Math.max(1, Number(opt('--messages', 1000)) || 1000);
const gapMs = Math.max(0, Number(opt('--gap', 10)));
const modes = String(opt('--modes', 'tap,capture')).split(',');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TARGET_P95 = 100;

const say = (s = '') => process.stdout.write(s + '\n');
const note = (s) => process.stderr.write(`bench-live: ${s}\n`);
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

if (!existsSync(chromiumPath)) {
  say(`Live latency: skipped — Chromium is not installed at ${chromiumPath}`);
  process.exit(0);
}
const tshark = spawnSync('sh', ['-c', 'command -v tshark'], { encoding: 'utf8' }).stdout.trim();
if (!tshark) {
  say('Live latency: skipped — tshark is not installed (it reads the capture timestamps)');
  process.exit(0);
}

const built = spawnSync(process.execPath, [join(root, 'scripts/serve.mjs'), '--build-only'], {
  cwd: root,
  encoding: 'utf8',
});
if (built.status !== 0) {
  note(`building serve mode failed: ${(built.stderr || built.stdout).trim()}`);
  process.exit(1);
}
const { chromium } = await import('playwright-core');

async function waitFor(fn, what, timeout = 60_000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function runMode(context, url, mode, dir) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(() => {
    globalThis.__wirescopeMeasure = true;
    // When the status bar's live count first reached each value: the page heard capture.progress
    // (splits the latency into wire→event and event→arrow).
    globalThis.__countSeen = [];
    const look = () => {
      const t = document.querySelector('[data-testid=status-live]')?.textContent ?? '';
      const m = /— ([\d,]+) packet/.exec(t);
      if (!m) return;
      const n = Number(m[1].replace(/,/g, ''));
      const seen = globalThis.__countSeen;
      if (!seen.length || seen[seen.length - 1][0] < n)
        seen.push([n, performance.timeOrigin + performance.now()]);
    };
    document.addEventListener('DOMContentLoaded', () =>
      new MutationObserver(look).observe(document.body, {
        childList: true,
        subtree: true,
        characterData: true,
      }),
    );
  });
  await page.goto(url);
  await page.getByRole('main').getByRole('button', { name: 'WebSocket lab', exact: true }).click();
  const labs = page.getByRole('main', { name: 'Labs' });
  const modeRadio = labs.getByRole('radio', { name: mode === 'tap' ? /^Tap/ : /^Capture/ });
  await modeRadio.waitFor();
  if (mode === 'capture') {
    // Until the lab knows whether capture is permitted (the reason says "Checking…" before).
    await waitFor(async () => {
      // allTextContents does not wait: the reason is removed once capture turns out permitted.
      const [reason] = await labs.getByTestId('capture-mode-reason').allTextContents();
      return reason === undefined || !reason.startsWith('Checking');
    }, 'capture access');
    if (await modeRadio.isDisabled()) {
      const [why] = await labs.getByTestId('capture-mode-reason').allTextContents();
      await page.close();
      return { mode, skipped: `capture mode is not permitted here (${why})` };
    }
  }
  await modeRadio.check();
  await labs.getByRole('radio', { name: 'Fast' }).click();
  await labs.getByRole('button', { name: 'Run' }).click();
  const diagram = page.getByRole('region', { name: 'Sequence diagram' });
  await waitFor(
    () => diagram.locator("g.seq-msg-row[data-label='101 Switching Protocols']").count(),
    'the 101 response',
  );
  // Typed and sent from the page, `gap` ms apart: the lab.act of each reaches the lab at once.
  await labs.getByRole('textbox', { name: 'Message' }).waitFor();
  const t0 = Date.now();
  await page.evaluate(
    async ({ n, gap }) => {
      const input = [...document.querySelectorAll('input')].find((i) =>
        i.closest('label')?.textContent?.startsWith('Message'),
      );
      const send = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Send');
      const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      for (let i = 0; i < n; i++) {
        setValue.call(input, `bench ${i}`);
        input.dispatchEvent(new Event('input', { bubbles: true }));
        await new Promise((r) => setTimeout(r, 0));
        send.click();
        await new Promise((r) => setTimeout(r, gap));
      }
    },
    { n: messages, gap: gapMs },
  );
  const sendMs = Date.now() - t0;
  // Until the arrows stop coming (every message and its echo drawn, or nothing new for 5 s).
  let last = -1;
  let still = 0;
  for (;;) {
    const drawn = await page.evaluate(() => globalThis.__wirescopeArrowDrawn?.size ?? 0);
    if (drawn === last) still++;
    else still = 0;
    last = drawn;
    if (drawn >= messages * 2 + 2 || still >= 50) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const drawn = new Map(await page.evaluate(() => [...(globalThis.__wirescopeArrowDrawn ?? new Map())]));
  const counts = await page.evaluate(() => globalThis.__countSeen);
  // Stop the lab, then save its capture for the timestamps.
  await labs
    .getByRole('button', { name: 'Stop', exact: true })
    .click()
    .catch(() => undefined);
  await page.getByRole('button', { name: 'Show packets' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 60_000 }),
    page.getByRole('toolbar').getByRole('button', { name: 'Save as pcapng…' }).click(),
  ]);
  const file = join(dir, `${mode}.pcapng`);
  await download.saveAs(file);
  const rows = spawnSync(
    tshark,
    ['-n', '-r', file, '-Y', 'websocket', '-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_epoch'],
    {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    },
  )
    .stdout.trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'));
  const lat = [];
  const toEvent = [];
  for (const [num, epoch] of rows) {
    const at = drawn.get(Number(num));
    if (at === undefined) continue;
    const wire = Number(epoch) * 1000;
    lat.push(at - wire);
    const heard = counts.find(([n]) => n >= Number(num));
    if (heard) toEvent.push(heard[1] - wire);
  }
  await page.close();
  return { mode, frames: rows.length, drawn: lat.length, sendMs, lat, toEvent, errors };
}

const { child, url: urlP } = startServe(root);
const dir = mkdtempSync(join(tmpdir(), 'wirescope-bench-live-'));
const profile = mkdtempSync(join(tmpdir(), 'wirescope-bench-live-profile-'));
let context;
try {
  const url = await urlP;
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1920, height: 1080 },
    acceptDownloads: true,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--no-first-run'],
  });
  say(
    `Live latency, wire to screen: WebSocket lab, ${messages} messages ${gapMs} ms apart, serve mode, Chromium 1920×1080`,
  );
  say(`target: p95 ≤ ${TARGET_P95} ms`);
  for (const mode of modes) {
    const r = await runMode(context, url, mode, dir).catch((e) => ({ mode, failed: e.message }));
    if (r.skipped) say(`  ${mode}: skipped — ${r.skipped}`);
    else if (r.failed) say(`  ${mode}: failed — ${r.failed}`);
    else if (!r.lat.length)
      say(`  ${mode}: no arrow of the ${r.frames} WebSocket frames was recorded as drawn`);
    else {
      const p50 = pct(r.lat, 50);
      const p95 = pct(r.lat, 95);
      say(
        `  ${mode.padEnd(8)} p50 ${p50.toFixed(1)} ms  p95 ${p95.toFixed(1)} ms  max ${Math.max(...r.lat).toFixed(1)} ms` +
          `  (${r.drawn} of ${r.frames} WebSocket frames drawn; sent in ${(r.sendMs / 1000).toFixed(1)} s)` +
          `  ${p95 <= TARGET_P95 ? 'meets' : 'misses'} the target`,
      );
      if (r.toEvent.length)
        say(
          `           of which wire → page heard the packet (status bar count): p50 ${pct(r.toEvent, 50).toFixed(1)} ms  p95 ${pct(r.toEvent, 95).toFixed(1)} ms`,
        );
      if (r.errors.length) say(`    page errors: ${r.errors.slice(0, 3).join(' | ')}`);
    }
  }
} finally {
  await context?.close().catch(() => undefined);
  child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
}
