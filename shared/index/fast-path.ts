// The index pass's fast path (docs/decisions/index-pass-split.md). Most packets of a capture are
// IPv4/IPv6 → TCP/UDP with whole, well-formed headers, behind Ethernet, a Linux cooked header
// (SLL, SLL2: captures on "any"), a BSD loopback header (NULL, LOOP) or none (raw IP); for those
// the index record (addresses, ports, stream, TCP flags, protocol chain) is read straight from
// the bytes, with no PacketInfo, no cursor and no dissector call. Everything else — VLAN tags, IP
// options, fragments, extension headers, ICMP, unusual TCP options, short or inconsistent
// headers, other link types — is answered `false` and left to the L2–L4 dissectors, which share
// the same TCP and UDP stream tables, so stream numbers are those one in-order pass gives (tests
// compare both ways on every capture the project has).
//
// The conditions are strict on purpose: a packet is taken only when the dissectors would find
// nothing to say about its headers beyond the values read here (no malformed layer, no extra
// layer), so the record is the one they would write.
import { tcpState, udpState } from '../conversations/index';
import { newEndpoints, type Endpoints } from '../conversations/table';
import type { TcpState } from '../conversations/tcp-analysis';
import type { UdpState } from '../conversations/udp-streams';
import type { Session } from '../dissect/packet';
import { LINK_NAMES, newPlainNetwork, plainLink } from '../dissectors/plain-head';
import { indexSegment, onlyTimestamps } from '../dissectors/tcp';
import type { ChainTrie } from './chains';
import { AddrKind } from './intern';
import { BLOCK_SIZE, PacketFlag, type PacketIndex } from './packet-index';

const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
/** The frame fields the fast path needs, as the reader hands them over. */
export interface FastFrame {
  number: number;
  tsSec: number;
  tsNsec: number;
  origlen: number;
}

export class IndexFastPath {
  private readonly tcp: TcpState;
  private readonly udp: UdpState;
  private readonly ends = newEndpoints();
  private readonly net = newPlainNetwork();
  /** Chain ids by link * 4 + (IPv6 ? 2 : 0) + (UDP ? 1 : 0), made on first use. */
  private readonly chainIds = new Int32Array(4 * LINK_NAMES.length).fill(-1);
  /** Packets taken and left to the dissectors (for the decision record's figures). */
  taken = 0;
  left = 0;

  constructor(
    session: Session,
    private readonly index: PacketIndex,
    private readonly chains: ChainTrie,
  ) {
    this.tcp = tcpState(session);
    this.udp = udpState(session);
  }

  /**
   * Fills record `i` (already added with the reader's columns) from the packet's bytes
   * `d[o, o + caplen)`, or returns false, having changed nothing, when the packet is not one the
   * fast path takes.
   */
  record(i: number, d: Uint8Array, o: number, caplen: number, linktype: number, frame: FastFrame): boolean {
    const taken = this.network(i, d, o, o + caplen, linktype, frame);
    if (taken) this.taken++;
    else this.left++;
    return taken;
  }

  /** The frame's TCP or UDP behind a plain link and IP header (plainLink), into record i. */
  private network(
    i: number,
    d: Uint8Array,
    o: number,
    capEnd: number,
    linktype: number,
    frame: FastFrame,
  ): boolean {
    const n = this.net;
    const link = plainLink(d, o, capEnd, linktype, n);
    if (link < 0) return false;
    const key = link * 4 + (n.v6 ? 2 : 0);
    if (n.proto === IPPROTO_TCP) return this.tcpSegment(i, d, n.ip, frame, n.v6, n.l4, n.end, key);
    if (n.proto === IPPROTO_UDP) return this.udpDatagram(i, d, n.ip, frame, n.v6, n.l4, n.end, key + 1);
    return false;
  }

  private tcpSegment(
    i: number,
    d: Uint8Array,
    ip: number,
    frame: FastFrame,
    v6: boolean,
    l4: number,
    end: number,
    chainKey: number,
  ): boolean {
    if (l4 + 20 > end) return false;
    const hlen = (d[l4 + 12] >> 4) * 4;
    if (hlen < 20 || l4 + hlen > end) return false;
    if (hlen > 20 && !plainOptions(d, l4 + 20, l4 + hlen)) return false;
    const sport = (d[l4] << 8) | d[l4 + 1];
    const dport = (d[l4 + 2] << 8) | d[l4 + 3];
    const seq = ((d[l4 + 4] << 24) | (d[l4 + 5] << 16) | (d[l4 + 6] << 8) | d[l4 + 7]) >>> 0;
    const ack = ((d[l4 + 8] << 24) | (d[l4 + 9] << 16) | (d[l4 + 10] << 8) | d[l4 + 11]) >>> 0;
    const flags = ((d[l4 + 12] << 8) | d[l4 + 13]) & 0x0fff;
    const e = this.endpoints(d, ip, v6, sport, dport);
    const stream = indexSegment(this.tcp, e, flags, seq, ack, frame);
    this.write(i, e, stream, PacketFlag.tcp, flags, chainKey);
    return true;
  }

  private udpDatagram(
    i: number,
    d: Uint8Array,
    ip: number,
    frame: FastFrame,
    v6: boolean,
    l4: number,
    end: number,
    chainKey: number,
  ): boolean {
    if (l4 + 8 > end) return false;
    const ulen = (d[l4 + 4] << 8) | d[l4 + 5];
    // The length must be the IP payload's exactly; a zero checksum over IPv6 is illegal (a note).
    if (ulen !== end - l4) return false;
    if (v6 && d[l4 + 6] === 0 && d[l4 + 7] === 0) return false;
    const sport = (d[l4] << 8) | d[l4 + 1];
    const dport = (d[l4 + 2] << 8) | d[l4 + 3];
    const e = this.endpoints(d, ip, v6, sport, dport);
    const u = this.udp;
    const stream = u.lookupAt(e, frame.number, frame.tsSec, frame.tsNsec);
    u.table.countPacket(stream, u.table.dir, frame.origlen, frame.number, frame.tsSec, frame.tsNsec);
    this.write(i, e, stream, PacketFlag.udp, 0, chainKey);
    return true;
  }

  /** The packet's endpoints, in place, in the one Endpoints record this path rewrites. */
  private endpoints(d: Uint8Array, ip: number, v6: boolean, sport: number, dport: number): Endpoints {
    const e = this.ends;
    e.netType = v6 ? 6 : 4;
    e.src = e.dst = d;
    e.len = v6 ? 16 : 4;
    e.srcAt = v6 ? ip + 8 : ip + 12;
    e.dstAt = e.srcAt + e.len;
    e.sport = sport;
    e.dport = dport;
    return e;
  }

  private write(
    i: number,
    e: Endpoints,
    stream: number,
    kind: number,
    tcpFlags: number,
    chainKey: number,
  ): void {
    const b = this.index.block(i);
    const j = i & (BLOCK_SIZE - 1);
    const a = this.index.addresses;
    const d = e.src;
    const s = e.srcAt;
    if (e.netType === 6) {
      b.src[j] = a.bytes(AddrKind.ipv6, d, s, 16);
      b.dst[j] = a.bytes(AddrKind.ipv6, d, s + 16, 16);
    } else {
      b.src[j] = a.v4(((d[s] << 24) | (d[s + 1] << 16) | (d[s + 2] << 8) | d[s + 3]) >>> 0);
      b.dst[j] = a.v4(((d[s + 4] << 24) | (d[s + 5] << 16) | (d[s + 6] << 8) | d[s + 7]) >>> 0);
    }
    b.srcport[j] = e.sport;
    b.dstport[j] = e.dport;
    b.stream[j] = stream;
    b.tcpFlags[j] = tcpFlags;
    b.flags[j] |= kind | PacketFlag.net;
    let chain = this.chainIds[chainKey];
    if (chain < 0) chain = this.chainIds[chainKey] = this.chainOf(chainKey);
    b.proto[j] = chain;
  }

  private chainOf(key: number): number {
    const t = this.chains;
    t.start();
    const link = LINK_NAMES[key >> 2];
    if (link) t.step(link);
    t.step(key & 2 ? 'ipv6' : 'ip');
    t.step(key & 1 ? 'udp' : 'tcp');
    return t.id();
  }
}

/**
 * TCP options the dissector reads without a note: NOP, EOL (the rest is padding), and MSS,
 * window scale, SACK permitted, SACK and timestamps with their exact lengths. Any other option
 * (or a length that does not fit) sends the segment to the dissector.
 */
function plainOptions(d: Uint8Array, at: number, end: number): boolean {
  // Most segments carry NOP, NOP, timestamps and nothing else.
  if (onlyTimestamps(d, at, end)) return true;
  while (at < end) {
    const kind = d[at];
    if (kind === 0) return true;
    if (kind === 1) {
      at++;
      continue;
    }
    if (at + 2 > end) return false;
    const len = d[at + 1];
    switch (kind) {
      case 2:
        if (len !== 4) return false;
        break;
      case 3:
        if (len !== 3) return false;
        break;
      case 4:
        if (len !== 2) return false;
        break;
      case 5:
        if (len < 10 || len > 34 || (len - 2) % 8 !== 0) return false;
        break;
      case 8:
        if (len !== 10) return false;
        break;
      default:
        return false;
    }
    if (at + len > end) return false;
    at += len;
  }
  return true;
}
