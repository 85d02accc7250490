// One direction of an ordered byte stream cut into application PDUs: the part of reassembly that
// knows nothing about TCP. TCP (tcp-stream.ts) feeds it each direction's bytes in sequence order;
// HTTP/2 feeds it the DATA of one stream for gRPC. A protocol describes its PDUs with a
// PduFraming (STYLE.md: "a minimum header length and a pduLength callback") and gets back whole
// PDUs that list the frames and byte ranges they came from.
//
// Bytes are copied only while a PDU is incomplete; a PDU that lies inside one segment is never
// copied. Completed PDUs keep only where their bytes lie (frame, offset, length), so later visits
// rebuild them from the capture (Session.frameBytes) instead of holding them for its lifetime;
// bytes that did not come straight from a frame (inside reassembled or decoded data) keep a copy.

/** pduLength's answer when more bytes are needed before the length can be told. */
export const NEED_MORE = 0;
/** pduLength's answer when the bytes are not this protocol's (the direction becomes data, or the
 * protocol named by `side.handOver`). */
export const NOT_MINE = -1;

/** Largest PDU reassembled; beyond it the direction is handed over as plain data. */
export const MAX_PDU = 32 * 1024 * 1024;

export interface PduFraming {
  /** Bytes needed before pduLength can answer at all (TLS 5, HTTP/2 9, WebSocket 2, DNS 2). */
  minLength: number;
  /**
   * The whole length of the PDU starting at data[offset] (header included), from the bytes
   * data[offset, end) seen so far: a positive length (it may be more than is there: the stream
   * waits for the rest), NEED_MORE, or NOT_MINE. Called again with more bytes after NEED_MORE,
   * so it must not change state; onPdu is where state changes.
   */
  pduLength(data: Uint8Array, offset: number, end: number, side: StreamSide): number;
  /**
   * Called once per completed PDU, in stream order, on the first pass only: the place to follow
   * the conversation (HTTP: which request a response answers, HEAD, `101 Switching Protocols`).
   */
  onPdu?(data: Uint8Array, offset: number, length: number, side: StreamSide): void;
  /** A PDU whose length is not known (HTTP body read until close) ends when the direction
   * closes: the bytes pending at FIN become one PDU. */
  endsAtClose?: boolean;
}

/** What a framing sees of the stream it cuts. */
export interface StreamSide {
  /** The stream (`tcp:5`, `h2:5:3`), for the protocol's own per-conversation state keys. */
  readonly key: string;
  /** 0: the direction that spoke first (the client when the handshake was seen), 1: the other. */
  readonly dir: 0 | 1;
  /** Frame being processed. */
  readonly frame: number;
  /** This direction has ended (FIN or RST): pduLength may settle a read-until-close length. */
  readonly closed: boolean;
  /** State shared by both directions of this conversation, per protocol key. */
  convState<T>(key: string, make: () => T): T;
  /** From the end of the current PDU on, this direction carries `proto` (HTTP → WebSocket). */
  switchTo(proto: string): void;
  /** From its next byte not yet cut into a PDU, the other direction carries `proto`. */
  switchPeer(proto: string): void;
  /** With NOT_MINE from pduLength: the bytes from here on are `proto`'s instead of data
   * (an HTTP port carrying the HTTP/2 connection preface). */
  handOver(proto: string): void;
}

/** Where some of a PDU's bytes lie. */
export interface PduSegment {
  frame: number;
  /** Offset of the bytes in their frame (or in `copy`). */
  at: number;
  length: number;
  /** The bytes, when they cannot be read back from the frame later. */
  copy?: Uint8Array;
}

/** A whole PDU as the stream cut it. */
export interface Pdu {
  proto: string;
  dir: 0 | 1;
  /** Offset of its first byte in this direction's byte stream. */
  streamOffset: number;
  length: number;
  /** Frame whose bytes completed it. */
  frame: number;
  /** Every piece it came from, in order (one piece: it lay inside a single segment). */
  segments: PduSegment[];
  /** Ended by the direction closing (endsAtClose) rather than by its own length. */
  atClose?: boolean;
}

/** A PDU just completed on the first pass, with its bytes at hand. */
export interface CutPdu extends Pdu {
  /** Its bytes are data[offset, offset + length): the frame's own, or a new buffer. */
  data: Uint8Array;
  offset: number;
}

/** Chooses the protocol (and its framing) for bytes no protocol has claimed yet. */
export type ProtoResolver = (
  data: Uint8Array,
  offset: number,
  end: number,
) => { proto: string; framing: PduFraming | null };

/** A framing for protocols without one: each piece of bytes as it arrives is its own PDU. */
const ASIS: PduFraming = { minLength: 0, pduLength: (_d, offset, end) => end - offset };

/** No bytes pending: shared by every stream until one has to hold bytes (memory per stream). */
const NOTHING = new Uint8Array(0);

/** Protocol changes by NOT_MINE allowed at one stream position before it is taken as data (two
 * framings handing the bytes to each other would otherwise never end). */
const MAX_HANDOVERS = 4;

/** Largest told PDU length the pending buffer is allocated for in one go (see hold). */
const KNOWN_AT_ONCE = 1024 * 1024;

export class PduStream implements StreamSide {
  proto: string | null = null;
  private framing: PduFraming | null = null;
  /** Bytes waiting to complete a PDU, contiguous, and where they came from. */
  private buf = NOTHING;
  private bufLen = 0;
  private pieces: PduSegment[] = [];
  /** Stream offset of buf[0]. */
  private consumed = 0;
  /** Length the framing last told for the pending PDU (0: unknown). */
  private known = 0;
  private switchAfter: string | null = null;
  private handedTo: string | null = null;
  /** NOT_MINE answers at the current position (consumed + pending), for MAX_HANDOVERS. */
  private handovers = 0;
  private handoverAt = -1;
  peer: PduStream | null = null;
  closed = false;
  frame = 0;

  /**
   * `conv` is the state shared with the peer direction; null: made on first use and shared with
   * `peer` then (most TCP connections never need one).
   */
  constructor(
    readonly key: string,
    readonly dir: 0 | 1,
    private conv: unknown[] | null,
    private readonly resolveProto: ProtoResolver,
    private readonly framingOf: (proto: string) => PduFraming | null,
  ) {}

  convState<T>(key: string, make: () => T): T {
    const conv = (this.conv ??= this.peer?.conv ?? null);
    // Keys and values alternate: a connection holds two or three states, and a Map per
    // connection costs ~0.5 KiB (tens of MiB over a capture's connections).
    if (conv) for (let i = 0; i < conv.length; i += 2) if (conv[i] === key) return conv[i + 1] as T;
    const s = make();
    if (conv) conv.push(key, s);
    else {
      // A literal holds exactly its two slots (a first push into [] reserves seventeen).
      this.conv = [key, s];
      if (this.peer) this.peer.conv = this.conv;
    }
    return s;
  }

  switchTo(proto: string): void {
    this.switchAfter = proto;
  }

  switchPeer(proto: string): void {
    this.peer?.setProto(proto);
  }

  handOver(proto: string): void {
    this.handedTo = proto;
  }

  /** From its next uncut byte on, this direction carries `proto`. */
  setProto(proto: string | null): void {
    this.proto = proto;
    this.framing = proto === null ? null : (this.framingOf(proto) ?? ASIS);
    this.known = 0;
  }

  /**
   * Bytes that arrived ahead of a hole, handed on as one PDU right away when the direction has
   * no framing to keep (undetected bytes, protocols without framing: order cannot matter to
   * them); null when the direction is framed and the bytes must wait for the hole.
   */
  loose(frame: number, data: Uint8Array, at: number, length: number, inFrame: boolean): CutPdu | null {
    if (this.bufLen) return null;
    const proto = this.proto ?? this.resolveProto(data, at, at + length).proto;
    const framing = proto === this.proto ? this.framing : (this.framingOf(proto) ?? ASIS);
    if (framing !== ASIS) return null;
    return {
      proto,
      dir: this.dir,
      streamOffset: -1,
      length,
      frame,
      segments: [inFrame ? { frame, at, length } : { frame, at, length, copy: data.slice(at, at + length) }],
      data,
      offset: at,
    };
  }

  /** Bytes waiting for the rest of their PDU. */
  get pending(): number {
    return this.bufLen;
  }

  /** Stream offset of the next byte to arrive. */
  get offset(): number {
    return this.consumed + this.bufLen;
  }

  /**
   * The next in-order bytes data[at, at + length) of this direction, from `frame`; `inFrame`
   * tells whether `data` is the frame's own bytes (re-readable later); `now` is the frame being
   * processed (bytes that waited ahead of a hole came from an earlier one); `frameAt` ≥ 0 says
   * that data[at] is the byte at frameAt in `frame` (a copy of bytes that can be read back from
   * the frame later, so the PDU need not keep them). Returns the PDUs they complete, in order.
   */
  push(
    frame: number,
    data: Uint8Array,
    at: number,
    length: number,
    inFrame: boolean,
    now = frame,
    frameAt = -1,
    out: CutPdu[] = [],
  ): CutPdu[] {
    this.frame = now;
    // Where data[i] lies in its frame (rebase + i), when it can be read back; NaN: it cannot.
    const rebase = inFrame ? 0 : frameAt >= 0 ? frameAt - at : NaN;
    let pos = at;
    const end = at + length;
    // Whole PDUs straight from the segment while nothing is pending: no copy at all.
    while (this.bufLen === 0 && pos < end) {
      if (!this.proto) this.setProto(this.resolveProto(data, pos, end).proto);
      const f = this.framing!;
      if (end - pos < f.minLength) break;
      const n = this.measure(data, pos, end);
      if (n <= 0 || n > end - pos) {
        if (n === NOT_MINE) continue;
        // The PDU goes on past this segment: its length, once told, sizes the pending buffer.
        if (n > 0) this.known = n;
        break;
      }
      const seg: PduSegment =
        rebase === rebase
          ? { frame, at: pos + rebase, length: n }
          : { frame, at: pos, length: n, copy: data.slice(pos, pos + n) };
      out.push(this.cut(data, pos, n, seg));
      pos += n;
    }
    if (pos < end && !this.hold(frame, data, pos, end - pos, rebase)) {
      // Too much for one PDU: what was pending is dropped as undecodable, these bytes go on as data.
      this.gap(0);
      this.setProto('data');
      const n = end - pos;
      const seg: PduSegment =
        rebase === rebase
          ? { frame, at: pos + rebase, length: n }
          : { frame, at: pos, length: n, copy: data.slice(pos, end) };
      out.push(this.cut(data, pos, n, seg));
      return out;
    }
    if (this.bufLen) this.drain(out);
    return out;
  }

  /**
   * The protocol of the next in-order bytes data[at, end) when it is one without framing and
   * nothing is pending, so that the bytes can go on as they are without being cut (TCP's plain
   * frames); null when they must go through push. Detection runs as push would run it.
   */
  plainProto(data: Uint8Array, at: number, end: number): string | null {
    if (this.bufLen) return null;
    if (!this.proto) this.setProto(this.resolveProto(data, at, end).proto);
    if (this.framing !== ASIS) return null;
    const proto = this.proto!;
    this.consumed += end - at;
    // As cut() does for undetected bytes: the next ones get another chance at detection.
    if (proto === 'data') this.setProto(null);
    return proto;
  }

  /** `bytes` of the stream were handed on elsewhere (out of order, unframed): count them. */
  advance(bytes: number): void {
    if (this.bufLen) this.gap(bytes);
    else this.consumed += bytes;
  }

  /** The direction ended: a PDU read until close is complete now. */
  close(frame: number): CutPdu[] {
    this.closed = true;
    this.frame = frame;
    const out: CutPdu[] = [];
    if (!this.bufLen) return out;
    this.drain(out);
    if (this.bufLen && this.framing?.endsAtClose) {
      const pdu = this.cutPending(this.bufLen);
      pdu.atClose = true;
      out.push(pdu);
    }
    return out;
  }

  /**
   * Bytes of this direction were lost (never captured): the PDU in progress cannot be completed
   * and is dropped, and the next bytes start afresh (protocol detection runs again).
   */
  gap(bytes: number): void {
    this.consumed += this.bufLen + bytes;
    this.bufLen = 0;
    this.buf = NOTHING;
    this.pieces = [];
    this.known = 0;
    this.setProto(null);
  }

  /** The framing's answer for data[pos, end), with NOT_MINE settled into a protocol change. */
  private measure(data: Uint8Array, pos: number, end: number): number {
    let n: number;
    try {
      n = this.framing!.pduLength(data, pos, end, this);
    } catch {
      n = NOT_MINE;
    }
    if (n === NOT_MINE || n > MAX_PDU || (n < 0 && n !== NOT_MINE) || n !== n) {
      let to = this.handedTo ?? 'data';
      this.handedTo = null;
      const here = this.consumed + this.bufLen;
      if (here !== this.handoverAt) {
        this.handoverAt = here;
        this.handovers = 0;
      }
      if (++this.handovers > MAX_HANDOVERS) to = 'data';
      // 'data' has no framing: every later piece is passed on as it comes.
      this.setProto(to === this.proto ? 'data' : to);
      return NOT_MINE;
    }
    return n;
  }

  private drain(out: CutPdu[]): void {
    for (;;) {
      if (!this.proto) this.setProto(this.resolveProto(this.buf, 0, this.bufLen).proto);
      if (this.bufLen < this.framing!.minLength) return;
      let n = this.known;
      if (!n) {
        n = this.measure(this.buf, 0, this.bufLen);
        if (n === NOT_MINE) continue;
        this.known = n;
      }
      if (n === NEED_MORE || n > this.bufLen) return;
      out.push(this.cutPending(n));
      if (!this.bufLen) return;
    }
  }

  /** Takes the first n pending bytes as a PDU. */
  private cutPending(n: number): CutPdu {
    const segs: PduSegment[] = [];
    let left = n;
    while (left > 0) {
      const s = this.pieces[0];
      if (s.length <= left) {
        segs.push(s);
        this.pieces.shift();
        left -= s.length;
      } else {
        segs.push({ frame: s.frame, at: s.at, length: left, copy: s.copy?.subarray(0, left) });
        this.pieces[0] = {
          frame: s.frame,
          at: s.at + left,
          length: s.length - left,
          copy: s.copy?.subarray(left),
        };
        left = 0;
      }
    }
    let bytes: Uint8Array;
    if (n === this.bufLen && this.buf.length - n <= n >> 3) {
      // The PDU is all that is pending and nearly fills the buffer (its length was known when the
      // buffer was made): the buffer becomes the PDU's, without a copy.
      bytes = this.buf.subarray(0, n);
      this.buf = NOTHING;
      this.bufLen = 0;
    } else {
      bytes = this.buf.slice(0, n);
      this.buf.copyWithin(0, n, this.bufLen);
      this.bufLen -= n;
      // Nothing pending: the buffer goes (thousands of idle connections would each keep theirs).
      if (!this.bufLen) this.buf = NOTHING;
    }
    this.known = 0;
    // The pieces list goes with the buffer (its grown backing store would stay with the stream).
    if (!this.bufLen) this.pieces = [];
    return this.cut(bytes, 0, n, segs);
  }

  /** A PDU of data[offset, offset + n) made of `segs`, cut at the stream's current offset. */
  private cut(data: Uint8Array, offset: number, n: number, segs: PduSegment | PduSegment[]): CutPdu {
    const pdu: CutPdu = {
      proto: this.proto!,
      dir: this.dir,
      streamOffset: this.consumed,
      length: n,
      frame: this.frame,
      segments: Array.isArray(segs) ? segs : [segs],
      data,
      offset,
    };
    this.consumed += n;
    const f = this.framing;
    this.switchAfter = null;
    try {
      f?.onPdu?.(data, offset, n, this);
    } catch {
      // A framing that trips over its own PDU changes no state; the PDU is still dissected.
    }
    if (this.switchAfter !== null) {
      const to = this.switchAfter;
      this.switchAfter = null;
      this.setProto(to);
    } else if (this.proto === 'data') {
      // Undetected bytes: the next ones get another chance at detection, as Wireshark retries
      // heuristics segment by segment.
      this.setProto(null);
    }
    return pdu;
  }

  /** Keeps data[at, at + n) pending; `rebase` maps it to its frame's offsets (NaN: keep a copy). */
  private hold(frame: number, data: Uint8Array, at: number, n: number, rebase: number): boolean {
    if (this.bufLen + n > MAX_PDU) return false;
    if (this.bufLen + n > this.buf.length) {
      const need = this.bufLen + n;
      // A told length up to KNOWN_AT_ONCE is allocated at once (one allocation, no regrowth
      // copies); beyond it the buffer doubles, so a large length on the wire that is never
      // followed by its bytes does not reserve memory up front.
      const size =
        this.known > need && this.known <= KNOWN_AT_ONCE
          ? this.known
          : Math.max(need, this.buf.length * 2, 1024);
      const grown = new Uint8Array(size);
      grown.set(this.buf.subarray(0, this.bufLen));
      this.buf = grown;
    }
    this.buf.set(data.subarray(at, at + n), this.bufLen);
    const piece: PduSegment =
      rebase === rebase
        ? { frame, at: at + rebase, length: n }
        : { frame, at, length: n, copy: this.buf.slice(this.bufLen, this.bufLen + n) };
    this.pieces.push(piece);
    this.bufLen += n;
    return true;
  }
}

/** A PDU's bytes rebuilt on a later visit from where they lie; null if a frame cannot be read. */
export function rebuildPdu(
  pdu: Pdu,
  frameBytes: ((frame: number) => Uint8Array | null) | null,
  current?: { frame: number; data: Uint8Array },
): Uint8Array | null {
  const out = new Uint8Array(pdu.length);
  let o = 0;
  for (const s of pdu.segments) {
    let src: Uint8Array | null;
    let at = s.at;
    if (s.copy) {
      src = s.copy;
      at = 0;
    } else src = current && s.frame === current.frame ? current.data : (frameBytes?.(s.frame) ?? null);
    if (!src || at + s.length > src.length) return null;
    out.set(src.subarray(at, at + s.length), o);
    o += s.length;
  }
  return out;
}
