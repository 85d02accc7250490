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
import { seqAdd, seqGe, seqGt, seqLe, seqLt, seqSub } from '../conversations/seq';
import { PduStream, rebuildPdu, type CutPdu, type Pdu, type PduFraming } from './pdu-stream';

/** Bytes allowed to wait behind a hole in one direction before the hole is taken as lost. */
const MAX_WAITING = 4 * 1024 * 1024;

/** feedSegment's answer for a plain frame: its whole payload is one PDU of an unframed protocol. */
export const PLAIN: readonly CutPdu[] = Object.freeze([]) as readonly CutPdu[];
const NONE: readonly CutPdu[] = Object.freeze([]) as readonly CutPdu[];

/** A segment (or the part of it no other waiting segment covers) that arrived ahead of a hole. */
interface Ahead {
  seq: number;
  /** Sequence number after its last captured byte. */
  end: number;
  frame: number;
  /** Its bytes (a copy, from 0); null when handed on loose already (unframed direction). */
  bytes: Uint8Array | null;
  /** Offset of bytes[0] in its frame when the frame can be read back later, else -1. */
  frameAt: number;
}

class Direction {
  /** Next expected sequence number; -1 before it is known. */
  next = -1;
  /** Highest sequence number the peer acknowledged of this direction; -1 before any. */
  acked = -1;
  /** Waiting segments in sequence order; null while there are none (most directions). */
  ahead: Ahead[] | null = null;
  aheadBytes = 0;
  /** Sequence number of this direction's FIN once seen; -1 before. It ends the direction when
   * every byte before it has been delivered (or proven lost). */
  finAt = -1;
  finished = false;
  /**
   * The protocol of this direction's plain frames (one whole PDU that is exactly the segment's
   * payload, the common case) from each listed frame on: such frames get no FrameRecord, which
   * keeps the index pass's memory flat. The first entry is kept in fields, the rest in arrays
   * made on the first change.
   */
  firstSince = 0;
  firstProto: string | null = null;
  since: number[] | null = null;
  protos: string[] | null = null;
  constructor(readonly pdus: PduStream) {}

  notePlain(frame: number, proto: string): void {
    if (this.firstProto === null) {
      this.firstSince = frame;
      this.firstProto = proto;
      return;
    }
    const last = this.protos ? this.protos[this.protos.length - 1] : this.firstProto;
    if (last === proto) return;
    (this.since ??= []).push(frame);
    (this.protos ??= []).push(proto);
  }

  protoAt(frame: number): string | null {
    if (this.firstProto === null || frame < this.firstSince) return null;
    const f = this.since;
    if (!f || frame < f[0]) return this.firstProto;
    let lo = 0;
    let hi = f.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (f[mid] <= frame) lo = mid;
      else hi = mid - 1;
    }
    return this.protos![lo];
  }
}

/** The dispatch hint protocol detection resolves with (rewritten per call: resolve keeps none). */
const DETECT: NextHint & { keys: number[] } = { table: 'tcp.port', keys: [0, 0] };

/**
 * A TCP direction's PduStream. Detection goes through the stream's current packet; the functions
 * are shared by every stream (PduStream calls them as its own methods), not closures per stream,
 * which keeps the memory per connection small.
 */
class TcpSide extends PduStream {
  constructor(
    readonly stream: Stream,
    key: string,
    dir: 0 | 1,
  ) {
    super(key, dir, null, resolveTcp, framingOfTcp);
  }
}

function resolveTcp(this: TcpSide, data: Uint8Array, offset: number, end: number) {
  const st = this.stream;
  const p = st.p!;
  DETECT.keys[0] = st.sport;
  DETECT.keys[1] = st.dport;
  const d = p.dispatch?.resolve(DETECT, data, offset, end, p);
  return { proto: d?.fields.$proto.abbrev ?? 'data', framing: d?.framing ?? null };
}

function framingOfTcp(this: TcpSide, proto: string): PduFraming | null {
  return this.stream.p?.dispatch?.dissector(proto)?.framing ?? null;
}

class Stream {
  readonly dirs: [Direction, Direction];
  /** Whether direction 0 (the client when the SYN was seen, else the first to speak) is the flow
   * whose address orders first. */
  firstIsFlow1: boolean;
  /** The packet being processed and its ports, for protocol detection. */
  p: PacketInfo | null = null;
  sport = 0;
  dport = 0;
  constructor(id: number, firstIsFlow1: boolean) {
    this.firstIsFlow1 = firstIsFlow1;
    const key = `tcp:${id}`;
    const a = new TcpSide(this, key, 0);
    const b = new TcpSide(this, key, 1);
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

const NO_PDUS = Object.freeze([]) as unknown as Pdu[];

/**
 * The per-frame records, kept small: most frames with a record are the middle segments of a
 * PDU, which need only "reassembled in frame N" and "still waiting". Those live in one Int32Array
 * slot per frame (0: no record; else 1 + 2 × reassembledIn + waiting); only frames that complete
 * PDUs or lost bytes get a FrameRecord object. On a 1M-packet capture of HTTP and WebSocket this
 * is ~4 MB instead of ~80 MB of objects and map entries.
 */
export class FrameRecords {
  private light = new Int32Array(1024);
  private readonly full = new Map<number, FrameRecord>();
  /** Frame of the latest record; with `latestOnly`, the only one kept. */
  private latest = 0;

  /**
   * `latestOnly`: no later visits (Session.revisits false), so only the frame being dissected
   * needs its record (its PDUs, read once the frame is done); earlier ones are dropped.
   */
  constructor(private readonly latestOnly = false) {}

  /** The one record kept with latestOnly (a field: clearing a map per frame was measurable). */
  private only: FrameRecord | null = null;

  get(frame: number): FrameRecord | undefined {
    if (this.latestOnly) return frame === this.latest && this.only ? this.only : undefined;
    const f = this.full.get(frame);
    if (f) return f;
    const v = frame < this.light.length ? this.light[frame] : 0;
    if (!v) return undefined;
    return { pdus: NO_PDUS, reassembledIn: (v - 1) >>> 1, waiting: ((v - 1) & 1) === 1, lost: 0 };
  }

  has(frame: number): boolean {
    if (this.latestOnly) return frame === this.latest && this.only !== null;
    return this.full.has(frame) || (frame < this.light.length && this.light[frame] !== 0);
  }

  /** Stores a record's contents (the object itself is kept only when it must be). */
  set(frame: number, r: FrameRecord): void {
    if (this.latestOnly) {
      this.latest = frame;
      this.only = r;
      return;
    }
    if (r.pdus.length || r.lost) {
      this.full.set(frame, r);
      if (frame < this.light.length) this.light[frame] = 0;
      return;
    }
    this.full.delete(frame);
    if (frame >= this.light.length) {
      const grown = new Int32Array(Math.max(frame + 1, this.light.length * 2));
      grown.set(this.light);
      this.light = grown;
    }
    this.light[frame] = 1 + r.reassembledIn * 2 + (r.waiting ? 1 : 0);
  }

  /** The frame's record as an object that may be changed in place (its PDUs list grows). */
  editable(frame: number): FrameRecord {
    if (this.latestOnly) {
      let r = this.get(frame);
      if (!r) this.set(frame, (r = { pdus: [], reassembledIn: 0, waiting: false, lost: 0 }));
      else if (r.pdus === NO_PDUS) r.pdus = [];
      return r;
    }
    let r = this.full.get(frame);
    if (r && r.pdus === NO_PDUS) r.pdus = [];
    if (!r) {
      const l = this.get(frame);
      r = { pdus: [], reassembledIn: l?.reassembledIn ?? 0, waiting: l?.waiting ?? false, lost: 0 };
      this.full.set(frame, r);
      if (frame < this.light.length) this.light[frame] = 0;
    }
    return r;
  }

  /** The frame's bytes went into a PDU completed in `inFrame`. */
  reassembled(frame: number, inFrame: number): void {
    if (this.latestOnly) return; // Only later visits read it.
    const f = this.full.get(frame);
    if (f) {
      f.reassembledIn = inFrame;
      f.waiting = false;
    } else this.set(frame, { pdus: NO_PDUS, reassembledIn: inFrame, waiting: false, lost: 0 });
  }

  /** The records that complete PDUs or lost bytes (the others carry no PDUs). */
  values(): IterableIterator<FrameRecord> {
    if (this.latestOnly) return (this.only ? [this.only] : []).values();
    return this.full.values();
  }

  /** Frames with a record (for diagnostics). */
  get size(): number {
    if (this.latestOnly) return this.only ? 1 : 0;
    let n = this.full.size;
    for (let i = 0; i < this.light.length; i++) if (this.light[i]) n++;
    return n;
  }
}

export class TcpReassembly {
  readonly streams = new Map<number, Stream>();
  readonly frames: FrameRecords;
  /** Streams whose both directions ended and whose state is gone (Session.closeStream). */
  readonly closed = new Set<number>();

  constructor(revisits = true) {
    this.frames = new FrameRecords(!revisits);
  }

  record(frame: number): FrameRecord {
    return this.frames.editable(frame);
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
  return p.session.state('tcp.reassembly', () => {
    const ra = new TcpReassembly(p.session.revisits);
    p.session.onStreamClosed((stream) => {
      ra.streams.delete(stream);
      ra.closed.add(stream);
    });
    return ra;
  });
}

/**
 * The TCP direction of this packet as the reassembly numbers it (0: the client when the handshake
 * was seen, else the side that spoke first); null when its stream has carried no payload yet.
 */
export function tcpDirection(p: PacketInfo, flow1: boolean): 0 | 1 | null {
  const st = p.session.peek<TcpReassembly>('tcp.reassembly')?.streams.get(p.stream);
  return st ? (flow1 === st.firstIsFlow1 ? 0 : 1) : null;
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
  /**
   * Sequence number of this direction's first payload byte when known (the SYN's number + 1; TCP
   * analysis' base sequence number + 1), else -1: bytes before the first captured segment are
   * then a gap, not silently skipped.
   */
  start: number;
  /** This segment comes from the client (the SYN's sender) when the handshake was seen; null
   * when not known. */
  fromClient: boolean | null;
}

/** Fields the TCP layer shows for reassembly (tcp.ts's table). */
export interface ReassemblyFields {
  segments: FieldDef;
  segment: FieldDef;
  count: FieldDef;
  length: FieldDef;
  data: FieldDef;
  reassembledIn: FieldDef;
  /** Wireshark's "TCP segment data (N bytes)": this segment's bytes that went into a PDU
   * reassembled from several segments. */
  segmentData: FieldDef;
}

/** Next hints for the application payload of this frame, from the reassembly. */
export interface PayloadHints {
  next: NextHint | null;
  more: NextHint[] | null;
  /** The frame's bytes all went into PDUs completed later (or never): Info gets Wireshark's note. */
  segmentOnly: boolean;
}

/** The frame record being built on the first pass (one per call, reused). */
const REC: FrameRecord = { pdus: [], reassembledIn: 0, waiting: false, lost: 0 };

/**
 * The first pass over one segment's payload (at c.data[at, at + seg.captured)): puts it in
 * order, cuts PDUs, and records what later visits will need. Returns the PDUs completed here, or
 * PLAIN when the whole payload goes on as it is (one PDU of an unframed protocol, in order).
 */
export function feedSegment(
  p: PacketInfo,
  seg: SegmentIn,
  data: Uint8Array,
  at: number,
  inFrame: boolean,
): readonly CutPdu[] {
  const ra = tcpReassembly(p);
  // Both directions ended and the state went (no later visits): as a finished stream, it takes
  // nothing more.
  if (ra.closed.size && ra.closed.has(seg.stream)) return closedAgain(p, seg.stream);
  const frame = p.frame.number;
  let st = ra.streams.get(seg.stream);
  if (!st) {
    const first = seg.fromClient !== null ? seg.fromClient : seg.syn && seg.ack >= 0 ? false : true;
    ra.streams.set(seg.stream, (st = new Stream(seg.stream, first === seg.flow1)));
  }
  st.p = p;
  st.sport = seg.sport;
  st.dport = seg.dport;
  const di = seg.flow1 === st.firstIsFlow1 ? 0 : 1;
  const dir = st.dirs[di];
  const peer = st.dirs[1 - di];
  if (seg.ack >= 0 && (peer.acked < 0 || seqGe(seg.ack, peer.acked))) peer.acked = seg.ack;
  // A SYN/ACK acknowledges the SYN: the peer's first payload byte is its acknowledgment number.
  if (seg.syn && seg.ack >= 0 && peer.next < 0) peer.next = seg.ack;
  dir.pdus.frame = frame;
  peer.pdus.frame = frame;
  if (dir.next < 0) dir.next = seg.start >= 0 && seqGe(seg.seq, seg.start) ? seg.start : seg.seq;

  const end = seqAdd(seg.seq, seg.length);
  // The common case: in order, nothing waiting, the whole payload captured, an unframed protocol.
  if (
    seg.length > 0 &&
    seg.captured === seg.length &&
    inFrame &&
    !dir.finished &&
    dir.next === seg.seq &&
    !dir.ahead &&
    !peer.ahead &&
    dir.finAt < 0 &&
    (peer.finAt < 0 || peer.finished) &&
    !seg.fin &&
    !seg.rst
  ) {
    const proto = dir.pdus.plainProto(data, at, at + seg.length);
    if (proto !== null) {
      dir.next = end;
      dir.notePlain(frame, proto);
      return PLAIN;
    }
  }

  const rec = REC;
  rec.waiting = false;
  rec.lost = 0;
  let out: CutPdu[] | null = null;
  const o = (): CutPdu[] => (out ??= []);
  if (seg.length > 0 && !dir.finished) deliver(dir, frame, seg, data, at, inFrame, o, rec);
  if (seg.fin && dir.finAt < 0) dir.finAt = end;
  if (seg.rst) {
    // The connection is over: nothing will fill the holes; what waits goes on after them.
    for (const d of st.dirs) {
      while (d.ahead) skipGap(d, o);
      if (!d.finished) close(d, frame, o);
    }
  }
  settle(dir, frame, o);
  settle(peer, frame, o);
  if (dir.finished && peer.finished) p.session.closeStream(seg.stream);
  if (dir.pdus.pending > 0 && seg.captured > 0) rec.waiting = true;
  const cut = out ?? NONE;
  if (!cut.length && !rec.waiting && !rec.lost && seg.length === 0) return cut;
  // One PDU that is exactly this segment's payload (a framed protocol's common case): later
  // visits find its protocol by frame, as for plain frames, so the frame needs no record.
  const one = cut.length === 1 ? cut[0] : null;
  const s0 = one && one.segments.length === 1 ? one.segments[0] : null;
  if (
    s0 &&
    !s0.copy &&
    s0.frame === frame &&
    s0.at === at &&
    s0.length === seg.captured &&
    seg.captured === seg.length &&
    inFrame &&
    !one!.atClose &&
    !rec.waiting &&
    !rec.lost &&
    !ra.frames.has(frame)
  ) {
    dir.notePlain(frame, one!.proto);
    return cut;
  }
  const kept = ra.frames.get(frame);
  if (kept) {
    kept.waiting ||= rec.waiting;
    kept.lost += rec.lost;
    ra.frames.set(frame, kept);
  } else ra.frames.set(frame, { pdus: NO_PDUS, reassembledIn: 0, waiting: rec.waiting, lost: rec.lost });
  for (const pdu of cut) note(ra, pdu, frame);
  return cut;
}

/**
 * A pure ACK on the first pass: it may prove a hole in the other direction lost (or the bytes
 * before its FIN all in); the PDUs that then complete are returned, dissected on this frame.
 */
export function noteAck(p: PacketInfo, stream: number, flow1: boolean, ack: number): readonly CutPdu[] {
  const ra = p.session.peek<TcpReassembly>('tcp.reassembly');
  if (!ra) return NONE;
  const st = ra.streams.get(stream);
  if (!st) return ra.closed.has(stream) ? closedAgain(p, stream) : NONE;
  const peer = st.dirs[flow1 === st.firstIsFlow1 ? 1 : 0];
  if (peer.acked < 0 || seqGe(ack, peer.acked)) peer.acked = ack;
  if ((!peer.ahead && peer.finAt < 0) || peer.finished) return NONE;
  const frame = p.frame.number;
  st.p = p;
  st.dirs[0].pdus.frame = frame;
  st.dirs[1].pdus.frame = frame;
  let out: CutPdu[] | null = null;
  settle(peer, frame, () => (out ??= []));
  if (peer.finished && st.dirs[flow1 === st.firstIsFlow1 ? 0 : 1].finished) p.session.closeStream(stream);
  if (!out) return NONE;
  if (!ra.frames.has(frame))
    ra.frames.set(frame, { pdus: NO_PDUS, reassembledIn: 0, waiting: false, lost: 0 });
  for (const pdu of out as CutPdu[]) note(ra, pdu, frame);
  return out;
}

/**
 * A segment of a stream whose state went (both directions ended): it takes nothing, and what
 * TCP made again for it (its connection state, from the compact bases) goes again after the frame.
 */
function closedAgain(p: PacketInfo, stream: number): readonly CutPdu[] {
  p.session.closeStream(stream);
  return NONE;
}

/** Holes the peer's acknowledgment proves lost are skipped; a FIN whose bytes are all in ends
 * the direction. */
function settle(dir: Direction, frame: number, out: () => CutPdu[]): void {
  if (dir.next < 0 || dir.finished) return;
  while (dir.ahead && dir.acked >= 0 && seqGe(dir.acked, dir.ahead[0].seq)) skipGap(dir, out);
  if (dir.finAt < 0) return;
  // Everything before the FIN was acknowledged, so what the capture misses of it was lost.
  if (!dir.ahead && dir.acked >= 0 && seqLt(dir.next, dir.finAt) && seqGe(dir.acked, dir.finAt))
    lose(dir, seqSub(dir.finAt, dir.next));
  if (seqGe(dir.next, dir.finAt)) close(dir, frame, out);
}

function close(dir: Direction, frame: number, out: () => CutPdu[]): void {
  dir.finished = true;
  const cut = dir.pdus.close(frame);
  if (cut.length) out().push(...cut);
}

function deliver(
  dir: Direction,
  frame: number,
  seg: SegmentIn,
  data: Uint8Array,
  at: number,
  inFrame: boolean,
  out: () => CutPdu[],
  rec: FrameRecord,
): void {
  if (seqGt(seg.seq, dir.next)) {
    // The receiver acknowledged bytes up to this segment: the holes before it were lost in capture.
    if (dir.acked >= 0 && seqGe(dir.acked, seg.seq)) loseUpTo(dir, seg.seq, out);
    else {
      wait(dir, frame, seg, data, at, inFrame, out, rec);
      if (dir.aheadBytes > MAX_WAITING) skipGap(dir, out);
      return;
    }
  }
  const end = seqAdd(seg.seq, seg.length);
  if (!seqLt(dir.next, end)) return; // all of it delivered already (a retransmission)
  const capEnd = seqAdd(seg.seq, seg.captured);
  if (seqLt(dir.next, capEnd))
    pushRange(dir, frame, seg.seq, data, at, seg.captured, inFrame ? at : -1, frame, out);
  if (seqLt(dir.next, end) && !seqLt(dir.next, capEnd)) {
    // The snaplen cut the payload: the rest of it is a gap (unless a waiting segment has it).
    const stop = dir.ahead && seqLt(dir.ahead[0].seq, end) ? dir.ahead[0].seq : end;
    const lost = seqSub(stop, dir.next);
    if (lost > 0) {
      lose(dir, lost);
      rec.lost += lost;
    }
  }
  drainAhead(dir, out);
}

/**
 * Pushes the bytes data[at, at + n) (sequence numbers from `seq`) that are not delivered yet;
 * `frameAt` is the frame offset of data[at] when re-readable, else -1. Ranges that waiting
 * segments already handed on (loose) are counted, not pushed again.
 */
function pushRange(
  dir: Direction,
  frame: number,
  seq: number,
  data: Uint8Array,
  at: number,
  n: number,
  frameAt: number,
  now: number,
  out: () => CutPdu[],
): void {
  const end = seqAdd(seq, n);
  while (seqLt(dir.next, end)) {
    let stop = end;
    let handed: Ahead | null = null;
    const ahead = dir.ahead;
    if (ahead)
      for (const a of ahead) {
        if (!seqLt(a.seq, end)) break;
        if (!a.bytes) {
          handed = a;
          stop = seqLt(a.seq, dir.next) ? dir.next : a.seq;
          break;
        }
      }
    if (seqLt(dir.next, stop)) {
      const from = seqSub(dir.next, seq);
      const k = seqSub(stop, dir.next);
      dir.pdus.push(frame, data, at + from, k, false, now, frameAt >= 0 ? frameAt + from : -1, out());
      dir.next = stop;
    }
    if (!handed) return;
    // Bytes handed on ahead of a hole: the stream passes over them.
    removeAhead(dir, handed);
    if (seqGt(handed.end, dir.next)) {
      dir.pdus.advance(seqSub(handed.end, dir.next));
      dir.next = handed.end;
    }
  }
}

/** A segment beyond the next expected byte: its bytes no other waiting segment holds wait (or,
 * on an unframed direction, go on at once, loose). */
function wait(
  dir: Direction,
  frame: number,
  seg: SegmentIn,
  data: Uint8Array,
  at: number,
  inFrame: boolean,
  out: () => CutPdu[],
  rec: FrameRecord,
): void {
  if (seg.captured <= 0) return;
  const end = seqAdd(seg.seq, seg.captured);
  let cur = seg.seq;
  const add = (from: number, to: number) => {
    const off = at + seqSub(from, seg.seq);
    const len = seqSub(to, from);
    const loose = dir.pdus.loose(frame, data, off, len, inFrame);
    let a: Ahead;
    if (loose) {
      out().push(loose);
      a = { seq: from, end: to, frame, bytes: null, frameAt: -1 };
    } else {
      a = { seq: from, end: to, frame, bytes: data.slice(off, off + len), frameAt: inFrame ? off : -1 };
      dir.aheadBytes += len;
      rec.waiting = true;
    }
    insertAhead(dir, a);
  };
  if (dir.ahead)
    for (const a of [...dir.ahead]) {
      if (!seqLt(a.seq, end)) break;
      if (!seqGt(a.end, cur)) continue;
      if (seqLt(cur, a.seq)) add(cur, a.seq);
      cur = a.end;
      if (!seqLt(cur, end)) break;
    }
  if (seqLt(cur, end)) add(cur, end);
}

function insertAhead(dir: Direction, a: Ahead): void {
  const list = (dir.ahead ??= []);
  let i = list.length;
  while (i > 0 && seqGt(list[i - 1].seq, a.seq)) i--;
  list.splice(i, 0, a);
}

function removeAhead(dir: Direction, a: Ahead): void {
  const list = dir.ahead!;
  list.splice(list.indexOf(a), 1);
  if (a.bytes) dir.aheadBytes -= a.bytes.length;
  if (!list.length) dir.ahead = null;
}

/** Delivers segments that waited ahead of a hole, now that the hole is filled. */
function drainAhead(dir: Direction, out: () => CutPdu[]): void {
  while (dir.ahead) {
    const a = dir.ahead[0];
    if (seqGt(a.seq, dir.next)) return;
    removeAhead(dir, a);
    if (!a.bytes) {
      // Handed on loose already: the stream passes over them.
      if (seqGt(a.end, dir.next)) {
        dir.pdus.advance(seqSub(a.end, dir.next));
        dir.next = a.end;
      }
      continue;
    }
    if (seqLt(dir.next, a.end))
      pushRange(dir, a.frame, a.seq, a.bytes, 0, a.bytes.length, a.frameAt, dir.pdus.frame, out);
  }
}

/** Bytes of the direction the capture never had. */
function lose(dir: Direction, bytes: number): void {
  dir.pdus.gap(bytes);
  dir.next = seqAdd(dir.next, bytes);
}

/** Every hole before `seq` is taken as lost; what waits between the holes goes on. */
function loseUpTo(dir: Direction, seq: number, out: () => CutPdu[]): void {
  while (seqLt(dir.next, seq)) {
    const a = dir.ahead?.[0];
    if (a && seqLe(a.seq, dir.next)) {
      drainAhead(dir, out);
      continue;
    }
    const stop = a && seqLt(a.seq, seq) ? a.seq : seq;
    lose(dir, seqSub(stop, dir.next));
    drainAhead(dir, out);
  }
}

/** The hole before the first waiting segment is taken as lost; what waits behind it goes on. */
function skipGap(dir: Direction, out: () => CutPdu[]): void {
  if (!dir.ahead) return;
  loseUpTo(dir, dir.ahead[0].seq, out);
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
  for (const s of pdu.segments) if (s.frame !== frame) ra.frames.reassembled(s.frame, frame);
}

/**
 * The hints that hand this frame's application bytes on, on any pass. `cut` are the PDUs the
 * first pass just completed (with their bytes at hand); later visits read the frame's record
 * and rebuild multi-segment PDUs from the frames they came from.
 */
export function payloadHints(
  c: Cursor,
  p: PacketInfo,
  cut: readonly CutPdu[] | null,
  F: ReassemblyFields,
  where: PayloadAt,
): PayloadHints {
  const frame = p.frame.number;
  const ra = tcpReassembly(p);
  const rec = cut === PLAIN ? null : (ra.frames.get(frame) ?? null);
  if (cut === PLAIN || (!cut && !rec)) {
    // A plain frame: its whole payload is one PDU of the protocol its direction carried then.
    // The engine copies hints and results before the next layer runs: these two are reused.
    const st = ra.streams.get(where.stream);
    const proto = st?.dirs[where.flow1 === st.firstIsFlow1 ? 0 : 1].protoAt(frame) ?? null;
    if (!proto || where.captured <= 0) return NO_HINTS;
    PLAIN_NEXT.proto = proto;
    PLAIN_NEXT.offset = where.at;
    PLAIN_NEXT.end = where.at + where.captured;
    return PLAIN_HINTS;
  }
  const pdus: readonly Pdu[] = cut ?? rec?.pdus ?? [];
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
    if (c.tree) {
      for (const s of segs) if (s.frame === frame && !s.copy) segmentData(c, F, s.at, s.length);
      segmentsTree(c, pdu, F, bytes);
    }
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
  if (c.tree && rec && (rec.reassembledIn || rec.waiting) && !hints.length) {
    // A PDU that never completed (the capture ended first) still shows its segment's data.
    if (rec.reassembledIn)
      c.generated(F.reassembledIn, rec.reassembledIn, `[Reassembled PDU in frame: ${rec.reassembledIn}]`);
    if (where.captured > 0) segmentData(c, F, where.at, where.captured);
  }
  return {
    next: hints[0] ?? null,
    more: hints.length > 1 ? hints.slice(1) : null,
    segmentOnly: !hints.length && rec !== null && (rec.waiting || rec.reassembledIn > 0),
  };
}

const NO_HINTS: PayloadHints = Object.freeze({ next: null, more: null, segmentOnly: false });
const PLAIN_NEXT: NextHint = { proto: 'data', offset: 0, end: 0 };
const PLAIN_HINTS: PayloadHints = { next: PLAIN_NEXT, more: null, segmentOnly: false };

function segmentData(c: Cursor, F: ReassemblyFields, at: number, n: number): void {
  if (at + n > c.data.length) return;
  c.add(F.segmentData, at, n, c.getBytes(at, n), `TCP segment data (${n} byte${n === 1 ? '' : 's'})`);
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
