// live.* through a real page: live.start on lo with a port filter, a TCP exchange made here,
// rows arriving through packets.rows while the capture runs, live.stop → capture.finished.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type {
  ApiResult,
  CaptureInfo,
  CaptureState,
  EventName,
  LiveAccess,
  RowBatch,
} from '../../shared/contract/api';
import { findHelper, runningHelpers } from '../live/capture-helper';
import { checkAccess } from '../live/privileges';
import type { PageHost } from './page-host';
import { liveHandlers } from './live-handlers';
import { Backend } from './backend';
import { bounded, loopback, notRoot } from '../../tests/support/live';

const helper = findHelper();
const skip = !helper ? 'neither dumpcap nor tcpdump is installed (apt-get install tshark tcpdump)' : notRoot;

const dir = mkdtempSync(join(tmpdir(), 'wirescope-live-'));
const backends: Backend[] = [];
const { echoServer, exchange, close: closeLoopback } = loopback();

afterAll(async () => {
  await closeLoopback();
  await Promise.all(backends.map((b) => b.close()));
  rmSync(dir, { recursive: true, force: true });
  expect(runningHelpers()).toBe(0);
});

function value<T>(r: ApiResult<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

function page() {
  const b = new Backend({ shell: 'serve', version: 't', uploadDir: dir });
  backends.push(b);
  const events: { name: EventName; payload: unknown }[] = [];
  const p = b.connect((name, payload) => void events.push({ name, payload }));
  const waitEvent = async (name: EventName, ms: number) => {
    const until = Date.now() + ms;
    for (;;) {
      const e = events.find((x) => x.name === name);
      if (e) return e.payload;
      if (Date.now() > until) throw new Error(`no ${name} event within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { p, events, waitEvent };
}

describe.skipIf(!!skip)(`live.* on a page${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('live.access: the helper, permitted, its interfaces with lo', async () => {
    const { p } = page();
    const a = value<LiveAccess>(await p.dispatch('live.access', undefined));
    expect(a).toMatchObject({ helper: helper!.name, permitted: true, message: null, grant: [], tap: true });
    expect(a.interfaces).toContainEqual(expect.objectContaining({ name: 'lo', loopback: true }));
  });

  it('live.start → rows while running → live.stop → capture.finished', async () => {
    const { p, events, waitEvent } = page();
    const port = await echoServer();
    const filter = `tcp port ${port}`;
    const info = value<CaptureInfo>(
      await bounded(p.dispatch('live.start', { iface: 'lo', filter }), 15_000, 'live.start'),
    );
    expect(info.origin).toBe('live');
    expect(info.live).toEqual({ mode: 'capture', iface: 'lo', filter, helper: helper!.name });
    expect(info.name).toMatch(/lo$/);
    await exchange(port, 'GET / live\r\n');

    // Rows arrive while the capture runs.
    const until = Date.now() + 5000;
    let batch: RowBatch;
    for (;;) {
      batch = value<RowBatch>(await p.dispatch('packets.rows', { capture: info.id, from: 0, count: 100 }));
      if (batch.rows.length >= 8 || Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(batch.rows.length).toBeGreaterThanOrEqual(8);
    expect(batch.complete).toBe(false);
    expect(batch.rows[0]).toMatchObject({ number: 1, protocol: 'TCP', src: '127.0.0.1', dst: '127.0.0.1' });
    expect(batch.rows[0].info).toContain('[SYN]');
    expect(batch.rows[0].info).toContain(`→ ${port}`);
    const running = value<CaptureState>(await p.dispatch('capture.state', { capture: info.id }));
    expect(running.live).toEqual({ running: true, problem: null });
    expect(running.phase).toBe('indexing');

    value(await bounded(p.dispatch('live.stop', { capture: info.id }), 10_000, 'live.stop'));
    const fin = (await waitEvent('capture.finished', 10_000)) as CaptureState;
    expect(fin.live).toEqual({ running: false, problem: null });
    expect(fin.phase).toBe('done');
    const changed = events.find((e) => e.name === 'live.changed')?.payload;
    expect(changed).toEqual({ capture: info.id, running: false, problem: null });
    const all = value<RowBatch>(await p.dispatch('packets.rows', { capture: info.id, from: 0, count: 100 }));
    expect(all.complete).toBe(true);
    expect(all.rows.length).toBeGreaterThanOrEqual(batch.rows.length);
    // Stopping again is harmless.
    expect((await p.dispatch('live.stop', { capture: info.id })).ok).toBe(true);
  });

  it('a helper killed mid-capture: live.changed says so, the capture finishes with what was captured', async () => {
    const { p, events, waitEvent } = page();
    const port = await echoServer();
    const info = value<CaptureInfo>(
      await bounded(
        p.dispatch('live.start', { iface: 'lo', filter: `tcp port ${port}` }),
        15_000,
        'live.start',
      ),
    );
    await exchange(port, 'before the kill');
    const until = Date.now() + 5000;
    let rows = 0;
    while (rows < 8 && Date.now() < until) {
      rows = value<RowBatch>(await p.dispatch('packets.rows', { capture: info.id, from: 0, count: 100 })).rows
        .length;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(rows).toBeGreaterThanOrEqual(8);
    // The helper: this test process's child running the helper's executable.
    const pids = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' })
      .stdout.split('\n')
      .map((l) => l.trim())
      .filter((l) => l.split(/\s+/)[1] === helper!.path && l.includes(`tcp port ${port}`))
      .map((l) => Number(l.split(/\s+/)[0]));
    expect(pids).toHaveLength(1);
    process.kill(pids[0], 'SIGKILL');
    const fin = (await waitEvent('capture.finished', 10_000)) as CaptureState;
    const problem = `${helper!.name} stopped on its own: killed by SIGKILL`;
    expect(fin.live).toEqual({ running: false, problem });
    expect(fin.phase).toBe('done');
    expect(events.find((e) => e.name === 'live.changed')?.payload).toEqual({
      capture: info.id,
      running: false,
      problem,
    });
    const all = value<RowBatch>(await p.dispatch('packets.rows', { capture: info.id, from: 0, count: 100 }));
    expect(all.complete).toBe(true);
    expect(all.rows.length).toBeGreaterThanOrEqual(rows);
    expect(all.rows[0].info).toContain('[SYN]');
  });

  it('live.start refuses an unknown interface and a bad filter, in plain words', async () => {
    const { p } = page();
    const r1 = await p.dispatch('live.start', { iface: 'nosuch0' });
    expect(r1).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(!r1.ok && r1.error.message).toMatch(
      /There is no interface "nosuch0" to capture on \(.* lists .*lo/,
    );
    const r2 = await bounded(
      p.dispatch('live.start', { iface: 'lo', filter: 'tcp prot 80' }),
      15_000,
      'live.start',
    );
    expect(r2).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(!r2.ok && r2.error.message).toMatch(/capture filter "tcp prot 80" is not valid/);
  });
});

describe.skipIf(!!skip)(`live.start without rights${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it("refuses with 'forbidden' and what to grant, before starting anything (rights checked as nobody)", async () => {
    let opened = 0;
    const host = {
      openLive: () => {
        opened++;
        throw new Error('must not be reached');
      },
    } as unknown as PageHost;
    const h = liveHandlers(host, () => checkAccess({ user: { uid: 65534, gid: 65534 }, fresh: true }));
    const a = await h['live.access'](undefined);
    expect(a).toMatchObject({ permitted: false, tap: true });
    const e = await Promise.resolve(h['live.start']({ iface: 'lo' })).then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toMatchObject({ code: 'forbidden' });
    expect((e as Error).message).toBe(a.message);
    expect(a.message).toContain(`sudo setcap cap_net_raw,cap_net_admin=eip ${helper!.path}`);
    expect(a.message).toContain('through the tap');
    expect(opened).toBe(0);
  });
});
