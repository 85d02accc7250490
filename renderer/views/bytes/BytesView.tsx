// Packet bytes: hex and ASCII, 16 bytes a line, one tab per data source (the frame, then the
// reassembled, decrypted or decompressed data of Dissection.sources, as Wireshark's byte tabs).
// The selected field's bytes are highlighted; clicking a byte selects the field it belongs to.
// Bytes are tinted by TCP/IP layer. Long frames (64 KiB loopback segments) are drawn by window.
import { useLayoutEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { useAppStore, useAppStoreApi } from '../../state';
import { LAYER_NAME, LAYER_VAR } from '../../theme/layer-colors';
import { BASE_FONT_PX } from '../../theme/apply';
import {
  asciiChar,
  bitMask,
  BYTES_PER_LINE,
  CODE_LAYER,
  hex2,
  layerMap,
  layersIn,
  offsetText,
} from './hex-lines';
import './bytes.css';

const OVERSCAN = 6;
/** Width of one hex line in em of the monospace font (offset, 16 bytes, ASCII, gaps). */
const LINE_EMS = 40;

export function BytesView() {
  const store = useAppStoreApi();
  const detail = useAppStore((s) => s.detail);
  const range = useAppStore((s) => s.bytes);
  const field = useAppStore((s) => s.field);
  const tab = useAppStore((s) => s.byteTab);
  const zoom = useAppStore((s) => s.zoom);
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(300);
  const [width, setWidth] = useState(600);
  const [hover, setHover] = useState<number | null>(null);

  const d = detail?.dissection ?? null;
  const sources = useMemo(() => {
    if (!detail) return [];
    return [{ name: 'Frame', bytes: detail.bytes }, ...detail.dissection.sources];
  }, [detail]);
  const shown = Math.min(tab, Math.max(0, sources.length - 1));
  const data = sources[shown]?.bytes ?? new Uint8Array(0);
  const map = useMemo(() => (d ? layerMap(d, shown, data.length) : new Uint8Array(0)), [d, shown, data]);
  const legend = useMemo(() => layersIn(map), [map]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => {
      setViewport(el.clientHeight);
      setWidth(el.clientWidth);
    };
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    measure();
    return () => ro.disconnect();
  }, [detail]);

  // A hex line is about LINE_EMS wide: the text shrinks (to 70 % at most) to fit the pane before
  // the pane scrolls sideways, so all 16 columns and the ASCII stay in view on a laptop.
  const full = BASE_FONT_PX * zoom * 0.95;
  const fontPx = Math.max(full * 0.7, Math.min(full, (width - 16) / LINE_EMS));
  const lineH = Math.round(fontPx * 1.55);
  const lines = Math.ceil(data.length / BYTES_PER_LINE);
  const first = Math.max(0, Math.floor(scrollTop / lineH) - OVERSCAN);
  const last = Math.min(lines, Math.ceil((scrollTop + viewport) / lineH) + OVERSCAN);

  const hl = range && range.source === shown ? range : null;
  // A bit field covers only some bits of its bytes: say which, as Wireshark's tree does (`..1.`).
  const maskText =
    field && hl && field.mask && field.offset === hl.offset && field.length === hl.length
      ? bitMask(field.mask, field.length)
      : '';
  const inHl = (i: number) => !!hl && i >= hl.offset && i < hl.offset + hl.length;

  // Bring the highlighted bytes into view when a field is chosen elsewhere.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || !hl) return;
    const top = Math.floor(hl.offset / BYTES_PER_LINE) * lineH;
    if (top < el.scrollTop || top + lineH > el.scrollTop + el.clientHeight)
      el.scrollTop = Math.max(0, top - lineH);
  }, [hl?.offset, hl?.source, lineH]);

  const byteOf = (e: MouseEvent): number | null => {
    const t = (e.target as HTMLElement).closest('[data-o]');
    return t ? Number((t as HTMLElement).dataset.o) : null;
  };

  const onClick = (e: MouseEvent) => {
    const o = byteOf(e);
    if (o !== null) store.getState().selectByte(shown, o);
  };

  const drawn: React.ReactNode[] = [];
  for (let line = first; line < last; line++) {
    const start = line * BYTES_PER_LINE;
    const end = Math.min(data.length, start + BYTES_PER_LINE);
    const hexCells: React.ReactNode[] = [];
    const asciiCells: React.ReactNode[] = [];
    for (let i = start; i < end; i++) {
      const code = map[i];
      const cls = `b${inHl(i) ? ' hl' : ''}${hover === i ? ' hover' : ''}${code ? ` l${code}` : ''}`;
      hexCells.push(
        <span key={i} data-o={i} className={cls + (i - start === 7 ? ' gap' : '')}>
          {hex2(data[i])}
        </span>,
      );
      asciiCells.push(
        <span key={i} data-o={i} className={cls}>
          {asciiChar(data[i])}
        </span>,
      );
    }
    drawn.push(
      <div key={line} className="hex-line" style={{ top: line * lineH, height: lineH }}>
        <span className="off">{offsetText(start, data.length)}</span>
        <span className="hex">{hexCells}</span>
        <span className="ascii">{asciiCells}</span>
      </div>,
    );
  }

  return (
    <section className="bytes" role="region" aria-label="Packet bytes">
      <header className="pane-title">
        <h2>Packet bytes</h2>
        {sources.length > 0 && (
          <div role="tablist" aria-label="Data sources" className="byte-tabs">
            {sources.map((s, i) => (
              <button
                key={i}
                type="button"
                role="tab"
                aria-selected={i === shown}
                className={`tab${i === shown ? ' active' : ''}`}
                onClick={() => store.getState().showByteTab(i)}
              >
                {i === 0 ? `Frame (${s.bytes.length} bytes)` : `${s.name} (${s.bytes.length} bytes)`}
              </button>
            ))}
          </div>
        )}
      </header>
      {!detail && <p className="pane-empty">The selected packet's bytes appear here.</p>}
      {detail && (
        <>
          {legend.length > 0 && (
            <div className="layer-legend" aria-label="Byte colours by TCP/IP layer">
              {legend.map((l) => (
                <span key={l} className="swatch-item">
                  <span className="swatch" style={{ background: LAYER_VAR[l] }} aria-hidden="true" />
                  {LAYER_NAME[l]}
                </span>
              ))}
              {hl && (
                <span className="swatch-item">
                  <span className="swatch hl" aria-hidden="true" />
                  Selected:{' '}
                  {hl.length === 1 ? `byte ${hl.offset}` : `bytes ${hl.offset}–${hl.offset + hl.length - 1}`}
                  {maskText && <span className="mask"> · bits {maskText}</span>}
                </span>
              )}
            </div>
          )}
          <div
            ref={scroller}
            className="hex-scroll"
            style={{ fontSize: fontPx }}
            role="tabpanel"
            aria-label={shown === 0 ? 'Frame bytes' : sources[shown]?.name}
            onScroll={(e) => setScrollTop((e.target as HTMLDivElement).scrollTop)}
            onClick={onClick}
            onMouseOver={(e) => setHover(byteOf(e))}
            onMouseLeave={() => setHover(null)}
          >
            <div className="hex-spacer" style={{ height: lines * lineH }}>
              {drawn}
            </div>
          </div>
          <footer className="bytes-status">
            {hover !== null && hover < data.length ? (
              <>
                Byte {hover} (0x{offsetText(hover, data.length)}): 0x{hex2(data[hover])} = {data[hover]}
                {map[hover] ? ` · ${LAYER_NAME[CODE_LAYER[map[hover]]!]} layer` : ''}
              </>
            ) : (
              <span className="muted">Click a byte to select its field.</span>
            )}
          </footer>
        </>
      )}
    </section>
  );
}
