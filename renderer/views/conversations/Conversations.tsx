// Conversations: the capture's TCP and UDP streams with their endpoints (A sent the first packet),
// packets and bytes each way, start and duration, as Wireshark's Conversations dialog lists them.
// Choosing one filters the packet list to it (and selects its first packet when the selected one
// is not in it); choosing it again, or "Show all packets", lifts the filter. The table is
// virtualised: a big capture has tens of thousands of streams.
// Each row has a Diagram action that opens the Sequence tab on that conversation; ticking rows'
// boxes and "Diagram N" draws several at once (say the DNS lookup, then the TCP connection).
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { MAX_DIAGRAM_STREAMS, type Conversation } from '../../../shared/contract/api';
import { useAppStore, useAppStoreApi } from '../../state';
import {
  bytesShort,
  conversationRows,
  countText,
  endpointText,
  nextSort,
  secondsText,
  streamOfDissection,
  streamText,
  visibleWindow,
  type ConvColumn,
  type ConvSort,
  type KindFilter,
} from './conversation-rows';
import './conversations.css';

interface Column {
  id: ConvColumn | 'ends';
  title: string;
  hint: string;
  num?: boolean;
  /** Shown when the panel is wide (each endpoint in its own column, both directions, start). */
  wide?: boolean;
  /** Shown when it is narrow (both endpoints in one two-line cell). */
  narrow?: boolean;
}

const COLUMNS: Column[] = [
  { id: 'stream', title: 'Stream', hint: 'tcp.stream / udp.stream' },
  { id: 'ends', title: 'Endpoints', hint: 'A sent the first packet; B is the other side', narrow: true },
  {
    id: 'a',
    title: 'Endpoint A',
    hint: 'Address and port of the side that sent the first packet',
    wide: true,
  },
  { id: 'b', title: 'Endpoint B', hint: 'Address and port of the other side', wide: true },
  { id: 'packets', title: 'Packets', hint: 'Packets both ways', num: true },
  { id: 'bytes', title: 'Bytes', hint: 'Bytes on the wire (frame lengths) both ways', num: true },
  { id: 'ab', title: 'A → B', hint: 'Packets and bytes from A to B', num: true, wide: true },
  { id: 'ba', title: 'B → A', hint: 'Packets and bytes from B to A', num: true, wide: true },
  {
    id: 'start',
    title: 'Start',
    hint: 'Seconds from the first packet of the capture',
    num: true,
    wide: true,
  },
  {
    id: 'duration',
    title: 'Duration',
    hint: 'Seconds from the first to the last packet of the stream',
    num: true,
  },
];

/** Below this panel width (rem) the table folds: endpoints stacked, fewer columns. */
const WIDE_REM = 46;

const KINDS: { id: KindFilter; title: string }[] = [
  { id: 'all', title: 'All' },
  { id: 'tcp', title: 'TCP' },
  { id: 'udp', title: 'UDP' },
];

/** The folded Endpoints column sorts by endpoint A. */
const sortKey = (id: Column['id']): ConvColumn => (id === 'ends' ? 'a' : id);

const same = (c: Conversation, f: { kind: string; stream: number } | undefined) =>
  !!f && f.kind === c.kind && f.stream === c.stream;

export function Conversations() {
  const store = useAppStoreApi();
  const capture = useAppStore((s) => s.capture);
  const list = useAppStore((s) => s.conversations);
  const error = useAppStore((s) => s.conversationsError);
  const filter = useAppStore((s) => s.view.conversation);
  const [kind, setKind] = useState<KindFilter>('all');
  const [sort, setSort] = useState<ConvSort | null>(null);
  const [focus, setFocus] = useState(0);
  const [scroll, setScroll] = useState({ top: 0, height: 400 });
  const [metrics, setMetrics] = useState({ rem: 15, width: 480 });
  const scroller = useRef<HTMLDivElement>(null);
  /** Conversations ticked for the diagram, `tcp:N`, in the order ticked. */
  const [picked, setPicked] = useState<string[]>([]);

  const captureId = capture?.info.id ?? null;
  useEffect(() => setPicked([]), [captureId]);

  const diagram = (ids: string[]) => {
    const s = store.getState();
    void s.diagramStreams(ids.slice(0, MAX_DIAGRAM_STREAMS));
    s.showSidePanel('sequence');
  };
  const togglePick = (id: string) =>
    setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));
  useEffect(() => {
    const s = store.getState();
    if (captureId && !s.conversations && !s.conversationsLoading && !s.conversationsError)
      void s.loadConversations();
  }, [store, captureId, list]);

  const rows = useMemo(
    () => (list ? conversationRows(list.conversations, kind, sort) : []),
    [list, kind, sort],
  );
  const counts = useMemo(() => {
    let tcp = 0;
    for (const c of list?.conversations ?? []) if (c.kind === 'tcp') tcp++;
    return { tcp, udp: (list?.conversations.length ?? 0) - tcp };
  }, [list]);

  // Row height follows the font zoom: measured from the rem, read on layout.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const read = () => {
      const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 15;
      setMetrics({ rem, width: el.clientWidth });
      setScroll({ top: el.scrollTop, height: el.clientHeight });
    };
    const ro = new ResizeObserver(read);
    ro.observe(el);
    read();
    return () => ro.disconnect();
  }, [list !== null]);

  // Row height follows the font zoom; folded rows hold two lines.
  const wide = metrics.width >= WIDE_REM * metrics.rem;
  const rowH = Math.round(metrics.rem * (wide ? 1.9 : 2.7));
  const columns = COLUMNS.filter((c) => (wide ? !c.narrow : !c.wide));
  const [first, last] = visibleWindow(scroll.top, scroll.height, rowH, rows.length);

  const choose = (c: Conversation) => {
    const s = store.getState();
    if (same(c, s.view.conversation)) {
      s.filterConversation(null);
      return;
    }
    const own = s.detail ? streamOfDissection(s.detail.dissection) : null;
    s.filterConversation({ kind: c.kind, stream: c.stream });
    // The list keeps the selected packet when it belongs to the stream; otherwise the stream's
    // first packet is selected, so details and layers show something of what is listed.
    if (!own || own.kind !== c.kind || own.stream !== c.stream) void s.selectFrame(c.firstFrame);
  };

  const moveFocus = (to: number) => {
    const i = Math.max(0, Math.min(rows.length - 1, to));
    setFocus(i);
    const el = scroller.current;
    if (!el) return;
    const head = el.querySelector('thead')?.getBoundingClientRect().height ?? rowH;
    const top = i * rowH;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowH > el.scrollTop + el.clientHeight - head)
      el.scrollTop = top + rowH - el.clientHeight + head;
    // The row is there when it was on screen; one scrolled to is drawn on the next frame.
    const rowEl = () => el.querySelector<HTMLTableRowElement>(`tr[data-index="${i}"]`);
    const now = rowEl();
    if (now) now.focus();
    else requestAnimationFrame(() => rowEl()?.focus());
  };

  const onKey = (e: KeyboardEvent, i: number) => {
    const page = Math.max(1, Math.floor(scroll.height / rowH) - 1);
    const moves: Record<string, number> = {
      ArrowDown: i + 1,
      ArrowUp: i - 1,
      PageDown: i + page,
      PageUp: i - page,
      Home: 0,
      End: rows.length - 1,
    };
    if (e.key in moves) {
      e.preventDefault();
      moveFocus(moves[e.key]);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      choose(rows[i]);
    }
  };

  const cell = (c: Conversation, col: Column['id']) => {
    switch (col) {
      case 'ends':
        return (
          <>
            <span className="end">
              <span className="end-tag">A</span>
              {endpointText(c.addressA, c.portA)}
            </span>
            <span className="end">
              <span className="end-tag">B</span>
              {endpointText(c.addressB, c.portB)}
            </span>
          </>
        );
      case 'stream':
        return streamText(c);
      case 'a':
        return endpointText(c.addressA, c.portA);
      case 'b':
        return endpointText(c.addressB, c.portB);
      case 'packets':
        return countText(c.packets);
      case 'bytes':
        return bytesShort(c.bytes);
      case 'ab':
        return `${countText(c.packetsAB)} · ${bytesShort(c.bytesAB)}`;
      case 'ba':
        return `${countText(c.packetsBA)} · ${bytesShort(c.bytesBA)}`;
      case 'start':
        return secondsText(c.relStart);
      case 'duration':
        return secondsText(c.duration);
    }
  };

  const active = rows.find((c) => same(c, filter)) ?? null;

  return (
    <section className="conversations" role="region" aria-label="Conversations">
      <header className="pane-title">
        <h2>Conversations</h2>
        {list && (
          <span className="pane-sub" data-testid="conversation-counts">
            {countText(counts.tcp)} TCP · {countText(counts.udp)} UDP{list.complete ? '' : ' so far'}
          </span>
        )}
      </header>
      <div className="conv-tools">
        <div className="segmented" role="group" aria-label="Streams to list">
          {KINDS.map((k) => (
            <button
              key={k.id}
              type="button"
              className={`seg${kind === k.id ? ' on' : ''}`}
              aria-pressed={kind === k.id}
              onClick={() => setKind(k.id)}
            >
              {k.title}
            </button>
          ))}
        </div>
        {picked.length > 0 && (
          <span className="conv-picked">
            <button
              type="button"
              className="btn"
              title={`Open the Sequence tab on ${picked.join(', ')}`}
              onClick={() => diagram(picked)}
            >
              Diagram {picked.length} selected
            </button>
            <button type="button" className="btn quiet" onClick={() => setPicked([])}>
              Clear
            </button>
          </span>
        )}
        {filter && (
          <span className="conv-filter">
            List shows {streamText(filter)} only
            <button
              type="button"
              className="btn quiet"
              onClick={() => store.getState().filterConversation(null)}
            >
              Show all packets
            </button>
          </span>
        )}
      </div>
      {!capture && <p className="pane-empty">Open a capture to see its conversations.</p>}
      {capture && !list && (
        <p className="pane-empty">
          {error ? `The conversations could not be listed: ${error}` : 'Listing conversations…'}
        </p>
      )}
      {list && rows.length === 0 && (
        <p className="pane-empty">
          {list.conversations.length === 0
            ? 'No TCP or UDP traffic in this capture.'
            : `No ${kind.toUpperCase()} streams in this capture.`}
        </p>
      )}
      {list && rows.length > 0 && (
        <div
          className="conv-scroll"
          ref={scroller}
          onScroll={(e) =>
            setScroll({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })
          }
        >
          <table
            className="conv-table"
            aria-label="TCP and UDP conversations"
            aria-rowcount={rows.length + 1}
          >
            <thead>
              <tr aria-rowindex={1}>
                {columns.map((col) => (
                  <th
                    key={col.id}
                    scope="col"
                    className={col.num ? 'num' : undefined}
                    aria-sort={
                      sort?.column === sortKey(col.id)
                        ? sort.descending
                          ? 'descending'
                          : 'ascending'
                        : 'none'
                    }
                    title={col.hint}
                  >
                    <button
                      type="button"
                      className="th-btn"
                      onClick={() => setSort(nextSort(sort, sortKey(col.id)))}
                    >
                      {col.title}
                      <span className="sort-mark" aria-hidden="true">
                        {sort?.column === sortKey(col.id) ? (sort.descending ? '▼' : '▲') : ''}
                      </span>
                    </button>
                  </th>
                ))}
                {/* The action cells label themselves ("Diagram TCP 0"); no header text needed. */}
                <td className="conv-act" aria-hidden="true" />
              </tr>
            </thead>
            <tbody>
              {first > 0 && (
                <tr className="spacer" aria-hidden="true" style={{ height: first * rowH }}>
                  <td colSpan={columns.length + 1} />
                </tr>
              )}
              {rows.slice(first, last).map((c, k) => {
                const i = first + k;
                const on = c === active;
                return (
                  <tr
                    key={`${c.kind}${c.stream}`}
                    data-index={i}
                    data-stream={`${c.kind}:${c.stream}`}
                    aria-rowindex={i + 2}
                    aria-current={on ? 'true' : undefined}
                    tabIndex={i === Math.min(focus, rows.length - 1) ? 0 : -1}
                    className={`conv-row ${c.kind}${on ? ' on' : ''}`}
                    style={{ height: rowH }}
                    onClick={() => {
                      setFocus(i);
                      choose(c);
                    }}
                    onKeyDown={(e) => onKey(e, i)}
                    title={`${streamText(c)}: frames ${c.firstFrame}–${c.lastFrame}; A → B ${c.packetsAB} packets, ${countText(c.bytesAB)} bytes; B → A ${c.packetsBA} packets, ${countText(c.bytesBA)} bytes. ${on ? 'Click to show all packets again.' : 'Click to list only this stream.'}`}
                  >
                    {columns.map((col) => (
                      <td
                        key={col.id}
                        className={`${col.num ? 'num' : ''}${col.id === 'ends' ? ' ends' : ''}`}
                      >
                        {cell(c, col.id)}
                      </td>
                    ))}
                    <td className="conv-act" onClick={(e) => e.stopPropagation()}>
                      <input
                        type="checkbox"
                        aria-label={`Select ${streamText(c)} for the diagram`}
                        checked={picked.includes(`${c.kind}:${c.stream}`)}
                        onChange={() => togglePick(`${c.kind}:${c.stream}`)}
                        onKeyDown={(e) => e.stopPropagation()}
                      />
                      <button
                        type="button"
                        className="btn quiet conv-diagram"
                        title={`Open the Sequence tab on ${streamText(c)}`}
                        aria-label={`Diagram ${streamText(c)}`}
                        onClick={() => diagram([`${c.kind}:${c.stream}`])}
                        onKeyDown={(e) => e.stopPropagation()}
                      >
                        ⇄
                      </button>
                    </td>
                  </tr>
                );
              })}
              {last < rows.length && (
                <tr className="spacer" aria-hidden="true" style={{ height: (rows.length - last) * rowH }}>
                  <td colSpan={columns.length + 1} />
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
