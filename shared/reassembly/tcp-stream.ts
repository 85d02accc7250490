// TCP reassembly: each direction of a TCP stream put back in sequence order (RFC 9293 §3.4:
// sequence numbers count bytes; SYN and FIN take one each), then cut into the application
// protocol's PDUs by a PduStream, so a PDU that spans segments is dissected once, on the segment
// that completes it, and several PDUs in one segment are all dissected.
//
// Ordering rules, all decided on the first (in-order) pass and recorded per frame:
// - Bytes already delivered are dropped from a later segment (retransmissions, overlaps): the
//   first bytes to arrive win, as in ip-fragments.ts.
// - A segment that starts beyond the next expected byte waits (a copy) until the hole is filled.
// - A hole becomes a gap — bytes missing from the capture, never invented — when the receiver has
//   acknowledged data past it (the sender's bytes were delivered, the capture lost them), when
//   too much waits behind it, or when the snaplen cut a segment's payload short. The PDU in
//   progress is dropped and detection starts afresh after the gap.
//
// Deliberate differences from Wireshark 4.0 (packet-tcp.c with default preferences):
// - Out-of-order segments are reassembled (Wireshark's "reassemble out-of-order segments"
//   preference, off by default, does the same); Wireshark by default hands them to no one.
// - The "[N Reassembled TCP Segments]" subtree is part of the TCP layer's tree (Wireshark draws
//   it at the top level of the tree, between TCP and the application layer).
import type { Cursor } from '../dissect/cursor';
import type { NextHint } from '../dissect/engine';
import type { PacketInfo } from '../dissect/packet';
import type { FieldDef } from '../dissect/types';
import { seqAdd, seqGe, seqSub } from '../conversations/seq';
import { PduStream, rebuildPdu, type CutPdu, type Pdu, type PduFraming } from './pdu-stream';

const EMPTY = new Uint8Array(0);

/** Bytes allowed to wait behind a hole in one direction before the hole is taken as lost. */
const MAX_WAITING = 4 * 1024 * 1024;

/** A segment that arrived ahead of a hole. */
interface Ahead {
  seq: number;
  frame: number;
  bytes: Uint8Array;
  /** Already handed on loose (unframed direction): only its sequence space is left to account. */
  handed?: number;
}

class Direction {
  /** Next expected sequence number; -1 before the first segment. */
  next = -1;
  /** Highest sequence number the peer acknowledged of this direction; -1 before any. */
  acked = -1;
  ahead: Ahead[] = [];
  aheadBytes = 0;
  finished = false;
  /**
   * The protocol of this direction's plain frames (one whole PDU that is exactly the segment's
   * payload, the common case) from each listed frame on: such frames get no FrameRecord, which
   * keeps the index pass's memory flat.
   */
  readonly since: number[] = [];
  readonly protos: string[] = [];
  constructor(readonly pdus: PduStream) {}

  protoAt(frame: number): string | null {
    const f = this.since;
    let lo = 0;
    let hi = f.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (f[mid] <= frame) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? null : this.protos[found];
  }
}

class Stream {
  readonly dirs: [Direction, Direction];
  /** Whether direction 0 (the first to speak) is the flow whose address orders first. */
  firstIsFlow1: boolean;
  /** The packet being processed and its ports, for protocol detection. */
  p: PacketInfo | null = null;
  ports: [number, number] = [0, 0];
  constructor(id: number, firstIsFlow1: boolean) {
    this.firstIsFlow1 = firstIsFlow1;
    const conv = new Map<string, unknown>();
    const resolve = (data: Uint8Array, offset: number, end: number) => {
      const p = this.p!;
      const d = p.dispatch?.resolve({ table: 'tcp.port', keys: this.ports }, data, offset, end, p);
      const proto = d?.fields.$proto.abbrev ?? 'data';
      return { proto, framing: d?.framing ?? null };
    };
    const framingOf = (proto: string): PduFraming | null =>
      this.p?.dispatch?.dissector(proto)?.framing ?? null;
    const a = new PduStream(`tcp:${id}`, 0, conv, resolve, framingOf);
    const b = new PduStream(`tcp:${id}`, 1, conv, resolve, framingOf);
    a.peer = b;
    b.peer = a;
    this.dirs = [new Direction(a), new Direction(b)];
  }
}

/** What later visits need of one frame's payload. */
export interface FrameRecord {
  /** PDUs this frame completed, in stream order. */
  pdus: Pdu[];
  /** Frame whose segment completed the PDU these bytes are part of (0: none yet / not known). */
  reassembledIn: number;
  /** Some of this frame's bytes wait for a PDU that had not completed by the end of the pass. */
  waiting: boolean;
  /** Bytes of this segment the capture lost (snaplen) or that fell in a gap. */
  lost: number;
}

export class TcpReassembly {
  readonly streams = new Map<number, Stream>();
  readonly frames = new Map<number, FrameRecord>();

  record(frame: number): FrameRecord {
    let r = this.frames.get(frame);
    if (!r) this.frames.set(frame, (r = { pdus: [], reassembledIn: 0, waiting: false, lost: 0 }));
    return r;
  }
}

/** Where this frame's payload lies, for frames the first pass kept no record of. */
export interface PayloadAt {
  stream: number;
  flow1: boolean;
  at: number;
  captured: number;
}

export function tcpReassembly(p: PacketInfo): TcpReassembly {
  return p.session.state('tcp.reassembly', () => new TcpReassembly());
}

/** One segment's payload as TCP saw it. */
export interface SegmentIn {
  stream: number;
  /** The segment goes flow1's way (TCP analysis' orientation). */
  flow1: boolean;
  /** Sequence number of the payload's first byte (the SYN's own number + 1 on a SYN). */
  seq: number;
  /** Payload bytes on the wire (the TCP length) and how many of them were captured. */
  length: number;
  captured: number;
  syn: boolean;
  fin: boolean;
  rst: boolean;
  /** Acknowledgment number, or -1 without ACK. */
  ack: number;
  sport: number;
  dport: number;
}

/** Fields the TCP layer shows for reassembly (tcp.ts's table). */
export interface ReassemblyFields {
  segments: FieldDef;
  segment: FieldDef;
  count: FieldDef;
  length: FieldDef;
  data: FieldDef;
  reassembledIn: FieldDef;
}

/** Next hints for the application payload of this frame, from the reassembly. */
export interface PayloadHints {
  next: NextHint | null;
  more: NextHint[] | null;
  /** The frame's bytes all went into PDUs completed later (or never): Info gets Wireshark's note. */
  segmentOnly: boolean;
}

/**
 * The first pass over one segment's payload (at c.data[at, at + seg.captured)): puts it in
 * order, cuts PDUs, and records what later visits will need. Returns the PDUs completed here.
 */
export function feedSegment(
  p: PacketInfo,
  seg: SegmentIn,
  data: Uint8Array,
  at: number,
  inFrame: boolean,
): CutPdu[] {
  const ra = tcpReassembly(p);
  const frame = p.frame.number;
  let st = ra.streams.get(seg.stream);
  if (!st) ra.streams.set(seg.stream, (st = new Stream(seg.stream, seg.flow1)));
  st.p = p;
  st.ports[0] = seg.sport;
  st.ports[1] = seg.dport;
  const di = seg.flow1 === st.firstIsFlow1 ? 0 : 1;
  const dir = st.dirs[di];
  const peer = st.dirs[1 - di];
  if (seg.ack >= 0 && (peer.acked < 0 || seqGe(seg.ack, peer.acked))) peer.acked = seg.ack;
  const out: CutPdu[] = [];
  const rec: FrameRecord = { pdus: [], reassembledIn: 0, waiting: false, lost: 0 };
  for (const s of dir.pdus.peer ? [dir.pdus, dir.pdus.peer] : [dir.pdus]) s.frame = frame;

  if (dir.next < 0 || (seg.syn && dir.pdus.offset === 0)) dir.next = seg.seq;
  if (seg.length > 0 && !dir.finished) deliver(ra, dir, frame, seg, data, at, inFrame, out, rec);
  // A gap the peer's acknowledgment proves lost: what waits behind it can go on.
  if (dir.ahead.length && dir.acked >= 0 && seqGe(dir.acked, dir.ahead[0].seq)) skipGap(ra, dir, out);
  if (peer.ahead.length && peer.acked >= 0 && seqGe(peer.acked, peer.ahead[0].seq)) skipGap(ra, peer, out);
  if ((seg.fin || seg.rst) && !dir.finished && !dir.ahead.length) {
    dir.finished = true;
    for (const pdu of dir.pdus.close(frame)) out.push(pdu);
    if (seg.rst) {
      peer.finished = true;
      for (const pdu of peer.pdus.close(frame)) out.push(pdu);
    }
  }
  if (dir.pdus.pending > 0 && seg.captured > 0) rec.waiting = true;
  const one = out.length === 1 ? out[0] : null;
  const s0 = one && one.segments.length === 1 ? one.segments[0] : null;
  if (
    s0 &&
    s0.frame === frame &&
    !s0.copy &&
    s0.at === at &&
    s0.length === seg.captured &&
    seg.captured === seg.length &&
    !rec.waiting &&
    !rec.lost &&
    inFrame
  ) {
    const h = dir;
    if (h.protos[h.protos.length - 1] !== one!.proto) {
      h.since.push(frame);
      h.protos.push(one!.proto);
    }
    return out;
  }
  if (!out.length && !rec.waiting && !rec.lost && seg.length === 0) return out;
  const kept = ra.frames.get(frame);
  if (kept) {
    kept.waiting ||= rec.waiting;
    kept.lost += rec.lost;
  } else ra.frames.set(frame, rec);
  for (const pdu of out) note(ra, pdu, frame);
  return out;
}

/** A pure ACK on the first pass: it may prove a hole in the other direction lost. */
export function noteAck(p: PacketInfo, stream: number, flow1: boolean, ack: number): void {
  const st = p.session.peek<TcpReassembly>('tcp.reassembly')?.streams.get(stream);
  if (!st) return;
  const peer = st.dirs[flow1 === st.firstIsFlow1 ? 1 : 0];
  if (peer.acked < 0 || seqGe(ack, peer.acked)) peer.acked = ack;
  if (peer.ahead.length && seqGe(ack, peer.ahead[0].seq)) {
    st.p = p;
    const out: CutPdu[] = [];
    skipGap(tcpReassembly(p), peer, out);
    for (const pdu of out) note(tcpReassembly(p), pdu, p.frame.number);
  }
}

function deliver(
  ra: TcpReassembly,
  dir: Direction,
  frame: number,
  seg: SegmentIn,
  data: Uint8Array,
  at: number,
  inFrame: boolean,
  out: CutPdu[],
  rec: FrameRecord,
): void {
  const ahead = seqSub(seg.seq, dir.next) | 0;
  if (ahead > 0) {
    // A hole before this segment: the receiver already acknowledged past it → lost in capture.
    if (dir.acked >= 0 && seqGe(dir.acked, seg.seq)) {
      lose(dir, ahead);
    } else {
      const loose = seg.captured > 0 ? dir.pdus.loose(frame, data, at, seg.captured, inFrame) : null;
      if (loose) {
        out.push(loose);
        dir.ahead.push({ seq: seg.seq, frame, bytes: EMPTY, handed: seg.captured });
        dir.ahead.sort((x, y) => seqSub(x.seq, dir.next) - seqSub(y.seq, dir.next));
      } else if (seg.captured > 0) {
        dir.ahead.push({ seq: seg.seq, frame, bytes: data.slice(at, at + seg.captured) });
        dir.ahead.sort((x, y) => seqSub(x.seq, dir.next) - seqSub(y.seq, dir.next));
        dir.aheadBytes += seg.captured;
        rec.waiting = true;
      }
      if (dir.aheadBytes > MAX_WAITING) skipGap(ra, dir, out);
      return;
    }
  }
  const skip = Math.max(0, -(seqSub(seg.seq, dir.next) | 0));
  if (skip >= seg.length) return;
  const take = Math.max(0, seg.captured - skip);
  if (take > 0) for (const pdu of dir.pdus.push(frame, data, at + skip, take, inFrame)) out.push(pdu);
  const lost = seg.length - skip - take;
  if (lost > 0) {
    // The snaplen cut the payload: the rest of it is a gap.
    dir.pdus.gap(lost);
    rec.lost += lost;
  }
  dir.next = seqAdd(seg.seq, seg.length);
  drainAhead(dir, out);
}

/** Delivers segments that waited ahead of a hole, now that the hole is filled. */
function drainAhead(dir: Direction, out: CutPdu[]): void {
  while (dir.ahead.length) {
    const a = dir.ahead[0];
    const ahead = seqSub(a.seq, dir.next) | 0;
    if (ahead > 0) return;
    dir.ahead.shift();
    dir.aheadBytes -= a.bytes.length;
    const skip = -ahead;
    if (a.handed !== undefined) {
      if (skip < a.handed) dir.next = seqAdd(a.seq, a.handed);
    } else if (skip < a.bytes.length) {
      for (const pdu of dir.pdus.push(a.frame, a.bytes, skip, a.bytes.length - skip, false, dir.pdus.frame))
        out.push(pdu);
      dir.next = seqAdd(a.seq, a.bytes.length);
    }
  }
}

/** Bytes of the direction the capture never had. */
function lose(dir: Direction, bytes: number): void {
  dir.pdus.gap(bytes);
  dir.next = seqAdd(dir.next, bytes);
}

/** The hole before the first waiting segment is taken as lost; what waits behind it goes on. */
function skipGap(_ra: TcpReassembly, dir: Direction, out: CutPdu[]): void {
  if (!dir.ahead.length) return;
  lose(dir, seqSub(dir.ahead[0].seq, dir.next));
  drainAhead(dir, out);
}

/** Records a completed PDU for later visits and tells its other frames where it completed. */
function note(ra: TcpReassembly, pdu: CutPdu, frame: number): void {
  const kept: Pdu = {
    proto: pdu.proto,
    dir: pdu.dir,
    streamOffset: pdu.streamOffset,
    length: pdu.length,
    frame,
    segments: pdu.segments,
  };
  if (pdu.atClose) kept.atClose = true;
  pdu.frame = frame;
  ra.record(frame).pdus.push(kept);
  for (const s of pdu.segments) {
    if (s.frame !== frame) {
      const r = ra.record(s.frame);
      r.reassembledIn = frame;
      r.waiting = false;
    }
  }
}

/**
 * The hints that hand this frame's application bytes on, on any pass. `cut` are the PDUs the
 * first pass just completed (with their bytes at hand); later visits read the frame's record
 * and rebuild multi-segment PDUs from the frames they came from.
 */
export function payloadHints(
  c: Cursor,
  p: PacketInfo,
  cut: CutPdu[] | null,
  F: ReassemblyFields,
  where: PayloadAt,
): PayloadHints {
  const frame = p.frame.number;
  const ra = tcpReassembly(p);
  const rec = ra.frames.get(frame) ?? null;
  if (!cut && !rec) {
    // A plain frame: its whole payload is one PDU of the protocol its direction carried then.
    const st = ra.streams.get(where.stream);
    const proto = st?.dirs[where.flow1 === st.firstIsFlow1 ? 0 : 1].protoAt(frame) ?? null;
    if (!proto || where.captured <= 0) return { next: null, more: null, segmentOnly: false };
    return {
      next: { proto, offset: where.at, end: where.at + where.captured },
      more: null,
      segmentOnly: false,
    };
  }
  const pdus: Pdu[] = cut ?? rec?.pdus ?? [];
  const hints: NextHint[] = [];
  for (let i = 0; i < pdus.length; i++) {
    const pdu = pdus[i];
    const segs = pdu.segments;
    if (segs.length === 1 && segs[0].frame === frame) {
      const s = segs[0];
      // The PDU lies in this segment: hand on the range (the same offsets on every visit).
      if (cut && !s.copy) hints.push({ proto: pdu.proto, offset: s.at, end: s.at + s.length });
      else if (cut)
        hints.push({
          proto: pdu.proto,
          data: (cut[i] as CutPdu).data.subarray(
            (cut[i] as CutPdu).offset,
            (cut[i] as CutPdu).offset + pdu.length,
          ),
          dataName: reassembledName(pdu),
        });
      else if (s.copy) hints.push({ proto: pdu.proto, data: s.copy, dataName: reassembledName(pdu) });
      else hints.push({ proto: pdu.proto, offset: s.at, end: s.at + s.length });
      continue;
    }
    const bytes = cut
      ? (cut[i] as CutPdu).data.subarray((cut[i] as CutPdu).offset, (cut[i] as CutPdu).offset + pdu.length)
      : rebuildPdu(pdu, p.session.frameBytes, { frame, data: c.data });
    if (c.tree) segmentsTree(c, pdu, F, bytes);
    if (!bytes) {
      c.expert(
        'tcp.reassembly.unreadable',
        'warn',
        'reassemble',
        `Reassembled PDU of ${pdu.length} bytes could not be rebuilt: a frame it came from cannot be read back`,
      );
      continue;
    }
    hints.push({ proto: pdu.proto, data: bytes, dataName: reassembledName(pdu) });
  }
  if (c.tree && rec && rec.reassembledIn && !hints.length)
    c.generated(F.reassembledIn, rec.reassembledIn, `[Reassembled PDU in frame: ${rec.reassembledIn}]`);
  return {
    next: hints[0] ?? null,
    more: hints.length > 1 ? hints.slice(1) : null,
    segmentOnly: !hints.length && rec !== null && (rec.waiting || rec.reassembledIn > 0),
  };
}

function reassembledName(pdu: Pdu): string {
  return `Reassembled TCP (${pdu.length} bytes)`;
}

/** Wireshark's "[N Reassembled TCP Segments (X bytes): #a(n), #b(m)]" subtree. */
function segmentsTree(c: Cursor, pdu: Pdu, F: ReassemblyFields, bytes: Uint8Array | null): void {
  const list = pdu.segments.map((s) => `#${s.frame}(${s.length})`).join(', ');
  const n = pdu.segments.length;
  const top = c.generated(F.segments, null, `[${n} Reassembled TCP Segments (${pdu.length} bytes): ${list}]`);
  c.within(top, () => {
    let o = 0;
    for (const s of pdu.segments) {
      c.generated(
        F.segment,
        s.frame,
        `[Frame: ${s.frame}, payload: ${o}-${o + s.length - 1} (${s.length} bytes)]`,
      );
      o += s.length;
    }
    c.generated(F.count, n, `[Segment count: ${n}]`);
    c.generated(F.length, pdu.length, `[Reassembled TCP length: ${pdu.length}]`);
    if (bytes) c.generated(F.data, bytes, `[Reassembled TCP Data: ${hexPreview(bytes)}]`);
  });
}

function hexPreview(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < Math.min(b.length, 24); i++) s += b[i].toString(16).padStart(2, '0');
  return b.length > 24 ? `${s}…` : s;
}
