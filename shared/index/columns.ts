// Summary rows (Wireshark's default columns: No., Time, Source, Destination, Protocol, Length,
// Info) and frame detail, produced on demand for the frames asked for, as Wireshark's packet list
// does. No., Time and Length come from the index; Source, Destination, Protocol and Info from
// dissecting the frame again with columns on (tree off), reading back the first pass's state.
import type { Engine } from '../dissect/engine';
import { secondsText } from '../dissect/format';
import type { Session } from '../dissect/packet';
import type { Dissection } from '../dissect/types';
import type { PacketIndex } from './packet-index';

export interface Row {
  /** Frame number, 1-based. */
  number: number;
  /** Seconds since the first packet, with the capture's timestamp precision. */
  time: string;
  src: string;
  dst: string;
  protocol: string;
  /** Bytes on the wire (frame.len). */
  length: number;
  info: string;
}

/** Bytes of record i (0-based), `caplen` long; null when they cannot be read back. */
export type FrameReader = (i: number) => Uint8Array | null;

/** frame.time_relative as the Time column shows it: the packet's own precision (6 for µs, 9 for ns). */
export function relativeTime(index: PacketIndex, i: number): string {
  if (index.count === 0) return '';
  return secondsText(
    index.tsSec(i) - index.tsSec(0),
    index.tsNsec(i) - index.tsNsec(0),
    index.link(i).digits,
  );
}

/** The row of an indexed frame from a dissection made with columns on (null: bytes unreadable). */
export function rowOf(index: PacketIndex, frame: number, d: Dissection | null): Row {
  const i = frame - 1;
  return {
    number: frame,
    time: relativeTime(index, i),
    src: d?.columns.src ?? '',
    dst: d?.columns.dst ?? '',
    protocol: d?.columns.protocol ?? '',
    length: index.origlen(i),
    info: d ? d.columns.info : '[packet bytes could not be read back from the file]',
  };
}

/**
 * Dissects frames of an indexed capture again: rows for a range, the full tree for one frame.
 * The session must be the one the index pass filled (it holds the per-frame state).
 */
export class FrameSource {
  constructor(
    readonly engine: Engine,
    readonly session: Session,
    readonly index: PacketIndex,
    readonly read: FrameReader,
  ) {
    session.frameBytes = (n) => (n >= 1 && n <= index.count ? read(n - 1) : null);
  }

  /**
   * Frame number `frame` (1-based) with tree and/or columns; null if its bytes are gone. `data`
   * skips the read when the caller holds the bytes already (a reader callback). `labels` false:
   * tree items without display text, for passes that only test values (filters, colouring).
   */
  dissect(frame: number, tree: boolean, cols: boolean, data?: Uint8Array, labels = true): Dissection | null {
    const i = frame - 1;
    if (i < 0 || i >= this.index.count) return null;
    const bytes = data ?? this.read(i);
    if (!bytes) return null;
    return this.engine.dissect(bytes, this.index.meta(i), this.session, tree, cols, labels);
  }

  row(frame: number, data?: Uint8Array): Row {
    return rowOf(this.index, frame, this.dissect(frame, false, true, data));
  }

  /** Rows for frames [from, from + count), clipped to what the index holds (only visited frames). */
  rows(from: number, count: number): Row[] {
    const last = Math.min(from + count - 1, this.index.count, this.session.lastVisited);
    const out: Row[] = [];
    for (let f = Math.max(1, from); f <= last; f++) out.push(this.row(f));
    return out;
  }
}

/**
 * One line as `tshark -r FILE` prints it (tshark.c print_columns): No. right-aligned in 5,
 * Time right-aligned in 10, Source right-aligned in 12, ` → `, Destination left-aligned in 12,
 * then Protocol, Length and Info separated by single spaces.
 */
export function tsharkLine(r: Row): string {
  return `${String(r.number).padStart(5)} ${r.time.padStart(10)} ${r.src.padStart(12)} \u2192 ${r.dst.padEnd(12)} ${r.protocol} ${r.length} ${r.info}`;
}
