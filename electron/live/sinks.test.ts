// teeSink and pcapngFileSink on real captures fed in pieces as a helper's pipe would: pcap
// (microsecond, nanosecond, big-endian) converted to pcapng with exact timestamps, lengths and
// bytes; pcapng passed through byte for byte; a cut last block left out; checked by our reader
// and by tshark.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createReader } from '../../shared/capture/reader';
import type { CapturePacket, InterfaceInfo } from '../../shared/capture/types';
import { tsharkFields, tsharkMissing, tsharkPath } from '../../tests/support/tshark';
import { pcapngFileSink, teeSink } from './sinks';
import type { LiveSink } from './source';

const captures = resolve(import.meta.dirname, '../../tests/fixtures/captures');
const dir = mkdtempSync(join(tmpdir(), 'wirescope-sinks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function read(bytes: Uint8Array): {
  packets: CapturePacket[];
  ifaces: InterfaceInfo[];
  app: string | undefined;
} {
  const packets: CapturePacket[] = [];
  const ifaces: InterfaceInfo[] = [];
  let app: string | undefined;
  const r = createReader({
    info: (i) => (app ??= i.application),
    iface: (i) => void ifaces.push(i),
    packet: (p) => void packets.push({ ...p, data: p.data.slice() }),
  });
  r.push(bytes);
  r.end();
  return { packets, ifaces, app };
}

/** Feeds `bytes` in uneven pieces (1, 2, 3… bytes, then larger), as a pipe delivers. */
function feed(sink: LiveSink, bytes: Uint8Array): void {
  let at = 0;
  let n = 1;
  while (at < bytes.length) {
    const size = n < 40 ? n : 997;
    sink.data(bytes.slice(at, at + size));
    at += size;
    n++;
  }
}

describe('teeSink', () => {
  it('gives every sink every chunk in order, and one end each', () => {
    const log: string[] = [];
    const s = (name: string): LiveSink => ({
      data: (c) => void log.push(`${name}:${c[0]}`),
      end: (p) => void log.push(`${name}:end:${p}`),
    });
    const t = teeSink(s('a'), s('b'));
    t.data(Uint8Array.of(1));
    t.data(Uint8Array.of(2));
    t.end('gone');
    t.end(null);
    expect(log).toEqual(['a:1', 'b:1', 'a:2', 'b:2', 'a:end:gone', 'b:end:gone']);
  });
});

describe('pcapngFileSink', () => {
  for (const name of [
    'lo-http4.pcap',
    'lo-tcp-chat-nano.pcap',
    'lo-http4-be.pcap',
    'lo-tcp-chat-nano-be.pcap',
  ]) {
    it(`converts ${name} (pcap, as tcpdump writes) to pcapng: same packets, timestamps, lengths`, async () => {
      const src = new Uint8Array(readFileSync(join(captures, name)));
      const out = join(dir, `${name}.pcapng`);
      const sink = pcapngFileSink(out, {
        iface: 'lo',
        filter: 'tcp port 8080',
        helper: 'tcpdump',
        comment: 'a test',
      });
      expect(existsSync(`${out}.part`)).toBe(true);
      expect(existsSync(out)).toBe(false);
      feed(sink, src);
      sink.end(null);
      const r = await sink.finished;
      expect(existsSync(`${out}.part`)).toBe(false);
      const want = read(src);
      const got = read(new Uint8Array(readFileSync(out)));
      expect(r).toMatchObject({ packets: want.packets.length, cut: 0, problem: null, written: true });
      expect(got.app).toBe('Wirescope');
      expect(got.ifaces).toHaveLength(1);
      expect(got.ifaces[0]).toMatchObject({
        name: 'lo',
        filter: 'tcp port 8080',
        linktype: want.ifaces[0].linktype,
        snaplen: want.ifaces[0].snaplen,
        tsPerSecond: want.ifaces[0].tsPerSecond,
        comments: ['Captured with tcpdump'],
      });
      expect(got.packets.map((p) => [p.tsSec, p.tsNsec, p.caplen, p.origlen])).toEqual(
        want.packets.map((p) => [p.tsSec, p.tsNsec, p.caplen, p.origlen]),
      );
      for (let i = 0; i < want.packets.length; i++) expect(got.packets[i].data).toEqual(want.packets[i].data);
    });
  }

  it.skipIf(!!tsharkMissing)(
    `tshark reads a converted capture as it reads the original${tsharkMissing ? ` (${tsharkMissing})` : ''}`,
    async () => {
      const name = 'lo-tcp-chat-nano.pcap';
      const out = join(dir, 'tshark-check.pcapng');
      const sink = pcapngFileSink(out, { iface: 'lo', filter: 'tcp' });
      feed(sink, new Uint8Array(readFileSync(join(captures, name))));
      sink.end(null);
      await sink.finished;
      const fields = [
        'frame.time_epoch',
        'frame.len',
        'frame.cap_len',
        'tcp.stream',
        'tcp.seq',
        'tcp.flags',
        'tcp.payload',
      ];
      expect(tsharkFields(out, fields)).toEqual(tsharkFields(join(captures, name), fields));
      expect(tsharkFields(out, ['frame.interface_name']).every((r) => r[0] === 'lo')).toBe(true);
    },
  );

  it('passes pcapng through byte for byte', async () => {
    const src = new Uint8Array(readFileSync(join(captures, 'comments.pcapng')));
    const out = join(dir, 'pass.pcapng');
    const sink = pcapngFileSink(out, { iface: 'lo', filter: '' });
    feed(sink, src);
    sink.end(null);
    const r = await sink.finished;
    expect(new Uint8Array(readFileSync(out))).toEqual(src);
    expect(r).toMatchObject({ packets: read(src).packets.length, bytes: src.length, cut: 0, written: true });
  });

  it('leaves a cut last block out (a helper killed mid-write) and keeps everything before', async () => {
    const src = new Uint8Array(readFileSync(join(captures, 'lo-http6.pcapng')));
    const whole = read(src).packets;
    const last = whole[whole.length - 1];
    // Cut in the middle of the last packet's block.
    const cutAt = last.dataOffset + 3;
    const out = join(dir, 'cut.pcapng');
    const sink = pcapngFileSink(out, { iface: 'lo', filter: '' });
    feed(sink, src.slice(0, cutAt));
    sink.end('dumpcap stopped on its own: killed by SIGKILL');
    const r = await sink.finished;
    expect(r.packets).toBe(whole.length - 1);
    expect(r.cut).toBe(cutAt - last.recordOffset);
    expect(new Uint8Array(readFileSync(out))).toEqual(src.slice(0, last.recordOffset));
    if (tsharkPath) {
      const t = spawnSync(tsharkPath, ['-n', '-r', out], { encoding: 'utf8' });
      expect(t.status).toBe(0);
      expect(t.stdout.trimEnd().split('\n')).toHaveLength(whole.length - 1);
    }
  });

  it('a stream that never delivered a byte leaves no file', async () => {
    const out = join(dir, 'nothing.pcapng');
    const sink = pcapngFileSink(out, { iface: 'lo', filter: '' });
    sink.end('dumpcap stopped on its own: exit code 1');
    expect(await sink.finished).toEqual({ packets: 0, bytes: 0, cut: 0, problem: null, written: false });
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.part`)).toBe(false);
  });

  it('a path that cannot be written fails at once, before any capture starts', () => {
    expect(() => pcapngFileSink(join(dir, 'no/such/dir/x.pcapng'), { iface: 'lo', filter: '' })).toThrow(
      /ENOENT/,
    );
  });

  it('a stream that is not a capture: what came before is kept, the problem reported', async () => {
    const out = join(dir, 'garbage.pcapng');
    const sink = pcapngFileSink(out, { iface: 'lo', filter: '' });
    sink.data(new TextEncoder().encode('this is not a capture at all'));
    sink.end(null);
    const r = await sink.finished;
    expect(r.packets).toBe(0);
    expect(r.problem).toMatch(/garbage\.pcapng/);
  });
});
