import { oneCaptureLabAtATime } from '../../tests/support/live';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type {
  ApiResult,
  CaptureState,
  EventName,
  LabEvent,
  LabInfo,
  LiveAccess,
  PacketRow,
  RowBatch,
} from '../../shared/contract/api';
import { Backend, ApiFailure } from './backend';
import { labHandlers, readSamples, samplesFolder } from './lab-handlers';
import type { PageHost } from './page-host';
import { captureMissing } from '../../tests/labs/support';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'wirescope-lab-handlers-'));
const backends: Backend[] = [];
afterAll(async () => {
  await Promise.all(backends.map((b) => b.close()));
  rmSync(dir, { recursive: true, force: true });
});

function value<T>(r: ApiResult<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

/**
 * A page on a fresh backend that keeps its lab events: `until(test)` resolves once an event passes
 * `test`, `ended` at the first done or error event.
 */
function labPage() {
  const b = new Backend({ shell: 'serve', version: 'test', uploadDir: dir });
  backends.push(b);
  const events: LabEvent[] = [];
  const waiters: { test: (e: LabEvent) => boolean; resolve: () => void }[] = [];
  let done: () => void = () => undefined;
  const ended = new Promise<void>((r) => (done = r));
  const page = b.connect((name: EventName, payload: unknown) => {
    if (name !== 'lab.event') return;
    const e = payload as LabEvent;
    events.push(e);
    for (const w of waiters.splice(0)) {
      if (w.test(e)) w.resolve();
      else waiters.push(w);
    }
    if (e.kind === 'done' || e.kind === 'error') done();
  });
  const until = (test: (e: LabEvent) => boolean) =>
    events.some(test) ? Promise.resolve() : new Promise<void>((res) => waiters.push({ test, resolve: res }));
  return { page, events, until, ended };
}

/** The report of the TCP-vs-UDP lab's last event, which must be `done` with all `n` messages through both ways. */
function doneReport(events: readonly LabEvent[], n: number): NonNullable<LabEvent['report']> {
  const last = events[events.length - 1];
  expect(last.kind).toBe('done');
  const r = last.report!;
  expect([r.tcp.messagesSent, r.tcp.messagesDelivered, r.udp.messagesSent, r.udp.messagesDelivered]).toEqual([
    n,
    n,
    n,
    n,
  ]);
  return r;
}

/** A PageHost that must not be asked to open anything (checks that fail before a lab starts). */
function refusingHost(opened: string[] = []): PageHost {
  return {
    options: { shell: 'serve', version: 'test' },
    openLive: () => Promise.reject(new Error('openLive must not be called')),
    stopLive: async () => undefined,
    capture: () => {
      throw new ApiFailure('not-found', 'none');
    },
    openPath: (path) => {
      opened.push(path);
      return { id: 'c1', name: 'x', size: 0, origin: 'sample' };
    },
    emit: () => undefined,
    onDispose: () => undefined,
  } as PageHost;
}

const denied: LiveAccess = {
  helper: 'dumpcap',
  permitted: false,
  message: 'You may not capture on lo: dumpcap needs rights.',
  grant: ['sudo usermod -aG wireshark you', 'sudo setcap cap_net_raw,cap_net_admin=eip /usr/bin/dumpcap'],
  interfaces: [],
  tap: true,
};

describe('lab handlers: checks before anything runs', () => {
  it('a URL must be ws:// or wss://', async () => {
    const h = labHandlers(refusingHost(), { access: async () => denied });
    await expect(
      h['lab.start']({ lab: 'websocket', mode: 'tap', url: 'https://example.com/' }),
    ).rejects.toMatchObject({
      code: 'bad-input',
      message: expect.stringMatching(/ws:\/\/ or wss:\/\//),
    });
    await expect(h['lab.start']({ lab: 'tcp-udp', mode: 'tap', url: 'ws://x/' })).rejects.toMatchObject({
      code: 'bad-input',
    });
  });

  it('capture mode without capture rights → forbidden, with what to grant and the tap offered', async () => {
    const h = labHandlers(refusingHost(), { access: async () => denied });
    const e = await Promise.resolve()
      .then(() => h['lab.start']({ lab: 'websocket', mode: 'capture' }))
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiFailure);
    expect((e as ApiFailure).code).toBe('forbidden');
    expect((e as ApiFailure).message).toContain('setcap cap_net_raw,cap_net_admin=eip /usr/bin/dumpcap');
    expect((e as ApiFailure).message).toMatch(/use the tap/);
  });

  it('lab.act and lab.stop on an unknown lab → not-found', async () => {
    const h = labHandlers(refusingHost());
    await expect(
      Promise.resolve().then(() => h['lab.act']({ lab: 'lab-999', action: 'ping' })),
    ).rejects.toMatchObject({ code: 'not-found' });
    await expect(Promise.resolve().then(() => h['lab.stop']({ lab: 'lab-999' }))).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});

describe('samples', () => {
  it('lists index.json entries whose file exists, and opens only listed names', async () => {
    const folder = join(dir, 'samples');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a.pcapng'), '');
    writeFileSync(
      join(folder, 'index.json'),
      JSON.stringify([
        { name: 'a.pcapng', title: 'A', description: 'the a sample' },
        { name: 'missing.pcapng', title: 'M', description: 'no file' },
        { name: '../etc/passwd', title: 'P', description: 'a path' },
        { name: 'b.pcapng' },
      ]),
    );
    const opened: string[] = [];
    const h = labHandlers(refusingHost(opened), { samples: folder });
    expect(await h['samples.list']()).toEqual([
      { name: 'a.pcapng', title: 'A', description: 'the a sample' },
    ]);
    await h['samples.open']({ name: 'a.pcapng' });
    expect(opened).toEqual([join(folder, 'a.pcapng')]);
    expect(() => h['samples.open']({ name: '../etc/passwd' })).toThrow(/No sample named/);
    expect(() => h['samples.open']({ name: 'missing.pcapng' })).toThrow(/No sample named/);
  });

  it('finds resources/samples from the sources, and every shipped sample has its file', () => {
    const f = samplesFolder();
    expect(f).toBe(join(root, 'resources/samples'));
    const list = readSamples(f);
    expect(list.map((s) => s.name)).toEqual(
      expect.arrayContaining(['websocket-lab-tap.pcapng', 'tcp-vs-udp.pcapng']),
    );
    for (const s of list) expect(s.title.length * s.description.length).toBeGreaterThan(0);
  });

  it('finds resources/samples from a bundle folder two levels down (out/main, out/serve, out/cli)', () => {
    const fake = join(dir, 'app');
    mkdirSync(join(fake, 'resources/samples'), { recursive: true });
    mkdirSync(join(fake, 'out/serve'), { recursive: true });
    copyFileSync(join(root, 'resources/samples/index.json'), join(fake, 'resources/samples/index.json'));
    expect(samplesFolder(join(fake, 'out/serve'))).toBe(join(fake, 'resources/samples'));
    // The index is there but none of its files: nothing is listed.
    expect(readSamples(join(fake, 'resources/samples'))).toEqual([]);
  });
});

describe('samples through the real backend (serve mode)', () => {
  it('lists the shipped samples and opens one by name: its packets are indexed like a file', async () => {
    const b = new Backend({ shell: 'serve', version: 'test', uploadDir: dir });
    backends.push(b);
    const page = b.connect(() => undefined);
    const list = value<{ name: string }[]>(await page.dispatch('samples.list', undefined));
    expect(list.map((s) => s.name)).toContain('websocket-lab-tap.pcapng');
    const info = value<{ id: string; origin: string; name: string }>(
      await page.dispatch('samples.open', { name: 'websocket-lab-tap.pcapng' }),
    );
    expect(info).toMatchObject({ origin: 'sample', name: 'websocket-lab-tap.pcapng' });
    let state: CaptureState;
    for (;;) {
      state = value<CaptureState>(await page.dispatch('capture.state', { capture: info.id }));
      if (state.phase !== 'indexing') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(state.phase).toBe('done');
    const rows = value<RowBatch>(
      await page.dispatch('packets.rows', { capture: info.id, from: 0, count: 100 }),
    );
    expect(rows.rows.map((r: PacketRow) => r.info).join('\n')).toMatch(/101 Switching Protocols/);
    expect(await page.dispatch('samples.open', { name: '../../etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });
});

describe('a lab through the real backend (tap mode: no privileges needed)', () => {
  it('starts, captions the handshake, sends what the page asks, closes; the capture holds the packets', async () => {
    const { page, events, until } = labPage();
    const info = value<LabInfo>(
      await page.dispatch('lab.start', { lab: 'websocket', mode: 'tap', paceMs: 0 }),
    );
    expect(info).toMatchObject({
      kind: 'websocket',
      mode: 'tap',
      target: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
    });
    expect(info.capture.live).toMatchObject({ mode: 'tap', iface: 'tap', lab: info.lab });
    await until((e) => /^Upgraded/.test(e.text));
    value(
      await page.dispatch('lab.act', {
        lab: info.lab,
        action: 'text',
        text: 'typed by the page',
        fragments: 2,
      }),
    );
    await until((e) => e.kind === 'received' && /client ← text “typed by the page”/.test(e.text));
    const bad = await page.dispatch('lab.act', { lab: info.lab, action: 'binary', hex: 'xyz' });
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'bad-input', message: expect.stringMatching(/not hex bytes/) },
    });
    value(await page.dispatch('lab.act', { lab: info.lab, action: 'close', code: 1000, reason: 'bye' }));
    await until((e) => e.kind === 'done');
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.every((e) => e.lab === info.lab)).toBe(true);
    // The capture ends with the lab, and holds the exchange.
    let state: CaptureState;
    for (;;) {
      state = value<CaptureState>(await page.dispatch('capture.state', { capture: info.capture.id }));
      if (state.phase !== 'indexing') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(state.live?.running).toBe(false);
    const rows = value<RowBatch>(
      await page.dispatch('packets.rows', { capture: info.capture.id, from: 0, count: 100 }),
    );
    const infoCol = rows.rows.map((r: PacketRow) => r.info).join('\n');
    expect(infoCol).toMatch(/GET \/chat HTTP\/1\.1/);
    expect(rows.total).toBeGreaterThanOrEqual(15);
    // Stopping a lab that ended by itself is not an error.
    expect(await page.dispatch('lab.stop', { lab: info.lab })).toMatchObject({ ok: true });
  }, 30_000);

  it('TCP vs UDP in the app: the done event carries the report measured from the page’s own capture', async () => {
    const { page, events, ended: finished } = labPage();
    const info = value<LabInfo>(
      await page.dispatch('lab.start', { lab: 'tcp-udp', mode: 'tap', messages: 4 }),
    );
    expect(info.kind).toBe('tcp-udp');
    await finished;
    const r = doneReport(events, 4);
    // TCP headers are 20–60 bytes (the tap's SYNs carry an MSS option); SYN, SYN-ACK, ACKs, FINs are control packets.
    expect(r.tcp.headerBytes).toBeGreaterThanOrEqual(20 * r.tcp.packets);
    expect(r.tcp.headerBytes).toBeLessThanOrEqual(60 * r.tcp.packets);
    expect(r.tcp.controlPackets).toBeGreaterThanOrEqual(6);
    expect(r.udp).toMatchObject({ packets: 8, headerBytes: 64, controlPackets: 0, lost: 0, roundTrips: 4 });
    expect(r.tcp.roundTrips).toBe(6);
    // The report's packets are the capture's packets.
    const rows = value<RowBatch>(
      await page.dispatch('packets.rows', { capture: info.capture.id, from: 0, count: 200 }),
    );
    expect(rows.total).toBe(r.tcp.packets + r.udp.packets);
    // The lab ended by itself: acting on it says so.
    expect(await page.dispatch('lab.act', { lab: info.lab, action: 'ping' })).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: expect.stringMatching(/has ended/) },
    });
  }, 30_000);

  it('a WebSocket lab started with messages sends them by itself after the handshake', async () => {
    const { page, events } = labPage();
    const info = value<LabInfo>(
      await page.dispatch('lab.start', { lab: 'websocket', mode: 'tap', messages: 2, paceMs: 10 }),
    );
    for (
      let i = 0;
      i < 200 && events.filter((e) => e.kind === 'received' && e.text.startsWith('client ←')).length < 2;
      i++
    )
      await new Promise((r) => setTimeout(r, 20));
    const sent = events.filter((e) => e.kind === 'sent').map((e) => e.text);
    expect(sent).toEqual([
      'client → text “Hello, WebSocket! (message 1)” (29 bytes), masked',
      'client → text “Message 2, sent in three fragments” (34 bytes) in 3 frames (FIN=0 … FIN=1), masked',
    ]);
    value(await page.dispatch('lab.stop', { lab: info.lab }));
    expect(events[events.length - 1].kind).toBe('done');
    await page.dispose();
  }, 30_000);

  it.skipIf(!!captureMissing)(
    `capture mode through the real backend: the helper on lo with the lab's filter; the report from its capture${captureMissing ? ` (${captureMissing})` : ''}`,
    // Retried: see oneCaptureLabAtATime in tests/support/live.ts (packets lost under load, cause open).
    { timeout: 60_000 },
    () =>
      oneCaptureLabAtATime(async () => {
        const { page, events, ended: finished } = labPage();
        const info = value<LabInfo>(
          await page.dispatch('lab.start', { lab: 'tcp-udp', mode: 'capture', messages: 3 }),
        );
        expect(info.capture.live).toMatchObject({
          mode: 'capture',
          iface: 'lo',
          helper: expect.stringMatching(/^(dumpcap|tcpdump)$/),
          filter: expect.stringMatching(/^host 127\.0\.0\.1 and \(tcp port \d+ or udp port \d+\)$/),
        });
        await finished;
        const r = doneReport(events, 3);
        expect(r.udp).toMatchObject({ packets: 6, headerBytes: 48, controlPackets: 0 });
        expect(r.tcp.roundTrips).toBe(5);
        const rows = value<RowBatch>(
          await page.dispatch('packets.rows', { capture: info.capture.id, from: 0, count: 200 }),
        );
        expect(rows.total).toBe(r.tcp.packets + r.udp.packets);
      }),
  );
});
