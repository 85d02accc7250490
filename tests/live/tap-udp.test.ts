// The tap's UDP relay: datagrams from a client to a real UDP echo server and the replies back,
// with simulated loss decided by a seeded random source — exactly the datagrams the seed picks
// are dropped (written, with a second comment saying so), the rest are relayed and answered;
// lengths and checksums right in our reader and in tshark.
import dgram from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TAP_COMMENT } from '../../shared/capture/tap-comment';
import { TAP_LOSS_COMMENT, Tap } from '../../electron/live/tap';
import { tsharkFields, tsharkMissing } from '../support/tshark';
import { seededRandom } from '../../electron/labs/tcp-udp/udp-relay';
import { collector, delay, parsePacket, readCapture, until } from './tap-helpers';

const dir = mkdtempSync(join(tmpdir(), 'tap-udp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function bound(type: 'udp4' | 'udp6', host: string): Promise<dgram.Socket> {
  const s = dgram.createSocket(type);
  await new Promise<void>((r) => s.bind(0, host, r));
  return s;
}

async function run(type: 'udp4' | 'udp6', host: string, n: number, loss: number, seed: number) {
  const echo = await bound(type, host);
  echo.on('message', (m, r) => echo.send(Buffer.concat([Buffer.from('echo:'), m]), r.port, r.address));
  const tap = new Tap();
  const sink = collector();
  await tap.start(sink);
  const dropCalls: number[] = [];
  const relay = await tap.udpRelay(
    { host, port: echo.address().port },
    { lossPercent: loss, random: seededRandom(seed), onDrop: (k) => dropCalls.push(k) },
  );
  const client = await bound(type, host);
  const replies: string[] = [];
  client.on('message', (m) => replies.push(m.toString()));
  // The same seed says which datagrams the relay will drop: wait for a reply only for the others.
  const oracle = seededRandom(seed);
  const dropped: number[] = [];
  for (let i = 0; i < n; i++) {
    const drop = oracle() * 100 < loss;
    if (drop) dropped.push(i);
    const want = replies.length + (drop ? 0 : 1);
    client.send(`message ${i}`, relay.port, relay.host);
    if (drop) await delay(2);
    else await until(() => replies.length === want, 3000, `reply to ${i}`);
  }
  await delay(50);
  await tap.stop();
  await new Promise<void>((r) => client.close(() => r()));
  await new Promise<void>((r) => echo.close(() => r()));
  return { sink, dropCalls, dropped, replies };
}

describe('tap: UDP relay', () => {
  it('drops exactly the seeded 30% of client datagrams, relays the rest and their replies', async () => {
    const n = 100;
    const { sink, dropCalls, dropped, replies } = await run('udp4', '127.0.0.1', n, 30, 42);
    expect(dropped.length).toBeGreaterThan(15);
    expect(dropped.length).toBeLessThan(45);
    expect(dropCalls).toEqual(dropped.map((_, i) => i + 1));
    const kept = [...Array(n).keys()].filter((i) => !dropped.includes(i));
    expect(replies).toEqual(kept.map((i) => `echo:message ${i}`));
    expect(sink.ends).toEqual([null]);

    const { packets, ifaces } = readCapture(sink.bytes());
    expect(ifaces.map((i) => i.linktype)).toEqual([101]);
    const ps = packets.map((p) => ({ ...parsePacket(p.data), comments: p.comments }));
    expect(ps).toHaveLength(n + kept.length);
    for (const p of ps) {
      expect(p.proto).toBe(17);
      expect(p.ipChecksumOk && p.l4ChecksumOk).toBe(true);
      expect(p.udpLength).toBe(8 + p.payload.length);
      expect(p.comments[0]).toBe(TAP_COMMENT);
    }
    const sent = ps.filter((p) => Buffer.from(p.payload).toString().startsWith('message'));
    expect(sent.map((p) => Buffer.from(p.payload).toString())).toEqual(
      [...Array(n).keys()].map((i) => `message ${i}`),
    );
    const marked = sent.flatMap((p, i) => (p.comments[1] === TAP_LOSS_COMMENT ? [i] : []));
    expect(marked).toEqual(dropped);
    // Each kept datagram is followed by its reply, from the target to the client's real port.
    const c = sent[0];
    for (const p of ps.filter((q) => !sent.includes(q))) {
      expect([p.sport, p.dport, p.comments.length]).toEqual([c.dport, c.sport, 1]);
    }

    if (!tsharkMissing) {
      const f = join(dir, 'udp.pcapng');
      writeFileSync(f, sink.bytes());
      const rows = tsharkFields(
        f,
        ['ip.checksum.status', 'udp.checksum.status', 'udp.length', 'data.len', 'frame.comment'],
        ['-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE'],
      );
      expect(rows).toHaveLength(n + kept.length);
      for (const r of rows) {
        expect(r.slice(0, 2)).toEqual(['1', '1']);
        expect(Number(r[2])).toBe(8 + Number(r[3]));
      }
      expect(rows.filter((r) => r[4].includes('simulated loss'))).toHaveLength(dropped.length);
    }
  });

  it('no loss by default; IPv6 (::1) written as IPv6 with good UDP checksums', async () => {
    const { sink, dropCalls, replies } = await run('udp6', '::1', 10, 0, 1);
    expect(dropCalls).toEqual([]);
    expect(replies).toHaveLength(10);
    const ps = readCapture(sink.bytes()).packets.map((p) => parsePacket(p.data));
    expect(ps).toHaveLength(20);
    expect(ps.every((p) => p.v6 && p.l4ChecksumOk && p.udpLength === 8 + p.payload.length)).toBe(true);
    if (!tsharkMissing) {
      const f = join(dir, 'udp6.pcapng');
      writeFileSync(f, sink.bytes());
      const rows = tsharkFields(f, ['ipv6.src', 'udp.checksum.status'], ['-o', 'udp.check_checksum:TRUE']);
      expect(new Set(rows.map((r) => r.join(' ')))).toEqual(new Set(['::1 1']));
    }
  });
});
