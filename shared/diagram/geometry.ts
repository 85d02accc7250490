// Horizontal geometry shared by the on-screen view and the SVG export: lifeline columns of equal
// width, wide enough for the longest label between neighbours (within limits), and the height of
// the lifeline heads. Vertical positions come from layout.ts.
import { arrowLabel } from './labels';
import type { Diagram } from './layout';
import { textWidth } from './text';

export interface Geometry {
  laneWidth: number;
  headHeight: number;
  width: number;
  left: number;
}

export interface GeometryOptions {
  laneWidth?: number;
  fontSize?: number;
  /** The width available (the view's); columns grow to fill it. */
  width?: number;
  /**
   * Columns share `width` (at least a minimum each) whatever the labels need: the on-screen view
   * clips long labels to their arrow instead of scrolling sideways.
   */
  fit?: boolean;
}

export function geometry(d: Diagram, opts: GeometryOptions = {}): Geometry {
  const fs = opts.fontSize ?? 16;
  const n = Math.max(1, d.lifelines.length);
  const longestHead = Math.max(
    0,
    ...d.lifelines.map((l) => Math.max(l.title.length, l.address.length * 0.8)),
  );
  let lane: number;
  if (opts.fit && opts.width) {
    // Fitted to the width: the labels do not decide the lanes, so they are not measured (live, a
    // long diagram is refitted on every refresh; issue #6).
    lane = Math.max(fs * 11, opts.width / n);
  } else if (opts.laneWidth !== undefined) {
    lane = opts.laneWidth;
  } else {
    // The longest label over one column span decides the span (labels sit above their arrows).
    let label = 0;
    for (const r of d.rows) {
      const span = Math.abs(r.to - r.from) || 1;
      label = Math.max(
        label,
        (textWidth(arrowLabel(r.message), fs, r.message.level === 'application') + 48) / span,
      );
    }
    lane = Math.min(fs * 40, Math.max(fs * 14, longestHead * fs * 0.62 + 32, label));
  }
  if (opts.width && lane * n < opts.width) lane = opts.width / n;
  // A lone lifeline (one host talking to itself) stands left of centre: its loops are labelled
  // to its right.
  return { laneWidth: lane, headHeight: fs * 3.4, width: lane * n, left: n === 1 ? -lane * 0.25 : 0 };
}

export function columnX(g: Geometry, i: number): number {
  return g.left + g.laneWidth * (i + 0.5);
}
