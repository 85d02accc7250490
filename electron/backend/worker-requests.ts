// What the index worker answers for the app's views beyond plain rows and detail: packet-list
// rows with the colouring rule they match, the column sort that needs every frame's column text, and the
// conversation tables. These run in the worker thread because they need the session the index
// pass filled (docs/decisions/index-worker.md).
import {
  MAX_CONV_ROWS,
  MAX_FILTER_VALUES,
  type FilterValues,
  MAX_GRAPH_SEGMENTS,
  MAX_IO_BUCKETS,
  type DnsStats,
  type EndpointStats,
  type ExpertStats,
  type HttpStats,
  type IoLine,
  type IoSeries,
  type IoStats,
  type PhsStats,
  type StatsKind,
  type TcpGraphStats,
} from '../../shared/contract/api';
import { tcpConversations, udpConversations, type ConversationInfo } from '../../shared/conversations';
import { fieldByAbbrev } from '../../shared/dissect/fields';
import { fieldsText, ipv4Text, ipv6Text } from '../../shared/dissect/format';
import { findItems } from '../../shared/dissect/query';
import type { Dissection, Item } from '../../shared/dissect/types';
import { coloringFilters, DEFAULT_COLORING } from '../../shared/filter/coloring';
import { compileColoring, type ColoringMatcher } from '../../shared/filter/coloring-match';
import { compileFilter } from '../../shared/filter/compile';
import { AddrKind } from '../../shared/index/intern';
import { PacketFlag } from '../../shared/index/packet-index';
import { relativeTime, type FrameReader, type FrameSource, type Row } from '../../shared/index/columns';
import { CONV_KINDS, ConvTable, convHits } from '../../shared/stats/conv';
import { ExpertTally } from '../../shared/stats/expert';
import { relativeOf, type StatFrame } from '../../shared/stats/frame';
import { PhsBuilder, phsChain, phsShares } from '../../shared/stats/phs';
import { addDnsFrame, emptyDnsSummary } from '../../shared/stats/dns-summary';
import { addHttpFrame, emptyHttpSummary } from '../../shared/stats/http-summary';
import { tcpSegmentOf, type TcpSegment } from '../../shared/stats/tcp-graph';

export type TextColumn = 'source' | 'destination' | 'protocol' | 'info';

export interface ColoredRows {
  rows: Row[];
  /** Per row: index of the first colouring filter selecting it, or null. */
  colors: (number | null)[];
}

const DEFAULT_FILTERS = coloringFilters(DEFAULT_COLORING);
/** Compiled colouring lists by their filters: a page sends the same list with every request. */
const matchers = new Map<string, ColoringMatcher>();

function coloringMatcher(filters: readonly string[]): ColoringMatcher {
  const key = JSON.stringify(filters);
  let m = matchers.get(key);
  if (!m) {
    if (matchers.size >= 8) matchers.delete(matchers.keys().next().value!);
    m = compileColoring(filters);
    matchers.set(key, m);
  }
  return m;
}

/**
 * Rows for the given frame numbers (any order), each with the colouring rule it matches first.
 * The rules are display filters over any field (tcp.analysis.flags, icmp.type, ip.ttl…), so each
 * frame is dissected with the tree on: a screenful costs a few milliseconds, and only visible
 * rows are asked for.
 */
export function coloredRows(
  frames: FrameSource,
  list: readonly number[],
  coloring: readonly string[] = DEFAULT_FILTERS,
): ColoredRows {
  const matcher = coloringMatcher(coloring);
  const rows: Row[] = [];
  const colors: (number | null)[] = [];
  const last = Math.min(frames.index.count, frames.session.lastVisited);
  for (const f of list) {
    if (!(f >= 1 && f <= last)) continue;
    const bytes = frames.read(f - 1);
    const d = bytes ? frames.dissect(f, true, true, bytes, false) : null;
    rows.push({
      number: f,
      time: relativeTime(frames.index, f - 1),
      src: d?.columns.src ?? '',
      dst: d?.columns.dst ?? '',
      protocol: d?.columns.protocol ?? '',
      length: frames.index.origlen(f - 1),
      info: d ? d.columns.info : '[packet bytes could not be read back from the file]',
    });
    colors.push(d && bytes ? matcher.match({ d, frame: bytes }) : null);
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
/** `read`: how the pass reads frames (in frame order: the worker hands it a windowed reader). */
export async function filterFrames(
  frames: FrameSource,
  count: number,
  text: string,
  read: FrameReader = frames.read,
): Promise<Uint32Array> {
  const c = compileFilter(text);
  if (!c.ok) throw new Error(c.error.message);
  const n = Math.min(count, frames.index.count, frames.session.lastVisited);
  const out = new Uint32Array(n);
  let k = 0;
  let dissected = 0;
  for (let f = 1; f <= n; f++) {
    // Filters on index fields (addresses, ports, streams, TCP flags, lengths) need no dissection.
    const quick = c.filter.testIndexed(frames.index, f - 1);
    if (quick !== null) {
      if (quick) out[k++] = f;
      continue;
    }
    const bytes = read(f - 1);
    const d = bytes ? frames.dissect(f, true, false, bytes, false) : null;
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

/** Frames a row of expert information keeps for the app's links (the first ones). */
const EXPERT_FRAMES = 1000;

/**
 * The Statistics views' figures over the frames indexed so far, computed as `wirescope stats`
 * computes them (shared/stats). The I/O graph needs only the index (times, lengths); the
 * hierarchy dissects without the tree, expert information with it (TCP analysis notes are made
 * only then, as in Wireshark), in slices like filterFrames.
 */
export async function statsOf(
  frames: FrameSource,
  kind: StatsKind,
  intervalUs: number,
  stream?: number,
  lines?: readonly IoLine[],
): Promise<PhsStats | ExpertStats | IoStats | EndpointStats | TcpGraphStats | HttpStats | DnsStats> {
  const idx = frames.index;
  const n = Math.min(idx.count, frames.session.lastVisited);
  if (kind === 'endpoints') return endpointStats(frames, n);
  if (kind === 'tcp-graph') return tcpGraphStats(frames, n, stream);
  if (kind === 'http') return httpStats(frames, n);
  if (kind === 'dns') return dnsStats(frames, n);
  if (kind === 'io') {
    const packets: number[] = [];
    const bytes: number[] = [];
    const first: number[] = [];
    if (n > 0) {
      const s0 = idx.tsSec(0);
      const n0 = idx.tsNsec(0);
      let last = 0;
      for (let i = 0; i < n; i++) {
        const { relUs } = relativeOf(idx.tsSec(i), idx.tsNsec(i), s0, n0);
        // Frames older than the first one (reordered captures) count in the first interval.
        const k = Math.max(0, Math.floor(relUs / intervalUs));
        if (k >= MAX_IO_BUCKETS)
          throw new Error(
            `An interval of ${intervalUs / 1000} ms cuts this capture into more than ${MAX_IO_BUCKETS} points: choose a longer one.`,
          );
        while (last <= k) {
          packets.push(0);
          bytes.push(0);
          first.push(0);
          last++;
        }
        packets[k]++;
        bytes[k] += idx.origlen(i);
        if (!first[k]) first[k] = i + 1;
      }
    }
    if (!lines) return { kind, intervalUs, packets, bytes, first };
    return {
      kind,
      intervalUs,
      packets,
      bytes,
      first,
      lines: await ioLines(frames, n, intervalUs, first, lines),
    };
  }
  const tree = kind === 'expert';
  const phs = new PhsBuilder();
  const expert = new ExpertTally();
  for (let f = 1; f <= n; f++) {
    const d = frames.dissect(f, tree, false);
    if (d) {
      if (tree) for (const l of d.layers) for (const e of l.experts) expert.add(e, l.proto, f);
      else phs.add(phsChain(d), idx.origlen(f - 1));
    }
    if (f % FILTER_SLICE === 0) await new Promise((r) => setImmediate(r));
  }
  if (!tree) return { kind, frames: phs.frames, bytes: phs.bytes, tree: phsShares(phs) };
  const groups = expert.bySeverity();
  for (const g of groups) for (const r of g.rows) r.frames = r.frames.slice(0, EXPERT_FRAMES);
  return { kind, groups };
}

/**
 * Each I/O graph line's counts per interval: its filter compiled once, tested on the index alone
 * when the filter allows (addresses, ports, flags, lengths), else on a tree dissection, in slices
 * like filterFrames. The buckets are the plain series' (`all` gives their count), so every line
 * lines up with the others.
 */
async function ioLines(
  frames: FrameSource,
  n: number,
  intervalUs: number,
  all: readonly number[],
  lines: readonly IoLine[],
): Promise<IoSeries[]> {
  const idx = frames.index;
  const compiled = lines.map((l, i) => {
    if (!l.filter.trim()) return null;
    const c = compileFilter(l.filter);
    if (!c.ok) throw new Error(`Line ${i + 1}: ${c.error.message}`);
    return c.filter;
  });
  const out: IoSeries[] = lines.map((l) => ({
    filter: l.filter,
    unit: l.unit,
    values: new Array<number>(all.length).fill(0),
    first: new Array<number>(all.length).fill(0),
  }));
  if (n === 0) return out;
  const s0 = idx.tsSec(0);
  const n0 = idx.tsNsec(0);
  let dissected = 0;
  for (let i = 0; i < n; i++) {
    const { relUs } = relativeOf(idx.tsSec(i), idx.tsNsec(i), s0, n0);
    const k = Math.max(0, Math.floor(relUs / intervalUs));
    const len = idx.origlen(i);
    let d: Dissection | null | undefined;
    let bytes: Uint8Array | null | undefined;
    for (let j = 0; j < lines.length; j++) {
      const f = compiled[j];
      let hit: boolean;
      if (!f) hit = true;
      else {
        const quick = f.testIndexed(idx, i);
        if (quick !== null) hit = quick;
        else {
          if (d === undefined) {
            bytes = frames.read(i);
            d = bytes ? frames.dissect(i + 1, true, false, bytes, false) : null;
            if (++dissected % FILTER_SLICE === 0) await new Promise((r) => setImmediate(r));
          }
          hit = !!(d && bytes && f.test({ d, frame: bytes }));
        }
      }
      if (!hit) continue;
      const s = out[j];
      s.values[k] += s.unit === 'bytes' ? len : 1;
      if (!s.first[k]) s.first[k] = i + 1;
    }
  }
  return out;
}

/**
 * Conversations and endpoints of every kind in one pass: each frame dissected without the tree
 * (the taps read only layer offsets and header bytes), counted as `wirescope stats -z conv,…`.
 */
async function endpointStats(frames: FrameSource, n: number): Promise<EndpointStats> {
  const idx = frames.index;
  const tables = CONV_KINDS.map((k) => new ConvTable(k));
  const s0 = n > 0 ? idx.tsSec(0) : 0;
  const n0 = n > 0 ? idx.tsNsec(0) : 0;
  for (let f = 1; f <= n; f++) {
    const bytes = frames.read(f - 1);
    const d = bytes ? frames.dissect(f, false, false, bytes) : null;
    if (d && bytes) {
      const { rel, relUs } = relativeOf(idx.tsSec(f - 1), idx.tsNsec(f - 1), s0, n0);
      const sf: StatFrame = {
        number: f,
        len: idx.origlen(f - 1),
        rel,
        relUs,
        stream: idx.stream(f - 1),
        d,
        bytes,
      };
      const hits = convHits(sf);
      if (hits.length) for (const t of tables) t.addFrame(sf, hits);
    }
    if (f % FILTER_SLICE === 0) await new Promise((r) => setImmediate(r));
  }
  return {
    kind: 'endpoints',
    tables: tables.map((t) => {
      const conversations = t.conversations();
      const endpoints = t.endpoints();
      return {
        type: t.kind,
        conversations: conversations.slice(0, MAX_CONV_ROWS),
        endpoints: endpoints.slice(0, MAX_CONV_ROWS),
        convMore: Math.max(0, conversations.length - MAX_CONV_ROWS),
        endMore: Math.max(0, endpoints.length - MAX_CONV_ROWS),
      };
    }),
  };
}

/**
 * Every frame 1..n that an index-field filter may select, dissected with the tree and handed to
 * `each`, in slices so requests between them are answered.
 */
async function eachTreeOf(
  frames: FrameSource,
  n: number,
  indexFilter: string,
  each: (d: Dissection) => void,
): Promise<void> {
  const c = compileFilter(indexFilter);
  if (!c.ok) throw new Error(c.error.message);
  let dissected = 0;
  for (let f = 1; f <= n; f++) {
    if (c.filter.testIndexed(frames.index, f - 1) === false) continue;
    const d = frames.dissect(f, true, false);
    if (d) each(d);
    if (++dissected % FILTER_SLICE === 0) await new Promise((r) => setImmediate(r));
  }
}

/**
 * The HTTP summary: only frames of TCP streams are candidates, each dissected with the tree
 * (the tap reads header fields), in slices.
 */
async function httpStats(frames: FrameSource, n: number): Promise<HttpStats> {
  const s = emptyHttpSummary();
  await eachTreeOf(frames, n, 'tcp', (d) => addHttpFrame(s, d));
  return { kind: 'http', ...s };
}

/** The DNS summary: UDP and TCP frames dissected with the tree (the tap reads header fields). */
async function dnsStats(frames: FrameSource, n: number): Promise<DnsStats> {
  const s = emptyDnsSummary();
  await eachTreeOf(frames, n, 'udp or tcp', (d) => addDnsFrame(s, d));
  // JSON has no Infinity: no times, min 0.
  if (!s.times.count) s.times.min = 0;
  return { kind: 'dns', ...s };
}

/** Connections offered by the TCP stream graph's chooser (the busiest, by bytes). */
const GRAPH_STREAMS = 500;

/**
 * One TCP connection's segments for the stream graphs: its frames found through the index
 * (tcp.stream is an index field), each dissected with the tree for the analysis fields.
 */
async function tcpGraphStats(frames: FrameSource, n: number, asked?: number): Promise<TcpGraphStats> {
  const idx = frames.index;
  const all = tcpConversations(frames.session).filter((c) => c.packetsAB + c.packetsBA > 0);
  const addr = (c: ConversationInfo, b: Uint8Array, port: number) => {
    const a = c.netType === 6 ? `[${ipv6Text(b, 0)}]` : ipv4Text(b, 0);
    return `${a}:${port}`;
  };
  const bytesOf = (c: ConversationInfo) => c.bytesAB + c.bytesBA;
  const busiest = [...all].sort((a, b) => bytesOf(b) - bytesOf(a) || a.stream - b.stream);
  const chosen = asked === undefined ? busiest[0] : all.find((c) => c.stream === asked);
  const streams = busiest.slice(0, GRAPH_STREAMS);
  if (chosen && !streams.includes(chosen)) streams.push(chosen);
  const list = streams.map((c) => ({
    stream: c.stream,
    label: `${addr(c, c.addressA, c.portA)} ↔ ${addr(c, c.addressB, c.portB)}`,
    packets: c.packetsAB + c.packetsBA,
    bytes: bytesOf(c),
  }));
  if (!chosen) {
    if (asked !== undefined) throw new Error(`No TCP stream ${asked} in this capture.`);
    return { kind: 'tcp-graph', stream: -1, streams: list, ends: ['', ''], segments: [], truncated: false };
  }
  const c = compileFilter(`tcp.stream == ${chosen.stream}`);
  if (!c.ok) throw new Error(c.error.message);
  const s0 = n > 0 ? idx.tsSec(0) : 0;
  const n0 = n > 0 ? idx.tsNsec(0) : 0;
  const segments: TcpSegment[] = [];
  let truncated = false;
  let dissected = 0;
  for (let f = Math.max(1, chosen.firstFrame); f <= Math.min(n, chosen.lastFrame); f++) {
    const quick = c.filter.testIndexed(idx, f - 1);
    if (quick === false) continue;
    const bytes = frames.read(f - 1);
    const d = bytes ? frames.dissect(f, true, false, bytes) : null;
    if (!d || !bytes || (quick === null && !c.filter.test({ d, frame: bytes }))) continue;
    const seg = tcpSegmentOf(d, f, relativeOf(idx.tsSec(f - 1), idx.tsNsec(f - 1), s0, n0).rel, chosen.portA);
    if (seg) segments.push(seg);
    if (segments.length >= MAX_GRAPH_SEGMENTS) {
      truncated = true;
      break;
    }
    if (++dissected % FILTER_SLICE === 0) await new Promise((r) => setImmediate(r));
  }
  return {
    kind: 'tcp-graph',
    stream: chosen.stream,
    streams: list,
    ends: [addr(chosen, chosen.addressA, chosen.portA), addr(chosen, chosen.addressB, chosen.portB)],
    segments,
    truncated,
  };
}

/** What Ctrl+F looks for: frames a display filter selects, a text in the bytes, or hex bytes. */
export type FindKind = 'filter' | 'string' | 'hex';

/**
 * Hex as typed in Find packet: `47 45 54`, `47:45:54`, `474554` or `0x47,0x45`. Null when it
 * is not whole bytes of hex digits.
 */
export function parseHexBytes(text: string): Uint8Array | null {
  const digits = text.replace(/0x/gi, '').replace(/[\s:,.-]/g, '');
  if (!digits || digits.length % 2 !== 0 || !/^[0-9a-f]+$/i.test(digits)) return null;
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function indexOfBytes(hay: Uint8Array, needle: Uint8Array): number {
  const first = needle[0];
  const last = hay.length - needle.length;
  outer: for (let i = hay.indexOf(first); i >= 0 && i <= last; i = hay.indexOf(first, i + 1)) {
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * The next frame after `from` (wrapping past the last frame to the first, as Wireshark's Find
 * does) that matches; 0 when none does. Strings are searched as UTF-8 in the frame's bytes,
 * case-sensitively (Wireshark's default "Narrow & Wide" is not offered). With `within` (the
 * applied display filter) only frames it selects are candidates, as Wireshark finds among the
 * displayed packets.
 */
export async function findFrame(
  frames: FrameSource,
  count: number,
  from: number,
  kind: FindKind,
  text: string,
  within?: string,
): Promise<number> {
  const n = Math.min(count, frames.index.count, frames.session.lastVisited);
  let test: (f: number) => boolean;
  if (kind === 'filter') {
    const c = compileFilter(text);
    if (!c.ok) throw new Error(`Display filter: ${c.error.message}`);
    test = (f) => {
      const quick = c.filter.testIndexed(frames.index, f - 1);
      if (quick !== null) return quick;
      const bytes = frames.read(f - 1);
      const d = bytes ? frames.dissect(f, true, false, bytes, false) : null;
      return !!(d && bytes && c.filter.test({ d, frame: bytes }));
    };
  } else {
    const needle = kind === 'hex' ? parseHexBytes(text) : new TextEncoder().encode(text);
    if (!needle || needle.length === 0) {
      throw new Error(kind === 'hex' ? `Not hex bytes: “${text}” (e.g. 47 45 54)` : 'Nothing to find');
    }
    test = (f) => {
      const bytes = frames.read(f - 1);
      return !!bytes && indexOfBytes(bytes, needle) >= 0;
    };
  }
  let shown: Uint8Array | null = null;
  if (within) {
    shown = new Uint8Array(n + 1);
    for (const f of await filterFrames(frames, n, within)) shown[f] = 1;
  }
  const start = Math.min(Math.max(from, 0), n);
  for (let k = 1; k <= n; k++) {
    const f = ((start + k - 1) % n) + 1;
    if ((!shown || shown[f]) && test(f)) return f;
    if (k % FILTER_SLICE === 0) await new Promise((r) => setImmediate(r));
  }
  return 0;
}

const quoted = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/**
 * The display filter that selects a tree node's value, as Wireshark's "Apply as filter" writes
 * it: `abbrev == value` with strings quoted, addresses and bytes as tshark prints them, numbers in
 * the field's base; a protocol row gives the protocol name, a field without a value its name
 * alone (presence). Null for a text label (no filter name).
 */
export function fieldFilter(d: Dissection, layer: number, path: readonly number[]): string | null {
  const l = d.layers[layer];
  if (!l) return null;
  if (path.length === 0) return l.proto;
  let items: readonly Item[] | undefined = l.items;
  let it: Item | undefined;
  for (const i of path) {
    it = items?.[i];
    items = it?.children;
  }
  if (!it?.abbrev) return null;
  const def = fieldByAbbrev(it.abbrev);
  if (!def || def.type === 'protocol') return it.abbrev;
  const v = it.value;
  if (def.type === 'none' || v === null || v === undefined) return it.abbrev;
  const text = fieldsText(def, v);
  // Absolute times are written as dates, which need quotes; relative and epoch times are numbers.
  const date = def.type === 'abs_time' && def.base !== 'unix';
  if (def.type === 'string' || date) return `${it.abbrev} == ${quoted(typeof v === 'string' ? v : text)}`;
  return text ? `${it.abbrev} == ${text}` : it.abbrev;
}

/** Wireshark's either-side fields: their values are the two sides' (tshark -Y ip.addr matches both). */
const EITHER: Readonly<Record<string, readonly string[]>> = {
  'eth.addr': ['eth.src', 'eth.dst'],
  'ip.addr': ['ip.src', 'ip.dst'],
  'ipv6.addr': ['ipv6.src', 'ipv6.dst'],
  'tcp.port': ['tcp.srcport', 'tcp.dstport'],
  'udp.port': ['udp.srcport', 'udp.dstport'],
};

/** Packets one completion scan dissects at most, and how long it may take (it answers a keystroke). */
const VALUE_SCAN_FRAMES = 20_000;
const VALUE_SCAN_MS = 300;

/**
 * Values a field takes, most frequent first (ties in text order), for completing `field == `.
 * Each packet is dissected with the tree from the first on, until VALUE_SCAN_FRAMES packets or
 * VALUE_SCAN_MS have gone by: on a large capture the answer says it is partial. Values are
 * tshark's `-T fields` text; strings come back quoted as filter literals.
 */
export function fieldValues(frames: FrameSource, field: string, prefix = ''): FilterValues {
  const def = fieldByAbbrev(field);
  const idx = frames.index;
  const total = Math.min(idx.count, frames.session.lastVisited);
  const none: FilterValues = { field, values: [], scanned: 0, total, partial: false };
  if (!def || def.type === 'none' || def.type === 'protocol') return none;
  const names = EITHER[field] ?? [field];
  const counts = new Map<string, number>();
  const started = Date.now();
  const want = prefix.replace(/^"/, '').toLowerCase();
  const fromIndex = INDEX_VALUES.has(field);
  let dissected = 0;
  let f = 1;
  for (; f <= total; f++) {
    // One count per packet and value: the number of packets `field == value` selects.
    const seen = new Set<string>();
    const add = (v: string) => {
      if (v !== '' && v.toLowerCase().startsWith(want)) seen.add(v);
    };
    // Addresses, ports and streams are in the index (no dissection, no bound), except for
    // frames with nested layers, whose record holds only the innermost ones.
    if (fromIndex && !(idx.flags(f - 1) & PacketFlag.nested)) indexValues(idx, f - 1, field, add);
    else {
      if (dissected >= VALUE_SCAN_FRAMES || (dissected % 256 === 255 && Date.now() - started > VALUE_SCAN_MS))
        break;
      dissected++;
      const bytes = frames.read(f - 1);
      const d = bytes ? frames.dissect(f, true, false, bytes) : null;
      if (!d) continue;
      for (const name of names) {
        const fd = fieldByAbbrev(name) ?? def;
        for (const it of findItems(d, name)) add(fieldsText(fd, it.value));
      }
    }
    for (const v of seen) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const scanned = f - 1;
  const quote = def.type === 'string';
  const values = [...counts]
    .sort((a, b) => b[1] - a[1] || collator.compare(a[0], b[0]))
    .slice(0, MAX_FILTER_VALUES)
    .map(([value, count]) => ({ value, count, text: quote ? JSON.stringify(value) : value }));
  return { field, values, scanned, total, partial: scanned < total };
}

/** Fields whose values the packet index holds (as the filter compiler's indexed names). */
const INDEX_VALUES = new Set([
  'ip.src',
  'ip.dst',
  'ip.addr',
  'ipv6.src',
  'ipv6.dst',
  'ipv6.addr',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.port',
  'tcp.stream',
  'udp.srcport',
  'udp.dstport',
  'udp.port',
  'udp.stream',
]);

function indexValues(idx: FrameSource['index'], i: number, field: string, add: (v: string) => void): void {
  const flags = idx.flags(i);
  const dot = field.indexOf('.');
  const proto = field.slice(0, dot);
  const key = field.slice(dot + 1);
  if (proto === 'ip' || proto === 'ipv6') {
    if (!(flags & PacketFlag.net)) return;
    const s = idx.src(i);
    const d = idx.dst(i);
    if (s < 0) return;
    const kind = idx.addresses.kind(s);
    if (kind !== (proto === 'ip' ? AddrKind.ipv4 : AddrKind.ipv6)) return;
    const text = (id: number) => {
      const b = idx.addresses.addressBytes(id);
      return proto === 'ip' ? ipv4Text(b) : ipv6Text(b);
    };
    if (key !== 'dst') add(text(s));
    if (key !== 'src' && d >= 0) add(text(d));
    return;
  }
  if (!(flags & (proto === 'tcp' ? PacketFlag.tcp : PacketFlag.udp))) return;
  if (key === 'stream') add(String(idx.stream(i)));
  if (key === 'srcport' || key === 'port') add(String(idx.srcport(i)));
  if (key === 'dstport' || key === 'port') add(String(idx.dstport(i)));
}
