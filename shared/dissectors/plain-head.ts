// Plain frames: Ethernet II → IPv4 without options or IPv6 without extension headers, whole and
// unfragmented. Most frames of a capture are such, and for them the Ethernet and IP dissectors,
// run without tree or columns, do nothing but read addresses and lengths. Two fast paths read
// those straight from the bytes instead: the index pass's (shared/index/fast-path.ts), which
// goes on to the transport header itself, and the application pass's `plainHead`, which hands
// the transport layer back to the engine (Engine.index, docs/decisions/plain-head.md).
//
// The conditions are strict on purpose: a frame is taken only when the dissectors would say
// nothing about its headers beyond what is read here, so what the pass records is what they
// would record (tests compare both ways on every capture the project has).
import type { FirstPass, FrameHead, NextHint } from '../dissect/engine';
import { setNetAt, type FrameMeta, type PacketInfo } from '../dissect/packet';

export const LINKTYPE_EN10MB = 1;
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const IPV6_NO_NEXT = 59;
/** Ethernet's minimum frame (without FCS): shorter frames are padded to it. */
const ETH_MIN_FRAME = 60;

/** Where a plain frame's network layer and its payload lie (rewritten per frame). */
export interface PlainNetwork {
  v6: boolean;
  /** Offsets of the IP header and of its payload, and the payload's end. */
  ip: number;
  l4: number;
  end: number;
  /** IP protocol / next header. */
  proto: number;
}

export function newPlainNetwork(): PlainNetwork {
  return { v6: false, ip: 0, l4: 0, end: 0, proto: 0 };
}

/**
 * Reads the Ethernet II frame at d[o, capEnd) into `n` if its network layer is plain IPv4 (no
 * options, not a fragment) or IPv6 with a payload length that fits the capture; false otherwise.
 * What may follow the IP packet (padding, a trailer) is the caller's to judge.
 */
export function plainNetwork(d: Uint8Array, o: number, capEnd: number, n: PlainNetwork): boolean {
  if (capEnd - o < 14 + 20) return false;
  return plainIp(d, o + 14, capEnd, (d[o + 12] << 8) | d[o + 13], n);
}

/**
 * `plainNetwork` for an IP packet at d[ip] whatever the link layer before it, which gave its
 * EtherType `type` (0x0800 or 0x86dd; anything else is not plain).
 */
export function plainIp(d: Uint8Array, ip: number, capEnd: number, type: number, n: PlainNetwork): boolean {
  if (type === ETHERTYPE_IPV4) {
    // Version 4, no options; not a fragment (MF clear, offset 0); a total length that fits.
    if (capEnd - ip < 20 || d[ip] !== 0x45) return false;
    if ((((d[ip + 6] << 8) | d[ip + 7]) & 0x3fff) !== 0) return false;
    const total = (d[ip + 2] << 8) | d[ip + 3];
    if (total < 20 || ip + total > capEnd) return false;
    n.v6 = false;
    n.ip = ip;
    n.l4 = ip + 20;
    n.end = ip + total;
    n.proto = d[ip + 9];
    return true;
  }
  if (type === ETHERTYPE_IPV6) {
    if (capEnd - ip < 40 || d[ip] >> 4 !== 6) return false;
    const payload = (d[ip + 4] << 8) | d[ip + 5];
    // A zero payload length is a jumbogram's (hop-by-hop option) or TSO's: the dissectors' case.
    if (payload === 0 || ip + 40 + payload > capEnd) return false;
    n.v6 = true;
    n.ip = ip;
    n.l4 = ip + 40;
    n.end = ip + 40 + payload;
    n.proto = d[ip + 6];
    return true;
  }
  return false;
}

/**
 * The application pass's head: for a plain frame, the Ethernet and IP layers as their dissectors
 * would leave them in `p` and `r` (no tree, no columns), and the hint to the IP payload. Beyond
 * `plainNetwork`, the frame is whole (not cut by the snap length); nothing follows the IP packet
 * but the zero padding of a minimum-size frame (else Ethernet reads a trailer, and may note it);
 * an IPv4 TTL draws no note (5 or more, not to the local network control block); an IPv6 packet
 * has a next header.
 */
class PlainHead implements FrameHead {
  private readonly net = newPlainNetwork();
  private readonly hint: { table: string; key: number; offset: number; end: number } = {
    table: 'ip.proto',
    key: 0,
    offset: 0,
    end: 0,
  };

  read(data: Uint8Array, frame: FrameMeta, p: PacketInfo, r: FirstPass): NextHint | null {
    const cap = data.length;
    if (frame.linktype !== LINKTYPE_EN10MB || frame.origlen !== cap) return null;
    const n = this.net;
    if (!plainNetwork(data, 0, cap, n)) return null;
    if (n.end !== cap && !zeroPadding(data, n.end, cap)) return null;
    const ip = n.ip;
    if (n.v6) {
      if (n.proto === IPV6_NO_NEXT) return null;
    } else if (data[ip + 8] < 5 || data[ip + 16] === 224) {
      return null;
    }
    p.protocols.push('eth', 'ethertype', n.v6 ? 'ipv6' : 'ip');
    p.dlData = data;
    p.dlDstAt = 0;
    p.dlSrcAt = 6;
    const len = n.v6 ? 16 : 4;
    const src = n.v6 ? ip + 8 : ip + 12;
    p.netType = n.v6 ? 6 : 4;
    setNetAt(p, data, src, src + len, len);
    layer(r, 0, 'eth', data, 0, cap);
    layer(r, 1, n.v6 ? 'ipv6' : 'ip', data, ip, n.end);
    r.depth = 2;
    const h = this.hint;
    h.key = n.proto;
    h.offset = n.l4;
    h.end = n.end;
    return h;
  }
}

function layer(
  r: FirstPass,
  depth: number,
  proto: string,
  data: Uint8Array,
  start: number,
  end: number,
): void {
  r.protos[depth] = proto;
  r.offsets[depth] = start;
  r.data[depth] = data;
  r.ends[depth] = end;
  r.sources[depth] = 0;
}

/** Bytes after the IP packet that Ethernet takes for padding and nothing else: all zero, up to 60. */
function zeroPadding(d: Uint8Array, from: number, cap: number): boolean {
  if (cap !== ETH_MIN_FRAME) return false;
  for (let i = from; i < cap; i++) if (d[i] !== 0) return false;
  return true;
}

/** One per engine: it keeps per-frame scratch. */
export function plainHead(): FrameHead {
  return new PlainHead();
}
