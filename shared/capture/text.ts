// UTF-8 for pcapng option strings and payloads. The engine room has no TextDecoder in its type
// world (ES library only, no DOM, no Node), so this is a small WHATWG-style decoder: ill-formed
// sequences become U+FFFD one maximal subpart at a time, as TextDecoder('utf-8') does. Where the
// platform has a TextDecoder at run time, long texts go to it instead.

interface Utf8Decoder {
  decode(b: Uint8Array): string;
}

/**
 * The platform's decoder where there is one (Node, browsers): the same WHATWG algorithm, but
 * native, which long payloads (a WebSocket message, a body) need. A leading BOM is kept, as below.
 */
const native: Utf8Decoder | null = (() => {
  const g = globalThis as { TextDecoder?: new (label: string, o: { ignoreBOM: boolean }) => Utf8Decoder };
  try {
    return g.TextDecoder ? new g.TextDecoder('utf-8', { ignoreBOM: true }) : null;
  } catch {
    return null;
  }
})();
/** Shorter texts are decoded here: a native call costs more than it saves on a few bytes. */
const NATIVE_FROM = 64;
const shared = (globalThis as { SharedArrayBuffer?: new (n: number) => ArrayBufferLike }).SharedArrayBuffer;

export function decodeUtf8(b: Uint8Array, start = 0, end = b.length): string {
  // TextDecoder refuses views of shared memory in browsers.
  if (native && end - start >= NATIVE_FROM && !(shared && b.buffer instanceof shared))
    return native.decode(b.subarray(start, end));
  return decodeUtf8Here(b, start, end);
}

/** decodeUtf8 without the platform's decoder (exported for the tests that hold the two equal). */
export function decodeUtf8Here(b: Uint8Array, start = 0, end = b.length): string {
  let out = '';
  let run = '';
  let i = start;
  while (i < end) {
    const c = b[i];
    if (c < 0x80) {
      run += String.fromCharCode(c);
      i++;
      if (run.length >= 4096) {
        out += run;
        run = '';
      }
      continue;
    }
    let need = 0;
    let cp = 0;
    let lower = 0x80;
    let upper = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      cp = c & 0x0f;
      if (c === 0xe0) lower = 0xa0;
      if (c === 0xed) upper = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      cp = c & 0x07;
      if (c === 0xf0) lower = 0x90;
      if (c === 0xf4) upper = 0x8f;
    } else {
      run += '\ufffd';
      i++;
      continue;
    }
    let j = i + 1;
    let ok = true;
    for (let k = 0; k < need; k++, j++) {
      const d = j < end ? b[j] : -1;
      if (d < lower || d > upper) {
        ok = false;
        break;
      }
      lower = 0x80;
      upper = 0xbf;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (!ok) {
      run += '\ufffd';
      i = j;
      continue;
    }
    run += String.fromCodePoint(cp);
    i = j;
  }
  return out + run;
}

/** Option strings: some writers add a terminating NUL (or several) that is not part of the text. */
export function optionText(b: Uint8Array, start: number, end: number): string {
  while (end > start && b[end - 1] === 0) end--;
  return decodeUtf8(b, start, end);
}

export function encodeUtf8(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else
      out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return Uint8Array.from(out);
}
