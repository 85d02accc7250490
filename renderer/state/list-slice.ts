// The packet list: which view of the capture it shows (sort order, one conversation), the rows
// fetched for the visible window, the row under the keyboard cursor, and where the list should
// scroll. Rows are addressed by position in the view; the backend maps positions to frames, so the
// list stays virtualised whatever the order (shared/contract/api.ts, "Conventions").
import type { StateCreator } from 'zustand';
import type { FilterCheck, FilterField, PacketRow, SortColumn, ViewSpec } from '../../shared/contract/api';
import type { Backend } from './backend';
import { coloringFilters } from '../../shared/filter/coloring';
import { noticeOfError } from './notices';
import { ROW_BLOCK, RowCache } from './row-cache';
import type { Store } from './store';

export type ConversationFilter = NonNullable<ViewSpec['conversation']>;

export interface ScrollRequest {
  position: number;
  /** Changes on every request, so asking for the same position twice scrolls twice. */
  seq: number;
}

export interface ListSlice {
  view: ViewSpec;
  /** Rows in the view as far as known (aria-rowcount). */
  total: number;
  /** The view will not grow any more (the index pass is over). */
  complete: boolean;
  rows: RowCache;
  /** Bumped whenever `rows` changes: subscribe to this, read rows with `rows.get`. */
  rowsVersion: number;
  /** Position of the selected packet in the view (keyboard cursor), null when none is. */
  cursor: number | null;
  scrollTo: ScrollRequest | null;

  /** Makes sure positions [from, from + count) are fetched (the list's visible window). */
  ensureRows(from: number, count: number): void;
  /** Click or keyboard on a row: selects its packet. */
  selectPosition(position: number): Promise<void>;
  /** ↑/↓, Page Up/Down (delta), Home (-Infinity), End (+Infinity). */
  moveCursor(delta: number): Promise<void>;
  /** Ctrl+G: selects frame `frame` and scrolls to it; false when it is not in this view. */
  goToFrame(frame: number): Promise<boolean>;
  /** Column header click: ascending, then descending, then back to frame order (as Wireshark). */
  sortBy(column: SortColumn): void;
  /** Puts the cursor on a position and scrolls to it, without selecting anew. */
  revealPosition(position: number): void;
  /** Shows only one TCP/UDP stream (null: every packet). */
  filterConversation(filter: ConversationFilter | null): void;
  /** Shows only the packets a display filter selects (null or '': every packet). */
  applyFilter(text: string | null): void;
  /** Whether a display filter compiles, and where it is wrong (the filter bar's colour). */
  checkFilter(text: string): Promise<FilterCheck>;
  /** Every name a filter may use (asked once, then kept). */
  filterFields(): Promise<FilterField[]>;
  /** A filter put in the filter bar without applying it ("Prepare as filter"); seq re-sends it. */
  preparedFilter: { text: string; seq: number } | null;
  prepareFilter(text: string): void;
  /** The filter selecting one details-tree node's value (null for a text label). */
  filterForField(ref: { layer: number; path: number[] }): Promise<string | null>;
  /**
   * Ctrl+F: selects the next frame after the selected one (wrapping) that a display filter
   * selects or whose bytes hold a string or hex bytes; false when none does.
   */
  findPacket(kind: 'filter' | 'string' | 'hex', text: string): Promise<boolean>;

  /** The colouring rules changed: the rows are asked for again, the view and cursor stay. */
  recolor(): void;

  // Called by the capture slice.
  resetList(): void;
  /** A capture just opened: asks for its first rows at once (the backend answers when it has them). */
  primeRows(): void;
  listGrew(packets: number): void;
  listFinished(packets: number): void;
}

/** Rows fetched beyond the visible window on each side (one block). */
const PREFETCH = ROW_BLOCK;
/** Row calls at a time: one answering while the next is dissected, no backlog behind them. */
const MAX_IN_FLIGHT = 2;
/** While indexing, a sorted or filtered view's total is re-asked at most this often. */
const TOTAL_POLL_MS = 500;

const isPlain = (v: ViewSpec) =>
  !v.conversation && !v.filter && (!v.sort || (v.sort.column === 'number' && !v.sort.descending));

export function createListSlice(backend: Backend): StateCreator<Store, [], [], ListSlice> {
  let fields: Promise<FilterField[]> | null = null;
  // Every fetch carries the generation it was made for; a reply from an older view (another
  // capture, sort or filter) is dropped.
  let generation = 0;
  let lastTotalPoll = 0;
  let scrollSeq = 0;
  let autoSelect = true;
  // Fetches in flight by block, so a row asked for while its block is on the way waits for it.
  let pending = new Map<number, Promise<void>>();
  // The window the list shows now. Fetches follow it "latest wins": at most MAX_IN_FLIGHT calls
  // at a time, each for the window as it is when the call goes out, so a fast scroll through a
  // million rows never queues work for windows already scrolled past.
  let wanted: { from: number; count: number } | null = null;
  let inFlight = 0;

  return (set, get) => {
    const fetchBlock = (block: number, gen: number): Promise<void> => fetchRun(block, 1, gen);

    /** One call for `n` contiguous blocks from `first`; each block is stored on its own. */
    const fetchRun = (first: number, n: number, gen: number): Promise<void> => {
      const p = fetchRunNow(first, n, gen).finally(() => {
        for (let b = first; b < first + n; b++) if (pending.get(b) === p) pending.delete(b);
      });
      for (let b = first; b < first + n; b++) pending.set(b, p);
      return p;
    };

    const fetchRunNow = async (first: number, n: number, gen: number) => {
      const { capture, view, rows } = get();
      if (!capture) return;
      try {
        const batch = await backend.call('packets.rows', {
          capture: capture.info.id,
          from: first * ROW_BLOCK,
          count: n * ROW_BLOCK,
          ...(isPlain(view) ? {} : { view }),
          coloring: coloringFilters(get().coloringRules),
        });
        if (gen !== generation) return;
        for (let k = 0; k < n; k++)
          rows.put(first + k, batch.rows.slice(k * ROW_BLOCK, (k + 1) * ROW_BLOCK), batch.complete);
        set((s) => ({
          rowsVersion: s.rowsVersion + 1,
          total: batch.complete || batch.total > s.total ? batch.total : s.total,
          complete: batch.complete,
        }));
        if (
          autoSelect &&
          first === 0 &&
          batch.rows.length > 0 &&
          get().frame === null &&
          get().cursor === null
        ) {
          // A packet is selected as soon as there is one, so the details, bytes and layer views
          // show something at once rather than three empty panes.
          autoSelect = false;
          set({ cursor: 0 });
          void get().selectFrame(batch.rows[0].number, 0);
        }
      } catch (e) {
        if (gen !== generation) return;
        for (let b = first; b < first + n; b++) rows.release(b);
        get().notify(noticeOfError('Packets could not be listed', e));
      }
    };

    /** Starts fetches for the wanted window (visible rows first, then a block either side). */
    const pump = () => {
      const { rows, total, capture, connection } = get();
      if (!wanted || !capture || connection === 'closed') return;
      while (inFlight < MAX_IN_FLIGHT) {
        let blocks = rows.claim(wanted.from, wanted.count, total);
        if (blocks.length === 0) {
          const start = Math.max(0, wanted.from - PREFETCH);
          blocks = rows.claim(start, wanted.from - start + wanted.count + PREFETCH, total);
          if (blocks.length === 0) return;
        }
        let n = 1;
        while (n < blocks.length && blocks[n] === blocks[0] + n) n++;
        for (const b of blocks.slice(n)) rows.release(b);
        inFlight++;
        void fetchRun(blocks[0], n, generation).finally(() => {
          inFlight--;
          pump();
        });
      }
    };

    const refetchTotal = async () => {
      const { capture, view } = get();
      if (!capture) return;
      const gen = generation;
      try {
        const batch = await backend.call('packets.rows', {
          capture: capture.info.id,
          from: 0,
          count: 0,
          view,
        });
        if (gen !== generation) return;
        set({ total: batch.total, complete: batch.complete });
      } catch {
        // The next progress event asks again.
      }
    };

    const newView = async (view: ViewSpec) => {
      generation++;
      pending = new Map();
      const { capture, frame } = get();
      set({
        view,
        rows: new RowCache(),
        rowsVersion: get().rowsVersion + 1,
        cursor: null,
        total: isPlain(view) ? (capture?.progress.packets ?? 0) : 0,
        complete: capture ? capture.phase !== 'indexing' : false,
      });
      if (!capture) return;
      const gen = generation;
      if (!isPlain(view)) await refetchTotal();
      if (frame === null || gen !== generation) {
        scrollTo(0);
        return;
      }
      try {
        const pos = await backend.call('packets.position', {
          capture: capture.info.id,
          frame,
          ...(isPlain(view) ? {} : { view }),
        });
        if (gen !== generation) return;
        if (pos >= 0) {
          set({ cursor: pos });
          scrollTo(pos);
        } else scrollTo(0);
      } catch {
        scrollTo(0);
      }
    };

    const scrollTo = (position: number) => set({ scrollTo: { position, seq: ++scrollSeq } });

    const rowAt = async (position: number): Promise<PacketRow | null> => {
      const { rows, total } = get();
      const have = rows.get(position);
      if (have) return have;
      const gen = generation;
      const waiting = pending.get(Math.floor(position / ROW_BLOCK));
      const blocks = rows.claim(position, 1, total);
      await Promise.all([...blocks.map((b) => fetchBlock(b, gen)), waiting]);
      return gen === generation ? (get().rows.get(position) ?? null) : null;
    };

    return {
      view: {},
      total: 0,
      complete: false,
      rows: new RowCache(),
      rowsVersion: 0,
      cursor: null,
      scrollTo: null,

      recolor() {
        generation++;
        pending = new Map();
        set((s) => ({ rows: new RowCache(), rowsVersion: s.rowsVersion + 1 }));
        pump();
      },

      ensureRows(from, count) {
        wanted = { from, count };
        const { rows } = get();
        for (let p = from; p < from + count; p += ROW_BLOCK) rows.touch(p);
        pump();
      },

      async selectPosition(position) {
        const { total } = get();
        if (total === 0) return;
        const p = Math.max(0, Math.min(total - 1, position));
        set({ cursor: p });
        scrollTo(p);
        const row = await rowAt(p);
        if (row && get().cursor === p) await get().selectFrame(row.number, p);
      },

      async moveCursor(delta) {
        const { cursor, total } = get();
        if (total === 0) return;
        let p: number;
        if (delta === -Infinity) p = 0;
        else if (delta === Infinity) p = total - 1;
        else p = cursor === null ? (delta > 0 ? 0 : total - 1) : cursor + delta;
        await get().selectPosition(p);
      },

      async goToFrame(frame) {
        const { capture, view } = get();
        if (!capture) return false;
        try {
          const pos = await backend.call('packets.position', {
            capture: capture.info.id,
            frame,
            ...(isPlain(view) ? {} : { view }),
          });
          if (pos < 0) {
            const n = get().capture?.progress.packets ?? 0;
            get().notify({
              tone: 'warning',
              title: `No packet ${frame.toLocaleString('en-US')} here`,
              message:
                frame > n
                  ? `The capture has ${n.toLocaleString('en-US')} packets${get().complete ? '' : ' so far'}.`
                  : 'It is not in the conversation the list is filtered to. Clear the filter to see it.',
            });
            return false;
          }
          set({ cursor: pos });
          scrollTo(pos);
          await get().selectFrame(frame, pos);
          return true;
        } catch (e) {
          get().notify(noticeOfError(`Packet ${frame} could not be found`, e));
          return false;
        }
      },

      sortBy(column) {
        const cur = get().view.sort;
        let sort: ViewSpec['sort'];
        if (!cur || cur.column !== column) sort = { column, descending: false };
        else if (!cur.descending) sort = { column, descending: true };
        else sort = undefined;
        const view: ViewSpec = { ...get().view };
        if (sort) view.sort = sort;
        else delete view.sort;
        void newView(view);
      },

      revealPosition(position) {
        set({ cursor: position });
        scrollTo(position);
      },

      filterConversation(filter) {
        const view: ViewSpec = { ...get().view };
        if (filter) view.conversation = { kind: filter.kind, stream: filter.stream };
        else delete view.conversation;
        void newView(view);
      },

      checkFilter(text) {
        return backend.call('filter.check', { text });
      },

      filterFields() {
        fields ??= backend.call('filter.fields').catch((e: unknown) => {
          fields = null;
          throw e;
        });
        return fields;
      },

      preparedFilter: null,
      prepareFilter(text) {
        set({ preparedFilter: { text, seq: (get().preparedFilter?.seq ?? 0) + 1 } });
      },

      async filterForField(ref) {
        const { capture, frame } = get();
        if (!capture || frame === null) return null;
        return backend.call('filter.forField', {
          capture: capture.info.id,
          frame,
          layer: ref.layer,
          path: [...ref.path],
        });
      },

      async findPacket(kind, text) {
        const { capture, frame, view } = get();
        if (!capture || !text.trim()) return false;
        try {
          const found = await backend.call('packets.find', {
            capture: capture.info.id,
            from: frame ?? 0,
            kind,
            text,
            ...(view.filter ? { within: view.filter } : {}),
          });
          if (!found) {
            get().notify({
              tone: 'warning',
              title: 'No packet found',
              message: `No packet ${kind === 'filter' ? 'matches' : 'holds'} “${text}”.`,
            });
            return false;
          }
          return await get().goToFrame(found);
        } catch (e) {
          get().notify(noticeOfError('Find packet', e));
          return false;
        }
      },

      applyFilter(text) {
        const view: ViewSpec = { ...get().view };
        const t = text?.trim();
        if (t) view.filter = t;
        else delete view.filter;
        if (view.filter === get().view.filter) return;
        void newView(view);
      },

      primeRows() {
        const { rows, capture } = get();
        if (!capture || !rows.claim(0, 1, 1).length) return;
        void fetchRun(0, 1, generation);
      },

      resetList() {
        generation++;
        pending = new Map();
        autoSelect = true;
        set({
          view: {},
          total: 0,
          complete: false,
          rows: new RowCache(),
          rowsVersion: get().rowsVersion + 1,
          cursor: null,
          scrollTo: null,
        });
      },

      listGrew(packets) {
        const { view, total } = get();
        if (isPlain(view)) {
          if (packets > total) {
            set({ total: packets });
            pump();
          }
          return;
        }
        const now = Date.now();
        if (now - lastTotalPoll >= TOTAL_POLL_MS) {
          lastTotalPoll = now;
          void refetchTotal();
        }
      },

      listFinished(packets) {
        // Rows dissected during the pass saw only the state up to then (no "reply in" yet): the
        // backend says to ask again once the pass is over (docs/decisions/index-worker.md).
        generation++;
        pending = new Map();
        const plain = isPlain(get().view);
        set({
          rows: new RowCache(),
          rowsVersion: get().rowsVersion + 1,
          complete: true,
          ...(plain ? { total: packets } : {}),
        });
        if (!plain) void refetchTotal();
      },
    };
  };
}
