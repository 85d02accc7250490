// The sequence diagram of chosen conversations: lifelines per socket or host named by role,
// arrows per message (transport segments, what the protocols said, or both), notes where the
// chapter puts them, idle gaps compressed and marked; playback with a packet travelling along the
// current arrow and a caption saying what it means; export as SVG, PNG and Mermaid; projection
// mode for a classroom. Layout is shared/diagram (pure, tested without a DOM); React draws the
// static parts from it, only the rows in view; d3 moves the packet dot each clock tick.
//
// Live: a live capture is diagrammed whole ("All conversations", sequence-slice `followLive`) and
// refreshed as packets arrive; new arrows animate in and the playhead follows the newest unless
// the user paused or scrubbed back ("N new — jump to live"). Exports: SVG, PNG, Mermaid text, the
// diagrammed conversations as pcapng (`capture.export` + `export.read`) and the selected header
// as a Mermaid packet diagram.
//
// Latency hook (the live benchmark, scripts/bench-live.mjs): when `globalThis.__wirescopeMeasure`
// is `true`, each arrow records when it is first drawn in
// `globalThis.__wirescopeArrowDrawn: Map<number /* frame */, number /* epoch ms */>`: the time is
// taken in a requestAnimationFrame after the arrow's commit (its first paint), as
// `performance.timeOrigin + performance.now()`, comparable with Date.now() and capture timestamps.
// Only the first drawing of a frame counts (several messages of one frame, scrolling back). Arrows
// are drawn when in view: the benchmark keeps the playhead at live (the default) so the newest are.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import {
  caption,
  diagramScene,
  geometry,
  layoutDiagram,
  rowOfFrame,
  sceneSvg,
  toMermaid,
  type Diagram,
  type DiagramLevel,
  type LifelineMode,
  type SceneTheme,
} from '../../../shared/diagram';
import { useAppStore, useAppStoreApi, type AppStore } from '../../state';
import { captureIsLive } from '../../state/sequence-slice';
import { streamOfDissection } from '../conversations/conversation-rows';
import { toMermaidPacket } from '../../../shared/diagram/mermaid-packet';
import { ConversationPicker, ExportMenu, Playback } from './Controls';
import { Drawing } from './Drawing';
import { Encapsulation } from './Encapsulation';
import { Minimap } from './Minimap';
import { download, downloadText, scenePng } from './export';
import './sequence.css';

/** Largest file whose every conversation the "All" button diagrams at once. */
const ALL_MAX_PACKETS = 20_000;

const LEVELS: { id: DiagramLevel; title: string; hint: string }[] = [
  { id: 'application', title: 'Application', hint: 'What the protocols said (HTTP, DNS, TLS, WebSocket…)' },
  { id: 'transport', title: 'Transport', hint: 'Every TCP segment and UDP datagram' },
  { id: 'both', title: 'Both', hint: 'Segments, with each application message grouped with its segments' },
];

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
  // In a browser, projection asks for full screen; leaving full screen (Esc, which the browser
  // keeps for itself) leaves projection too.
  useEffect(() => {
    if (!projection || typeof document === 'undefined') return;
    let full = !!document.fullscreenElement;
    const onChange = () => {
      if (full && !document.fullscreenElement) store.getState().setProjection(false);
      full = !!document.fullscreenElement;
    };
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
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
  // Not the capture state itself: it changes with every progress event of a live capture.
  const captureId = useAppStore((s) => s.capture?.info.id ?? null);
  const captureName = useAppStore((s) => s.capture?.info.name);
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
  const everything = useAppStore((s) => s.seqAll);
  const atLive = useAppStore((s) => s.seqAtLive);
  const live = useAppStore((s) => captureIsLive(s));
  const isLiveCapture = useAppStore((s) => !!s.capture?.info.live);
  // Every conversation of a big file would dissect all of it at once: offered for live captures
  // (which start empty) and files of up to ALL_MAX_PACKETS.
  const small = useAppStore((s) => (s.capture?.progress.packets ?? Infinity) <= ALL_MAX_PACKETS);
  const field = useAppStore((s) => s.field);

  const body = useRef<HTMLDivElement>(null);
  const size = useSize(body);
  const encBox = useRef<HTMLDivElement>(null);
  const encSize = useSize(encBox);
  const [layersShown, setLayersShown] = useState(false);
  const showEncap = projection || layersShown;
  const [scroll, setScroll] = useState({ top: 0, height: 400 });

  // A new capture, or nothing chosen yet: the diagram shows the conversation in view (the one
  // the Conversations tab filtered the list to, else the selected packet's).
  const packetStream = detail ? streamOfDissection(detail.dissection) : null;
  const own = packetStream ? `${packetStream.kind}:${packetStream.stream}` : null;
  useEffect(() => {
    const s = store.getState();
    if (!captureId) return;
    // A live capture (a lab's) is watched whole, new conversations appearing as they start.
    if (s.seqCapture !== captureId && s.capture?.info.live) {
      void s.followLive(captureId, true);
      return;
    }
    if (s.seqCapture !== captureId || (!s.seqStreams.length && !s.seqAll && !s.seqLoading)) {
      const c = s.view.conversation;
      const first = c ? `${c.kind}:${c.stream}` : own;
      if (first) void s.diagramStreams([first]);
      else if (s.seqCapture !== captureId) s.resetSequence();
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
    // The new rows' frames first: a live capture's new count starts playback, which selects them.
    s.registerStepFrame((n) => diagram.rows[n]?.message.frame ?? null);
    s.setPlayCount(diagram.rows.length);
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
  // In the next animation frame: reading the scroll box right after the commit forces a layout of
  // the whole page, and live the step moves with every new arrow (issue #6).
  useEffect(() => {
    const id = requestAnimationFrame(() => reveal(step));
    return () => cancelAnimationFrame(id);
  }, [step]);
  useEffect(() => {
    if (selectedRow < 0) return;
    const id = requestAnimationFrame(() => reveal(selectedRow));
    return () => cancelAnimationFrame(id);
  }, [selectedRow]);

  const onScroll = () => {
    const el = body.current;
    if (el) setScroll({ top: el.scrollTop, height: el.clientHeight });
  };
  useLayoutEffect(onScroll, [size.height]);

  const exportScene = () => {
    const el = body.current ?? document.documentElement;
    const title = `${captureName ?? ''} \u2014 ${streams.join(', ')}`;
    return diagramScene(diagram, { theme: themeOf(el), fontSize: Math.max(16, fs), title });
  };
  const base = fileBase(captureName, everything ? ['all'] : streams);
  const exportSvg = () => downloadText(`${base}.svg`, sceneSvg(exportScene()), 'image/svg+xml');
  const exportMermaid = () => downloadText(`${base}.mmd`, toMermaid(diagram), 'text/plain');
  const exportPcapng = async () => {
    try {
      const r = await store.getState().exportDiagramPcapng();
      download(r.name, new Blob(r.parts as BlobPart[], { type: 'application/x-pcapng' }));
    } catch (e) {
      store.getState().notify({
        tone: 'error',
        title: 'The conversations could not be exported',
        message: (e as Error).message,
      });
    }
  };
  // The selected tree node's layer, else the selected packet's transport header.
  const headerLayer = (() => {
    const d = detail?.dissection;
    if (!d) return null;
    const byField = field ? d.layers[field.layer] : undefined;
    if (byField && byField.proto !== 'frame') return byField;
    return d.layers.find((l) => l.proto === 'tcp' || l.proto === 'udp') ?? d.layers.at(-1) ?? null;
  })();
  const exportMermaidPacket = headerLayer
    ? () =>
        downloadText(
          `${(captureName ?? 'capture').replace(/\.(pcapng|pcap|cap)$/i, '')}-${detail?.frame}-${headerLayer.proto}.mmd`.replace(
            /[^\w.-]+/g,
            '_',
          ),
          toMermaidPacket(headerLayer),
          'text/plain',
        )
    : null;
  const exportPng = async () => {
    const pages = await scenePng(exportScene(), 1);
    pages.forEach((p, i) => download(pages.length > 1 ? `${base}-${i + 1}.png` : `${base}.png`, p));
  };

  const current = diagram.rows[step]?.message ?? null;
  const empty = !streams.length && !everything;

  return (
    <section
      className={`seq${projection ? ' projecting' : ''}${live ? ' live' : ''}`}
      aria-label="Sequence diagram"
    >
      {!projection && (
        <div className="pane-title seq-bar">
          <ConversationPicker store={store} streams={streams} own={own} />
          {captureId && (isLiveCapture || everything || small) && (
            <button
              type="button"
              className="seq-btn"
              aria-pressed={everything}
              title={
                isLiveCapture
                  ? 'Every conversation, new ones appearing as they start; the diagram follows the capture live'
                  : 'Every conversation of the capture'
              }
              onClick={() => void store.getState().followLive(captureId, !everything)}
            >
              {isLiveCapture ? 'All · live' : 'All'}
            </button>
          )}
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
          <label
            className="seq-field"
            title="One lifeline per socket (address:port), per host (address), or per stream: HTTP/2 and gRPC streams, QUIC connections"
          >
            Lifelines
            <select
              value={mode}
              onChange={(e) => store.getState().setLifelineMode(e.target.value as LifelineMode)}
            >
              <option value="socket">per socket</option>
              <option value="host">per host</option>
              <option value="stream" title="HTTP/2 and gRPC streams, QUIC connections">
                per stream
              </option>
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
            onPcapng={() => void exportPcapng()}
            onMermaidPacket={exportMermaidPacket}
            header={headerLayer?.name ?? null}
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
      {projection && (
        <div className="seq-proj-title">{everything ? 'All conversations' : streams.join(' · ')}</div>
      )}
      {live && !atLive && count - 1 - step > 0 && (
        <button
          type="button"
          className="seq-btn seq-live-chip"
          data-testid="seq-jump-live"
          onClick={() => store.getState().jumpToLive()}
        >
          {count - 1 - step} new — jump to live
        </button>
      )}
      {live && atLive && (
        <span
          className="seq-live-badge"
          data-testid="seq-live"
          title="Packets still arrive; the diagram follows them"
        >
          ● Live
        </span>
      )}
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
        <div className="seq-scroll">
          <div
            ref={body}
            id="seq-body"
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
          {!projection && geo.headHeight + diagram.height > size.height * 1.5 && (
            <Minimap
              diagram={diagram}
              head={geo.headHeight}
              height={size.height}
              scroll={scroll}
              step={step}
              onScrollTo={(top) => {
                if (body.current) body.current.scrollTop = top;
              }}
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
