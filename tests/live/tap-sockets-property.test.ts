// Property over real sockets: a client and a server write random-sized chunks to each other
// through tap.tcpRelay, interleaved at random, then both end. Whatever the event order the
// kernel and Node produce, our reader finds one consistent stream (seq/ack, window, checksums)
// and each direction's payload is exactly the bytes written.
import net from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Tap } from '../../electron/live/tap';
import { checkTcp, collector, delay, parsePacket, readCapture, until } from './tap-helpers';

const writeArb = fc.record({
  fromClient: fc.boolean(),
  size: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1000, max: 70_000 })),
  pause: fc.integer({ min: 0, max: 3 }),
});

async function once(writes: { fromClient: boolean; size: number; pause: number }[]): Promise<void> {
  const got: [Buffer[], Buffer[]] = [[], []];
  let serverSock: net.Socket | undefined;
  const srv = net.createServer({ allowHalfOpen: true }, (s) => {
    serverSock = s;
    s.on('data', (d) => got[0].push(d));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const tap = new Tap();
  const sink = collector();
  await tap.start(sink);
  try {
    const relay = await tap.tcpRelay({ host: '127.0.0.1', port: (srv.address() as net.AddressInfo).port });
    const c = net.connect({ host: relay.host, port: relay.port, allowHalfOpen: true });
    c.on('data', (d) => got[1].push(d));
    const clientEnded = new Promise((r) => c.once('end', r));
    await new Promise((r) => c.once('connect', r));
    await until(() => serverSock !== undefined, 3000, 'the server side');
    const serverEnded = new Promise((r) => serverSock!.once('end', r));
    const sent: [Buffer[], Buffer[]] = [[], []];
    let n = 0;
    for (const w of writes) {
      const b = Buffer.alloc(w.size, n++ & 0xff);
      sent[w.fromClient ? 0 : 1].push(b);
      (w.fromClient ? c : serverSock!).write(b);
      if (w.pause) await delay(w.pause);
    }
    c.end();
    serverSock!.end();
    await Promise.all([clientEnded, serverEnded]);
    await until(
      () => {
        const ps = readCapture(sink.bytes()).packets.map((p) => parsePacket(p.data));
        return ps.filter((p) => p.flags & 1).length === 2 && ps[ps.length - 1].flags === 0x10;
      },
      5000,
      'both FINs acknowledged',
    );
    const ps = readCapture(sink.bytes()).packets.map((p) => parsePacket(p.data));
    const { problems, bytes } = checkTcp(ps);
    expect(problems).toEqual([]);
    const k = `${ps[0].src}:${ps[0].sport}>${ps[0].dst}:${ps[0].dport}`;
    const r = `${ps[0].dst}:${ps[0].dport}>${ps[0].src}:${ps[0].sport}`;
    const want = [Buffer.concat(sent[0]), Buffer.concat(sent[1])];
    expect(Buffer.concat(got[0]).equals(want[0])).toBe(true);
    expect(Buffer.concat(got[1]).equals(want[1])).toBe(true);
    expect((bytes.get(k) ?? Buffer.alloc(0)).equals(want[0])).toBe(true);
    expect((bytes.get(r) ?? Buffer.alloc(0)).equals(want[1])).toBe(true);
  } finally {
    await tap.stop();
    serverSock?.destroy();
    await new Promise<void>((r) => srv.close(() => r()));
  }
}

describe('tap over real sockets: random writes both ways', () => {
  it('one consistent stream with the exact bytes (8 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(writeArb, { minLength: 1, maxLength: 12 }), (w) => once(w)),
      { numRuns: 8 },
    );
  }, 60_000);
});
