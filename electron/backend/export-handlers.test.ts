// capture.export + export.read through a real PageSession: the pcapng read back in pieces must be
// a capture our reader and tshark read, holding exactly the chosen conversations' frames with
// their interface names, capture filter and comments; a live capture exports the packets so far.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collect } from '../../shared/capture/testing-collect';
import { PcapngWriter } from '../../shared/capture/pcapng-writer';
import type { ApiResult, CaptureState, ExportTicket } from '../../shared/contract/api';
import { tsharkFields, tsharkMissing } from '../../tests/support/tshark';
import { Backend, type PageSession } from './backend';

const root = resolve(import.meta.dirname, '../..');
const web = join(root, 'tests/fixtures/cli/web.pcapng');
const dir = mkdtempSync(join(tmpdir(), 'wirescope-export-h-'));

function value<T>(r: ApiResult<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

async function finished(p: PageSession, capture: string): Promise<CaptureState> {
  for (;;) {
    const s = value<CaptureState>(await p.dispatch('capture.state', { capture }));
    if (s.phase !== 'indexing') return s;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Reads a ticket the way the page does: pieces of `piece` bytes until the last. */
async function readAll(p: PageSession, t: ExportTicket, piece: number): Promise<Uint8Array> {
  const out = new Uint8Array(t.size);
  for (let at = 0; at < t.size;) {
    const b = value<Uint8Array>(
      await p.dispatch('export.read', { export: t.export, offset: at, length: piece }),
    );
    expect(b.length).toBeGreaterThan(0);
    out.set(b, at);
    at += b.length;
  }
  return out;
}

const backends: Backend[] = [];
afterAll(async () => {
  await Promise.all(backends.map((b) => b.close()));
});
function session(): PageSession {
  const b = new Backend({ shell: 'serve', version: 'test', uploadDir: dir });
  backends.push(b);
  return b.connect(() => undefined);
}
const exportsLeft = () => readdirSync(dir).filter((f) => f.startsWith('wirescope-export-'));

describe('capture.export / export.read', () => {
  it('exports chosen conversations; read in pieces; released after the last byte', async () => {
    const p = session();
    const info = p.openPath(web, 'command-line');
    await finished(p, info.id);
    const t = value<ExportTicket>(
      await p.dispatch('capture.export', { capture: info.id, streams: ['tcp:0', 'udp:0'] }),
    );
    expect(t.name).toBe('web-tcp0-udp0.pcapng');
    const bytes = await readAll(p, t, 1000);
    // Read to the end: gone.
    const again = await p.dispatch('export.read', { export: t.export, offset: 0, length: 10 });
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.error.code).toBe('not-found');
    expect(exportsLeft()).toEqual([]);

    const out = join(dir, 'web-part.pcapng');
    writeFileSync(out, bytes);
    const got = collect(bytes);
    expect(got.packets.length).toBe(t.packets);
    if (tsharkMissing) return;
    const want = tsharkFields(
      web,
      ['frame.time_epoch', 'frame.len', 'frame.comment'],
      ['-Y', 'tcp.stream == 0 || udp.stream == 0'],
    );
    expect(want.length).toBe(t.packets);
    expect(tsharkFields(out, ['frame.time_epoch', 'frame.len', 'frame.comment'])).toEqual(want);
  });

  it('refuses a conversation the capture does not have, and a bad filter, in plain words', async () => {
    const p = session();
    const info = p.openPath(web, 'command-line');
    await finished(p, info.id);
    const r = await p.dispatch('capture.export', { capture: info.id, streams: ['tcp:999'] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/no TCP stream 999/);
    const f = await p.dispatch('capture.export', { capture: info.id, filter: 'tcp.port ==' });
    expect(f.ok).toBe(false);
    if (!f.ok) expect(f.error.code).toBe('bad-input');
    expect(exportsLeft()).toEqual([]);
  });

  it('a running live capture exports the packets so far, with interface name, filter and comments', async () => {
    const p = session();
    // A pcapng stream as a capture helper writes it: interface named, with its capture filter.
    const w = new PcapngWriter({ application: 'test' });
    const iface = {
      linktype: 1,
      tsPerSecond: 1e6,
      name: 'lo',
      filter: 'tcp port 80',
      description: 'Loopback',
    };
    const src = readFileSync(web);
    const pk = collect(src).packets;
    const chunks: Uint8Array[] = [w.header()];
    // One chunk per packet (its IDB goes with the first).
    pk.forEach((x, k) => {
      const blocks = w.packet('0', iface, { ...x, comments: k % 3 === 0 ? [`note ${k}`] : undefined });
      const one = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
      let at = 0;
      for (const b of blocks) {
        one.set(b, at);
        at += b.length;
      }
      chunks.push(one);
    });
    let sink: { data(c: Uint8Array): void; end(p: string | null): void } | null = null;
    const info = await p.openLive(
      {
        label: 'test',
        start: async (s) => {
          sink = s;
        },
        stop: async () => sink?.end(null),
      },
      'Loopback: lo',
      { mode: 'capture', iface: 'lo', filter: 'tcp port 80' },
    );
    // The header and the first ten packets, then half of the eleventh (the helper mid-write).
    const first = chunks.slice(0, 11);
    for (const c of first) sink!.data(c);
    sink!.data(chunks[11].subarray(0, 20));
    for (let k = 0; k < 100; k++) {
      const s = value<CaptureState>(await p.dispatch('capture.state', { capture: info.id }));
      if (s.progress.packets >= 10) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const st = value<CaptureState>(await p.dispatch('capture.state', { capture: info.id }));
    expect(st.live?.running).toBe(true);
    const t = value<ExportTicket>(await p.dispatch('capture.export', { capture: info.id }));
    expect(t.packets).toBe(10);
    const got = collect(await readAll(p, t, 1 << 20));
    expect(got.packets.length).toBe(10);
    expect(got.ifaces[0]).toMatchObject({ name: 'lo', filter: 'tcp port 80', description: 'Loopback' });
    expect(got.packets.map((x) => x.comments ?? (x.comment !== undefined ? [x.comment] : []))).toEqual(
      pk.slice(0, 10).map((_, k) => (k % 3 === 0 ? [`note ${k}`] : [])),
    );
    expect([...got.packets[9].data]).toEqual([...pk[9].data]);
    await p.dispatch('live.stop', { capture: info.id });
  });
});
