import { describe, expect, it } from 'vitest';
import { geometry, MAX_SCROLL_PX, scrollTopFor, visibleWindow } from './virtual-window';

describe('virtual window', () => {
  it('maps scrollTop to rows one to one while the list fits', () => {
    expect(geometry(1000, 20, 400)).toEqual({ spacer: 20_000, scale: 1 });
    expect(visibleWindow(0, 1000, 20, 400)).toEqual({ first: 0, count: 21, offset: 0 });
    expect(visibleWindow(210, 1000, 20, 400)).toEqual({ first: 10, count: 21, offset: -10 });
    expect(visibleWindow(19_600, 1000, 20, 400)).toMatchObject({ first: 980, count: 20 });
  });

  it('scales past the browser height cap, and the bottom still shows the last row', () => {
    const total = 1_000_000;
    const rowH = 24;
    const viewport = 600;
    const g = geometry(total, rowH, viewport);
    expect(g.spacer).toBe(MAX_SCROLL_PX);
    expect(g.scale).toBeGreaterThan(1);
    const bottom = visibleWindow(MAX_SCROLL_PX - viewport, total, rowH, viewport);
    expect(bottom.first + bottom.count).toBe(total);
    // The last row's bottom edge sits on the viewport's bottom edge.
    expect(bottom.offset + (total - 1 - bottom.first) * rowH + rowH).toBeCloseTo(viewport, 6);
    const mid = visibleWindow((MAX_SCROLL_PX - viewport) / 2, total, rowH, viewport);
    expect(Math.abs(mid.first - total / 2)).toBeLessThan(20);
  });

  it('scrolls a row into view by the least distance, and not at all when it shows', () => {
    expect(scrollTopFor(5, 0, 1000, 20, 400)).toBeNull();
    expect(scrollTopFor(30, 0, 1000, 20, 400)).toBe(220);
    expect(scrollTopFor(2, 200, 1000, 20, 400)).toBe(40);
    const total = 1_000_000;
    const top = scrollTopFor(total - 1, 0, total, 24, 600)!;
    const w = visibleWindow(top, total, 24, 600);
    expect(w.first + w.count).toBe(total);
    const to = scrollTopFor(500_000, 0, total, 24, 600)!;
    const w2 = visibleWindow(to, total, 24, 600);
    expect(500_000).toBeGreaterThanOrEqual(w2.first);
    expect(500_000).toBeLessThan(w2.first + w2.count);
  });

  it('draws nothing for an empty list', () => {
    expect(visibleWindow(0, 0, 20, 400)).toEqual({ first: 0, count: 0, offset: 0 });
  });
});
