// TCP conversation state and sequence analysis, ported from Wireshark 4.0's packet-tcp.c
// (tcp_analyze_sequence_number and the conversation handling in dissect_tcp) so that streams,
// relative numbers and the analysis flags agree with Wireshark frame for frame.
//
// The analysis runs once per segment, on the first in-order pass; its per-frame results are kept
// in typed arrays (see TcpFrames) and every later dissection of a frame reads them back, as
// Wireshark reads its per-frame `tcp_acked` records on later passes. Per-stream values that
// Wireshark shows "as they are now" on later passes (base sequence numbers, window scale,
// conversation completeness, initial RTT) live in TcpConv and are read at display time.
import { seqGt, seqLe, seqLt } from './seq';
import { ConversationTable } from './table';
import { ensure } from './grow';

/** Analysis flags (Wireshark's TCP_A_*). */
export const TA_RETRANSMISSION = 0x0001;
export const TA_LOST_PACKET = 0x0002;
export const TA_ACK_LOST_PACKET = 0x0004;
export const TA_KEEP_ALIVE = 0x0008;
export const TA_DUPLICATE_ACK = 0x0010;
export const TA_ZERO_WINDOW = 0x0020;
export const TA_ZERO_WINDOW_PROBE = 0x0040;
export const TA_ZERO_WINDOW_PROBE_ACK = 0x0080;
export const TA_KEEP_ALIVE_ACK = 0x0100;
export const TA_OUT_OF_ORDER = 0x0200;
export const TA_FAST_RETRANSMISSION = 0x0400;
export const TA_WINDOW_UPDATE = 0x0800;
export const TA_WINDOW_FULL = 0x1000;
export const TA_REUSED_PORTS = 0x2000;
export const TA_SPURIOUS_RETRANSMISSION = 0x4000;
/** Not a flag of Wireshark's: the frame has an analysis record at all (its `tcp_acked` exists). */
export const TA_PRESENT = 0x8000;

export const TH_FIN = 0x001;
export const TH_SYN = 0x002;
export const TH_RST = 0x004;
export const TH_PUSH = 0x008;
export const TH_ACK = 0x010;

export const S_BASE_SEQ_SET = 0x01;
const S_SAW_SYN = 0x03;
const S_SAW_SYNACK = 0x05;

/** Wireshark stops remembering unacknowledged segments past this many (ACKs not seen). */
const MAX_UNACKED_SEGMENTS = 10000;
/** Layout of one unacknowledged segment in TcpFlow.u. */
const U_STRIDE = 5;
const U_SEQ = 0;
const U_NEXT = 1;
const U_FRAME = 2;
const U_SEC = 3;
const U_NSEC = 4;
/** SACK blocks remembered for bytes in flight (MAX_TCP_SACK_RANGES; slot 0 stays unused). */
const MAX_SACK_RANGES = 4;

/** One direction of a connection (Wireshark's tcp_flow_t with its analysis info). */
export class TcpFlow {
  baseSeq = 0;
  staticFlags = 0;
  /** -1 unknown, -2 no scaling, else the shift count. */
  winScale = -1;
  /** Last raw window advertised in this direction (0xffffffff before any). */
  window = 0xffffffff;
  nextseq = 0;
  nextseqFrame = 0;
  nextseqSec = 0;
  nextseqNsec = 0;
  maxseqtobeacked = 0;
  lastack = 0;
  lastackSec = 0;
  lastackNsec = 0;
  lastnondupack = 0;
  dupacknum = 0;
  lastsegmentflags = 0;
  // Unacknowledged segments, oldest first (Wireshark keeps them newest first in a list): the first
  // uLen entries of `u`, U_STRIDE numbers each (seq, next seq, frame, sec, nsec). One array, not
  // five: each array's first growth reserves ~17 slots, and a flow rarely has more than a few
  // segments in flight (five arrays were ~0.8 KiB a flow, tens of MiB over a capture). The array
  // keeps its size when segments are acknowledged, so adding the next ones allocates nothing.
  uLen = 0;
  u: number[] = [];
  validBif = 1;
  pushBytesSent = 0;
  pushSetLast = false;
  closingInitiator = false;
  isFirstAck = false;
  numSackRanges = 0;
  readonly sackLeft = [0, 0, 0, 0];
  readonly sackRight = [0, 0, 0, 0];

  get baseSet(): boolean {
    return (this.staticFlags & S_BASE_SEQ_SET) !== 0;
  }
}

/** Per-connection state (Wireshark's struct tcp_analysis). */
export class TcpConv {
  readonly flow1 = new TcpFlow();
  readonly flow2 = new TcpFlow();
  firstSec: number;
  firstNsec: number;
  prevSec: number;
  prevNsec: number;
  mruSynSec = 0;
  mruSynNsec = 0;
  /** Initial RTT in nanoseconds; 0 = not known yet. */
  firstRttNs = 0;
  completeness = 0;
  /**
   * The completeness bits of the conversation's first segment when it is not a SYN. Wireshark skips
   * them on the first pass (a new conversation only notes a SYN) but adds them when it dissects
   * the segment again, so a revisit shows them from the second segment on.
   */
  firstBits = 0;
  firstFrame = 0;
  serverPort = 0;
  tfoSynData = false;
  /** AccECN (RFC 9768): a SYN asked for it (AE, CWR and ECE set), the SYN/ACK agreed, an AccECN option was seen. */
  accEcnSyn = false;
  accEcnSynAck = false;
  accEcnOption = false;

  constructor(
    readonly stream: number,
    sec: number,
    nsec: number,
  ) {
    this.firstSec = sec;
    this.firstNsec = nsec;
    this.prevSec = sec;
    this.prevNsec = nsec;
  }
}

/** The analysis record of one segment (Wireshark's struct tcp_acked), reused packet to packet. */
export class TcpRecord {
  flags = 0;
  frameAcked = 0;
  ackRttNs = 0;
  bytesInFlight = 0;
  pushBytesSent = 0;
  dupackNum = 0;
  dupackFrame = 0;
  rtoNs = 0;
  rtoFrame = 0;
  tsDeltaNs = 0;
  reset(): void {
    this.flags = 0;
    this.frameAcked = 0;
    this.ackRttNs = 0;
    this.bytesInFlight = 0;
    this.pushBytesSent = 0;
    this.dupackNum = 0;
    this.dupackFrame = 0;
    this.rtoNs = 0;
    this.rtoFrame = 0;
    this.tsDeltaNs = 0;
  }
  /** Creates the record if the segment had none (tcp_analyze_get_acked_struct with create). */
  touch(): void {
    this.flags |= TA_PRESENT;
  }
}

interface Extra {
  stream: number;
  flags: number;
  frameAcked: number;
  ackRttNs: number;
  bytesInFlight: number;
  pushBytesSent: number;
  tsDeltaNs: number;
}

/** Frames per block of TcpFrames (a power of two). */
const FRAME_BLOCK_BITS = 14;
const FRAME_BLOCK = 1 << FRAME_BLOCK_BITS;

/** The records of FRAME_BLOCK consecutive frames. */
class FrameBlock {
  readonly stream = new Int32Array(FRAME_BLOCK).fill(-1);
  readonly flags = new Uint16Array(FRAME_BLOCK);
  readonly frameAcked = new Uint32Array(FRAME_BLOCK);
  readonly ackRttNs = new Float64Array(FRAME_BLOCK);
  readonly bytesInFlight = new Uint32Array(FRAME_BLOCK);
  readonly pushBytesSent = new Uint32Array(FRAME_BLOCK);
  readonly tsDeltaNs = new Float64Array(FRAME_BLOCK);
}

/**
 * Per-frame results of the first pass, in typed arrays indexed by frame number (for the first TCP
 * layer of a frame; a second TCP layer in the same frame, e.g. in a tunnel, goes to a map).
 * The arrays are blocks of FRAME_BLOCK frames, made when a frame of theirs is stored: growing never copies (arrays grown by doubling held the old and the new copy at once,
 * +18 MiB at 1M frames, and up to twice the frames in slack), and a block without TCP costs
 * nothing.
 */
export class TcpFrames {
  private readonly blocks: (FrameBlock | undefined)[] = [];
  /** Rare values: duplicate ACK number and frame, RTO and its frame. */
  readonly dupack = new Map<number, [number, number]>();
  readonly rto = new Map<number, [number, number]>();
  private readonly extra = new Map<number, Extra>();

  store(frame: number, layer: number, r: TcpRecord, stream: number): void {
    const key = layer === 0 ? frame : frame * 8 + Math.min(layer, 7) + 0x40000000;
    if (r.dupackNum) this.dupack.set(key, [r.dupackNum, r.dupackFrame]);
    if (r.rtoFrame || r.rtoNs) this.rto.set(key, [r.rtoNs, r.rtoFrame]);
    if (layer !== 0) {
      this.extra.set(key, {
        stream,
        flags: r.flags,
        frameAcked: r.frameAcked,
        ackRttNs: r.ackRttNs,
        bytesInFlight: r.bytesInFlight,
        pushBytesSent: r.pushBytesSent,
        tsDeltaNs: r.tsDeltaNs,
      });
      return;
    }
    const b = (this.blocks[frame >>> FRAME_BLOCK_BITS] ??= new FrameBlock());
    const j = frame & (FRAME_BLOCK - 1);
    b.stream[j] = stream;
    b.flags[j] = r.flags;
    b.frameAcked[j] = r.frameAcked;
    b.ackRttNs[j] = r.ackRttNs;
    b.bytesInFlight[j] = r.bytesInFlight;
    b.pushBytesSent[j] = r.pushBytesSent;
    b.tsDeltaNs[j] = r.tsDeltaNs;
  }

  /** Loads a stored record into `r`; returns the stream, or -1 when the frame was never stored. */
  load(frame: number, layer: number, r: TcpRecord): number {
    r.reset();
    const key = layer === 0 ? frame : frame * 8 + Math.min(layer, 7) + 0x40000000;
    let stream: number;
    if (layer !== 0) {
      const e = this.extra.get(key);
      if (!e) return -1;
      stream = e.stream;
      r.flags = e.flags;
      r.frameAcked = e.frameAcked;
      r.ackRttNs = e.ackRttNs;
      r.bytesInFlight = e.bytesInFlight;
      r.pushBytesSent = e.pushBytesSent;
      r.tsDeltaNs = e.tsDeltaNs;
    } else {
      const b = this.blocks[frame >>> FRAME_BLOCK_BITS];
      if (!b) return -1;
      const j = frame & (FRAME_BLOCK - 1);
      stream = b.stream[j];
      if (stream < 0) return -1;
      r.flags = b.flags[j];
      r.frameAcked = b.frameAcked[j];
      r.ackRttNs = b.ackRttNs[j];
      r.bytesInFlight = b.bytesInFlight[j];
      r.pushBytesSent = b.pushBytesSent[j];
      r.tsDeltaNs = b.tsDeltaNs[j];
    }
    const d = this.dupack.get(key);
    if (d) [r.dupackNum, r.dupackFrame] = d;
    const t = this.rto.get(key);
    if (t) [r.rtoNs, r.rtoFrame] = t;
    return stream;
  }

  streamOf(frame: number): number {
    const b = this.blocks[frame >>> FRAME_BLOCK_BITS];
    return b ? b.stream[frame & (FRAME_BLOCK - 1)] : -1;
  }
}

/** Everything TCP remembers about a capture; one per session. */
export class TcpState {
  readonly table = new ConversationTable();
  /**
   * Connection state by stream. A connection the index pass's fast path numbered has no entry
   * until a dissector needs one (conversationAt makes it from the compact bases below): the
   * index pass keeps ~10 bytes a connection instead of ~1 KiB of objects.
   */
  readonly convs: TcpConv[] = [];
  /** Compact per-flow bases for connections without a TcpConv: [stream * 2 + flow1 ? 0 : 1]. */
  baseSeq = new Uint32Array(128);
  baseFlags = new Uint8Array(128);
  readonly frames = new TcpFrames();
  /** Scratch record for the segment being dissected (no allocation per packet). */
  readonly rec = new TcpRecord();

  /**
   * The connection's TcpConv goes back to its compact bases, which is all numbering reads (a
   * pass without later visits, once both directions ended: Session.closeStream). A late segment
   * makes a TcpConv from them again, as for a connection the fast path numbered.
   */
  compact(id: number): void {
    const conv = this.convs[id];
    if (!conv) return;
    if (id * 2 + 1 >= this.baseSeq.length) {
      this.baseSeq = ensure(this.baseSeq, id * 2 + 1, Uint32Array);
      this.baseFlags = ensure(this.baseFlags, id * 2 + 1, Uint8Array);
    }
    this.baseSeq[id * 2] = conv.flow1.baseSeq;
    this.baseFlags[id * 2] = conv.flow1.staticFlags;
    this.baseSeq[id * 2 + 1] = conv.flow2.baseSeq;
    this.baseFlags[id * 2 + 1] = conv.flow2.staticFlags;
    // An empty slot rather than `delete`, which could turn the array into a dictionary.
    (this.convs as (TcpConv | undefined)[])[id] = undefined;
  }
}

/** Nanoseconds from (s0, n0) to (s1, n1); exact while the difference is under ~104 days. */
export function nsBetween(s1: number, n1: number, s0: number, n0: number): number {
  return (s1 - s0) * 1e9 + (n1 - n0);
}

/**
 * The first segment of a direction fixes its base. Without a SYN the base is seq-1 so that
 * relative numbers still start at 1 (Wireshark bug 1542). The other direction's base comes from
 * the first ACK (a SYN's ack field is not reliable). Stream numbering reads these bases, so the
 * index pass's fast path keeps them too.
 */
export function setBases(fwd: TcpFlow, rev: TcpFlow, flags: number, seq: number, ack: number): void {
  if (!(fwd.staticFlags & S_BASE_SEQ_SET)) {
    if (flags & TH_SYN) {
      fwd.baseSeq = seq;
      fwd.staticFlags |= flags & TH_ACK ? S_SAW_SYNACK : S_SAW_SYN;
    } else {
      fwd.baseSeq = (seq - 1) >>> 0;
    }
    fwd.staticFlags |= S_BASE_SEQ_SET;
  }
  if (!(rev.staticFlags & S_BASE_SEQ_SET) && flags & TH_ACK) {
    rev.baseSeq = (ack - 1) >>> 0;
    rev.staticFlags |= S_BASE_SEQ_SET;
  }
}

/**
 * Wireshark's tcp_analyze_sequence_number for one segment: updates `fwd`/`rev` and fills `ta`.
 * `seq`, `ack` are raw 32-bit numbers, `window` the raw (unscaled) header window.
 */
export function analyzeSequence(
  conv: TcpConv,
  fwd: TcpFlow,
  rev: TcpFlow,
  ta: TcpRecord,
  frame: number,
  sec: number,
  nsec: number,
  seq: number,
  ack: number,
  seglen: number,
  flags: number,
  window: number,
): void {
  setBases(fwd, rev, flags, seq, ack);
  if (flags & TH_ACK) rev.validBif = 1;

  const noSynFinRst = (flags & (TH_SYN | TH_FIN | TH_RST)) === 0;
  let checkFwd = true;

  // Zero window probe: one byte at the next expected sequence number into a closed window.
  if (seglen === 1 && seq === fwd.nextseq && rev.window === 0) {
    ta.touch();
    ta.flags |= TA_ZERO_WINDOW_PROBE;
    checkFwd = false;
  }
  if (checkFwd) {
    if (window === 0 && noSynFinRst) {
      ta.touch();
      ta.flags |= TA_ZERO_WINDOW;
    }
    // A hole before this segment: previous segment(s) not captured (never for RST).
    if (fwd.nextseq && seqGt(seq, fwd.nextseq) && (flags & TH_RST) === 0) {
      ta.touch();
      ta.flags |= TA_LOST_PACKET;
      fwd.validBif = 0;
    }
    // Keep-alive: 0 or 1 byte starting one before the next expected sequence number.
    if ((seglen === 0 || seglen === 1) && seq === (fwd.nextseq - 1) >>> 0 && noSynFinRst) {
      ta.touch();
      ta.flags |= TA_KEEP_ALIVE;
    }
    const sameSeqAck = seglen === 0 && seq === fwd.nextseq && ack === fwd.lastack && noSynFinRst;
    if (sameSeqAck && window && window !== fwd.window) {
      ta.touch();
      ta.flags |= TA_WINDOW_UPDATE;
    }
    // Window full: the data reaches exactly the right edge the receiver advertised.
    if (seglen > 0 && rev.winScale !== -1 && noSynFinRst) {
      const shift = rev.isFirstAck ? 0 : rev.winScale === -2 ? 0 : rev.winScale;
      if ((seq + seglen) >>> 0 === (rev.lastack + rev.window * (1 << shift)) >>> 0) {
        ta.touch();
        ta.flags |= TA_WINDOW_FULL;
      }
    }
    if (sameSeqAck && window && window === fwd.window && rev.lastsegmentflags & TA_KEEP_ALIVE) {
      ta.touch();
      ta.flags |= TA_KEEP_ALIVE_ACK;
      checkFwd = false;
    }
    if (
      checkFwd &&
      sameSeqAck &&
      window === 0 &&
      window === fwd.window &&
      rev.lastsegmentflags & TA_ZERO_WINDOW_PROBE
    ) {
      ta.touch();
      ta.flags |= TA_ZERO_WINDOW_PROBE_ACK;
      checkFwd = false;
    }
    if (checkFwd && sameSeqAck && window && window === fwd.window) {
      fwd.dupacknum = (fwd.dupacknum + 1) >>> 0;
      ta.touch();
      ta.flags |= TA_DUPLICATE_ACK;
      ta.dupackNum = fwd.dupacknum;
      ta.dupackFrame = fwd.lastnondupack;
    }
  }

  // finished_fwd: a new ACK number resets the duplicate-ACK counting.
  if (ack !== fwd.lastack) {
    fwd.lastnondupack = frame;
    fwd.dupacknum = 0;
  }

  // ACKed unseen segment: this ACK covers data we never saw going the other way. The other
  // direction's "max seq to be acked" then jumps to its highest sequence number, so one gap is
  // reported once.
  if (rev.maxseqtobeacked && seqGt(ack, rev.maxseqtobeacked) && flags & TH_ACK) {
    ta.touch();
    ta.flags |= TA_ACK_LOST_PACKET;
    rev.maxseqtobeacked = rev.nextseq;
  }

  // Retransmission, fast retransmission, spurious retransmission, out-of-order: a segment with
  // data (or SYN/FIN) that does not advance the sequence number.
  if (seglen > 0 || flags & (TH_SYN | TH_FIN)) {
    let notAdvanced = fwd.nextseq !== 0 && seqLt(seq, fwd.nextseq);
    classify: {
      if (ta.flags & TA_KEEP_ALIVE) break classify;
      // Not a retransmission when it adds data after a possible zero window probe.
      if (seglen > 1 && (fwd.nextseq - 1) >>> 0 === seq) notAdvanced = false;
      if (seglen > 0 && rev.lastack && seqLe((seq + seglen) >>> 0, rev.lastack)) {
        ta.touch();
        ta.flags |= TA_SPURIOUS_RETRANSMISSION;
        break classify;
      }
      // Fast retransmission: at least two duplicate ACKs for exactly this sequence number,
      // the last one under 20 ms ago (Wireshark's default precedence over out-of-order).
      let t = nsBetween(sec, nsec, rev.lastackSec, rev.lastackNsec);
      if (notAdvanced && rev.dupacknum >= 2 && rev.lastack === seq && t >= 0 && t < 20000000) {
        ta.touch();
        ta.flags |= TA_FAST_RETRANSMISSION;
        break classify;
      }
      // Out of order: soon after the highest segment (within the initial RTT, else 3 ms).
      t = nsBetween(sec, nsec, fwd.nextseqSec, fwd.nextseqNsec);
      const threshold = conv.firstRttNs === 0 ? 3000000 : conv.firstRttNs;
      const extent = (seq + seglen + (flags & (TH_SYN | TH_FIN) ? 1 : 0)) >>> 0;
      if (notAdvanced && t >= 0 && t < threshold && fwd.nextseq !== extent) {
        ta.touch();
        ta.flags |= TA_OUT_OF_ORDER;
        break classify;
      }
      if (notAdvanced) {
        ta.touch();
        ta.flags |= TA_RETRANSMISSION;
        // RTO from the oldest unacknowledged segment, else from the highest one sent.
        if (fwd.uLen > 0) {
          ta.rtoNs = nsBetween(sec, nsec, fwd.u[U_SEC], fwd.u[U_NSEC]);
          ta.rtoFrame = fwd.u[U_FRAME];
        } else {
          ta.rtoNs = nsBetween(sec, nsec, fwd.nextseqSec, fwd.nextseqNsec);
          ta.rtoFrame = fwd.nextseqFrame;
        }
      }
    }
  }

  // finished_checking_retransmission_type: remember the segment until it is acknowledged.
  let nextseq = (seq + seglen) >>> 0;
  if ((seglen || flags & (TH_SYN | TH_FIN)) && fwd.uLen < MAX_UNACKED_SEGMENTS) {
    if (flags & (TH_SYN | TH_FIN)) nextseq = (nextseq + 1) >>> 0;
    const k = fwd.uLen++ * U_STRIDE;
    const u = fwd.u;
    u[k + U_SEQ] = seq;
    u[k + U_NEXT] = nextseq;
    u[k + U_FRAME] = frame;
    u[k + U_SEC] = sec;
    u[k + U_NSEC] = nsec;
  }
  // The highest sequence number seen (zero window probes do not advance it).
  const zwp = (ta.flags & TA_ZERO_WINDOW_PROBE) !== 0;
  if (seqGt(nextseq, fwd.nextseq) || !fwd.nextseq) {
    if (!zwp) {
      fwd.nextseq = nextseq;
      fwd.nextseqFrame = frame;
      fwd.nextseqSec = sec;
      fwd.nextseqNsec = nsec;
    }
  }
  // The highest contiguous sequence number, for "ACKed unseen segment".
  if (seq === fwd.maxseqtobeacked || !fwd.maxseqtobeacked) {
    if (!zwp) fwd.maxseqtobeacked = fwd.nextseq;
  }

  fwd.window = window;
  fwd.lastack = ack;
  fwd.lastackSec = sec;
  fwd.lastackNsec = nsec;
  fwd.lastsegmentflags = ta.flags & 0x7fff;

  // Drop the other direction's segments this ACK covers; an exact match gives the RTT.
  const ru = rev.u;
  const count = rev.uLen;
  if (count > 0) {
    let w = 0;
    let acked = -1;
    for (let i = (count - 1) * U_STRIDE; i >= 0; i -= U_STRIDE) {
      if (ack === ru[i + U_NEXT]) {
        acked = i;
        continue;
      }
      if (seqGt(ack, ru[i + U_SEQ]) && seqLe(ack, ru[i + U_NEXT])) {
        ru[i + U_SEQ] = ack;
        continue;
      }
      if (seqGt(ru[i + U_NEXT], ack)) continue;
    }
    // Wireshark walks newest to oldest and keeps the last exact match it meets: the oldest.
    if (acked >= 0) {
      ta.touch();
      ta.frameAcked = ru[acked + U_FRAME];
      ta.ackRttNs = nsBetween(sec, nsec, ru[acked + U_SEC], ru[acked + U_NSEC]);
    }
    for (let i = 0; i < count * U_STRIDE; i += U_STRIDE) {
      const rn = ru[i + U_NEXT];
      const keep = ack !== rn && seqGt(rn, ack);
      if (keep) {
        if (w !== i) {
          ru[w + U_SEQ] = ru[i + U_SEQ];
          ru[w + U_NEXT] = rn;
          ru[w + U_FRAME] = ru[i + U_FRAME];
          ru[w + U_SEC] = ru[i + U_SEC];
          ru[w + U_NSEC] = ru[i + U_NSEC];
        }
        w += U_STRIDE;
      }
    }
    rev.uLen = w / U_STRIDE;
  }

  // Bytes in flight after this segment (Wireshark's default, payload-based method), less what
  // the receiver's last SACK blocks say it already holds.
  const fu = fwd.u;
  const un = fwd.uLen;
  if (seglen !== 0 && un > 0 && fwd.validBif) {
    const base = fwd.baseSeq;
    const lastAt = (un - 1) * U_STRIDE;
    let first = (fu[lastAt + U_SEQ] - base) >>> 0;
    let last = (fu[lastAt + U_NEXT] - base) >>> 0;
    for (let i = lastAt; i >= 0; i -= U_STRIDE) {
      const n = (fu[i + U_NEXT] - base) >>> 0;
      const s = (fu[i + U_SEQ] - base) >>> 0;
      if (n > last) last = n;
      if (s < first) first = s;
    }
    let inFlight = (last - first) >>> 0;
    if (rev.numSackRanges > 0) {
      let delivered = 0;
      for (let i = 0; i < rev.numSackRanges; i++)
        delivered = (delivered + rev.sackRight[i + 1] - rev.sackLeft[i + 1]) >>> 0;
      inFlight = (inFlight - delivered) >>> 0;
    }
    ta.touch();
    if (inFlight > 0 && inFlight < 2000000000) {
      ta.bytesInFlight = inFlight;
      // SYN and FIN count one in sequence space but carry no byte.
      if (flags & (TH_SYN | TH_FIN)) ta.bytesInFlight = (ta.bytesInFlight - 1) >>> 0;
    }
    if (flags & TH_PUSH && !fwd.pushSetLast) {
      fwd.pushBytesSent += seglen;
      fwd.pushSetLast = true;
    } else if (flags & TH_PUSH && fwd.pushSetLast) {
      fwd.pushBytesSent = seglen;
      fwd.pushSetLast = true;
    } else if (fwd.pushSetLast) {
      fwd.pushBytesSent = seglen;
      fwd.pushSetLast = false;
    } else {
      fwd.pushBytesSent += seglen;
    }
    fwd.pushBytesSent >>>= 0;
    ta.pushBytesSent = fwd.pushBytesSent;
  }
}

/** Records SACK blocks (already relative) the way dissect_tcpopt_sack keeps them for BiF. */
export function storeSackBlock(fwd: TcpFlow, n: number, left: number, right: number): void {
  if (n < MAX_SACK_RANGES) {
    fwd.numSackRanges = n;
    fwd.sackLeft[n] = left;
    fwd.sackRight[n] = right;
  }
}

/** verify_tcp_window_scaling: a SYN without the option (or a SYN/ACK after one without) turns scaling off. */
export function verifyWindowScaling(isSynAck: boolean, fwd: TcpFlow, rev: TcpFlow): void {
  if (fwd.winScale === -1) {
    fwd.winScale = -2;
    rev.winScale = -2;
  } else if (isSynAck && rev.winScale === -2) {
    fwd.winScale = -2;
  }
}

export { S_SAW_SYN, S_SAW_SYNACK };
