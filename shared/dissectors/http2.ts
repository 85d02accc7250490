// HTTP/2 (RFC 9113) over TCP, with HPACK (RFC 7541, hpack.ts). Names, values, tree lines and
// the Info column follow Wireshark 4.0's packet-http2.c.
//
// Each HTTP/2 frame (and the 24-byte connection preface) is one PDU of TCP reassembly
// (`framing`), so the dissector always sees whole frames, and several frames of one segment are
// each a layer. Header blocks are decoded on the first pass, in stream order, with one HPACK
// decoder per TCP direction; the decoded lists are kept per (frame, HTTP/2 layer of the frame), so
// every later visit shows the same headers.
//
// Deliberate differences from Wireshark 4.0:
// - Wireshark puts the frames a segment carries whole into ONE http2 entry of frame.protocols
//   (tcp_dissect_pdus calls its PDU function without a new layer) and a reassembled frame into
//   another (`tcp:http2:http2`); Wirescope has one layer per HTTP/2 frame.
// - DATA padding: Wireshark 4.0 shows the pad bytes inside http2.data.data as well as in
//   http2.data.padding; Wirescope's http2.data.data is the data alone (RFC 9113 §6.1).
// - Wireshark 4.0 decodes no header block of a connection whose SETTINGS change the header table
//   size (tests/fixtures/http2/h2c-node.pcapng: it sets the limit of the wrong direction and every
//   later block fails); Wirescope applies each SETTINGS_HEADER_TABLE_SIZE to the decoder of the
//   direction that receives it (the peer's encoder follows it, RFC 7541 §4.2).
// - The h2c Upgrade (RFC 7540 §3.2): the upgraded HTTP/1.1 request is stream 1's request.
import type { Cursor } from '../dissect/cursor';
import type { DissectResult, Dissector, NextHint } from '../dissect/engine';
import { defineFields } from '../dissect/fields';
import { emitMessage, type PacketInfo } from '../dissect/packet';
import type { FieldDef, Item } from '../dissect/types';
import {
  NEED_MORE,
  NOT_MINE,
  PduStream,
  rebuildPdu,
  type Pdu,
  type PduFraming,
} from '../reassembly/pdu-stream';
import { tcpReassembly } from '../reassembly/tcp-stream';
import { gunzipSync, inflateSync, unzlibSync } from 'fflate';
import { encodeUtf8 } from '../capture/text';
import { HpackDecoder, type HpackBlock } from './hpack';

/** One header field as HPACK decoded it (names lower-case as on the wire). */
export interface Http2Header {
  name: string;
  value: string;
}

/**
 * What a body dissector reached through the `media_type` table from HTTP/2 DATA gets as
 * `p.context`. `dir` is the TCP direction (0: the one that spoke first); `fromClient` says whether
 * the bytes go client → server. `requestHeaders` / `responseHeaders` are the stream's header lists
 * known when the bytes were dissected (pseudo-headers included; trailers excluded); `endStream`
 * is set when the DATA frame that completed these bytes carried END_STREAM.
 */
export interface Http2Context {
  tcpStream: number;
  streamId: number;
  dir: 0 | 1;
  fromClient: boolean;
  requestHeaders: readonly Http2Header[];
  responseHeaders: readonly Http2Header[];
  /** Trailers (a HEADERS block after the DATA, e.g. grpc-status) when already seen; else empty. */
  trailers: readonly Http2Header[];
  endStream: boolean;
  /**
   * A HEADERS block handed to the body's dissector by itself: gRPC trailers, or a trailers-only
   * gRPC response (`:status` and `grpc-status` in one block), which carry no DATA.
   */
  headersOnly?: boolean;
}

const PREFACE = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n';
const PREFACE_LEN = 24;

const T_DATA = 0;
const T_HEADERS = 1;
const T_PRIORITY = 2;
const T_RST = 3;
const T_SETTINGS = 4;
const T_PUSH = 5;
const T_PING = 6;
const T_GOAWAY = 7;
const T_WINDOW = 8;
const T_CONT = 9;

const TYPES: Record<number, string> = {
  0: 'DATA',
  1: 'HEADERS',
  2: 'PRIORITY',
  3: 'RST_STREAM',
  4: 'SETTINGS',
  5: 'PUSH_PROMISE',
  6: 'PING',
  7: 'GOAWAY',
  8: 'WINDOW_UPDATE',
  9: 'CONTINUATION',
  10: 'ALTSVC',
  11: 'BLOCKED',
  12: 'ORIGIN',
  16: 'PRIORITY_UPDATE',
};

const ERRORS: Record<number, string> = {
  0: 'NO_ERROR',
  1: 'PROTOCOL_ERROR',
  2: 'INTERNAL_ERROR',
  3: 'FLOW_CONTROL_ERROR',
  4: 'SETTINGS_TIMEOUT',
  5: 'STREAM_CLOSED',
  6: 'FRAME_SIZE_ERROR',
  7: 'REFUSED_STREAM',
  8: 'CANCEL',
  9: 'COMPRESSION_ERROR',
  10: 'CONNECT_ERROR',
  11: 'ENHANCE_YOUR_CALM',
  12: 'INADEQUATE_SECURITY',
  13: 'HTTP_1_1_REQUIRED',
};

const SETTINGS: Record<number, string> = {
  1: 'Header table size',
  2: 'Enable PUSH',
  3: 'Max concurrent streams',
  4: 'Initial Windows size',
  5: 'Max frame size',
  6: 'Max header list size',
  8: 'Extended CONNECT',
};

/** The http2.headers.* convenience fields (Wireshark's list), by header name. */
const HEADER_FIELDS: readonly [string, 'string' | 'u16' | 'u64'][] = [
  [':authority', 'string'],
  [':status', 'u16'],
  [':path', 'string'],
  [':method', 'string'],
  [':scheme', 'string'],
  ...(
    'accept accept-charset accept-encoding accept-language accept-ranges access-control-allow-origin allow ' +
    'authorization cache-control content-disposition content-encoding content-language content-location ' +
    'content-range content-type cookie date etag expect expires from if-match if-modified-since if-none-match ' +
    'if-range if-unmodified-since last-modified link location proxy-authenticate proxy-authorization range ' +
    'referer refresh retry-after server set-cookie strict-transport-security user-agent vary via www-authenticate'
  )
    .split(' ')
    .map((n) => [n, 'string'] as [string, 'string']),
  ['age', 'u64'],
  ['content-length', 'u64'],
  ['max-forwards', 'u64'],
];

const headerSpecs: Record<string, { name: string; type: 'string' | 'u16' | 'u64' }> = {};
for (const [n, t] of HEADER_FIELDS)
  headerSpecs[`headers.${n.replace(/^:/, '').replace(/-/g, '_')}`] = { name: n, type: t };

const F = defineFields(
  'http2',
  'HyperText Transfer Protocol 2',
  { osi: 7, tcpip: 'application' },
  {
    stream: { name: 'Stream', type: 'none' },
    length: { name: 'Length', type: 'u24' },
    type: { name: 'Type', type: 'u8', vals: TYPES },
    r: { name: 'Reserved', type: 'u32', base: 'hex', mask: 0x80000000 },
    streamid: { name: 'Stream Identifier', type: 'u32', mask: 0x7fffffff },
    magic: { name: 'Magic', type: 'string' },
    unknown: { name: 'Unknown', type: 'bytes' },
    flags: { name: 'Flags', type: 'u8', base: 'hex' },
    'flags.end_stream': { name: 'End Stream', type: 'bool', mask: 0x1 },
    'flags.eh': { name: 'End Headers', type: 'bool', mask: 0x4 },
    'flags.padded': { name: 'Padded', type: 'bool', mask: 0x8 },
    'flags.priority': { name: 'Priority', type: 'bool', mask: 0x20 },
    'flags.ack.ping': { name: 'ACK', type: 'bool', mask: 0x1 },
    'flags.unused': { name: 'Unused', type: 'u8', base: 'hex', mask: 0xff },
    'flags.unused_settings': { name: 'Unused', type: 'u8', base: 'hex', mask: 0xfe },
    'flags.unused_ping': { name: 'Unused', type: 'u8', base: 'hex', mask: 0xfe },
    'flags.unused_continuation': { name: 'Unused', type: 'u8', base: 'hex', mask: 0xfb },
    'flags.unused_push_promise': { name: 'Unused', type: 'u8', base: 'hex', mask: 0xf3 },
    'flags.unused_data': { name: 'Unused', type: 'u8', base: 'hex', mask: 0xf6 },
    'flags.unused_headers': { name: 'Unused', type: 'u8', base: 'hex', mask: 0xd2 },
    'flags.ack.settings': { name: 'ACK', type: 'bool', mask: 0x1 },
    padding: { name: 'Pad Length', type: 'u8', base: 'hex' },
    pad_length: { name: 'Pad Length', type: 'u16' },
    exclusive: { name: 'Exclusive', type: 'bool', mask: 0x80000000 },
    stream_dependency: { name: 'Stream Dependency', type: 'u32', mask: 0x7fffffff },
    'headers.weight': { name: 'Weight', type: 'u8' },
    'headers.weight_real': { name: 'Weight real', type: 'u8' },
    'data.data': { name: 'Data', type: 'bytes' },
    'data.padding': { name: 'Padding', type: 'bytes' },
    headers: { name: 'Header Block Fragment', type: 'bytes' },
    'headers.padding': { name: 'Padding', type: 'bytes' },
    header: { name: 'Header', type: 'none' },
    'header.length': { name: 'Header Length', type: 'u32' },
    'header.count': { name: 'Header Count', type: 'u32' },
    'header.name.length': { name: 'Name Length', type: 'u32' },
    'header.name': { name: 'Name', type: 'string' },
    'header.value.length': { name: 'Value Length', type: 'u32' },
    'header.value': { name: 'Value', type: 'string' },
    'header.unescaped': { name: 'Unescaped', type: 'string' },
    'header.repr': { name: 'Representation', type: 'string' },
    'header.index': { name: 'Index', type: 'u32' },
    header_table_size_update: { name: 'Header table size update', type: 'none' },
    'header_table_size_update.header_table_size': { name: 'Header table size', type: 'u32' },
    'request.full_uri': { name: 'Full request URI', type: 'string' },
    'rst_stream.error': { name: 'Error', type: 'u32', vals: ERRORS },
    settings: { name: 'Settings', type: 'none' },
    'settings.id': { name: 'Settings Identifier', type: 'u16', vals: SETTINGS },
    'settings.header_table_size': { name: 'Header table size', type: 'u32' },
    'settings.enable_push': { name: 'Enable PUSH', type: 'u32' },
    'settings.max_concurrent_streams': { name: 'Max concurrent streams', type: 'u32' },
    'settings.initial_window_size': { name: 'Initial Windows Size', type: 'u32' },
    'settings.max_frame_size': { name: 'Max frame size', type: 'u32' },
    'settings.max_header_list_size': { name: 'Max header list size', type: 'u32' },
    'settings.extended_connect': { name: 'Extended CONNECT', type: 'u32' },
    'settings.unknown': { name: 'Unknown Settings', type: 'u32' },
    'push_promise.r': { name: 'Reserved', type: 'u32', base: 'hex', mask: 0x80000000 },
    'push_promise.promised_stream_id': { name: 'Promised-Stream-ID', type: 'u32', mask: 0x7fffffff },
    'push_promise.header': { name: 'Header Block Fragment', type: 'bytes' },
    'push_promise.padding': { name: 'Padding', type: 'bytes' },
    ping: { name: 'Ping', type: 'bytes' },
    pong: { name: 'Pong', type: 'bytes' },
    'goway.r': { name: 'Reserved', type: 'u32', base: 'hex', mask: 0x80000000 },
    'goaway.last_stream_id': { name: 'Last-Stream-ID', type: 'u32', mask: 0x7fffffff },
    'goaway.error': { name: 'Error', type: 'u32', vals: ERRORS },
    'goaway.addata': { name: 'Additional Debug Data', type: 'bytes' },
    'window_update.r': { name: 'Reserved', type: 'u32', base: 'hex', mask: 0x80000000 },
    'window_update.window_size_increment': { name: 'Window Size Increment', type: 'u32', mask: 0x7fffffff },
    'continuation.header': { name: 'Continuation Header', type: 'string' },
    'continuation.padding': { name: 'Padding', type: 'bytes' },
    body_decompression_failed: { name: 'Body decompression failed', type: 'none' },
    ...headerSpecs,
  },
);

const SETTING_FIELDS: Record<number, FieldDef> = {
  1: F['settings.header_table_size'],
  2: F['settings.enable_push'],
  3: F['settings.max_concurrent_streams'],
  4: F['settings.initial_window_size'],
  5: F['settings.max_frame_size'],
  6: F['settings.max_header_list_size'],
  8: F['settings.extended_connect'],
};

const HEADER_FIELD_BY_NAME = new Map<string, FieldDef>();
for (const [n] of HEADER_FIELDS)
  HEADER_FIELD_BY_NAME.set(
    n,
    (F as unknown as Record<string, FieldDef>)[`headers.${n.replace(/^:/, '').replace(/-/g, '_')}`],
  );

/** Reason phrases Wireshark appends to `:status` (its HTTP table, the common part). */
const REASONS: Record<number, string> = {
  100: 'Continue',
  101: 'Switching Protocols',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  203: 'Non-authoritative Information',
  204: 'No Content',
  205: 'Reset Content',
  206: 'Partial Content',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  305: 'Use Proxy',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Time-out',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Request Entity Too Large',
  414: 'Request-URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Requested Range Not Satisfiable',
  417: 'Expectation Failed',
  418: "I'm a teapot",
  421: 'Misdirected Request',
  422: 'Unprocessable Entity',
  425: 'Too Early',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Time-out',
  505: 'HTTP Version not supported',
};

// ---- state -------------------------------------------------------------------------------------

interface StreamState {
  request: Http2Header[];
  response: Http2Header[];
  /** Trailers per direction. */
  trailers: [Http2Header[], Http2Header[]];
  /** Body reassembly for a media type with framing, per direction. */
  bodies: [PduStream | null, PduStream | null];
  /** Compressed bodies collected until END_STREAM, per direction. */
  encoded: [Uint8Array[] | null, Uint8Array[] | null];
}

interface Conn {
  decoders: [HpackDecoder, HpackDecoder];
  /** Direction of the client: the preface's sender (0 until known otherwise). */
  clientDir: 0 | 1;
  /** A header block in progress per direction (HEADERS/PUSH_PROMISE without END_HEADERS). */
  pending: [
    { stream: number; promised: number; type: number; parts: Uint8Array[] } | null,
    null | { stream: number; promised: number; type: number; parts: Uint8Array[] },
  ];
  streams: Map<number, StreamState>;
  /** Header table sizes each side announced, applied on the peer's ACK is what RFC 7541 §4.2 implies;
   * decoders are bounded by them as soon as they are sent (a bound, not a size). */
  upgradeSeen: boolean;
}

/** What later visits need of one HTTP/2 layer, recorded on the first pass. */
interface Note {
  block?: HpackBlock;
  /** The stream the block belongs to and whether it is a request, a response or trailers. */
  role?: 'request' | 'response' | 'trailers' | 'promise';
  /** For DATA: the content type and the context handed on. */
  mediaType?: string;
  context?: Http2Context;
  /** PDUs of a framed body completed by this DATA frame. */
  bodyPdus?: Pdu[];
  /** The decoded body (content-encoding) completed here, or the decoding error. */
  decoded?: Uint8Array;
  decodeError?: string;
  encoding?: string;
  /** A CONTINUATION with no header block in progress on its stream. */
  orphan?: boolean;
  /** gRPC trailers in this block, handed to grpc on every visit. */
  grpcTrailers?: Http2Context;
}

interface State {
  conns: Map<number, Conn>;
  notes: Map<string, Note>;
}

function state(p: PacketInfo): State {
  return p.session.state('http2', () => {
    const st: State = { conns: new Map(), notes: new Map() };
    p.session.onStreamClosed((tcp) => st.conns.delete(tcp));
    return st;
  });
}

function conn(s: State, tcp: number): Conn {
  let c = s.conns.get(tcp);
  if (!c)
    s.conns.set(
      tcp,
      (c = {
        decoders: [new HpackDecoder(), new HpackDecoder()],
        clientDir: 0,
        pending: [null, null],
        streams: new Map(),
        upgradeSeen: false,
      }),
    );
  return c;
}

function streamState(c: Conn, id: number): StreamState {
  let s = c.streams.get(id);
  if (!s)
    c.streams.set(
      id,
      (s = { request: [], response: [], trailers: [[], []], bodies: [null, null], encoded: [null, null] }),
    );
  return s;
}

/** Whether the segment goes the way of tcp-stream's flow1 (tcp.ts's isFlow1, same rule). */
function isFlow1(p: PacketInfo): boolean {
  const src = p.netSrc;
  const dst = p.netDst;
  let d = 0;
  if (src && dst)
    for (let i = 0; i < src.length && i < dst.length; i++) {
      if (src[i] !== dst[i]) {
        d = src[i] < dst[i] ? -1 : 1;
        break;
      }
    }
  if (d === 0) d = p.srcport > p.dstport ? 1 : -1;
  return d >= 0;
}

/** The TCP direction of this packet as tcp-stream numbers it (0: the side that spoke first). */
function direction(p: PacketInfo): 0 | 1 {
  if (p.stream < 0) return 0;
  const st = p.session.peek<ReturnType<typeof tcpReassembly>>('tcp.reassembly')?.streams.get(p.stream);
  if (!st) return 0;
  return isFlow1(p) === st.firstIsFlow1 ? 0 : 1;
}

/** This layer's ordinal among the frame's http2 layers (the engine pushed it already). */
function ordinal(p: PacketInfo): number {
  let n = 0;
  for (const x of p.protocols) if (x === 'http2') n++;
  return n;
}

// ---- framing and detection ---------------------------------------------------------------------

function isPreface(d: Uint8Array, at: number, end: number): boolean {
  const n = Math.min(PREFACE_LEN, end - at);
  for (let i = 0; i < n; i++) if (d[at + i] !== PREFACE.charCodeAt(i)) return false;
  return true;
}

/** A plausible SETTINGS frame at `at` (the server's first frame; a peer's mid-stream). */
function isSettings(d: Uint8Array, at: number, end: number): boolean {
  if (end - at < 9) return false;
  const len = (d[at] << 16) | (d[at + 1] << 8) | d[at + 2];
  if (d[at + 3] !== T_SETTINGS || d[at + 4] & 0xfe || len % 6 || len > 16 * 6) return false;
  if (d[at + 5] | d[at + 6] | d[at + 7] | d[at + 8]) return false;
  if (d[at + 4] & 1 && len) return false;
  for (let o = at + 9; o + 6 <= Math.min(end, at + 9 + len); o += 6) {
    const id = (d[o] << 8) | d[o + 1];
    if (id === 0 || id > 9) return false;
  }
  return true;
}

const framing: PduFraming = {
  minLength: 9,
  pduLength(d, at, end) {
    if (d[at] === 0x50) {
      if (!isPreface(d, at, end)) return NOT_MINE;
      return end - at < PREFACE_LEN ? NEED_MORE : PREFACE_LEN;
    }
    if (end - at < 9) return NEED_MORE;
    return 9 + ((d[at] << 16) | (d[at + 1] << 8) | d[at + 2]);
  },
};

function heuristic(d: Uint8Array, at: number, end: number): boolean {
  // The preface may arrive cut (a tiny first segment): "PRI * HT" is already distinctive.
  if (end - at >= 8 && isPreface(d, at, end)) return true;
  return isSettings(d, at, end);
}

// ---- the dissector -----------------------------------------------------------------------------

interface FrameHead {
  length: number;
  type: number;
  flags: number;
  stream: number;
}

function typeName(t: number): string {
  return TYPES[t] ?? `Unknown type (${t})`;
}

function flagsText(type: number, flags: number): string {
  const names: string[] = [];
  if (type === T_SETTINGS || type === T_PING) {
    if (flags & 1) names.push('ACK');
  } else if (type === T_DATA || type === T_HEADERS || type === T_PUSH || type === T_CONT) {
    if (type === T_HEADERS && flags & 0x20) names.push('Priority');
    if (type !== T_CONT && flags & 0x8) names.push('Padded');
    if (type !== T_DATA && flags & 0x4) names.push('End Headers');
    if ((type === T_DATA || type === T_HEADERS) && flags & 0x1) names.push('End Stream');
  }
  return `0x${flags.toString(16).padStart(2, '0')}${names.length ? `, ${names.join(', ')}` : ''}`;
}

/** Info: the frame's first HTTP/2 layer replaces TCP's text, later ones append (as tshark). */
function appendInfo(p: PacketInfo, s: string): void {
  p.columns.info = p.columns.info && ordinal(p) > 1 ? `${p.columns.info}, ${s}` : s;
}

function headerValue(list: readonly Http2Header[], name: string): string | undefined {
  for (const h of list) if (h.name === name) return h.value;
  return undefined;
}

function mediaTypeOf(list: readonly Http2Header[]): string {
  const ct = headerValue(list, 'content-type');
  if (!ct) return '';
  const semi = ct.indexOf(';');
  return (semi < 0 ? ct : ct.slice(0, semi)).trim().toLowerCase();
}

/** `GET /path` or `200 OK` of a header list, as Wireshark appends it to Info. */
function blockInfo(list: readonly Http2Header[]): string {
  const method = headerValue(list, ':method');
  const path = headerValue(list, ':path');
  if (method !== undefined && path !== undefined) return `${method} ${path}`;
  const status = headerValue(list, ':status');
  if (status !== undefined) {
    const reason = REASONS[Number(status)];
    return reason ? `${status} ${reason}` : status;
  }
  return '';
}

/** The upgraded HTTP/1.1 request as the HTTP dissector left it (convState 'http2.upgrade'). */
function upgradeHeaders(v: unknown): Http2Header[] {
  if (!v || typeof v !== 'object') return [];
  const o = v as Record<string, unknown>;
  const out: Http2Header[] = [];
  const method = typeof o.method === 'string' ? o.method : 'GET';
  const uri =
    typeof o.uri === 'string'
      ? o.uri
      : typeof o.path === 'string'
        ? o.path
        : typeof o.target === 'string'
          ? o.target
          : '/';
  out.push({ name: ':method', value: method }, { name: ':path', value: uri });
  const hs = o.headers;
  const add = (name: unknown, value: unknown) => {
    if (typeof name === 'string' && typeof value === 'string') out.push({ name: name.toLowerCase(), value });
  };
  if (Array.isArray(hs)) {
    for (const h of hs) {
      if (Array.isArray(h)) add(h[0], h[1]);
      else if (h && typeof h === 'object')
        add((h as Record<string, unknown>).name, (h as Record<string, unknown>).value);
    }
  } else if (hs && typeof hs === 'object') for (const [k, val] of Object.entries(hs)) add(k, val);
  return out;
}

function dissect(c: Cursor, p: PacketInfo) {
  const start = c.pos;
  if (p.cols) p.columns.protocol = 'HTTP2';
  if (c.remaining >= PREFACE_LEN && isPreface(c.data, start, start + PREFACE_LEN) && c.data[start] === 0x50) {
    const top = c.add(F.stream, start, PREFACE_LEN, null, 'Stream: Magic');
    c.within(top, () => c.text(PREFACE_LEN, F.magic));
    if (p.cols) appendInfo(p, 'Magic');
    if (!p.visited && p.stream >= 0) {
      const cn = conn(state(p), p.stream);
      cn.clientDir = direction(p);
    }
    emitMessage(p, { proto: 'http2', label: 'Magic (connection preface)', role: 'client' });
    return { summary: 'HyperText Transfer Protocol 2: Magic' };
  }
  const h: FrameHead = {
    length: c.getU24(start),
    type: c.getU8(start + 3),
    flags: c.getU8(start + 4),
    stream: c.getU32(start + 5) & 0x7fffffff,
  };
  c.limit(start + 9 + h.length);
  const name = typeName(h.type);
  const top = c.add(
    F.stream,
    start,
    9 + h.length,
    null,
    `Stream: ${name}, Stream ID: ${h.stream}, Length ${h.length}`,
  );
  const st = state(p);
  const dir = direction(p);
  const key = `${p.frame.number}:${ordinal(p)}`;
  const tcp = p.stream;
  const cn = tcp >= 0 ? (p.visited ? (st.conns.get(tcp) ?? null) : conn(st, tcp)) : null;
  if (cn && !p.visited && !cn.upgradeSeen) {
    // An h2c Upgrade (RFC 7540 §3.2): the HTTP/1.1 request became stream 1's request.
    cn.upgradeSeen = true;
    const up = upgradeOf(p);
    if (up) streamState(cn, 1).request = up;
  }
  const fromClient = dir === (cn?.clientDir ?? 0);
  const role = fromClient ? 'client' : 'server';
  if (p.cols) appendInfo(p, `${name}[${h.stream}]`);
  let res: DissectResult = {
    summary: 'HyperText Transfer Protocol 2',
  };
  c.within(top, () => {
    c.u24(F.length);
    c.u8(F.type);
    const flagItem = c.add(F.flags, start + 4, 1, h.flags, `Flags: ${flagsText(h.type, h.flags)}`);
    c.pos = start + 5;
    c.within(flagItem, () => flagBits(c, h));
    c.bits(F.r, c.getU32(start + 5), start + 5, 4);
    c.bits(F.streamid, c.getU32(start + 5), start + 5, 4);
    c.pos = start + 9;
    res = payload(c, p, h, { st, cn, dir, key, fromClient, role, top }) ?? res;
  });
  return res;
}

function flagBits(c: Cursor, h: FrameHead): void {
  const at = h.flags;
  const o = c.pos - 1;
  switch (h.type) {
    case T_DATA:
      c.bits(F['flags.unused_data'], at, o, 1);
      c.bits(F['flags.padded'], at, o, 1);
      c.bits(F['flags.end_stream'], at, o, 1);
      break;
    case T_HEADERS:
      c.bits(F['flags.unused_headers'], at, o, 1);
      c.bits(F['flags.priority'], at, o, 1);
      c.bits(F['flags.padded'], at, o, 1);
      c.bits(F['flags.eh'], at, o, 1);
      c.bits(F['flags.end_stream'], at, o, 1);
      break;
    case T_SETTINGS:
      c.bits(F['flags.unused_settings'], at, o, 1);
      c.bits(F['flags.ack.settings'], at, o, 1);
      break;
    case T_PING:
      c.bits(F['flags.unused_ping'], at, o, 1);
      c.bits(F['flags.ack.ping'], at, o, 1);
      break;
    case T_PUSH:
      c.bits(F['flags.unused_push_promise'], at, o, 1);
      c.bits(F['flags.padded'], at, o, 1);
      c.bits(F['flags.eh'], at, o, 1);
      break;
    case T_CONT:
      c.bits(F['flags.unused_continuation'], at, o, 1);
      c.bits(F['flags.eh'], at, o, 1);
      break;
    default:
      c.bits(F['flags.unused'], at, o, 1);
  }
}

interface Ctx {
  st: State;
  cn: Conn | null;
  dir: 0 | 1;
  key: string;
  fromClient: boolean;
  role: 'client' | 'server';
  top: Item | null;
}

/** Pad Length (when PADDED) → [start of the fragment, pad length]. */
function padding(c: Cursor, h: FrameHead): number {
  if (h.flags & 0x8) {
    const n = c.u8(F.padding);
    c.generated(F.pad_length, n, `[Pad Length: ${n}]`);
    if (n > h.length - 1)
      c.expert(
        'http2.padding.too_long',
        'error',
        'malformed',
        `Pad Length ${n} exceeds the frame payload (${h.length - 1} bytes after it)`,
      );
    return Math.min(n, Math.max(0, c.end - c.pos));
  }
  c.generated(F.pad_length, 0, '[Pad Length: 0]');
  return 0;
}

function payload(c: Cursor, p: PacketInfo, h: FrameHead, x: Ctx): DissectResult | void {
  const end = c.start + 9 + h.length;
  const sub = `h2:${h.stream}`;
  switch (h.type) {
    case T_DATA:
      return data(c, p, h, x, end);
    case T_HEADERS:
    case T_PUSH: {
      const pad = padding(c, h);
      let promised = 0;
      if (h.type === T_HEADERS && h.flags & 0x20) priority(c);
      if (h.type === T_PUSH) {
        const v = c.getU32(c.pos);
        c.bits(F['push_promise.r'], v, c.pos, 4);
        c.bits(F['push_promise.promised_stream_id'], v, c.pos, 4);
        promised = v & 0x7fffffff;
        c.pos += 4;
      }
      const fragEnd = Math.max(c.pos, end - pad);
      const fragAt = c.pos;
      const frag = c.bytes(fragEnd - c.pos, h.type === T_HEADERS ? F.headers : F['push_promise.header']);
      headerBlock(c, p, h, x, frag, promised);
      if (pad)
        c.bytes(
          Math.min(pad, c.end - c.pos),
          h.type === T_HEADERS ? F['headers.padding'] : F['push_promise.padding'],
        );
      return trailersToGrpc(x, fragAt, fragEnd);
    }
    case T_CONT: {
      const frag = c.getBytes(c.pos, h.length);
      c.add(F['continuation.header'], c.pos, h.length, latin1(frag));
      const fragAt = c.pos;
      c.pos += h.length;
      headerBlock(c, p, h, x, frag, 0);
      return trailersToGrpc(x, fragAt, c.pos);
    }
    case T_PRIORITY:
      priority(c);
      emitMessage(p, { proto: 'http2', label: `PRIORITY stream ${h.stream}`, role: x.role, substream: sub });
      return;
    case T_RST: {
      const e = c.u32(F['rst_stream.error']);
      emitMessage(p, {
        proto: 'http2',
        label: `RST_STREAM stream ${h.stream} ${ERRORS[e] ?? e}`,
        role: x.role,
        substream: sub,
      });
      return;
    }
    case T_SETTINGS: {
      const parts: string[] = [];
      while (c.pos + 6 <= end) {
        const at = c.pos;
        const id = c.getU16(at);
        const v = c.getU32(at + 2);
        const f = SETTING_FIELDS[id] ?? F['settings.unknown'];
        const it = c.add(F.settings, at, 6, null, `Settings - ${SETTINGS[id] ?? 'Unknown'} : ${v}`);
        c.within(it, () => {
          c.u16(F['settings.id']);
          c.u32(f);
        });
        parts.push(`${SETTINGS[id] ?? id}=${v}`);
        // The receiver's decoder of the peer's encoder may use up to this size (RFC 7541 §4.2).
        if (id === 1 && !p.visited && x.cn) x.cn.decoders[(1 - x.dir) as 0 | 1].limit = v;
      }
      if (c.pos < end) {
        c.expert(
          'http2.settings.length',
          'error',
          'malformed',
          `SETTINGS payload length ${h.length} is not a multiple of 6`,
        );
        c.bytes(end - c.pos, F.unknown);
      }
      emitMessage(p, {
        proto: 'http2',
        label: h.flags & 1 ? 'SETTINGS ACK' : 'SETTINGS',
        detail: parts.join(', ') || undefined,
        role: x.role,
      });
      return;
    }
    case T_PING: {
      const b = c.bytes(Math.min(8, end - c.pos), h.flags & 1 ? F.pong : F.ping);
      emitMessage(p, {
        proto: 'http2',
        label: h.flags & 1 ? 'PING ACK' : 'PING',
        detail: hexOf(b),
        role: x.role,
      });
      return;
    }
    case T_GOAWAY: {
      const v = c.getU32(c.pos);
      c.bits(F['goway.r'], v, c.pos, 4);
      c.bits(F['goaway.last_stream_id'], v, c.pos, 4);
      c.pos += 4;
      const e = c.u32(F['goaway.error']);
      if (c.pos < end) c.bytes(end - c.pos, F['goaway.addata']);
      emitMessage(p, {
        proto: 'http2',
        label: 'GOAWAY',
        detail: `last stream ${v & 0x7fffffff}, ${ERRORS[e] ?? e}`,
        role: x.role,
      });
      return;
    }
    case T_WINDOW: {
      const v = c.getU32(c.pos);
      c.bits(F['window_update.r'], v, c.pos, 4);
      c.bits(F['window_update.window_size_increment'], v, c.pos, 4);
      c.pos += 4;
      emitMessage(p, {
        proto: 'http2',
        label: `WINDOW_UPDATE stream ${h.stream} +${v & 0x7fffffff}`,
        role: x.role,
        substream: h.stream ? sub : undefined,
      });
      return;
    }
    default:
      if (h.length) c.bytes(end - c.pos, F.unknown);
      emitMessage(p, { proto: 'http2', label: `${typeName(h.type)} stream ${h.stream}`, role: x.role });
  }
}

/** The hint that hands a block of gRPC trailers to grpc (see Note.grpcTrailers). */
function trailersToGrpc(x: Ctx, offset: number, end: number): DissectResult | void {
  const t = x.st.notes.get(x.key)?.grpcTrailers;
  if (t) return { next: { proto: 'grpc', offset, end, context: t } };
}

function priority(c: Cursor): void {
  const v = c.getU32(c.pos);
  c.bits(F.exclusive, v, c.pos, 4);
  c.bits(F.stream_dependency, v, c.pos, 4);
  c.pos += 4;
  const w = c.u8(F['headers.weight']);
  c.generated(F['headers.weight_real'], w + 1, `[Weight real: ${w + 1}]`);
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}

function hexOf(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i].toString(16).padStart(2, '0');
  return s;
}

/** A header block fragment: decoded (first pass) when its END_HEADERS arrives, then shown. */
function headerBlock(
  c: Cursor,
  p: PacketInfo,
  h: FrameHead,
  x: Ctx,
  frag: Uint8Array,
  promised: number,
): void {
  let note = x.st.notes.get(x.key);
  if (!p.visited && x.cn) {
    const cn = x.cn;
    let pend = cn.pending[x.dir];
    if (h.type !== T_CONT) pend = cn.pending[x.dir] = { stream: h.stream, promised, type: h.type, parts: [] };
    if (pend && pend.stream === h.stream) {
      pend.parts.push(frag.slice());
      if (h.flags & 0x4) {
        cn.pending[x.dir] = null;
        const all = concat(pend.parts);
        const block = cn.decoders[x.dir].decode(all);
        const list = block.fields.map((f) => ({ name: f.name, value: f.value }));
        const ss = streamState(cn, pend.stream);
        let role: Note['role'];
        if (pend.type === T_PUSH) {
          role = 'promise';
          streamState(cn, pend.promised).request = list;
        } else if (x.fromClient) {
          if (ss.request.length && !headerValue(list, ':method')) {
            role = 'trailers';
            ss.trailers[x.dir] = list;
          } else {
            role = 'request';
            ss.request = list;
          }
        } else if (ss.response.length && !headerValue(list, ':status')) {
          role = 'trailers';
          ss.trailers[x.dir] = list;
        } else {
          role = 'response';
          // Interim (1xx) responses are replaced by the final one.
          ss.response = list;
        }
        note = { block, role };
        // gRPC's status travels in trailers (or a trailers-only response) with no DATA: hand
        // the block to gRPC itself so the call's status is shown and drawn.
        const ct = headerValue(role === 'response' ? list : ss.response, 'content-type') ?? '';
        if (
          /^application\/grpc/i.test(ct) &&
          (role === 'trailers' || role === 'response') &&
          headerValue(list, 'grpc-status') !== undefined
        )
          note.grpcTrailers = {
            tcpStream: p.stream,
            streamId: pend.stream,
            dir: x.dir,
            fromClient: x.fromClient,
            requestHeaders: ss.request,
            responseHeaders: ss.response,
            trailers: list,
            endStream: true,
            headersOnly: true,
          };
        x.st.notes.set(x.key, note);
      }
    } else if (h.type === T_CONT) {
      note = { orphan: true };
      x.st.notes.set(x.key, note);
    }
  }
  if (note?.orphan) {
    c.expert(
      'http2.continuation.unexpected',
      'warn',
      'protocol',
      'CONTINUATION frame without a header block in progress on its stream (RFC 9113 §6.10)',
    );
  }
  if (!note?.block) {
    if (!(h.flags & 0x4) && p.cols === false && !c.tree) return;
    emitHeaders(p, h, x, null, promised);
    return;
  }
  const block = note.block;
  const list = block.fields;
  if (c.tree) showBlock(c, p, block);
  const info = blockInfo(list);
  if (p.cols && info) p.columns.info += `: ${info}`;
  if (c.tree && info && x.top) x.top.label += `, ${info}`;
  if (c.tree) {
    const scheme = headerValue(list, ':scheme');
    const auth = headerValue(list, ':authority');
    const path = headerValue(list, ':path');
    if (scheme && auth && path !== undefined)
      c.generated(
        F['request.full_uri'],
        `${scheme}://${auth}${path}`,
        `[Full request URI: ${scheme}://${auth}${path}]`,
      );
  }
  if (block.error)
    c.expert(
      'http2.header.decompression_failed',
      'error',
      'malformed',
      `HPACK decoding failed at byte ${block.errorAt} of the header block: ${block.error}`,
    );
  emitHeaders(p, h, x, note, promised);
}

function emitHeaders(
  p: PacketInfo,
  h: FrameHead,
  x: Ctx,
  note: Note | undefined | null,
  promised: number,
): void {
  if (!p.cols && !p.tree) return;
  const name = typeName(h.type);
  const sub = `h2:${h.stream}`;
  if (!note?.block) {
    if (h.flags & 0x4 || h.type !== T_CONT)
      emitMessage(p, { proto: 'http2', label: `${name} stream ${h.stream}`, role: x.role, substream: sub });
    return;
  }
  const list = note.block.fields;
  const detail = list.map((f) => `${f.name}: ${f.value}`).join('\n');
  let label: string;
  if (note.role === 'promise') label = `PUSH_PROMISE stream ${h.stream} → ${promised} ${blockInfo(list)}`;
  else if (note.role === 'trailers') {
    const gs = headerValue(list, 'grpc-status');
    label = `HEADERS stream ${h.stream} trailers${gs !== undefined ? ` grpc-status ${gs}` : ''}`;
  } else if (note.role === 'response') {
    const mt = mediaTypeOf(list);
    label = `HEADERS stream ${h.stream} ${headerValue(list, ':status') ?? ''}${mt ? ` (${mt})` : ''}`;
  } else label = `HEADERS stream ${h.stream} ${blockInfo(list)}`;
  if (h.flags & 0x1 && h.type === T_HEADERS) label += ' [END_STREAM]';
  emitMessage(p, { proto: 'http2', label: cut(label), detail, role: x.role, substream: sub });
}

function cut(s: string): string {
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  let n = 0;
  for (const b of parts) n += b.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const b of parts) {
    out.set(b, o);
    o += b.length;
  }
  return out;
}

/**
 * The decoded header list, as Wireshark shows it: a "Decompressed Header" data source holding
 * each field as [u32 name length][name][u32 value length][value], which the items point into.
 */
function showBlock(c: Cursor, p: PacketInfo, block: HpackBlock): void {
  const names = block.fields.map((f) => encodeUtf8(f.name));
  const values = block.fields.map((f) => encodeUtf8(f.value));
  let total = 0;
  for (let i = 0; i < names.length; i++) total += 8 + names[i].length + values[i].length;
  c.generated(F['header.length'], total, `[Header Length: ${total}]`);
  c.generated(F['header.count'], block.fields.length, `[Header Count: ${block.fields.length}]`);
  for (const u of block.sizeUpdates) {
    const it = c.generated(F.header_table_size_update, null, 'Header table size update');
    c.within(it, () =>
      c.generated(F['header_table_size_update.header_table_size'], u.size, `Header table size: ${u.size}`),
    );
  }
  if (!block.fields.length) return;
  const bytes = new Uint8Array(total);
  const dv = new DataView(bytes.buffer);
  let o = 0;
  for (let i = 0; i < names.length; i++) {
    dv.setUint32(o, names[i].length);
    bytes.set(names[i], o + 4);
    o += 4 + names[i].length;
    dv.setUint32(o, values[i].length);
    bytes.set(values[i], o + 4);
    o += 4 + values[i].length;
  }
  p.sources.push({ name: 'Decompressed Header', bytes });
  const src = p.sources.length;
  const saved = c.source;
  const savedPos = c.pos;
  c.source = src;
  try {
    o = 0;
    for (let i = 0; i < block.fields.length; i++) {
      const f = block.fields[i];
      const len = 8 + names[i].length + values[i].length;
      const status = f.name === ':status' ? REASONS[Number(f.value)] : undefined;
      const it = c.add(F.header, o, len, null, `Header: ${f.name}: ${f.value}${status ? ` ${status}` : ''}`);
      c.within(it, () => {
        c.add(F['header.name.length'], o, 4, names[i].length);
        c.add(F['header.name'], o + 4, names[i].length, f.name);
        const vo = o + 4 + names[i].length;
        c.add(F['header.value.length'], vo, 4, values[i].length);
        c.add(F['header.value'], vo + 4, values[i].length, f.value);
        const hf = HEADER_FIELD_BY_NAME.get(f.name);
        if (hf) {
          const v = hf.type === 'u16' ? Number(f.value) : hf.type === 'u64' ? safeBig(f.value) : f.value;
          if (v !== null && !(typeof v === 'number' && !Number.isFinite(v)))
            c.add(hf, vo + 4, values[i].length, v, `${f.name}: ${f.value}`);
        }
        const gen = c.add(
          F['header.unescaped'],
          vo + 4,
          values[i].length,
          f.value,
          `[Unescaped: ${f.value}]`,
        );
        if (gen) gen.generated = true;
        c.add(F['header.repr'], o, len, f.repr);
        if (f.index) c.add(F['header.index'], o, len, f.index);
      });
      o += len;
    }
  } finally {
    c.source = saved;
    c.pos = savedPos;
  }
}

function safeBig(s: string): bigint | null {
  return /^\d{1,19}$/.test(s) ? BigInt(s) : null;
}

// ---- DATA and bodies ---------------------------------------------------------------------------

function data(c: Cursor, p: PacketInfo, h: FrameHead, x: Ctx, end: number) {
  const pad = padding(c, h);
  const dataStart = c.pos;
  const dataEnd = Math.max(dataStart, Math.min(end - pad, c.end));
  c.bytes(dataEnd - dataStart, F['data.data']);
  if (pad && c.pos < c.end) c.bytes(Math.min(pad, c.end - c.pos), F['data.padding']);
  const endStream = (h.flags & 1) !== 0;
  const n = dataEnd - dataStart;
  emitMessage(p, {
    proto: 'http2',
    label: `DATA stream ${h.stream} ${n} bytes${endStream ? ' [END_STREAM]' : ''}`,
    role: x.role,
    substream: `h2:${h.stream}`,
  });
  let note = x.st.notes.get(x.key);
  const disp = p.dispatch;
  if (!p.visited && x.cn && disp) {
    const ss = streamState(x.cn, h.stream);
    const own = x.fromClient ? ss.request : ss.response;
    const mt = mediaTypeOf(own);
    const context: Http2Context = {
      tcpStream: p.stream,
      streamId: h.stream,
      dir: x.dir,
      fromClient: x.fromClient,
      requestHeaders: ss.request,
      responseHeaders: ss.response,
      trailers: ss.trailers[x.dir],
      endStream,
    };
    note = { mediaType: mt, context };
    const target = mt ? disp.resolve({ table: 'media_type', key: mt }, c.data, dataStart, dataEnd, p) : null;
    const encoding = (headerValue(own, 'content-encoding') ?? '').trim().toLowerCase();
    if (target?.framing && target.fields.$proto.abbrev !== 'data') {
      let ps = ss.bodies[x.dir];
      if (!ps) {
        const proto = target.fields.$proto.abbrev;
        const fr = target.framing;
        ps = ss.bodies[x.dir] = new PduStream(
          `h2:${p.stream}:${h.stream}`,
          x.dir,
          null,
          () => ({ proto, framing: fr }),
          () => fr,
        );
      }
      const cutPdus = ps.push(p.frame.number, c.data, dataStart, n, c.source === 0);
      note.bodyPdus = cutPdus.map((q) => ({
        proto: q.proto,
        dir: q.dir,
        streamOffset: q.streamOffset,
        length: q.length,
        frame: q.frame,
        segments: q.segments,
      }));
      // Bytes from a reassembled TCP PDU cannot be read back from the frame: keep copies.
      if (c.source !== 0)
        for (const q of note.bodyPdus)
          for (const s of q.segments) if (!s.copy) s.copy = c.data.slice(s.at, s.at + s.length);
    } else if (encoding && encoding !== 'identity') {
      note.encoding = encoding;
      const parts = (ss.encoded[x.dir] ??= []);
      parts.push(c.data.slice(dataStart, dataEnd));
      if (endStream) {
        ss.encoded[x.dir] = null;
        try {
          note.decoded = decodeBody(encoding, concat(parts));
        } catch (e) {
          note.decodeError = e instanceof Error ? e.message : String(e);
        }
      }
    }
    x.st.notes.set(x.key, note);
  }
  if (!note || !disp) return { summary: 'HyperText Transfer Protocol 2' };
  const ctx = note.context ? { ...note.context, endStream } : undefined;
  if (note.decodeError)
    c.expert(
      'http2.body_decompression_failed',
      'warn',
      'undecoded',
      `Body decompression (${note.encoding}) failed: ${note.decodeError}`,
    );
  const mt = note.mediaType;
  if (!mt) return { summary: 'HyperText Transfer Protocol 2' };
  const r = dataResult(c, p, note, mt, ctx, dataStart, dataEnd);
  // Wireshark appends the media type after the body's own Info text.
  if (p.cols && dataEnd > dataStart)
    r.finish = () => {
      // Once: the body dissector (http-bodies.ts) may already have appended it.
      if (!p.columns.info.endsWith(` (${mt})`)) p.columns.info += ` (${mt})`;
    };
  return r;
}

function dataResult(
  c: Cursor,
  p: PacketInfo,
  note: Note,
  mt: string,
  ctx: Http2Context | undefined,
  dataStart: number,
  dataEnd: number,
): DissectResult {
  const disp = p.dispatch!;
  if (note.bodyPdus) {
    const hints: NextHint[] = [];
    for (const pdu of note.bodyPdus) {
      const one =
        pdu.segments.length === 1 && pdu.segments[0].frame === p.frame.number && !pdu.segments[0].copy;
      if (one && c.source === 0) {
        const s = pdu.segments[0];
        hints.push({ proto: pdu.proto, offset: s.at, end: s.at + s.length, context: ctx });
        continue;
      }
      const bytes = rebuildPdu(
        pdu,
        p.session.frameBytes,
        c.source === 0 ? { frame: p.frame.number, data: c.data } : undefined,
      );
      if (!bytes) {
        c.expert(
          'http2.body.unreadable',
          'warn',
          'reassemble',
          `Body message of ${pdu.length} bytes could not be rebuilt from its frames`,
        );
        continue;
      }
      hints.push({
        proto: pdu.proto,
        data: bytes,
        dataName: `Reassembled HTTP/2 body (${pdu.length} bytes)`,
        context: ctx,
      });
    }
    return {
      next: hints[0] ?? null,
      more: hints.length > 1 ? hints.slice(1) : null,
      summary: 'HyperText Transfer Protocol 2',
    };
  }
  if (note.encoding) {
    if (!note.decoded) return { summary: 'HyperText Transfer Protocol 2' };
    const target = disp.resolve({ table: 'media_type', key: mt }, note.decoded, 0, note.decoded.length, p);
    if (target.fields.$proto.abbrev === 'data') return { summary: 'HyperText Transfer Protocol 2' };
    return {
      next: {
        table: 'media_type',
        key: mt,
        data: note.decoded,
        dataName: `Content-encoded entity body (${note.encoding})`,
        context: ctx,
      },
      summary: 'HyperText Transfer Protocol 2',
    };
  }
  if (dataEnd <= dataStart) return { summary: 'HyperText Transfer Protocol 2' };
  const target = disp.resolve({ table: 'media_type', key: mt }, c.data, dataStart, dataEnd, p);
  if (target.fields.$proto.abbrev === 'data') return { summary: 'HyperText Transfer Protocol 2' };
  return {
    next: { table: 'media_type', key: mt, offset: dataStart, end: dataEnd, context: ctx },
    summary: 'HyperText Transfer Protocol 2',
  };
}

function upgradeOf(p: PacketInfo): Http2Header[] | null {
  const st = p.session.peek<ReturnType<typeof tcpReassembly>>('tcp.reassembly')?.streams.get(p.stream);
  if (!st) return null;
  const v = st.dirs[0].pdus.convState<unknown>('http2.upgrade', () => null);
  const list = upgradeHeaders(v);
  return list.length ? list : null;
}

function decodeBody(encoding: string, b: Uint8Array): Uint8Array {
  if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(b);
  if (encoding === 'deflate') {
    // RFC 9110 §8.4.1.2 says zlib; some servers send raw deflate.
    try {
      return unzlibSync(b);
    } catch {
      return inflateSync(b);
    }
  }
  throw new Error(`content-encoding "${encoding}" is not decoded`);
}

export const dissectors: readonly Dissector[] = [
  {
    fields: F,
    pdu: 'frame',
    dissect,
    heuristicIn: ['tcp.port'],
    heuristic,
    framing,
  },
];
