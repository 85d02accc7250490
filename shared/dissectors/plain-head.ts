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
import { nullFamily } from './null';

export const LINKTYPE_EN10MB = 1;
// The other link types (tcpdump.org link-layer header types) whose header only says where IP starts.
export const LINKTYPE_NULL = 0;
export const DLT_RAW_12 = 12;
export const DLT_RAW_14 = 14;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;
const AF_INET = 2;
const ARPHRD_ETHER = 1;
const ARPHRD_LOOPBACK = 772;
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
    if (frame.origlen !== cap) return null;
    const n = this.net;
    // The link layer: its dissector's protocols, link addresses and layer, then the IP layer's depth.
    let depth = 1;
    switch (frame.linktype) {
      case LINKTYPE_EN10MB:
        if (!plainNetwork(data, 0, cap, n)) return null;
        if (n.end !== cap && !zeroPadding(data, n.end, cap)) return null;
        if (!plainIpNotes(data, n)) return null;
        p.protocols.push('eth', 'ethertype');
        p.dlData = data;
        p.dlDstAt = 0;
        p.dlSrcAt = 6;
        layer(r, 0, 'eth', data, 0, cap);
        break;
      case LINKTYPE_LINUX_SLL:
        // Packet type, address type and length, 8 address bytes, then the protocol.
        if (cap < 16 || !plainIp(data, 16, cap, (data[14] << 8) | data[15], n)) return null;
        if (n.end !== cap || !plainIpNotes(data, n)) return null;
        p.protocols.push('sll', 'ethertype');
        sllAddress(p, data, (data[2] << 8) | data[3], (data[4] << 8) | data[5], 6);
        layer(r, 0, 'sll', data, 0, cap);
        break;
      case LINKTYPE_LINUX_SLL2:
        // The protocol, reserved, interface, address type, packet type, address length, address.
        if (cap < 20 || !plainIp(data, 20, cap, (data[0] << 8) | data[1], n)) return null;
        if (n.end !== cap || !plainIpNotes(data, n)) return null;
        p.protocols.push('sll', 'ethertype');
        sllAddress(p, data, (data[8] << 8) | data[9], data[11], 12);
        layer(r, 0, 'sll', data, 0, cap);
        break;
      case LINKTYPE_RAW:
      case DLT_RAW_12:
      case DLT_RAW_14:
        if (cap < 1 || !plainIp(data, 0, cap, data[0] >> 4 === 4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6, n))
          return null;
        if (n.end !== cap || !plainIpNotes(data, n)) return null;
        p.protocols.push('raw');
        layer(r, 0, 'raw', data, 0, cap);
        break;
      case LINKTYPE_IPV4:
      case LINKTYPE_IPV6:
        // No link layer: Wireshark (and the engine) go straight to IP.
        if (!plainIp(data, 0, cap, frame.linktype === LINKTYPE_IPV4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6, n))
          return null;
        if (n.end !== cap || !plainIpNotes(data, n)) return null;
        depth = 0;
        break;
      case LINKTYPE_NULL:
      case LINKTYPE_LOOP: {
        if (cap < 4) return null;
        const family =
          frame.linktype === LINKTYPE_NULL
            ? nullFamily(((data[3] << 24) | (data[2] << 16) | (data[1] << 8) | data[0]) >>> 0)
            : ((data[0] << 24) | (data[1] << 16) | (data[2] << 8) | data[3]) >>> 0;
        // An address family (the `null.family` table); a value read as an EtherType is left.
        const type =
          family === AF_INET
            ? ETHERTYPE_IPV4
            : family === 24 || family === 28 || family === 30
              ? ETHERTYPE_IPV6
              : 0;
        if (!plainIp(data, 4, cap, type, n) || n.end !== cap || !plainIpNotes(data, n)) return null;
        p.protocols.push('null');
        layer(r, 0, 'null', data, 0, cap);
        break;
      }
      default:
        return null;
    }
    const ip = n.ip;
    p.protocols.push(n.v6 ? 'ipv6' : 'ip');
    const len = n.v6 ? 16 : 4;
    const src = n.v6 ? ip + 8 : ip + 12;
    p.netType = n.v6 ? 6 : 4;
    setNetAt(p, data, src, src + len, len);
    layer(r, depth, n.v6 ? 'ipv6' : 'ip', data, ip, n.end);
    r.depth = depth + 1;
    const h = this.hint;
    h.key = n.proto;
    h.offset = n.l4;
    h.end = n.end;
    return h;
  }
}

/**
 * Whether the IP dissectors would note nothing about the plain packet `n`: an IPv4 TTL of 5 or
 * more, not towards the local network control block (224.0.0.0/8); an IPv6 next header.
 */
function plainIpNotes(data: Uint8Array, n: PlainNetwork): boolean {
  if (n.v6) return n.proto !== IPV6_NO_NEXT;
  return data[n.ip + 8] >= 5 && data[n.ip + 16] !== 224;
}

/** The link source address as the SLL dissector notes it: a MAC address only. */
function sllAddress(p: PacketInfo, data: Uint8Array, hatype: number, halen: number, at: number): void {
  if ((hatype === ARPHRD_ETHER || hatype === ARPHRD_LOOPBACK) && halen === 6) {
    p.dlData = data;
    p.dlSrcAt = at;
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
