// TCP stream graphs of one connection (Wireshark's Statistics → TCP Stream Graphs): the
// time–sequence graph (Stevens: one dot per data segment at its relative sequence number, the
// retransmitted ones marked in red crosses, with the receiver's acknowledgements and the window
// it advertises, ack + window, as step lines), round-trip time (tcp.analysis.ack_rtt of each
// acknowledgement) and throughput (moving average over 20 segments). Drawn with d3 scales and
// shapes in React's SVG; a click selects the nearest point's packet.
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
      yFmt = (v) => v.toFixed(v < 1 ? 3 : v < 10 ? 2 : 1);
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
    const xs = segs.map((s) => s.t);
    const x0 = Math.min(...xs);
    const x1 = Math.max(...xs);
    const pad = x1 > x0 ? 0 : 0.001;
    const x = scaleLinear()
      .domain([x0 - pad, x1 + pad])
      .range([m.left, width - m.right]);
    let yMax = 1;
    for (const p of data) yMax = Math.max(yMax, p.y);
    for (const l of lines) for (const [, v] of l.pts) yMax = Math.max(yMax, v);
    const y = scaleLinear()
      .domain([0, yMax])
      .nice()
      .range([height - m.bottom, m.top]);
    const paths = lines.map((l) => ({
      cls: l.cls,
      d:
        (l.cls === 'tg-tput' ? line() : line().curve(curveStepAfter))(
          l.pts.map(([a, b]) => [x(a), y(b)] as [number, number]),
        ) ?? '',
    }));
    return { x, y, data, paths, yTitle, yFmt };
  }, [segs, dir, graph, width, height, m.left, m.right, m.top, m.bottom]);

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
            {geo.paths.map((p) => (
              <path key={p.cls} className={p.cls} d={p.d} />
            ))}
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
            {hover && <circle className="io-point" cx={geo.x(hover.x)} cy={geo.y(hover.y)} r={0.4 * rem} />}
            <rect
              className="io-hit"
              data-testid="tg-hit"
              x={m.left}
              y={m.top}
              width={Math.max(0, width - m.left - m.right)}
              height={Math.max(0, height - m.top - m.bottom)}
              onMouseMove={(e) => setHover(nearest(e))}
              onMouseLeave={() => setHover(null)}
              onClick={(e) => {
                const p = nearest(e);
                if (p) void store.getState().goToFrame(p.frame);
              }}
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
            : 'Point at the graph to read a point; click to select its packet.'}
        </p>
      )}
    </div>
  );
}
