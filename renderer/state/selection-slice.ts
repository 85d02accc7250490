// What is selected, shared by every view: the packet (and its full dissection, fetched for it
// alone), the tree node, and the bytes the hex view highlights. Views talk through it: picking a
// field sets the byte range; clicking a byte picks the field; clicking a layer in the layer stack
// picks the layer in the tree and its bytes.
import type { StateCreator } from 'zustand';
import type { PacketDetail } from '../../shared/contract/api';
import type { Backend } from './backend';
import type { Store } from './store';
import {
  fieldAtByte,
  findByAbbrev,
  rangeOf,
  resolveRef,
  type ByteRange,
  type FieldRef,
  type FieldSelection,
} from './tree';

export interface SelectionSlice {
  /** Selected frame number (1-based), null when none. */
  frame: number | null;
  /** The selected frame's full dissection and bytes; null while it loads or when none is selected. */
  detail: PacketDetail | null;
  detailLoading: boolean;
  /** Why the detail is missing, in plain words. */
  detailError: string | null;
  field: FieldSelection | null;
  /** Bytes highlighted in the hex view (the field's range, or a range chosen in a view). */
  bytes: ByteRange | null;
  /** Data source the hex view shows: 0 = the frame, n = Dissection.sources[n - 1]. */
  byteTab: number;

  /** Selects a packet and fetches its dissection; `position` is its row in the list, when known. */
  selectFrame(frame: number, position?: number): Promise<void>;
  /** Selects a tree node (null clears): its bytes are highlighted, its data source shown. */
  selectField(ref: FieldRef | null): void;
  /** Selects a whole layer (the layer stack's envelopes). */
  selectLayer(layer: number): void;
  /** A byte clicked in the hex view: the field it belongs to is selected. */
  selectByte(source: number, offset: number): void;
  /** Highlights a byte range that is not one tree node (a bit-diagram row, a header). */
  highlightBytes(range: ByteRange | null): void;
  showByteTab(source: number): void;

  resetSelection(): void;
}

export function createSelectionSlice(backend: Backend): StateCreator<Store, [], [], SelectionSlice> {
  let request = 0;

  return (set, get) => {
    // A frame chosen outside the list (a conversation, a diagram): find its row for the cursor and
    // scroll there; the cache answers when the row is loaded, else the backend.
    const locate = async (frame: number, mine: number) => {
      const near = get().rows.positionOf(frame);
      if (near >= 0) {
        get().revealPosition(near);
        return;
      }
      const { capture, view } = get();
      if (!capture) return;
      try {
        const pos = await backend.call('packets.position', {
          capture: capture.info.id,
          frame,
          ...(view.sort || view.conversation ? { view } : {}),
        });
        if (mine === request && pos >= 0) get().revealPosition(pos);
      } catch {
        // The packet stays selected; the list just does not move to it.
      }
    };

    return {
      frame: null,
      detail: null,
      detailLoading: false,
      detailError: null,
      field: null,
      bytes: null,
      byteTab: 0,

      async selectFrame(frame, position) {
        const capture = get().capture;
        if (!capture) return;
        const mine = ++request;
        const keep = get().field?.abbrev ?? '';
        set({ frame, detailLoading: true, detailError: null });
        if (position !== undefined) set({ cursor: position });
        else {
          set({ cursor: null });
          void locate(frame, mine);
        }
        try {
          const detail = await backend.call('packets.detail', { capture: capture.info.id, frame });
          if (mine !== request) return;
          if (!detail) {
            set({
              detail: null,
              detailLoading: false,
              field: null,
              bytes: null,
              detailError: `Packet ${frame} is not indexed yet.`,
            });
            return;
          }
          // As Wireshark: the field selected in one packet stays selected in the next when it has it,
          // so stepping through packets with ↓ keeps, say, the TCP flags in view.
          const ref = findByAbbrev(detail.dissection, keep);
          const field = ref ? resolveRef(detail.dissection, ref) : null;
          set({
            detail,
            detailLoading: false,
            field,
            bytes: field ? rangeOf(field) : null,
            byteTab: field && field.source <= detail.dissection.sources.length ? field.source : 0,
          });
        } catch (e) {
          if (mine !== request) return;
          set({
            detail: null,
            detailLoading: false,
            field: null,
            bytes: null,
            detailError: (e as Error).message,
          });
        }
      },

      selectField(ref) {
        const d = get().detail?.dissection;
        if (!ref || !d) {
          set({ field: null, bytes: null });
          return;
        }
        const field = resolveRef(d, ref);
        if (!field) return;
        set({
          field,
          bytes: rangeOf(field),
          ...(field.source <= d.sources.length ? { byteTab: field.source } : {}),
        });
      },

      selectLayer(layer) {
        get().selectField({ layer, path: [] });
      },

      selectByte(source, offset) {
        const d = get().detail?.dissection;
        if (!d) return;
        const ref = fieldAtByte(d, source, offset);
        if (ref) get().selectField(ref);
        else set({ field: null, bytes: { source, offset, length: 1 } });
      },

      highlightBytes(range) {
        set({ bytes: range, ...(range ? { byteTab: range.source } : {}) });
      },

      showByteTab(source) {
        set({ byteTab: source });
      },

      resetSelection() {
        request++;
        set({
          frame: null,
          detail: null,
          detailLoading: false,
          detailError: null,
          field: null,
          bytes: null,
          byteTab: 0,
        });
      },
    };
  };
}
