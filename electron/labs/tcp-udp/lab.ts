// The TCP-vs-UDP lab: the same N small messages sent over TCP (one connection, each message
// echoed back) and over UDP (each datagram echoed back) between real sockets on 127.0.0.1, with
// an optional lossy relay on the UDP side. The report is counted afterwards from the capture.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import type { LabStart } from '../../../shared/contract/api';
import type { LabContext, LabRelay, PreparedLab } from '../lab';
import { bindFree, LAB_HOST, listenFree, preview } from '../net';
import { captureFacts } from './capture-facts';
import { transportReports } from './report';
import { startUdpRelay, type UdpRelay } from './udp-relay';

export const DEFAULT_MESSAGES = 10;
export const PREFERRED_TCP_PORT = 7007;
export const PREFERRED_UDP_PORT = 7008;
/** How long a TCP echo may take before the lab gives up (loopback answers in well under 1 ms). */
const TCP_ECHO_TIMEOUT_MS = 5000;
/** How long the UDP sender waits for each echo before it counts the datagram lost. */
export const DEFAULT_UDP_WAIT_MS = 300;

export function labMessage(i: number, n: number): string {
  return `message ${i} of ${n}`;
}

export async function prepareTcpUdpLab(start: LabStart, ctx: LabContext): Promise<PreparedLab> {
  const n = Math.max(1, Math.min(1000, Math.floor(start.messages ?? DEFAULT_MESSAGES)));
  const loss = Math.max(0, Math.min(90, start.loss ?? 0));
  const waitMs = ctx.opts.udpWaitMs ?? DEFAULT_UDP_WAIT_MS;
  const pref = ctx.opts.preferredPorts ?? {};
  const random = ctx.opts.random ?? Math.random;
  const sockets = new Set<Socket>();
  const tcpServer: Server = createServer((s) => {
    sockets.add(s);
    s.on('data', (d) => s.write(d));
    s.on('end', () => s.end());
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  const tcpPort = await listenFree(tcpServer, pref.tcp ?? PREFERRED_TCP_PORT);
  const { socket: udpServer, port: udpPort } = await bindFree(
    () => createSocket('udp4'),
    pref.udp ?? PREFERRED_UDP_PORT,
  );
  udpServer.on('message', (msg, from) => udpServer.send(msg, from.port, from.address));
  udpServer.on('error', () => undefined);
  const drops = { count: 0 };
  const onDrop = () => {
    drops.count++;
    ctx.step(
      `The relay drops a datagram (simulated loss: each of the client’s datagrams has a ${loss}% chance).`,
    );
  };
  // Capture mode: our own relay, only when there is loss to simulate; its port joins the filter.
  let ownRelay: UdpRelay | null =
    ctx.mode === 'capture' && loss > 0
      ? await startUdpRelay(
          { host: LAB_HOST, port: udpPort },
          { lossPercent: loss, random, onDrop, preferredPort: pref.relay },
        )
      : null;
  const ports = [`tcp port ${tcpPort}`, `udp port ${udpPort}`];
  if (ownRelay) ports.push(`udp port ${ownRelay.port}`);
  const filter = `host ${LAB_HOST} and (${ports.join(' or ')})`;

  let tcpClient: Socket | null = null;
  let udpClient: UdpSocket | null = null;
  const relays: LabRelay[] = [];
  const clientPorts: { tcp?: number; udp?: number } = {};

  async function runTcp(): Promise<void> {
    let via = { host: LAB_HOST, port: tcpPort };
    if (ctx.mode === 'tap') {
      const r = await ctx.tap().tcpRelay({ host: LAB_HOST, port: tcpPort });
      relays.push(r);
      via = { host: r.host, port: r.port };
      ctx.step(
        'TCP goes through the tap’s relay. A relay in user space cannot lose TCP segments: the kernel’s TCP has already delivered the bytes reliably on each side, so this side shows no loss and no retransmissions.',
      );
    }
    ctx.step(
      `TCP: the client opens a connection to ${LAB_HOST}:${tcpPort}: SYN, SYN-ACK, ACK before any data.`,
    );
    const sock = await new Promise<Socket>((resolve, reject) => {
      const s = connect({ host: via.host, port: via.port });
      s.once('error', (e) =>
        reject(new Error(`TCP: cannot connect to ${via.host}:${via.port}: ${e.message}`)),
      );
      s.once('connect', () => resolve(s));
    });
    tcpClient = sock;
    clientPorts.tcp = sock.localPort;
    sock.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    let want: { size: number; resolve: () => void } | null = null;
    sock.on('data', (d) => {
      buffered = Buffer.concat([buffered, d]);
      if (want && buffered.length >= want.size) want.resolve();
    });
    const closed = new Promise<void>((resolve) => sock.once('close', () => resolve()));
    await ctx.pace();
    for (let i = 1; i <= n && !ctx.stopping(); i++) {
      const text = labMessage(i, n);
      const bytes = Buffer.from(text);
      ctx.sent(`tcp → “${text}” (${bytes.length} bytes)`);
      const echoed = new Promise<void>((resolve, reject) => {
        const t = setTimeout(
          () => reject(new Error(`TCP: no echo of message ${i} within ${TCP_ECHO_TIMEOUT_MS} ms.`)),
          TCP_ECHO_TIMEOUT_MS,
        );
        want = {
          size: bytes.length,
          resolve: () => {
            clearTimeout(t);
            resolve();
          },
        };
        closed.then(
          () => reject(new Error('TCP: the connection closed before the echo came back.')),
          () => undefined,
        );
      });
      sock.write(bytes);
      await echoed;
      want = null;
      const back = buffered.subarray(0, bytes.length).toString('utf8');
      buffered = buffered.subarray(bytes.length);
      ctx.received(`tcp ← “${preview(back)}” (echo)`);
      await ctx.pace();
    }
    if (ctx.stopping()) return;
    ctx.step('TCP: the client closes the connection: FIN, ACK each way.');
    sock.end();
    await closed;
  }

  async function runUdp(): Promise<void> {
    let target = { host: LAB_HOST, port: udpPort };
    if (ctx.mode === 'tap') {
      const r = await ctx
        .tap()
        .udpRelay({ host: LAB_HOST, port: udpPort }, loss > 0 ? { lossPercent: loss, random, onDrop } : {});
      relays.push(r);
      target = { host: r.host, port: r.port };
    } else if (ownRelay) {
      target = { host: ownRelay.host, port: ownRelay.port };
    }
    if (loss > 0)
      ctx.step(
        `UDP goes through a lossy relay that drops about ${loss}% of the client’s datagrams: SIMULATED loss (a coin toss in the relay, not a real link). The sender waits ${waitMs} ms for each echo and counts the missing ones.`,
      );
    ctx.step(
      `UDP: no connection to open: the client sends its first datagram to ${LAB_HOST}:${udpPort} at once.`,
    );
    const { socket } = await bindFree(() => createSocket('udp4'));
    udpClient = socket;
    clientPorts.udp = socket.address().port;
    socket.on('error', () => undefined);
    let waiting: ((msg: Buffer) => void) | null = null;
    socket.on('message', (msg) => waiting?.(msg));
    let lost = 0;
    for (let i = 1; i <= n && !ctx.stopping(); i++) {
      const text = labMessage(i, n);
      const bytes = Buffer.from(text);
      ctx.sent(`udp → “${text}” (${bytes.length} bytes)`);
      const echo = new Promise<Buffer | null>((resolve) => {
        const t = setTimeout(() => resolve(null), waitMs);
        waiting = (msg) => {
          if (msg.toString('utf8') !== text) return;
          clearTimeout(t);
          resolve(msg);
        };
      });
      socket.send(bytes, target.port, target.host);
      const got = await echo;
      waiting = null;
      if (got) ctx.received(`udp ← “${preview(got.toString('utf8'))}” (echo)`);
      else {
        lost++;
        ctx.step(`UDP: no echo of “${text}” within ${waitMs} ms: lost, and nobody resends it.`);
      }
      await ctx.pace();
    }
    if (ctx.stopping()) return;
    ctx.step(`UDP: done, nothing to close (no teardown packets). ${n - lost} of ${n} echoes came back.`);
  }

  async function closeAll(): Promise<void> {
    tcpClient?.destroy();
    try {
      udpClient?.close();
    } catch {
      // already closed
    }
    udpClient = null;
    for (const r of relays.splice(0)) await Promise.resolve(r.close()).catch(() => undefined);
    ownRelay?.close();
    ownRelay = null;
    for (const s of sockets) s.destroy();
    try {
      udpServer.close();
    } catch {
      // already closed
    }
    await new Promise<void>((resolve) => tcpServer.close(() => resolve()));
  }

  return {
    target: `${LAB_HOST}:${tcpPort} (TCP), ${LAB_HOST}:${udpPort} (UDP)`,
    iface: 'lo',
    filter,
    async run() {
      ctx.step(
        `The same ${n} messages go over TCP, then over UDP, each echoed back by a server on ${LAB_HOST}.`,
      );
      await runTcp();
      await ctx.pace();
      if (ctx.stopping()) throw new Error('The lab was stopped.');
      await runUdp();
      if (ctx.stopping()) throw new Error('The lab was stopped.');
      return {
        summary: `TCP vs UDP lab finished: ${n} messages each way${loss > 0 ? `, ${loss}% simulated UDP loss` : ''}. Counts measured from the capture.`,
      };
    },
    act: () => Promise.reject(new Error('The TCP vs UDP lab runs by itself: there is nothing to send.')),
    close: closeAll,
    async measure(file) {
      return transportReports(await captureFacts(file), {
        tcpClientPort: clientPorts.tcp,
        udpClientPort: clientPorts.udp,
      });
    },
  };
}
