// UDP "streams": Wireshark numbers UDP conversations (address and port pairs, either direction)
// in order of first appearance, including the first appearance inside an ICMP error, and keeps
// the time of each datagram relative to its stream's first and previous datagram.
import { ensure } from './grow';
import { ConversationTable } from './table';

export class UdpState {
  readonly table = new ConversationTable();
  firstSec = new Float64Array(64);
  firstNsec = new Uint32Array(64);
  prevSec = new Float64Array(64);
  prevNsec = new Uint32Array(64);
  /** Per frame: the stream of its first UDP layer (-1 none) and its time since the previous one. */
  stream = new Int32Array(1024).fill(-1);
  deltaNs = new Float64Array(1024);
  /** Per frame: whether the datagram took part in the stream's timing (payload, not quoted). */
  timed = new Uint8Array(1024);
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
    let id = this.table.find(netType, src, dst, sport, dport);
    if (id < 0) {
      id = this.table.create(netType, src, dst, sport, dport, frame);
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
    if (frame >= this.stream.length) {
      this.stream = ensure(this.stream, frame, Int32Array, -1);
      this.deltaNs = ensure(this.deltaNs, frame, Float64Array);
      this.timed = ensure(this.timed, frame, Uint8Array);
    }
    this.stream[frame] = stream;
    this.timed[frame] = timed ? 1 : 0;
    this.deltaNs[frame] = deltaNs;
  }

  /** [stream, timed, deltaNs] of a stored datagram, or null when the frame was never stored. */
  load(frame: number, layer: number): [number, number, number] | null {
    if (layer !== 0) return this.extra.get(frame * 8 + Math.min(layer, 7)) ?? null;
    if (frame >= this.stream.length || this.stream[frame] < 0) return null;
    return [this.stream[frame], this.timed[frame], this.deltaNs[frame]];
  }

  streamOf(frame: number): number {
    return frame < this.stream.length ? this.stream[frame] : -1;
  }
}
