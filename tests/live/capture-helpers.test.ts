// The capture helpers for real: dumpcap and tcpdump each capture a TCP exchange made here on
// 127.0.0.1, filtered to its port; the stream arrives while the capture runs, and the pcapng the
// file sink writes is read alike by the engine and by tshark (the oracle). Loopback only, every
// wait bounded, every child killed.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReader } from '../../shared/capture/reader';
import type { CapturePacket } from '../../shared/capture/types';
import {
  captureHelper,
  locateHelper,
  runningHelpers,
  type HelperName,
} from '../../electron/live/capture-helper';
import { pcapngFileSink, teeSink } from '../../electron/live/sinks';
import type { LiveSink } from '../../electron/live/source';
import { bounded, helperMissing, loopback, notRoot, root, waitFor } from '../support/live';
import { tsharkFields, tsharkMissing } from '../support/tshark';

let dir = '';
const { echoServer, exchange, close: closeLoopback } = loopback();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wirescope-capture-'));
});

afterAll(async () => {
  await closeLoopback();
  rmSync(dir, { recursive: true, force: true });
  // No helper outlives the tests.
  expect(runningHelpers()).toBe(0);
});

interface Recorder extends LiveSink {
  chunks: Uint8Array[];
  packets: CapturePacket[];
  ends: (string | null)[];
  ended: Promise<string | null>;
}

/** A sink that keeps the chunks and parses them as they come (packets copied). */
function recorder(): Recorder {
  let done!: (p: string | null) => void;
  const ended = new Promise<string | null>((r) => (done = r));
  const packets: CapturePacket[] = [];
  const reader = createReader({ packet: (p) => void packets.push({ ...p, data: p.data.slice() }) });
  const rec: Recorder = {
    chunks: [],
    packets,
    ends: [],
    ended,
    data(c) {
      rec.chunks.push(c.slice());
      reader.push(c);
    },
    end(p) {
      rec.ends.push(p);
      done(p);
    },
  };
  return rec;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function readPackets(file: string): { packets: CapturePacket[]; ifaceNames: string[]; filters: string[] } {
  const packets: CapturePacket[] = [];
  const ifaceNames: string[] = [];
  const filters: string[] = [];
  const r = createReader({
    iface: (i) => {
      ifaceNames.push(i.name ?? '');
      filters.push(i.filter ?? '');
    },
    packet: (p) => void packets.push({ ...p, data: p.data.slice() }),
  });
  r.push(new Uint8Array(readFileSync(file)));
  r.end();
  return { packets, ifaceNames, filters };
}

function capinfos(file: string): string {
  return execFileSync('capinfos', [file], { encoding: 'utf8' });
}

const capinfosMissing =
  spawnSync('sh', ['-c', 'command -v capinfos']).status === 0 ? '' : 'capinfos is not installed';

for (const helper of ['dumpcap', 'tcpdump'] as HelperName[]) {
  const skip = helperMissing(helper) || notRoot || tsharkMissing || capinfosMissing;
  describe.skipIf(!!skip)(`${helper} on lo${skip ? ` (skipped: ${skip})` : ''}`, () => {
    it('captures a filtered TCP exchange as it happens; the saved pcapng reads alike in the engine and tshark', async () => {
      const port = await echoServer();
      const other = await echoServer();
      const filter = `tcp port ${port}`;
      const file = join(dir, `${helper}-exchange.pcapng`);
      const src = captureHelper({ iface: 'lo', filter, helper });
      expect(src.helper).toBe(helper);
      expect(src.format).toBe(helper === 'dumpcap' ? 'pcapng' : 'pcap');
      expect(src.args).toContain(filter);
      const rec = recorder();
      const fileSink = pcapngFileSink(file, { iface: 'lo', filter, helper });
      await bounded(src.start(teeSink(rec, fileSink)), 12_000, 'start');
      // Traffic only after start resolved: it must all be seen.
      await exchange(port, 'hello from the test');
      await exchange(other, 'not for this capture');
      // Packets reach the sink while the helper still runs (dumpcap: within its 250 ms read timeout).
      await waitFor(() => rec.packets.length >= 3, 3000, 'the first packets');
      expect(rec.ends).toEqual([]);
      await bounded(src.stop(), 10_000, 'stop');
      expect(rec.ends).toEqual([null]);
      const result = await fileSink.finished;
      expect(result).toMatchObject({ written: true, cut: 0, problem: null });

      // What the sink got: the exchange, nothing of the other port.
      const ports = rec.packets.map((p) => {
        const dv = new DataView(p.data.buffer, p.data.byteOffset);
        const ihl = (p.data[14] & 0x0f) * 4;
        return [dv.getUint16(14 + ihl), dv.getUint16(16 + ihl)];
      });
      expect(ports.every(([s, d]) => s === port || d === port)).toBe(true);
      expect(rec.packets.length).toBeGreaterThanOrEqual(8);

      // The file, by the engine's reader: the same packets, byte for byte and to the nanosecond.
      const got = readPackets(file);
      expect(got.packets.length).toBe(rec.packets.length);
      expect(result.packets).toBe(rec.packets.length);
      for (let i = 0; i < got.packets.length; i++) {
        expect([got.packets[i].tsSec, got.packets[i].tsNsec, got.packets[i].origlen]).toEqual([
          rec.packets[i].tsSec,
          rec.packets[i].tsNsec,
          rec.packets[i].origlen,
        ]);
        expect(got.packets[i].data).toEqual(rec.packets[i].data);
      }
      expect(got.ifaceNames).toEqual(['lo']);
      expect(got.filters).toEqual([filter]);
      // dumpcap's pcapng passes through untouched.
      if (helper === 'dumpcap') expect(new Uint8Array(readFileSync(file))).toEqual(concat(rec.chunks));

      // tshark: same frame count, the handshake first, the payload, if_name lo; capinfos: the filter.
      const rows = tsharkFields(file, ['frame.interface_name', 'tcp.flags', 'tcp.dstport', 'tcp.payload']);
      expect(rows.length).toBe(got.packets.length);
      expect(rows.every((r) => r[0] === 'lo')).toBe(true);
      expect(rows.slice(0, 3).map((r) => r[1])).toEqual(['0x0002', '0x0012', '0x0010']);
      expect(rows[0][2]).toBe(String(port));
      expect(rows.some((r) => r[3] === Buffer.from('hello from the test').toString('hex'))).toBe(true);
      const info = capinfos(file);
      expect(info).toMatch(new RegExp(`Filter string = ${filter}`));
      expect(info).toMatch(/Name = lo/);
      if (helper === 'tcpdump') expect(info).toMatch(/Capture application: Wirescope/);
    });

    it('a helper killed mid-capture: the sink hears why, and what was captured is kept and readable', async () => {
      const port = await echoServer();
      const filter = `tcp port ${port}`;
      const file = join(dir, `${helper}-killed.pcapng`);
      const src = captureHelper({ iface: 'lo', filter, helper });
      const rec = recorder();
      const fileSink = pcapngFileSink(file, { iface: 'lo', filter, helper });
      await bounded(src.start(teeSink(rec, fileSink)), 12_000, 'start');
      await exchange(port, 'before the kill');
      await waitFor(() => rec.packets.length >= 8, 3000, 'the exchange');
      const before = rec.packets.length;
      process.kill(src.pid!, 'SIGKILL');
      const problem = await bounded(rec.ended, 5000, 'end after SIGKILL');
      expect(problem).toBe(`${helper} stopped on its own: killed by SIGKILL`);
      const result = await fileSink.finished;
      expect(result.packets).toBeGreaterThanOrEqual(before);
      // tshark reads the kept file without complaint (no cut-short last record).
      const r = spawnSync('tshark', ['-n', '-r', file, '-T', 'fields', '-e', 'frame.number'], {
        encoding: 'utf8',
      });
      // (tshark's only stderr line as root is its "Running as user root" warning.)
      expect(r.stderr).not.toMatch(/cut short|damaged|corrupt|isn't a capture/i);
      expect(r.status).toBe(0);
      expect(r.stdout.trim().split('\n').length).toBe(result.packets);
      // stop after the end changes nothing.
      await src.stop();
      expect(rec.ends.length).toBe(1);
    });

    it('stops by itself after its count (end without a problem)', async () => {
      const port = await echoServer();
      const src = captureHelper({ iface: 'lo', filter: `tcp port ${port}`, helper, count: 3 });
      const rec = recorder();
      await bounded(src.start(rec), 12_000, 'start');
      await exchange(port, 'counted');
      expect(await bounded(rec.ended, 5000, 'end after the count')).toBeNull();
      expect(rec.packets.length).toBe(3);
    });

    it('stops by itself after its duration', async () => {
      const src = captureHelper({ iface: 'lo', filter: 'tcp port 9', helper, durationS: 1 });
      const rec = recorder();
      const t0 = Date.now();
      await bounded(src.start(rec), 12_000, 'start');
      expect(await bounded(rec.ended, 6000, 'end after the duration')).toBeNull();
      expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    });

    it('a bad filter: start rejects naming the filter, and the sink gets nothing', async () => {
      const rec = recorder();
      const src = captureHelper({ iface: 'lo', filter: 'tcp prot 80', helper });
      await expect(bounded(src.start(rec), 12_000, 'start')).rejects.toThrow(
        /capture filter "tcp prot 80" is not valid/,
      );
      expect(rec.chunks).toEqual([]);
      expect(rec.ends).toEqual([]);
      await src.stop();
    });

    it('no such interface: start rejects naming it', async () => {
      const src = captureHelper({ iface: 'nosuch0', helper });
      await expect(bounded(src.start(recorder()), 12_000, 'start')).rejects.toThrow(
        new RegExp(`^${helper} cannot capture on "nosuch0": there is no such interface`),
      );
    });

    it('stop twice, and stop while starting', async () => {
      const rec = recorder();
      const src = captureHelper({ iface: 'lo', filter: 'tcp port 9', helper });
      await bounded(src.start(rec), 12_000, 'start');
      await Promise.all([src.stop(), src.stop()]);
      expect(rec.ends).toEqual([null]);
      const early = captureHelper({ iface: 'lo', filter: 'tcp port 9', helper });
      const started = early.start(recorder()).then(
        () => null,
        (e: Error) => e.message,
      );
      await early.stop();
      expect(await started).toMatch(/stopped before it started capturing/);
    });
  });
}

describe.skipIf(!root)(
  `not permitted (a helper run as nobody)${root ? '' : ` (skipped: ${notRoot})`}`,
  () => {
    for (const helper of ['dumpcap', 'tcpdump'] as HelperName[]) {
      it.skipIf(!locateHelper(helper))(`${helper}: start rejects with what to grant`, async () => {
        const src = captureHelper({ iface: 'lo', helper, user: { uid: 65534, gid: 65534 } });
        const e = await src.start(recorder()).then(
          () => null,
          (x: Error) => x,
        );
        await src.stop();
        expect(e).toBeInstanceOf(Error);
        expect(e!.message).toMatch(new RegExp(`^${helper} may not capture on "lo":`));
        expect(e!.message).toContain(`sudo setcap cap_net_raw,cap_net_admin=eip ${locateHelper(helper)}`);
        if (helper === 'dumpcap') expect(e!.message).toContain('wireshark group');
        expect(e!.message).toContain('through the tap');
      });
    }
  },
);
