// HTTP content codings (RFC 9110 §8.4.1): gzip (RFC 1952), deflate (RFC 1950 zlib; raw RFC 1951
// deflate is accepted too, as browsers and Wireshark accept it, since servers have sent it under
// that name for decades) and br (RFC 7932). Output is bounded: a body that inflates past `maxOut`
// stops with an error instead of filling memory (a zip bomb of 10 MB → 10 GB is a few packets).
import { Gunzip, Inflate, Unzlib } from 'fflate';
// The package exports only a whole-buffer decoder that grows its output without limit; its
// decoder core, fed our own bounded output, is reached by path (brotli-dec.d.ts types it).
import { BrotliDecompress } from '../../node_modules/brotli/dec/decode.js';
import { BrotliInput } from '../../node_modules/brotli/dec/streams.js';

/** Largest decoded body by default (Wireshark has no limit; a display needs no more). */
export const MAX_DECODED = 16 * 1024 * 1024;

export class DecompressError extends Error {
  constructor(
    readonly coding: string,
    message: string,
  ) {
    super(`${coding}: ${message}`);
  }
}

/** Whether `coding` (a Content-Encoding token, lower-case) is one decompress() knows. */
export function knownCoding(coding: string): boolean {
  return (
    coding === 'gzip' ||
    coding === 'x-gzip' ||
    coding === 'deflate' ||
    coding === 'br' ||
    coding === 'identity'
  );
}

/**
 * `data` decoded by one content coding. Throws DecompressError naming the coding and what went
 * wrong (unknown coding, corrupt or truncated stream, output beyond `maxOut`).
 */
export function decompress(coding: string, data: Uint8Array, maxOut = MAX_DECODED): Uint8Array {
  switch (coding) {
    case 'identity':
      return data;
    case 'gzip':
    case 'x-gzip': {
      // fflate checks neither CRC32 nor ISIZE (RFC 1952 §2.3.1): a body cut inside the 8-byte
      // trailer, or before any deflate data, would pass as whole without this.
      if (data.length < 18)
        throw new DecompressError(
          coding,
          `${data.length} bytes is shorter than a gzip header and trailer (truncated body)`,
        );
      const out = flate(coding, data, maxOut, (cb) => new Gunzip(cb));
      const n = data.length;
      const isize = (data[n - 4] | (data[n - 3] << 8) | (data[n - 2] << 16) | (data[n - 1] << 24)) >>> 0;
      if (isize !== out.length % 2 ** 32)
        throw new DecompressError(
          coding,
          `trailer says ${isize} bytes, ${out.length} decoded (truncated or corrupt body)`,
        );
      return out;
    }
    case 'deflate':
      // RFC 9110 says zlib; a first byte with CM=8 and a valid FCHECK is zlib, anything else raw.
      if (
        data.length >= 2 &&
        (data[0] & 0x0f) === 8 &&
        data[0] >> 4 <= 7 &&
        ((data[0] << 8) | data[1]) % 31 === 0
      )
        return flate(coding, data, maxOut, (cb) => new Unzlib(cb));
      return flate(coding, data, maxOut, (cb) => new Inflate(cb));
    case 'br':
      return brotli(data, maxOut);
    default:
      throw new DecompressError(coding, 'unsupported content coding');
  }
}

interface Pushable {
  push(chunk: Uint8Array, final?: boolean): void;
}

/** Fed in small pieces so that the bound is checked before a piece can inflate very far. */
const PIECE = 1024;

function flate(
  coding: string,
  data: Uint8Array,
  maxOut: number,
  make: (cb: (chunk: Uint8Array, final: boolean) => void) => Pushable,
): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  const s = make((chunk, final) => {
    total += chunk.length;
    if (total > maxOut) throw new DecompressError(coding, `decoded body exceeds ${maxOut} bytes (stopped)`);
    parts.push(chunk);
    if (final) ended = true;
  });
  try {
    for (let at = 0; at < data.length; at += PIECE) {
      const end = Math.min(at + PIECE, data.length);
      s.push(data.subarray(at, end), end === data.length);
    }
    if (!data.length) s.push(data, true);
  } catch (e) {
    if (e instanceof DecompressError) throw e;
    const why = e instanceof Error ? e.message : String(e);
    throw new DecompressError(
      coding,
      `${why === 'unexpected EOF' ? 'stream ends early (truncated body)' : why} after ${total} decoded bytes`,
    );
  }
  if (!ended)
    throw new DecompressError(coding, `stream ends early (truncated body) after ${total} decoded bytes`);
  return join(parts, total);
}

function brotli(data: Uint8Array, maxOut: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  // The decoder's output stream: it writes ring-buffer flushes (≤ 16 MiB each) and never reads back.
  const output = {
    // The decoder grows `buffer` to fit each meta-block unless it is already long enough.
    buffer: { length: Infinity },
    write(buf: Uint8Array, count: number): number {
      total += count;
      if (total > maxOut) throw new DecompressError('br', `decoded body exceeds ${maxOut} bytes (stopped)`);
      parts.push(buf.slice(0, count));
      return count;
    },
  };
  try {
    BrotliDecompress(new BrotliInput(data), output);
  } catch (e) {
    if (e instanceof DecompressError) throw e;
    const why = e instanceof Error ? e.message : String(e);
    throw new DecompressError(
      'br',
      `${/Unexpected end|not enough bytes/i.test(why) ? 'stream ends early (truncated body)' : `corrupt stream (${why})`} after ${total} decoded bytes`,
    );
  }
  return join(parts, total);
}

function join(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
