// The diagram itself: lifelines, idle gaps, notes and the arrows in view (React, from the pure
// layout), and the packet dot that d3 moves on every clock tick.
import { memo, useCallback, useEffect, useRef } from 'react';
import { select } from 'd3-selection';
import { scaleLinear } from 'd3-scale';
import { COLOR_STYLES } from '../../../shared/contract/coloring';
import {
  arrowLabel,
  arrowMarks,
  columnX,
  gapText,
  isRetransmission,
  messageColorRule,
  rowsInView,
  clipText,
  textWidth,
  type Diagram,
  type Geometry,
} from '../../../shared/diagram';
import type { Message } from '../../../shared/messages/messages';
import type { AppStore } from '../../state';
import { wireProgress } from './encapsulation';
import { Heads } from './Heads';

/** Rows drawn beyond the visible ones, above and below (smooth scrolling). */
const OVERSCAN = 600;

interface MeasureGlobals {
  __wirescopeMeasure?: unknown;
  __wirescopeArrowDrawn?: Map<number, number>;
}

/** The live benchmark's hook (documented in SequenceView.tsx): when a frame's arrow is first drawn. */
function noteDrawn(frame: number): void {
  const g = globalThis as MeasureGlobals;
  if (g.__wirescopeMeasure !== true) return;
  const drawn = (g.__wirescopeArrowDrawn ??= new Map());
  if (drawn.has(frame)) return;
  requestAnimationFrame(() => {
    if (!drawn.has(frame)) drawn.set(frame, performance.timeOrigin + performance.now());
  });
}

export interface DrawingProps {
  store: AppStore;
  diagram: Diagram;
  geo: Geometry;
  fs: number;
  scroll: { top: number; height: number };
  step: number;
  selectedRow: number;
  /** The encapsulation is shown: the dot crosses during its wire phase only. */
  wire: boolean;
}

export function Drawing({ store, diagram, geo, fs, scroll, step, selectedRow, wire }: DrawingProps) {
  const x = (i: number) => columnX(geo, i);
  // The svg starts under the sticky lifeline heads: its y is the layout's y.
  const top = 0;
  const height = diagram.height;
  const viewTop = scroll.top - geo.headHeight - OVERSCAN;
  const viewBottom = scroll.top + scroll.height - geo.headHeight + OVERSCAN;
  const [lo, hi] = rowsInView(diagram.rows, viewTop, viewBottom);
  const visible = diagram.rows.slice(lo, hi);
  const dot = useRef<SVGCircleElement>(null);

  // The packet dot: d3 moves it on every clock tick, outside React's render.
  useEffect(() => {
    const el = dot.current;
    if (!el) return;
    const place = (p: number) => {
      const r = diagram.rows[Math.floor(p)];
      const sel = select(el);
      if (!r || r.from === r.to) {
        sel.attr('visibility', 'hidden');
        return;
      }
      const along = scaleLinear()
        .domain([0, 1])
        .range([x(r.from), x(r.to)])
        .clamp(true);
      sel
        .attr('visibility', 'visible')
        .attr('cx', along(wire ? wireProgress(p - Math.floor(p)) : p - Math.floor(p)))
        .attr('cy', top + r.y);
    };
    place(store.getState().playPosition);
    return store.subscribe((s, prev) => {
      if (s.playPosition !== prev.playPosition) place(s.playPosition);
    });
  }, [store, diagram, geo, wire]);

  // The clock moves to the message (arrived); moving it selects the message's packet everywhere.
  // The rows through a ref and arrows chosen by message id: an arrow's props do not hold its row
  // index, which shifts for every arrow in view whenever live rows scroll the window (issue #6).
  const rows = useRef(diagram.rows);
  rows.current = diagram.rows;
  const choose = useCallback(
    (id: Message['id']) => {
      const row = rows.current.findIndex((r) => r.message.id === id);
      if (row < 0) return;
      const s = store.getState();
      s.pause();
      s.seek(row + 0.999);
    },
    [store],
  );

  return (
    <div className="seq-drawing" style={{ width: geo.width }}>
      <Heads store={store} diagram={diagram} geo={geo} fs={fs} />
      <svg
        className="seq-svg"
        width={geo.width}
        height={height}
        role="list"
        aria-label={`${diagram.rows.length} messages`}
        style={{ fontSize: fs }}
      >
        {diagram.lifelines.map((l, i) => (
          <line key={l.id} className="seq-lifeline" x1={x(i)} x2={x(i)} y1={top} y2={height} />
        ))}
        {diagram.gaps
          .filter((g) => g.y >= viewTop && g.y <= viewBottom)
          .map((g) => (
            <g key={`gap${g.y}`} className="seq-gap" transform={`translate(0, ${top + g.y})`}>
              <rect x={0} y={-fs * 0.5} width={geo.width} height={fs} />
              <line x1={0} x2={geo.width} y1={-fs * 0.35} y2={-fs * 0.35} />
              <line x1={0} x2={geo.width} y1={fs * 0.35} y2={fs * 0.35} />
              <text x={geo.width - 8} y={fs * 0.3} textAnchor="end">
                {gapText(g.seconds)} idle
              </text>
            </g>
          ))}
        {diagram.notes
          .filter((n) => n.y >= viewTop && n.y <= viewBottom)
          .map((n, k) => {
            const x0 = Math.max(4, x(n.from) - geo.laneWidth * 0.42);
            const x1 = Math.min(geo.width - 4, x(n.to) + geo.laneWidth * 0.42);
            return (
              <g key={`note${k}${n.y}`} className={`seq-note note-${n.note.kind}`} role="note">
                <rect x={x0} y={top + n.y - fs * 0.95} width={x1 - x0} height={fs * 1.9} rx={4} />
                <text x={(x0 + x1) / 2} y={top + n.y + fs * 0.35} textAnchor="middle">
                  {n.note.text}
                </text>
              </g>
            );
          })}
        {visible.map((r, k) => (
          <Arrow
            key={r.message.id}
            m={r.message}
            x0={x(r.from)}
            x1={x(r.to)}
            y={top + r.y}
            fs={fs}
            lane={geo.laneWidth}
            groupY0={r.group ? top + r.group.y0 : undefined}
            groupY1={r.group ? top + r.group.y1 : undefined}
            current={lo + k === step}
            selected={lo + k === selectedRow}
            onChoose={choose}
          />
        ))}
        <circle ref={dot} className="seq-dot" r={fs * 0.55} visibility="hidden" />
      </svg>
    </div>
  );
}

/** Memoised: a live capture re-renders the drawing often; an arrow whose props hold is not redrawn. */
const Arrow = memo(function Arrow(p: {
  m: Message;
  x0: number;
  x1: number;
  y: number;
  fs: number;
  lane: number;
  groupY0?: number;
  groupY1?: number;
  current: boolean;
  selected: boolean;
  onChoose(id: Message['id']): void;
}) {
  const { m, x0, x1, y, fs } = p;
  useEffect(() => noteDrawn(m.frame), [m.frame]);
  const dir = x1 >= x0 ? 1 : -1;
  const self = x0 === x1;
  const style = COLOR_STYLES[messageColorRule(m)];
  const marks = arrowMarks(m);
  const bold = m.level === 'application';
  // Clipped to the arrow's span (the tooltip and the caption have it whole).
  // A message to itself (per host, on loopback) loops out and is labelled to its right.
  const loop = Math.min(p.lane * 0.3, fs * 3);
  const span = self ? p.lane * 0.7 - loop : Math.abs(x1 - x0);
  const whole = arrowLabel(m) + (marks.length ? `  [${marks.join(', ')}]` : '');
  const label = clipText(whole, Math.max(fs * 5, span - fs), fs, bold);
  const lw = textWidth(label, fs, bold) + fs * 0.8;
  const lx = self ? x0 + loop + fs * 0.6 : (x0 + x1) / 2;
  const left = Math.min(x0, x1, self ? lx - 6 : lx - lw / 2);
  const right = Math.max(x0, x1, self ? lx + lw : lx + lw / 2);
  const cls = `seq-msg-row${p.current ? ' current' : ''}${p.selected ? ' selected' : ''}${m.ackOnly ? ' ack-only' : ''}${bold ? ' app' : ''}`;
  const head = fs * 0.7;
  return (
    <g
      className={cls}
      data-frame={m.frame}
      data-id={m.id}
      data-label={whole}
      role="listitem"
      aria-label={`Packet ${m.frame}: ${m.fromRole} to ${m.toRole}: ${m.label}`}
      aria-current={p.current ? 'step' : undefined}
      onClick={() => p.onChoose(m.id)}
    >
      <title>{`${m.frame} · ${m.relative} s · ${m.protocol}: ${m.label}${m.detail && m.detail !== m.label ? `\n${m.detail}` : ''}`}</title>
      <text className="seq-time" x={4} y={y + fs * 0.35}>
        {m.relative}
      </text>
      <rect
        className="seq-band"
        x={left - 8}
        y={y - fs * 1.7}
        width={right - left + 16}
        height={fs * 2.2}
        rx={4}
      />
      {p.groupY0 !== undefined && p.groupY1 !== undefined && (
        <path
          className="seq-group"
          d={`M${x0 - dir * 8},${p.groupY0} H${x0 - dir * 14} V${p.groupY1} H${x0 - dir * 8}`}
        />
      )}
      {self ? (
        <path className="seq-arrow" d={`M${x0},${y - 8} H${x0 + loop} V${y + 8} H${x0 + head}`} />
      ) : (
        <line className="seq-arrow" x1={x0} y1={y} x2={x1 - dir * head} y2={y} />
      )}
      <path
        className="seq-head"
        d={
          self
            ? `M${x0},${y + 8} L${x0 + head},${y + 8 - head / 2} L${x0 + head},${y + 8 + head / 2} Z`
            : `M${x1},${y} L${x1 - dir * head},${y - head / 2} L${x1 - dir * head},${y + head / 2} Z`
        }
      />
      {/RST/.test(m.flags ?? '') && (
        <path
          className="seq-rst"
          d={`M${x1 - 8},${y - 8} L${x1 + 8},${y + 8} M${x1 + 8},${y - 8} L${x1 - 8},${y + 8}`}
        />
      )}
      <rect
        className={`seq-chip${isRetransmission(m) ? ' retrans' : ''}`}
        x={self ? lx - 6 : lx - lw / 2}
        y={y - fs * 1.5}
        width={lw}
        height={fs * 1.3}
        rx={3}
        style={{ fill: style.bg }}
      />
      <text
        className="seq-label"
        x={lx}
        y={y - fs * 0.5}
        textAnchor={self ? 'start' : 'middle'}
        style={{ fill: style.fg }}
      >
        {label}
      </text>
    </g>
  );
});
