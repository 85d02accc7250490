// Message bodies, dispatched by media type through the `media_type` table (HTTP/1.x and HTTP/2 key
// it by the lower-case media type without parameters, as Wireshark does):
// - `json`: RFC 8259, Wireshark 4.0's JSON tree (packet-json.c): Object/Array, `Member: key` with
//   [Path with value], [Member with value], the value, Key and [Path]; Info gets
//   `, JavaScript Object Notation (type)`.
// - `data-text-lines`: Line-based text data (text/*, and the XML/JavaScript types Wireshark lists),
//   one text item per line; Info gets ` (type)`.
// - `urlencoded-form`: application/x-www-form-urlencoded (WHATWG URL §5), `Form item: "k" = "v"`.
// - `media`: any other type, as Wireshark's Media Type (`media.type`).
// - `sse`: text/event-stream (WHATWG HTML §9.2 Server-sent events). Wireshark 4.0 has no SSE
//   dissector (it shows Media Type); the `sse.*` names are Wirescope's own.
// - `graphql`: GraphQL over HTTP (the GraphQL-over-HTTP draft: POST JSON {query, operationName,
//   variables}, the GET form with URL parameters, responses with data and errors), recognised on
//   JSON bodies of requests to a GraphQL endpoint; Wireshark has none, the `graphql.*` names are
//   Wirescope's own.
//
// Deliberate differences from Wireshark: JSON numbers, strings and keys are shown as Wireshark
// shows them, but a document that does not parse stops at the error with a note naming where
// (Wireshark's lemon parser shows what it got); JSON bodies nest at most 64 deep.
import { decodeUtf8, encodeUtf8 } from '../capture/text';
import type { Cursor } from '../dissect/cursor';
import type { DissectResult, Dissector } from '../dissect/engine';
import { defineFields } from '../dissect/fields';
import { emitMessage, type PacketInfo } from '../dissect/packet';
import type { Item } from '../dissect/types';
import { expertItem, gen } from './l4-support';

const PLACE = { osi: 7, tcpip: 'application' } as const;

/** What HTTP/1.x hands a body dissector in `p.context` (HTTP/2 gives its own shape). */
export interface HttpBodyContext {
  proto: 'http';
  request: boolean;
  /** The request's method (a response: the method of the request it answers, '' if unknown). */
  method: string;
  /** The request target (a response: its request's). */
  uri: string;
  /** Status code of a response; 0 for a request. */
  status: number;
  /** The Content-Type header as sent, and its media type lower-cased without parameters. */
  contentType: string;
  mediaType: string;
  /** Every header field, names as sent, in order. */
  headers: [string, string][];
  /** The request goes to a GraphQL endpoint (its path, media type or parameters say so). */
  graphql: boolean;
  stream: number;
  frame: number;
}

function httpContext(p: PacketInfo): HttpBodyContext | null {
  const c = p.context as HttpBodyContext | null;
  return c && c.proto === 'http' ? c : null;
}

/** The media type this body was dispatched for (HTTP/1.x's context, or HTTP/2's headers). */
function mediaTypeOf(p: PacketInfo): string {
  const c = p.context as {
    mediaType?: unknown;
    fromClient?: unknown;
    requestHeaders?: readonly { name: string; value: string }[];
    responseHeaders?: readonly { name: string; value: string }[];
  } | null;
  if (!c) return '';
  if (typeof c.mediaType === 'string') return c.mediaType;
  // HTTP/2 (shared/dissectors/http2.ts Http2Context): the sender's content-type header.
  const hs =
    c.fromClient === true ? c.requestHeaders : c.fromClient === false ? c.responseHeaders : undefined;
  const ct = hs?.find((h) => h.name === 'content-type')?.value;
  return ct ? ct.split(';')[0].trim().toLowerCase() : '';
}

function text(data: Uint8Array, from: number, to: number): string {
  return decodeUtf8(data, from, to);
}

function esc(s: string): string {
  return s.replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

// ---- JSON -----------------------------------------------------------------------------------------

const J = defineFields('json', 'JavaScript Object Notation', PLACE, {
  array: { name: 'Array', type: 'none' },
  object: { name: 'Object', type: 'none' },
  member: { name: 'Member', type: 'string' },
  key: { name: 'Key', type: 'string' },
  path: { name: 'Path', type: 'string' },
  path_with_value: { name: 'Path with value', type: 'string' },
  member_with_value: { name: 'Member with value', type: 'string' },
  'value.string': { name: 'String value', type: 'string' },
  'value.number': { name: 'Number value', type: 'string' },
  'value.false': { name: 'False value', type: 'none' },
  'value.null': { name: 'Null value', type: 'none' },
  'value.true': { name: 'True value', type: 'none' },
  invalid: { name: 'Invalid JSON', type: 'none' },
});

class JsonError extends Error {
  constructor(
    readonly at: number,
    message: string,
  ) {
    super(message);
  }
}

/** A JSON value with where it lies (for the tree) and what it is (for GraphQL). */
type JVal =
  | {
      t: 'object';
      at: number;
      end: number;
      members: { key: string; keyAt: number; keyEnd: number; at: number; value: JVal }[];
    }
  | { t: 'array'; at: number; end: number; items: JVal[] }
  | { t: 'string'; at: number; end: number; v: string }
  | { t: 'number'; at: number; end: number; v: string }
  | { t: 'true' | 'false' | 'null'; at: number; end: number };

class JsonParser {
  pos: number;
  constructor(
    readonly d: Uint8Array,
    at: number,
    readonly end: number,
  ) {
    this.pos = at;
  }
  ws(): void {
    const d = this.d;
    while (
      this.pos < this.end &&
      (d[this.pos] === 0x20 || d[this.pos] === 0x09 || d[this.pos] === 0x0a || d[this.pos] === 0x0d)
    )
      this.pos++;
  }
  value(depth: number): JVal {
    if (depth > 64) throw new JsonError(this.pos, 'nested more than 64 deep');
    this.ws();
    if (this.pos >= this.end) throw new JsonError(this.pos, 'a value expected, the body ends');
    const b = this.d[this.pos];
    const at = this.pos;
    if (b === 0x7b) {
      this.pos++;
      const members: { key: string; keyAt: number; keyEnd: number; at: number; value: JVal }[] = [];
      this.ws();
      if (this.d[this.pos] === 0x7d) {
        this.pos++;
        return { t: 'object', at, end: this.pos, members };
      }
      for (;;) {
        this.ws();
        const mAt = this.pos;
        if (this.d[this.pos] !== 0x22) throw new JsonError(this.pos, 'a member name (string) expected');
        const k = this.string();
        this.ws();
        if (this.d[this.pos] !== 0x3a) throw new JsonError(this.pos, "':' expected after a member name");
        this.pos++;
        const v = this.value(depth + 1);
        members.push({ key: k.v, keyAt: k.at, keyEnd: k.end, at: mAt, value: v });
        this.ws();
        if (this.d[this.pos] === 0x2c) {
          this.pos++;
          continue;
        }
        if (this.d[this.pos] === 0x7d) {
          this.pos++;
          return { t: 'object', at, end: this.pos, members };
        }
        throw new JsonError(this.pos, "',' or '}' expected in an object");
      }
    }
    if (b === 0x5b) {
      this.pos++;
      const items: JVal[] = [];
      this.ws();
      if (this.d[this.pos] === 0x5d) {
        this.pos++;
        return { t: 'array', at, end: this.pos, items };
      }
      for (;;) {
        items.push(this.value(depth + 1));
        this.ws();
        if (this.d[this.pos] === 0x2c) {
          this.pos++;
          continue;
        }
        if (this.d[this.pos] === 0x5d) {
          this.pos++;
          return { t: 'array', at, end: this.pos, items };
        }
        throw new JsonError(this.pos, "',' or ']' expected in an array");
      }
    }
    if (b === 0x22) {
      const s = this.string();
      return { t: 'string', at: s.at, end: s.end, v: s.v };
    }
    for (const w of ['true', 'false', 'null'] as const) {
      if (this.word(w)) return { t: w, at, end: this.pos };
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text(this.d, at, Math.min(this.end, at + 64)));
    if (m && m[0]) {
      this.pos += m[0].length;
      return { t: 'number', at, end: this.pos, v: m[0] };
    }
    throw new JsonError(at, `unexpected character '${String.fromCharCode(b)}'`);
  }
  word(w: string): boolean {
    for (let i = 0; i < w.length; i++) if (this.d[this.pos + i] !== w.charCodeAt(i)) return false;
    this.pos += w.length;
    return true;
  }
  string(): { v: string; at: number; end: number } {
    const at = this.pos;
    let i = at + 1;
    let escaped = false;
    while (i < this.end && this.d[i] !== 0x22) {
      if (this.d[i] === 0x5c) {
        escaped = true;
        i++;
      }
      i++;
    }
    if (i >= this.end) throw new JsonError(at, 'unterminated string');
    this.pos = i + 1;
    const raw = text(this.d, at, i + 1);
    let v: string;
    try {
      v = escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
    } catch {
      throw new JsonError(at, 'bad escape in a string');
    }
    return { v, at, end: i + 1 };
  }
}

/** Parses data[at, end) as one JSON document (surrounding whitespace allowed). */
export function parseJson(data: Uint8Array, at: number, end: number): JVal {
  const p = new JsonParser(data, at, end);
  const v = p.value(0);
  p.ws();
  if (p.pos < end) throw new JsonError(p.pos, 'data after the JSON document');
  return v;
}

function scalarText(v: JVal): string {
  switch (v.t) {
    case 'string':
    case 'number':
      return v.v;
    case 'true':
    case 'false':
    case 'null':
      return v.t;
    default:
      return '';
  }
}

function jsonTree(c: Cursor, v: JVal, path: string, member: string): void {
  switch (v.t) {
    case 'object': {
      const it = c.add(J.object, v.at, v.end - v.at, null, 'Object');
      c.within(it, () => {
        for (const m of v.members) {
          const mi = c.add(J.member, m.at, m.value.end - m.at, m.key, `Member: ${m.key}`);
          c.within(mi, () => {
            const p = `${path}/${m.key}`;
            jsonTree(c, m.value, p, m.key);
            c.add(J.key, m.keyAt + 1, m.keyEnd - m.keyAt - 2, m.key);
            gen(c.add(J.path, m.keyAt, 0, p, `[Path: ${p}]`));
          });
        }
      });
      return;
    }
    case 'array': {
      const it = c.add(J.array, v.at, v.end - v.at, null, 'Array');
      c.within(it, () => {
        for (const x of v.items) jsonTree(c, x, `${path}/[]`, '[]');
      });
      return;
    }
    default: {
      const s = scalarText(v);
      gen(c.add(J.path_with_value, v.at, 0, `${path}:${s}`, `[Path with value: ${path}:${s}]`));
      gen(c.add(J.member_with_value, v.at, 0, `${member}:${s}`, `[Member with value: ${member}:${s}]`));
      if (v.t === 'string') c.add(J['value.string'], v.at + 1, v.end - v.at - 2, v.v);
      else if (v.t === 'number') c.add(J['value.number'], v.at, v.end - v.at, v.v);
      else c.add(J[`value.${v.t}`], v.at, v.end - v.at, null, `${v.t[0].toUpperCase()}${v.t.slice(1)} value`);
    }
  }
}

/** Top-level scalars in Wireshark have an empty path. */
function jsonDissect(c: Cursor, p: PacketInfo): DissectResult {
  const type = mediaTypeOf(p);
  if (p.cols) {
    // Wireshark appends to the Protocol column: `HTTP/JSON`.
    p.columns.protocol = p.columns.protocol ? `${p.columns.protocol}/JSON` : 'JSON';
    p.columns.info += `, JavaScript Object Notation${type ? ` (${type})` : ''}`;
  }
  const start = c.start;
  const end = c.end;
  let doc: JVal | null = null;
  try {
    doc = parseJson(c.data, start, end);
    if (c.tree) jsonTree(c, doc, '', '');
  } catch (e) {
    if (!(e instanceof JsonError)) throw e;
    if (c.tree)
      expertItem(
        c,
        J.invalid,
        'warn',
        'malformed',
        `Invalid JSON at offset ${e.at - start}: ${e.message}`,
        e.at,
      );
  }
  c.pos = end;
  const ctx = httpContext(p);
  let next = null;
  if (doc && ctx?.graphql && doc.t === 'object')
    next = { proto: 'graphql', offset: start, end, context: ctx };
  return { summary: `JavaScript Object Notation${type ? `: ${type}` : ''}`, next };
}

// ---- Line-based text data ----------------------------------------------------------------------

const T = defineFields('data-text-lines', 'Line-based text data', PLACE, {});

function textLinesDissect(c: Cursor, p: PacketInfo): DissectResult {
  const type = mediaTypeOf(p);
  if (p.cols && type) p.columns.info += ` (${type})`;
  // The line count is for the tree's summary (as every layer's summary is): without a tree, the
  // body is not walked at all.
  if (!c.tree) {
    c.pos = c.end;
    return { summary: undefined };
  }
  const d = c.data;
  let lines = 0;
  let pos = c.start;
  while (pos < c.end) {
    // Bodies run to megabytes: the native search, not a loop over every byte.
    const at = d.indexOf(0x0a, pos);
    const lf = at < 0 || at >= c.end ? c.end : at;
    const next = lf < c.end ? lf + 1 : lf;
    c.label(esc(text(d, pos, next)), pos, next - pos);
    lines++;
    pos = next;
  }
  c.pos = c.end;
  return { summary: `Line-based text data${type ? `: ${type}` : ''} (${lines} lines)` };
}

// ---- HTML form -------------------------------------------------------------------------------------

const U = defineFields('urlencoded-form', 'HTML Form URL Encoded', PLACE, {
  key: { name: 'Key', type: 'string' },
  value: { name: 'Value', type: 'string' },
});

function formDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s.replace(/\+/g, ' ');
  }
}

function formDissect(c: Cursor, p: PacketInfo): DissectResult {
  const type = mediaTypeOf(p);
  if (p.cols && type) p.columns.info += ` (${type})`;
  const d = c.data;
  let pos = c.start;
  while (c.tree && pos < c.end) {
    let amp = pos;
    while (amp < c.end && d[amp] !== 0x26) amp++;
    let eq = pos;
    while (eq < amp && d[eq] !== 0x3d) eq++;
    const k = formDecode(text(d, pos, eq));
    const v = eq < amp ? formDecode(text(d, eq + 1, amp)) : '';
    const it = c.label(`Form item: "${k}" = "${v}"`, pos, amp - pos);
    c.within(it, () => {
      c.add(U.key, pos, eq - pos, k);
      if (eq < amp) c.add(U.value, eq + 1, amp - eq - 1, v);
    });
    pos = amp + 1;
  }
  c.pos = c.end;
  return { summary: `HTML Form URL Encoded${type ? `: ${type}` : ''}` };
}

// ---- Media Type (anything else) -----------------------------------------------------------------

const M = defineFields('media', 'Media Type', PLACE, {
  type: { name: 'Media type', type: 'bytes' },
});

function mediaDissect(c: Cursor, p: PacketInfo): DissectResult {
  const type = mediaTypeOf(p);
  if (p.cols && type) p.columns.info += ` (${type})`;
  const n = c.end - c.start;
  if (c.tree)
    c.add(
      M.type,
      c.start,
      n,
      c.data.subarray(c.start, c.end),
      `Media type: ${type} (${n} byte${n === 1 ? '' : 's'})`,
    );
  c.pos = c.end;
  return { summary: 'Media Type' };
}

// ---- Server-Sent Events --------------------------------------------------------------------------

const S = defineFields('sse', 'Server-Sent Events', PLACE, {
  event: { name: 'Event', type: 'none' },
  id: { name: 'Last event ID', type: 'string' },
  type: { name: 'Event type', type: 'string' },
  data: { name: 'Data', type: 'string' },
  retry: { name: 'Reconnection time', type: 'u32' },
  comment: { name: 'Comment', type: 'string' },
  unknown_field: { name: 'Unknown field', type: 'string' },
  incomplete: { name: 'Incomplete event', type: 'none' },
});

interface SseEvent {
  at: number;
  end: number;
  id?: string;
  type?: string;
  data: string[];
  retry?: number;
}

function sseDissect(c: Cursor, p: PacketInfo): DissectResult {
  const type = mediaTypeOf(p) || 'text/event-stream';
  if (p.cols) p.columns.info += ` (${type})`;
  const d = c.data;
  let pos = c.start;
  // A leading UTF-8 BOM is ignored (HTML §9.2.5).
  if (d[pos] === 0xef && d[pos + 1] === 0xbb && d[pos + 2] === 0xbf) pos += 3;
  let ev: SseEvent | null = null;
  let evItem: Item | null = null;
  let n = 0;
  const flush = (at: number) => {
    if (!ev) return;
    ev.end = at;
    if (evItem) evItem.length = at - ev.at;
    if (ev.data.length) {
      n++;
      const data = ev.data.join('\n');
      const label = `SSE ${ev.type ?? 'message'}${ev.id !== undefined ? ` #${ev.id}` : ''} "${data.length > 30 ? `${data.slice(0, 29)}…` : data}"`;
      emitMessage(p, { proto: 'sse', label: label.replace(/\n/g, '\\n'), detail: data, role: 'server' });
    }
    c.close();
    ev = null;
    evItem = null;
  };
  while (pos < c.end) {
    let lf = pos;
    while (lf < c.end && d[lf] !== 0x0a && d[lf] !== 0x0d) lf++;
    const lineEnd = lf;
    let next = lf;
    if (d[next] === 0x0d) next++;
    if (next < c.end && d[next] === 0x0a) next++;
    if (lineEnd === c.end && next === c.end) next = c.end;
    if (lineEnd === pos) {
      flush(next);
      pos = next;
      continue;
    }
    if (!ev) {
      ev = { at: pos, end: pos, data: [] };
      evItem = c.add(S.event, pos, 0, null, 'Event');
      c.open(evItem);
    }
    const line = text(d, pos, lineEnd);
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    const len = next - pos;
    if (colon === 0) c.add(S.comment, pos, len, value, `Comment: ${esc(value)}`);
    else if (name === 'data') {
      ev.data.push(value);
      c.add(S.data, pos, len, value, `Data: ${esc(value)}`);
    } else if (name === 'event') {
      ev.type = value;
      c.add(S.type, pos, len, value, `Event type: ${esc(value)}`);
    } else if (name === 'id') {
      ev.id = value;
      c.add(S.id, pos, len, value, `Last event ID: ${esc(value)}`);
    } else if (name === 'retry' && /^\d+$/.test(value)) {
      ev.retry = Number(value);
      c.add(S.retry, pos, len, Number(value), `Reconnection time: ${value} ms`);
    } else c.add(S.unknown_field, pos, len, line, `Unknown field: ${esc(line)}`);
    pos = next;
  }
  if (ev) {
    // An event without its blank line (the body ended first) is not dispatched (HTML §9.2.6).
    const at: number = (ev as SseEvent).at;
    expertItem(
      c,
      S.incomplete,
      'note',
      'protocol',
      'Event not terminated by a blank line (not dispatched)',
      at,
    );
    c.close();
  }
  c.pos = c.end;
  return { summary: `Server-Sent Events (${n} event${n === 1 ? '' : 's'})` };
}

// ---- GraphQL over HTTP ----------------------------------------------------------------------------

const G = defineFields('graphql', 'GraphQL over HTTP', PLACE, {
  operation_type: { name: 'Operation type', type: 'string' },
  operation_name: { name: 'Operation name', type: 'string' },
  query: { name: 'Query', type: 'string' },
  variables: { name: 'Variables', type: 'string' },
  data: { name: 'Data', type: 'string' },
  errors: { name: 'Error count', type: 'u32' },
  'error.message': { name: 'Error message', type: 'string' },
});

/** The GET form's request as `name=value` lines (URL-decoded), for the graphql layer. */
export function graphqlRequestOf(uri: string): Uint8Array | null {
  const q = uri.indexOf('?');
  if (q < 0) return null;
  const out: string[] = [];
  for (const part of uri.slice(q + 1).split('&')) {
    const eq = part.indexOf('=');
    const k = formDecode(eq < 0 ? part : part.slice(0, eq));
    if (k === 'query' || k === 'operationName' || k === 'variables' || k === 'extensions')
      out.push(`${k}=${formDecode(eq < 0 ? '' : part.slice(eq + 1))}`.replace(/\n/g, ' '));
  }
  return out.length ? encodeUtf8(out.join('\n')) : null;
}

function operationOf(query: string): { type: string; name: string } {
  // Skip comments and fragments to the first operation definition.
  const q = query.replace(/#[^\n]*/g, '');
  const m = /(?:^|[\s}])(query|mutation|subscription)\b\s*([_A-Za-z][_0-9A-Za-z]*)?/.exec(q);
  if (m) return { type: m[1], name: m[2] ?? '' };
  return { type: q.trim().startsWith('{') ? 'query' : '', name: '' };
}

function graphqlDissect(c: Cursor, p: PacketInfo): DissectResult {
  const ctx = httpContext(p);
  const d = c.data;
  const start = c.start;
  const end = c.end;
  c.pos = end;
  if (ctx?.request && ctx.method === 'GET' && d[start] !== 0x7b) {
    // name=value lines from the URL.
    let query = '';
    let name = '';
    let pos = start;
    for (const line of text(d, start, end).split('\n')) {
      const len = encodeUtf8(line).length;
      const eq = line.indexOf('=');
      const k = line.slice(0, eq);
      const v = line.slice(eq + 1);
      if (k === 'query') query = v;
      if (k === 'operationName') name = v;
      if (k === 'variables') c.add(G.variables, pos + eq + 1, len - eq - 1, v);
      pos += len + 1;
    }
    return graphqlRequestTree(c, p, query, name, start, end, 'GET');
  }
  let doc: JVal;
  try {
    doc = parseJson(d, start, end);
  } catch {
    return { summary: 'GraphQL over HTTP' };
  }
  if (doc.t !== 'object') return { summary: 'GraphQL over HTTP' };
  const get = (k: string) => (doc.t === 'object' ? doc.members.find((m) => m.key === k)?.value : undefined);
  if (ctx?.request !== false) {
    const q = get('query');
    const n = get('operationName');
    const v = get('variables');
    const query = q?.t === 'string' ? q.v : '';
    const name = n?.t === 'string' ? n.v : '';
    if (v && v.t !== 'null') c.add(G.variables, v.at, v.end - v.at, text(d, v.at, v.end));
    return graphqlRequestTree(c, p, query, name, q?.at ?? start, q?.end ?? end, 'POST');
  }
  // A response: data and errors.
  const data = get('data');
  const errors = get('errors');
  if (data) c.add(G.data, data.at, data.end - data.at, text(d, data.at, data.end));
  let nErr = 0;
  if (errors?.t === 'array') {
    nErr = errors.items.length;
    const it = c.add(G.errors, errors.at, errors.end - errors.at, nErr, `Errors: ${nErr}`);
    c.within(it, () => {
      for (const e of errors.items) {
        const m = e.t === 'object' ? e.members.find((x) => x.key === 'message')?.value : undefined;
        if (m?.t === 'string') c.add(G['error.message'], m.at, m.end - m.at, m.v);
      }
    });
  }
  return {
    summary: `GraphQL response${data && data.t !== 'null' ? ', data' : ''}${nErr ? `, ${nErr} error${nErr === 1 ? '' : 's'}` : ''}`,
  };
}

function graphqlRequestTree(
  c: Cursor,
  _p: PacketInfo,
  query: string,
  name: string,
  qAt: number,
  qEnd: number,
  form: string,
): DissectResult {
  const op = operationOf(query);
  const opName = name || op.name;
  if (op.type) c.generated(G.operation_type, op.type);
  if (opName) c.generated(G.operation_name, opName);
  if (query) c.add(G.query, qAt, qEnd - qAt, query);
  return { summary: `GraphQL ${op.type || 'request'}${opName ? ` ${opName}` : ''} (${form})` };
}

/** Media types Wireshark's data-text-lines registers besides text/*. */
const TEXT_TYPES = [
  'text/plain',
  'text/html',
  'text/css',
  'text/csv',
  'text/xml',
  'text/javascript',
  'text/markdown',
  'text/vnd.wap.wml',
  'text/vnd.wap.wmlscript',
  'text/vnd.wap.wbxml',
  'text/vnd.wap.si',
  'text/vnd.wap.sl',
  'text/vnd.wap.co',
  'text/vnd.sun.j2me.app-descriptor',
  'text/calendar',
  'text/x-vcard',
  'text/x-vcalendar',
  'application/x-javascript',
  'application/javascript',
  'application/x-tia-msg',
  'application/x-www-form-urlencoded-data',
  'application/xml-dtd',
];

export const dissectors: readonly Dissector[] = [
  {
    fields: J,
    dissect: jsonDissect,
    in: {
      media_type: [
        'application/json',
        'application/json-rpc',
        'application/jsonrequest',
        'application/dds-web+json',
        'application/vnd.oma.lwm2m+json',
        'application/problem+json',
        'application/graphql-response+json',
        'application/3gppHal+json',
        'application/vnd.api+json',
      ],
    },
  },
  { fields: T, dissect: textLinesDissect, in: { media_type: TEXT_TYPES } },
  { fields: U, dissect: formDissect, in: { media_type: 'application/x-www-form-urlencoded' } },
  { fields: M, dissect: mediaDissect },
  { fields: S, dissect: sseDissect, in: { media_type: 'text/event-stream' } },
  { fields: G, dissect: graphqlDissect, in: { media_type: 'application/graphql' } },
];
