// Messages: the events a sequence diagram draws for a set of conversations, at two levels.
// - transport: every TCP segment (SYN, SYN-ACK, ACK, data, FIN, RST; the TCP analysis marks:
//   retransmission, duplicate ACK, out-of-order…) and every UDP datagram;
// - application: what the protocols said (Dissection.messages, emitted by the dissectors), in
//   frame order, several per frame when a frame carries several PDUs, each with every frame the
//   PDU came from (TCP reassembly records them).
// Endpoints get roles (roles.ts). Pure functions over a StreamSource, so the worker, the backend
// and the CLI all run them; only the frames of the chosen conversations are dissected.
import type { TcpReassembly } from '../reassembly/tcp-stream';
import type { AppMessage, Dissection, Item, Timestamp } from '../dissect/types';
import { secondsText } from '../dissect/format';
import { flagsText } from '../dissectors/tcp';
import type { ConversationInfo } from '../conversations';
import type { Session } from '../dissect/packet';
import { RoleEvidence, type ConversationRoles, type Endpoint, type RoleName } from './roles';
import {
  allStreams,
  conversationEndpoints,
  conversationOf,
  directionOf,
  firstItem,
  framesOf,
  numberOf,
  streamName,
  transportAt,
  transportLayer,
  type StreamRef,
  type StreamSource,
  type TransportKind,
} from './source';
import { PacketFlag, type PacketIndex } from '../index/packet-index';

export type MessageLevel = 'transport' | 'application';

export interface Message {
  /** Stable within a capture: `frame:level:k` (k counts the frame's messages of that level). */
  id: string;
  level: MessageLevel;
  /** The frame the message is drawn at (for a reassembled PDU: the frame that completed it). */
  frame: number;
  /** Every frame it came from, ascending (a PDU spanning segments lists them all). */
  frames: number[];
  /** Capture time of `frame`, and seconds since the capture's first packet (as the Time column). */
  time: Timestamp;
  relative: string;
  /** `tcp:N` / `udp:N`, and a sub-conversation (`h2:3`, a QUIC connection) when the protocol has one. */
  stream: string;
  substream?: string;
  /** 0: from endpoint A (the conversation's first sender) to B; 1: from B to A. */
  direction: 0 | 1;
  from: Endpoint;
  to: Endpoint;
  fromRole: RoleName;
  toRole: RoleName;
  /** As the Protocol column names it: TCP, UDP, DNS, HTTP, HTTP2, WebSocket, TLS… */
  protocol: string;
  label: string;
  detail: string;
  /** Transport only: TCP flags as Wireshark lists them (`SYN, ACK`). */
  flags?: string;
  /** Transport only: TCP analysis marks (retransmission, dup-ack, out-of-order…). */
  marks?: string[];
  /** Transport only: a TCP segment that carries nothing but an acknowledgment (drawn dashed). */
  ackOnly?: boolean;
  /** Transport only: payload bytes (tcp.len / UDP payload length). */
  length?: number;
}

export interface ConversationSummary {
  stream: string;
  proto: TransportKind;
  a: Endpoint;
  b: Endpoint;
  roles: ConversationRoles;
  firstFrame: number;
  lastFrame: number;
}

export interface MessagesResult {
  conversations: ConversationSummary[];
  messages: Message[];
}

export interface MessagesOptions {
  /** Conversations to draw; all of the capture when absent or empty. */
  streams?: readonly StreamRef[];
  /** Levels wanted; both when absent. */
  levels?: readonly MessageLevel[];
  /**
   * Only frames this accepts give messages (a display filter); the dissection has its tree.
   * Roles are still decided from every frame of the conversation.
   */
  keep?: (frame: number, d: Dissection) => boolean;
  /**
   * Only messages drawn at frames after this one (a live diagram's refresh: earlier frames are
   * final and it has their messages). Roles and conversations are still decided from every frame.
   */
  after?: number;
}

const PROTOCOL_NAMES: Readonly<Record<string, string>> = {
  dns: 'DNS',
  mdns: 'MDNS',
  http: 'HTTP',
  http2: 'HTTP2',
  websocket: 'WebSocket',
  tls: 'TLS',
  grpc: 'gRPC',
  quic: 'QUIC',
  tcp: 'TCP',
  udp: 'UDP',
};

export function protocolName(proto: string): string {
  return PROTOCOL_NAMES[proto] ?? proto.toUpperCase();
}

/**
 * TCP analysis marks in the order Wireshark prepends them to the Info column (packet-tcp.c
 * tcp_print_sequence_number_analysis); `text` is the Info prefix.
 */
const MARKS: readonly { abbrev: string; mark: string; text: string }[] = [
  { abbrev: 'tcp.analysis.reused_ports', mark: 'reused-ports', text: '[TCP Port numbers reused]' },
  { abbrev: 'tcp.analysis.retransmission', mark: 'retransmission', text: '[TCP Retransmission]' },
  {
    abbrev: 'tcp.analysis.fast_retransmission',
    mark: 'fast-retransmission',
    text: '[TCP Fast Retransmission]',
  },
  {
    abbrev: 'tcp.analysis.spurious_retransmission',
    mark: 'spurious-retransmission',
    text: '[TCP Spurious Retransmission]',
  },
  { abbrev: 'tcp.analysis.out_of_order', mark: 'out-of-order', text: '[TCP Out-Of-Order]' },
  {
    abbrev: 'tcp.analysis.lost_segment',
    mark: 'previous-segment-lost',
    text: '[TCP Previous segment not captured]',
  },
  {
    abbrev: 'tcp.analysis.ack_lost_segment',
    mark: 'acked-unseen-segment',
    text: '[TCP ACKed unseen segment]',
  },
  { abbrev: 'tcp.analysis.window_update', mark: 'window-update', text: '[TCP Window Update]' },
  { abbrev: 'tcp.analysis.window_full', mark: 'window-full', text: '[TCP Window Full]' },
  { abbrev: 'tcp.analysis.keep_alive', mark: 'keep-alive', text: '[TCP Keep-Alive]' },
  { abbrev: 'tcp.analysis.keep_alive_ack', mark: 'keep-alive-ack', text: '[TCP Keep-Alive ACK]' },
  { abbrev: 'tcp.analysis.duplicate_ack_num', mark: 'dup-ack', text: '' },
  { abbrev: 'tcp.analysis.zero_window_probe', mark: 'zero-window-probe', text: '[TCP ZeroWindowProbe]' },
  { abbrev: 'tcp.analysis.zero_window', mark: 'zero-window', text: '[TCP ZeroWindow]' },
  {
    abbrev: 'tcp.analysis.zero_window_probe_ack',
    mark: 'zero-window-probe-ack',
    text: '[TCP ZeroWindowProbeAck]',
  },
];

function abbrevSet(items: readonly Item[], into: Set<string> = new Set()): Set<string> {
  for (const it of items) {
    if (it.abbrev) into.add(it.abbrev);
    if (it.children) abbrevSet(it.children, into);
  }
  return into;
}

/** The TCP options as Wireshark's Info column summarises them, in wire order. */
function optionsText(items: readonly Item[]): string {
  const opts = firstItem(items, 'tcp.options');
  if (!opts?.children) return '';
  let s = '';
  for (const o of opts.children) {
    const kids = o.children ?? [];
    switch (o.abbrev) {
      case 'tcp.options.mss':
        if (firstItem(kids, 'tcp.options.mss_val')) s += ` MSS=${numberOf(kids, 'tcp.options.mss_val')}`;
        break;
      case 'tcp.options.sack_perm':
        s += ' SACK_PERM';
        break;
      case 'tcp.options.timestamp':
        // Both values or none: a snaplen that cuts the option leaves TSecr out of the tree.
        if (firstItem(kids, 'tcp.options.timestamp.tsval') && firstItem(kids, 'tcp.options.timestamp.tsecr'))
          s += ` TSval=${numberOf(kids, 'tcp.options.timestamp.tsval')} TSecr=${numberOf(kids, 'tcp.options.timestamp.tsecr')}`;
        break;
      case 'tcp.options.wscale':
        if (firstItem(kids, 'tcp.options.wscale.multiplier'))
          s += ` WS=${numberOf(kids, 'tcp.options.wscale.multiplier')}`;
        break;
      case 'tcp.options.sack': {
        let le = -1;
        for (const k of kids) {
          if (k.abbrev === 'tcp.options.sack_le' && typeof k.value === 'number') le = k.value;
          if (k.abbrev === 'tcp.options.sack_re' && typeof k.value === 'number' && le >= 0)
            s += ` SLE=${le} SRE=${k.value}`;
        }
        break;
      }
    }
  }
  return s;
}

export interface TcpSummary {
  /** Wireshark's Info text after the ports: `[SYN, ACK] Seq=0 Ack=1 Win=65160 Len=0 MSS=1460…`. */
  text: string;
  /** The analysis prefix (`[TCP Retransmission] `), empty when none. */
  prefix: string;
  flags: number;
  flagsText: string;
  marks: string[];
  length: number;
}

/** The summary of one TCP layer, from its tree (the dissection must have been made with tree on). */
export function tcpSummary(items: readonly Item[]): TcpSummary {
  const names = abbrevSet(items);
  const flags = numberOf(items, 'tcp.flags');
  const ft = flagsText(flags);
  const seq = numberOf(items, 'tcp.seq');
  const ack = numberOf(items, 'tcp.ack');
  const win = numberOf(items, 'tcp.window_size');
  const len = numberOf(items, 'tcp.len');
  let text = `[${ft}] Seq=${seq}${flags & 0x10 ? ` Ack=${ack}` : ''} Win=${win}`;
  if (flags & 0x20) text += ` Urg=${numberOf(items, 'tcp.urgent_pointer')}`;
  if (names.has('tcp.len')) text += ` Len=${len}`;
  text += optionsText(items);
  const marks: string[] = [];
  const printed: string[] = [];
  for (const m of MARKS) {
    if (!names.has(m.abbrev)) continue;
    marks.push(m.mark);
    if (m.mark === 'dup-ack')
      printed.push(
        `[TCP Dup ACK ${numberOf(items, 'tcp.analysis.duplicate_ack_frame')}#${numberOf(items, 'tcp.analysis.duplicate_ack_num')}]`,
      );
    else printed.push(m.text);
  }
  // Wireshark prepends each mark in front of the previous ones: they read in reverse order.
  let prefix = '';
  for (let i = printed.length - 1; i >= 0; i--) prefix += printed[i] + ' ';
  return { text, prefix, flags, flagsText: ft, marks, length: len };
}

/**
 * Whether record i's innermost protocol (the index pass's) is TCP or UDP: no layer above the
 * transport, so no dissector could emit an application message for it. Later visits show the
 * layers the first pass found (tests/index/first-pass.test.ts holds the index to that).
 */
function transportOnly(index: PacketIndex, i: number): boolean {
  // The chain ("eth:ip:tcp") ends in the innermost protocol.
  const chain = index.protocols.text(index.proto(i));
  return chain.endsWith(':tcp') || chain.endsWith(':udp') || chain === 'tcp' || chain === 'udp';
}

/**
 * Frames of the PDU each application layer of frame `f` came from (TCP reassembly's record);
 * `protos` are the frame's layers, `tcpAt` the TCP layer's place among them.
 */
function pduFrames(
  session: Session,
  f: number,
  protos: readonly string[],
  tcpAt: number,
): (number[] | null)[] {
  const out: (number[] | null)[] = protos.map(() => null);
  const rec = session.peek<TcpReassembly>('tcp.reassembly')?.frames.get(f);
  if (!rec || !rec.pdus.length) return out;
  // The layers TCP handed on start one per PDU, in order; a layer of the PDU's protocol after
  // the previous PDU's layers opens the next one (bodies and inner protocols differ in name).
  let k = -1;
  for (let li = tcpAt + 1; li < protos.length; li++) {
    if (k + 1 < rec.pdus.length && protos[li] === rec.pdus[k + 1].proto) k++;
    if (k < 0) continue;
    out[li] = pduFrameList(rec.pdus[k].segments, f);
  }
  return out;
}

/** The distinct frames of a PDU's segments and frame f, ascending. */
function pduFrameList(segments: readonly { frame: number }[], f: number): number[] {
  // Segments come in stream order, so their frames nearly always ascend already.
  const out: number[] = [];
  let prev = -1;
  let ordered = true;
  for (let i = 0; i < segments.length; i++) {
    const x = segments[i].frame;
    if (x === prev) continue;
    if (x < prev) ordered = false;
    out.push(x);
    prev = x;
  }
  if (f !== prev) {
    if (f < prev) ordered = false;
    out.push(f);
  }
  return ordered ? out : [...new Set(out)].sort((x, y) => x - y);
}

/** Capture time of record i, and its seconds since the first record (as the Time column). */
function frameTime(index: PacketIndex, i: number): { time: Timestamp; relative: string } {
  return {
    time: { sec: index.tsSec(i), nsec: index.tsNsec(i) },
    relative: secondsText(
      index.tsSec(i) - index.firstSec,
      index.tsNsec(i) - index.firstNsec,
      index.link(i).digits,
    ),
  };
}

/**
 * The application messages of frame `f` of conversation `name` (`tcp:3`), from what its
 * dissectors emitted (`ms`; `protos` are the frame's layers). Roles are left to the caller:
 * both are 'Peer A'/'Peer B' placeholders until it sets them.
 */
export function applicationMessages(
  index: PacketIndex,
  session: Session,
  f: number,
  proto: TransportKind,
  name: string,
  info: ConversationInfo,
  ends: readonly [Endpoint, Endpoint],
  protos: readonly string[],
  ms: readonly AppMessage[],
): Message[] {
  const dir = directionOf(index, info, f);
  const { time, relative } = frameTime(index, f - 1);
  const tcpAt = proto === 'tcp' ? transportAt(protos, proto) : -1;
  const spans = tcpAt >= 0 ? pduFrames(session, f, protos, tcpAt) : null;
  const out: Message[] = [];
  let k = 0;
  for (const m of ms) {
    const msg: Message = {
      id: `${f}:application:${k++}`,
      level: 'application',
      frame: f,
      frames: (m.layer >= 0 && spans?.[m.layer]) || [f],
      time,
      relative,
      stream: name,
      direction: dir,
      from: ends[dir],
      to: ends[1 - dir],
      fromRole: 'Peer A',
      toRole: 'Peer B',
      protocol: protocolName(m.proto),
      label: m.label,
      detail: m.detail ?? '',
    };
    if (m.substream !== undefined) msg.substream = m.substream;
    out.push(msg);
  }
  return out;
}

interface Conv {
  ref: StreamRef;
  info: ConversationInfo;
  ends: [Endpoint, Endpoint];
  ev: RoleEvidence;
  roles: ConversationRoles | null;
  /** Frames the role pass dissected. */
  looked: number;
}

/**
 * With a handshake, the first application message only tells whether the server is a DNS
 * resolver; it is looked for in this many frames at most (a stream of raw data has none).
 */
export const LOOK_AFTER_SYN = 16;

/**
 * Decides every conversation's roles before any message is made, so messages can be handed on
 * as they are made. The handshake comes from the index alone; the application evidence from
 * dissecting each conversation's first frames, until a message names its sender (or, after a
 * SYN, until the first message shows the protocol).
 */
function decideRoles(src: StreamSource, convs: Map<string, Conv>, frames: readonly number[]): void {
  const { index } = src;
  const convOf = (f: number): [Conv, 0 | 1] | null => {
    const i = f - 1;
    const proto = index.flags(i) & PacketFlag.tcp ? 'tcp' : 'udp';
    const c = convs.get(`${proto}:${index.stream(i)}`);
    return c ? [c, directionOf(index, c.info, f)] : null;
  };
  for (const f of frames) {
    const tf = index.tcpFlags(f - 1);
    if (!(tf & 0x02)) continue;
    const hit = convOf(f);
    if (hit) hit[0].ev.noteSyn(hit[1], (tf & 0x10) !== 0);
  }
  for (const f of frames) {
    const hit = convOf(f);
    if (!hit) continue;
    const [c, dir] = hit;
    if (c.roles) continue;
    const ev = c.ev;
    const handshake = ev.syn >= 0 || ev.synAck >= 0;
    if ((handshake && (ev.sawApp || c.looked >= LOOK_AFTER_SYN)) || (!handshake && ev.appDir >= 0)) {
      c.roles = ev.decide();
      continue;
    }
    c.looked++;
    const d = src.dissect(f, false, true);
    for (const m of d?.messages ?? []) ev.noteApp(dir, m.proto, m.role);
  }
  for (const c of convs.values()) c.roles ??= c.ev.decide();
}

/**
 * The messages of the chosen conversations (all by default), in frame order, handed to `each`
 * as they are made (nothing is kept: a whole capture's messages can be printed in constant
 * memory). Returns the conversations with their roles.
 */
export function forEachMessage(
  src: StreamSource,
  opts: MessagesOptions,
  each: (m: Message) => void,
): ConversationSummary[] {
  const { index, session } = src;
  const streams = opts.streams?.length ? opts.streams : allStreams(session);
  const levels = opts.levels?.length ? opts.levels : (['transport', 'application'] as const);
  const wantTransport = levels.includes('transport');
  const wantApp = levels.includes('application');

  const convs = new Map<string, Conv>();
  for (const ref of streams) {
    const info = conversationOf(session, ref);
    if (!info) continue;
    convs.set(streamName(ref), {
      ref,
      info,
      ends: conversationEndpoints(info),
      ev: new RoleEvidence(),
      roles: null,
      looked: 0,
    });
  }
  const frames = framesOf(
    src,
    [...convs.values()].map((c) => c.ref),
  );
  decideRoles(src, convs, frames);

  const after = opts.after ?? 0;
  for (const f of frames) {
    if (f <= after) continue;
    const i = f - 1;
    const proto: TransportKind = index.flags(i) & PacketFlag.tcp ? 'tcp' : 'udp';
    const name = `${proto}:${index.stream(i)}`;
    const conv = convs.get(name);
    if (!conv) continue;
    // Application messages only: a frame whose innermost layer is TCP or UDP (an ACK, a segment
    // of a PDU completed later) has none, and is not dissected again.
    if (!wantTransport && transportOnly(index, i)) continue;
    const dir = directionOf(index, conv.info, f);
    // Columns on: the dissectors emit application messages only when columns or tree are built.
    const d = src.dissect(f, wantTransport || opts.keep !== undefined, true);
    if (!d) continue;
    if (opts.keep && !opts.keep(f, d)) continue;
    const roles = conv.roles!;
    const [fromRole, toRole] = dir === 0 ? [roles.a, roles.b] : [roles.b, roles.a];
    const { time, relative } = frameTime(index, i);
    const from = conv.ends[dir];
    const to = conv.ends[1 - dir];
    const t = transportLayer(d, proto);
    if (wantTransport && t) {
      const items = t.layer.items;
      if (proto === 'tcp') {
        const s = tcpSummary(items);
        const control = s.flags & (0x01 | 0x02 | 0x04);
        const label = s.prefix + s.text;
        each({
          id: `${f}:transport:0`,
          level: 'transport',
          frame: f,
          frames: [f],
          time,
          relative,
          stream: name,
          direction: dir,
          from,
          to,
          fromRole,
          toRole,
          protocol: 'TCP',
          label,
          // Wireshark's whole Info text for the segment: the ports, then the label.
          detail: `${from.port} \u2192 ${to.port} ${label}`,
          flags: s.flagsText,
          marks: s.marks,
          ackOnly: s.length === 0 && !control && (s.flags & 0x10) !== 0,
          length: s.length,
        });
      } else {
        const len = Math.max(0, numberOf(items, 'udp.length') - 8);
        each({
          id: `${f}:transport:0`,
          level: 'transport',
          frame: f,
          frames: [f],
          time,
          relative,
          stream: name,
          direction: dir,
          from,
          to,
          fromRole,
          toRole,
          protocol: 'UDP',
          label: `Len=${len}`,
          detail: `${from.port} \u2192 ${to.port} Len=${len}`,
          length: len,
        });
      }
    }
    const ms: AppMessage[] = d.messages ?? [];
    if (!wantApp || !ms.length) continue;
    const protos = d.layers.map((l) => l.proto);
    for (const msg of applicationMessages(index, session, f, proto, name, conv.info, conv.ends, protos, ms)) {
      msg.fromRole = fromRole;
      msg.toRole = toRole;
      each(msg);
    }
  }

  const out: ConversationSummary[] = [];
  for (const [name, c] of convs)
    out.push({
      stream: name,
      proto: c.ref.proto,
      a: c.ends[0],
      b: c.ends[1],
      roles: c.roles!,
      firstFrame: c.info.firstFrame,
      lastFrame: c.info.lastFrame,
    });
  return out;
}

/** The messages of the chosen conversations (all by default), in frame order, and the roles. */
export function buildMessages(src: StreamSource, opts: MessagesOptions = {}): MessagesResult {
  const messages: Message[] = [];
  const conversations = forEachMessage(src, opts, (m) => messages.push(m));
  return { conversations, messages };
}
