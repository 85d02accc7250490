// Plain frames: IPv4 without options or IPv6 without extension headers, whole and unfragmented,
// behind Ethernet II, a Linux cooked header (SLL, SLL2), a BSD loopback header (NULL, LOOP) or
// no link header (raw IP). Most frames of a capture are such, and for them the link and IP
// dissectors, run without tree or columns, do nothing but read addresses and lengths. Two fast
// paths read those straight from the bytes instead: the index pass's
// (shared/index/fast-path.ts), which goes on to the transport header itself, and the
// application pass's `plainHead`, which hands the transport layer back to the engine
// (Engine.index, docs/decisions/plain-head.md). Both read the link header through `plainLink`.
//
// The conditions are strict on purpose: a frame is taken only when the dissectors would say
// nothing about its headers beyond what is read here, so what the pass records is what they
// would record (tests compare both ways on every capture the project has).
import type { FirstPass, FrameHead, NextHint } from '../dissect/engine';
import { setNetAt, type FrameMeta, type PacketInfo } from '../dissect/packet';
import { nullFamily } from './null';

// Link types (tcpdump.org link-layer header types) whose header only says where IP starts.
const LINKTYPE_EN10MB = 1;
const LINKTYPE_NULL = 0;
const DLT_RAW_12 = 12;
const DLT_RAW_14 = 14;
const LINKTYPE_RAW = 101;
const LINKTYPE_LOOP = 108;
const LINKTYPE_LINUX_SLL = 113;
const LINKTYPE_IPV4 = 228;
const LINKTYPE_IPV6 = 229;
const LINKTYPE_LINUX_SLL2 = 276;

/** What `plainLink` found in front of the IP packet. */
const LINK_ETH = 0;
const LINK_SLL = 1;
const LINK_SLL2 = 2;
const LINK_RAW = 3;
const LINK_NULL = 4;
/** LINKTYPE_IPV4 / IPV6: no link layer (Wireshark has none either). */
const LINK_NONE = 5;
/** The link layer's protocol name per LINK_* ('' for none), as its dissector names it. */
export const LINK_NAMES = ['eth', 'sll', 'sll', 'raw', 'null', ''];
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
function plainNetwork(d: Uint8Array, o: number, capEnd: number, n: PlainNetwork): boolean {
  if (capEnd - o < 14 + 20) return false;
  return plainIp(d, o + 14, capEnd, (d[o + 12] << 8) | d[o + 13], n);
}

/**
 * `plainNetwork` for an IP packet at d[ip] whatever the link layer before it, which gave its
 * EtherType `type` (0x0800 or 0x86dd; anything else is not plain).
 */
function plainIp(d: Uint8Array, ip: number, capEnd: number, type: number, n: PlainNetwork): boolean {
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
 * Reads the link header of a frame of `linktype` at d[o, capEnd) and the plain IP packet behind
 * it into `n`: which link it is (LINK_*), or -1 when the frame is not plain. The link header is
 * taken only when it says IPv4 or IPv6 by an EtherType or, for NULL/LOOP, an address family.
 * What may follow the IP packet is the caller's to judge.
 */
export function plainLink(
  d: Uint8Array,
  o: number,
  capEnd: number,
  linktype: number,
  n: PlainNetwork,
): number {
  switch (linktype) {
    case LINKTYPE_EN10MB:
      return plainNetwork(d, o, capEnd, n) ? LINK_ETH : -1;
    case LINKTYPE_LINUX_SLL:
      // Packet type, address type and length, 8 address bytes, then the protocol.
      return capEnd - o >= 16 && plainIp(d, o + 16, capEnd, (d[o + 14] << 8) | d[o + 15], n) ? LINK_SLL : -1;
    case LINKTYPE_LINUX_SLL2:
      // The protocol, reserved, interface, address type, packet type, address length, address.
      return capEnd - o >= 20 && plainIp(d, o + 20, capEnd, (d[o] << 8) | d[o + 1], n) ? LINK_SLL2 : -1;
    case LINKTYPE_RAW:
    case DLT_RAW_12:
    case DLT_RAW_14:
      return capEnd > o && plainIp(d, o, capEnd, d[o] >> 4 === 4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6, n)
        ? LINK_RAW
        : -1;
    case LINKTYPE_IPV4:
      return plainIp(d, o, capEnd, ETHERTYPE_IPV4, n) ? LINK_NONE : -1;
    case LINKTYPE_IPV6:
      return plainIp(d, o, capEnd, ETHERTYPE_IPV6, n) ? LINK_NONE : -1;
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP: {
      if (capEnd - o < 4) return -1;
      const family =
        linktype === LINKTYPE_NULL
          ? nullFamily(((d[o + 3] << 24) | (d[o + 2] << 16) | (d[o + 1] << 8) | d[o]) >>> 0)
          : ((d[o] << 24) | (d[o + 1] << 16) | (d[o + 2] << 8) | d[o + 3]) >>> 0;
      // An address family (the `null.family` table); a value read as an EtherType is left.
      const type =
        family === AF_INET
          ? ETHERTYPE_IPV4
          : family === 24 || family === 28 || family === 30
            ? ETHERTYPE_IPV6
            : 0;
      return plainIp(d, o + 4, capEnd, type, n) ? LINK_NULL : -1;
    }
    default:
      return -1;
  }
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
    const link = plainLink(data, 0, cap, frame.linktype, n);
    if (link < 0) return null;
    // Nothing after the IP packet, but a minimum Ethernet frame's zero padding: no trailer to read.
    if (n.end !== cap && !(link === LINK_ETH && zeroPadding(data, n.end, cap))) return null;
    if (!plainIpNotes(data, n)) return null;
    // The link layer as its dissector leaves it: protocols, link addresses, the layer.
    switch (link) {
      case LINK_ETH:
        p.protocols.push('eth', 'ethertype');
        p.dlData = data;
        p.dlDstAt = 0;
        p.dlSrcAt = 6;
        break;
      case LINK_SLL:
        p.protocols.push('sll', 'ethertype');
        sllAddress(p, data, (data[2] << 8) | data[3], (data[4] << 8) | data[5], 6);
        break;
      case LINK_SLL2:
        p.protocols.push('sll', 'ethertype');
        sllAddress(p, data, (data[8] << 8) | data[9], data[11], 12);
        break;
      case LINK_RAW:
      case LINK_NULL:
        p.protocols.push(LINK_NAMES[link]);
        break;
    }
    const depth = link === LINK_NONE ? 0 : 1;
    if (depth) layer(r, 0, LINK_NAMES[link], data, 0, cap);
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
