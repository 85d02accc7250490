#!/usr/bin/env node
// The UI half of `npm run bench`: a big capture in serve mode, in Debian's headless Chromium.
// Reports numbers and their targets; asserts nothing (DESIGN.md, "Performance principles").
//
//   node scripts/bench-ui.mjs [FILE] [--runs N] [--frames N]
//
// FILE defaults to bench/data/big-1000000.pcap (scripts/bench.mjs makes it). Measured:
// - time to first rows: a fresh page opens the address; serve opens the command-line capture for
//   it as its socket connects (the first page adopts the one opened at launch, so a first page
//   warms up and is closed). In the page's own clock: from the socket opening (the capture
//   opening) to the first packet row drawn with its cells; the page load before it is reported
//   beside. Median of --runs pages.
// - scrolling, once the whole file is indexed: the packet list dragged from top to bottom in
//   --frames animation frames (each frame a new window of rows to fetch and draw), then a wheel-
//   like scroll (four rows a frame) through the middle; frame time = the interval between
//   requestAnimationFrame callbacks, p50/p95/max. Those intervals are whole 60 Hz frames
//   (16.67 ms, 33.3 ms when one is dropped…) give or take timestamp jitter, so the p95 target
//   is met when the p95 frame was not dropped (within 1 ms of 16.7); the share of dropped frames
//   (intervals over 1.5 frames) is reported beside.
import { startServe } from './serve-child.mjs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Math.max(1, Number(argv[i + 1]) || fallback) : fallback;
};
const runs = opt('--runs', 3);
const frames = opt('--frames', 600);
const file = resolve(
  argv.find((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--')) ??
    join(root, 'bench/data/big-1000000.pcap'),
);
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const VIEWPORT = { width: 1600, height: 900 };

const say = (s = '') => process.stdout.write(s + '\n');
const note = (s) => process.stderr.write(`bench-ui: ${s}\n`);
const fmt = (n, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

if (!existsSync(chromiumPath)) {
  say(
    `UI: skipped — Chromium is not installed at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`,
  );
  process.exit(0);
}
if (!existsSync(file)) {
  note(`${file} does not exist (npm run bench makes bench/data/big-1000000.pcap)`);
  process.exit(1);
}

// The same build `npm run serve` makes (skipped when nothing changed).
const built = spawnSync(process.execPath, [join(root, 'scripts/serve.mjs'), '--build-only'], {
  cwd: root,
  encoding: 'utf8',
});
if (built.status !== 0) {
  note(`building serve mode failed: ${(built.stderr || built.stdout).trim()}`);
  process.exit(1);
}

const { chromium } = await import('playwright-core');

// Records, in the page's own clock (ms from navigation start), when the socket to the backend
// opened, when the list first knew it had packets, and when the first packet row was drawn.
const FIRST_ROW_PROBE = () => {
  const Socket = window.WebSocket;
  window.WebSocket = class extends Socket {
    constructor(...args) {
      super(...args);
      this.addEventListener('open', () => (window.__wsOpenAt ??= performance.now()), { once: true });
    }
  };
  const done = () => {
    const grid = document.querySelector('[role=grid]');
    if (grid && Number(grid.getAttribute('aria-rowcount')) > 0) window.__rowCountAt ??= performance.now();
    const row = document.querySelector(
      '[role=grid] [role=row][aria-rowindex]:not([aria-busy]) [role=gridcell]',
    );
    if (row && row.textContent) {
      window.__firstRowAt = performance.now();
      return true;
    }
    return false;
  };
  const mo = new MutationObserver(() => {
    if (done()) mo.disconnect();
  });
  document.addEventListener('DOMContentLoaded', () =>
    mo.observe(document.body, { childList: true, subtree: true, attributes: true }),
  );
};

async function openPage(context, url) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.addInitScript(FIRST_ROW_PROBE);
  await page.goto(url);
  await page.waitForFunction(() => typeof window.__firstRowAt === 'number', null, {
    timeout: 60_000,
    polling: 10,
  });
  const t = await page.evaluate(() => ({
    dcl: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd ?? NaN,
    ws: window.__wsOpenAt ?? NaN,
    count: window.__rowCountAt ?? NaN,
    first: window.__firstRowAt,
  }));
  return { page, errors, firstRowMs: t.first, phases: t };
}

// Scrolls `.packet-body` by `step(i)` for `n` frames; returns the rAF intervals in ms.
async function scrollFrames(page, mode, n) {
  return page.evaluate(
    ({ mode, n }) =>
      new Promise((resolve) => {
        const el = document.querySelector('[role=grid] .packet-body');
        const max = el.scrollHeight - el.clientHeight;
        const row =
          document.querySelector('[role=grid] .packet-spacer > [role=row]')?.getBoundingClientRect().height ||
          24;
        const start = mode === 'drag' ? 0 : Math.floor(max / 2);
        el.scrollTop = start;
        const times = [];
        let i = 0;
        const tick = (t) => {
          times.push(t);
          if (i >= n) {
            const busy = document.querySelectorAll('[role=grid] [role=row][aria-busy]').length;
            resolve({ times, busy, max, end: el.scrollTop });
            return;
          }
          i++;
          el.scrollTop = mode === 'drag' ? Math.round((i / n) * max) : start + i * 4 * row;
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    { mode, n },
  );
}

async function waitFilled(page) {
  const t0 = Date.now();
  await page.waitForFunction(
    () => document.querySelectorAll('[role=grid] [role=row][aria-busy]').length === 0,
    null,
    {
      timeout: 60_000,
      polling: 'raf',
    },
  );
  return Date.now() - t0;
}

const loadAtStart = loadavg();
const profile = mkdtempSync(join(tmpdir(), 'wirescope-bench-ui-'));
const served = startServe(root, [file]);
let context;
try {
  const url = await served.url;
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: VIEWPORT,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
  for (const p of context.pages()) await p.close();
  const version = spawnSync(chromiumPath, ['--version'], { encoding: 'utf8' }).stdout.trim();

  // Warm-up page: it adopts the capture serve opened at launch; closing it closes that capture.
  note('warm-up page');
  const warm = await openPage(context, url);
  await warm.page.close();

  const firsts = [];
  const phases = [];
  let last = null;
  for (let r = 0; r < runs; r++) {
    note(`page ${r + 1}/${runs}: open, time to first rows`);
    const p = await openPage(context, url);
    firsts.push(p.firstRowMs);
    phases.push(p.phases);
    if (r < runs - 1) await p.page.close();
    else last = p;
  }

  note('waiting for the index pass to finish');
  await last.page.getByTestId('status-load').waitFor({ timeout: 300_000 });
  const loadText = (await last.page.getByTestId('status-load').textContent())?.trim() ?? '';
  const total = Number(await last.page.getByRole('grid').getAttribute('aria-rowcount'));
  await last.page.locator('[role=grid] .packet-body').hover();

  note(`scrolling: top to bottom in ${frames} frames`);
  const drag = await scrollFrames(last.page, 'drag', frames);
  const dragFill = await waitFilled(last.page);
  note('scrolling: wheel-like, 4 rows a frame');
  const wheel = await scrollFrames(last.page, 'wheel', Math.min(frames, 600));
  const wheelFill = await waitFilled(last.page);
  const deltas = (t) => t.slice(1).map((x, i) => x - t[i]);
  const d = deltas(drag.times);
  const w = deltas(wheel.times);
  const reachedEnd = Math.abs(drag.end - drag.max) <= 1;

  const line = (label, value, goal = '', ok = true) =>
    say(
      `${label.padEnd(58)}${value.padStart(12)}${goal ? `   target ${goal}${ok ? '' : '   (missed)'}` : ''}`,
    );
  say(
    `UI: serve mode in headless Chromium (${version}), ${VIEWPORT.width}×${VIEWPORT.height}, ${relative(root, file)}: ${fmt(total)} packets`,
  );
  say(
    `load average at the start ${loadAtStart.map((x) => fmt(x, 2)).join(' ')} on ${availableParallelism()} cores (other work on the machine slows both figures)`,
  );
  const open = phases.map((p) => p.first - p.ws);
  line(
    `time to first rows (capture opened → first row drawn), median of ${runs}`,
    `${fmt(median(open), 0)} ms`,
    '≤ 200 ms',
    median(open) <= 200,
  );
  line('  each page', open.map((x) => fmt(x, 0)).join(', ') + ' ms');
  const ph = (k) => fmt(median(phases.map((p) => p[k] - p.ws)), 0);
  line('  packet count known in the page, after opening (median)', `${ph('count')} ms`);
  line('  whole page: navigation → first row (median)', `${fmt(median(firsts), 0)} ms`);
  line(
    '  of which page loaded / socket open (medians)',
    `${fmt(median(phases.map((p) => p.dcl)), 0)} / ${fmt(median(phases.map((p) => p.ws)), 0)} ms`,
  );
  line('index pass in the page (status bar)', loadText.replace(/^Load time:\s*/, ''));
  const FRAME = 1000 / 60;
  const met = (xs) => pct(xs, 95) <= 16.7 + 1;
  const dropped = (xs) => `${fmt((100 * xs.filter((x) => x > 1.5 * FRAME).length) / xs.length, 1)} %`;
  line(
    `drag top to bottom (${frames} frames): frame time p95`,
    `${fmt(pct(d, 95), 1)} ms`,
    '≤ 16.7 ms (one 60 Hz frame, ±1 ms jitter)',
    met(d),
  );
  line('  p50 / max; frames dropped', `${fmt(pct(d, 50), 1)} / ${fmt(Math.max(...d), 1)} ms; ${dropped(d)}`);
  line('  reached the last row; rows then still loading', `${reachedEnd ? 'yes' : 'no'}; ${drag.busy}`);
  line('  last screen filled after', `${fmt(dragFill)} ms`);
  line(
    `wheel-like (4 rows a frame, ${w.length} frames): frame time p95`,
    `${fmt(pct(w, 95), 1)} ms`,
    '≤ 16.7 ms (one 60 Hz frame, ±1 ms jitter)',
    met(w),
  );
  line('  p50 / max; frames dropped', `${fmt(pct(w, 50), 1)} / ${fmt(Math.max(...w), 1)} ms; ${dropped(w)}`);
  line('  last screen filled after', `${fmt(wheelFill)} ms`);
  if (last.errors.length) say(`page errors: ${last.errors.join(' | ')}`);
} finally {
  await context?.close().catch(() => {});
  served.child.kill('SIGTERM');
  rmSync(profile, { recursive: true, force: true });
}
