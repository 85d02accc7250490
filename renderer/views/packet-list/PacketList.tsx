// The packet list: Wireshark's default columns, virtualised (only the visible rows exist in the
// DOM, and only their block of rows is fetched), coloured by the colouring rules, sortable,
// driven by the keyboard. ARIA grid: aria-rowcount is the number of packets in the view and each
// row carries its 1-based aria-rowindex, so a screen reader says "row 4 512 of 1 000 000".
import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
} from 'react';
import type { ColoringRule, PacketRow, SortColumn } from '../../../shared/contract/api';
import { useAppStore, useAppStoreApi } from '../../state';
import { BASE_FONT_PX } from '../../theme/apply';
import { rowColors } from '../../theme/packet-colors';
import { geometry, scrollTopFor, visibleWindow } from './virtual-window';
import './packet-list.css';

interface Column {
  key: SortColumn;
  title: string;
  cell: (r: PacketRow) => string;
  numeric?: boolean;
}

export const COLUMNS: readonly Column[] = [
  { key: 'number', title: 'No.', cell: (r) => String(r.number), numeric: true },
  { key: 'time', title: 'Time', cell: (r) => r.time, numeric: true },
  { key: 'source', title: 'Source', cell: (r) => r.src },
  { key: 'destination', title: 'Destination', cell: (r) => r.dst },
  { key: 'protocol', title: 'Protocol', cell: (r) => r.protocol },
  { key: 'length', title: 'Length', cell: (r) => String(r.length), numeric: true },
  { key: 'info', title: 'Info', cell: (r) => r.info },
];

const OVERSCAN = 8;

/** Row height in px for a zoom: 1.7 × the root font, whole pixels so rows never blur. */
export function rowHeightFor(zoom: number): number {
  return Math.round(BASE_FONT_PX * zoom * 1.7);
}

interface RowProps {
  pos: number;
  row: PacketRow | undefined;
  top: number;
  height: number;
  selected: boolean;
  /** The tap wrote this packet: its IP/TCP headers were reconstructed. */
  tap: boolean;
  /** The enabled colouring rules the rows were asked with (row.color indexes them). */
  coloring: readonly ColoringRule[];
  onPick(pos: number): void;
}

// One row, memoised: while scrolling only the rows that come into view render; the others keep
// their DOM (their props do not change unless the scrollbar is scaled).
const Row = memo(function Row({ pos, row: r, top, height, selected, tap, coloring, onPick }: RowProps) {
  const colors = r && !selected ? rowColors(coloring, r.color) : undefined;
  return (
    <div
      id={`packet-row-${pos}`}
      role="row"
      aria-rowindex={pos + 1}
      aria-selected={selected}
      aria-busy={r ? undefined : true}
      className={`packet-row${selected ? ' selected' : ''}${r?.malformed ? ' malformed' : ''}${tap ? ' reconstructed' : ''}`}
      title={tap ? 'Headers reconstructed (tap): payload and timing are real' : undefined}
      style={{ transform: `translateY(${top}px)`, height, ...colors }}
      onMouseDown={(e) => {
        if (e.button === 0) onPick(pos);
      }}
      data-frame={r?.number}
      data-coloring={r && r.color !== null ? coloring[r.color]?.name : undefined}
    >
      {COLUMNS.map((c) => {
        const text = r ? c.cell(r) : c.key === 'number' ? '…' : '';
        return (
          <div
            key={c.key}
            role="gridcell"
            className={`cell col-${c.key}${c.numeric ? ' num' : ''}`}
            title={c.key === 'info' && r ? text : undefined}
          >
            {text}
          </div>
        );
      })}
    </div>
  );
});

export function PacketList() {
  const store = useAppStoreApi();
  const total = useAppStore((s) => s.total);
  const rows = useAppStore((s) => s.rows);
  useAppStore((s) => s.rowsVersion);
  const cursor = useAppStore((s) => s.cursor);
  const frame = useAppStore((s) => s.frame);
  const sort = useAppStore((s) => s.view.sort);
  const filtered = useAppStore((s) => s.view.conversation);
  const scrollReq = useAppStore((s) => s.scrollTo);
  const phase = useAppStore((s) => s.capture?.phase);
  const zoom = useAppStore((s) => s.zoom);
  const liveRunning = useAppStore((s) => !!s.capture?.live?.running);
  const follow = useAppStore((s) => s.follow);
  // Every packet the tap writes carries its comment: a tap capture's rows are all reconstructed.
  const tap = useAppStore((s) => s.capture?.info.live?.mode === 'tap' || s.tapSeen);
  const rules = useAppStore((s) => s.coloringRules);
  const coloring = useMemo(() => rules.filter((r) => r.enabled), [rules]);
  const rowH = rowHeightFor(zoom);

  const scroller = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState(400);
  const [scrollTop, setScrollTop] = useState(0);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setViewport(el.clientHeight));
    ro.observe(el);
    setViewport(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  const { spacer, scale } = geometry(total, rowH, viewport);
  const win = visibleWindow(scrollTop, total, rowH, viewport);
  // Rows sit in the scrolled content at their own offset, so native scrolling moves them without
  // waiting for React; a few extra rows each side hide the frame it takes to draw new ones. When
  // the scrollbar is scaled, `drift` re-anchors them to the virtual position.
  const drift = scrollTop - scrollTop * scale;
  const start = Math.max(0, win.first - OVERSCAN);
  const end = Math.min(total, win.first + win.count + OVERSCAN);

  useEffect(() => {
    if (win.count > 0) store.getState().ensureRows(win.first, win.count);
  }, [store, win.first, win.count, total, rows]);

  // Scroll requests (keyboard, Go to packet, a sort that keeps the selection) move the list only
  // as far as needed to show the row.
  useEffect(() => {
    const el = scroller.current;
    if (!scrollReq || !el) return;
    const to = scrollTopFor(scrollReq.position, el.scrollTop, total, rowH, el.clientHeight);
    if (to !== null) {
      el.scrollTop = to;
      setScrollTop(el.scrollTop);
    }
    // Only a new request scrolls (not in the deps: total, rowH); a growing total must not pull
    // the view back.
  }, [scrollReq]);

  // A new view (another capture, sort or filter) starts at the top unless a request says otherwise.
  useEffect(() => {
    const el = scroller.current;
    if (el && total === 0) {
      el.scrollTop = 0;
      setScrollTop(0);
    }
  }, [total]);

  // While a live capture runs the newest packet stays in view, unless the user scrolled up to read
  // (as Wireshark's auto-scroll): scrolling back to the bottom follows again.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || !liveRunning || !follow || !total) return;
    const bottom = el.scrollHeight - el.clientHeight;
    if (el.scrollTop < bottom) {
      el.scrollTop = bottom;
      setScrollTop(el.scrollTop);
    }
  }, [total, liveRunning, follow]);

  const onPick = useCallback((pos: number) => void store.getState().selectPosition(pos), [store]);

  const onKey = useCallback(
    (e: KeyboardEvent) => {
      const s = store.getState();
      const page = Math.max(1, Math.floor(viewport / rowH) - 1);
      const moves: Record<string, number> = {
        ArrowDown: 1,
        ArrowUp: -1,
        PageDown: page,
        PageUp: -page,
        Home: -Infinity,
        End: Infinity,
      };
      const d = moves[e.key];
      if (d === undefined || e.altKey || e.metaKey) return;
      e.preventDefault();
      void s.moveCursor(d);
    },
    [store, viewport, rowH],
  );

  const drawn: React.ReactNode[] = [];
  for (let pos = start; pos < end; pos++) {
    const r = rows.get(pos);
    drawn.push(
      <Row
        key={pos}
        pos={pos}
        row={r}
        top={pos * rowH + drift}
        height={rowH}
        selected={r ? r.number === frame : pos === cursor}
        tap={tap}
        coloring={coloring}
        onPick={onPick}
      />,
    );
  }

  const activeRow = cursor !== null && cursor >= start && cursor < end ? `packet-row-${cursor}` : undefined;
  const empty = total === 0;

  return (
    <section className="packet-list" aria-label="Packet list">
      <div
        role="grid"
        aria-label={
          filtered ? `Packets of ${filtered.kind.toUpperCase()} stream ${filtered.stream}` : 'Packets'
        }
        aria-rowcount={total}
        aria-colcount={COLUMNS.length}
        aria-activedescendant={activeRow}
        aria-busy={phase === 'indexing' || undefined}
        tabIndex={0}
        className="packet-grid"
        onKeyDown={onKey}
      >
        <div role="rowgroup" className="packet-head">
          <div role="row" className="packet-row head">
            {COLUMNS.map((c) => {
              const sorted = sort?.column === c.key;
              const ariaSort = sorted ? (sort.descending ? 'descending' : 'ascending') : 'none';
              return (
                <div
                  key={c.key}
                  role="columnheader"
                  aria-sort={ariaSort}
                  className={`cell col-${c.key}${c.numeric ? ' num' : ''}`}
                >
                  <button
                    type="button"
                    className="sort"
                    tabIndex={-1}
                    onClick={() => store.getState().sortBy(c.key)}
                    title={`Sort by ${c.title}`}
                  >
                    {c.title}
                    <span aria-hidden="true" className="arrow">
                      {sorted ? (sort.descending ? ' ▼' : ' ▲') : ''}
                    </span>
                  </button>
                </div>
              );
            })}
          </div>
        </div>
        <div
          ref={scroller}
          role="rowgroup"
          className="packet-body"
          onScroll={(e) => {
            const el = e.target as HTMLDivElement;
            setScrollTop(el.scrollTop);
            if (liveRunning)
              store.getState().setFollow(el.scrollTop + el.clientHeight >= el.scrollHeight - rowH);
          }}
        >
          <div className="packet-spacer" style={{ height: spacer }}>
            {drawn}
          </div>
          {empty && (
            <p className="packet-empty" role="presentation">
              {phase === 'indexing'
                ? 'Reading packets…'
                : filtered
                  ? 'No packets in this conversation.'
                  : 'No packets.'}
            </p>
          )}
        </div>
      </div>
    </section>
  );
}
