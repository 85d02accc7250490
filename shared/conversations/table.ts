// A table of transport conversations keyed by (address, port) pairs without regard to direction:
// A→B and B→A find the same conversation, and `dir` says which way the packet went. Endpoint A is
// the source of the conversation's first packet.
//
// Keys are numbers hashed from the raw address bytes and ports (no strings on the per-packet
// path) into a power-of-two bucket array; entries of a bucket are chained newest first and
// compared byte by byte. As in Wireshark,
// the same 4-tuple can hold several conversations over time (a port reused after close); a
// lookup returns the most recent one, which is the right one on the first, in-order pass.
// Later passes never look up: they read the conversation index stored per frame.
import { ensure } from './grow';
import type { PacketInfo } from '../dissect/packet';

/** Orders two endpoints as Wireshark's cmp_address does (type, length, bytes), then ports. */
export function compareEndpoints(a: Uint8Array, aPort: number, b: Uint8Array, bPort: number): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return aPort === bPort ? 0 : aPort < bPort ? -1 : 1;
}

/** FNV-style over the address a 32-bit word at a time (one step for IPv4, four for IPv6), then the port. */
function hashEndpoint(b: Uint8Array, at: number, len: number, port: number): number {
  let h = (0x811c9dc5 ^ port) | 0;
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const k = at + i;
    h = Math.imul(h ^ ((b[k] << 24) | (b[k + 1] << 16) | (b[k + 2] << 8) | b[k + 3]), 0x01000193);
  }
  for (; i < len; i++) h = Math.imul(h ^ b[at + i], 0x01000193);
  return (h ^ (h >>> 15)) >>> 0;
}

function sameBytes(pool: Uint8Array, at: number, b: Uint8Array, bAt: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (pool[at + i] !== b[bAt + i]) return false;
  return true;
}

const ADDR = 16;

/**
 * A packet's two endpoints with the addresses read in place: `len` bytes at `srcAt` in `src` and
 * at `dstAt` in `dst` (often the packet's own bytes). Callers on the per-packet path keep one and
 * rewrite it for every packet.
 */
export interface Endpoints {
  netType: number;
  src: Uint8Array;
  srcAt: number;
  dst: Uint8Array;
  dstAt: number;
  len: number;
  sport: number;
  dport: number;
}

export function newEndpoints(): Endpoints {
  const none = new Uint8Array(0);
  return { netType: 0, src: none, srcAt: 0, dst: none, dstAt: 0, len: 0, sport: 0, dport: 0 };
}

const scratch = newEndpoints();

/** Endpoints over two whole address arrays, in a scratch record (valid until the next call). */
export function endpointsOf(
  netType: number,
  src: Uint8Array,
  dst: Uint8Array,
  sport: number,
  dport: number,
): Endpoints {
  const e = scratch;
  e.netType = netType;
  e.src = src;
  e.srcAt = 0;
  e.dst = dst;
  e.dstAt = 0;
  e.len = Math.min(src.length, dst.length);
  e.sport = sport;
  e.dport = dport;
  return e;
}

/** endpointsOf the packet's innermost addresses and ports, read from its offsets when it has them (no views). */
export function endpointsOfPacket(p: PacketInfo): Endpoints {
  const d = p.netData;
  if (d === null) return endpointsOf(p.netType, p.netSrc!, p.netDst!, p.srcport, p.dstport);
  const e = scratch;
  e.netType = p.netType;
  e.src = d;
  e.srcAt = p.netSrcAt;
  e.dst = d;
  e.dstAt = p.netDstAt;
  e.len = p.netLen;
  e.sport = p.srcport;
  e.dport = p.dstport;
  return e;
}

export class ConversationTable {
  count = 0;
  /** Which way the last `find`/`create` packet went: 0 = A→B, 1 = B→A. */
  dir = 0;
  netType = new Uint8Array(64);
  addrLen = new Uint8Array(64);
  /** Address A at [i*32, i*32+len), address B at [i*32+16, …). */
  addrs = new Uint8Array(64 * 2 * ADDR);
  portA = new Uint16Array(64);
  portB = new Uint16Array(64);
  firstFrame = new Uint32Array(64);
  lastFrame = new Uint32Array(64);
  /** Packets and bytes (frame length on the wire) per direction, counted once per frame. */
  packetsAB = new Uint32Array(64);
  packetsBA = new Uint32Array(64);
  bytesAB = new Float64Array(64);
  bytesBA = new Float64Array(64);
  /** Time of the first and last counted packet (seconds since the epoch + nanoseconds). */
  startSec = new Float64Array(64);
  startNsec = new Uint32Array(64);
  endSec = new Float64Array(64);
  endNsec = new Uint32Array(64);
  private next = new Int32Array(64);
  private hashOf = new Uint32Array(64);
  /** First (newest) conversation of each hash bucket, -1 for none. */
  private buckets = new Int32Array(256).fill(-1);

  /** The newest conversation between these endpoints, or -1; sets `dir`. */
  find(netType: number, src: Uint8Array, dst: Uint8Array, sport: number, dport: number): number {
    return this.findAt(endpointsOf(netType, src, dst, sport, dport));
  }

  /**
   * `find` with the addresses read in place (Endpoints), so the index pass's fast path looks a
   * packet up without making an array for either address.
   */
  findAt(e: Endpoints): number {
    const { netType, src, srcAt, dst, dstAt, len, sport, dport } = e;
    const key = this.key(e);
    let id = this.buckets[key & (this.buckets.length - 1)];
    while (id >= 0) {
      if (this.netType[id] === netType && this.addrLen[id] === len && this.hashOf[id] === key) {
        const base = id * 2 * ADDR;
        if (
          this.portA[id] === sport &&
          this.portB[id] === dport &&
          sameBytes(this.addrs, base, src, srcAt, len) &&
          sameBytes(this.addrs, base + ADDR, dst, dstAt, len)
        ) {
          this.dir = 0;
          return id;
        }
        if (
          this.portA[id] === dport &&
          this.portB[id] === sport &&
          sameBytes(this.addrs, base, dst, dstAt, len) &&
          sameBytes(this.addrs, base + ADDR, src, srcAt, len)
        ) {
          this.dir = 1;
          return id;
        }
      }
      id = this.next[id];
    }
    return -1;
  }

  /** A new conversation with `src` as endpoint A; it shadows older ones with the same endpoints. */
  create(
    netType: number,
    src: Uint8Array,
    dst: Uint8Array,
    sport: number,
    dport: number,
    frame: number,
  ): number {
    return this.createAt(endpointsOf(netType, src, dst, sport, dport), frame);
  }

  /** `create` with the addresses read in place, as `findAt`. */
  createAt(e: Endpoints, frame: number): number {
    const id = this.count++;
    this.grow(id);
    const key = this.key(e);
    this.netType[id] = e.netType;
    this.addrLen[id] = e.len;
    this.addrs.set(e.src.subarray(e.srcAt, e.srcAt + e.len), id * 2 * ADDR);
    this.addrs.set(e.dst.subarray(e.dstAt, e.dstAt + e.len), id * 2 * ADDR + ADDR);
    this.portA[id] = e.sport;
    this.portB[id] = e.dport;
    this.firstFrame[id] = frame;
    this.lastFrame[id] = frame;
    this.hashOf[id] = key;
    if (this.count > this.buckets.length * 0.75) this.rehash(this.buckets.length * 2);
    else this.link(id);
    this.dir = 0;
    return id;
  }

  private link(id: number): void {
    const b = this.hashOf[id] & (this.buckets.length - 1);
    this.next[id] = this.buckets[b];
    this.buckets[b] = id;
  }

  /** Rebuilds the buckets at `size`, oldest first so that every chain stays newest first. */
  private rehash(size: number): void {
    this.buckets = new Int32Array(size).fill(-1);
    for (let id = 0; id < this.count; id++) this.link(id);
  }

  /** Counts one packet of `bytes` in direction `dir` at frame `frame` and time sec.nsec. */
  countPacket(id: number, dir: number, bytes: number, frame: number, sec: number, nsec: number): void {
    if (this.packetsAB[id] === 0 && this.packetsBA[id] === 0) {
      this.startSec[id] = sec;
      this.startNsec[id] = nsec;
    }
    if (dir === 0) {
      this.packetsAB[id]++;
      this.bytesAB[id] += bytes;
    } else {
      this.packetsBA[id]++;
      this.bytesBA[id] += bytes;
    }
    if (frame > this.lastFrame[id]) this.lastFrame[id] = frame;
    this.endSec[id] = sec;
    this.endNsec[id] = nsec;
  }

  /** A copy of endpoint A's or B's address bytes. */
  address(id: number, which: 0 | 1): Uint8Array {
    const at = id * 2 * ADDR + which * ADDR;
    return this.addrs.slice(at, at + this.addrLen[id]);
  }

  private key(e: Endpoints): number {
    const a = hashEndpoint(e.src, e.srcAt, e.len, e.sport);
    const b = hashEndpoint(e.dst, e.dstAt, e.len, e.dport);
    const lo = a < b ? a : b;
    const hi = a < b ? b : a;
    return (Math.imul(lo, 0x9e3779b1) ^ hi) >>> 0;
  }

  private grow(id: number): void {
    if (id < this.netType.length) return;
    this.netType = ensure(this.netType, id, Uint8Array);
    this.addrLen = ensure(this.addrLen, id, Uint8Array);
    this.addrs = ensure(this.addrs, (id + 1) * 2 * ADDR - 1, Uint8Array);
    this.portA = ensure(this.portA, id, Uint16Array);
    this.portB = ensure(this.portB, id, Uint16Array);
    this.firstFrame = ensure(this.firstFrame, id, Uint32Array);
    this.lastFrame = ensure(this.lastFrame, id, Uint32Array);
    this.packetsAB = ensure(this.packetsAB, id, Uint32Array);
    this.packetsBA = ensure(this.packetsBA, id, Uint32Array);
    this.bytesAB = ensure(this.bytesAB, id, Float64Array);
    this.bytesBA = ensure(this.bytesBA, id, Float64Array);
    this.startSec = ensure(this.startSec, id, Float64Array);
    this.startNsec = ensure(this.startNsec, id, Uint32Array);
    this.endSec = ensure(this.endSec, id, Float64Array);
    this.endNsec = ensure(this.endNsec, id, Uint32Array);
    this.next = ensure(this.next, id, Int32Array);
    this.hashOf = ensure(this.hashOf, id, Uint32Array);
  }
}
