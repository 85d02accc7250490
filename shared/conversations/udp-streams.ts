// UDP "streams": Wireshark numbers UDP conversations (address and port pairs, either direction)
// in order of first appearance, including the first appearance inside an ICMP error, and keeps
// the time of each datagram relative to its stream's first and previous datagram.
import { ensure } from './grow';
import { ConversationTable, endpointsOf, type Endpoints } from './table';

export class UdpState {
  readonly table = new ConversationTable();
  firstSec = new Float64Array(64);
  firstNsec = new Uint32Array(64);
  prevSec = new Float64Array(64);
  prevNsec = new Uint32Array(64);
  /**
   * Per datagram frame, sorted by frame: the stream of its first UDP layer, its time since the
   * previous one, and whether it took part in the stream's timing (payload, not quoted). Kept
   * by UDP frame rather than by frame number: a capture with little UDP (4 % of the bench's
   * frames) would otherwise spend 13 bytes on every frame (13 MiB at 1M frames).
   */
  private frames = new Int32Array(64);
  private streams = new Int32Array(64);
  private deltas = new Float64Array(64);
  private timedFlags = new Uint8Array(64);
  private count = 0;
  private readonly extra = new Map<number, [number, number, number]>();

  /** The stream of this datagram on the first pass, created if new. */
  lookup(
    netType: number,
    src: Uint8Array,
    dst: Uint8Array,
    sport: number,
    dport: number,
    frame: number,
    sec: number,
    nsec: number,
  ): number {
    return this.lookupAt(endpointsOf(netType, src, dst, sport, dport), frame, sec, nsec);
  }

  /** `lookup` with the addresses read in place: the index pass's fast path. */
  lookupAt(e: Endpoints, frame: number, sec: number, nsec: number): number {
    let id = this.table.findAt(e);
    if (id < 0) {
      id = this.table.createAt(e, frame);
      this.firstSec = ensure(this.firstSec, id, Float64Array);
      this.firstNsec = ensure(this.firstNsec, id, Uint32Array);
      this.prevSec = ensure(this.prevSec, id, Float64Array);
      this.prevNsec = ensure(this.prevNsec, id, Uint32Array);
      this.firstSec[id] = sec;
      this.firstNsec[id] = nsec;
      this.prevSec[id] = sec;
      this.prevNsec[id] = nsec;
    }
    return id;
  }

  store(frame: number, layer: number, stream: number, timed: boolean, deltaNs: number): void {
    if (layer !== 0) {
      this.extra.set(frame * 8 + Math.min(layer, 7), [stream, timed ? 1 : 0, deltaNs]);
      return;
    }
    let k = this.count;
    // Frames come in order on the first pass: the new one goes at the end.
    if (k > 0 && this.frames[k - 1] >= frame) {
      k = this.find(frame);
      if (k < 0) k = ~k;
      else {
        this.streams[k] = stream;
        this.timedFlags[k] = timed ? 1 : 0;
        this.deltas[k] = deltaNs;
        return;
      }
    }
    const n = this.count;
    if (n >= this.frames.length) {
      this.frames = ensure(this.frames, n, Int32Array);
      this.streams = ensure(this.streams, n, Int32Array);
      this.deltas = ensure(this.deltas, n, Float64Array);
      this.timedFlags = ensure(this.timedFlags, n, Uint8Array);
    }
    if (k < n) {
      this.frames.copyWithin(k + 1, k, n);
      this.streams.copyWithin(k + 1, k, n);
      this.deltas.copyWithin(k + 1, k, n);
      this.timedFlags.copyWithin(k + 1, k, n);
    }
    this.frames[k] = frame;
    this.streams[k] = stream;
    this.timedFlags[k] = timed ? 1 : 0;
    this.deltas[k] = deltaNs;
    this.count = n + 1;
  }

  /** Position of `frame` among the stored datagrams, or ~(where it would go). */
  private find(frame: number): number {
    const f = this.frames;
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = f[mid];
      if (v < frame) lo = mid + 1;
      else if (v > frame) hi = mid - 1;
      else return mid;
    }
    return ~lo;
  }

  /** [stream, timed, deltaNs] of a stored datagram, or null when the frame was never stored. */
  load(frame: number, layer: number): [number, number, number] | null {
    if (layer !== 0) return this.extra.get(frame * 8 + Math.min(layer, 7)) ?? null;
    const k = this.find(frame);
    if (k < 0 || this.streams[k] < 0) return null;
    return [this.streams[k], this.timedFlags[k], this.deltas[k]];
  }

  streamOf(frame: number): number {
    const k = this.find(frame);
    return k < 0 ? -1 : this.streams[k];
  }
}
