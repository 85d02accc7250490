// A minimap beside a long diagram: every row as a tick in its packet-list colour, notes and idle
// gaps marked, the part on screen as a frame; a click or a drag scrolls there. A canvas, painted
// again only when the layout or the size changes (thousands of rows cost one pass).
import { useEffect, useRef, type PointerEvent as ReactPointerEvent } from 'react';
import { COLOR_STYLES } from '../../../shared/contract/coloring';
import { messageColorRule, type Diagram } from '../../../shared/diagram';

interface Props {
  diagram: Diagram;
  /** Height of the lifeline heads above the rows. */
  head: number;
  height: number;
  scroll: { top: number; height: number };
  step: number;
  onScrollTo(top: number): void;
}

export const MINIMAP_WIDTH = 18;

export function Minimap({ diagram, head, height, scroll, step, onScrollTo }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const total = head + diagram.height;
  const k = height / Math.max(1, total);

  useEffect(() => {
    const c = canvas.current?.getContext('2d');
    if (!c) return;
    const dpr = window.devicePixelRatio || 1;
    c.canvas.width = MINIMAP_WIDTH * dpr;
    c.canvas.height = height * dpr;
    c.setTransform(dpr, 0, 0, dpr, 0, 0);
    c.clearRect(0, 0, MINIMAP_WIDTH, height);
    for (const n of diagram.notes) {
      c.fillStyle = '#d4a72c';
      c.fillRect(0, (head + n.y) * k - 1, MINIMAP_WIDTH, 2);
    }
    for (const r of diagram.rows) {
      c.fillStyle = COLOR_STYLES[messageColorRule(r.message)].bg;
      c.fillRect(3, (head + r.y) * k - 0.5, MINIMAP_WIDTH - 6, Math.max(1, k * diagram.rowHeight * 0.5));
    }
  }, [diagram, head, height, k]);

  const at = (e: ReactPointerEvent) => {
    const y = e.clientY - e.currentTarget.getBoundingClientRect().top;
    onScrollTo(Math.max(0, y / k - scroll.height / 2));
  };
  const cur = diagram.rows[step];
  return (
    <div
      className="seq-minimap"
      style={{ width: MINIMAP_WIDTH, height }}
      role="scrollbar"
      aria-orientation="vertical"
      aria-label="Minimap"
      aria-valuemin={0}
      aria-valuemax={Math.round(total)}
      aria-valuenow={Math.round(scroll.top)}
      aria-controls="seq-body"
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        at(e);
      }}
      onPointerMove={(e) => {
        if (e.buttons & 1) at(e);
      }}
    >
      <canvas ref={canvas} style={{ width: MINIMAP_WIDTH, height }} />
      <div
        className="seq-minimap-view"
        style={{ top: scroll.top * k, height: Math.max(6, scroll.height * k) }}
      />
      {cur && <div className="seq-minimap-step" style={{ top: (head + cur.y) * k - 1 }} />}
    </div>
  );
}
