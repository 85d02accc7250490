// The diagram animating live, without the lab: serve mode runs in this process so the test can
// open a live capture for the browser's page (PageSession.openLive) from a LiveSource it feeds
// itself, packet by packet with real pauses, from fixture captures. Checked: the Sequence tab
// follows every conversation of a live capture, new arrows and new conversations appear while it
// grows, the playhead stays at the newest arrow, pausing offers "N new — jump to live", and when
// the capture ends the diagram holds exactly the messages of the same file opened whole.
//
// It also measures what the live benchmark measures, with this fake source instead of a wire:
// from the moment a packet's bytes reach the backend to the moment its arrow is drawn
// (globalThis.__wirescopeArrowDrawn, SequenceView.tsx), over 1,000 DNS messages sent 5 ms apart.
// The figures are printed, not asserted (the benchmark owns the target).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexFile, frameReader } from '../../electron/backend/index-file';
import type { PageSession } from '../../electron/backend/backend';
import type { LiveSink } from '../../electron/live/source';
import { startServe, type ServeHandle } from '../../electron/serve/server';
import { PcapngWriter } from '../../shared/capture/pcapng-writer';
import { FrameSource } from '../../shared/index/columns';
import { buildMessages } from '../../shared/messages/messages';
import { tree, until } from './support/app';
import { chromiumMissing, openBrowser, screenshot, type Browser } from './support/browser';
import { fixtures } from './support/captures';
import { repoRoot } from './support/serve';

const pane = (b: Browser) => b.page.getByRole('region', { name: 'Sequence diagram' });
const total = async (b: Browser) => {
  const t = (await pane(b).getByTestId('seq-position').textContent()) ?? '0 / 0';
  return Number(t.split('/')[1]);
};
const step = async (b: Browser) => {
  const t = (await pane(b).getByTestId('seq-position').textContent()) ?? '0 / 0';
  return Number(t.split('/')[0]);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A pcap or pcapng file cut into its header and one chunk per packet (what a helper writes). */
function packetsOf(path: string): { header: Uint8Array; packets: Uint8Array[] } {
  const b = new Uint8Array(readFileSync(path));
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const packets: Uint8Array[] = [];
  if (dv.getUint32(0, true) === 0x0a0d0d0a) {
    // pcapng (little-endian here): the header is every block before the first packet block;
    // after it, each block is one chunk.
    let at = 0;
    let first = -1;
    while (at < b.length) {
      const type = dv.getUint32(at, true);
      const len = dv.getUint32(at + 4, true);
      if (first < 0 && (type === 6 || type === 3 || type === 2)) first = at;
      if (first >= 0) packets.push(b.subarray(at, at + len));
      at += len;
    }
    return { header: b.subarray(0, first), packets };
  }
  const le = dv.getUint32(0, true) === 0xa1b2c3d4 || dv.getUint32(0, true) === 0xa1b23c4d;
  let at = 24;
  while (at + 16 <= b.length) {
    const len = dv.getUint32(at + 8, le);
    packets.push(b.subarray(at, at + 16 + len));
    at += 16 + len;
  }
  return { header: b.subarray(0, 24), packets };
}

/** Ethernet + IPv4 + UDP + a DNS query for `name` from 127.0.0.1:port to 127.0.0.1:53. */
function dnsQuery(id: number, port: number, name: string): Uint8Array {
  const q: number[] = [id >> 8, id & 255, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
  for (const part of name.split('.')) q.push(part.length, ...[...part].map((c) => c.charCodeAt(0)));
  q.push(0, 0, 1, 0, 1);
  const udpLen = 8 + q.length;
  const ipLen = 20 + udpLen;
  const ip = [0x45, 0, ipLen >> 8, ipLen & 255, 0, 0, 0x40, 0, 64, 17, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1];
  let sum = 0;
  for (let k = 0; k < 20; k += 2) sum += (ip[k] << 8) | ip[k + 1];
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  ip[10] = (~sum >> 8) & 255;
  ip[11] = ~sum & 255;
  const udp = [port >> 8, port & 255, 0, 53, udpLen >> 8, udpLen & 255, 0, 0];
  return new Uint8Array([...new Array(12).fill(0), 8, 0, ...ip, ...udp, ...q]);
}

interface Fed {
  sink: LiveSink | null;
  /** When each frame's bytes were handed to the backend (Date.now()). */
  sentAt: number[];
}

describe.skipIf(!!chromiumMissing)(`sequence diagram of a live capture ${chromiumMissing}`, () => {
  let serve: ServeHandle;
  let b: Browser;
  const pages: PageSession[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'wirescope-live-e2e-'));
  const web = join(dir, 'web');

  beforeAll(async () => {
    // The renderer as shipped: a production build (vitest's NODE_ENV=test would give React's
    // development build, several times slower to render, and its DEV/MODE variables leak into a
    // child's build), into this test's own folder.
    const built = spawnSync(
      process.execPath,
      [
        join(repoRoot, 'node_modules/vite/bin/vite.js'),
        'build',
        '--outDir',
        web,
        '--emptyOutDir',
        '--logLevel',
        'warn',
      ],
      {
        cwd: repoRoot,
        encoding: 'utf8',
        timeout: 240_000,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production' },
      },
    );
    if (built.status !== 0) throw new Error(`vite build failed:\n${built.stdout}${built.stderr}`);
    serve = await startServe({
      root: web,
      version: 'test',
      backend: { uploadDir: dir },
    });
    const connect = serve.backend.connect.bind(serve.backend);
    serve.backend.connect = (sink) => {
      const p = connect(sink);
      pages.push(p);
      return p;
    };
    b = await openBrowser(serve.url, { width: 1600, height: 900 });
    await until(
      async () => pages.length,
      (n) => n === 1,
      'the page to connect',
    );
  }, 300_000);
  afterAll(async () => {
    await b?.close();
    await serve?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function openLive(name: string): Promise<Fed & { id: string }> {
    const fed: Fed = { sink: null, sentAt: [] };
    const info = await pages[0].openLive(
      {
        label: name,
        start: async (s) => {
          fed.sink = s;
        },
        stop: async () => fed.sink?.end(null),
      },
      name,
      { mode: 'tap', iface: 'tap', filter: '' },
    );
    return Object.assign(fed, { id: info.id });
  }

  it('follows every conversation as the capture grows; pause → “N new — jump to live”', async () => {
    const file = join(fixtures, 'cli/web.pcapng');
    const { header, packets } = packetsOf(file);
    const live = await openLive('Loopback: lo (web)');
    live.sink!.data(header);
    await b.page.getByRole('tab', { name: 'Sequence' }).click();
    // One arrow per segment: every packet fed adds one.
    await pane(b).getByRole('button', { name: 'Transport', exact: true }).click();
    await b.page.evaluate(() => {
      (globalThis as { __wirescopeMeasure?: boolean }).__wirescopeMeasure = true;
    });
    // The first conversation (its first ten packets), then a pause.
    for (const p of packets.slice(0, 10)) {
      live.sink!.data(p);
      await sleep(40);
    }
    await until(
      () => pane(b).getByTestId('seq-live').isVisible(),
      (v) => v,
      'the live badge',
    );
    await until(
      () => total(b),
      (n) => n > 0,
      'the first arrows',
    );
    const early = await total(b);
    const picker = pane(b).getByRole('button', { name: /^Choose conversations/ });
    expect(await picker.textContent()).toMatch(/^All conversations \(1\)/);
    await screenshot(b.page, 'sequence-live-early');
    // The rest, one packet every 60 ms: more arrows and a second conversation appear while it runs.
    for (const p of packets.slice(10, 25)) {
      live.sink!.data(p);
      await sleep(60);
    }
    await until(
      () => total(b),
      (n) => n > early,
      'new arrows',
    );
    await until(
      () => picker.textContent(),
      (t) => /^All conversations \([2-9]\)/.test(t ?? ''),
      'the new conversation',
    );
    // The playhead is at the newest arrow (it animates in; allow it to arrive).
    await until(
      async () => [await step(b), await total(b)],
      ([s, n]) => s === n,
      'the playhead at the newest arrow',
    );
    // The list and the details follow the playhead: the newest packet (frame 25) is selected.
    await until(
      () => tree(b.page).getAttribute('aria-label'),
      (l) => l === 'Layers and fields of packet 25',
      'the newest packet selected',
    );
    await screenshot(b.page, 'sequence-live-following');

    // The person pauses (the clock is at rest, so pausing = stepping back): new arrows no longer move it.
    await pane(b).getByRole('button', { name: 'Step back' }).click();
    const held = await step(b);
    const before = await total(b);
    for (const p of packets.slice(25)) {
      live.sink!.data(p);
      await sleep(30);
    }
    const chip = pane(b).getByTestId('seq-jump-live');
    await until(
      () => chip.textContent(),
      (t) => /^\d+ new — jump to live$/.test(t ?? '') && Number((t ?? '0').split(' ')[0]) > before - held,
      'the jump-to-live chip',
    );
    expect(await step(b)).toBe(held);
    await screenshot(b.page, 'sequence-live-paused');
    await chip.click();
    await until(
      async () => [await step(b), await total(b)],
      ([s, n]) => s === n,
      'back at live',
    );
    expect(await chip.count()).toBe(0);

    // The capture ends: the diagram holds what the file opened whole gives, at the same level.
    live.sink!.end(null);
    await until(
      () => pane(b).getByTestId('seq-live').count(),
      (n) => n === 0,
      'the live badge gone',
    );
    const cap = await indexFile(file);
    const ff = frameReader(file, cap.index);
    const want = buildMessages(new FrameSource(cap.engine, cap.session, cap.index, ff.read), {
      levels: ['transport'],
    });
    ff.close();
    await until(
      () => total(b),
      (n) => n === want.messages.length,
      `${want.messages.length} transport messages`,
    );
    const drawn = await b.page.evaluate(() => [
      ...((globalThis as { __wirescopeArrowDrawn?: Map<number, number> }).__wirescopeArrowDrawn?.keys() ??
        []),
    ]);
    // Every message's frame had its arrow drawn (and timed) at some point.
    expect(new Set(drawn)).toEqual(new Set(want.messages.map((m) => m.frame)));
    expect(b.errors).toEqual([]);
  });

  it('1,000 DNS queries 5 ms apart: all counted, the newest drawn as it comes; latency printed', async () => {
    const w = new PcapngWriter({ application: 'test' });
    const iface = { linktype: 1, tsPerSecond: 1e6, name: 'lo' };
    const N = 1000;
    const live = await openLive('Loopback: lo (dns)');
    await b.page.getByRole('tab', { name: 'Sequence' }).click();
    await b.page.evaluate(() => {
      const g = globalThis as { __wirescopeMeasure?: boolean; __wirescopeArrowDrawn?: Map<number, number> };
      g.__wirescopeMeasure = true;
      g.__wirescopeArrowDrawn = new Map();
    });
    await until(
      () =>
        pane(b)
          .getByRole('button', { name: /^Choose conversations/ })
          .textContent(),
      (t) => /^All conversations \(0\)/.test(t ?? ''),
      'the new live capture diagrammed',
    );
    live.sink!.data(w.header());
    for (let k = 0; k < N; k++) {
      const now = Date.now();
      const blocks = w.packet('0', iface, {
        tsSec: Math.floor(now / 1000),
        tsNsec: (now % 1000) * 1e6,
        data: dnsQuery(k, 40000 + (k % 50), `host${k}.example.com`),
      });
      const one = new Uint8Array(blocks.reduce((n, x) => n + x.length, 0));
      let at = 0;
      for (const x of blocks) {
        one.set(x, at);
        at += x.length;
      }
      live.sentAt.push(Date.now());
      live.sink!.data(one);
      await sleep(5);
    }
    await until(
      () => total(b),
      (n) => n === N,
      `${N} arrows`,
      60_000,
    );
    await sleep(300);
    const drawn = new Map<number, number>(
      await b.page.evaluate(() => [
        ...((globalThis as { __wirescopeArrowDrawn?: Map<number, number> }).__wirescopeArrowDrawn ??
          new Map()),
      ]),
    );
    await screenshot(b.page, 'sequence-live-dns-1000');
    live.sink!.end(null);
    const lat: number[] = [];
    for (let f = 1; f <= N; f++) if (drawn.has(f)) lat.push(drawn.get(f)! - live.sentAt[f - 1]);
    lat.sort((x, y) => x - y);
    const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
    console.log(
      `live diagram, ${N} DNS queries 5 ms apart, backend→arrow drawn: ${lat.length} arrows timed, p50 ${q(0.5).toFixed(0)} ms, p95 ${q(0.95).toFixed(0)} ms, max ${lat.at(-1)!.toFixed(0)} ms`,
    );
    // The playhead followed the newest arrows, so the last one was drawn (and timed) as it came.
    expect(drawn.has(N)).toBe(true);
    expect(lat.length).toBeGreaterThan(N / 2);
    expect(b.errors).toEqual([]);
  }, 120_000);
});
