// Scroll geometry of a virtualised list of fixed-height rows. Browsers cap an element's height
// (Chromium near 33.5 M px, Firefox near 17.9 M px), and a million rows of 24 px is 24 M px: past
// MAX_SCROLL_PX the scrollbar is scaled, so the thumb still spans the whole capture and every row
// stays reachable. Pure functions, tested without a DOM.

export const MAX_SCROLL_PX = 8_000_000;

export interface Geometry {
  /** Height of the scrolled content, px (at most MAX_SCROLL_PX). */
  spacer: number;
  /** Virtual pixels per scrolled pixel (1 unless the list is taller than MAX_SCROLL_PX). */
  scale: number;
}

export function geometry(total: number, rowHeight: number, viewport: number): Geometry {
  const content = total * rowHeight;
  if (content <= MAX_SCROLL_PX) return { spacer: content, scale: 1 };
  return { spacer: MAX_SCROLL_PX, scale: (content - viewport) / Math.max(1, MAX_SCROLL_PX - viewport) };
}

export interface VisibleWindow {
  /** First row (partly) visible. */
  first: number;
  /** Rows from `first` to draw (the last may be cut by the bottom edge). */
  count: number;
  /** Top of row `first` relative to the top of the viewport, px (≤ 0). */
  offset: number;
}

export function visibleWindow(
  scrollTop: number,
  total: number,
  rowHeight: number,
  viewport: number,
): VisibleWindow {
  if (total === 0 || rowHeight <= 0) return { first: 0, count: 0, offset: 0 };
  const { scale } = geometry(total, rowHeight, viewport);
  const virtualTop = Math.max(0, scrollTop * scale);
  const first = Math.min(total - 1, Math.floor(virtualTop / rowHeight));
  const count = Math.min(total - first, Math.ceil(viewport / rowHeight) + 1);
  return { first, count, offset: first * rowHeight - virtualTop };
}

/**
 * The scrollTop that brings row `position` fully into view, moving as little as possible; null
 * when it is already fully visible.
 */
export function scrollTopFor(
  position: number,
  scrollTop: number,
  total: number,
  rowHeight: number,
  viewport: number,
): number | null {
  const { scale } = geometry(total, rowHeight, viewport);
  const virtualTop = scrollTop * scale;
  const rowTop = position * rowHeight;
  let target: number;
  if (rowTop < virtualTop) target = rowTop;
  else if (rowTop + rowHeight > virtualTop + viewport) target = rowTop + rowHeight - viewport;
  else return null;
  return Math.max(0, target / scale);
}
