// gRPC over HTTP/2 (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md) and
// gRPC-Web (PROTOCOL-WEB.md), with Wireshark 4.0 packet-grpc.c names. HTTP/2 hands each stream's
// DATA on through the `media_type` table; the framing below makes it cut that byte stream into
// whole Length-Prefixed-Messages (1 flag byte, 4-byte big-endian length), so one dissection is
// one message, however many DATA frames and TCP segments it spanned.
//
// The call (service, method, grpc-encoding, grpc-timeout) comes from the HTTP/2 stream's headers
// in p.context; grpc-status / grpc-message from its trailers, which HTTP/2 hands on as a
// headers-only payload (`headersOnly`). Compressed messages are inflated (gzip, deflate) into a
// new data source. The message goes to protobuf with the method's request or response type when
// the schema registry knows the method; a JSON message (grpc+json, or a body in braces, as
// Wireshark's grpc.detect_json_automatically) to the JSON body dissector. gRPC-Web over HTTP/1.1
// gets the call from HTTP's body context, its status from the trailers frame (flag 0x80).
//
// Wirescope-only fields (tshark 4.0 has no such names; see tests/tshark/known-differences.ts):
// grpc.service, grpc.method, grpc.call_type, grpc.encoding, grpc.timeout, grpc.status,
// grpc.status_message — Wireshark shows the path only in the tree line and leaves status to
// http2.header.
import { decompress, DecompressError } from '../codec/decompress';
import type { Cursor } from '../dissect/cursor';
import type { Dissector, NextHint } from '../dissect/engine';
import { defineFields } from '../dissect/fields';
import { emitMessage, type PacketInfo } from '../dissect/packet';
import { decodeMessage, previewMessage } from '../protobuf/decode';
import { EMPTY_REGISTRY, type MethodSchema, type ProtoRegistry } from '../protobuf/registry';
import { MAX_PDU, NEED_MORE, NOT_MINE, type PduFraming } from '../reassembly/pdu-stream';
import type { ProtobufContext } from './protobuf';

/** grpc-status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html). */
export const GRPC_STATUS: Readonly<Record<number, string>> = {
  0: 'OK',
  1: 'CANCELLED',
  2: 'UNKNOWN',
  3: 'INVALID_ARGUMENT',
  4: 'DEADLINE_EXCEEDED',
  5: 'NOT_FOUND',
  6: 'ALREADY_EXISTS',
  7: 'PERMISSION_DENIED',
  8: 'RESOURCE_EXHAUSTED',
  9: 'FAILED_PRECONDITION',
  10: 'ABORTED',
  11: 'OUT_OF_RANGE',
  12: 'UNIMPLEMENTED',
  13: 'INTERNAL',
  14: 'UNAVAILABLE',
  15: 'DATA_LOSS',
  16: 'UNAUTHENTICATED',
};

export const grpcFields = defineFields(
  'grpc',
  'GRPC Message',
  { osi: 7, tcpip: 'application' },
  {
    frame_type: { name: 'Frame Type', type: 'u8', mask: 0x80, vals: { 0: 'Data', 1: 'Trailers' } },
    compressed_flag: {
      name: 'Compressed Flag',
      type: 'u8',
      mask: 0x01,
      vals: { 0: 'Not Compressed', 1: 'Compressed' },
    },
    message_length: { name: 'Message Length', type: 'u32' },
    message_data: { name: 'Message Data', type: 'bytes' },
    body_decompression_failed: { name: 'Body decompression failed', type: 'none' },
    body_malformed: { name: 'Malformed message data', type: 'none' },
    service: { name: 'Service', type: 'string' },
    method: { name: 'Method', type: 'string' },
    call_type: { name: 'Call Type', type: 'string' },
    encoding: { name: 'Message Encoding', type: 'string' },
    timeout: { name: 'Timeout', type: 'rel_time' },
    status: { name: 'Status', type: 'u32', vals: GRPC_STATUS },
    status_message: { name: 'Status Message', type: 'string' },
  },
);

const F = grpcFields;

/** A header as HTTP/2 decodes it (http2.ts Http2Header). */
interface Header {
  name: string;
  value: string;
}

/**
 * What gRPC reads of p.context: HTTP/2's Http2Context (http2.ts), plus
 * `headersOnly` for a HEADERS frame carrying trailers. Read defensively: HTTP/1.x (gRPC-Web)
 * passes its own context.
 */
export interface GrpcContext {
  tcpStream?: number;
  streamId?: number;
  dir?: 0 | 1;
  fromClient?: boolean;
  requestHeaders?: readonly Header[];
  responseHeaders?: readonly Header[];
  trailers?: readonly Header[];
  endStream?: boolean;
  headersOnly?: boolean;
}

export type CallType = 'unary' | 'server streaming' | 'client streaming' | 'bidirectional streaming';

/** What the first pass learns of one call (an HTTP/2 stream), kept for later visits. */
interface CallState {
  requests: number;
  responses: number;
}

interface GrpcState {
  calls: Map<string, CallState>;
  /**
   * Each message's number within its call and direction (2, 3, …; absent: 1), from the first pass, keyed
   * by frame and where the message lies (its start in its data source, and that source's length):
   * later visits show the number it had, not the call's final count.
   */
  seqs: Map<string, number>;
}

function headerOf(list: readonly Header[] | undefined, name: string): string | undefined {
  if (!Array.isArray(list)) return undefined;
  for (const h of list) if (h && h.name === name) return String(h.value);
  return undefined;
}

/** HTTP/1.x's body context (http-bodies.ts HttpBodyContext), as far as gRPC-Web needs it. */
interface Http1Context {
  proto: 'http';
  request: boolean;
  uri: string;
  headers: readonly [string, string][];
  stream: number;
}

function contextOf(ctx: unknown): GrpcContext {
  if (!ctx || typeof ctx !== 'object') return {};
  const h = ctx as Partial<Http1Context>;
  if (h.proto === 'http' && Array.isArray(h.headers)) {
    // gRPC-Web over HTTP/1.1: the request target is the path; a response's own headers are its.
    const path = { name: ':path', value: String(h.uri ?? '') };
    const hs = h.headers.map(([name, value]) => ({ name: String(name).toLowerCase(), value: String(value) }));
    return {
      tcpStream: h.stream,
      fromClient: !!h.request,
      requestHeaders: h.request ? [path, ...hs] : [path],
      responseHeaders: h.request ? [] : hs,
    };
  }
  return ctx as GrpcContext;
}

/** The request direction: HTTP/2 says so; failing that, the request headers' side spoke first. */
function isRequest(ctx: GrpcContext): boolean {
  if (typeof ctx.fromClient === 'boolean') return ctx.fromClient;
  return ctx.dir !== 1;
}

/** `/user.UserService/GetUser` → service and method (PROTOCOL-HTTP2.md: Path → ":path" "/" Service-Name "/" Method-Name). */
export function splitPath(path: string): { service: string; method: string } | null {
  const m = /^\/([^/]+)\/([^/]+)$/.exec(path);
  return m ? { service: m[1], method: m[2] } : null;
}

/** grpc-timeout: TimeoutValue (1–8 digits) TimeoutUnit (H M S m u n) → seconds and nanoseconds. */
export function parseTimeout(v: string): { sec: number; nsec: number } | null {
  const m = /^(\d{1,8})([HMSmun])$/.exec(v.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const ns: Record<string, number> = { H: 3600e9, M: 60e9, S: 1e9, m: 1e6, u: 1e3, n: 1 };
  const total = BigInt(n) * BigInt(ns[m[2]]);
  return { sec: Number(total / 1000000000n), nsec: Number(total % 1000000000n) };
}

/** grpc-message is percent-encoded (PROTOCOL-HTTP2.md: Status-Message). */
export function decodeStatusMessage(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

export function classify(requests: number, responses: number): CallType {
  if (requests > 1) return responses > 1 ? 'bidirectional streaming' : 'client streaming';
  return responses > 1 ? 'server streaming' : 'unary';
}

function schemaCallType(m: MethodSchema): CallType {
  if (m.requestStream) return m.responseStream ? 'bidirectional streaming' : 'client streaming';
  return m.responseStream ? 'server streaming' : 'unary';
}

function timeText(t: { sec: number; nsec: number }): string {
  const ms = t.sec * 1000 + t.nsec / 1e6;
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}

/** Messages on the media types gRPC registers for: protobuf unless the content type says JSON. */
const MEDIA_TYPES = [
  'application/grpc',
  'application/grpc+proto',
  'application/grpc+json',
  'application/grpc-web',
  'application/grpc-web+proto',
  'application/grpc-web+json',
];

/** Length-Prefixed-Message: flags (0x01 compressed; 0x80 gRPC-Web trailers), 4-byte length. */
export const grpcFraming: PduFraming = {
  minLength: 5,
  pduLength(data, offset, end) {
    if (end - offset < 5) return NEED_MORE;
    const flags = data[offset];
    if (flags & 0x7e) return NOT_MINE;
    const len =
      ((data[offset + 1] << 24) | (data[offset + 2] << 16) | (data[offset + 3] << 8) | data[offset + 4]) >>>
      0;
    if (len > MAX_PDU - 5) return NOT_MINE;
    return 5 + len;
  },
};

/** gRPC-Web trailers frame body: `name: value` lines (HTTP/1 header syntax), CRLF-separated. */
function parseWebTrailers(b: Uint8Array): Header[] {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  const out: Header[] = [];
  for (const line of s.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) out.push({ name: line.slice(0, i).trim().toLowerCase(), value: line.slice(i + 1).trim() });
  }
  return out;
}

function cutLabel(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** The gRPC dissector bound to one schema registry (useProtos re-registers it with another). */
export function grpcDissector(registry: ProtoRegistry): Dissector {
  return {
    fields: F,
    pdu: 'message',
    in: { media_type: MEDIA_TYPES },
    framing: grpcFraming,
    dissect(c: Cursor, p: PacketInfo) {
      const ctx = contextOf(p.context);
      const request = isRequest(ctx);
      const path = headerOf(ctx.requestHeaders, ':path') ?? '';
      const parts = splitPath(path);
      const method = registry.method(path) ?? null;
      const headers = request ? ctx.requestHeaders : ctx.responseHeaders;
      const contentType = (
        headerOf(headers, 'content-type') ??
        headerOf(ctx.requestHeaders, 'content-type') ??
        ''
      ).toLowerCase();
      const web = contentType.startsWith('application/grpc-web');
      const json = contentType.includes('+json');
      const substream = ctx.streamId !== undefined ? `h2:${ctx.streamId}` : undefined;
      const role = request ? 'client' : 'server';
      const msgs = p.cols || p.tree;

      // Trailers are HTTP/2's HEADERS frame: its columns stay HTTP/2's (as tshark's, where gRPC
      // never sees them).
      if (p.cols && !ctx.headersOnly) {
        p.columns.protocol = web ? 'GRPC-Web' : 'GRPC';
        const info = p.columns.info;
        if (!info.endsWith(' (GRPC)') && !info.endsWith(' (GRPC) (PROTOBUF)')) p.columns.info += ' (GRPC)';
      }

      // The call as a whole: state per HTTP/2 stream, counted on the first pass.
      const key = `${ctx.tcpStream ?? p.stream}:${ctx.streamId ?? 0}`;
      const state = p.session.state<GrpcState>('grpc', () => ({ calls: new Map(), seqs: new Map() }));
      let call = state.calls.get(key);
      if (!call) state.calls.set(key, (call = { requests: 0, responses: 0 }));

      const addCallItems = (): void => {
        if (!c.tree) return;
        if (parts) {
          c.generated(F.service, parts.service, `[Service: ${parts.service}]`);
          c.generated(F.method, parts.method, `[Method: ${parts.method}]`);
        }
        if (method)
          c.generated(
            F.call_type,
            schemaCallType(method),
            `[Call Type: ${schemaCallType(method)} (${method.service}.${method.method} in the schema)]`,
          );
        else if (call!.requests || call!.responses) {
          const t = classify(call!.requests, call!.responses);
          c.generated(
            F.call_type,
            t,
            `[Call Type: ${t} (from the messages seen: ${call!.requests} request${call!.requests === 1 ? '' : 's'}, ${call!.responses} response${call!.responses === 1 ? '' : 's'})]`,
          );
        }
        const timeout = headerOf(ctx.requestHeaders, 'grpc-timeout');
        // The deadline is the request's: shown with the call's messages, not again with its trailers.
        if (timeout !== undefined && !ctx.headersOnly) {
          const t = parseTimeout(timeout);
          if (t) c.generated(F.timeout, t, `[Timeout: ${timeText(t)} (grpc-timeout: ${timeout})]`);
        }
      };

      const status = (trailers: readonly Header[] | undefined, at: number, len: number): void => {
        const s = headerOf(trailers, 'grpc-status');
        if (s === undefined) return;
        const raw = headerOf(trailers, 'grpc-message');
        const text = raw !== undefined ? decodeStatusMessage(raw) : '';
        if (!/^\d{1,9}$/.test(s.trim())) {
          c.expert('grpc.status.bad', 'warn', 'protocol', `grpc-status "${s}" is not a status code`, at, len);
          return;
        }
        const code = Number(s);
        const name = GRPC_STATUS[code] ?? 'Unknown';
        if (c.tree) {
          c.add(F.status, at, len, code, `Status: ${name} (${s})`);
          if (raw !== undefined) c.add(F.status_message, at, len, text);
        }
        if (code !== 0)
          c.expert(
            'grpc.status.error',
            code === 4 ? 'warn' : 'note',
            'response',
            `gRPC status ${code} ${name}${text ? `: ${text}` : ''}`,
            at,
            len,
          );
        if (msgs) {
          emitMessage(p, {
            proto: 'grpc',
            // grpc-js sends grpc-message "OK" with status 0: no need to say it twice.
            label: cutLabel(
              `gRPC status ${s} ${name}${text && text.toUpperCase() !== name ? ` "${text}"` : ''}`,
            ),
            detail: `${path || 'gRPC call'}: grpc-status ${s} (${name})${text ? `, grpc-message "${text}"` : ''}`,
            role: 'server',
            substream,
          });
        }
      };

      if (ctx.headersOnly) {
        // Trailers (or a trailers-only response): the bytes are HTTP/2's header block.
        const at = c.pos;
        const len = c.remaining;
        addCallItems();
        status(ctx.trailers, at, len);
        c.pos = c.end;
        return { summary: `GRPC Trailers: ${path || '(unknown path)'}` };
      }

      const encoding = (headerOf(headers, 'grpc-encoding') ?? 'identity').toLowerCase();
      const start = c.pos;
      const b0 = c.getU8(start);
      const webTrailers = web && (b0 & 0x80) !== 0;
      c.bits(F.frame_type, b0, start, 1);
      const compressed = c.bits(F.compressed_flag, b0, start, 1);
      c.pos = start + 1;
      const len = c.u32(F.message_length);
      const avail = c.remaining;
      if (len > avail) {
        // Without HTTP/2's reassembly (a DATA payload as it is), the rest is in later frames.
        c.add(
          F.message_data,
          c.pos,
          avail,
          c.data.subarray(c.pos, c.end),
          `Message Data: ${avail} of ${len} bytes (the rest is not in this payload)`,
        );
        c.expert(
          'grpc.message.incomplete',
          'note',
          'reassemble',
          `gRPC message of ${len} bytes, ${avail} here`,
          c.pos,
          avail,
        );
        c.pos = c.end;
        return { summary: `GRPC Message: ${path}, ${request ? 'Request' : 'Response'}` };
      }
      const body = c.bytes(len);
      const at = c.pos - len;
      const summary = `GRPC Message: ${path}, ${request ? 'Request' : 'Response'}`;
      const more: NextHint[] = [];
      // Several messages in one payload (no HTTP/2 reassembly): the rest follow as siblings.
      if (c.remaining >= 5) more.push({ proto: 'grpc', offset: c.pos, end: c.end, context: p.context });
      const seqKey = `${p.frame.number}:${c.start}:${c.data.length}`;
      let seq = state.seqs.get(seqKey) ?? 1;
      if (!p.visited && !webTrailers) {
        seq = request ? ++call.requests : ++call.responses;
        // Only numbers after the first are kept: a unary call's messages cost no entry.
        if (seq > 1) state.seqs.set(seqKey, seq);
      }

      let payload = body;
      let data: Uint8Array | undefined;
      let failure: string | null = null;
      if (compressed && !webTrailers) {
        try {
          if (encoding === 'identity')
            throw new DecompressError('identity', 'compressed flag set but grpc-encoding is identity');
          if (encoding !== 'gzip' && encoding !== 'deflate')
            throw new DecompressError(encoding, 'not supported');
          payload = data = decompress(encoding, body);
          // Wireshark's line for a decoded body, then Message Data with the decoded bytes.
          c.label(`Message-encoded entity body (${encoding}): ${len} bytes -> ${data.length} bytes`, at, len);
        } catch (e) {
          failure = e instanceof Error ? e.message : String(e);
        }
      }
      c.add(F.message_data, at, len, payload, `Message Data: ${payload.length} bytes`);
      if (failure !== null) {
        c.add(F.body_decompression_failed, at, len, null, `[Body decompression failed: ${failure}]`);
        c.expert(
          'grpc.body_decompression_failed',
          'warn',
          'undecoded',
          `gRPC message decompression failed (${failure})`,
          at,
          len,
        );
      }
      addCallItems();
      if (c.tree && compressed && !webTrailers)
        c.generated(F.encoding, encoding, `[Message Encoding: ${encoding}]`);

      if (webTrailers) {
        status(parseWebTrailers(body), at, len);
        return { summary: `GRPC-Web Trailers: ${path}`, more };
      }
      if (failure !== null) return { summary, more };

      const typeName = method ? (request ? method.requestType : method.responseType) : null;
      // Wireshark's grpc.detect_json_automatically (on by default): a body in braces is JSON
      // whatever the content type says.
      const asJson =
        json || (payload.length >= 2 && payload[0] === 0x7b && payload[payload.length - 1] === 0x7d);
      if (msgs) {
        let preview: string;
        let long: string;
        if (asJson) {
          let text = '';
          for (let i = 0; i < Math.min(payload.length, 400); i++) text += String.fromCharCode(payload[i]);
          preview = cutLabel(text, 44);
          long = text;
        } else {
          const schema = typeName ? (registry.message(typeName) ?? null) : null;
          const decoded = decodeMessage(payload, 0, payload.length, schema, registry);
          preview = previewMessage(decoded, 44);
          long = previewMessage(decoded, 400);
        }
        const label = request
          ? `gRPC ${parts ? `${parts.service}/${parts.method}` : path || 'request'}`
          : `gRPC response ${preview}`;
        emitMessage(p, {
          proto: 'grpc',
          label: cutLabel(label),
          detail: `${path} ${request ? 'request' : 'response'}${seq > 1 ? ` #${seq}` : ''}: ${long}`,
          role,
          substream,
        });
      }

      // JSON goes where HTTP bodies of application/json go, with HTTP/2's context.
      const target: NextHint = asJson
        ? { table: 'media_type', key: 'application/json', context: p.context }
        : {
            proto: 'protobuf',
            context: {
              protobufType: typeName,
              protobufLabel: `${path},${request ? 'request' : 'response'}`,
            } satisfies ProtobufContext,
          };
      const next: NextHint = data
        ? { ...target, data, dataName: `Decompressed gRPC message (${data.length} bytes)` }
        : { ...target, offset: at, end: at + len };
      return { summary, next: len || data ? next : null, more };
    },
  };
}

export const dissectors: readonly Dissector[] = [grpcDissector(EMPTY_REGISTRY)];
