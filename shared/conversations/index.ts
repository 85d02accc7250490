// Conversations: TCP streams and UDP streams, numbered as Wireshark numbers them (tcp.stream,
// udp.stream: order of first appearance; a TCP 4-tuple opened again with a new initial sequence
// number is a new stream).
//
// The state is built by the tcp and udp dissectors on the first, in-order pass over a capture
// and lives in the Session. What other parts (the packet index, `info`, `-z conv` statistics,
// follow-stream) may read:
//
//   tcpStreamOfFrame(session, frame)   tcp.stream of a frame's first TCP layer, or -1
//   udpStreamOfFrame(session, frame)   udp.stream of a frame's first UDP layer, or -1
//   tcpStreamCount(session)            number of TCP streams so far
//   udpStreamCount(session)            number of UDP streams so far
//   tcpConversation(session, stream)   endpoints and traffic of one stream (ConversationInfo)
//   udpConversation(session, stream)
//   tcpConversations(session)          every TCP stream, in stream order
//   udpConversations(session)
//   conversationKey(…)                 a direction-independent text key, with the direction
//
// Endpoint A is the source of the stream's first packet. Packets and bytes (frame length on the
// wire) are counted per direction, once per frame, and never for a packet quoted inside an ICMP
// error (as tshark's `-z conv` tables count them). A frame whose quoted packet matches or opens
// a stream does carry that stream number (tcp.stream/udp.stream are present in it), as in
// Wireshark.
import type { Session } from '../dissect/packet';
import { compareEndpoints, type ConversationTable } from './table';
import { TcpState } from './tcp-analysis';
import { UdpState } from './udp-streams';

export interface ConversationInfo {
  stream: number;
  /** 4 or 6. */
  netType: number;
  addressA: Uint8Array;
  addressB: Uint8Array;
  portA: number;
  portB: number;
  firstFrame: number;
  lastFrame: number;
  /** Packets and bytes A→B and B→A. */
  packetsAB: number;
  packetsBA: number;
  bytesAB: number;
  bytesBA: number;
  /** First and last counted packet (seconds since the epoch, nanoseconds). */
  startSec: number;
  startNsec: number;
  endSec: number;
  endNsec: number;
}

export function tcpState(session: Session): TcpState {
  return session.state('tcp', () => {
    const s = new TcpState();
    session.onStreamClosed((stream) => s.compact(stream));
    return s;
  });
}

export function udpState(session: Session): UdpState {
  return session.state('udp', () => new UdpState());
}

export function tcpStreamOfFrame(session: Session, frame: number): number {
  return session.peek<TcpState>('tcp')?.frames.streamOf(frame) ?? -1;
}

export function udpStreamOfFrame(session: Session, frame: number): number {
  return session.peek<UdpState>('udp')?.streamOf(frame) ?? -1;
}

export function tcpStreamCount(session: Session): number {
  return session.peek<TcpState>('tcp')?.table.count ?? 0;
}

export function udpStreamCount(session: Session): number {
  return session.peek<UdpState>('udp')?.table.count ?? 0;
}

function info(t: ConversationTable, id: number): ConversationInfo | null {
  if (id < 0 || id >= t.count) return null;
  return {
    stream: id,
    netType: t.netType[id],
    addressA: t.address(id, 0),
    addressB: t.address(id, 1),
    portA: t.portA[id],
    portB: t.portB[id],
    firstFrame: t.firstFrame[id],
    lastFrame: t.lastFrame[id],
    packetsAB: t.packetsAB[id],
    packetsBA: t.packetsBA[id],
    bytesAB: t.bytesAB[id],
    bytesBA: t.bytesBA[id],
    startSec: t.startSec[id],
    startNsec: t.startNsec[id],
    endSec: t.endSec[id],
    endNsec: t.endNsec[id],
  };
}

export function tcpConversation(session: Session, stream: number): ConversationInfo | null {
  const s = session.peek<TcpState>('tcp');
  return s ? info(s.table, stream) : null;
}

export function udpConversation(session: Session, stream: number): ConversationInfo | null {
  const s = session.peek<UdpState>('udp');
  return s ? info(s.table, stream) : null;
}

function all(t: ConversationTable | undefined): ConversationInfo[] {
  const out: ConversationInfo[] = [];
  if (!t) return out;
  for (let i = 0; i < t.count; i++) out.push(info(t, i)!);
  return out;
}

export function tcpConversations(session: Session): ConversationInfo[] {
  return all(session.peek<TcpState>('tcp')?.table);
}

export function udpConversations(session: Session): ConversationInfo[] {
  return all(session.peek<UdpState>('udp')?.table);
}

/** Conversations that carried packets of their own (as tshark's `-z conv` lists them). */
function withPackets(t: ConversationTable | undefined): number {
  let n = 0;
  if (t) for (let i = 0; i < t.count; i++) if (t.packetsAB[i] + t.packetsBA[i] > 0) n++;
  return n;
}

export function tcpStreamsWithPackets(session: Session): number {
  return withPackets(session.peek<TcpState>('tcp')?.table);
}

export function udpStreamsWithPackets(session: Session): number {
  return withPackets(session.peek<UdpState>('udp')?.table);
}

function addrText(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return s;
}

/**
 * A key that is the same for A→B and B→A (`proto:lowAddr:lowPort-highAddr:highPort`, addresses in
 * hex), and `dir`: 0 when src is the lower endpoint, 1 otherwise. For maps keyed outside the
 * per-packet path; the dissectors use numeric hashes instead.
 */
export function conversationKey(
  proto: 'tcp' | 'udp',
  src: Uint8Array,
  sport: number,
  dst: Uint8Array,
  dport: number,
): { key: string; dir: 0 | 1 } {
  const dir = compareEndpoints(src, sport, dst, dport) <= 0 ? 0 : 1;
  const [a, ap, b, bp] = dir === 0 ? [src, sport, dst, dport] : [dst, dport, src, sport];
  return { key: `${proto}:${addrText(a)}:${ap}-${addrText(b)}:${bp}`, dir };
}

export { compareEndpoints } from './table';
export { seqAdd, seqGe, seqGt, seqLe, seqLt, seqSub } from './seq';
export type { TcpState } from './tcp-analysis';
export type { UdpState } from './udp-streams';
