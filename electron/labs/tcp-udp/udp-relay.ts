// The lossy UDP relay of the TCP-vs-UDP lab in capture mode: a user-space socket between the
// client and the server that forwards datagrams both ways and drops a chosen share of them, to
// show what "no delivery guarantee" means. The loss is SIMULATED (a coin toss here, not a full
// queue or a bad link), and the captions say so. In tap mode the tap's own udpRelay does the same.
import { createSocket, type RemoteInfo } from 'node:dgram';
import { bindFree, LAB_HOST } from '../net';

export interface UdpRelay {
  host: string;
  port: number;
  close(): void;
}

export interface UdpRelayOptions {
  /** Percent of the client's datagrams dropped (0–90). */
  lossPercent: number;
  /** [0, 1) random numbers: a datagram is dropped when random() × 100 < lossPercent. */
  random?: () => number;
  onDrop?: (bytes: number) => void;
  preferredPort?: number;
}

export function shouldDrop(lossPercent: number, random: () => number): boolean {
  return lossPercent > 0 && random() * 100 < lossPercent;
}

export async function startUdpRelay(
  target: { host: string; port: number },
  opts: UdpRelayOptions,
): Promise<UdpRelay> {
  const { socket } = await bindFree(() => createSocket('udp4'), opts.preferredPort ?? 0);
  const random = opts.random ?? Math.random;
  let client: RemoteInfo | null = null;
  socket.on('message', (msg, from) => {
    const fromServer = from.address === target.host && from.port === target.port;
    if (!fromServer) client = from;
    const to = fromServer ? client : target;
    if (!to) return;
    // Only the client's datagrams are dropped, as the tap's relay does: a lost request, no echo.
    if (!fromServer && shouldDrop(opts.lossPercent, random)) {
      opts.onDrop?.(msg.length);
      return;
    }
    socket.send(msg, to.port, 'address' in to ? to.address : to.host);
  });
  socket.on('error', () => undefined);
  let closed = false;
  return {
    host: LAB_HOST,
    port: socket.address().port,
    close: () => {
      if (closed) return;
      closed = true;
      socket.close();
    },
  };
}

/** A small seeded generator (mulberry32) so a run with simulated loss can be repeated exactly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
