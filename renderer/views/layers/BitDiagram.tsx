// The selected header as an RFC-style bit diagram (the chapter's WebSocket frame figure is the
// model): 32 bits a row, each field a box over its bits with its name and this packet's value,
// the bits themselves along each row, and each row's frame offset as the bytes pane shows it.
// Which header: the one the selected field or layer belongs to, else the innermost header.
// Clicking a field selects it in the tree, which highlights its bytes.
import { useMemo, useRef, type KeyboardEvent } from 'react';
import type { Dissection } from '../../../shared/dissect/types';
import { useAppStore, useAppStoreApi, type FieldRef, type FieldSelection } from '../../state';
import { layoutBits } from './bit-layout';
import { headerBits, type BitCell } from './header-bits';
import { headerRange } from './LayerStack';
import { bytesText, stackModel, type StackLayer } from './stack-model';
import { useBoxWidth, useMeasure, useRem } from './use-measure';
import './layers.css';

/** Headers the diagram can draw: every layer with header bytes, plain data aside. */
export function drawableHeaders(layers: readonly StackLayer[]): StackLayer[] {
  return layers.filter((l) => l.header > 0 && l.proto !== 'data');
}

/** The header to draw for a selection: its layer's, else the innermost one. */
export function headerFor(headers: readonly StackLayer[], field: FieldSelection | null): StackLayer | null {
  if (headers.length === 0) return null;
  return headers.find((l) => l.index === field?.layer) ?? headers[headers.length - 1];
}

const isPrefix = (a: readonly number[], b: readonly number[]) =>
  a.length <= b.length && a.every((x, i) => x === b[i]);

/** The cell shows the selection: it is the selected field, inside it, or holds it. */
function related(cell: FieldRef | null, field: FieldSelection | null): boolean {
  if (!cell || !field || field.layer !== cell.layer || field.path.length === 0) return false;
  return isPrefix(cell.path, field.path) || isPrefix(field.path, cell.path);
}

function bitsText(c: BitCell): string {
  return c.end - c.start === 1 ? `bit ${c.start}` : `bits ${c.start}–${c.end - 1}`;
}

export function BitDiagram() {
  const store = useAppStoreApi();
  const detail = useAppStore((s) => s.detail);
  const field = useAppStore((s) => s.field);
  const [boxRef, width] = useBoxWidth<HTMLDivElement>();
  const rem = useRem();
  const measure = useMeasure();
  const svgRef = useRef<SVGSVGElement>(null);

  const d: Dissection | null = detail?.dissection ?? null;
  const headers = useMemo(() => (d ? drawableHeaders(stackModel(d).layers) : []), [d]);
  const shown = headerFor(headers, field);
  const hb = useMemo(() => {
    if (!detail || !shown) return null;
    const src = shown.source === 0 ? detail.bytes : detail.dissection.sources[shown.source - 1]?.bytes;
    return src ? headerBits(detail.dissection, shown.index, shown.header, src) : null;
  }, [detail, shown]);
  const layout = useMemo(
    () =>
      hb && width > 0
        ? layoutBits(hb, { width, rem, measure, offsetDigits: (detail?.bytes.length ?? 0) > 0xffff ? 8 : 4 })
        : null,
    [hb, width, rem, measure, detail],
  );

  const pickHeader = (l: StackLayer) => {
    const s = store.getState();
    s.selectLayer(l.index);
    const r = headerRange(l);
    if (r) s.highlightBytes(r);
  };
  const pickCell = (c: BitCell) => {
    if (!hb) return;
    if (c.ref) store.getState().selectField(c.ref);
    else {
      const first = c.start >> 3;
      store.getState().highlightBytes({
        source: hb.source,
        offset: hb.offset + first,
        length: ((c.end - 1) >> 3) - first + 1,
      });
    }
  };

  // Roving focus over the cells: ←/→ move, Home/End jump, Enter/Space select.
  const onKey = (e: KeyboardEvent, i: number) => {
    if (!hb) return;
    let to = -1;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') to = Math.min(hb.cells.length - 1, i + 1);
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') to = Math.max(0, i - 1);
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = hb.cells.length - 1;
    else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      pickCell(hb.cells[i]);
      return;
    } else return;
    e.preventDefault();
    svgRef.current?.querySelector<SVGGElement>(`[data-cell="${to}"]`)?.focus();
  };

  const activeCell = hb
    ? Math.max(
        0,
        hb.cells.findIndex((c) => related(c.ref, field)),
      )
    : 0;

  return (
    <section className="bit-diagram" role="region" aria-label="Header bits">
      <header className="pane-title">
        <h2>Header bits</h2>
        {shown && (
          <span className="pane-sub">
            {shown.short} · {bytesText(shown.headerDeclared)}
            {shown.headerDeclared > shown.header ? ` (${bytesText(shown.header)} here)` : ''} ·{' '}
            {shown.header * 8} bits
          </span>
        )}
      </header>
      {headers.length > 1 && (
        <div className="header-picker" role="toolbar" aria-label="Header to draw">
          {headers.map((l) => (
            <button
              key={l.index}
              type="button"
              className={`btn t-${l.tcpip}`}
              aria-pressed={l === shown}
              onClick={() => pickHeader(l)}
            >
              {l.short} {bytesText(l.headerDeclared)}
            </button>
          ))}
        </div>
      )}
      <div className="bit-diagram-body" ref={boxRef}>
        {!hb && d && <p className="pane-empty">This packet has no header to draw.</p>}
        {!d && <p className="pane-empty">Select a packet to see its header bit by bit.</p>}
        {hb && layout && shown && (
          <svg
            ref={svgRef}
            className={`bits-svg t-${shown.tcpip}`}
            width={layout.width}
            height={layout.height}
            role="group"
            aria-label={`${shown.short} header, ${hb.total} bytes, ${layout.bitsPerRow} bits a row`}
            data-proto={hb.proto}
          >
            {layout.ruler.map((r, i) => (
              <text
                key={i}
                x={r.x}
                y={r.y}
                className={`ruler-text${r.major ? ' major' : ''}`}
                dominantBaseline="central"
                style={{ fontSize: layout.digitSize }}
                aria-hidden="true"
              >
                {r.text}
              </text>
            ))}
            {layout.rows.map((r) => (
              <text
                key={r.y}
                x={layout.gutter * 0.1}
                y={r.y + r.h / 2}
                className="row-offset"
                dominantBaseline="central"
                style={{ fontSize: layout.digitSize }}
              >
                {r.offset}
                <title>{`Byte offset ${parseInt(r.offset, 16)} (0x${r.offset}) in the ${hb.source === 0 ? 'frame' : 'reassembled data'}`}</title>
              </text>
            ))}
            {hb.cells.map((c, ci) => {
              const on = related(c.ref, field);
              const t = layout.texts[ci];
              const first = hb.offset + (c.start >> 3);
              const last = hb.offset + ((c.end - 1) >> 3);
              const where = `${bitsText(c)}, ${first === last ? `byte ${first}` : `bytes ${first}–${last}`}`;
              const label = c.gap
                ? `${c.name}: ${where}`
                : `${c.name}${c.value ? `: ${c.value}` : ''} (${where})`;
              return (
                <g
                  key={ci}
                  className={`bit-cell${c.gap ? ' gap' : ''}${on ? ' on' : ''}`}
                  role="button"
                  tabIndex={ci === activeCell ? 0 : -1}
                  aria-pressed={on}
                  aria-label={label}
                  data-cell={ci}
                  data-abbrev={c.abbrev || undefined}
                  data-bits={`${c.start}-${c.end}`}
                  onClick={() => pickCell(c)}
                  onKeyDown={(e) => onKey(e, ci)}
                >
                  <title>{c.abbrev ? `${c.abbrev}\n${label}` : label}</title>
                  {layout.pieces
                    .filter((p) => p.cell === ci)
                    .map((p, k) => (
                      <rect key={k} x={p.x} y={p.y} width={p.w} height={p.h} />
                    ))}
                  {t.name &&
                    (t.vertical ? (
                      <text
                        className="cell-label"
                        dominantBaseline="central"
                        transform={`translate(${t.x} ${(t.nameY + t.valueY) / 2 + 0.1 * rem}) rotate(-90)`}
                        style={{ fontSize: t.size }}
                      >
                        {t.name}
                      </text>
                    ) : (
                      <text
                        className="cell-label"
                        x={t.x}
                        y={t.nameY}
                        dominantBaseline="central"
                        style={{ fontSize: t.size }}
                      >
                        {t.name}
                      </text>
                    ))}
                  {t.value && (
                    <text
                      className="cell-value"
                      x={t.x}
                      y={t.valueY}
                      dominantBaseline="central"
                      style={{ fontSize: t.size }}
                    >
                      {t.value}
                    </text>
                  )}
                  {layout.conts
                    .filter((x) => x.cell === ci)
                    .map((x, k) => (
                      <text
                        key={`c${k}`}
                        className="cell-cont"
                        x={x.x}
                        y={x.y}
                        dominantBaseline="central"
                        style={{ fontSize: x.size }}
                      >
                        {x.text}
                      </text>
                    ))}
                  {layout.digits.slice(c.start, c.end).map((g) => (
                    <text
                      key={g.bit}
                      x={g.x}
                      y={g.y}
                      className={`bit-digit${g.v ? ' one' : ''}`}
                      dominantBaseline="central"
                      style={{ fontSize: layout.digitSize }}
                      aria-hidden="true"
                    >
                      {g.v}
                    </text>
                  ))}
                </g>
              );
            })}
          </svg>
        )}
      </div>
      {hb && (
        <p className="bit-diagram-foot">
          {hb.bytes < hb.total
            ? `The first ${hb.bytes} of ${hb.total} header bytes; the rest are in the bytes pane. `
            : ''}
          {shown && shown.headerDeclared > shown.header
            ? `The header is ${shown.headerDeclared} bytes; only ${shown.header} are in this packet${shown.truncated ? ' (the capture cut it short)' : ''}. `
            : ''}
          Bit 0 is the first bit on the wire (the most significant of the first byte), as in the RFCs. Click a
          field to select it and its bytes.
        </p>
      )}
    </section>
  );
}
