// The vertical layout of a sequence diagram: which messages are drawn (the level), the row each
// takes, the notes between them and the idle gaps. Pure: the view, the SVG export and the tests
// call it alike. Units are CSS pixels at zoom 1; the view scales them.
//
// Spacing:
// - 'even': every arrow one row apart (Wireshark's flow graph).
// - 'time': one row, plus the time since the previous arrow at `pxPerSecond` (chosen so the
//   usual pause between exchanges reads as about a row); a pause that would stretch beyond
//   `maxStretch` is compressed to a fixed break and marked with its length, so a capture with a
//   minute of silence stays readable.
//
// Levels: 'transport' (every segment), 'application' (what the protocols said), or 'both': the
// segments, each application message on its own row after the segment that completed it, grouped
// with the segments it came from by a bracket on its sender's side.
import type { Message, MessageLevel } from '../messages/messages';
import {
  endpointId,
  lifelineId,
  lifelines as pickLifelines,
  type Lifeline,
  type LifelineOptions,
} from './lifelines';
import { placeNotes, type DiagramNote } from './notes';

export type DiagramLevel = MessageLevel | 'both';
export type Spacing = 'time' | 'even';

export interface LayoutOptions extends LifelineOptions {
  level?: DiagramLevel;
  spacing?: Spacing;
  rowHeight?: number;
  noteHeight?: number;
  /** Height of a compressed idle gap. */
  gapHeight?: number;
  /** Largest stretch (px) a pause may add before it is compressed and marked. */
  maxStretch?: number;
  /** Pixels per second of pause in 'time' spacing; automatic when absent. */
  pxPerSecond?: number;
  /** Space above the first row (under the lifeline heads). */
  top?: number;
}

export interface DiagramRow {
  /** Index into the messages given to layoutDiagram. */
  index: number;
  message: Message;
  y: number;
  /** Lifeline positions (into Diagram.lifelines); equal for a message to itself. */
  from: number;
  to: number;
  /** 'both' level, an application message: the y span of the segments it came from. */
  group?: { y0: number; y1: number };
}

export interface DiagramNoteRow {
  note: DiagramNote;
  y: number;
  from: number;
  to: number;
}

export interface IdleGap {
  /** Centre of the break. */
  y: number;
  seconds: number;
}

export interface Diagram {
  lifelines: Lifeline[];
  rows: DiagramRow[];
  notes: DiagramNoteRow[];
  gaps: IdleGap[];
  /** Bottom of the last row (lifelines end here). */
  height: number;
  rowHeight: number;
}

export function levelShows(level: DiagramLevel, m: Message): boolean {
  return level === 'both' || m.level === level;
}

function seconds(m: Message): number {
  return m.time.sec + m.time.nsec / 1e9;
}

/** Pauses this long are idle time, whatever the scale: compressed and marked. */
export const IDLE_SECONDS = 1;

/**
 * Pixels per second that make the 90th-percentile pause between consecutive arrows one row: most
 * pauses are bursts (a fraction of a row); the pauses between exchanges read as about a row.
 * Idle pauses (a second or more) do not count: they are compressed anyway, and a short capture
 * with one long pause would otherwise squash everything else into bursts.
 */
export function autoPxPerSecond(messages: readonly Message[], rowHeight: number): number {
  const dts: number[] = [];
  for (let i = 1; i < messages.length; i++) {
    const dt = seconds(messages[i]) - seconds(messages[i - 1]);
    if (dt > 0 && dt < IDLE_SECONDS) dts.push(dt);
  }
  if (!dts.length) return 0;
  dts.sort((a, b) => a - b);
  const p90 = dts[Math.min(dts.length - 1, Math.floor(dts.length * 0.9))];
  return rowHeight / p90;
}

/** "1.5 s", "250 ms", "2 min 5 s": the length of a compressed pause. */
export function gapText(s: number): string {
  if (s >= 120) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  if (s >= 1) return `${s.toFixed(s >= 10 ? 0 : 1)} s`;
  if (s >= 0.001) return `${(s * 1000).toFixed(s >= 0.01 ? 0 : 1)} ms`;
  return `${(s * 1e6).toFixed(0)} \u00b5s`;
}

export function layoutDiagram(messages: readonly Message[], opts: LayoutOptions = {}): Diagram {
  const level = opts.level ?? 'application';
  const spacing = opts.spacing ?? 'time';
  const rowHeight = opts.rowHeight ?? 48;
  const noteHeight = opts.noteHeight ?? 40;
  const gapHeight = opts.gapHeight ?? 36;
  const maxStretch = opts.maxStretch ?? rowHeight * 3;
  const mode = opts.mode ?? 'socket';

  const shownAll = messages.filter((m) => levelShows(level, m));
  const lines = pickLifelines(shownAll, opts);
  const col = new Map(lines.map((l, i) => [l.id, i]));
  // Notes span a conversation's sockets (never one of its streams).
  const pos = (e: Message['from']) => col.get(endpointId(e, mode === 'stream' ? 'socket' : mode));

  const notes = placeNotes(messages).filter((n) => n.levels.includes(level === 'both' ? 'transport' : level));
  const pxPerSecond = opts.pxPerSecond ?? autoPxPerSecond(shownAll, rowHeight);

  const rows: DiagramRow[] = [];
  const noteRows: DiagramNoteRow[] = [];
  const gaps: IdleGap[] = [];
  let y = opts.top ?? rowHeight * 0.75;
  let nextNote = 0;
  let prevTime: number | null = null;
  // 'both': where each frame's segment row is, for the application message's bracket.
  const frameY = new Map<number, number>();

  const flushNotes = (upTo: number) => {
    while (nextNote < notes.length && notes[nextNote].before <= upTo) {
      const n = notes[nextNote++];
      const a = pos(n.from);
      const b = pos(n.to);
      if (a === undefined && b === undefined) continue;
      const lo = Math.min(a ?? b!, b ?? a!);
      const hi = Math.max(a ?? b!, b ?? a!);
      noteRows.push({ note: n, y: y + noteHeight / 2, from: lo, to: hi });
      y += noteHeight;
    }
  };

  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (!levelShows(level, m)) continue;
    const from = col.get(lifelineId(m, 'from', mode));
    const to = col.get(lifelineId(m, 'to', mode));
    // A message with a hidden end is not drawn.
    if (from === undefined || to === undefined) continue;
    const t = seconds(m);
    if (prevTime !== null && spacing === 'time' && pxPerSecond > 0) {
      const dt = Math.max(0, t - prevTime);
      const stretch = dt * pxPerSecond;
      if (stretch > maxStretch || dt >= IDLE_SECONDS) {
        gaps.push({ y: y + gapHeight / 2, seconds: dt });
        y += gapHeight;
      } else y += stretch;
    }
    flushNotes(i);
    y += rowHeight / 2;
    const row: DiagramRow = { index: i, message: m, y, from, to };
    if (level === 'both') {
      if (m.level === 'transport') frameY.set(m.frame, y);
      else {
        const ys = m.frames.map((f) => frameY.get(f)).filter((v): v is number => v !== undefined);
        if (ys.length) row.group = { y0: Math.min(...ys), y1: y };
      }
    }
    rows.push(row);
    y += rowHeight / 2;
    prevTime = t;
  }
  flushNotes(Infinity);
  return { lifelines: lines, rows, notes: noteRows, gaps, height: y + rowHeight / 2, rowHeight };
}

/** The rows whose y lies in [top, bottom] (binary search: rows are sorted by y). */
export function rowsInView(rows: readonly DiagramRow[], top: number, bottom: number): [number, number] {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid].y < top) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < rows.length && rows[end].y <= bottom) end++;
  return [lo, end];
}

/** The row of a frame's message at the diagram's level (the first one the frame has), or -1. */
export function rowOfFrame(rows: readonly DiagramRow[], frame: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid].message.frame < frame) lo = mid + 1;
    else hi = mid;
  }
  if (lo < rows.length && rows[lo].message.frame === frame) return lo;
  // An application message drawn at the frame that completed it also owns its earlier frames.
  for (let k = 0; k < rows.length; k++) if (rows[k].message.frames.includes(frame)) return k;
  return -1;
}
