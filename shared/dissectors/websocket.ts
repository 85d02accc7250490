// WebSocket (RFC 6455 §5) and its permessage-deflate extension (RFC 7692), as Wireshark 4.0's
// packet-websocket.c shows them: the same filter names, value formats, tree, data sources
// ("Unmasked data", "Reassembled Message", "Decompressed payload") and Info column.
//
// The protocol is reached after an HTTP/1.1 `101 Switching Protocols` with `Upgrade: websocket`
// (http.ts switches both TCP directions here and leaves the handshake in the conversation state
// `websocket.handshake`), or by "decode as" on a port. It claims no port and has no heuristic,
// as Wireshark 4.0 (two bytes of anything look like a frame header).
//
// State across frames (fragmented messages, the deflate window kept between messages with
// context takeover) is built on the first pass in `framing.onPdu`, which TCP reassembly calls
// once per frame in stream order, and kept per PDU (frame number and position among the frame's
// WebSocket PDUs) in the TCP conversation's state, so later visits show the same.
//
// Deliberate differences from Wireshark 4.0:
// - A fragmented compressed message is decompressed on its last fragment. Wireshark 4.0 takes the
//   compressed flag of a continuation frame (always clear, RFC 7692 §6.1) and shows the still
//   compressed bytes; its context then no longer matches the sender's, and later messages of that
//   direction come out garbled when context takeover is on (tests/websocket: the frames excused).
// - The fragment list and `Continue` bytes sit inside the WebSocket layer (Wireshark draws them
//   at the top level of the tree).
// - Text payloads go to `data-text-lines` when a dissector of that name is registered, else to
//   `data` (Wireshark: Line-based text data).
import { Inflate } from 'fflate';
import { decodeUtf8 } from '../capture/text';
import type { Cursor } from '../dissect/cursor';
import type { Dissector, DissectResult, NextHint } from '../dissect/engine';
import { defineFields } from '../dissect/fields';
import { bitPicture } from '../dissect/format';
import { emitMessage, type PacketInfo } from '../dissect/packet';
import type { Item } from '../dissect/types';
import { NEED_MORE, NOT_MINE, type PduFraming, type StreamSide } from '../reassembly/pdu-stream';
import { tcpReassembly } from '../reassembly/tcp-stream';

const OPCODES: Record<number, string> = {
  0: 'Continuation',
  1: 'Text',
  2: 'Binary',
  8: 'Connection Close',
  9: 'Ping',
  10: 'Pong',
};

// RFC 6455 §7.4.1 and the IANA registry, with Wireshark's short names.
const CLOSE_CODES: Record<number, string> = {
  1000: 'Normal Closure',
  1001: 'Going Away',
  1002: 'Protocol error',
  1003: 'Unsupported Data',
  1004: '---Reserved----',
  1005: 'No Status Rcvd',
  1006: 'Abnormal Closure',
  1007: 'Invalid frame payload data',
  1008: 'Policy Violation',
  1009: 'Message Too Big',
  1010: 'Mandatory Ext.',
  1011: 'Internal Server',
  1015: 'TLS handshake',
};

export const fields = defineFields(
  'websocket',
  'WebSocket',
  { osi: 7, tcpip: 'application' },
  {
    fin: { name: 'Fin', type: 'bool', mask: 0x80 },
    rsv: { name: 'Reserved', type: 'u8', base: 'hex', mask: 0x70 },
    pmc: { name: 'Per-Message Compressed', type: 'bool', mask: 0x40 },
    opcode: { name: 'Opcode', type: 'u8', mask: 0x0f, vals: OPCODES },
    mask: { name: 'Mask', type: 'bool', mask: 0x80 },
    payload_length: { name: 'Payload length', type: 'u8', mask: 0x7f },
    payload_length_ext_16: { name: 'Extended Payload length (16 bits)', type: 'u16' },
    payload_length_ext_64: { name: 'Extended Payload length (64 bits)', type: 'u64' },
    masking_key: { name: 'Masking-Key', type: 'bytes' },
    payload: { name: 'Payload', type: 'none' },
    masked_payload: { name: 'Masked payload', type: 'none' },
    'payload.continue': { name: 'Continue', type: 'bytes' },
    'payload.text': { name: 'Text', type: 'string' },
    'payload.close': { name: 'Close', type: 'none' },
    'payload.close.status_code': { name: 'Status code', type: 'u16', vals: CLOSE_CODES },
    'payload.close.reason': { name: 'Reason', type: 'string' },
    'payload.ping': { name: 'Ping', type: 'bytes' },
    'payload.pong': { name: 'Pong', type: 'bytes' },
    'payload.unknown': { name: 'Unknown', type: 'bytes' },
    fragments: { name: 'Reassembled websocket Fragments', type: 'none' },
    fragment: { name: 'Websocket Fragment', type: 'framenum' },
    'fragment.count': { name: 'Fragment count', type: 'u32' },
    'reassembled.length': { name: 'Reassembled websocket Payload length', type: 'u32' },
  },
);
const F = fields;

/** Largest decompressed message kept; past it the message is reported, not inflated further. */
export const MAX_INFLATED = 16 * 1024 * 1024;

/** Longest text shown in a message label's preview (the label stays within ~60 characters). */
const PREVIEW = 32;

/** The permessage-deflate parameters one sender compresses with (RFC 7692 §7.1). */
interface DeflateParams {
  noContext: boolean;
  windowBits: number;
}

/** The extension as the handshake's response negotiated it; null: not negotiated. */
export interface Negotiated {
  client: DeflateParams;
  server: DeflateParams;
}

/** What http.ts leaves in the TCP conversation state `websocket.handshake`. */
interface Handshake {
  extensions?: string;
}

/** What later visits need of one PDU; only PDUs of stateful messages get one. */
export interface WsRecord {
  /** Position of the frame in a fragmented message (1-based) and the message's frame count
   * (0 while the message is unfinished). */
  part?: number;
  parts?: number;
  /** On a message's last fragment: the first fragment's opcode, the payload as reassembled
   * and where each piece came from. */
  opcode?: number;
  reassembled?: Uint8Array;
  pieces?: { frame: number; length: number }[];
  /** Set for a compressed message's last (or only) frame: its payload inflated, or why not. */
  inflated?: Uint8Array;
  inflateError?: string;
}

interface Fragmented {
  opcode: number;
  compressed: boolean;
  parts: Uint8Array[];
  pieces: { frame: number; length: number }[];
  records: WsRecord[];
}

interface Direction {
  inflater: Inflate | null;
  fragmented: Fragmented | null;
}

/** WebSocket's state of one TCP conversation, built on the first pass. */
export interface WsConversation {
  deflate: Negotiated | null;
  dirs: [Direction, Direction];
  /** Records by `${frame}:${index among the frame's WebSocket PDUs}`. */
  /** By recordKey(frame, index of the WebSocket PDU in the frame). */
  records: Map<number, WsRecord>;
  lastFrame: number;
  index: number;
}

/** permessage-deflate parameters from a Sec-WebSocket-Extensions response value (Wireshark's
 * substring tests, RFC 7692 §7.1: absent max_window_bits means 15, values below 8 count as 8). */
export function parseExtensions(value: string | undefined): Negotiated | null {
  if (!value) return null;
  if (!value.includes('permessage-deflate') && !value.includes('x-webkit-deflate-frame')) return null;
  const bits = (name: string): number => {
    const m = new RegExp(`${name}=\\s*"?(\\d+)`).exec(value);
    if (!m) return 15;
    return Math.min(15, Math.max(8, Number(m[1])));
  };
  return {
    client: {
      noContext: value.includes('client_no_context_takeover'),
      windowBits: bits('client_max_window_bits'),
    },
    server: {
      noContext: value.includes('server_no_context_takeover'),
      windowBits: bits('server_max_window_bits'),
    },
  };
}

/** The frame's header: where the payload starts and how long it is (the 64-bit length as a
 * number: lengths past 2^53 are no frame reassembly could hold anyway). */
function header(data: Uint8Array, offset: number, end: number): { at: number; length: number } | null {
  if (end - offset < 2) return null;
  const b1 = data[offset + 1];
  let length = b1 & 0x7f;
  let at = offset + 2;
  if (length === 126) {
    if (end - offset < 4) return null;
    length = (data[at] << 8) | data[at + 1];
    at += 2;
  } else if (length === 127) {
    if (end - offset < 10) return null;
    const hi = ((data[at] << 24) | (data[at + 1] << 16) | (data[at + 2] << 8) | data[at + 3]) >>> 0;
    const lo = ((data[at + 4] << 24) | (data[at + 5] << 16) | (data[at + 6] << 8) | data[at + 7]) >>> 0;
    length = hi * 4294967296 + lo;
    at += 8;
  }
  if (b1 & 0x80) at += 4;
  return { at, length };
}

/** The payload data[at, at+n) unmasked (RFC 6455 §5.3): a copy. */
function unmask(data: Uint8Array, at: number, n: number, keyAt: number): Uint8Array {
  // A copy (memcpy), then the key XORed a 32-bit word at a time: payloads run to megabytes.
  const out = new Uint8Array(n);
  out.set(data.subarray(at, at + n));
  const k = [data[keyAt], data[keyAt + 1], data[keyAt + 2], data[keyAt + 3]];
  const words = n >>> 2;
  if (words) {
    const w = new Uint32Array(out.buffer, 0, words);
    const key = LITTLE_ENDIAN
      ? (k[0] | (k[1] << 8) | (k[2] << 16) | (k[3] << 24)) >>> 0
      : ((k[0] << 24) | (k[1] << 16) | (k[2] << 8) | k[3]) >>> 0;
    for (let i = 0; i < words; i++) w[i] ^= key;
  }
  for (let i = words * 4; i < n; i++) out[i] ^= k[i & 3];
  return out;
}

/** Byte order of this machine's typed arrays (unmask XORs in words). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

const TAIL = new Uint8Array([0x00, 0x00, 0xff, 0xff]);

/**
 * Inflates one message (RFC 7692 §7.2.2: the sender removed the final 00 00 ff ff of its
 * sync flush; it is put back). `inflater` keeps the window from earlier messages (context
 * takeover); without one, a fresh stream is used and dropped.
 */
export function inflateMessage(
  payload: Uint8Array,
  inflater: Inflate | null,
): { data: Uint8Array } | { error: string } {
  const inf = inflater ?? new Inflate();
  const chunks: Uint8Array[] = [];
  let total = 0;
  inf.ondata = (chunk) => {
    total += chunk.length;
    if (total > MAX_INFLATED) throw new Error(`more than ${MAX_INFLATED} bytes inflated`);
    chunks.push(chunk);
  };
  try {
    inf.push(payload, false);
    inf.push(TAIL, false);
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
  if (chunks.length === 1) return { data: chunks[0] };
  const out = new Uint8Array(total);
  let o = 0;
  for (const ch of chunks) {
    out.set(ch, o);
    o += ch.length;
  }
  return { data: out };
}

function newConversation(side: StreamSide): WsConversation {
  const hs = side.convState<Handshake>('websocket.handshake', () => ({}));
  return {
    deflate: parseExtensions(hs.extensions),
    dirs: [
      { inflater: null, fragmented: null },
      { inflater: null, fragmented: null },
    ],
    records: new Map(),
    lastFrame: -1,
    index: 0,
  };
}

/** Inflates a whole message for its sender (masked frames are the client's, RFC 6455 §5.1). */
function inflateFor(conv: WsConversation, dir: Direction, masked: boolean, payload: Uint8Array): WsRecord {
  const params = masked ? conv.deflate!.client : conv.deflate!.server;
  let inf: Inflate | null = null;
  if (!params.noContext) inf = dir.inflater ??= new Inflate();
  const r = inflateMessage(payload, inf);
  if ('data' in r) return { inflated: r.data };
  // A stream that failed cannot go on: the next message starts a fresh window.
  dir.inflater = null;
  return { inflateError: r.error };
}

/**
 * First pass, once per frame in stream order: fragmented messages are put together and
 * compressed messages inflated, and what a later visit of the frame needs is recorded.
 */
function onPdu(data: Uint8Array, offset: number, length: number, side: StreamSide): void {
  const conv = side.convState('websocket', () => newConversation(side));
  if (conv.lastFrame === side.frame) conv.index++;
  else {
    conv.lastFrame = side.frame;
    conv.index = 0;
  }
  const key = recordKey(side.frame, conv.index);
  const end = offset + length;
  const h = header(data, offset, end);
  if (!h || h.at + h.length > end) return;
  const b0 = data[offset];
  const opcode = b0 & 0x0f;
  const fin = (b0 & 0x80) !== 0;
  const masked = (data[offset + 1] & 0x80) !== 0;
  // Control frames stand alone, even between the fragments of a message (RFC 6455 §5.4).
  if (opcode & 8) return;
  const dir = conv.dirs[side.dir];
  const payload = () => (masked ? unmask(data, h.at, h.length, h.at - 4) : data.slice(h.at, h.at + h.length));
  if (opcode !== 0) {
    // A new message; one left unfinished before it is abandoned (its frames keep parts 0).
    dir.fragmented = null;
    const compressed = conv.deflate !== null && (b0 & 0x40) !== 0;
    if (fin) {
      if (compressed) conv.records.set(key, inflateFor(conv, dir, masked, payload()));
      return;
    }
    const rec: WsRecord = { part: 1, parts: 0 };
    conv.records.set(key, rec);
    dir.fragmented = {
      opcode,
      compressed,
      parts: [payload()],
      pieces: [{ frame: side.frame, length: h.length }],
      records: [rec],
    };
    return;
  }
  const fr = dir.fragmented;
  if (!fr) return;
  fr.parts.push(payload());
  fr.pieces.push({ frame: side.frame, length: h.length });
  let rec: WsRecord = { part: fr.parts.length, parts: 0 };
  fr.records.push(rec);
  if (fin) {
    dir.fragmented = null;
    const whole = concat(fr.parts);
    if (fr.compressed) rec = { ...rec, ...inflateFor(conv, dir, masked, whole) };
    rec.opcode = fr.opcode;
    rec.reassembled = whole;
    rec.pieces = fr.pieces;
    fr.records[fr.records.length - 1] = rec;
    for (const r of fr.records) r.parts = fr.records.length;
  }
  conv.records.set(key, rec);
}

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const framing: PduFraming = {
  minLength: 2,
  pduLength(data, offset, end) {
    const h = header(data, offset, end);
    if (!h) return NEED_MORE;
    const n = h.at - offset + h.length;
    return Number.isSafeInteger(n) ? n : NOT_MINE;
  },
  onPdu,
};

/** This TCP conversation's WebSocket state, when TCP reassembly delivered the frame. */
function conversationOf(p: PacketInfo): WsConversation | null {
  if (p.stream < 0 || p.inError) return null;
  const st = p.session.peek<ReturnType<typeof tcpReassembly>>('tcp.reassembly')?.streams.get(p.stream);
  if (!st) return null;
  const conv = st.dirs[0].pdus.convState<WsConversation | null>('websocket', () => null);
  return conv;
}

/** How many WebSocket PDUs of this frame came before this one (the engine pushed ours already). */
/** A record's key: a number, not a string built for every PDU on every pass (2^21 PDUs a frame
 * and 2^32 frames stay within 2^53). */
function recordKey(frame: number, index: number): number {
  return frame * 0x200000 + index;
}

function pduIndex(p: PacketInfo): number {
  let n = -1;
  const list = p.protocols;
  for (let i = 0; i < list.length; i++) if (list[i] === 'websocket') n++;
  return n;
}

/** An item on another data source (source: its 1-based index, as the engine numbers them). */
function onSource(it: Item | null, source: number): Item | null {
  if (it && source) it.source = source;
  return it;
}

function textOf(b: Uint8Array): string {
  // FT_STRING stops at the first NUL, as Wireshark's string fields do.
  const nul = b.indexOf(0);
  return decodeUtf8(b, 0, nul < 0 ? b.length : nul);
}

function preview(s: string, max = PREVIEW): string {
  // Flattened from a prefix: a flattened prefix is a prefix of the flattened whole, and a long
  // message costs no more than a short one. It grows only when whitespace runs ate it.
  for (let n = 4 * max + 16; ; n *= 4) {
    const flat = (n < s.length ? s.slice(0, n) : s).replace(/[\r\n\t]+/g, ' ');
    if (flat.length > max) return `${flat.slice(0, max)}…`;
    if (n >= s.length) return flat;
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hexPreview(b: Uint8Array, max = 32): string {
  let s = '';
  for (let i = 0; i < b.length && i < max; i++) s += HEX[b[i]];
  return b.length > max ? `${s}…` : s;
}

/** The data sources a frame's payload may pass through, in Wireshark's words. */
type DataName = 'Unmasked data' | 'Reassembled Message' | 'Decompressed payload';

function dissect(c: Cursor, p: PacketInfo): DissectResult {
  const start = c.pos;
  const conv = conversationOf(p);
  const b0 = c.getU8(start);
  const b1 = c.getU8(start + 1);
  const fin = (b0 & 0x80) !== 0;
  const opcode = b0 & 0x0f;
  const masked = (b1 & 0x80) !== 0;
  const short = b1 & 0x7f;
  if (p.cols) {
    p.columns.protocol = 'WebSocket';
    p.columns.info = `WebSocket ${OPCODES[opcode] ?? 'Unknown Opcode'}${fin ? ' [FIN]' : '[FRAGMENT] '}${masked ? ' [MASKED]' : ' '}`;
  }
  const tree = c.tree;
  c.bits(F.fin, b0, start, 1);
  c.bits(F.rsv, b0, start, 1);
  if (conv?.deflate) c.bits(F.pmc, b0, start, 1);
  c.bits(F.opcode, b0, start, 1);
  c.skip(1);
  c.bits(F.mask, b1, start + 1, 1);
  const lenItem = tree
    ? c.add(F.payload_length, start + 1, 1, short, `${bitPicture(b1, 0x7f, 1)} = Payload length: ${short}`)
    : null;
  if (lenItem) lenItem.mask = 0x7f;
  c.skip(1);
  let length = short;
  if (short === 126) {
    if (lenItem) lenItem.label += ' Extended Payload Length (16 bits)';
    length = c.u16(F.payload_length_ext_16);
  } else if (short === 127) {
    if (lenItem) lenItem.label += ' Extended Payload Length (64 bits)';
    const v = c.u64(F.payload_length_ext_64);
    length = Number(v);
  }
  let keyAt = -1;
  if (masked) {
    keyAt = c.pos;
    c.bytes(4, F.masking_key);
  }
  const payloadAt = c.pos;
  const rec = conv?.records.get(recordKey(p.frame.number, pduIndex(p))) ?? null;
  const result: DissectResult = { headerLength: payloadAt - start };
  if (length === 0) {
    message(p, opcode, fin, masked, new Uint8Array(0), rec);
    return result;
  }
  c.check(payloadAt, length);
  // The payload as the application sees it, and the data sources it came through.
  let payload: Uint8Array;
  let source = c.source;
  const newSource = (name: DataName, bytes: Uint8Array): number => {
    p.sources.push({ name, bytes });
    return p.sources.length;
  };
  if (masked) {
    c.add(F.masked_payload, payloadAt, length, null);
    payload = unmask(c.data, payloadAt, length, keyAt);
    source = newSource('Unmasked data', payload);
  } else payload = c.data.subarray(payloadAt, payloadAt + length);
  c.skip(length);
  const plAt = masked ? 0 : payloadAt;
  const pl = onSource(c.add(F.payload, plAt, length, null), source);

  if (opcode & 8) {
    c.within(pl, () => control(c, opcode, payload, plAt, source));
    if (opcode > 10) unknownOpcode(c, opcode);
    message(p, opcode, fin, masked, payload, rec);
    return result;
  }

  let appOpcode = opcode;
  let app = payload;
  let appSource = source;
  let appAt = plAt;
  if (!fin || opcode === 0) {
    if (rec?.reassembled && rec.pieces) {
      appOpcode = rec.opcode ?? opcode;
      app = rec.reassembled;
      const src = newSource('Reassembled Message', app);
      appSource = src;
      appAt = 0;
      if (tree) fragmentsTree(c, rec, src);
    } else {
      if (opcode === 0) onSource(c.add(F['payload.continue'], plAt, length, payload), source);
      message(p, opcode, fin, masked, payload, rec);
      return result;
    }
  }
  if (rec && (rec.inflated || rec.inflateError !== undefined)) {
    if (rec.inflateError !== undefined) {
      // Notes sit at the layer's level: their range is in the frame, the payload may not be.
      c.expert(
        'websocket.decompression.failed.expert',
        'warn',
        'protocol',
        `Decompression failed: ${rec.inflateError}`,
      );
      message(p, appOpcode, true, masked, app, rec);
      return result;
    }
    app = rec.inflated!;
    appAt = 0;
    appSource = app.length ? newSource('Decompressed payload', app) : appSource;
  }
  message(p, appOpcode, true, masked, app, rec);
  if (appOpcode === 1) {
    if (tree)
      c.within(pl, () => onSource(c.add(F['payload.text'], appAt, app.length, textOf(app)), appSource));
  } else if (appOpcode !== 2) {
    if (tree) c.within(pl, () => onSource(c.add(F['payload.unknown'], appAt, app.length, app), appSource));
    unknownOpcode(c, appOpcode);
    return result;
  }
  if (!app.length) return result;
  const proto = appOpcode === 1 && p.dispatch?.dissector('data-text-lines') ? 'data-text-lines' : 'data';
  // The application bytes go on from the source they are in: the frame itself, or the last
  // source pushed here (handed over as the hint's data, so the engine pushes it as the same tab).
  let next: NextHint;
  if (appSource === c.source) next = { proto, offset: appAt, end: appAt + app.length };
  else {
    // appSource is the last source pushed above: the engine pushes it again at the same index.
    const last = p.sources.pop()!;
    next = { proto, data: last.bytes, dataName: last.name };
  }
  result.next = next;
  return result;
}

function unknownOpcode(c: Cursor, opcode: number): void {
  c.expert(
    'websocket.payload.unknown.expert',
    'note',
    'undecoded',
    `Dissector for Websocket Opcode (${opcode}) code not implemented, Contact Wireshark developers if you want this supported`,
  );
}

/** Close, ping and pong payloads (RFC 6455 §5.5), and control opcodes without a meaning. */
function control(c: Cursor, opcode: number, payload: Uint8Array, at: number, source: number): void {
  switch (opcode) {
    case 8: {
      const close = onSource(c.add(F['payload.close'], at, payload.length, null), source);
      c.within(close, () => {
        if (payload.length >= 2) {
          const code = (payload[0] << 8) | payload[1];
          onSource(c.add(F['payload.close.status_code'], at, 2, code), source);
          if (payload.length > 2)
            onSource(
              c.add(F['payload.close.reason'], at + 2, payload.length - 2, textOf(payload.subarray(2))),
              source,
            );
        }
      });
      return;
    }
    case 9:
      onSource(c.add(F['payload.ping'], at, payload.length, payload), source);
      return;
    case 10:
      onSource(c.add(F['payload.pong'], at, payload.length, payload), source);
      return;
    default:
      onSource(c.add(F['payload.unknown'], at, payload.length, payload), source);
  }
}

/** Wireshark's "[N Reassembled websocket Fragments (X bytes): #a(n), …]" subtree. */
function fragmentsTree(c: Cursor, rec: WsRecord, source: number): void {
  const pieces = rec.pieces!;
  const total = rec.reassembled!.length;
  const list = pieces.map((s) => `#${s.frame}(${s.length})`).join(', ');
  const top = c.generated(
    F.fragments,
    null,
    `[${pieces.length} Reassembled websocket Fragments (${total} bytes): ${list}]`,
  );
  c.within(top, () => {
    let o = 0;
    for (const s of pieces) {
      const range = s.length ? `${o}-${o + s.length - 1}` : `${o}-${o}`;
      const it = c.add(
        F.fragment,
        o,
        s.length,
        s.frame,
        `[Frame: ${s.frame}, payload: ${range} (${s.length} byte${s.length === 1 ? '' : 's'})]`,
      );
      if (it) {
        it.generated = true;
        it.source = source;
      }
      o += s.length;
    }
    c.generated(F['fragment.count'], pieces.length, `[Fragment count: ${pieces.length}]`);
    c.generated(F['reassembled.length'], total, `[Reassembled websocket Payload length: ${total}]`);
  });
}

/** The application message a frame carries, for sequence diagrams. */
function message(
  p: PacketInfo,
  opcode: number,
  fin: boolean,
  masked: boolean,
  payload: Uint8Array,
  rec: WsRecord | null,
): void {
  if (!p.cols && !p.tree) return;
  const role = masked ? 'client' : 'server';
  const of = (r: WsRecord | null) => (r?.part ? ` (${r.part}/${r.parts || '?'})` : '');
  let label: string;
  let detail: string | undefined;
  if (!fin || (opcode === 0 && !rec?.reassembled)) {
    const fragment = () =>
      opcode === 0
        ? `WS continuation${of(rec)}`
        : `WS ${OPCODES[opcode]?.toLowerCase() ?? `opcode ${opcode}`} fragment${of(rec)}`;
    label = fragment();
    detail = `${payload.length} bytes of a fragmented message`;
    // How many fragments the message has is known at its last one.
    if (rec?.part && !rec.parts) {
      const d = detail;
      emitMessage(p, { proto: 'websocket', label, detail, role }, (final) =>
        rec.parts || final ? { label: fragment(), detail: d } : null,
      );
      return;
    }
  } else {
    const whole = rec?.reassembled ? ` in ${rec.parts} fragments` : '';
    switch (opcode) {
      case 1: {
        const text = decodeUtf8(payload);
        label = `WS text "${preview(text)}"`;
        detail = text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
        break;
      }
      case 2:
        label = `WS binary ${payload.length} byte${payload.length === 1 ? '' : 's'}`;
        detail = hexPreview(payload, 256);
        break;
      case 8: {
        if (payload.length >= 2) {
          const code = (payload[0] << 8) | payload[1];
          const reason = decodeUtf8(payload, 2);
          label = `WS close ${code}${reason ? ` "${preview(reason, 24)}"` : ''}`;
          detail = `${CLOSE_CODES[code] ?? 'Unknown'} (${code})${reason ? `: ${reason}` : ''}`;
        } else label = 'WS close';
        break;
      }
      case 9:
      case 10:
        label = opcode === 9 ? 'WS ping' : 'WS pong';
        if (payload.length) detail = decodeUtf8(payload);
        break;
      default:
        label = `WS opcode ${opcode}`;
    }
    if (whole) detail = `${detail ?? ''} (${whole.trim()})`.trim();
  }
  emitMessage(p, { proto: 'websocket', label, detail, role });
}

export const dissectors: readonly Dissector[] = [
  {
    fields,
    pdu: 'message',
    dissect,
    framing,
  },
];
