// The tap's TCP relay under plain sockets: a bulk echo bigger than the MSS, a refused upstream,
// a half-close, a client reset, a connection still open when the tap stops, two connections,
// and IPv6. Each capture is checked with our own reader (seq/ack/window/checksum/bytes) and,
// where installed, with tshark (no analysis flags, good checksums, follow bytes).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Tap, type Relay } from '../../electron/live/tap';
import { tsharkFields, tsharkMissing } from '../support/tshark';
import {
  checkTcp,
  closedPort,
  collector,
  delay,
  followRaw,
  parsePacket,
  readCapture,
  until,
  type Collector,
  type Parsed,
} from './tap-helpers';

const dir = mkdtempSync(join(tmpdir(), 'tap-tcp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const CK = ['-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE'];

async function server(onConn: (s: net.Socket) => void, host = '127.0.0.1'): Promise<number> {
  const sockets = new Set<net.Socket>();
  const srv = net.createServer({ allowHalfOpen: true }, (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    onConn(s);
  });
  await new Promise<void>((r) => srv.listen(0, host, r));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        srv.close(() => r());
      }),
  );
  return (srv.address() as net.AddressInfo).port;
}

async function tapWith(): Promise<{ tap: Tap; sink: Collector }> {
  const tap = new Tap();
  const sink = collector();
  await tap.start(sink);
  cleanups.push(() => tap.stop());
  return { tap, sink };
}

function packets(sink: Collector): Parsed[] {
  return readCapture(sink.bytes()).packets.map((p) => parsePacket(p.data));
}

/** Waits until the stream shows both FINs and ends with the ACK of the last one. */
async function closedCleanly(sink: Collector): Promise<Parsed[]> {
  await until(
    () => {
      const ps = packets(sink);
      return ps.filter((p) => p.flags & 1).length === 2 && ps[ps.length - 1].flags === 0x10;
    },
    5000,
    'both FINs and the final ACK',
  );
  return packets(sink);
}

function save(sink: Collector, name: string): string {
  const f = join(dir, name);
  writeFileSync(f, sink.bytes());
  return f;
}

function tsharkClean(file: string): void {
  expect(tsharkFields(file, ['frame.number', 'tcp.analysis.flags'], ['-Y', 'tcp.analysis.flags'])).toEqual(
    [],
  );
  const ck = tsharkFields(file, ['ip.checksum.status', 'ipv6.src', 'tcp.checksum.status'], CK);
  for (const r of ck) {
    if (r[1]) expect(r[2]).toBe('1');
    else expect(r.filter((x) => x !== '')).toEqual(['1', '1']);
  }
}

function connect(relay: Relay): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: relay.host, port: relay.port, allowHalfOpen: true }, () => resolve(s));
    s.once('error', reject);
    cleanups.push(() => void s.destroy());
  });
}

function readAll(s: net.Socket): Promise<Buffer> {
  const parts: Buffer[] = [];
  s.on('data', (d) => parts.push(d));
  return new Promise((resolve, reject) => {
    s.once('end', () => resolve(Buffer.concat(parts)));
    s.once('error', reject);
  });
}

describe('tap: TCP relay', () => {
  it('echoes 200 kB each way in segments of at most 1460 bytes, bytes exact, no analysis flags', async () => {
    const port = await server((s) => {
      s.pipe(s);
    });
    const { tap, sink } = await tapWith();
    const relay = await tap.tcpRelay({ host: '127.0.0.1', port });
    const payload = randomBytes(200_000);
    const c = await connect(relay);
    const back = readAll(c);
    c.end(payload);
    expect((await back).equals(payload)).toBe(true);
    const ps = await closedCleanly(sink);
    const { problems, bytes } = checkTcp(ps);
    expect(problems).toEqual([]);
    const c2s = `${ps[0].src}:${ps[0].sport}>${ps[0].dst}:${ps[0].dport}`;
    const s2c = `${ps[0].dst}:${ps[0].dport}>${ps[0].src}:${ps[0].sport}`;
    expect(bytes.get(c2s)?.equals(payload)).toBe(true);
    expect(bytes.get(s2c)?.equals(payload)).toBe(true);
    const data = ps.filter((p) => p.payload.length);
    expect(Math.max(...data.map((p) => p.payload.length))).toBe(1460);
    expect(data.length).toBeGreaterThanOrEqual(2 * Math.ceil(200_000 / 1460));
    expect(ps[0].mss).toBe(1460);
    expect(ps[1].mss).toBe(1460);
    expect(new Set(ps.map((p) => p.window))).toEqual(new Set([65535]));
    if (!tsharkMissing) {
      const f = save(sink, 'bulk.pcapng');
      tsharkClean(f);
      const fr = followRaw(f);
      expect(fr.node0.equals(payload)).toBe(true);
      expect(fr.node1.equals(payload)).toBe(true);
      // tshark's own bytes-in-flight never reaches the window either.
      const inflight = tsharkFields(f, ['tcp.analysis.bytes_in_flight']).map((r) => Number(r[0] || 0));
      expect(Math.max(...inflight)).toBeLessThan(65535);
    }
  });

  it('upstream refuses: SYN answered with RST+ACK, the client sees the reset', async () => {
    const port = await closedPort();
    const { tap, sink } = await tapWith();
    const relay = await tap.tcpRelay({ host: '127.0.0.1', port });
    const c = net.connect({ host: relay.host, port: relay.port });
    cleanups.push(() => void c.destroy());
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      c.once('error', (e) => resolve(e));
      c.once('close', () => resolve(null));
    });
    expect(err?.code).toBe('ECONNRESET');
    await until(() => packets(sink).length === 2, 3000, 'SYN and RST');
    const [syn, rst] = packets(sink);
    expect(syn.flags).toBe(0x02);
    expect(syn.dport).toBe(port);
    expect(rst.flags).toBe(0x14);
    expect([rst.sport, rst.dport, rst.seq, rst.ack]).toEqual([port, syn.sport, 0, (syn.seq + 1) >>> 0]);
    if (!tsharkMissing) {
      const f = save(sink, 'refused.pcapng');
      const rows = tsharkFields(f, ['tcp.flags.syn', 'tcp.flags.reset', 'tcp.flags.ack', 'tcp.ack'], CK);
      expect(rows).toEqual([
        ['1', '0', '0', '0'],
        ['0', '1', '1', '1'],
      ]);
      tsharkClean(f);
    }
  });

  it('half-close: the client ends, the server keeps sending, then ends — FINs in that order', async () => {
    const port = await server((s) => {
      const req: Buffer[] = [];
      s.on('data', (d) => req.push(d));
      s.on('end', async () => {
        for (let i = 0; i < 3; i++) {
          s.write(`reply ${i} to ${Buffer.concat(req).toString()}\n`);
          await delay(20);
        }
        s.end('bye\n');
      });
    });
    const { tap, sink } = await tapWith();
    const relay = await tap.tcpRelay({ host: '127.0.0.1', port });
    const c = await connect(relay);
    const back = readAll(c);
    c.end('question');
    const text = (await back).toString();
    expect(text).toBe('reply 0 to question\nreply 1 to question\nreply 2 to question\nbye\n');
    const ps = await closedCleanly(sink);
    expect(checkTcp(ps).problems).toEqual([]);
    const clientPort = ps[0].sport;
    const fins = ps.map((p, i) => ({ p, i })).filter(({ p }) => p.flags & 1);
    expect(fins.map(({ p }) => p.sport)).toEqual([clientPort, port]);
    // The server's replies come after the client's FIN and before its own.
    const replies = ps.map((p, i) => ({ p, i })).filter(({ p }) => p.sport === port && p.payload.length);
    expect(replies.length).toBeGreaterThanOrEqual(4);
    expect(replies.every(({ i }) => i > fins[0].i && i < fins[1].i)).toBe(true);
    if (!tsharkMissing) {
      const f = save(sink, 'half-close.pcapng');
      tsharkClean(f);
      expect(followRaw(f).node1.toString()).toBe(text);
    }
  });

  it('a client reset is written as RST from the client and reaches the server', async () => {
    let serverErr: string | undefined;
    let serverGot = 0;
    const port = await server((s) => {
      s.on('data', (d) => (serverGot += d.length));
      s.on('error', (e: NodeJS.ErrnoException) => (serverErr = e.code));
    });
    const { tap, sink } = await tapWith();
    const relay = await tap.tcpRelay({ host: '127.0.0.1', port });
    const c = await connect(relay);
    c.write('some data');
    await until(() => serverGot === 9, 3000, 'data at the server');
    c.resetAndDestroy();
    await until(() => serverErr !== undefined, 3000, 'the server to see the reset');
    expect(serverErr).toBe('ECONNRESET');
    await until(() => packets(sink).some((p) => p.flags & 4), 3000, 'RST');
    const ps = packets(sink);
    const rst = ps[ps.length - 1];
    expect(rst.flags & 4).toBe(4);
    expect(rst.sport).toBe(ps[0].sport);
    expect(checkTcp(ps).problems).toEqual([]);
    if (!tsharkMissing) tsharkClean(save(sink, 'reset.pcapng'));
  });

  it('stop() with a connection open closes it with FINs both ways, then ends the sink once', async () => {
    const port = await server((s) => s.on('data', (d) => s.write(d)));
    const { tap, sink } = await tapWith();
    const relay = await tap.tcpRelay({ host: '127.0.0.1', port });
    const c = await connect(relay);
    c.on('data', () => undefined);
    c.on('end', () => c.end());
    c.write('ping');
    await until(() => packets(sink).filter((p) => p.payload.length).length === 2, 3000, 'echo');
    await tap.stop();
    expect(sink.ends).toEqual([null]);
    await tap.stop();
    expect(sink.ends).toEqual([null]);
    const ps = packets(sink);
    expect(ps.filter((p) => p.flags & 1)).toHaveLength(2);
    expect(ps[ps.length - 1].flags).toBe(0x10);
    expect(checkTcp(ps).problems).toEqual([]);
    if (!tsharkMissing) tsharkClean(save(sink, 'stop.pcapng'));
  });

  it('two connections through one relay are two streams', async () => {
    const port = await server((s) => {
      s.pipe(s);
    });
    const { tap, sink } = await tapWith();
    const relay = await tap.tcpRelay({ host: '127.0.0.1', port });
    const a = await connect(relay);
    const b = await connect(relay);
    const ra = readAll(a);
    const rb = readAll(b);
    a.end('first');
    b.end('second');
    expect((await ra).toString()).toBe('first');
    expect((await rb).toString()).toBe('second');
    await until(
      () => packets(sink).filter((p) => p.flags & 1).length === 4 && packets(sink).at(-1)?.flags === 0x10,
      5000,
      'both closed',
    );
    expect(checkTcp(packets(sink)).problems).toEqual([]);
    if (!tsharkMissing) {
      const f = save(sink, 'two.pcapng');
      tsharkClean(f);
      expect(new Set(tsharkFields(f, ['tcp.stream']).map((r) => r[0]))).toEqual(new Set(['0', '1']));
    }
  });

  it('an IPv6 target (::1) is written as IPv6, MSS 1440', async () => {
    const port = await server((s) => {
      s.pipe(s);
    }, '::1');
    const { tap, sink } = await tapWith();
    const relay = await tap.tcpRelay({ host: '::1', port });
    expect(relay.host).toBe('::1');
    const c = await connect(relay);
    const back = readAll(c);
    const payload = randomBytes(5000);
    c.end(payload);
    expect((await back).equals(payload)).toBe(true);
    const ps = await closedCleanly(sink);
    expect(ps.every((p) => p.v6 && p.src === '::1' && p.ttl === 64)).toBe(true);
    expect(ps[0].mss).toBe(1440);
    expect(checkTcp(ps).problems).toEqual([]);
    if (!tsharkMissing) {
      const f = save(sink, 'v6.pcapng');
      tsharkClean(f);
      expect(tsharkFields(f, ['ipv6.src', 'tcp.checksum.status'], CK)[0]).toEqual(['::1', '1']);
      expect(followRaw(f).node1.equals(payload)).toBe(true);
    }
  });
});
