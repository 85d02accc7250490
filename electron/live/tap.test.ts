// The Tap as a LiveSource: header and interface at start, the clock it is given, packets made
// before start kept, one end, stop twice safe.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TAP_COMMENT } from '../../shared/capture/tap-comment';
import { collector, readCapture, until } from '../../tests/live/tap-helpers';
import { Tap } from './tap';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function echoServer(): Promise<number> {
  const srv = net.createServer((s) => s.pipe(s));
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => srv.close(() => r())));
  return (srv.address() as net.AddressInfo).port;
}

describe('Tap lifecycle', () => {
  it('start writes the section header and the raw-IP interface at once, in one chunk', async () => {
    const tap = new Tap({ iface: 'lab-tap' });
    expect(tap.label).toBe('Wirescope tap');
    const sink = collector();
    await tap.start(sink);
    expect(sink.chunks).toHaveLength(1);
    const { packets, ifaces, warnings } = readCapture(sink.bytes());
    expect(warnings).toEqual([]);
    expect(packets).toEqual([]);
    expect(ifaces).toHaveLength(1);
    expect(ifaces[0]).toMatchObject({ linktype: 101, name: 'lab-tap', tsPerSecond: 1e9 });
    expect(ifaces[0].description).toMatch(/reconstructed/);
    await tap.stop();
    expect(sink.ends).toEqual([null]);
    await tap.stop();
    expect(sink.ends).toEqual([null]);
    await expect(tap.start(collector())).rejects.toThrow(/already/);
  });

  it('timestamps come from the given clock at ns resolution; one sink call per event', async () => {
    let t = 1_700_000_000_123_456_789n;
    const tap = new Tap({ now: () => (t += 1000n) });
    const sink = collector();
    await tap.start(sink);
    cleanups.push(() => tap.stop());
    const relay = await tap.tcpRelay({ host: '127.0.0.1', port: await echoServer() });
    const c = net.connect(relay.port, relay.host);
    cleanups.push(() => void c.destroy());
    await new Promise((r) => c.once('connect', r));
    await until(() => readCapture(sink.bytes()).packets.length === 3, 3000, 'the handshake');
    const { packets } = readCapture(sink.bytes());
    // SYN at one event; SYN-ACK and the ACK together at the next.
    expect(packets.map((p) => [p.tsSec, p.tsNsec])).toEqual([
      [1_700_000_000, 123_457_789],
      [1_700_000_000, 123_458_789],
      [1_700_000_000, 123_458_789],
    ]);
    expect(sink.chunks).toHaveLength(3);
    expect(packets.every((p) => p.comments[0] === TAP_COMMENT)).toBe(true);
  });

  it('packets made before start are delivered right after the header', async () => {
    const tap = new Tap();
    const relay = await tap.tcpRelay({ host: '127.0.0.1', port: await echoServer() });
    const c = net.connect(relay.port, relay.host);
    cleanups.push(() => void c.destroy());
    const got: Buffer[] = [];
    c.on('data', (d) => got.push(d));
    c.write('early');
    await until(() => Buffer.concat(got).toString() === 'early', 3000, 'the echo');
    const sink = collector();
    await tap.start(sink);
    const { packets } = readCapture(sink.bytes());
    expect(packets.length).toBeGreaterThanOrEqual(5);
    expect(sink.chunks).toHaveLength(1);
    c.end();
    await tap.stop();
    expect(sink.ends).toEqual([null]);
  });
});
