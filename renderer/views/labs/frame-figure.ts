// The chapter's WebSocket frame figure (RFC 6455 §5.2) for one real frame: the header's bits with
// the values the dissection read, and the unmasking (§5.3) worked through for the first bytes:
// masked byte XOR key[i mod 4] = unmasked byte. Pure, from a PacketDetail, so it is tested on a
// real capture without a DOM.
import type { PacketDetail } from '../../../shared/contract/api';
import type { Dissection, Item, Layer } from '../../../shared/dissect/types';

export const OPCODE_NAMES: Readonly<Record<number, string>> = {
  0: 'continuation',
  1: 'text',
  2: 'binary',
  8: 'close',
  9: 'ping',
  10: 'pong',
};

export interface UnmaskStep {
  i: number;
  masked: number;
  key: number;
  unmasked: number;
}

export interface WsFrameFigure {
  frame: number;
  /** Which WebSocket frame of the packet (a segment may carry several), 0-based. */
  index: number;
  fin: boolean;
  rsv: number;
  opcode: number;
  masked: boolean;
  /** The 7-bit Payload len field as sent (126/127 announce an extended length). */
  len7: number;
  /** Bits of the extended payload length (0, 16 or 64) and its value. */
  extBits: 0 | 16 | 64;
  extLen: number | null;
  /** The payload length the header says. */
  length: number;
  maskingKey: number[] | null;
  /** The header's bytes as sent (2 to 14). */
  header: number[];
  /** The first bytes of the payload, masked as on the wire and unmasked. */
  steps: UnmaskStep[];
  /** The text the unmasked payload reads as (text frames), whole, as the dissection decoded it. */
  text: string | null;
  /** Close frames: the status code and reason. */
  closeCode: number | null;
  closeReason: string | null;
}

function find(items: readonly Item[], abbrev: string): Item | null {
  for (const it of items) {
    if (it.abbrev === abbrev) return it;
    if (it.children) {
      const f = find(it.children, abbrev);
      if (f) return f;
    }
  }
  return null;
}

function num(it: Item | null): number | null {
  if (!it) return null;
  const v = it.value;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return null;
}

function sourceBytes(detail: PacketDetail, d: Dissection, source: number | undefined): Uint8Array {
  return source ? (d.sources[source - 1]?.bytes ?? new Uint8Array(0)) : detail.bytes;
}

/** The WebSocket layers of a packet, in order. */
export function wsLayers(d: Dissection): Layer[] {
  return d.layers.filter((l) => l.proto === 'websocket');
}

/** The frame figure of the `index`-th WebSocket frame in a packet; null when it has none. */
export function frameFigure(detail: PacketDetail, index = 0, first = 16): WsFrameFigure | null {
  const d = detail.dissection;
  const layer = wsLayers(d)[index];
  if (!layer) return null;
  const items = layer.items;
  const fin = find(items, 'websocket.fin');
  const opcode = num(find(items, 'websocket.opcode'));
  const len7 = num(find(items, 'websocket.payload_length'));
  if (!fin || opcode === null || len7 === null) return null;
  const bytes = sourceBytes(detail, d, fin.source);
  const start = fin.offset;
  const ext16 = find(items, 'websocket.payload_length_ext_16');
  const ext64 = find(items, 'websocket.payload_length_ext_64');
  const extBits: 0 | 16 | 64 = ext16 ? 16 : ext64 ? 64 : 0;
  const extLen = num(ext16 ?? ext64);
  const keyItem = find(items, 'websocket.masking_key');
  const masked = !!num(find(items, 'websocket.mask'));
  const key = keyItem ? Array.from(bytes.subarray(keyItem.offset, keyItem.offset + 4)) : null;
  const headerEnd = keyItem ? keyItem.offset + 4 : start + 2 + extBits / 8;
  const length = extLen ?? len7;
  const payloadAt = headerEnd;
  const n = Math.max(0, Math.min(first, length, bytes.length - payloadAt));
  const steps: UnmaskStep[] = [];
  for (let i = 0; i < n; i++) {
    const m = bytes[payloadAt + i];
    const k = key ? key[i % 4] : 0;
    steps.push({ i, masked: m, key: k, unmasked: m ^ k });
  }
  const textItem = find(items, 'websocket.payload.text');
  const code = num(find(items, 'websocket.payload.close.status_code'));
  const reason = find(items, 'websocket.payload.close.reason');
  return {
    frame: d.frame,
    index,
    fin: !!num(fin),
    rsv: num(find(items, 'websocket.rsv')) ?? 0,
    opcode,
    masked,
    len7,
    extBits,
    extLen,
    length,
    maskingKey: key,
    header: Array.from(bytes.subarray(start, headerEnd)),
    steps,
    text: textItem && typeof textItem.value === 'string' ? textItem.value : null,
    closeCode: code,
    closeReason: reason && typeof reason.value === 'string' ? reason.value : null,
  };
}

export const hex2 = (b: number) => b.toString(16).padStart(2, '0');
export const bin = (v: number, bits: number) => v.toString(2).padStart(bits, '0');

/** A byte as the figure prints its character: printable ASCII, else a middle dot. */
export function charOf(b: number): string {
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·';
}
