// The no-privilege tap: the labs' client and server talk through relays in this process, and
// what the relays really read and wrote is written as a pcapng stream of reconstructed IP packets
// (shared/capture/tap-packets.ts builds them). Payload bytes and timestamps are real; IP and
// TCP/UDP headers are made up to match, and every packet says so in its comment (TAP_COMMENT),
// which the views show as a badge.
import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { randomInt } from 'node:crypto';
import { PcapngWriter, type WriterInterface } from '../../shared/capture/pcapng-writer';
import { TAP_COMMENT } from '../../shared/capture/tap-comment';
import {
  parseIp,
  TAP_LINKTYPE,
  TcpFlow,
  udpDatagram,
  type Endpoint,
  type Side,
} from '../../shared/capture/tap-packets';
import type { LiveSink, LiveSource } from './source';

export interface Relay {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface TapOptions {
  /** Nanoseconds since the epoch (tests); default: wall clock anchored once, advanced by hrtime. */
  now?: () => bigint;
  /** Interface name in the IDB; default 'tap'. */
  iface?: string;
}

export interface UdpRelayOptions {
  /** Percent (0–100) of client→target datagrams the relay drops, as simulated loss. */
  lossPercent?: number;
  /** Uniform [0, 1) source deciding drops (tests pass a seeded one); default Math.random. */
  random?: () => number;
  /** Called after each drop with the number dropped so far by this relay. */
  onDrop?: (n: number) => void;
}

/** Second comment on a datagram the lossy relay dropped (the first is TAP_COMMENT). */
export const TAP_LOSS_COMMENT =
  'Wirescope lab relay: simulated loss - this datagram was dropped by the relay and never reached its destination';

// How long a relay close waits for both peers to close after the FINs before destroying sockets.
const GRACE_MS = 1000;

function defaultClock(): () => bigint {
  const anchor = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
  return () => anchor + process.hrtime.bigint();
}

async function resolveHost(host: string): Promise<string> {
  if (net.isIP(host)) return host;
  return (await lookup(host)).address;
}

function listenAddress(target: string): string {
  return net.isIPv6(target) ? '::1' : '127.0.0.1';
}

export class Tap implements LiveSource {
  readonly label = 'Wirescope tap';
  private readonly now: () => bigint;
  private readonly writer = new PcapngWriter({ application: 'Wirescope' });
  private readonly iface: WriterInterface;
  private sink: LiveSink | null = null;
  /** Blocks made before start(): delivered right after the header. */
  private early: Uint8Array[] = [];
  private stopped = false;
  private ipId = randomInt(0x10000);
  private readonly relays = new Set<Relay>();

  constructor(opts: TapOptions = {}) {
    this.now = opts.now ?? defaultClock();
    this.iface = {
      linktype: TAP_LINKTYPE,
      name: opts.iface ?? 'tap',
      description:
        'Wirescope tap: packets reconstructed from relayed socket data (IP and TCP/UDP headers made by Wirescope; payload and timing real)',
      snaplen: 0,
      tsResolution: 9,
    };
  }

  async start(sink: LiveSink): Promise<void> {
    if (this.sink || this.stopped) throw new Error('the tap was already started');
    this.sink = sink;
    // The IDB comes out of the writer with an interface's first packet; it is written now (and
    // that packet's block discarded) so a reader knows the interface before any traffic.
    const [idb] = this.writer.packet('tap', this.iface, { tsSec: 0, tsNsec: 0, data: new Uint8Array(0) });
    sink.data(concat([this.writer.header(), idb, ...this.early]));
    this.early = [];
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    await Promise.all([...this.relays].map((r) => r.close()));
    this.stopped = true;
    const sink = this.sink;
    this.sink = null;
    sink?.end(null);
  }

  private nextIpId = (): number => (this.ipId = (this.ipId + 1) & 0xffff);

  /** Writes packets made by one event, all at the event's time, in one sink call. */
  private write(packets: readonly Uint8Array[], extraComment?: string): void {
    if (this.stopped || !packets.length) return;
    const ns = this.now();
    const tsSec = Number(ns / 1_000_000_000n);
    const tsNsec = Number(ns % 1_000_000_000n);
    const comments = extraComment ? [TAP_COMMENT, extraComment] : [TAP_COMMENT];
    const blocks: Uint8Array[] = [];
    for (const data of packets)
      blocks.push(...this.writer.packet('tap', this.iface, { tsSec, tsNsec, data, comments }));
    if (this.sink) this.sink.data(concat(blocks));
    else this.early.push(...blocks);
  }

  async tcpRelay(target: { host: string; port: number }): Promise<Relay> {
    const targetAddr = await resolveHost(target.host);
    const host = listenAddress(targetAddr);
    const conns = new Set<RelayedConnection>();
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (client) => {
      // A client that reset before it was accepted has no address left to write packets for.
      if (!client.remoteAddress || !client.remotePort) return void client.destroy();
      const c = new RelayedConnection(
        client,
        targetAddr,
        target.port,
        this.nextIpId,
        (p) => this.write(p),
        () => conns.delete(c),
      );
      conns.add(c);
    });
    await listen(server, host);
    return this.addRelay(host, (server.address() as net.AddressInfo).port, async () => {
      const closed = new Promise<void>((r) => server.close(() => r()));
      await Promise.all([...conns].map((c) => c.close()));
      await closed;
    });
  }

  async udpRelay(target: { host: string; port: number }, opts: UdpRelayOptions = {}): Promise<Relay> {
    const targetAddr = await resolveHost(target.host);
    const host = listenAddress(targetAddr);
    const type = net.isIPv6(targetAddr) ? 'udp6' : 'udp4';
    const loss = Math.max(0, Math.min(100, opts.lossPercent ?? 0));
    const random = opts.random ?? Math.random;
    const targetEp: Endpoint = { addr: parseIp(targetAddr), port: target.port };
    const front = dgram.createSocket(type);
    const clients = new Map<string, dgram.Socket>();
    let drops = 0;
    let closed = false;
    front.on('message', (msg, rinfo) => {
      const clientEp: Endpoint = { addr: parseIp(rinfo.address), port: rinfo.port };
      const payload = new Uint8Array(msg.buffer, msg.byteOffset, msg.length);
      const dropped = loss > 0 && random() * 100 < loss;
      // A dropped datagram is still written: the capture stands where the client sent it (as
      // Wireshark on the client's host would), so the datagram was really sent; leaving it out
      // would hide the very loss the lab shows. Its second comment says the relay dropped it,
      // so `frame.comment contains "simulated loss"` finds every one.
      this.write(
        [udpDatagram({ src: clientEp, dst: targetEp, ipId: this.nextIpId(), payload })],
        dropped ? TAP_LOSS_COMMENT : undefined,
      );
      if (dropped) {
        drops += 1;
        opts.onDrop?.(drops);
        return;
      }
      const key = `${rinfo.address}|${rinfo.port}`;
      let up = clients.get(key);
      if (!up) {
        const sock = dgram.createSocket(type);
        sock.on('message', (reply, from) => {
          if (from.port !== target.port || parseIp(from.address).join() !== targetEp.addr.join()) return;
          const bytes = new Uint8Array(reply.buffer, reply.byteOffset, reply.length);
          this.write([udpDatagram({ src: targetEp, dst: clientEp, ipId: this.nextIpId(), payload: bytes })]);
          if (!closed) front.send(reply, rinfo.port, rinfo.address);
        });
        sock.on('error', () => undefined);
        sock.bind(0, host);
        clients.set(key, sock);
        up = sock;
      }
      up.send(msg, target.port, targetAddr);
    });
    front.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      front.once('error', reject);
      front.bind(0, host, () => {
        front.off('error', reject);
        resolve();
      });
    });
    return this.addRelay(host, front.address().port, async () => {
      closed = true;
      await Promise.all(
        [front, ...clients.values()].map((s) => new Promise<void>((r) => s.close(() => r()))),
      );
    });
  }

  /** A relay whose close runs `stop` once (a second close gets the same promise), then forgets it. */
  private addRelay(host: string, port: number, stop: () => Promise<void>): Relay {
    let closing: Promise<void> | null = null;
    const relay: Relay = {
      host,
      port,
      close: () =>
        (closing ??= (async () => {
          await stop();
          this.relays.delete(relay);
        })()),
    };
    this.relays.add(relay);
    return relay;
  }
}

function listen(server: net.Server, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** One accepted client socket, its upstream socket, and the TcpFlow writing both as one stream. */
class RelayedConnection {
  private readonly flow: TcpFlow;
  private readonly upstream: net.Socket;
  private readonly packets: Uint8Array[] = [];
  private readonly ended: [boolean, boolean] = [false, false];
  private readonly closed: Promise<void>;
  private connected = false;

  constructor(
    private readonly client: net.Socket,
    targetAddr: string,
    targetPort: number,
    ipId: () => number,
    private readonly write: (packets: Uint8Array[]) => void,
    onClosed: () => void,
  ) {
    const clientEp: Endpoint = { addr: parseIp(client.remoteAddress ?? ''), port: client.remotePort ?? 0 };
    const serverEp: Endpoint = { addr: parseIp(targetAddr), port: targetPort };
    this.flow = new TcpFlow({
      client: clientEp,
      server: serverEp,
      // The server's ISN is never 0xffffffff: the client's handshake ACK would then carry ack 0,
      // which tshark 4.0 takes for a duplicate ACK (its last-ack starts at 0 for a side whose
      // first segment, the SYN, had no ACK) — found by the property test.
      isn: [randomInt(2 ** 32), randomInt(2 ** 32 - 1)],
      ipId,
      out: (p) => this.packets.push(p),
    });
    this.run(() => this.flow.syn());
    const upstream = net.connect({ host: targetAddr, port: targetPort, allowHalfOpen: true });
    this.upstream = upstream;
    let open = 2;
    this.closed = new Promise<void>((resolve) => {
      const one = (): void => {
        if (--open === 0) {
          onClosed();
          resolve();
        }
      };
      client.once('close', one);
      upstream.once('close', one);
    });
    upstream.once('connect', () => {
      this.connected = true;
      this.run(() => this.flow.connected());
      client.resume();
    });
    this.pipe(0, client, upstream);
    this.pipe(1, upstream, client);
  }

  /** Runs a flow event and writes the packets it made as one event. */
  private run(f: () => void): void {
    try {
      f();
    } catch {
      // The flow refused an event it cannot write truthfully (bytes after its FIN when a relay is
      // closed while data still arrives). This runs in socket handlers, where a throw would end
      // the whole backend: the connection is reset instead, and the capture shows the RST.
      this.flow.reset(0);
      this.client.destroy();
      this.upstream?.destroy();
    }
    if (this.packets.length) this.write(this.packets.splice(0));
  }

  private pipe(from: Side, src: net.Socket, dst: net.Socket): void {
    src.on('data', (chunk: Buffer) => {
      const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
      this.run(() => this.flow.data(from, bytes));
      const ok = dst.write(chunk, (err) => {
        if (!err) this.run(() => this.flow.handed(from, bytes.length));
      });
      if (!ok) {
        src.pause();
        dst.once('drain', () => src.resume());
      }
    });
    src.on('end', () => this.ended[from] || this.end(from));
    src.on('error', () => {
      if (from === 1 && !this.connected) this.run(() => this.flow.refused());
      else this.run(() => this.flow.reset(from));
      if (!dst.destroyed) dst.resetAndDestroy();
      src.destroy();
    });
  }

  /** `from`'s side ended: its FIN, and passing the end on to the other socket. */
  private end(from: Side): void {
    this.ended[from] = true;
    this.run(() => this.flow.fin(from));
    const dst = from === 0 ? this.upstream : this.client;
    dst.end(() => this.run(() => this.flow.finHanded(from)));
  }

  /** Closes both sides as a simultaneous close (each side's FIN), then waits, then destroys. */
  async close(): Promise<void> {
    if (!this.connected) {
      // Still waiting for the upstream: the client gives up, as a stack would with a reset.
      this.run(() => this.flow.reset(0));
      this.client.destroy();
      this.upstream.destroy();
    } else {
      for (const from of [0, 1] as const) if (!this.ended[from]) this.end(from);
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.closed, new Promise<void>((r) => (timer = setTimeout(r, GRACE_MS)))]);
    clearTimeout(timer);
    this.client.destroy();
    this.upstream.destroy();
    await this.closed;
  }
}
