// The layer stack: the selected packet as nested envelopes beside the OSI and TCP/IP models, with
// bands where one maps onto the other. Each envelope shows its protocol, its real header size and
// its PDU name; rows no protocol fills are drawn and labelled rather than dropped. Clicking an
// envelope selects its layer in the tree and its bytes; clicking its header chip selects just the
// header's bytes. React draws everything from the pure layout (stack-layout.ts); nothing here
// animates, so d3 owns no part of it.
import { useId, useMemo, type KeyboardEvent } from 'react';
import { useAppStore, useAppStoreApi, type ByteRange } from '../../state';
import { layoutStack, type EnvelopeShape, type TextLine } from './stack-layout';
import { bytesText, OSI_NAME, stackModel, type StackLayer } from './stack-model';
import { useBoxWidth, useMeasure, useRem } from './use-measure';
import './layers.css';

/** The header bytes of a layer, as the hex view highlights them. */
export function headerRange(l: StackLayer): ByteRange | null {
  return l.header > 0 ? { source: l.source, offset: l.offset, length: l.header } : null;
}

function Line({ t, className }: { t: TextLine; className?: string }) {
  if (!t.text) return null;
  return (
    <text
      x={t.x}
      y={t.y}
      className={className}
      dominantBaseline="central"
      style={{ fontSize: t.size, fontWeight: t.bold ? 700 : 400 }}
    >
      {t.text}
      {t.text !== t.full && <title>{t.full}</title>}
    </text>
  );
}

function envelopeLabel(l: StackLayer): string {
  const head =
    l.proto === 'data'
      ? `${l.length} bytes of data`
      : l.headerDeclared > l.header
        ? `${l.headerDeclared}-byte header, only ${l.header} bytes of it in the packet`
        : `${l.header}-byte header`;
  const parts = [`${l.title}, ${l.length} bytes: ${head}`];
  if (l.payload > 0 && l.proto !== 'data') parts.push(`carries ${l.payload} bytes`);
  if (l.trailer > 0) parts.push(`${l.trailer}-byte trailer`);
  parts.push(`OSI layer ${l.osi}, TCP/IP ${l.tcpip}`);
  if (l.noteLong) parts.push(l.noteLong);
  return parts.join('; ');
}

export function LayerStack() {
  const store = useAppStoreApi();
  const detail = useAppStore((s) => s.detail);
  const loading = useAppStore((s) => s.detailLoading);
  const frame = useAppStore((s) => s.frame);
  const field = useAppStore((s) => s.field);
  const bytes = useAppStore((s) => s.bytes);
  const [boxRef, width] = useBoxWidth<HTMLDivElement>();
  const rem = useRem();
  const measure = useMeasure();
  const hatch = `hatch-${useId().replace(/:/g, '')}`;

  const model = useMemo(() => (detail ? stackModel(detail.dissection) : null), [detail]);
  const layout = useMemo(
    () => (model && width > 0 ? layoutStack(model, { width, rem, measure }) : null),
    [model, width, rem, measure],
  );

  const selectedLayer = field?.layer ?? null;
  const headerSelected = (l: StackLayer) =>
    !!bytes &&
    bytes.source === l.source &&
    bytes.offset >= l.offset &&
    bytes.offset + bytes.length <= l.offset + l.header &&
    l.header > 0;

  const trailerSelected = (l: StackLayer) =>
    !!bytes &&
    l.trailer > 0 &&
    bytes.source === l.source &&
    bytes.offset >= l.offset + l.length - l.trailer &&
    bytes.offset + bytes.length <= l.offset + l.length;

  const pickLayer = (l: StackLayer) => store.getState().selectLayer(l.index);
  const pickHeader = (l: StackLayer) => {
    const s = store.getState();
    s.selectLayer(l.index);
    const r = headerRange(l);
    if (r) s.highlightBytes(r);
  };
  const pickTrailer = (l: StackLayer) => {
    store.getState().selectByte(l.source, l.offset + l.length - l.trailer);
  };
  const onKey = (e: KeyboardEvent, l: StackLayer) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      pickHeader(l);
    }
  };

  const envelope = (e: EnvelopeShape) => {
    const l = e.layer;
    const sel = selectedLayer === l.index;
    return (
      <g
        key={l.index}
        className={`env t-${l.tcpip}${sel ? ' selected' : ''}${l.malformed ? ' malformed' : ''}${l.rebuilt ? ' rebuilt' : ''}`}
        role="button"
        tabIndex={0}
        aria-pressed={sel}
        aria-label={envelopeLabel(l)}
        data-proto={l.proto}
        data-layer={l.index}
        onKeyDown={(ev) => onKey(ev, l)}
      >
        <rect
          className="env-box"
          x={e.box.x}
          y={e.box.y}
          width={e.box.w}
          height={e.box.h}
          rx={4}
          onClick={() => pickLayer(l)}
        >
          <title>{[l.name, l.detail, l.noteLong].filter(Boolean).join('\n')}</title>
        </rect>
        <rect
          className="env-strip"
          x={e.strip.x}
          y={e.strip.y}
          width={e.strip.w}
          height={e.strip.h}
          rx={4}
          onClick={() => pickLayer(l)}
        />
        <g
          className={`env-chip${headerSelected(l) ? ' on' : ''}`}
          data-part="header"
          onClick={(ev) => {
            ev.stopPropagation();
            pickHeader(l);
          }}
        >
          <rect x={e.chip.x} y={e.chip.y} width={e.chip.w} height={e.chip.h} rx={3} />
          <Line t={e.chipLines[0]} className="chip-name" />
          <Line t={e.chipLines[1]} className="chip-size" />
          <title>
            {l.proto === 'data'
              ? `${bytesText(l.length)} of data`
              : `${l.short} header: ${bytesText(l.header)} — click to select these bytes`}
          </title>
        </g>
        {e.trailer && (
          <g
            className={`env-trailer${trailerSelected(l) ? ' on' : ''}`}
            data-part="trailer"
            onClick={(ev) => {
              ev.stopPropagation();
              pickTrailer(l);
            }}
          >
            <rect
              x={e.trailer.box.x}
              y={e.trailer.box.y}
              width={e.trailer.box.w}
              height={e.trailer.box.h}
              rx={3}
            />
            <Line t={e.trailer.lines[0]} className="chip-name" />
            <Line t={e.trailer.lines[1]} className="chip-size" />
            <title>{`${l.short} trailer: ${bytesText(l.trailer)} after what it carries (padding up to the minimum frame size, or a trailer) — click to select it`}</title>
          </g>
        )}
        <g className="env-caption" onClick={() => pickLayer(l)}>
          <Line t={e.caption[0]} className="cap-pdu" />
          <Line t={e.caption[1]} className={l.note ? 'cap-note' : 'cap-detail'} />
        </g>
      </g>
    );
  };

  return (
    <section className="layer-stack" role="region" aria-label="Layers">
      <header className="pane-title">
        <h2>Layers</h2>
        <span className="pane-sub">OSI and TCP/IP, side by side</span>
      </header>
      <div className="layer-stack-body" ref={boxRef}>
        {!model && (
          <p className="pane-empty">
            {loading
              ? 'Dissecting…'
              : frame === null
                ? 'Select a packet to see its layers as envelopes.'
                : ''}
          </p>
        )}
        {model && layout && (
          <svg
            className="stack-svg"
            width={layout.width}
            height={layout.height}
            role="group"
            aria-label={`Frame ${model.frame}: ${model.layers.map((l) => l.short).join(' in ')}`}
          >
            <defs>
              <pattern
                id={hatch}
                width={6}
                height={6}
                patternUnits="userSpaceOnUse"
                patternTransform="rotate(45)"
              >
                <line x1={0} y1={0} x2={0} y2={6} className="hatch-line" />
              </pattern>
            </defs>
            <Line t={layout.titles.osi} className="col-title" />
            <Line t={layout.titles.tcpip} className="col-title" />
            <Line t={layout.titles.packet} className="col-title" />

            {layout.bands.map((b, i) => (
              <polygon
                key={i}
                className={`band t-${b.tcpip}`}
                points={b.points.map((p) => p.join(',')).join(' ')}
              />
            ))}
            {layout.osi.map((c) => {
              // The cell picks the outermost layer on its rows (IPv4 rather than the ICMP it carries).
              const inRun = model.rows
                .slice(c.first, c.last + 1)
                .flatMap((r) => (r.kind === 'layer' ? [r.layer] : []));
              const target = inRun.length ? inRun[inRun.length - 1] : null;
              return (
                <g
                  key={`osi-${c.y}`}
                  className={`osi-cell t-${c.tcpip}${c.empty ? ' empty' : ''}${target && target.index === selectedLayer ? ' selected' : ''}`}
                  data-osi={c.osi}
                  onClick={target ? () => pickLayer(target) : undefined}
                >
                  <rect
                    x={c.x}
                    y={c.y}
                    width={c.w}
                    height={c.h}
                    rx={3}
                    fill={c.empty ? `url(#${hatch})` : undefined}
                  />
                  <Line t={c.num} className="cell-num" />
                  <Line t={c.name} className="cell-name" />
                  <title>{`OSI layer ${c.osi}: ${OSI_NAME[c.osi]}${target ? ` — ${inRun.map((l) => l.short).join(', ')}` : ' — nothing in this packet'}`}</title>
                </g>
              );
            })}
            {layout.tcpip.map((c) => (
              <g
                key={`tcp-${c.y}`}
                className={`tcpip-cell t-${c.tcpip}${c.empty ? ' empty' : ''}`}
                data-tcpip={c.tcpip}
              >
                <rect x={c.x} y={c.y} width={c.w} height={c.h} rx={3} />
                <Line t={c.name} className="cell-name" />
              </g>
            ))}

            {layout.envelopes.map(envelope)}

            {layout.empties.map((x) => (
              <g
                key={`empty-${x.row}`}
                className={`empty-row ${x.reason}`}
                data-osi={x.osi}
                data-reason={x.reason}
              >
                <rect
                  x={x.box.x}
                  y={x.box.y}
                  width={x.box.w}
                  height={x.box.h}
                  rx={3}
                  fill={`url(#${hatch})`}
                />
                <Line t={x.line} className="empty-text" />
              </g>
            ))}
          </svg>
        )}
      </div>
      {model && (
        <p className="layer-stack-foot">
          {bytesText(model.wireBytes)} on the wire
          {model.capturedBytes < model.wireBytes ? `, ${bytesText(model.capturedBytes)} captured` : ''} ·
          sizes in bytes, widths not to scale · click a header to select its bytes
        </p>
      )}
    </section>
  );
}
