// The serve-mode WebSocket's message format. IPC (desktop) needs none of this: Electron's
// structured clone carries Uint8Array and bigint as they are. Over a socket they must be encoded,
// and JSON alone cannot: bytes would balloon as number arrays or base64, and bigint throws. So
// every message is one binary frame:
//
//   u32 LE  length of the JSON text (UTF-8 bytes)
//   JSON    the message, with each Uint8Array replaced by {"\u0000b": n}, each bigint by
//           {"\u0000n": "digits"} and each non-finite number by {"\u0000f": "NaN"|"Infinity"|"-Infinity"}
//   then for each attachment n = 0, 1, …: u32 LE length, the bytes
//
// Upload chunks therefore travel as raw bytes (no base64), and a decoded Uint8Array is a view into
// the received frame (no copy). The NUL-prefixed keys cannot clash with the data: no key the
// backend emits starts with NUL, and inputs pass guards that refuse unknown keys.
import type { ApiResult, EventName } from './api';

export type ClientMessage = { t: 'call'; id: number; verb: string; input: unknown };
export type ServerMessage =
  { t: 'result'; id: number; result: ApiResult<unknown> } | { t: 'event'; name: EventName; payload: unknown };

const BYTES = '\u0000b';
const BIGINT = '\u0000n';
const FLOAT = '\u0000f';

// Every runtime this runs in (Node, Chromium) has TextEncoder/TextDecoder, but the engine room's
// type world (ES lib only, no DOM, no Node) does not declare them.
const codecs = globalThis as unknown as {
  TextEncoder: new () => { encode(s: string): Uint8Array<ArrayBuffer> };
  TextDecoder: new (label: string, opts: { fatal: boolean }) => { decode(b: Uint8Array): string };
};
const utf8 = new codecs.TextEncoder();
const utf8Decode = new codecs.TextDecoder('utf-8', { fatal: true });

export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

export function encodeMessage(message: ClientMessage | ServerMessage): Uint8Array<ArrayBuffer> {
  const attachments: Uint8Array[] = [];
  const json = JSON.stringify(message, function (this: unknown, _key, value: unknown) {
    if (value instanceof Uint8Array) {
      attachments.push(value);
      return { [BYTES]: attachments.length - 1 };
    }
    if (typeof value === 'bigint') return { [BIGINT]: value.toString() };
    if (typeof value === 'number' && !Number.isFinite(value)) return { [FLOAT]: String(value) };
    return value;
  });
  const text = utf8.encode(json);
  let size = 4 + text.length;
  for (const a of attachments) size += 4 + a.byteLength;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, text.length, true);
  out.set(text, 4);
  let at = 4 + text.length;
  for (const a of attachments) {
    view.setUint32(at, a.byteLength, true);
    out.set(a, at + 4);
    at += 4 + a.byteLength;
  }
  return out;
}

/** Decodes one frame; throws WireError naming what is wrong (a peer may send anything). */
export function decodeMessage(frame: Uint8Array): unknown {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (frame.byteLength < 4)
    throw new WireError(`message of ${frame.byteLength} bytes is shorter than its 4-byte header`);
  const textLength = view.getUint32(0, true);
  if (4 + textLength > frame.byteLength)
    throw new WireError(`message declares ${textLength} bytes of JSON but holds ${frame.byteLength - 4}`);
  const attachments: Uint8Array[] = [];
  let at = 4 + textLength;
  while (at < frame.byteLength) {
    if (at + 4 > frame.byteLength) throw new WireError(`attachment header at byte ${at} is cut short`);
    const n = view.getUint32(at, true);
    if (at + 4 + n > frame.byteLength)
      throw new WireError(`attachment ${attachments.length} at byte ${at} declares ${n} bytes, past the end`);
    attachments.push(frame.subarray(at + 4, at + 4 + n));
    at += 4 + n;
  }
  let text: string;
  try {
    text = utf8Decode.decode(frame.subarray(4, 4 + textLength));
  } catch {
    throw new WireError('message text is not valid UTF-8');
  }
  try {
    return JSON.parse(text, (_key, value: unknown) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
      const keys = Object.keys(value);
      if (keys.length !== 1) return value;
      const v = (value as Record<string, unknown>)[keys[0]];
      switch (keys[0]) {
        case BYTES:
          if (typeof v !== 'number' || !(v in attachments))
            throw new WireError(`reference to missing attachment ${String(v)}`);
          return attachments[v];
        case BIGINT:
          if (typeof v !== 'string' || !/^-?\d{1,40}$/.test(v)) throw new WireError('malformed bigint');
          return BigInt(v);
        case FLOAT:
          if (v === 'NaN') return NaN;
          if (v === 'Infinity') return Infinity;
          if (v === '-Infinity') return -Infinity;
          throw new WireError('malformed non-finite number');
        default:
          return value;
      }
    });
  } catch (e) {
    if (e instanceof WireError) throw e;
    throw new WireError(`message text is not JSON: ${(e as Error).message}`);
  }
}

export function isClientMessage(v: unknown): v is ClientMessage {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  return m.t === 'call' && Number.isSafeInteger(m.id) && typeof m.verb === 'string';
}

export function isServerMessage(v: unknown): v is ServerMessage {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  if (m.t === 'result')
    return Number.isSafeInteger(m.id) && typeof m.result === 'object' && m.result !== null;
  return m.t === 'event' && typeof m.name === 'string';
}
