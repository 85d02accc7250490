// HPACK (RFC 7541): the header compression of HTTP/2. One HpackDecoder per direction of a
// connection; header blocks must be decoded in stream order (the dynamic table is shared by all
// the direction's blocks), which the HTTP/2 dissector does on the first pass.
//
// Errors never throw: a block that cannot be decoded stops at the bad representation with an
// `error` saying what and where, and the fields before it are kept. As in nghttp2 (which
// Wireshark uses), a decoding error leaves the table as it was at the error: later blocks may
// then decode wrongly, which is what a receiver would also get (it would close the connection
// with COMPRESSION_ERROR, RFC 9113 §4.3).
import { decodeUtf8 } from '../capture/text';

/** How a field was represented (RFC 7541 §6), in Wireshark's words (http2.header.repr). */
export type HpackRepr =
  | 'Indexed Header Field'
  | 'Literal Header Field with Incremental Indexing - Indexed Name'
  | 'Literal Header Field with Incremental Indexing - New Name'
  | 'Literal Header Field without Indexing - Indexed Name'
  | 'Literal Header Field without Indexing - New Name'
  | 'Literal Header Field never Indexed - Indexed Name'
  | 'Literal Header Field never Indexed - New Name';

export interface HpackField {
  name: string;
  value: string;
  repr: HpackRepr;
  /** The table index the field or its name came from; 0 for a new name. */
  index: number;
  /** Byte range of the representation inside the block. */
  at: number;
  length: number;
  /** Whether the name / value literal was Huffman-coded. */
  nameHuffman: boolean;
  valueHuffman: boolean;
}

export interface HpackSizeUpdate {
  size: number;
  at: number;
  length: number;
}

/** One decoded header block. */
export interface HpackBlock {
  fields: HpackField[];
  sizeUpdates: HpackSizeUpdate[];
  /** Entries the block pushed out of the dynamic table (RFC 7541 §4.4), oldest first. */
  evicted: { name: string; value: string }[];
  /** Dynamic table after the block: entries and size in octets (§4.1). */
  tableEntries: number;
  tableSize: number;
  /** What went wrong, and the offset in the block where it did. */
  error: string | null;
  errorAt: number;
}

/** RFC 7541 Appendix A. */
export const STATIC_TABLE: readonly (readonly [string, string])[] = [
  ['', ''],
  [':authority', ''],
  [':method', 'GET'],
  [':method', 'POST'],
  [':path', '/'],
  [':path', '/index.html'],
  [':scheme', 'http'],
  [':scheme', 'https'],
  [':status', '200'],
  [':status', '204'],
  [':status', '206'],
  [':status', '304'],
  [':status', '400'],
  [':status', '404'],
  [':status', '500'],
  ['accept-charset', ''],
  ['accept-encoding', 'gzip, deflate'],
  ['accept-language', ''],
  ['accept-ranges', ''],
  ['accept', ''],
  ['access-control-allow-origin', ''],
  ['age', ''],
  ['allow', ''],
  ['authorization', ''],
  ['cache-control', ''],
  ['content-disposition', ''],
  ['content-encoding', ''],
  ['content-language', ''],
  ['content-length', ''],
  ['content-location', ''],
  ['content-range', ''],
  ['content-type', ''],
  ['cookie', ''],
  ['date', ''],
  ['etag', ''],
  ['expect', ''],
  ['expires', ''],
  ['from', ''],
  ['host', ''],
  ['if-match', ''],
  ['if-modified-since', ''],
  ['if-none-match', ''],
  ['if-range', ''],
  ['if-unmodified-since', ''],
  ['last-modified', ''],
  ['link', ''],
  ['location', ''],
  ['max-forwards', ''],
  ['proxy-authenticate', ''],
  ['proxy-authorization', ''],
  ['range', ''],
  ['referer', ''],
  ['refresh', ''],
  ['retry-after', ''],
  ['server', ''],
  ['set-cookie', ''],
  ['strict-transport-security', ''],
  ['transfer-encoding', ''],
  ['user-agent', ''],
  ['vary', ''],
  ['via', ''],
  ['www-authenticate', ''],
];
const STATIC_COUNT = STATIC_TABLE.length - 1;

// The Huffman code of RFC 7541 Appendix B is canonical (codes assigned in order of length, then
// symbol), so the code lengths of symbols 0..256 (EOS) define it: one letter each, 'A' = 5 bits.
const HUFFMAN_LENGTHS =
  'ISXXXXXXXTZXXZXXXXXXXXZXXXXXXXXXBFFHIBDGFFDGDBBBAAABBBBBBBCDKBHFIBCCCCCCCCCCCCCCCCCCCCCCDCDIOIJBKABABABBBACCBBBABCBAABCCCCCKGJIXPRPPRRRSRSSSSSTSTTRSTSSSSQRSRSSTRQPRRSSQSRRTQRSSQQRQSRSSPRRRSRRSVVPORSRUVVVWWVTUOQVWWVWTQQVVXWWWPTPQRQQSRRUUTTVSVWVVWWWWWXWWWWWVZ';
const EOS = 256;

/** Per code length: how many symbols have it, and the symbols in canonical order (puff.c style). */
const huffCount = new Uint16Array(31);
const huffSymbols = new Uint16Array(257);
{
  const lens = new Uint8Array(257);
  for (let s = 0; s < 257; s++) lens[s] = HUFFMAN_LENGTHS.charCodeAt(s) - 65 + 5;
  for (let s = 0; s < 257; s++) huffCount[lens[s]]++;
  const offs = new Uint16Array(32);
  for (let l = 1; l < 31; l++) offs[l + 1] = offs[l] + huffCount[l];
  for (let s = 0; s < 257; s++) huffSymbols[offs[lens[s]]++] = s;
}

/**
 * Decodes a Huffman string (§5.2); null when it is invalid: the EOS symbol inside, or padding
 * longer than 7 bits or not made of the EOS prefix (all ones).
 */
export function huffmanDecode(b: Uint8Array, at: number, end: number): Uint8Array | null {
  const out = new Uint8Array(Math.ceil(((end - at) * 8) / 5));
  let n = 0;
  let code = 0;
  let first = 0;
  let index = 0;
  let len = 0;
  let ones = true;
  for (let i = at; i < end; i++) {
    const byte = b[i];
    for (let bit = 7; bit >= 0; bit--) {
      const v = (byte >> bit) & 1;
      code |= v;
      ones &&= v === 1;
      len++;
      const count = huffCount[len];
      if (code - first < count) {
        const sym = huffSymbols[index + code - first];
        if (sym === EOS) return null;
        out[n++] = sym;
        code = first = index = len = 0;
        ones = true;
        continue;
      }
      index += count;
      first = (first + count) << 1;
      code <<= 1;
      if (len >= 30) return null;
    }
  }
  if (len > 7 || !ones) return null;
  return out.subarray(0, n);
}

function text(b: Uint8Array): string {
  // Header names and values are octets (RFC 9110 §5.5); nearly always ASCII. UTF-8 as tshark
  // shows them; invalid sequences become U+FFFD.
  let ascii = true;
  for (let i = 0; i < b.length; i++)
    if (b[i] > 0x7e) {
      ascii = false;
      break;
    }
  if (!ascii) return decodeUtf8(b);
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}

class Bad extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

/** One direction's decoder: the dynamic table (§2.3.2) and its size limit. */
export class HpackDecoder {
  /** Newest first, as indexed (§2.3.3: index 62 is the newest). */
  private names: string[] = [];
  private values: string[] = [];
  /** Current size in octets: name + value + 32 per entry (§4.1). */
  size = 0;
  /** Maximum size the encoder chose (§4.2), at most `limit`. */
  maxSize = 4096;
  /** The decoder's SETTINGS_HEADER_TABLE_SIZE: the largest size update allowed (§6.3). */
  limit = 4096;

  get length(): number {
    return this.names.length;
  }

  /** Entry i of the combined index space (1-based), or null past its end. */
  entry(i: number): readonly [string, string] | null {
    if (i >= 1 && i <= STATIC_COUNT) return STATIC_TABLE[i];
    const d = i - STATIC_COUNT - 1;
    if (d >= 0 && d < this.names.length) return [this.names[d], this.values[d]];
    return null;
  }

  /** Decodes a whole header block (the fragments of HEADERS/PUSH_PROMISE + CONTINUATION). */
  decode(b: Uint8Array): HpackBlock {
    const block: HpackBlock = {
      fields: [],
      sizeUpdates: [],
      evicted: [],
      tableEntries: 0,
      tableSize: 0,
      error: null,
      errorAt: 0,
    };
    let pos = 0;
    try {
      while (pos < b.length) {
        const start = pos;
        const first = b[pos];
        if (first & 0x80) {
          const [idx, p] = integer(b, pos, 7);
          pos = p;
          if (idx === 0) throw new Bad('indexed header field with index 0', start);
          const e = this.entry(idx);
          if (!e)
            throw new Bad(`index ${idx} is not in the table (${STATIC_COUNT + this.length} entries)`, start);
          block.fields.push(field(e[0], e[1], 'Indexed Header Field', idx, start, pos - start, false, false));
        } else if ((first & 0xe0) === 0x20) {
          const [size, p] = integer(b, pos, 5);
          pos = p;
          if (block.fields.length)
            throw new Bad('dynamic table size update after the first header field (RFC 7541 §4.2)', start);
          if (size > this.limit)
            throw new Bad(`dynamic table size update to ${size} exceeds the limit ${this.limit}`, start);
          this.maxSize = size;
          this.evict(0, block);
          block.sizeUpdates.push({ size, at: start, length: pos - start });
        } else {
          const incremental = (first & 0xc0) === 0x40;
          const never = !incremental && (first & 0xf0) === 0x10;
          const prefix = incremental ? 6 : 4;
          const [idx, p] = integer(b, pos, prefix);
          pos = p;
          let name: string;
          let nameHuff = false;
          if (idx) {
            const e = this.entry(idx);
            if (!e)
              throw new Bad(
                `name index ${idx} is not in the table (${STATIC_COUNT + this.length} entries)`,
                start,
              );
            name = e[0];
          } else {
            const s = literal(b, pos);
            name = s.text;
            nameHuff = s.huffman;
            pos = s.end;
          }
          const v = literal(b, pos);
          pos = v.end;
          const kind = incremental
            ? 'with Incremental Indexing'
            : never
              ? 'never Indexed'
              : 'without Indexing';
          const repr = `Literal Header Field ${kind} - ${idx ? 'Indexed Name' : 'New Name'}` as HpackRepr;
          block.fields.push(field(name, v.text, repr, idx, start, pos - start, nameHuff, v.huffman));
          if (incremental) this.add(name, v.text, block);
        }
      }
    } catch (e) {
      block.error = e instanceof Bad ? e.message : String(e);
      block.errorAt = e instanceof Bad ? e.at : pos;
    }
    block.tableEntries = this.names.length;
    block.tableSize = this.size;
    return block;
  }

  /** §4.4: evict from the end until the new entry fits; an entry larger than the table empties it. */
  private add(name: string, value: string, block: HpackBlock): void {
    const n = entrySize(name, value);
    this.evict(n, block);
    if (n > this.maxSize) return;
    this.names.unshift(name);
    this.values.unshift(value);
    this.size += n;
  }

  private evict(room: number, block: HpackBlock): void {
    while (this.names.length && this.size + room > this.maxSize) {
      const name = this.names.pop()!;
      const value = this.values.pop()!;
      this.size -= entrySize(name, value);
      block.evicted.push({ name, value });
    }
  }
}

function entrySize(name: string, value: string): number {
  // Octet lengths: header text is nearly always ASCII; non-ASCII counts its UTF-8 octets.
  return octets(name) + octets(value) + 32;
}

function octets(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) n += c > 0x7ff ? 2 : 1;
  }
  return n;
}

function field(
  name: string,
  value: string,
  repr: HpackRepr,
  index: number,
  at: number,
  length: number,
  nameHuffman: boolean,
  valueHuffman: boolean,
): HpackField {
  return { name, value, repr, index, at, length, nameHuffman, valueHuffman };
}

/** §5.1: an integer with an N-bit prefix at b[pos]; [value, next position]. */
function integer(b: Uint8Array, pos: number, n: number): [number, number] {
  if (pos >= b.length) throw new Bad('header block ends inside an integer', pos);
  const max = (1 << n) - 1;
  let v = b[pos++] & max;
  if (v < max) return [v, pos];
  let m = 0;
  for (;;) {
    if (pos >= b.length) throw new Bad('header block ends inside an integer', pos);
    const byte = b[pos++];
    v += (byte & 0x7f) * 2 ** m;
    m += 7;
    if (!(byte & 0x80)) break;
    // 2^31 is far beyond any header size; longer encodings are an attack (or garbage).
    if (m > 28) throw new Bad('integer too large', pos);
  }
  return [v, pos];
}

/** §5.2: a string literal at b[pos]. */
function literal(b: Uint8Array, pos: number): { text: string; huffman: boolean; end: number } {
  if (pos >= b.length) throw new Bad('header block ends before a string literal', pos);
  const huffman = (b[pos] & 0x80) !== 0;
  const [len, p] = integer(b, pos, 7);
  if (p + len > b.length)
    throw new Bad(`string literal of ${len} octets runs past the end of the header block`, pos);
  let bytes: Uint8Array | null = b.subarray(p, p + len);
  if (huffman) {
    bytes = huffmanDecode(b, p, p + len);
    if (!bytes) throw new Bad('invalid Huffman-coded string (EOS or bad padding, RFC 7541 §5.2)', pos);
  }
  return { text: text(bytes), huffman, end: p + len };
}
