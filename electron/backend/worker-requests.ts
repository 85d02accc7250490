// What the index worker answers for the app's views beyond plain rows and detail: packet-list
// rows with their coloring rule, the column sort that needs every frame's column text, and the
// conversation tables. These run in the worker thread because they need the session the index
// pass filled (docs/decisions/index-worker.md).
import type { ColorRule } from '../../shared/contract/api';
import { colorRuleOf } from '../../shared/contract/coloring';
import { tcpConversations, udpConversations, type ConversationInfo } from '../../shared/conversations';
import { compileFilter } from '../../shared/filter/compile';
import { relativeTime, type FrameSource, type Row } from '../../shared/index/columns';

export type TextColumn = 'source' | 'destination' | 'protocol' | 'info';

export interface ColoredRows {
  rows: Row[];
  colors: (ColorRule | null)[];
}

/**
 * Rows for the given frame numbers (any order), each with the coloring rule it matches. The
 * coloring rules test fields (tcp.analysis.flags, icmp.type, ip.ttl…), so each frame is dissected
 * with the tree on: a screenful costs a few milliseconds, and only visible rows are asked for.
 */
export function coloredRows(frames: FrameSource, list: readonly number[]): ColoredRows {
  const rows: Row[] = [];
  const colors: (ColorRule | null)[] = [];
  const last = Math.min(frames.index.count, frames.session.lastVisited);
  for (const f of list) {
    if (!(f >= 1 && f <= last)) continue;
    const bytes = frames.read(f - 1);
    const d = bytes ? frames.dissect(f, true, true, bytes) : null;
    rows.push({
      number: f,
      time: relativeTime(frames.index, f - 1),
      src: d?.columns.src ?? '',
      dst: d?.columns.dst ?? '',
      protocol: d?.columns.protocol ?? '',
      length: frames.index.origlen(f - 1),
      info: d ? d.columns.info : '[packet bytes could not be read back from the file]',
    });
    colors.push(d && bytes ? colorRuleOf(d, bytes) : null);
  }
  return { rows, colors };
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Frames per slice of a text sort: between slices the worker answers row and detail requests. */
const SORT_SLICE = 20_000;

/**
 * Frames 1..count ordered by a column's text (ascending; ties keep frame order, as Wireshark's
 * stable sort does). Each frame is dissected with columns on; a million frames take seconds, so
 * the pass runs in slices and yields between them, and the visible rows keep coming meanwhile.
 * Each distinct text is compared once: texts are ranked, then frames sorted by rank.
 */
export async function sortByText(
  frames: FrameSource,
  count: number,
  column: TextColumn,
): Promise<Uint32Array> {
  const n = Math.min(count, frames.index.count, frames.session.lastVisited);
  const ids = new Map<string, number>();
  const textOf: string[] = [];
  const key = new Uint32Array(n);
  for (let f = 1; f <= n; f++) {
    const d = frames.dissect(f, false, true);
    const c = d?.columns;
    const t = !c
      ? ''
      : column === 'source'
        ? c.src
        : column === 'destination'
          ? c.dst
          : column === 'protocol'
            ? c.protocol
            : c.info;
    let id = ids.get(t);
    if (id === undefined) {
      id = textOf.length;
      ids.set(t, id);
      textOf.push(t);
    }
    key[f - 1] = id;
    if (f % SORT_SLICE === 0) await new Promise((r) => setImmediate(r));
  }
  const byText = textOf.map((_, i) => i).sort((a, b) => collator.compare(textOf[a], textOf[b]));
  const rank = new Uint32Array(textOf.length);
  byText.forEach((id, r) => (rank[id] = r));
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i + 1;
  order.sort((a, b) => rank[key[a - 1]] - rank[key[b - 1]] || a - b);
  return order;
}

/**
 * Frames 1..count that a display filter selects. Each frame is dissected with the tree (filters
 * read fields), in slices like sortByText so rows and details keep being answered meanwhile.
 */
export async function filterFrames(frames: FrameSource, count: number, text: string): Promise<Uint32Array> {
  const c = compileFilter(text);
  if (!c.ok) throw new Error(c.error.message);
  const n = Math.min(count, frames.index.count, frames.session.lastVisited);
  const out = new Uint32Array(n);
  let k = 0;
  let dissected = 0;
  for (let f = 1; f <= n; f++) {
    // Filters on index fields (addresses, ports, streams, TCP flags, lengths) need no dissection.
    const quick = c.filter.indexed ? c.filter.testIndexed(frames.index, f - 1) : null;
    if (quick !== null) {
      if (quick) out[k++] = f;
      continue;
    }
    const bytes = frames.read(f - 1);
    const d = bytes ? frames.dissect(f, true, false, bytes) : null;
    if (d && bytes && c.filter.test({ d, frame: bytes })) out[k++] = f;
    if (++dissected % FILTER_SLICE === 0) await new Promise((r) => setImmediate(r));
  }
  return out.slice(0, k);
}

/** Frames per slice of a filter pass (tree dissections cost more than column ones). */
const FILTER_SLICE = 5_000;

export interface ConversationTables {
  tcp: ConversationInfo[];
  udp: ConversationInfo[];
}

/** Streams that carried packets of their own (as tshark's `-z conv` lists them). */
export function conversationTables(frames: FrameSource): ConversationTables {
  const own = (c: ConversationInfo) => c.packetsAB + c.packetsBA > 0;
  return {
    tcp: tcpConversations(frames.session).filter(own),
    udp: udpConversations(frames.session).filter(own),
  };
}
