// Stopping a capture right after the traffic keeps that traffic. dumpcap 4.0 hands packets over
// only when libpcap's 250 ms read timeout fires and drops what it still holds when interrupted, so
// a stop 100 ms after a short exchange used to keep none of it (capture-helper.ts holds the
// interrupt back). Both helpers; loopback only; every wait bounded.
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createReader } from '../../shared/capture/reader';
import { captureHelper, locateHelper, runningHelpers } from '../../electron/live/capture-helper';

const root = process.getuid?.() === 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const server = net.createServer((s) => s.pipe(s));
afterAll(async () => {
  await new Promise((r) => server.close(r));
  expect(runningHelpers()).toBe(0);
});

describe.each(['dumpcap', 'tcpdump'] as const)('%s stopped 100 ms after the last packet', (helper) => {
  const skip = !root
    ? 'not root: capturing on lo needs capture rights (run the tests as root, as CI does)'
    : !locateHelper(helper)
      ? `${helper} is not installed`
      : '';
  it.skipIf(!!skip)(
    `keeps every packet of the exchange${skip ? ` (skipped: ${skip})` : ''}`,
    async () => {
      if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as net.AddressInfo).port;
      let packets = 0;
      const reader = createReader({ packet: () => void packets++ });
      const src = captureHelper({ iface: 'lo', filter: `tcp port ${port}`, helper });
      let ended: string | null | undefined;
      await src.start({ data: (c) => reader.push(c), end: (p) => (ended = p) });
      const c = net.connect(port, '127.0.0.1');
      await new Promise((r) => c.once('connect', r));
      const echoed = new Promise((r) => c.once('data', r));
      c.write('hello');
      await echoed;
      c.end();
      await new Promise((r) => c.once('close', r));
      await sleep(100);
      await src.stop();
      expect(ended).toBeNull();
      // SYN, SYN-ACK, ACK, data, ACK, echo, ACK, FIN/ACK exchange: at least 8 segments.
      expect(packets).toBeGreaterThanOrEqual(8);
    },
    20_000,
  );
});
