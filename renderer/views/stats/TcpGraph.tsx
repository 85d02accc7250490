// TCP stream graphs of one connection (Wireshark's Statistics → TCP Stream Graphs): the
// time–sequence graph (Stevens: one dot per data segment at its relative sequence number, the
// retransmitted ones marked in red crosses, with the receiver's acknowledgements and the window
// it advertises, ack + window, as step lines), round-trip time (tcp.analysis.ack_rtt of each
// acknowledgement) and throughput (moving average over 20 segments). Drawn with d3 scales and
// shapes in React's SVG; a click selects the nearest point's packet, a drag across the graph
// zooms into that time range (the y axis fits what is in view).
import { scaleLinear } from 'd3-scale';
import { curveStepAfter, line } from 'd3-shape';
import { useMemo, useState, type MouseEvent } from 'react';
import { busierDirection, roundTrips, throughput, type TcpSegment } from '../../../shared/stats/tcp-graph';
import { useAppStore, useAppStoreApi } from '../../state';
import { useBoxWidth, useRem } from '../layers/use-measure';
import { countText } from './stats-model';

type Graph = 'seq' | 'rtt' | 'tput';
const GRAPHS: { id: Graph; title: string }[] = [
  { id: 'seq', title: 'Time–sequence' },
  { id: 'rtt', title: 'Round-trip time' },
  { id: 'tput', title: 'Throughput' },
];

interface Pt {
  x: number;
  y: number;
  frame: number;
  text: string;
  retrans?: boolean;
}

function bitsText(bps: number): string {
  if (bps >= 1e9) return `${(bps / 1e9).toFixed(2)} Gbit/s`;
  if (bps >= 1e6) return `${(bps / 1e6).toFixed(2)} Mbit/s`;
  if (bps >= 1e3) return `${(bps / 1e3).toFixed(1)} kbit/s`;
  return `${Math.round(bps)} bit/s`;
}

export function TcpGraph() {
  const store = useAppStoreApi();
  const entry = useAppStore((s) => s.statsTcpGraph);
  const selected = useAppStore((s) => s.frame ?? 0);
  const [graph, setGraph] = useState<Graph>('seq');
  const [dirChoice, setDirChoice] = useState<0 | 1 | null>(null);
  const [hover, setHover] = useState<Pt | null>(null);
  /** Time range zoomed into (dragged across the graph), null for the whole connection. */
  const [zoom, setZoom] = useState<[number, number] | null>(null);
  /** A drag in progress: its start and current x in px. */
  const [drag, setDrag] = useState<[number, number] | null>(null);
  const [boxRef, width] = useBoxWidth<HTMLDivElement>();
  const rem = useRem();
  const r = entry.result;
  const segs: readonly TcpSegment[] = r?.segments ?? [];
  const dir: 0 | 1 = dirChoice ?? busierDirection(segs);

  const height = Math.round(22 * rem);
  const m = { top: 1.6 * rem, right: 1.6 * rem, bottom: 2.4 * rem, left: 5.2 * rem };

  const geo = useMemo(() => {
    if (width <= 0 || !segs.length) return null;
    const data: Pt[] = [];
    const lines: { cls: string; pts: [number, number][] }[] = [];
    let yTitle = '';
    let yFmt = (v: number) => countText(v);
    if (graph === 'seq') {
      yTitle = 'sequence number (relative)';
      for (const s of segs) {
        if (s.dir !== dir || (s.len === 0 && !s.syn && !s.fin)) continue;
        data.push({
          x: s.t,
          y: s.seq,
          frame: s.frame,
          retrans: s.retrans,
          text: `packet ${s.frame}: seq ${countText(s.seq)}, ${countText(s.len)} bytes${s.retrans ? ', retransmission' : ''}`,
        });
      }
      const acks: [number, number][] = [];
      const wins: [number, number][] = [];
      for (const s of segs) {
        if (s.dir === dir || s.ack < 0) continue;
        acks.push([s.t, s.ack]);
        if (s.win >= 0) wins.push([s.t, s.ack + s.win]);
      }
      lines.push({ cls: 'tg-ack', pts: acks }, { cls: 'tg-win', pts: wins });
    } else if (graph === 'rtt') {
      yTitle = 'round-trip time (ms)';
      // The tick step's own decimals (set once the scale is known, below).
      yFmt = (v) => String(v);
      for (const p of roundTrips(segs, dir))
        data.push({
          x: p.t,
          y: p.rtt * 1000,
          frame: p.frame,
          text: `packet ${p.frame}: ACK after ${(p.rtt * 1000).toFixed(3)} ms`,
        });
    } else {
      yTitle = 'throughput (bit/s)';
      yFmt = bitsText;
      const pts = throughput(segs, dir);
      for (const p of pts)
        data.push({ x: p.t, y: p.bps, frame: p.frame, text: `packet ${p.frame}: ${bitsText(p.bps)}` });
      lines.push({ cls: 'tg-tput', pts: pts.map((p) => [p.t, p.bps]) });
    }
    let x0 = Infinity;
    let x1 = -Infinity;
    for (const s of segs) {
      x0 = Math.min(x0, s.t);
      x1 = Math.max(x1, s.t);
    }
    if (zoom) [x0, x1] = zoom;
    const pad = x1 > x0 ? 0 : 0.001;
    const x = scaleLinear()
      .domain([x0 - pad, x1 + pad])
      .range([m.left, width - m.right]);
    const inside = (t: number) => t >= x0 - pad && t <= x1 + pad;
    const shown = zoom ? data.filter((p) => inside(p.x)) : data;
    // The y scale fits what is in view (a step line's value entering the view counts too).
    let yMax = 1;
    for (const p of shown) yMax = Math.max(yMax, p.y);
    for (const l of lines) {
      let before = -1;
      for (const [t, v] of l.pts) {
        if (inside(t)) yMax = Math.max(yMax, v);
        else if (t < x0) before = v;
      }
      yMax = Math.max(yMax, before);
    }
    const y = scaleLinear()
      .domain([0, yMax])
      .nice()
      .range([height - m.bottom, m.top]);
    if (graph === 'rtt') yFmt = y.tickFormat(6);
    const paths = lines.map((l) => ({
      cls: l.cls,
      d:
        (l.cls === 'tg-tput' ? line() : line().curve(curveStepAfter))(
          l.pts.map(([a, b]) => [x(a), y(b)] as [number, number]),
        ) ?? '',
    }));
    return { x, y, data: shown, paths, yTitle, yFmt };
  }, [segs, dir, graph, zoom, width, height, m.left, m.right, m.top, m.bottom]);

  const localX = (e: MouseEvent<SVGRectElement>) =>
    e.clientX - e.currentTarget.ownerSVGElement!.getBoundingClientRect().left;

  const nearest = (e: MouseEvent<SVGRectElement>): Pt | null => {
    if (!geo || !geo.data.length) return null;
    const box = e.currentTarget.ownerSVGElement!.getBoundingClientRect();
    const mx = e.clientX - box.left;
    const my = e.clientY - box.top;
    let best: Pt | null = null;
    let bd = Infinity;
    for (const p of geo.data) {
      const dx = geo.x(p.x) - mx;
      const dy = geo.y(p.y) - my;
      const dd = dx * dx + dy * dy;
      if (dd < bd) {
        bd = dd;
        best = p;
      }
    }
    return best;
  };

  const ok = !!r && r.stream >= 0;
  const ends = !r ? ['', ''] : dir === 0 ? r.ends : ([r.ends[1], r.ends[0]] as const);
  const retrans = segs.filter((s) => s.dir === dir && s.retrans).length;
  const sent = segs.filter((s) => s.dir === dir && s.len > 0);
  const bytes = sent.reduce((n, s) => n + s.len, 0);
  const title = GRAPHS.find((g) => g.id === graph)!.title;
  return (
    <div className="io tg">
      {!ok && (
        <p className="stats-empty">
          {!r ? (entry.loading ? 'Reading the TCP stream…' : '') : 'No TCP connection in this capture.'}
        </p>
      )}
      {r && ok && (
        <>
          <div className="io-tools">
            <label>
              Stream{' '}
              <select
                aria-label="TCP stream"
                value={r.stream}
                onChange={(e) => {
                  setDirChoice(null);
                  setZoom(null);
                  store.getState().setStatsStream(Number(e.target.value));
                }}
              >
                {r.streams.map((s) => (
                  <option key={s.stream} value={s.stream}>
                    {`tcp.stream ${s.stream}: ${s.label} (${countText(s.packets)} packets)`}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              className="stats-choice"
              title="Graph the other direction's data"
              onClick={() => setDirChoice(dir === 0 ? 1 : 0)}
            >
              Swap direction
            </button>
            {zoom && (
              <button type="button" className="stats-choice" onClick={() => setZoom(null)}>
                Reset zoom
              </button>
            )}
          </div>
          <div className="io-tools" role="group" aria-label="TCP graph">
            {GRAPHS.map((g) => (
              <button
                key={g.id}
                type="button"
                className={`stats-choice${graph === g.id ? ' active' : ''}`}
                aria-pressed={graph === g.id}
                onClick={() => setGraph(g.id)}
              >
                {g.title}
              </button>
            ))}
          </div>
          <p className="stats-summary" data-testid="tg-summary">
            {ends[0]} → {ends[1]}: {countText(sent.length)} data segments, {countText(bytes)} bytes,{' '}
            {countText(retrans)} retransmitted{r.truncated ? ' (first segments only)' : ''}
          </p>
        </>
      )}
      {/* Always rendered, in the same place: its width is measured from the first render. */}
      <div ref={boxRef} className="io-box">
        {r && ok && geo && (
          <svg
            width={width}
            height={height}
            role="img"
            aria-label={`${title} graph of tcp.stream ${r.stream}, ${ends[0]} to ${ends[1]}`}
            className="io-svg tg-svg"
          >
            {geo.y.ticks(6).map((t) => (
              <g key={`y${t}`} className="io-tick">
                <line x1={m.left} x2={width - m.right} y1={geo.y(t)} y2={geo.y(t)} />
                <text x={m.left - 0.4 * rem} y={geo.y(t)} dy="0.32em" textAnchor="end">
                  {geo.yFmt(t)}
                </text>
              </g>
            ))}
            {geo.x.ticks(6).map((t) => (
              <g key={`x${t}`} className="io-tick">
                <line x1={geo.x(t)} x2={geo.x(t)} y1={height - m.bottom} y2={height - m.bottom + 0.3 * rem} />
                <text x={geo.x(t)} y={height - m.bottom + 1.2 * rem} textAnchor="middle">
                  {`${geo.x.tickFormat(6)(t)} s`}
                </text>
              </g>
            ))}
            <text className="io-axis-title" x={m.left} y={m.top - 0.4 * rem}>
              {geo.yTitle}
            </text>
            <clipPath id="tg-clip">
              <rect
                x={m.left - 0.5 * rem}
                y={0}
                width={Math.max(0, width - m.left - m.right + rem)}
                height={height - m.bottom + 0.5 * rem}
              />
            </clipPath>
            <g clipPath="url(#tg-clip)">
              {geo.paths.map((p) => (
                <path key={p.cls} className={p.cls} d={p.d} />
              ))}
            </g>
            {geo.data.map((p) =>
              p.retrans ? (
                <path
                  key={p.frame}
                  className="tg-retrans"
                  data-frame={p.frame}
                  d={`M${geo.x(p.x) - 0.35 * rem},${geo.y(p.y) - 0.35 * rem}l${0.7 * rem},${0.7 * rem}m0,${-0.7 * rem}l${-0.7 * rem},${0.7 * rem}`}
                />
              ) : (
                <circle
                  key={p.frame}
                  className={`tg-dot${p.frame === selected ? ' on' : ''}`}
                  data-frame={p.frame}
                  cx={geo.x(p.x)}
                  cy={geo.y(p.y)}
                  r={(p.frame === selected ? 0.35 : 0.22) * rem}
                />
              ),
            )}
            {hover && !drag && (
              <circle className="io-point" cx={geo.x(hover.x)} cy={geo.y(hover.y)} r={0.4 * rem} />
            )}
            {drag && (
              <rect
                className="tg-brush"
                x={Math.min(drag[0], drag[1])}
                y={m.top}
                width={Math.abs(drag[1] - drag[0])}
                height={Math.max(0, height - m.top - m.bottom)}
              />
            )}
            <rect
              className="io-hit"
              data-testid="tg-hit"
              x={m.left}
              y={m.top}
              width={Math.max(0, width - m.left - m.right)}
              height={Math.max(0, height - m.top - m.bottom)}
              onMouseDown={(e) => {
                const at = localX(e);
                setDrag([at, at]);
              }}
              onMouseMove={(e) => {
                if (drag) setDrag([drag[0], localX(e)]);
                else setHover(nearest(e));
              }}
              onMouseLeave={() => {
                setHover(null);
                setDrag(null);
              }}
              onMouseUp={(e) => {
                const d = drag;
                setDrag(null);
                // A drag wider than a few pixels zooms into that time range; otherwise a click.
                if (d && Math.abs(d[1] - d[0]) > 0.4 * rem) {
                  // Dragged to within a few pixels of an edge: up to that edge (its last points).
                  const [r0, r1] = geo.x.range();
                  const [d0, d1] = geo.x.domain();
                  const lo = Math.min(d[0], d[1]);
                  const hi = Math.max(d[0], d[1]);
                  const a = lo <= r0 + 0.5 * rem ? d0 : geo.x.invert(lo);
                  const b = hi >= r1 - 0.5 * rem ? d1 : geo.x.invert(hi);
                  setZoom([a, b]);
                  setHover(null);
                  return;
                }
                const p = nearest(e);
                if (p) void store.getState().goToFrame(p.frame);
              }}
              onDoubleClick={() => setZoom(null)}
            />
          </svg>
        )}
      </div>
      {ok && graph === 'seq' && (
        <p className="tg-legend">
          <span className="tg-key dot">● data segment</span>
          <span className="tg-key retrans">✕ retransmission</span>
          <span className="tg-key ack">— acknowledged</span>
          <span className="tg-key win">— receive window (ack + window)</span>
        </p>
      )}
      {ok && (
        <p className="io-readout" aria-live="polite" data-testid="tg-readout">
          {hover
            ? `${hover.text} — click to select it`
            : 'Point at the graph to read a point; click to select its packet; drag across it to zoom, double-click to zoom out.'}
        </p>
      )}
    </div>
  );
}
