// The tap's packet model: IPv4/IPv6 + TCP/UDP headers built around payload bytes the relay really
// read from a socket, and a per-connection TCP model (TcpFlow) that turns relay events (accepted,
// upstream connected, bytes read, bytes handed to the other socket, end, reset) into segments
// whose sequence and acknowledgement numbers tshark's TCP analysis accepts as one clean stream.
// Pure: no Node APIs, so it is testable without sockets and usable by any room.
//
// Link type is LINKTYPE_RAW (101): the packets are IP with no link header. A loopback relay has
// no MAC addresses to report, and inventing zero Ethernet addresses would put a fabricated layer
// in the views; raw IP is decoded by tshark ("Raw packet data") and by our raw.ts alike.

export const TAP_LINKTYPE = 101;
/**
 * MSS: 1460 for IPv4 and 1440 for IPv6 — what a host on an Ethernet (1500-byte MTU) path
 * advertises. Loopback would allow 65483, but the labs teach TCP as seen on a real network,
 * where a big write becomes many segments; and 44 segments fit in the 65535-byte window, so a
 * bulk transfer is shown flowing rather than as one segment per round trip.
 */
export const TAP_MSS_V4 = 1460;
export const TAP_MSS_V6 = 1440;
/** Window field: the largest value without window scaling (no WS option is sent, RFC 7323 §2). */
export const TAP_WINDOW = 65535;

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

const PROTO_TCP = 6;
const PROTO_UDP = 17;

export interface Endpoint {
  /** 4 bytes (IPv4) or 16 bytes (IPv6). */
  addr: Uint8Array;
  port: number;
}

/** Parses a textual IPv4 or IPv6 address (as Node's socket.remoteAddress gives it). */
export function parseIp(text: string): Uint8Array {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  if (mapped) return parseIp(mapped[1]);
  if (/^\d+\.\d+\.\d+\.\d+$/.test(text)) {
    const parts = text.split('.').map(Number);
    if (parts.some((n) => n > 255)) throw new Error(`not an IPv4 address: ${text}`);
    return Uint8Array.from(parts);
  }
  const zone = text.indexOf('%');
  const t = zone >= 0 ? text.slice(0, zone) : text;
  const halves = t.split('::');
  if (halves.length > 2 || !/^[0-9a-f:.]*$/i.test(t)) throw new Error(`not an IP address: ${text}`);
  const groups = (h: string): number[] => {
    if (!h) return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (g.includes('.')) {
        const v4 = parseIp(g);
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else {
        if (!/^[0-9a-f]{1,4}$/i.test(g)) throw new Error(`not an IPv6 address: ${text}`);
        out.push(parseInt(g, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const fill = 8 - head.length - tail.length;
  if (fill < 0 || (halves.length === 1 && fill !== 0)) throw new Error(`not an IPv6 address: ${text}`);
  const all = [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

/** One's-complement sum of `bytes[from, to)` folded into `sum` (RFC 1071). */
function sum16(bytes: Uint8Array, from: number, to: number, sum: number): number {
  let i = from;
  for (; i + 1 < to; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (i < to) sum += bytes[i] << 8;
  return sum;
}

function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

/**
 * An IP packet of `proto` carrying a transport header + payload of `l4Length` bytes, with the
 * transport checksum computed over the pseudo-header (RFC 793 §3.1, RFC 768, RFC 8200 §8.1).
 * `fillL4` writes the transport bytes (checksum field zero) at `at`; `checksumAt` is the offset of
 * the checksum field within the transport header.
 */
function ipPacket(
  src: Uint8Array,
  dst: Uint8Array,
  proto: number,
  ipId: number,
  l4Length: number,
  checksumAt: number,
  fillL4: (bytes: Uint8Array, dv: DataView, at: number) => void,
): Uint8Array {
  const v6 = src.length === 16;
  if (v6 !== (dst.length === 16)) throw new Error('source and destination are different IP versions');
  const ipLen = v6 ? 40 : 20;
  if (l4Length > 0xffff || (!v6 && ipLen + l4Length > 0xffff))
    throw new RangeError(`IP packet of ${ipLen + l4Length} bytes exceeds the 65535-byte length field`);
  const bytes = new Uint8Array(ipLen + l4Length);
  const dv = new DataView(bytes.buffer);
  if (v6) {
    dv.setUint32(0, 0x60000000);
    dv.setUint16(4, l4Length);
    bytes[6] = proto;
    bytes[7] = 64;
    bytes.set(src, 8);
    bytes.set(dst, 24);
  } else {
    bytes[0] = 0x45;
    dv.setUint16(2, ipLen + l4Length);
    dv.setUint16(4, ipId & 0xffff);
    // DF: the relay never fragments; every segment fits its MSS, every datagram 65535.
    dv.setUint16(6, 0x4000);
    bytes[8] = 64;
    bytes[9] = proto;
    bytes.set(src, 12);
    bytes.set(dst, 16);
    dv.setUint16(10, fold(sum16(bytes, 0, 20, 0)));
  }
  fillL4(bytes, dv, ipLen);
  let s = sum16(src, 0, src.length, 0);
  s = sum16(dst, 0, dst.length, s);
  s += proto + l4Length; // fits both pseudo-header forms: the upper-layer length ≤ 65535 here
  s = sum16(bytes, ipLen, bytes.length, s);
  let ck = fold(s);
  // UDP: a computed 0 is sent as 0xffff, 0 meaning "no checksum" (RFC 768).
  if (proto === PROTO_UDP && ck === 0) ck = 0xffff;
  dv.setUint16(ipLen + checksumAt, ck);
  return bytes;
}

export interface TcpSegmentSpec {
  src: Endpoint;
  dst: Endpoint;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  ipId: number;
  /** MSS option (SYN, SYN-ACK). */
  mss?: number;
  payload?: Uint8Array;
}

export function tcpSegment(s: TcpSegmentSpec): Uint8Array {
  const hdr = s.mss !== undefined ? 24 : 20;
  const payload = s.payload ?? EMPTY;
  return ipPacket(s.src.addr, s.dst.addr, PROTO_TCP, s.ipId, hdr + payload.length, 16, (b, dv, at) => {
    dv.setUint16(at, s.src.port);
    dv.setUint16(at + 2, s.dst.port);
    dv.setUint32(at + 4, s.seq >>> 0);
    dv.setUint32(at + 8, s.flags & TCP_ACK ? s.ack >>> 0 : 0);
    b[at + 12] = (hdr / 4) << 4;
    b[at + 13] = s.flags;
    dv.setUint16(at + 14, s.window);
    if (s.mss !== undefined) {
      b[at + 20] = 2;
      b[at + 21] = 4;
      dv.setUint16(at + 22, s.mss);
    }
    b.set(payload, at + hdr);
  });
}

export function udpDatagram(s: {
  src: Endpoint;
  dst: Endpoint;
  ipId: number;
  payload: Uint8Array;
}): Uint8Array {
  const len = 8 + s.payload.length;
  return ipPacket(s.src.addr, s.dst.addr, PROTO_UDP, s.ipId, len, 6, (b, dv, at) => {
    dv.setUint16(at, s.src.port);
    dv.setUint16(at + 2, s.dst.port);
    dv.setUint16(at + 4, len);
    b.set(s.payload, at + 8);
  });
}

const EMPTY = new Uint8Array(0);

/** Which end of a TcpFlow: 0 = the client (it connected), 1 = the server (the relay's target). */
export type Side = 0 | 1;

export interface TcpFlowOptions {
  client: Endpoint;
  server: Endpoint;
  /** Initial sequence numbers [client, server] (random per side in the tap). */
  isn: readonly [number, number];
  /** The next IPv4 identification value (the tap counts one per packet it writes). */
  ipId: () => number;
  /** Receives every packet as it is made. */
  out: (packet: Uint8Array) => void;
  mss?: number;
  window?: number;
}

interface SideState {
  ep: Endpoint;
  isn: number;
  /** Next sequence number (relative to isn) this side will send: SYN and FIN count 1 each. */
  next: number;
  /** Relative sequence (of the PEER's space) this side last acknowledged on the wire. */
  ackSent: number;
  /** Bytes read from this side's socket, not yet written as segments. */
  pending: Uint8Array[];
  pendingBytes: number;
  /** This side's socket ended: its FIN goes out after its pending bytes. */
  finPending: boolean;
  finSent: boolean;
  /** Relative sequence of this side's bytes the other socket has accepted (write callback). */
  handed: number;
}

/**
 * One relayed TCP connection as packets. Acknowledgements follow what the relay really did: the
 * receiver acknowledges bytes once the relay has handed them to the receiver's socket (its write
 * callback), never more than the sender has sent, and only when the number advances (a repeated
 * pure ACK is what tshark calls a duplicate ACK). A sender never has a window's worth in flight:
 * bytes beyond the window wait for acknowledgements, so tshark never sees "window full".
 */
export class TcpFlow {
  private readonly s: [SideState, SideState];
  private readonly mss: number;
  private readonly window: number;
  private state: 'new' | 'syn' | 'open' | 'dead' = 'new';

  constructor(private readonly o: TcpFlowOptions) {
    const side = (ep: Endpoint, isn: number): SideState => ({
      ep,
      isn: isn >>> 0,
      next: 0,
      ackSent: 0,
      pending: [],
      pendingBytes: 0,
      finPending: false,
      finSent: false,
      handed: 0,
    });
    this.s = [side(o.client, o.isn[0]), side(o.server, o.isn[1])];
    this.mss = o.mss ?? (o.client.addr.length === 16 ? TAP_MSS_V6 : TAP_MSS_V4);
    this.window = o.window ?? TAP_WINDOW;
  }

  /** Both FINs sent and acknowledged, or reset/refused: nothing more will be written. */
  get finished(): boolean {
    if (this.state === 'dead') return true;
    const [c, v] = this.s;
    return c.finSent && v.finSent && v.ackSent === c.next && c.ackSent === v.next;
  }

  /** The relay accepted the client's connection: the client's SYN. */
  syn(): void {
    if (this.state !== 'new') return;
    const c = this.s[0];
    this.send(0, TCP_SYN, 0, undefined, this.mss);
    c.next = 1;
    this.state = 'syn';
  }

  /** The upstream connect succeeded: SYN-ACK from the server, the client's ACK right after. */
  connected(): void {
    if (this.state !== 'syn') return;
    const [c, v] = this.s;
    c.handed = 1;
    v.ackSent = 1;
    this.send(1, TCP_SYN | TCP_ACK, 1, undefined, this.mss);
    v.next = 1;
    v.handed = 1;
    c.ackSent = 1;
    this.send(0, TCP_ACK, 1);
    this.state = 'open';
    this.pump();
  }

  /** The upstream refused: the server answers the SYN with RST+ACK (seq 0, as RFC 793 §3.4). */
  refused(): void {
    if (this.state !== 'syn') return;
    const v = this.s[1];
    this.o.out(
      tcpSegment({
        src: v.ep,
        dst: this.s[0].ep,
        seq: 0,
        ack: (this.s[0].isn + 1) >>> 0,
        flags: TCP_RST | TCP_ACK,
        window: 0,
        ipId: this.o.ipId(),
      }),
    );
    this.state = 'dead';
  }

  /** Bytes read from `from`'s socket. */
  data(from: Side, bytes: Uint8Array): void {
    if (this.state === 'dead' || !bytes.length) return;
    const x = this.s[from];
    if (x.finPending) throw new Error('TcpFlow: data after FIN');
    x.pending.push(bytes);
    x.pendingBytes += bytes.length;
    this.pump();
  }

  /** `n` more of `from`'s bytes were accepted by the other side's socket. */
  handed(from: Side, n: number): void {
    if (this.state === 'dead') return;
    this.s[from].handed += n;
    this.pump();
  }

  /** `from`'s socket ended (its FIN arrived at the relay). */
  fin(from: Side): void {
    if (this.state === 'dead') return;
    this.s[from].finPending = true;
    this.pump();
  }

  /** The other socket finished after `from`'s FIN was passed on (its end() callback). */
  finHanded(from: Side): void {
    if (this.state === 'dead') return;
    this.s[from].handed += 1;
    this.pump();
  }

  /** `from`'s socket was reset or failed: RST+ACK from it, and the flow is over. */
  reset(from: Side): void {
    if (this.state === 'dead') return;
    if (this.state === 'syn' && from === 1) return this.refused();
    if (this.state === 'new') {
      this.state = 'dead';
      return;
    }
    if (this.state === 'syn') {
      // The client gave up before the server answered: its RST carries no acknowledgement.
      const c = this.s[0];
      this.o.out(
        tcpSegment({
          src: c.ep,
          dst: this.s[1].ep,
          seq: (c.isn + c.next) >>> 0,
          ack: 0,
          flags: TCP_RST,
          window: 0,
          ipId: this.o.ipId(),
        }),
      );
    } else {
      this.send(from, TCP_RST | TCP_ACK, 0);
    }
    this.state = 'dead';
  }

  /** What `to` may acknowledge of its peer now: sent by the peer and handed to `to`'s socket. */
  private ackable(to: Side): number {
    const peer = this.s[to ^ 1];
    return Math.min(peer.next, peer.handed);
  }

  private send(from: Side, flags: number, len: number, payload?: Uint8Array, mss?: number): void {
    const x = this.s[from];
    const y = this.s[from ^ 1];
    if (flags & TCP_ACK && this.state === 'open') x.ackSent = Math.max(x.ackSent, this.ackable(from));
    this.o.out(
      tcpSegment({
        src: x.ep,
        dst: y.ep,
        seq: (x.isn + x.next) >>> 0,
        ack: (y.isn + x.ackSent) >>> 0,
        flags,
        window: flags & TCP_RST ? 0 : this.window,
        ipId: this.o.ipId(),
        mss,
        payload: len ? payload : undefined,
      }),
    );
  }

  private take(x: SideState, n: number): Uint8Array {
    const first = x.pending[0];
    if (first.length === n) {
      x.pending.shift();
    } else if (first.length > n) {
      x.pending[0] = first.subarray(n);
      x.pendingBytes -= n;
      return first.subarray(0, n);
    } else {
      const out = new Uint8Array(n);
      let at = 0;
      while (at < n) {
        const p = x.pending[0];
        const k = Math.min(p.length, n - at);
        out.set(p.subarray(0, k), at);
        at += k;
        if (k === p.length) x.pending.shift();
        else x.pending[0] = p.subarray(k);
      }
      x.pendingBytes -= n;
      return out;
    }
    x.pendingBytes -= n;
    return first;
  }

  private pump(): void {
    if (this.state !== 'open') return;
    for (let progress = true; progress;) {
      progress = false;
      for (const from of [0, 1] as const) {
        const x = this.s[from];
        const y = this.s[from ^ 1];
        // The receiver acknowledges what it has been handed, only when that moves forward.
        if (this.ackable((from ^ 1) as Side) > y.ackSent) {
          this.send((from ^ 1) as Side, TCP_ACK, 0);
          progress = true;
        }
        while (x.pendingBytes > 0) {
          // Strictly below the window edge: a segment ending exactly at it is "window full".
          const room = y.ackSent + this.window - 1 - x.next;
          if (room <= 0) break;
          const n = Math.min(this.mss, room, x.pendingBytes);
          const payload = this.take(x, n);
          // PSH on the segment that empties what was read, as a stack sets it on a write's end.
          this.send(from, TCP_ACK | (x.pendingBytes === 0 ? TCP_PSH : 0), n, payload);
          x.next += n;
          progress = true;
        }
        if (x.finPending && !x.finSent && x.pendingBytes === 0) {
          this.send(from, TCP_FIN | TCP_ACK, 0);
          x.next += 1;
          x.finSent = true;
          progress = true;
        }
      }
    }
  }
}
