// The sequence diagram of chosen conversations: lifelines per socket or host named by role,
// arrows per message (transport segments, what the protocols said, or both), notes where the
// chapter puts them, idle gaps compressed and marked; playback with a packet travelling along the
// current arrow and a caption saying what it means; export as SVG, PNG and Mermaid; projection
// mode for a classroom. Layout is shared/diagram (pure, tested without a DOM); React draws the
// static parts from it, only the rows in view; d3 moves the packet dot each clock tick.
import {
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type PointerEvent as ReactPointerEvent,
} from 'react';
import { select } from 'd3-selection';
import { scaleLinear } from 'd3-scale';
import { COLOR_STYLES } from '../../../shared/contract/coloring';
import {
  arrowLabel,
  arrowMarks,
  caption,
  columnX,
  diagramScene,
  geometry,
  isRetransmission,
  layoutDiagram,
  messageColorRule,
  moveLifeline,
  allLifelines,
  rowOfFrame,
  rowsInView,
  sceneSvg,
  textWidth,
  toMermaid,
  gapText,
  type Diagram,
  type DiagramLevel,
  type Geometry,
  type LifelineMode,
  type SceneTheme,
} from '../../../shared/diagram';
import type { Message } from '../../../shared/messages/messages';
import { useAppStore, useAppStoreApi, type AppStore } from '../../state';
import { SPEEDS } from '../../state/sequence-slice';
import { streamOfDissection } from '../conversations/conversation-rows';
import { Encapsulation } from './Encapsulation';
import { wireProgress } from './encapsulation';
import { download, downloadText, scenePng } from './export';
import './sequence.css';

const LEVELS: { id: DiagramLevel; title: string; hint: string }[] = [
  { id: 'application', title: 'Application', hint: 'What the protocols said (HTTP, DNS, TLS, WebSocket…)' },
  { id: 'transport', title: 'Transport', hint: 'Every TCP segment and UDP datagram' },
  { id: 'both', title: 'Both', hint: 'Segments, with each application message grouped with its segments' },
];

/** Rows drawn beyond the visible ones, above and below (smooth scrolling). */
const OVERSCAN = 600;

function cssVar(el: Element, name: string, fallback: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
}

function themeOf(el: Element): SceneTheme {
  return {
    background: cssVar(el, '--bg-panel', '#ffffff'),
    foreground: cssVar(el, '--fg', '#1b1f24'),
    muted: cssVar(el, '--muted', '#5b6570'),
    noteFill: cssVar(el, '--warn-bg', '#fff6cc'),
    noteText: cssVar(el, '--warn-fg', '#1b1f24'),
    accent: cssVar(el, '--accent', '#0b63ce'),
    font: cssVar(document.documentElement, '--font-ui', 'sans-serif'),
  };
}

function useSize(ref: React.RefObject<HTMLElement | null>) {
  const [size, setSize] = useState({ width: 600, height: 400, rem: 15 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const read = () =>
      setSize({
        width: el.clientWidth,
        height: el.clientHeight,
        rem: parseFloat(getComputedStyle(document.documentElement).fontSize) || 15,
      });
    const ro = new ResizeObserver(read);
    ro.observe(el);
    read();
    return () => ro.disconnect();
  }, [ref]);
  return size;
}

function fileBase(name: string | undefined, streams: string[]): string {
  const base = (name ?? 'capture').replace(/\.(pcapng|pcap|cap)$/i, '');
  return `${base}-${streams.join('-').replace(/:/g, '')}`.replace(/[^\w.-]+/g, '_');
}

export function SequenceView() {
  const store = useAppStoreApi();
  const projection = useAppStore((s) => s.projection);
  const blanked = useAppStore((s) => s.blanked);
  // F5 projects the diagram (as a slide show starts) while this tab is shown.
  useEffect(() => {
    if (projection) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'F5' || !store.getState().playCount) return;
      e.preventDefault();
      store.getState().setProjection(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, projection]);
  // Clicker keys while projecting (here, not in the pane: B unmounts the pane).
  useEffect(() => {
    if (!projection) return;
    const onKey = (e: KeyboardEvent) => {
      const s = store.getState();
      const k = e.key;
      if (k === 'Escape') s.setProjection(false);
      else if (k === 'b' || k === 'B' || k === '.') s.setBlanked(!s.blanked);
      else if (k === 'PageDown' || k === ' ' || k === 'ArrowRight' || k === 'ArrowDown') s.stepForward();
      else if (k === 'PageUp' || k === 'ArrowLeft' || k === 'ArrowUp') s.stepBack();
      else if (k === 'Home') s.stepFirst();
      else if (k === 'End') s.stepLast();
      else if (k === '+' || k === '=') s.faster();
      else if (k === '-') s.slower();
      else if (k === 'p' || k === 'P' || k === 'Enter') s.togglePlay();
      else return;
      e.preventDefault();
      e.stopPropagation();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [store, projection]);
  const view = <SequencePane store={store} projection={projection} />;
  if (!projection) return view;
  return (
    <div className="seq-projection" role="dialog" aria-modal="true" aria-label="Projection">
      {blanked ? <div className="seq-blank" role="img" aria-label="Screen blanked (B to show)" /> : view}
    </div>
  );
}

function SequencePane({ store, projection }: { store: AppStore; projection: boolean }) {
  const capture = useAppStore((s) => s.capture);
  const messages = useAppStore((s) => s.seqMessages);
  const streams = useAppStore((s) => s.seqStreams);
  const seqCapture = useAppStore((s) => s.seqCapture);
  const loading = useAppStore((s) => s.seqLoading);
  const error = useAppStore((s) => s.seqError);
  const level = useAppStore((s) => s.seqLevel);
  const spacing = useAppStore((s) => s.seqSpacing);
  const mode = useAppStore((s) => s.seqMode);
  const hidden = useAppStore((s) => s.seqHidden);
  const names = useAppStore((s) => s.seqNames);
  const order = useAppStore((s) => s.seqOrder);
  const zoom = useAppStore((s) => s.seqZoom);
  const detail = useAppStore((s) => s.detail);
  const step = useAppStore((s) => Math.floor(s.playPosition));
  const count = useAppStore((s) => s.playCount);
  const selected = useAppStore((s) => s.frame);

  const body = useRef<HTMLDivElement>(null);
  const size = useSize(body);
  const encBox = useRef<HTMLDivElement>(null);
  const encSize = useSize(encBox);
  const [layersShown, setLayersShown] = useState(false);
  const showEncap = projection || layersShown;
  const [scroll, setScroll] = useState({ top: 0, height: 400 });
  const captureId = capture?.info.id ?? null;

  // A new capture: the diagram starts over, on the conversation in view (list filter or packet).
  const packetStream = detail ? streamOfDissection(detail.dissection) : null;
  const own = packetStream ? `${packetStream.kind}:${packetStream.stream}` : null;
  useEffect(() => {
    const s = store.getState();
    if (!captureId) return;
    if (s.seqCapture !== captureId) {
      const c = s.view.conversation;
      const first = c ? `${c.kind}:${c.stream}` : own;
      if (first) void s.diagramStreams([first]);
      else s.resetSequence();
    }
  }, [store, captureId, own]);

  const fs = projection ? Math.max(size.rem * 1.6, window.innerHeight / 42) : size.rem * 1.05;
  const rowHeight = fs * 3 * zoom;
  const all = messages ?? [];
  const diagram: Diagram = useMemo(
    () =>
      layoutDiagram(all, {
        level,
        spacing,
        mode,
        hidden,
        names,
        order,
        rowHeight,
        noteHeight: fs * 2.6,
        gapHeight: fs * 2.4,
        top: fs * 1.2,
      }),
    [all, level, spacing, mode, hidden, names, order, rowHeight, fs],
  );
  const geo = useMemo(
    () => geometry(diagram, { fontSize: fs, width: size.width - 2, fit: true }),
    [diagram, fs, size.width],
  );

  useEffect(() => {
    const s = store.getState();
    s.setPlayCount(diagram.rows.length);
    s.registerStepFrame((n) => diagram.rows[n]?.message.frame ?? null);
    return () => store.getState().registerStepFrame(null);
  }, [store, diagram]);

  // Keep the current step (playing) or the selected packet's message in view.
  const selectedRow = selected !== null ? rowOfFrame(diagram.rows, selected) : -1;
  const reveal = (row: number) => {
    const el = body.current;
    const r = diagram.rows[row];
    if (!el || !r) return;
    const y = geo.headHeight + r.y;
    if (y < el.scrollTop + geo.headHeight + rowHeight || y > el.scrollTop + el.clientHeight - rowHeight)
      el.scrollTop = Math.max(0, y - el.clientHeight / 2);
  };
  useEffect(() => reveal(step), [step]);
  useEffect(() => {
    if (selectedRow >= 0) reveal(selectedRow);
  }, [selectedRow]);

  const onScroll = () => {
    const el = body.current;
    if (el) setScroll({ top: el.scrollTop, height: el.clientHeight });
  };
  useLayoutEffect(onScroll, [size.height]);

  const exportScene = () => {
    const el = body.current ?? document.documentElement;
    const title = `${capture?.info.name ?? ''} \u2014 ${streams.join(', ')}`;
    return diagramScene(diagram, { theme: themeOf(el), fontSize: Math.max(16, fs), title });
  };
  const base = fileBase(capture?.info.name, streams);
  const exportSvg = () => downloadText(`${base}.svg`, sceneSvg(exportScene()), 'image/svg+xml');
  const exportMermaid = () => downloadText(`${base}.mmd`, toMermaid(diagram), 'text/plain');
  const exportPng = async () => {
    const pages = await scenePng(exportScene(), 1);
    pages.forEach((p, i) => download(pages.length > 1 ? `${base}-${i + 1}.png` : `${base}.png`, p));
  };

  const current = diagram.rows[step]?.message ?? null;
  const empty = !streams.length;

  return (
    <section className={`seq${projection ? ' projecting' : ''}`} aria-label="Sequence diagram">
      {!projection && (
        <div className="pane-title seq-bar">
          <ConversationPicker store={store} streams={streams} own={own} />
          <div className="seq-seg" role="group" aria-label="Level">
            {LEVELS.map((l) => (
              <button
                key={l.id}
                type="button"
                title={l.hint}
                aria-pressed={level === l.id}
                onClick={() => store.getState().setDiagramLevel(l.id)}
              >
                {l.title}
              </button>
            ))}
          </div>
          <div className="seq-seg" role="group" aria-label="Spacing">
            <button
              type="button"
              aria-pressed={spacing === 'time'}
              title="Rows follow time; long pauses are compressed and marked"
              onClick={() => store.getState().setDiagramSpacing('time')}
            >
              Time
            </button>
            <button
              type="button"
              aria-pressed={spacing === 'even'}
              title="Every message one row apart"
              onClick={() => store.getState().setDiagramSpacing('even')}
            >
              Even
            </button>
          </div>
          <label className="seq-field">
            Lifelines
            <select
              value={mode}
              onChange={(e) => store.getState().setLifelineMode(e.target.value as LifelineMode)}
            >
              <option value="socket">per socket</option>
              <option value="host">per host</option>
              <option value="stream">per stream (HTTP/2, gRPC, QUIC)</option>
            </select>
          </label>
          <div className="seq-seg" role="group" aria-label="Zoom">
            <button
              type="button"
              title="Rows closer"
              onClick={() => store.getState().setDiagramZoom(zoom / 1.25)}
            >
              −
            </button>
            <button
              type="button"
              title="Rows further apart"
              onClick={() => store.getState().setDiagramZoom(zoom * 1.25)}
            >
              +
            </button>
          </div>
          {hidden.length > 0 && (
            <button type="button" className="seq-btn" onClick={() => store.getState().showAllLifelines()}>
              Show {hidden.length} hidden
            </button>
          )}
          <button
            type="button"
            className="seq-btn"
            aria-pressed={layersShown}
            title="The current packet going down the sender's stack, across the wire and up the receiver's"
            onClick={() => setLayersShown(!layersShown)}
          >
            Layers
          </button>
          <ExportMenu
            disabled={!diagram.rows.length}
            onSvg={exportSvg}
            onPng={() => void exportPng()}
            onMermaid={exportMermaid}
          />
          <button
            type="button"
            className="seq-btn"
            title="Projection (F5): full screen, large type; Esc leaves"
            disabled={!diagram.rows.length}
            onClick={() => store.getState().setProjection(true)}
          >
            Project
          </button>
        </div>
      )}
      {projection && <div className="seq-proj-title">{streams.join(' · ')}</div>}
      {error && (
        <p className="seq-msg error" role="alert">
          {error}
        </p>
      )}
      {empty && !loading && (
        <p className="seq-msg">
          Choose conversations to draw{own ? ', or diagram the selected packet\u2019s' : ''}.
          {own && (
            <button
              type="button"
              className="seq-btn"
              onClick={() => void store.getState().diagramStreams([own])}
            >
              Diagram {own}
            </button>
          )}
        </p>
      )}
      {loading && <p className="seq-msg">Reading the conversations…</p>}
      <div className={`seq-main${showEncap ? ' with-encap' : ''}`}>
        <div
          ref={body}
          className="seq-body"
          onScroll={onScroll}
          tabIndex={0}
          aria-label="Diagram"
          onWheel={(e) => {
            if (!e.ctrlKey) return;
            e.preventDefault();
            const s = store.getState();
            s.setDiagramZoom(s.seqZoom * (e.deltaY < 0 ? 1.15 : 1 / 1.15));
          }}
          onKeyDown={(e) => {
            if (projection) return;
            const s = store.getState();
            if (e.key === 'F5') s.setProjection(true);
            else if (e.key === ' ') s.togglePlay();
            else if (e.key === 'ArrowRight') s.stepForward();
            else if (e.key === 'ArrowLeft') s.stepBack();
            else return;
            e.preventDefault();
          }}
        >
          {seqCapture === captureId && diagram.lifelines.length > 0 && (
            <Drawing
              store={store}
              diagram={diagram}
              geo={geo}
              fs={fs}
              scroll={scroll}
              step={step}
              selectedRow={selectedRow}
              wire={showEncap}
            />
          )}
        </div>
        {showEncap && (
          <div ref={encBox} className="seq-encap" aria-label="Encapsulation">
            <Encapsulation
              message={current}
              width={encSize.width}
              height={encSize.height}
              fs={projection ? fs * 0.9 : size.rem * 0.95}
            />
          </div>
        )}
      </div>
      <Playback store={store} count={count} step={step} />
      <p className="seq-caption" aria-live="polite" data-testid="seq-caption">
        {current ? (
          <>
            <span className="seq-caption-step">
              {step + 1}/{count}
            </span>{' '}
            {caption(current)}
          </>
        ) : (
          '\u00a0'
        )}
      </p>
    </section>
  );
}

function ConversationPicker({
  store,
  streams,
  own,
}: {
  store: AppStore;
  streams: string[];
  own: string | null;
}) {
  const [open, setOpen] = useState(false);
  const list = useAppStore((s) => s.conversations);
  useEffect(() => {
    const s = store.getState();
    if (open && !s.conversations && !s.conversationsLoading) void s.loadConversations();
  }, [open, store]);
  return (
    <div className="seq-picker">
      <button
        type="button"
        className="seq-btn"
        aria-expanded={open}
        aria-haspopup="true"
        onClick={() => setOpen(!open)}
        aria-label={`Choose conversations (${streams.length ? streams.join(', ') : 'none'})`}
        title="Conversations in the diagram"
      >
        {streams.length ? streams.join(', ') : 'Conversations'} ▾
      </button>
      {own && !streams.includes(own) && (
        <button
          type="button"
          className="seq-btn"
          title="Add the selected packet's conversation"
          onClick={() => void store.getState().toggleDiagramStream(own)}
        >
          + {own}
        </button>
      )}
      {open && (
        <div className="seq-menu" role="group" aria-label="Conversations to draw">
          {!list && <p>Loading…</p>}
          {list?.conversations.map((c) => {
            const id = `${c.kind}:${c.stream}`;
            return (
              <label key={id}>
                <input
                  type="checkbox"
                  checked={streams.includes(id)}
                  onChange={() => void store.getState().toggleDiagramStream(id)}
                />
                <b>{id}</b> {c.addressA}:{c.portA} ↔ {c.addressB}:{c.portB} · {c.packets} packets
              </label>
            );
          })}
          <button type="button" className="seq-btn" onClick={() => setOpen(false)}>
            Done
          </button>
        </div>
      )}
    </div>
  );
}

function ExportMenu(p: { disabled: boolean; onSvg(): void; onPng(): void; onMermaid(): void }) {
  const [open, setOpen] = useState(false);
  const pick = (f: () => void) => () => {
    setOpen(false);
    f();
  };
  return (
    <div className="seq-picker">
      <button
        type="button"
        className="seq-btn"
        aria-expanded={open}
        aria-haspopup="menu"
        disabled={p.disabled}
        onClick={() => setOpen(!open)}
      >
        Export ▾
      </button>
      {open && (
        <div className="seq-menu" role="menu" aria-label="Export">
          <button type="button" role="menuitem" onClick={pick(p.onSvg)}>
            SVG (whole diagram)
          </button>
          <button type="button" role="menuitem" onClick={pick(p.onPng)}>
            PNG
          </button>
          <button type="button" role="menuitem" onClick={pick(p.onMermaid)}>
            Mermaid text
          </button>
        </div>
      )}
    </div>
  );
}

function Playback({ store, count, step }: { store: AppStore; count: number; step: number }) {
  const playing = useAppStore((s) => s.playing && s.playStopAt === null);
  const speed = useAppStore((s) => s.playSpeed);
  const loop = useAppStore((s) => s.playLoop);
  const projection = useAppStore((s) => s.projection);
  const s = () => store.getState();
  return (
    <div className="seq-play" role="group" aria-label="Playback">
      <button
        type="button"
        title="First (Home)"
        aria-label="First"
        disabled={!count}
        onClick={() => s().stepFirst()}
      >
        |◀
      </button>
      <button
        type="button"
        title="Step back (←)"
        aria-label="Step back"
        disabled={!count}
        onClick={() => s().stepBack()}
      >
        ◀
      </button>
      <button
        type="button"
        className="seq-playbtn"
        aria-label={playing ? 'Pause' : 'Play'}
        title={playing ? 'Pause (Space)' : 'Play (Space)'}
        disabled={!count}
        onClick={() => s().togglePlay()}
      >
        {playing ? '\u275a\u275a' : '\u25b6'}
      </button>
      <button
        type="button"
        title="Step forward (→)"
        aria-label="Step forward"
        disabled={!count}
        onClick={() => s().stepForward()}
      >
        ▶|
      </button>
      <input
        type="range"
        aria-label="Position"
        min={0}
        max={Math.max(0, count - 1)}
        step={1}
        value={Math.min(step, Math.max(0, count - 1))}
        disabled={!count}
        onChange={(e) => s().seek(Number(e.target.value) + 0.999)}
      />
      <span className="seq-pos" data-testid="seq-position">
        {count ? `${step + 1} / ${count}` : '0 / 0'}
      </span>
      <label className="seq-field">
        Speed
        <select aria-label="Speed" value={speed} onChange={(e) => s().setSpeed(Number(e.target.value))}>
          {SPEEDS.map((v) => (
            <option key={v} value={v}>
              {v}×
            </option>
          ))}
        </select>
      </label>
      <label className="seq-field">
        <input type="checkbox" checked={loop} onChange={(e) => s().setLoop(e.target.checked)} /> Loop
      </label>
      {projection && (
        <button type="button" className="seq-btn" onClick={() => s().setProjection(false)}>
          Leave projection (Esc)
        </button>
      )}
    </div>
  );
}

interface DrawingProps {
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

function Drawing({ store, diagram, geo, fs, scroll, step, selectedRow, wire }: DrawingProps) {
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

  const choose = (row: number) => {
    const s = store.getState();
    const r = diagram.rows[row];
    s.pause();
    s.seek(row + 0.999);
    if (s.frame !== r.message.frame) void s.selectFrame(r.message.frame);
  };

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
            row={lo + k}
            m={r.message}
            x0={x(r.from)}
            x1={x(r.to)}
            y={top + r.y}
            fs={fs}
            lane={geo.laneWidth}
            group={r.group ? { y0: top + r.group.y0, y1: top + r.group.y1 } : undefined}
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

function Arrow(p: {
  row: number;
  m: Message;
  x0: number;
  x1: number;
  y: number;
  fs: number;
  lane: number;
  group?: { y0: number; y1: number };
  current: boolean;
  selected: boolean;
  onChoose(row: number): void;
}) {
  const { m, x0, x1, y, fs } = p;
  const dir = x1 >= x0 ? 1 : -1;
  const self = x0 === x1;
  const style = COLOR_STYLES[messageColorRule(m)];
  const marks = arrowMarks(m);
  const bold = m.level === 'application';
  // Clipped to the arrow's span (the tooltip and the caption have it whole).
  // A message to itself (per host, on loopback) loops out and is labelled to its right.
  const loop = Math.min(p.lane * 0.3, fs * 3);
  const span = self ? p.lane * 0.7 - loop : Math.abs(x1 - x0);
  const room = Math.max(8, Math.floor((span - fs) / (fs * (bold ? 0.64 : 0.57))));
  const whole = arrowLabel(m) + (marks.length ? `  [${marks.join(', ')}]` : '');
  const label = whole.length > room ? whole.slice(0, room - 1) + '\u2026' : whole;
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
      onClick={() => p.onChoose(p.row)}
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
      {p.group && (
        <path
          className="seq-group"
          d={`M${x0 - dir * 8},${p.group.y0} H${x0 - dir * 14} V${p.group.y1} H${x0 - dir * 8}`}
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
}

function Heads({
  store,
  diagram,
  geo,
  fs,
}: {
  store: AppStore;
  diagram: Diagram;
  geo: Geometry;
  fs: number;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const [drag, setDrag] = useState<{ id: string; dx: number; start: number } | null>(null);
  const mode = useAppStore((s) => s.seqMode);
  const messages = useAppStore((s) => s.seqMessages);
  const ids = diagram.lifelines.map((l) => l.id);
  const headW = Math.min(geo.laneWidth - 24, fs * 18);

  const onDown = (e: ReactPointerEvent, id: string) => {
    if ((e.target as HTMLElement).closest('button, input')) return;
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    setDrag({ id, dx: 0, start: e.clientX });
  };
  const onMove = (e: ReactPointerEvent) => {
    if (drag) setDrag({ ...drag, dx: e.clientX - drag.start });
  };
  const onUp = () => {
    if (!drag) return;
    const from = ids.indexOf(drag.id);
    const to = Math.round(from + drag.dx / geo.laneWidth);
    setDrag(null);
    if (to !== from) {
      // Hidden lifelines keep their place at the end of the order.
      const hiddenIds = allLifelines(messages ?? [], mode)
        .map((l) => l.id)
        .filter((id) => !ids.includes(id));
      store.getState().reorderLifelines([...moveLifeline(ids, drag.id, to), ...hiddenIds]);
    }
  };

  return (
    <div className="seq-heads" style={{ height: geo.headHeight, width: geo.width, fontSize: fs }}>
      {diagram.lifelines.map((l, i) => (
        <div
          key={l.id}
          className={`seq-head-box${drag?.id === l.id ? ' dragging' : ''}`}
          data-lifeline={l.id}
          style={{
            left: columnX(geo, i) - headW / 2 + (drag?.id === l.id ? drag.dx : 0),
            width: headW,
          }}
          title="Drag to reorder · double-click to rename"
          onPointerDown={(e) => onDown(e, l.id)}
          onPointerMove={onMove}
          onPointerUp={onUp}
          onDoubleClick={() => setEditing(l.id)}
        >
          {editing === l.id ? (
            <input
              className="seq-rename"
              aria-label={`Name for ${l.address}`}
              defaultValue={l.title}
              autoFocus
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  store.getState().renameLifeline(l.id, (e.target as HTMLInputElement).value);
                  setEditing(null);
                } else if (e.key === 'Escape') setEditing(null);
              }}
              onBlur={(e) => {
                store.getState().renameLifeline(l.id, e.target.value);
                setEditing(null);
              }}
            />
          ) : (
            <span className="seq-head-title">{l.title}</span>
          )}
          <span className="seq-head-addr">{l.address}</span>
          {diagram.lifelines.length > 1 && (
            <button
              type="button"
              className="seq-hide"
              aria-label={`Hide ${l.title} ${l.address}`}
              title="Hide this lifeline"
              onClick={() => store.getState().hideLifeline(l.id)}
            >
              ×
            </button>
          )}
        </div>
      ))}
    </div>
  );
}
