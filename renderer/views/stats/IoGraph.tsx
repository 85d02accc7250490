// I/O graph: packets per second over the capture, one point per interval (1 ms to 1 min), drawn
// with d3 scales and shapes in React's SVG. Clicking the graph selects the first packet of the
// nearest interval that has one; the hovered interval is named under the graph.
import { scaleLinear } from 'd3-scale';
import { area, curveStepAfter, line } from 'd3-shape';
import { useMemo, useState, type MouseEvent } from 'react';
import { useAppStore, useAppStoreApi } from '../../state';
import { useBoxWidth, useRem } from '../layers/use-measure';
import { countText, IO_INTERVALS, nearestFilled, secondsLabel } from './stats-model';

export function IoGraph() {
  const store = useAppStoreApi();
  const entry = useAppStore((s) => s.statsIo);
  const interval = useAppStore((s) => s.statsInterval);
  const [boxRef, width] = useBoxWidth<HTMLDivElement>();
  const rem = useRem();
  const [hover, setHover] = useState(-1);
  const r = entry.result && entry.result.intervalUs === interval ? entry.result : null;

  const height = Math.round(16 * rem);
  const m = { top: 1.4 * rem, right: 1.6 * rem, bottom: 2.2 * rem, left: 3.6 * rem };
  const xTicks = Math.max(2, Math.floor(width / (6 * rem)));
  const geo = useMemo(() => {
    if (!r || width <= 0) return null;
    const perSec = 1e6 / r.intervalUs;
    const n = Math.max(1, r.packets.length);
    const rates = r.packets.map((p) => p * perSec);
    const x = scaleLinear()
      .domain([0, (n * r.intervalUs) / 1e6])
      .range([m.left, width - m.right]);
    const y = scaleLinear()
      .domain([0, Math.max(1, ...rates)])
      .nice()
      .range([height - m.bottom, m.top]);
    // Each interval is a step from its start to the next one's.
    const pts: [number, number][] = rates.map((v, k) => [x((k * r.intervalUs) / 1e6), y(v)]);
    pts.push([x((n * r.intervalUs) / 1e6), y(rates[rates.length - 1] ?? 0)]);
    const path = line().curve(curveStepAfter)(pts) ?? '';
    const fill = area().curve(curveStepAfter).y0(y(0))(pts) ?? '';
    return { x, y, rates, path, fill, perSec };
  }, [r, width, height, m.left, m.right, m.top, m.bottom]);

  const bucketAt = (e: MouseEvent<SVGRectElement>) => {
    if (!geo || !r) return -1;
    const box = e.currentTarget.ownerSVGElement!.getBoundingClientRect();
    const t = geo.x.invert(e.clientX - box.left);
    return nearestFilled(r.packets, Math.floor((t * 1e6) / r.intervalUs));
  };

  const hovered = r && hover >= 0 && hover < r.packets.length ? hover : -1;
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
        {r && (
          <span className="stats-note" data-testid="io-summary">
            {countText(r.packets.reduce((a, b) => a + b, 0))} packets in {countText(r.packets.length)}{' '}
            intervals
          </span>
        )}
      </div>
      <div ref={boxRef} className="io-box">
        {!r || !geo ? (
          <p className="stats-empty">{entry.loading ? 'Counting packets per interval…' : ''}</p>
        ) : (
          <svg
            width={width}
            height={height}
            role="img"
            aria-label={`Packets per second, ${IO_INTERVALS.find((i) => i.us === r.intervalUs)?.label ?? ''} intervals`}
            className="io-svg"
          >
            {geo.y.ticks(5).map((t) => (
              <g key={`y${t}`} className="io-tick">
                <line x1={m.left} x2={width - m.right} y1={geo.y(t)} y2={geo.y(t)} />
                <text x={m.left - 0.4 * rem} y={geo.y(t)} dy="0.32em" textAnchor="end">
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
              packets/s
            </text>
            <path className="io-area" d={geo.fill} />
            <path className="io-line" d={geo.path} />
            {hovered >= 0 && (
              <circle
                className="io-point"
                cx={geo.x(((hovered + 0.5) * r.intervalUs) / 1e6)}
                cy={geo.y(geo.rates[hovered])}
                r={0.3 * rem}
              />
            )}
            <rect
              className="io-hit"
              data-testid="io-hit"
              x={m.left}
              y={m.top}
              width={Math.max(0, width - m.left - m.right)}
              height={Math.max(0, height - m.top - m.bottom)}
              onMouseMove={(e) => setHover(bucketAt(e))}
              onMouseLeave={() => setHover(-1)}
              onClick={(e) => {
                const k = bucketAt(e);
                if (k >= 0 && r.first[k]) void store.getState().goToFrame(r.first[k]);
              }}
            />
          </svg>
        )}
      </div>
      <p className="io-readout" aria-live="polite" data-testid="io-readout">
        {r && hovered >= 0
          ? `${secondsLabel((hovered * r.intervalUs) / 1e6, r.intervalUs)}: ${countText(r.packets[hovered])} packets (${countText(Math.round(geo?.rates[hovered] ?? 0))}/s), ${countText(r.bytes[hovered])} bytes — click to go to packet ${r.first[hovered]}`
          : 'Point at the graph to read an interval; click to go to its first packet.'}
      </p>
    </div>
  );
}
