// Follow stream: the payload of one conversation, per direction, as `tshark -q -z follow,…`
// collects and prints it (Wireshark 4.0: packet-tcp.c follow_tcp_tap_listener and
// check_follow_fragments, packet-udp.c, ui/cli/tap-follow.c follow_draw).
//
// TCP: each direction in sequence order; bytes seen before are dropped (a retransmission appears
// once); a segment ahead of the next expected byte waits, and the hole before it becomes a gap
// chunk ("[N bytes missing in capture file]") only when the other side acknowledges data past it
// (the receiver had the bytes, the capture lost them). Nothing is invented: a hole never
// acknowledged leaves what waits behind it out, as in tshark.
// Node 0 is the source of the conversation's first packet, node 1 its destination.
//
// Deliberate differences from tshark 4.0:
// - HTTP/2 follow gives the DATA payloads of the stream (padding and frame headers left out).
//   tshark 4.0's follow,http2 prints each DATA frame whole (its 9-byte header and padding
//   included) and each HEADERS frame as Wireshark's internal decoded-header list, which is
//   not the stream's payload; the header lines (`Follow: http2,…`, `Filter: tcp.stream eq N
//   and http2.streamid eq S`) are tshark's.
// - WebSocket follow has no tshark counterpart (4.0 follows dccp, http, http2, quic, sip, tcp,
//   tls, udp): the header reads `Follow: websocket,…` and `Filter: tcp.stream eq N and websocket`.
// - Bytes cut off by the snaplen are left out silently, as tshark does; FollowResult.cut counts
//   them so a view can say so.
import type { Dissection, Item } from '../dissect/types';
import { endpoint, type Endpoint } from '../messages/roles';
import {
  bytesOf,
  conversationOf,
  firstItem,
  directionOf,
  framesOf,
  numberOf,
  transportLayer,
  type StreamRef,
  type StreamSource,
} from '../messages/source';

export type FollowKind = 'tcp' | 'udp' | 'http2' | 'websocket';
export type FollowFormat = 'ascii' | 'hex' | 'raw';

export interface FollowChunk {
  /** 0: sent by node 0 (the conversation's first sender), 1: by node 1. */
  node: 0 | 1;
  /** The frame the bytes came from (for a gap: the frame whose acknowledgment revealed it). */
  frame: number;
  /** The payload; empty for a gap. */
  bytes: Uint8Array;
  /** Bytes the capture lost here (a gap chunk), else 0. */
  missing: number;
}

export interface FollowResult {
  kind: FollowKind;
  stream: number;
  /** HTTP/2 stream id (http2 only). */
  substream?: number;
  /** The display filter that selects the conversation, as tshark prints it. */
  filter: string;
  nodes: [Endpoint, Endpoint];
  chunks: FollowChunk[];
  /** Payload bytes the snaplen cut off (not shown). */
  cut: number;
}

export class FollowError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FollowError';
  }
}

/** Signed distance of 32-bit sequence numbers (RFC 9293 §3.4 comparisons). */
const seqDiff = (a: number, b: number): number => (a - b) | 0;

interface Record {
  node: 0 | 1;
  frame: number;
  seq: number;
  bytes: Uint8Array;
}

/** One direction's state in tshark's follow_info_t. */
class Side {
  seq = 0;
  written = 0;
  fragments: Record[] = [];
}

/** tshark's check_follow_fragments: one step; true when something was taken off the list. */
function checkFragments(
  side: Side,
  out: FollowChunk[],
  ack: number,
  frame: number,
  useAck: boolean,
): boolean {
  const frags = side.fragments;
  if (!frags.length) return false;
  let lowest = frags[0].seq;
  for (let k = 0; k < frags.length; k++) {
    const f = frags[k];
    if (seqDiff(lowest, f.seq) > 0) lowest = f.seq;
    if (seqDiff(f.seq, side.seq) < 0) {
      const end = (f.seq + f.bytes.length) >>> 0;
      if (seqDiff(end, side.seq) > 0) {
        // Part of this one was retransmitted: only its unseen tail is new.
        const from = seqDiff(side.seq, f.seq);
        if (f.bytes.length > from)
          out.push({ node: f.node, frame: f.frame, bytes: f.bytes.subarray(from), missing: 0 });
        side.seq = (side.seq + (f.bytes.length - from)) >>> 0;
      }
      frags.splice(k, 1);
      return true;
    }
    if (f.seq === side.seq) {
      if (f.bytes.length > 0) out.push({ node: f.node, frame: f.frame, bytes: f.bytes, missing: 0 });
      side.seq = (side.seq + f.bytes.length) >>> 0;
      frags.splice(k, 1);
      return true;
    }
  }
  if (useAck && seqDiff(ack, lowest) > 0) {
    out.push({ node: frags[0].node, frame, bytes: new Uint8Array(0), missing: seqDiff(lowest, side.seq) });
    side.seq = lowest;
    return true;
  }
  return false;
}

function requireConversation(src: StreamSource, ref: StreamRef) {
  const c = conversationOf(src.session, ref);
  if (!c) {
    const n =
      ref.proto === 'tcp'
        ? (src.session.peek<{ table: { count: number } }>('tcp')?.table.count ?? 0)
        : (src.session.peek<{ table: { count: number } }>('udp')?.table.count ?? 0);
    throw new FollowError(
      `there is no ${ref.proto.toUpperCase()} stream ${ref.stream}: the capture has ${n} ${ref.proto.toUpperCase()} stream${n === 1 ? '' : 's'}${n ? ` (0–${n - 1})` : ''}`,
    );
  }
  return c;
}

function dissected(src: StreamSource, f: number): Dissection {
  const d = src.dissect(f, true, false);
  if (!d) throw new FollowError(`frame ${f} could not be read back from the capture`);
  return d;
}

/** The payload of TCP stream `stream`, as tshark's follow,tcp collects it. */
export function followTcp(src: StreamSource, stream: number): FollowResult {
  const ref: StreamRef = { proto: 'tcp', stream };
  const c = requireConversation(src, ref);
  const sides = [new Side(), new Side()];
  const chunks: FollowChunk[] = [];
  let cut = 0;
  for (const f of framesOf(src, [ref])) {
    const d = dissected(src, f);
    const t = transportLayer(d, 'tcp');
    if (!t) continue;
    const items = t.layer.items;
    const node = directionOf(src.index, c, f);
    const flags = numberOf(items, 'tcp.flags');
    let seq = numberOf(items, 'tcp.seq');
    let length = numberOf(items, 'tcp.len');
    const ack = numberOf(items, 'tcp.ack');
    if (flags & 0x02) seq = (seq + 1) >>> 0;
    let bytes = bytesOf(items, 'tcp.payload') ?? new Uint8Array(0);
    cut += Math.max(0, length - bytes.length);
    const me = sides[node];
    const peer = sides[1 - node];
    while (checkFragments(peer, chunks, ack, f, true));
    if (me.written === 0 && me.seq === 0) me.seq = seq;
    if (seqDiff(seq, me.seq) < 0) {
      const next = (seq + length) >>> 0;
      if (seqDiff(next, me.seq) > 0) {
        const from = seqDiff(me.seq, seq);
        bytes = bytes.length <= from ? new Uint8Array(0) : bytes.subarray(from);
        seq = me.seq;
        length = seqDiff(next, me.seq);
      }
    }
    if (bytes.length === 0 || seqDiff(seq, me.seq) < 0) continue;
    const rec: Record = { node, frame: f, seq, bytes };
    if (seq === me.seq) {
      me.seq = (me.seq + length) >>> 0;
      me.written += bytes.length;
      chunks.push({ node, frame: f, bytes, missing: 0 });
      while (checkFragments(me, chunks, 0, f, false));
    } else me.fragments.push(rec);
  }
  return {
    kind: 'tcp',
    stream,
    filter: `tcp.stream eq ${stream}`,
    nodes: [endpoint(c.addressA, c.portA), endpoint(c.addressB, c.portB)],
    chunks,
    cut,
  };
}

/** The datagrams of UDP stream `stream`, one chunk each. */
export function followUdp(src: StreamSource, stream: number): FollowResult {
  const ref: StreamRef = { proto: 'udp', stream };
  const c = requireConversation(src, ref);
  const chunks: FollowChunk[] = [];
  let cut = 0;
  for (const f of framesOf(src, [ref])) {
    const d = dissected(src, f);
    const t = transportLayer(d, 'udp');
    if (!t) continue;
    const bytes = bytesOf(t.layer.items, 'udp.payload');
    const declared = numberOf(t.layer.items, 'udp.length') - 8;
    cut += Math.max(0, declared - (bytes?.length ?? 0));
    if (!bytes || !bytes.length) continue;
    chunks.push({ node: directionOf(src.index, c, f), frame: f, bytes, missing: 0 });
  }
  return {
    kind: 'udp',
    stream,
    filter: `udp.stream eq ${stream}`,
    nodes: [endpoint(c.addressA, c.portA), endpoint(c.addressB, c.portB)],
    chunks,
    cut,
  };
}

/**
 * Walks the items of every layer of `proto` in a frame, in tree order, calling `each` with the
 * layer's items (a layer is one PDU: one HTTP/2 frame, one WebSocket frame).
 */
function layersOf(d: Dissection, proto: string, each: (items: readonly Item[]) => void): void {
  for (const l of d.layers) if (l.proto === proto) each(l.items);
}

/**
 * The DATA payloads of HTTP/2 stream `streamId` inside TCP stream `stream` (tshark 4.0
 * follow,http2: `Filter: tcp.stream eq N and http2.streamid eq S`).
 */
export function followHttp2(src: StreamSource, stream: number, streamId: number): FollowResult {
  const ref: StreamRef = { proto: 'tcp', stream };
  const c = requireConversation(src, ref);
  const chunks: FollowChunk[] = [];
  let seen = false;
  for (const f of framesOf(src, [ref])) {
    const d = dissected(src, f);
    const node = directionOf(src.index, c, f);
    layersOf(d, 'http2', (items) => {
      walkHttp2(
        items,
        streamId,
        () => (seen = true),
        (bytes) => {
          if (bytes.length) chunks.push({ node, frame: f, bytes, missing: 0 });
        },
      );
    });
  }
  if (!seen) throw new FollowError(`TCP stream ${stream} has no HTTP/2 stream ${streamId}`);
  return {
    kind: 'http2',
    stream,
    substream: streamId,
    filter: `tcp.stream eq ${stream} and http2.streamid eq ${streamId}`,
    nodes: [endpoint(c.addressA, c.portA), endpoint(c.addressB, c.portB)],
    chunks,
    cut: 0,
  };
}

/** DATA payloads (http2.data.data) under the nearest preceding http2.streamid equal to `id`. */
function walkHttp2(
  items: readonly Item[],
  id: number,
  found: () => void,
  data: (b: Uint8Array) => void,
): void {
  let current = -1;
  const walk = (list: readonly Item[]) => {
    for (const it of list) {
      if (it.abbrev === 'http2.streamid' && typeof it.value === 'number') {
        current = it.value;
        if (current === id) found();
      } else if (it.abbrev === 'http2.data.data' && current === id && it.value instanceof Uint8Array)
        data(it.value);
      if (it.children) walk(it.children);
    }
  };
  walk(items);
}

/** Opcodes of WebSocket data frames (RFC 6455 §5.6): continuation, text, binary. */
const WS_DATA = new Set([0, 1, 2]);

/**
 * The payloads of the WebSocket data frames carried by TCP stream `stream`, unmasked (control
 * frames — close, ping, pong — are not part of the conversation's content). A frame's payload
 * is what its `websocket.payload` item covers in its data source: the frame itself when the
 * sender did not mask, the "Unmasked data" source when it did. A permessage-deflate message
 * (RFC 7692) is shown as the application received it: its "Decompressed payload", on the frame
 * that ends the message (compressed bytes say nothing to a reader); should decompression have
 * failed, the frame's own bytes are shown instead.
 */
export function followWebSocket(src: StreamSource, stream: number): FollowResult {
  const ref: StreamRef = { proto: 'tcp', stream };
  const c = requireConversation(src, ref);
  const chunks: FollowChunk[] = [];
  let seen = false;
  // Whether the message in progress in each direction is compressed (RSV1 on its first frame).
  const compressed = [false, false];
  for (const f of framesOf(src, [ref])) {
    const d = dissected(src, f);
    const node = directionOf(src.index, c, f);
    let frameBytes: Uint8Array | null | undefined;
    // Decompressed payloads are data sources in layer order: each compressed message's last
    // frame takes the next one.
    const inflated = d.sources.filter((x) => x.name.startsWith('Decompressed')).map((x) => x.bytes);
    for (const l of d.layers) {
      if (l.proto !== 'websocket') continue;
      seen = true;
      const opcode = numberOf(l.items, 'websocket.opcode');
      if (!WS_DATA.has(opcode)) continue;
      if (opcode !== 0) compressed[node] = firstItem(l.items, 'websocket.pmc')?.value === true;
      const fin = firstItem(l.items, 'websocket.fin')?.value === true;
      if (compressed[node]) {
        if (!fin) continue;
        const whole = inflated.shift();
        if (whole) {
          if (whole.length) chunks.push({ node, frame: f, bytes: whole, missing: 0 });
          continue;
        }
      }
      const it = l.items.find((i) => i.abbrev === 'websocket.payload');
      if (!it || !it.length) continue;
      const s = it.source ?? 0;
      const from = s === 0 ? (frameBytes ??= src.read?.(f - 1) ?? null) : (d.sources[s - 1]?.bytes ?? null);
      if (!from) throw new FollowError(`frame ${f} could not be read back from the capture`);
      const bytes = from.subarray(it.offset, Math.min(from.length, it.offset + it.length));
      if (bytes.length) chunks.push({ node, frame: f, bytes, missing: 0 });
    }
  }
  if (!seen) throw new FollowError(`TCP stream ${stream} carries no WebSocket frames`);
  return {
    kind: 'websocket',
    stream,
    filter: `tcp.stream eq ${stream} and websocket`,
    nodes: [endpoint(c.addressA, c.portA), endpoint(c.addressB, c.portB)],
    chunks,
    cut: 0,
  };
}

// ---- tshark's text layout (ui/cli/tap-follow.c follow_draw) ----------------------------------

const SEPARATOR = '===================================================================';
const HEX = '0123456789abcdef';

/**
 * The bytes tshark shows for a chunk. A gap is its marker text followed by a NUL: tshark 4.0
 * stores strlen + 1 bytes (the terminator included), which prints as a trailing `.` in ascii and
 * `00` in hex and raw, and counts in the chunk's length.
 */
export function chunkBytes(ch: FollowChunk): Uint8Array {
  if (!ch.missing) return ch.bytes;
  const text = `[${ch.missing} bytes missing in capture file]`;
  const b = new Uint8Array(text.length + 1);
  for (let i = 0; i < text.length; i++) b[i] = text.charCodeAt(i);
  return b;
}

/** g_ascii_isprint, with CR and LF kept as they are (tshark's ascii mode). */
function asciiText(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    const v = b[i];
    s += v === 0x0d || v === 0x0a || (v >= 0x20 && v < 0x7f) ? String.fromCharCode(v) : '.';
  }
  return s;
}

function rawText(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i] >> 4] + HEX[b[i] & 15];
  return s;
}

/**
 * tshark's follow_print_hex: 16 bytes a line, an offset (upper-case hex, counted per node across
 * chunks), hex bytes with an extra space after the eighth, then the printable characters.
 */
function hexLines(prefix: string, offset: number, b: Uint8Array, out: string[]): void {
  for (let i = 0; i < b.length; i += 16) {
    let hex = '';
    let asc = '';
    const n = Math.min(16, b.length - i);
    for (let k = 0; k < n; k++) {
      const v = b[i + k];
      hex += HEX[v >> 4] + HEX[v & 15] + ' ';
      asc += v >= 0x20 && v < 0x7f ? String.fromCharCode(v) : '.';
      if (k === 7) {
        hex += ' ';
        asc += ' ';
      }
    }
    if (asc.endsWith(' ')) asc = asc.slice(0, -1);
    const off = (offset + i).toString(16).toUpperCase().padStart(8, '0');
    out.push(`${prefix}${off}  ${hex.padEnd(50)}${asc}`);
  }
}

/** The follow output exactly as `tshark -q -z follow,KIND,FORMAT,…` prints it (lines joined by \n). */
export function formatFollow(r: FollowResult, format: FollowFormat): string {
  const out: string[] = ['', SEPARATOR, `Follow: ${r.kind},${format}`, `Filter: ${r.filter}`];
  out.push(`Node 0: ${r.nodes[0].text}`, `Node 1: ${r.nodes[1].text}`);
  const pos = [0, 0];
  for (const ch of r.chunks) {
    const b = chunkBytes(ch);
    const tab = ch.node ? '\t' : '';
    if (format === 'ascii') {
      out.push(`${tab}${b.length}`);
      out.push(asciiText(b));
    } else if (format === 'raw') out.push(tab + rawText(b));
    else hexLines(tab, pos[ch.node], b, out);
    pos[ch.node] += b.length;
  }
  out.push(SEPARATOR);
  return out.join('\n') + '\n';
}

/** Each direction's payload in order, gaps left out: what the property tests compare. */
export function directionBytes(r: FollowResult): [Uint8Array, Uint8Array] {
  const parts: Uint8Array[][] = [[], []];
  for (const ch of r.chunks) if (!ch.missing) parts[ch.node].push(ch.bytes);
  return [concat(parts[0]), concat(parts[1])];
}

function concat(list: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const b of list) n += b.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const b of list) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}
