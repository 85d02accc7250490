// The protocol hierarchy drawn as nested layer bands: one row per TCP/IP layer (or OSI layer),
// each protocol a band as wide as its share of the capture's bytes (or packets), under the
// protocol that carried it, coloured as the layer is everywhere else in the app. A band applies
// its protocol as the display filter.
import { scaleLinear } from 'd3-scale';
import { useMemo, useState } from 'react';
import type { PhsShare } from '../../../shared/stats/phs';
import { useAppStoreApi } from '../../state';
import { LAYER_VAR } from '../../theme/layer-colors';
import { useBoxWidth, useRem } from '../layers/use-measure';
import { percentText, phsBands, type BandModel } from './stats-model';

export function PhsBands({ tree }: { tree: readonly PhsShare[] }) {
  const store = useAppStoreApi();
  const [model, setModel] = useState<BandModel>('tcpip');
  const [measure, setMeasure] = useState<'bytes' | 'packets'>('bytes');
  const [boxRef, width] = useBoxWidth<HTMLDivElement>();
  const rem = useRem();
  const { layers, bands } = useMemo(() => phsBands(tree, model, measure), [tree, model, measure]);
  const labelW = (model === 'osi' ? 8.2 : 6.4) * rem;
  const rowH = 2.1 * rem;
  const rows = layers.reduce((a, l) => a + l.rows, 0);
  const height = rows * rowH + 0.2 * rem;
  const x = scaleLinear()
    .domain([0, 1])
    .range([labelW, Math.max(labelW + 1, width - 1.2 * rem)]);
  // Text fits when the band is wider than its characters (about 0.6 em each at 0.8 rem).
  const fits = (text: string, w: number) => text.length * 0.5 * rem < w - 0.5 * rem;

  const toggle = <T extends string>(value: T, set: (v: T) => void, now: T, label: string) => (
    <button
      type="button"
      className={`stats-choice${now === value ? ' active' : ''}`}
      aria-pressed={now === value}
      onClick={() => set(value)}
    >
      {label}
    </button>
  );

  return (
    <div className="phs-bands">
      <div className="io-tools" role="group" aria-label="Layer bands">
        {toggle<BandModel>('tcpip', setModel, model, 'TCP/IP')}
        {toggle<BandModel>('osi', setModel, model, 'OSI')}
        <span className="stats-note">width:</span>
        {toggle<'bytes' | 'packets'>('bytes', setMeasure, measure, 'Bytes')}
        {toggle<'bytes' | 'packets'>('packets', setMeasure, measure, 'Packets')}
      </div>
      <div ref={boxRef} className="io-box">
        {width > 0 && (
          <svg
            width={width}
            height={height}
            className="phs-bands-svg"
            role="group"
            aria-label={`Protocols by ${model === 'osi' ? 'OSI' : 'TCP/IP'} layer, width by ${measure}`}
          >
            {layers.map((l) => (
              <g key={l.label} className="phs-layer">
                <rect
                  x={0}
                  y={l.row * rowH + 1}
                  width={width}
                  height={l.rows * rowH - 2}
                  className="phs-layer-bg"
                />
                <text x={0.4 * rem} y={(l.row + l.rows / 2) * rowH} dy="0.32em" className="phs-layer-label">
                  {l.label}
                </text>
              </g>
            ))}
            {bands.map((b) => {
              const color = LAYER_VAR[layers.find((l) => b.row >= l.row && b.row < l.row + l.rows)!.color];
              const x0 = x(b.x);
              const w = Math.max(1, x(b.x + b.width) - x0);
              const full = `${b.proto} ${percentText(b.share)}`;
              const text = fits(full, w) ? full : fits(b.proto, w) ? b.proto : '';
              return (
                <g
                  key={b.path}
                  className="phs-band"
                  data-path={b.path}
                  role="button"
                  tabIndex={0}
                  aria-label={`${b.proto}: ${percentText(b.share)} of ${measure} — apply as filter`}
                  onClick={() => store.getState().applyFilter(b.proto)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') store.getState().applyFilter(b.proto);
                  }}
                >
                  <title>{`${b.path.split('/').join(' › ')}: ${percentText(b.share)} of ${measure} — click to filter`}</title>
                  <rect
                    x={x0}
                    y={b.row * rowH + 0.15 * rem}
                    width={w}
                    height={rowH - 0.3 * rem}
                    style={{ fill: color }}
                    className="phs-band-rect"
                  />
                  {text && (
                    <text x={x0 + 0.3 * rem} y={(b.row + 0.5) * rowH} dy="0.32em" className="phs-band-label">
                      {text}
                    </text>
                  )}
                </g>
              );
            })}
          </svg>
        )}
      </div>
    </div>
  );
}
