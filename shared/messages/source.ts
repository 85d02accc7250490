// What messages and follow-stream read: an indexed capture whose first pass is over, and a way to
// dissect one of its frames again (shared/index/columns.ts FrameSource is one; the worker, the
// backend and the CLI all hold one). Only the frames of the conversations asked for are
// dissected: the packet index knows each frame's transport stream without dissecting it.
import type { Session } from '../dissect/packet';
import type { Dissection, Item, Layer } from '../dissect/types';
import {
  tcpConversation,
  tcpConversations,
  udpConversation,
  udpConversations,
  type ConversationInfo,
} from '../conversations';
import { PacketFlag, type PacketIndex } from '../index/packet-index';
import { endpoint, type Endpoint } from './roles';

export interface StreamSource {
  readonly index: PacketIndex;
  readonly session: Session;
  dissect(frame: number, tree: boolean, cols: boolean): Dissection | null;
  /** Bytes of record i (0-based): what an item in the frame itself (source 0) points into. */
  readonly read?: (i: number) => Uint8Array | null;
}

export type TransportKind = 'tcp' | 'udp';

/** A conversation named as the CLI and the views name it: `tcp:3`, `udp:0`. */
export interface StreamRef {
  proto: TransportKind;
  stream: number;
}

export function streamName(s: StreamRef): string {
  return `${s.proto}:${s.stream}`;
}

/** `tcp:3` / `udp:0` → a StreamRef; null when the text is not one. */
export function parseStreamRef(text: string): StreamRef | null {
  const m = /^(tcp|udp):(\d{1,9})$/.exec(text.trim());
  return m ? { proto: m[1] as TransportKind, stream: Number(m[2]) } : null;
}

export function conversationOf(session: Session, s: StreamRef): ConversationInfo | null {
  return s.proto === 'tcp' ? tcpConversation(session, s.stream) : udpConversation(session, s.stream);
}

/** Every conversation of the capture, TCP streams first, each in stream order. */
export function allStreams(session: Session): StreamRef[] {
  const out: StreamRef[] = [];
  for (const c of tcpConversations(session)) out.push({ proto: 'tcp', stream: c.stream });
  for (const c of udpConversations(session)) out.push({ proto: 'udp', stream: c.stream });
  return out;
}

/** The two endpoints of a conversation: A (source of its first packet) and B. */
export function conversationEndpoints(c: ConversationInfo): [Endpoint, Endpoint] {
  return [endpoint(c.addressA, c.portA), endpoint(c.addressB, c.portB)];
}

/**
 * Frames (1-based, in capture order) whose transport layer belongs to one of `streams`, read from
 * the index alone. `range` narrows the scan to the conversations' first…last frames.
 */
export function framesOf(src: StreamSource, streams: readonly StreamRef[]): number[] {
  const { index, session } = src;
  const want = { tcp: new Set<number>(), udp: new Set<number>() };
  let lo = Infinity;
  let hi = 0;
  for (const s of streams) {
    const c = conversationOf(session, s);
    if (!c) continue;
    want[s.proto].add(s.stream);
    lo = Math.min(lo, c.firstFrame);
    hi = Math.max(hi, c.lastFrame);
  }
  const out: number[] = [];
  const last = Math.min(hi, index.count);
  for (let f = Math.max(1, lo); f <= last; f++) {
    const i = f - 1;
    const fl = index.flags(i);
    const set = fl & PacketFlag.tcp ? want.tcp : fl & PacketFlag.udp ? want.udp : null;
    if (set && set.has(index.stream(i))) out.push(f);
  }
  return out;
}

/**
 * Direction of frame `f` within conversation `c`: 0 when it goes A→B, 1 when B→A, read from the
 * index's addresses and ports.
 */
export function directionOf(index: PacketIndex, c: ConversationInfo, f: number): 0 | 1 {
  const i = f - 1;
  if (index.srcport(i) !== c.portA) return 1;
  const id = index.src(i);
  if (id < 0) return 0;
  const b = index.addresses.addressBytes(id);
  if (b.length !== c.addressA.length) return 1;
  for (let k = 0; k < b.length; k++) if (b[k] !== c.addressA[k]) return 1;
  // A connection from a socket to itself: the destination port tells the two apart only when
  // the ports differ; otherwise every packet is A's.
  return 0;
}

/**
 * The transport layer of a frame that the stream number belongs to: the first TCP or UDP layer
 * that is not quoted inside an ICMP error.
 */
export function transportLayer(d: Dissection, proto: TransportKind): { layer: Layer; at: number } | null {
  const at = transportAt(
    d.layers.map((l) => l.proto),
    proto,
  );
  return at < 0 ? null : { layer: d.layers[at], at };
}

/** transportLayer's place among a frame's layer protocols (a first pass has no Layers), -1 when none. */
export function transportAt(protos: readonly string[], proto: TransportKind): number {
  for (let k = 0; k < protos.length; k++) {
    const l = protos[k];
    if (l === 'icmp' || l === 'icmpv6') return -1;
    if (l === proto) return k;
  }
  return -1;
}

/** The first item named `abbrev` in `items` (depth first). */
export function firstItem(items: readonly Item[], abbrev: string): Item | null {
  for (const it of items) {
    if (it.abbrev === abbrev) return it;
    if (it.children) {
      const r = firstItem(it.children, abbrev);
      if (r) return r;
    }
  }
  return null;
}

export function numberOf(items: readonly Item[], abbrev: string): number {
  const v = firstItem(items, abbrev)?.value;
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0;
}

export function bytesOf(items: readonly Item[], abbrev: string): Uint8Array | null {
  const v = firstItem(items, abbrev)?.value;
  return v instanceof Uint8Array ? v : null;
}
