// The one API between the views and the backend. Each call is declared once: a `domain.verb`
// name, its input type with a runtime guard, and its result type; each event likewise. The
// contract knows nothing about transport: electron/backend implements it once, and it is served
// over the preload bridge (desktop) and over the serve-mode WebSocket (browser), with the same
// client interface in renderer/api on both (STYLE.md, "The API contract").
//
// Conventions:
// - A capture is named by the `capture` id the backend gave it (CaptureInfo.id); ids are never
//   reused within one backend.
// - Rows are addressed by *position* in a view (0-based), not by frame number: the plain view
//   shows frame p + 1 at position p; a sorted or conversation-filtered view maps positions to
//   frames on the backend, so the packet list stays virtualised whatever the order.
// - Failures travel as typed results (`ApiResult`), never as thrown transport errors; the client
//   turns them into a rejected promise carrying the `ApiError`.
import type { Dissection } from '../dissect/types';
import type { MessagesResult } from '../messages/messages';
import type { Row } from '../index/columns';
import type { CaptureSummary } from '../index/indexer';
import type { ConvKind, ConvRow, EndpointRow } from '../stats/conv';
import type { ExpertRow } from '../stats/expert';
import type { DnsSummary } from '../stats/dns-summary';
import type { HttpSummary } from '../stats/http-summary';
import type { TcpSegment } from '../stats/tcp-graph';
import type { PhsShare } from '../stats/phs';
import type { Severity } from '../dissect/types';
import { anyOf, arrayOf, bool, bytes, int, isVoid, object, oneOf, optional, str, type Guard } from './guards';

export type { Row } from '../index/columns';
export type { CaptureSummary } from '../index/indexer';
export type { Dissection } from '../dissect/types';

// ---------------------------------------------------------------------------------------------
// Limits (guards enforce them; clients size their requests by them)

/** Most rows one `packets.rows` call returns (a 4K screen shows ~150; the rest is prefetch). */
export const MAX_ROWS = 2000;
/** Largest upload chunk, bytes. The client sends UPLOAD_CHUNK-sized pieces. */
export const MAX_UPLOAD_CHUNK = 4 << 20;
export const UPLOAD_CHUNK = 1 << 20;
/** Largest file an upload may announce (serve mode writes it to a temporary file). */
export const MAX_UPLOAD_SIZE = 64 * 2 ** 30;
const MAX_NAME = 1024;
const MAX_PATH = 4096;
const MAX_ID = 64;

// ---------------------------------------------------------------------------------------------
// Shapes

export type CaptureId = string;

/** Where an open capture came from. */
export type CaptureOrigin =
  | 'dialog'
  | 'command-line'
  | 'drop'
  | 'recent'
  | 'upload'
  | 'os'
  /** A live capture (capture helper) or a lab's capture (helper or tap). */
  | 'live'
  /** One of resources/samples (File › Open sample). */
  | 'sample';

export interface CaptureInfo {
  id: CaptureId;
  /** File name for titles and the status bar (no directory). */
  name: string;
  /** Full path where the backend read it (desktop); absent for uploads and in serve mode. */
  path?: string;
  /** File size in bytes. */
  size: number;
  origin: CaptureOrigin;
  /** Set for live captures and labs: where the packets come from. */
  live?: LiveSourceInfo;
}

// ---------------------------------------------------------------------------------------------
// Live capture, the tap and labs (issue #6). A live capture is an ordinary capture whose index
// pass keeps running (phase 'indexing') while packets arrive; it ends ('done') when stopped.

/**
 * How packets are obtained: `capture` = a capture helper (dumpcap, else tcpdump) on an interface;
 * `tap` = the lab's sockets relayed through the backend, IP/TCP/UDP headers reconstructed.
 */
export type LiveMode = 'capture' | 'tap';

export interface LiveSourceInfo {
  mode: LiveMode;
  /** Interface captured on (`lo`), or `tap` for the tap. */
  iface: string;
  /** The BPF capture filter given to the helper ('' = none). */
  filter: string;
  /** `dumpcap` or `tcpdump` (capture mode). */
  helper?: string;
  /** The lab this capture belongs to. */
  lab?: string;
}

/** A network interface a capture helper can open. */
export interface LiveInterface {
  name: string;
  description: string;
  loopback: boolean;
}

/** Whether live capture is possible here, and if not exactly what to grant (and the tap instead). */
export interface LiveAccess {
  /** The capture helper found: dumpcap preferred, else tcpdump; null when neither is installed. */
  helper: 'dumpcap' | 'tcpdump' | null;
  /** The helper may capture (checked by opening an interface, not guessed). */
  permitted: boolean;
  /** Plain words: why not, for this OS; null when permitted. */
  message: string | null;
  /** The steps or commands that grant it on this OS (wireshark group, setcap, ChmodBPF, Npcap). */
  grant: string[];
  /** Interfaces the helper lists (empty when it cannot list them). */
  interfaces: LiveInterface[];
  /** The tap is always available: labs run without any privilege through it. */
  tap: true;
}

/** Live capture state beside CaptureState: running until stopped or the helper ends. */
export interface LiveState {
  running: boolean;
  /** Why the helper stopped on its own (died, exited early), in plain words; what was captured stays. */
  problem: string | null;
}

export type LabKind = 'websocket' | 'tcp-udp';

export interface LabStart {
  lab: LabKind;
  /** `capture` needs capture rights (live.access); `tap` never does. */
  mode: LiveMode;
  /** WebSocket lab: a `ws://` or `wss://` URL to talk to instead of the local server. */
  url?: string;
  /** Milliseconds between the lab's automatic steps (0 = as fast as the sockets go). */
  paceMs?: number;
  /** TCP-vs-UDP lab: messages each side sends (default 10). */
  messages?: number;
  /** TCP-vs-UDP lab: percent of UDP datagrams the lossy relay drops (0–90; simulated loss). */
  loss?: number;
}

export interface LabInfo {
  /** Lab id (`lab.act`, `lab.stop`, `lab.event`). */
  lab: string;
  kind: LabKind;
  mode: LiveMode;
  /** The live capture the lab's traffic goes into (opened for the page like any capture). */
  capture: CaptureInfo;
  /** Where the server listens (`127.0.0.1:PORT`) or the remote URL. */
  target: string;
}

/** What the user asks a running lab to do (WebSocket lab). */
export type LabAction =
  | { action: 'text'; text: string; fragments?: number }
  | { action: 'binary'; hex: string; fragments?: number }
  | { action: 'ping'; text?: string }
  | { action: 'close'; code: number; reason?: string };

/** Measured from the lab's own capture (the engine's conversations), one side of the TCP-vs-UDP lab. */
export interface TransportReport {
  /** `tcp:N` / `udp:N` streams of this side. */
  streams: string[];
  packets: number;
  /** Bytes on the wire (frame lengths). */
  bytes: number;
  /** Application payload bytes. */
  payload: number;
  /** Transport header bytes (TCP 20–60 each, UDP 8 each). */
  headerBytes: number;
  /** Packets with no payload (handshake, ACKs, teardown). */
  controlPackets: number;
  messagesSent: number;
  messagesDelivered: number;
  /** UDP: datagrams the lossy relay dropped (simulated). TCP: retransmissions tshark would flag. */
  lost: number;
  /** Request→reply round trips the exchange needed, handshake included. */
  roundTrips: number;
  /** First to last packet, milliseconds. */
  durationMs: number;
}

export interface LabEvent {
  lab: string;
  /** Increases by one per event of a lab. */
  seq: number;
  /** `step`: a caption for what happens now; `sent`/`received`: application messages; `done`: the lab finished (report for TCP-vs-UDP); `error`: it stopped on a problem. */
  kind: 'step' | 'sent' | 'received' | 'done' | 'error';
  text: string;
  /** Wall clock, milliseconds since the epoch. */
  at: number;
  report?: { tcp: TransportReport; udp: TransportReport };
}

/** A capture shipped in resources/samples, made by a lab from real traffic. */
export interface SampleInfo {
  /** File name (`websocket-lab.pcapng`): what `samples.open` takes. */
  name: string;
  title: string;
  description: string;
}

/** A pcapng export being read in pieces (`export.read`), released when read to the end. */
export interface ExportTicket {
  export: string;
  /** Suggested file name. */
  name: string;
  size: number;
  packets: number;
}

/** Largest piece one `export.read` returns. */
export const MAX_EXPORT_READ = 4 << 20;

export interface Progress {
  /** File bytes the index pass has read, of `total`. */
  bytes: number;
  total: number;
  /** Packets indexed so far (all of them are listable). */
  packets: number;
}

export type CapturePhase = 'indexing' | 'done' | 'cancelled' | 'failed';

/** Everything the status bar, progress bar and error banner need about one open capture. */
export interface CaptureState {
  info: CaptureInfo;
  phase: CapturePhase;
  progress: Progress;
  /** Milliseconds from open to the end of the index pass (null while indexing). */
  loadMs: number | null;
  /** Set when the pass ended (done, cancelled): file header, interfaces, counts, warnings. */
  summary: CaptureSummary | null;
  /**
   * Why the pass stopped early, in plain words, naming the file and the byte offset; the
   * packets indexed before it stay listable (`progress.packets`).
   */
  error: ApiError | null;
  /** Live captures only: whether packets still arrive. */
  live?: LiveState;
}

/**
 * A packet colouring rule (View › Coloring Rules): the first enabled rule whose display filter
 * selects a packet colours its row. The list is the person's preference (the page keeps it);
 * `packets.rows` takes the enabled rules' filters and answers with the index of the one matched.
 */
/** Most colouring rules one list may hold (Wireshark ships 20). */
export const MAX_COLORING_RULES = 64;

export interface ColoringRule {
  name: string;
  filter: string;
  /** CSS hex colours, `#rrggbb`. */
  fg: string;
  bg: string;
  enabled: boolean;
}

/**
 * Wireshark 4.0's default coloring rules by name, in its order: the sequence diagram colours its
 * arrows with them (shared/contract/coloring.ts); the packet list uses the editable ColoringRule list.
 */
export const COLOR_RULES = [
  'bad-tcp',
  'icmp-errors',
  'arp',
  'icmp',
  'tcp-rst',
  'ttl-low',
  'checksum-errors',
  'smb',
  'http',
  'dcerpc',
  'routing',
  'tcp-syn-fin',
  'tcp',
  'udp',
  'broadcast',
] as const;
export type ColorRule = (typeof COLOR_RULES)[number];

/** A packet-list row: Wireshark's default columns plus what the view needs to colour and mark it. */
export interface PacketRow extends Row {
  /**
   * Index of the first colouring filter (as `packets.rows` was given them, else the enabled
   * DEFAULT_COLORING) that selects the packet, or null: no colour, as in Wireshark.
   */
  color: number | null;
  /** Highest expert severity in the packet (Wireshark's expert column), or null. */
  severity: 'comment' | 'chat' | 'note' | 'warn' | 'error' | null;
  malformed: boolean;
  /** caplen < origlen: the capture cut this packet short. */
  truncated: boolean;
  /** tcp.stream / udp.stream of the packet, for "filter to this conversation". */
  stream: { kind: 'tcp' | 'udp'; stream: number } | null;
}

/** A name a display filter may use, with its display name (autocompletion). */
export interface FilterField {
  name: string;
  title: string;
}

export type SortColumn = 'number' | 'time' | 'source' | 'destination' | 'protocol' | 'length' | 'info';

/** Which packets a view lists and in which order. Absent = every packet, in frame order. */
export interface ViewSpec {
  sort?: { column: SortColumn; descending: boolean };
  /** Only the packets of one TCP or UDP stream. */
  conversation?: { kind: 'tcp' | 'udp'; stream: number };
  /** Only the packets a display filter (Wireshark syntax) selects. */
  filter?: string;
}

/** Whether a display filter compiles; where it is wrong when it does not. */
export type FilterCheck =
  { ok: true; fields: string[] } | { ok: false; message: string; start: number; end: number };

/** The longest display filter accepted. */
export const MAX_FILTER = 4096;

export interface RowBatch {
  capture: CaptureId;
  /** Position of rows[0] in the view. */
  from: number;
  rows: PacketRow[];
  /** Rows in the view as far as the capture is indexed (aria-rowcount). */
  total: number;
  /** The index pass is over: `total` will not grow. */
  complete: boolean;
}

export interface PacketDetail {
  capture: CaptureId;
  frame: number;
  /** The full tree (layers, items with byte ranges, experts, extra data sources). */
  dissection: Dissection;
  /** The frame's captured bytes (Dissection.sources holds the extra tabs). */
  bytes: Uint8Array;
}

export interface Conversation {
  kind: 'tcp' | 'udp';
  /** tcp.stream / udp.stream. */
  stream: number;
  /** Endpoint A sent the stream's first packet. Addresses as text (IPv6 per RFC 5952). */
  addressA: string;
  portA: number;
  addressB: string;
  portB: number;
  packets: number;
  packetsAB: number;
  packetsBA: number;
  /** Bytes on the wire (frame lengths). */
  bytes: number;
  bytesAB: number;
  bytesBA: number;
  firstFrame: number;
  lastFrame: number;
  /** Seconds from the capture's first packet to the stream's first packet. */
  relStart: number;
  /** Seconds from the stream's first to its last packet. */
  duration: number;
}

export interface ConversationList {
  capture: CaptureId;
  conversations: Conversation[];
  /** False while the index pass still runs (the list is what was seen so far). */
  complete: boolean;
}

/** The messages of chosen conversations (the sequence diagram's input), both levels unless asked. */
export interface MessageList extends MessagesResult {
  capture: CaptureId;
  /** False while the index pass still runs (conversations may grow). */
  complete: boolean;
}

/** Most conversations one `messages.list` call draws. */
export const MAX_DIAGRAM_STREAMS = 64;

/** Smallest and largest I/O graph interval, microseconds (1 ms to 1 min). */
export const MIN_IO_INTERVAL_US = 1000;
export const MAX_IO_INTERVAL_US = 60_000_000;
/** Most I/O graph buckets one `stats.get` returns; a finer interval over a longer capture is refused. */
export const MAX_IO_BUCKETS = 200_000;

/** Most values one `filter.values` call returns (the most frequent). */
export const MAX_FILTER_VALUES = 50;

/**
 * Values a field takes in the capture, most frequent first, for completing `field == `: `text`
 * is the value as a filter literal (strings quoted). `partial`: only the first `scanned` of
 * `total` packets were looked at (the scan is bounded so completion stays quick).
 */
export interface FilterValues {
  field: string;
  values: { value: string; text: string; count: number }[];
  scanned: number;
  total: number;
  partial: boolean;
}

/** Most lines one I/O graph request draws. */
export const MAX_IO_LINES = 8;

/** One I/O graph line: the packets a display filter selects ('' = all), counted as packets or bytes. */
export interface IoLine {
  filter: string;
  unit: 'packets' | 'bytes';
}

/** A line's counts per interval (its unit) and each interval's first matching frame (0 = none). */
export interface IoSeries extends IoLine {
  values: number[];
  first: number[];
}

export type StatsKind = 'phs' | 'expert' | 'io' | 'endpoints' | 'tcp-graph' | 'http' | 'dns';

/** Most rows one conversation or endpoint table returns (the busiest; `more` counts the rest). */
export const MAX_CONV_ROWS = 5000;

/** Protocol hierarchy (tshark -z io,phs): frames and bytes on the wire per protocol chain. */
export interface PhsStats {
  kind: 'phs';
  frames: number;
  bytes: number;
  tree: PhsShare[];
}

/** Expert information (tshark -z expert) by severity, most severe first; rows keep frame numbers. */
export interface ExpertStats {
  kind: 'expert';
  groups: { severity: Severity; total: number; rows: ExpertRow[] }[];
}

/** Packets and bytes per interval from the first packet; `first[k]` is bucket k's first frame (0 = none). */
export interface IoStats {
  kind: 'io';
  intervalUs: number;
  packets: number[];
  bytes: number[];
  first: number[];
  /** One series per requested line, in request order (absent when no lines were asked for). */
  lines?: IoSeries[];
}

/**
 * Conversations and endpoints (tshark -z conv,TYPE / endpoints,TYPE) for Ethernet, IPv4, IPv6,
 * TCP and UDP, most packets first; `convMore`/`endMore` count rows left out past MAX_CONV_ROWS.
 */
export interface EndpointStats {
  kind: 'endpoints';
  tables: {
    type: ConvKind;
    conversations: ConvRow[];
    endpoints: EndpointRow[];
    convMore: number;
    endMore: number;
  }[];
}

/** Most segments one TCP stream graph returns (the first ones; `truncated` says so). */
export const MAX_GRAPH_SEGMENTS = 200_000;

/**
 * One TCP connection's segments for the stream graphs (time–sequence, round-trip time,
 * throughput), and the connections there are to choose from. `stream` is -1 when the capture
 * has no TCP; when none was asked for, it is the connection that carried the most bytes.
 */
export interface TcpGraphStats {
  kind: 'tcp-graph';
  stream: number;
  streams: { stream: number; label: string; packets: number; bytes: number }[];
  /** Ends A (the first packet's sender) and B as `address:port`. */
  ends: [string, string];
  segments: TcpSegment[];
  truncated: boolean;
}

/** HTTP requests by method, responses by status, requests by host and URI (tshark -z http,tree). */
export interface HttpStats extends HttpSummary {
  kind: 'http';
}

/** DNS messages by reply code, opcode and query type, queries by name, response times (tshark -z dns,tree). */
export interface DnsStats extends DnsSummary {
  kind: 'dns';
}

export type StatsResult = (
  PhsStats | ExpertStats | IoStats | EndpointStats | TcpGraphStats | HttpStats | DnsStats
) & {
  capture: CaptureId;
  /** False while the index pass still runs (counts cover the frames indexed so far). */
  complete: boolean;
};

export interface RecentFile {
  path: string;
  name: string;
  /** Milliseconds since the epoch of the last open. */
  openedAt: number;
}

export type Shell = 'electron' | 'serve';

export interface Hello {
  shell: Shell;
  version: string;
  /** The backend can show a native file dialog (`capture.pick`). */
  canPick: boolean;
  /** The backend accepts dropped files by path (`capture.openDropped`; desktop only). */
  canOpenPaths: boolean;
  /** The backend can put the window on another display for projection (`app.present`; desktop). */
  canPresent: boolean;
  /** Captures already open for this page (command line, file association), oldest first. */
  captures: CaptureState[];
  recent: RecentFile[];
  /**
   * Problems the backend met for this page before it said hello (a command-line file that does
   * not exist…); later ones arrive as `app.notice` events.
   */
  notices: ApiError[];
}

export interface UploadTicket {
  upload: string;
  /** Chunk size the client should send. */
  chunkSize: number;
}

// ---------------------------------------------------------------------------------------------
// Errors

export type ApiErrorCode =
  /** The input failed the verb's guard. */
  | 'bad-input'
  /** Unknown verb. */
  | 'unknown-verb'
  /** The caller may not do this (wrong sender, path not offered by the user…). */
  | 'forbidden'
  /** This front-end does not offer the verb (e.g. a native dialog in serve mode). */
  | 'unsupported'
  /** Unknown capture or upload id (closed, or never opened). */
  | 'not-found'
  /** The file is not a capture, or is damaged: the message names the file and the offset. */
  | 'capture-format'
  /** The file cannot be read (missing, no permission, a directory). */
  | 'io'
  | 'internal';

export interface ApiError {
  code: ApiErrorCode;
  /** Plain words for the person in front of the screen. */
  message: string;
  /** Byte offset in the file where a format error was found. */
  offset?: number;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

// ---------------------------------------------------------------------------------------------
// Declarations

export interface CallSpec<I, O> {
  readonly input: Guard<I>;
  /** Phantom: carries the result type. */
  readonly output?: O;
}
export interface EventSpec<P> {
  /** Phantom: carries the payload type. */
  readonly payload?: P;
}

function call<I, O>(input: Guard<I>): CallSpec<I, O> {
  return { input };
}
function event<P>(): EventSpec<P> {
  return {};
}

const captureId = str(MAX_ID, 1);
const isCaptureRef = object({ capture: captureId });
const isViewSpec = object({
  sort: optional(
    object({
      column: oneOf('number', 'time', 'source', 'destination', 'protocol', 'length', 'info'),
      descending: bool,
    }),
  ),
  conversation: optional(object({ kind: oneOf('tcp', 'udp'), stream: int(0) })),
  filter: optional(str(MAX_FILTER, 1)),
});

export const api = {
  /** First call of a page: who serves it, what is already open, recent files. */
  'app.hello': call<void, Hello>(isVoid),

  /**
   * Desktop projection: `on` moves the page's window full screen onto a display other than the
   * one it is on (the projector, when one is connected) and `off` brings it back. Answers the
   * display's label, or null when there is no other display (the window fills its own screen).
   */
  'app.present': call<{ on: boolean }, { display: string | null }>(object({ on: bool })),

  /** Desktop: show the native open dialog; null when the user cancels. */
  'capture.pick': call<void, CaptureInfo | null>(isVoid),
  /**
   * Desktop: open a file the user dropped on the window. The preload derives the path from the
   * dropped File itself (webUtils.getPathForFile); the page never sends a path of its choosing.
   */
  'capture.openDropped': call<{ path: string }, CaptureInfo>(object({ path: str(MAX_PATH, 1) })),
  /** Open an entry of the recent-files list (only paths on that list are accepted). */
  'capture.openRecent': call<{ path: string }, CaptureInfo>(object({ path: str(MAX_PATH, 1) })),
  'capture.state': call<{ capture: CaptureId }, CaptureState>(isCaptureRef),
  /** Stop the index pass (Esc); what was indexed stays listable. */
  'capture.cancel': call<{ capture: CaptureId }, void>(isCaptureRef),
  'capture.close': call<{ capture: CaptureId }, void>(isCaptureRef),

  /** Start streaming a file from the page (file picker or drop in a browser). */
  'upload.begin': call<{ name: string; size: number }, UploadTicket>(
    object({ name: str(MAX_NAME, 1), size: int(0, MAX_UPLOAD_SIZE) }),
  ),
  /** One chunk, in order: `offset` must equal the bytes received so far. Returns that new count. */
  'upload.chunk': call<{ upload: string; offset: number; bytes: Uint8Array }, { received: number }>(
    object({ upload: str(MAX_ID, 1), offset: int(0, MAX_UPLOAD_SIZE), bytes: bytes(MAX_UPLOAD_CHUNK) }),
  ),
  /** All bytes sent: the capture opens (indexing starts) and the usual events follow. */
  'upload.finish': call<{ upload: string }, CaptureInfo>(object({ upload: str(MAX_ID, 1) })),
  'upload.abort': call<{ upload: string }, void>(object({ upload: str(MAX_ID, 1) })),

  /** Rows at positions [from, from + count) of a view, clipped to what is indexed. */
  /** `coloring`: the enabled colouring rules' filters in order (absent: Wireshark's defaults). */
  'packets.rows': call<
    { capture: CaptureId; from: number; count: number; view?: ViewSpec; coloring?: string[] },
    RowBatch
  >(
    object({
      capture: captureId,
      from: int(0),
      count: int(0, MAX_ROWS),
      view: optional(isViewSpec),
      coloring: optional(arrayOf(str(MAX_FILTER), MAX_COLORING_RULES)),
    }),
  ),
  /** Position of a frame in a view (Ctrl+G, keeping the selection across a sort); -1 if not in it. */
  'packets.position': call<{ capture: CaptureId; frame: number; view?: ViewSpec }, number>(
    object({ capture: captureId, frame: int(1), view: optional(isViewSpec) }),
  ),
  /** Full dissection of one frame (the selected packet); null when it is not indexed yet. */
  'packets.detail': call<{ capture: CaptureId; frame: number }, PacketDetail | null>(
    object({ capture: captureId, frame: int(1) }),
  ),

  /** Checks a display filter as it is typed (green/red, the message and where). */
  'filter.check': call<{ text: string }, FilterCheck>(object({ text: str(MAX_FILTER) })),
  /** Every field and protocol name a filter may use, for autocompletion. */
  'filter.fields': call<void, FilterField[]>(isVoid),
  /** Values seen for a field (those starting with `prefix`), for completing `field == `. */
  'filter.values': call<{ capture: CaptureId; field: string; prefix?: string }, FilterValues>(
    object({ capture: captureId, field: str(256, 1), prefix: optional(str(MAX_FILTER)) }),
  ),
  /**
   * The filter that selects one details-tree node's value ("Apply as filter"): `abbrev == value`
   * in Wireshark's syntax, a protocol's name for a layer; null for a text label.
   */
  'filter.forField': call<
    { capture: CaptureId; frame: number; layer: number; path: number[] },
    string | null
  >(object({ capture: captureId, frame: int(1), layer: int(0), path: arrayOf(int(0), 64) })),
  /**
   * Find packet (Ctrl+F): the next frame after `from` (wrapping) that a display filter selects,
   * whose bytes hold a string (UTF-8) or hex bytes; 0 when none does. `within`: the applied
   * display filter (Wireshark finds among the displayed packets only).
   */
  'packets.find': call<
    { capture: CaptureId; from: number; kind: 'filter' | 'string' | 'hex'; text: string; within?: string },
    number
  >(
    object({
      capture: captureId,
      from: int(0),
      kind: oneOf('filter', 'string', 'hex'),
      text: str(MAX_FILTER, 1),
      within: optional(str(MAX_FILTER, 1)),
    }),
  ),

  /** TCP and UDP streams with endpoints, packets, bytes and duration. */
  'conversations.list': call<{ capture: CaptureId; kind?: 'tcp' | 'udp' }, ConversationList>(
    object({ capture: captureId, kind: optional(oneOf('tcp', 'udp')) }),
  ),

  /**
   * Messages of chosen conversations (`tcp:N`, `udp:N`; all when empty) at one level or both: what
   * the sequence diagram draws. Only those conversations' frames are dissected.
   */
  'messages.list': call<
    { capture: CaptureId; streams: string[]; level?: 'transport' | 'application'; after?: number },
    MessageList
  >(
    object({
      capture: captureId,
      streams: arrayOf(str(16, 5), MAX_DIAGRAM_STREAMS),
      level: optional(oneOf('transport', 'application')),
      // A live diagram's refresh: only messages drawn at frames after this one (the conversations
      // are still complete). Earlier frames are final, so their messages have not changed.
      after: optional(int(0)),
    }),
  ),

  /**
   * Statistics over the frames indexed so far: protocol hierarchy, expert information,
   * conversations and endpoints, a TCP stream's graphs (`stream`: tcp.stream), or packets
   * and bytes per interval (microseconds, 1 ms to 1 min; 1 s when left out).
   */
  'stats.get': call<
    { capture: CaptureId; kind: StatsKind; interval?: number; stream?: number; lines?: IoLine[] },
    StatsResult
  >(
    object({
      capture: captureId,
      kind: oneOf('phs', 'expert', 'io', 'endpoints', 'tcp-graph', 'http', 'dns'),
      interval: optional(int(MIN_IO_INTERVAL_US, MAX_IO_INTERVAL_US)),
      stream: optional(int(0)),
      lines: optional(
        arrayOf(object({ filter: str(MAX_FILTER), unit: oneOf('packets', 'bytes') }), MAX_IO_LINES),
      ),
    }),
  ),

  /** Pcapng of the whole capture, chosen conversations (`tcp:N`) or a display filter's packets; comments kept. */
  'capture.export': call<{ capture: CaptureId; streams?: string[]; filter?: string }, ExportTicket>(
    object({
      capture: captureId,
      streams: optional(arrayOf(str(16, 5), MAX_DIAGRAM_STREAMS)),
      filter: optional(str(MAX_FILTER, 1)),
    }),
  ),
  /** Bytes [offset, offset + length) of an export; the ticket is released after its last byte. */
  'export.read': call<{ export: string; offset: number; length: number }, Uint8Array>(
    object({ export: str(MAX_ID, 1), offset: int(0), length: int(1, MAX_EXPORT_READ) }),
  ),

  /** Capture helper, permission and interfaces (before offering live capture or a lab's mode). */
  'live.access': call<void, LiveAccess>(isVoid),
  /** Starts a live capture on an interface with an optional BPF filter; packets stream into the views. */
  'live.start': call<{ iface: string; filter?: string }, CaptureInfo>(
    object({ iface: str(256, 1), filter: optional(str(MAX_FILTER)) }),
  ),
  /** Stops a live capture (or a lab's capture); what was captured stays open. */
  'live.stop': call<{ capture: CaptureId }, void>(isCaptureRef),

  /** Starts a lab: its servers and clients, and the live capture of their traffic. */
  'lab.start': call<LabStart, LabInfo>(
    object({
      lab: oneOf('websocket', 'tcp-udp'),
      mode: oneOf('capture', 'tap'),
      url: optional(str(2048, 1)),
      paceMs: optional(int(0, 10_000)),
      messages: optional(int(1, 1000)),
      loss: optional(int(0, 90)),
    }),
  ),
  /** Something the user does in a running lab (send a message, ping, close). */
  'lab.act': call<{ lab: string } & LabAction, void>(
    anyOf(
      object({
        lab: str(MAX_ID, 1),
        action: oneOf('text'),
        text: str(1 << 20),
        fragments: optional(int(1, 64)),
      }),
      object({
        lab: str(MAX_ID, 1),
        action: oneOf('binary'),
        hex: str(2 << 20),
        fragments: optional(int(1, 64)),
      }),
      object({ lab: str(MAX_ID, 1), action: oneOf('ping'), text: optional(str(125)) }),
      object({
        lab: str(MAX_ID, 1),
        action: oneOf('close'),
        code: int(1000, 4999),
        reason: optional(str(123)),
      }),
    ),
  ),
  /** Ends a lab: sockets closed, the capture stopped (it stays open). */
  'lab.stop': call<{ lab: string }, void>(object({ lab: str(MAX_ID, 1) })),

  /** The sample captures shipped in resources/samples. */
  'samples.list': call<void, SampleInfo[]>(isVoid),
  'samples.open': call<{ name: string }, CaptureInfo>(object({ name: str(MAX_NAME, 1) })),

  'recent.list': call<void, RecentFile[]>(isVoid),
  'recent.clear': call<void, void>(isVoid),
} as const;

/** Commands a native menu (or the OS) sends to the page; the page also binds its own keys. */
export type AppCommand =
  | 'open'
  | 'close-capture'
  | 'cancel'
  | 'go-to-packet'
  | 'zoom-in'
  | 'zoom-out'
  | 'zoom-reset'
  | 'theme-light'
  | 'theme-dark'
  | 'theme-contrast'
  | 'live-capture'
  | 'labs'
  | 'lab-websocket'
  | 'lab-tcp-udp'
  | 'open-sample'
  | 'save-capture';

export const events = {
  /** The backend opened a capture for this page (menu, command line, file association, recent). */
  'capture.opened': event<CaptureInfo>(),
  /** Index pass progress, about 20 times a second while it runs. */
  'capture.progress': event<{ capture: CaptureId } & Progress>(),
  /** The pass ended: done, cancelled or failed (state.error). Rows seen during it may change: re-ask. */
  'capture.finished': event<CaptureState>(),
  'capture.closed': event<{ capture: CaptureId }>(),
  'recent.changed': event<RecentFile[]>(),
  /** A problem outside any call (a file from the command line or the OS that cannot be opened). */
  'app.notice': event<ApiError>(),
  'app.command': event<{ command: AppCommand }>(),
  /** A running lab's captions, messages, report or error. */
  'lab.event': event<LabEvent>(),
  /** A live capture started or stopped (its helper ended, the user stopped it). */
  'live.changed': event<{ capture: CaptureId } & LiveState>(),
} as const;

export type Api = typeof api;
export type Verb = keyof Api;
export type Events = typeof events;
export type EventName = keyof Events;
export type InputOf<V extends Verb> = Api[V] extends CallSpec<infer I, unknown> ? I : never;
export type OutputOf<V extends Verb> = Api[V] extends CallSpec<unknown, infer O> ? O : never;
export type PayloadOf<E extends EventName> = Events[E] extends EventSpec<infer P> ? P : never;

export const VERBS = Object.keys(api) as Verb[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isVerb(v: unknown): v is Verb {
  return typeof v === 'string' && Object.hasOwn(api, v);
}
export function isEventName(v: unknown): v is EventName {
  return typeof v === 'string' && Object.hasOwn(events, v);
}

/** The verbs as functions: what renderer/api gives the views, whatever the transport. */
export type ApiClient = {
  call<V extends Verb>(verb: V, ...input: InputOf<V> extends void ? [] : [InputOf<V>]): Promise<OutputOf<V>>;
  /** Subscribe to an event; returns the function that unsubscribes. */
  on<E extends EventName>(name: E, listener: (payload: PayloadOf<E>) => void): () => void;
};

/** A rejected call carries this (the backend's typed error). */
export class ApiCallError extends Error {
  readonly code: ApiErrorCode;
  readonly offset?: number;
  constructor(
    readonly verb: string,
    error: ApiError,
  ) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
    if (error.offset !== undefined) this.offset = error.offset;
  }
}

/** Reads an input that crossed a boundary: the verb's guard, with the first failing path named. */
export { explainRefusal } from './guards';
export const isRecentList = arrayOf(
  object({ path: str(MAX_PATH, 1), name: str(MAX_NAME), openedAt: int(0) }),
  100,
);
