// I/O graph: one or more lines over the capture, each the packets a display filter keeps, counted
// per second as packets or bytes, one point per interval (1 ms to 1 min), drawn with d3 scales and
// shapes in React's SVG. Packets/s read on the left axis, bytes/s on the right one when a line
// counts bytes. Dragging across the graph zooms into that time range and the wheel zooms around
// the pointer (Reset or a double-click go back). A click selects the first packet of the nearest
// interval where the line nearest the pointer has one.
import { scaleLinear } from 'd3-scale';
import { curveStepAfter, line } from 'd3-shape';
import { useEffect, useMemo, useState, type MouseEvent, type WheelEvent } from 'react';
import type { IoLine } from '../../../shared/contract/api';
import { MAX_IO_LINES } from '../../../shared/contract/api';
import { useAppStore, useAppStoreApi } from '../../state';
import { useBoxWidth, useRem } from '../layers/use-measure';
import {
  countText,
  IO_INTERVALS,
  IO_LINE_COLORS,
  ioLineName,
  nearestFilled,
  secondsLabel,
} from './stats-model';

interface Drag {
  from: number;
  to: number;
}

export function IoGraph() {
  const store = useAppStoreApi();
  const entry = useAppStore((s) => s.statsIo);
  const interval = useAppStore((s) => s.statsInterval);
  const lines = useAppStore((s) => s.statsIoLines);
  const [boxRef, width] = useBoxWidth<HTMLDivElement>();
  const rem = useRem();
  const [hover, setHover] = useState<{ k: number; line: number } | null>(null);
  const [zoom, setZoom] = useState<[number, number] | null>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const r = entry.result && entry.result.intervalUs === interval ? entry.result : null;
  // Series as drawn: each line's values, or the whole capture's packets before lines came back.
  const series = useMemo(
    () =>
      r?.lines ?? (r ? [{ filter: '', unit: 'packets' as const, values: r.packets, first: r.first }] : []),
    [r],
  );

  const height = Math.round(18 * rem);
  const hasBytes = series.some((s) => s.unit === 'bytes');
  const hasPackets = series.some((s) => s.unit === 'packets') || !hasBytes;
  const m = {
    top: 1.4 * rem,
    right: (hasBytes && hasPackets ? 5 : 2.2) * rem,
    bottom: 2.2 * rem,
    left: 4.6 * rem,
  };
  const xTicks = Math.max(2, Math.floor(width / (6 * rem)));
  const full = r ? (Math.max(1, r.packets.length) * r.intervalUs) / 1e6 : 1;
  const [t0, t1] = zoom ?? [0, full];

  const geo = useMemo(() => {
    if (!r || width <= 0) return null;
    const perSec = 1e6 / r.intervalUs;
    const x = scaleLinear()
      .domain([t0, t1])
      .range([m.left, width - m.right]);
    // The y axes fit the intervals in view.
    const k0 = Math.max(0, Math.floor((t0 * 1e6) / r.intervalUs));
    const k1 = Math.ceil((t1 * 1e6) / r.intervalUs);
    const maxOf = (unit: 'packets' | 'bytes') => {
      let max = 1;
      for (const s of series) {
        if (s.unit !== unit) continue;
        for (let k = k0; k < Math.min(k1, s.values.length); k++) max = Math.max(max, s.values[k] * perSec);
      }
      return max;
    };
    const yOf = (unit: 'packets' | 'bytes') =>
      scaleLinear()
        .domain([0, maxOf(unit)])
        .nice()
        .range([height - m.bottom, m.top]);
    const yP = yOf('packets');
    const yB = yOf('bytes');
    const paths = series.map((s) => {
      const y = s.unit === 'bytes' ? yB : yP;
      // Each interval is a step from its start to the next one's; only those in view are drawn.
      const a = Math.max(0, k0 - 1);
      const b = Math.min(s.values.length, k1 + 1);
      const pts: [number, number][] = [];
      for (let k = a; k < b; k++) pts.push([x((k * r.intervalUs) / 1e6), y(s.values[k] * perSec)]);
      if (b === s.values.length && b > 0)
        pts.push([x((b * r.intervalUs) / 1e6), y(s.values[b - 1] * perSec)]);
      return line().curve(curveStepAfter)(pts) ?? '';
    });
    return { x, yP, yB, paths, perSec };
  }, [r, series, width, height, t0, t1, m.left, m.right, m.top, m.bottom]);

  // A new capture or interval starts unzoomed when the zoom lies outside it.
  useEffect(() => {
    if (zoom && zoom[0] >= full) setZoom(null);
  }, [full, zoom]);

  const timeAt = (e: MouseEvent<SVGRectElement> | WheelEvent<SVGRectElement>) => {
    const box = e.currentTarget.ownerSVGElement!.getBoundingClientRect();
    return geo!.x.invert(e.clientX - box.left);
  };

  /** The interval under the pointer and the line whose point there is nearest to it vertically. */
  const pointAt = (e: MouseEvent<SVGRectElement>) => {
    if (!geo || !r || !series.length) return null;
    const box = e.currentTarget.ownerSVGElement!.getBoundingClientRect();
    const t = geo.x.invert(e.clientX - box.left);
    const py = e.clientY - box.top;
    const at = Math.floor((t * 1e6) / r.intervalUs);
    let best = 0;
    let dist = Infinity;
    series.forEach((s, j) => {
      const v = s.values[Math.max(0, Math.min(s.values.length - 1, at))] ?? 0;
      const d = Math.abs((s.unit === 'bytes' ? geo.yB : geo.yP)(v * geo.perSec) - py);
      if (d < dist) {
        dist = d;
        best = j;
      }
    });
    const k = nearestFilled(series[best].values, at);
    return k >= 0 ? { k, line: best } : null;
  };

  const dragging = drag && Math.abs(drag.to - drag.from) > 4;
  const onUp = (e: MouseEvent<SVGRectElement>) => {
    if (!geo || !r) return;
    if (drag && dragging) {
      const a = geo.x.invert(Math.min(drag.from, drag.to));
      const b = geo.x.invert(Math.max(drag.from, drag.to));
      // No narrower than two intervals: a single step has nothing left to read.
      if (b - a >= (2 * r.intervalUs) / 1e6) setZoom([Math.max(0, a), Math.min(full, b)]);
    } else {
      const p = pointAt(e);
      const f = p ? series[p.line].first[p.k] : 0;
      if (f) void store.getState().goToFrame(f);
    }
    setDrag(null);
  };

  const onWheel = (e: WheelEvent<SVGRectElement>) => {
    if (!geo || !r) return;
    const t = timeAt(e);
    const f = e.deltaY < 0 ? 0.8 : 1.25;
    const min = (2 * r.intervalUs) / 1e6;
    let a = t - (t - t0) * f;
    let b = t + (t1 - t) * f;
    if (b - a < min) return;
    a = Math.max(0, a);
    b = Math.min(full, b);
    setZoom(a <= 0 && b >= full ? null : [a, b]);
  };

  const setLines = (next: IoLine[]) => store.getState().setStatsIoLines(next);
  const hovered = hover && r ? hover : null;
  const hs = hovered ? series[hovered.line] : null;
  const unitLabel = hasBytes ? (hasPackets ? 'Packets and bytes' : 'Bytes') : 'Packets';
  const single = series.length === 1 && !series[0].filter;

  return (
    <div className="io">
      <div className="io-tools">
        <label>
          Interval{' '}
          <select
            value={interval}
            onChange={(e) => store.getState().setStatsInterval(Number(e.target.value))}
            aria-label="Interval"
          >
            {IO_INTERVALS.map((i) => (
              <option key={i.us} value={i.us}>
                {i.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => setZoom(null)} disabled={!zoom}>
          Reset zoom
        </button>
        {r && (
          <span className="stats-note" data-testid="io-summary">
            {countText(r.packets.reduce((a, b) => a + b, 0))} packets in {countText(r.packets.length)}{' '}
            intervals
            {zoom ? ` · showing ${secondsLabel(t0, r.intervalUs)} – ${secondsLabel(t1, r.intervalUs)}` : ''}
          </span>
        )}
      </div>
      <IoLines lines={lines} onChange={setLines} />
      {entry.error && (
        <p className="stats-error" role="alert">
          {entry.error}
        </p>
      )}
      <div ref={boxRef} className="io-box">
        {!r || !geo ? (
          <p className="stats-empty">{entry.loading ? 'Counting packets per interval…' : ''}</p>
        ) : (
          <svg
            width={width}
            height={height}
            role="img"
            aria-label={`${unitLabel} per second, ${IO_INTERVALS.find((i) => i.us === r.intervalUs)?.label ?? ''} intervals`}
            className="io-svg"
          >
            <defs>
              <clipPath id="io-clip">
                <rect x={m.left} y={0} width={Math.max(0, width - m.left - m.right)} height={height} />
              </clipPath>
            </defs>
            {(hasPackets ? geo.yP : geo.yB).ticks(5).map((t) => (
              <g key={`y${t}`} className="io-tick">
                <line
                  x1={m.left}
                  x2={width - m.right}
                  y1={(hasPackets ? geo.yP : geo.yB)(t)}
                  y2={(hasPackets ? geo.yP : geo.yB)(t)}
                />
                <text
                  x={m.left - 0.4 * rem}
                  y={(hasPackets ? geo.yP : geo.yB)(t)}
                  dy="0.32em"
                  textAnchor="end"
                >
                  {countText(t)}
                </text>
              </g>
            ))}
            {hasPackets &&
              hasBytes &&
              geo.yB.ticks(5).map((t) => (
                <g key={`yb${t}`} className="io-tick">
                  <text x={width - m.right + 0.4 * rem} y={geo.yB(t)} dy="0.32em" textAnchor="start">
                    {countText(t)}
                  </text>
                </g>
              ))}
            {geo.x.ticks(xTicks).map((t) => (
              <g key={`x${t}`} className="io-tick">
                <line x1={geo.x(t)} x2={geo.x(t)} y1={height - m.bottom} y2={height - m.bottom + 0.3 * rem} />
                <text x={geo.x(t)} y={height - m.bottom + 1.2 * rem} textAnchor="middle">
                  {/* The scale's own format: as many decimals as the tick step needs. */}
                  {`${geo.x.tickFormat(xTicks)(t)} s`}
                </text>
              </g>
            ))}
            <text className="io-axis-title" x={m.left} y={m.top - 0.3 * rem}>
              {hasPackets ? 'packets/s' : 'bytes/s'}
            </text>
            {hasPackets && hasBytes && (
              <text className="io-axis-title" x={width - m.right} y={m.top - 0.3 * rem} textAnchor="end">
                bytes/s
              </text>
            )}
            <g clipPath="url(#io-clip)">
              {single && <path className="io-area" d={`${geo.paths[0]}V${geo.yP(0)}H${m.left}Z`} />}
              {geo.paths.map((d, j) => (
                <path
                  key={j}
                  className="io-line"
                  data-testid={`io-line-${j + 1}`}
                  d={d}
                  style={{ stroke: IO_LINE_COLORS[j % IO_LINE_COLORS.length] }}
                />
              ))}
            </g>
            {hovered && hs && (
              <circle
                className="io-point"
                cx={geo.x(((hovered.k + 0.5) * r.intervalUs) / 1e6)}
                cy={(hs.unit === 'bytes' ? geo.yB : geo.yP)(hs.values[hovered.k] * geo.perSec)}
                r={0.35 * rem}
                style={{ fill: IO_LINE_COLORS[hovered.line % IO_LINE_COLORS.length] }}
              />
            )}
            {drag && dragging && (
              <rect
                className="io-brush"
                x={Math.min(drag.from, drag.to)}
                y={m.top}
                width={Math.abs(drag.to - drag.from)}
                height={Math.max(0, height - m.top - m.bottom)}
              />
            )}
            <rect
              className="io-hit"
              data-testid="io-hit"
              x={m.left}
              y={m.top}
              width={Math.max(0, width - m.left - m.right)}
              height={Math.max(0, height - m.top - m.bottom)}
              onMouseDown={(e) => {
                const box = e.currentTarget.ownerSVGElement!.getBoundingClientRect();
                const px = e.clientX - box.left;
                setDrag({ from: px, to: px });
              }}
              onMouseMove={(e) => {
                if (drag) {
                  const box = e.currentTarget.ownerSVGElement!.getBoundingClientRect();
                  setDrag({ ...drag, to: e.clientX - box.left });
                }
                setHover(pointAt(e));
              }}
              onMouseUp={onUp}
              onMouseLeave={() => {
                setHover(null);
                setDrag(null);
              }}
              onDoubleClick={() => setZoom(null)}
              onWheel={onWheel}
            />
          </svg>
        )}
      </div>
      <p className="io-readout" aria-live="polite" data-testid="io-readout">
        {r && hovered && hs
          ? single
            ? `${secondsLabel((hovered.k * r.intervalUs) / 1e6, r.intervalUs)}: ${countText(r.packets[hovered.k])} packets (${countText(Math.round(r.packets[hovered.k] * (geo?.perSec ?? 1)))}/s), ${countText(r.bytes[hovered.k])} bytes — click to go to packet ${r.first[hovered.k]}`
            : `${secondsLabel((hovered.k * r.intervalUs) / 1e6, r.intervalUs)}: line ${hovered.line + 1} (${ioLineName(hs)}) ${countText(hs.values[hovered.k])} ${hs.unit} (${countText(Math.round(hs.values[hovered.k] * (geo?.perSec ?? 1)))}/s) — click to go to packet ${hs.first[hovered.k]}`
          : 'Point at the graph to read an interval; click to go to its first packet; drag across it or use the wheel to zoom.'}
      </p>
    </div>
  );
}

/** The lines' editor, which is also the legend: colour, filter (applied on Enter), unit, remove. */
function IoLines({ lines, onChange }: { lines: IoLine[]; onChange: (lines: IoLine[]) => void }) {
  const [drafts, setDrafts] = useState<string[]>(lines.map((l) => l.filter));
  // Lines changed elsewhere (added, removed, applied) reset the drafts (React's derived-state pattern).
  const [shown, setShown] = useState(lines);
  if (shown !== lines) {
    setShown(lines);
    setDrafts(lines.map((l) => l.filter));
  }
  const apply = (j: number, patch: Partial<IoLine>) =>
    onChange(lines.map((l, i) => (i === j ? { ...l, ...patch } : l)));
  return (
    <ul className="io-lines" aria-label="Graph lines">
      {lines.map((l, j) => (
        <li key={j} className="io-line-row">
          <span
            className="io-swatch"
            aria-hidden="true"
            style={{ background: IO_LINE_COLORS[j % IO_LINE_COLORS.length] }}
          />
          <input
            type="text"
            className="io-filter"
            aria-label={`Line ${j + 1} display filter`}
            placeholder="all packets (type a display filter, Enter)"
            value={drafts[j] ?? ''}
            spellCheck={false}
            onChange={(e) => setDrafts(drafts.map((d, i) => (i === j ? e.target.value : d)))}
            onKeyDown={(e) => {
              if (e.key === 'Enter') apply(j, { filter: (drafts[j] ?? '').trim() });
            }}
            onBlur={() => {
              if ((drafts[j] ?? '').trim() !== l.filter) apply(j, { filter: (drafts[j] ?? '').trim() });
            }}
          />
          <select
            aria-label={`Line ${j + 1} unit`}
            value={l.unit}
            onChange={(e) => apply(j, { unit: e.target.value as IoLine['unit'] })}
          >
            <option value="packets">packets/s</option>
            <option value="bytes">bytes/s</option>
          </select>
          <button
            type="button"
            aria-label={`Remove line ${j + 1}`}
            disabled={lines.length <= 1}
            onClick={() => onChange(lines.filter((_, i) => i !== j))}
          >
            ×
          </button>
        </li>
      ))}
      <li>
        <button
          type="button"
          disabled={lines.length >= MAX_IO_LINES}
          onClick={() => onChange([...lines, { filter: '', unit: 'packets' }])}
        >
          Add line
        </button>
      </li>
    </ul>
  );
}
