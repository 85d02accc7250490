// Text for values: the tree's way (`Source Port: 46390`, `Flags: 0x012 (SYN, ACK)`) and
// tshark's `-T fields` way (decimal ports, 0x-padded hex, 1/0 booleans, RFC 5952 IPv6).
import type { FieldDef, FieldValue, Timestamp } from './types';

function isTimestamp(v: FieldValue): v is Timestamp {
  return typeof v === 'object' && v !== null && !(v instanceof Uint8Array);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Nov 24, 2026 06:44:00.123456789 UTC`, as tshark prints absolute times (in UTC). */
export function absTimeText(t: Timestamp): string {
  const d = new Date(t.sec * 1000);
  if (Number.isNaN(d.getTime())) return `${t.sec}.${String(t.nsec).padStart(9, '0')}`;
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')}, ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(t.nsec).padStart(9, '0')} UTC`;
}

function timeText(def: FieldDef, t: Timestamp): string {
  if (def.type === 'abs_time' && def.base !== 'unix') return absTimeText(t);
  return secondsText(t.sec, t.nsec);
}

const HEX = '0123456789abcdef';

export function hex2(b: number): string {
  return HEX[(b >> 4) & 15] + HEX[b & 15];
}

export function ipv4Text(b: Uint8Array, off = 0): string {
  return `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
}

/** RFC 5952: lower case, leading zeros dropped, the longest run (≥2) of zero groups as `::`. */
export function ipv6Text(b: Uint8Array, off = 0): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((b[off + 2 * i] << 8) | b[off + 2 * i + 1]);
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d: exactly six leading zero groups)
  // get a dotted tail, as inet_ntop writes them and so tshark prints them (::1 and ::2 do not).
  if (bestStart === 0 && bestLen === 5 && g[5] === 0xffff) return `::ffff:${ipv4Text(b, off + 12)}`;
  if (bestStart === 0 && bestLen === 6) return `::${ipv4Text(b, off + 12)}`;
  if (bestStart === -1) return g.map((x) => x.toString(16)).join(':');
  const head = g
    .slice(0, bestStart)
    .map((x) => x.toString(16))
    .join(':');
  const tail = g
    .slice(bestStart + bestLen)
    .map((x) => x.toString(16))
    .join(':');
  return `${head}::${tail}`;
}

export function etherText(b: Uint8Array, off = 0, len = 6): string {
  let s = hex2(b[off]);
  for (let i = 1; i < len; i++) s += ':' + hex2(b[off + i]);
  return s;
}

export function bytesHex(b: Uint8Array, sep = ''): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (i && sep ? sep : '') + hex2(b[i]);
  return s;
}

/** Hex digits the tree uses for a field: the mask's width if it has one, else the type's. */
export function hexDigits(def: FieldDef): number {
  if (!def.mask) return typeHexDigits(def.type);
  let m = def.mask >>> 0;
  while (m && (m & 1) === 0) m >>>= 1;
  let bits = 0;
  while (m) {
    bits++;
    m >>>= 1;
  }
  return Math.max(1, Math.ceil(bits / 4));
}

/** Hex digits of a field type's full width (tshark -T fields pads to this, ignoring the mask). */
export function typeHexDigits(type: FieldDef['type']): number {
  switch (type) {
    case 'u8':
    case 'i8':
      return 2;
    case 'u16':
    case 'i16':
      return 4;
    case 'u24':
      return 6;
    case 'u64':
    case 'i64':
      return 16;
    default:
      return 8;
  }
}

/** `0x`-prefixed hex; a negative value as its two's complement at `digits` width, as C's `%x` prints it. */
function hexOf(v: number | bigint, digits: number): string {
  let b = typeof v === 'bigint' ? v : BigInt(Math.trunc(v));
  if (b < 0n) b = BigInt.asUintN(digits * 4, b);
  return '0x' + b.toString(16).padStart(digits, '0');
}

function numberText(def: FieldDef, v: number | bigint): string {
  switch (def.base) {
    case 'hex':
      return hexOf(v, hexDigits(def));
    case 'oct':
      return '0' + v.toString(8);
    case 'dec_hex':
      return `${v} (${hexOf(v, hexDigits(def))})`;
    case 'hex_dec':
      return `${hexOf(v, hexDigits(def))} (${v})`;
    default:
      return String(v);
  }
}

const TREE_BYTES = 36;

/** A bytes field's SEP_* separator; none (plain hex) for BASE_NONE, as tshark prints `tcp.options`. */
export function bytesSeparator(def: FieldDef): string {
  switch (def.base) {
    case 'sep_colon':
      return ':';
    case 'sep_dash':
      return '-';
    case 'sep_dot':
      return '.';
    case 'sep_space':
      return ' ';
    default:
      return '';
  }
}

/** The value as the details tree shows it after the field name. */
export function displayValue(def: FieldDef, value: FieldValue): string {
  if (value === null || value === undefined) return '';
  if (isTimestamp(value))
    return def.type === 'rel_time' ? `${timeText(def, value)} seconds` : timeText(def, value);
  switch (def.type) {
    case 'bool':
      if (def.tf) return value ? def.tf[0] : def.tf[1];
      return value ? 'True' : 'False';
    case 'ipv4':
      return value instanceof Uint8Array ? ipv4Text(value) : String(value);
    case 'ipv6':
      return value instanceof Uint8Array ? ipv6Text(value) : String(value);
    case 'ether':
      return value instanceof Uint8Array ? etherText(value, 0, value.length) : String(value);
    case 'bytes':
      // The tree shows at most 36 bytes, then an ellipsis (tshark 4.0: `Data: 6163…6161…`).
      if (!(value instanceof Uint8Array)) return String(value);
      if (!value.length) return '<none>';
      return value.length > TREE_BYTES
        ? bytesHex(value.subarray(0, TREE_BYTES), bytesSeparator(def)) + '…'
        : bytesHex(value, bytesSeparator(def));
    case 'string':
      return String(value);
    default:
      break;
  }
  if (typeof value === 'number' || typeof value === 'bigint') {
    const n = numberText(def, value);
    const vs = def.vals && typeof value === 'number' ? def.vals[value] : undefined;
    return vs !== undefined ? `${vs} (${n})` : n;
  }
  return String(value);
}

/**
 * tshark's `-T fields` default `-E escape=y`: tab, line feed, carriage return, form feed and
 * backspace become `\t \n \r \f \b`; every other character (backslash, quotes, other control
 * characters, UTF-8) is printed as it is (checked against tshark 4.0 with editcap comments).
 */
export function escapeFieldText(s: string): string {
  if (!/[\t\n\r\f\b]/.test(s)) return s;
  return s.replace(/[\t\n\r\f\b]/g, (c) => FIELD_ESCAPES[c]);
}
const FIELD_ESCAPES: Record<string, string> = {
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\f': '\\f',
  '\b': '\\b',
};

/**
 * C's `%.<precision>g`, which Wireshark uses for FT_DOUBLE (DBL_DIG = 15) and FT_FLOAT (FLT_DIG = 6):
 * shortest of fixed and exponent notation, trailing zeros dropped, exponent of at least two digits.
 */
export function gText(x: number, precision: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const p = Math.max(1, precision);
  const [mant, expText] = x.toExponential(p - 1).split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= p) {
    const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const fixed = x.toFixed(Math.max(0, p - 1 - exp));
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

/**
 * The value as `tshark -T fields` prints it (tshark 4.0): booleans 1/0; hex at the type's full
 * width whatever the mask (`ip.flags` 0x02, `tcp.flags` 0x0012; the tree uses the mask's width,
 * `Flags: 0x2`); BASE_DEC_HEX as decimal only and BASE_HEX_DEC as hex only; bytes as plain hex
 * (`<none>` when empty); a present FT_NONE field as `1`; times as absTimeText/secondsText;
 * strings escaped as escapeFieldText. A protocol (FT_PROTOCOL) prints its tree summary line,
 * which lives on the layer, not here: see fieldColumn in query.ts.
 */
export function fieldsText(def: FieldDef, value: FieldValue): string {
  if (def.type === 'none') return '1';
  if (value === null || value === undefined) return '';
  if (isTimestamp(value)) return timeText(def, value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  switch (def.type) {
    case 'bool':
      return value ? '1' : '0';
    case 'ipv4':
      return value instanceof Uint8Array ? ipv4Text(value) : String(value);
    case 'ipv6':
      return value instanceof Uint8Array ? ipv6Text(value) : String(value);
    case 'ether':
      return value instanceof Uint8Array ? etherText(value, 0, value.length) : String(value);
    case 'bytes':
      if (!(value instanceof Uint8Array)) return String(value);
      return value.length ? bytesHex(value, bytesSeparator(def)) : '<none>';
    case 'string':
      return escapeFieldText(String(value));
    case 'protocol':
      return '';
    case 'double':
      return typeof value === 'number' ? gText(value, 15) : String(value);
    case 'float':
      return typeof value === 'number' ? gText(value, 6) : String(value);
    default:
      break;
  }
  if (typeof value === 'number' || typeof value === 'bigint') {
    if (def.base === 'hex' || def.base === 'hex_dec') return hexOf(value, typeHexDigits(def.type));
    if (def.base === 'oct') return '0' + value.toString(8);
    return String(value);
  }
  return escapeFieldText(String(value));
}

/** `.... ..1. ` style bit picture for a masked field, grouped by 4 as Wireshark draws it. */
export function bitPicture(raw: number, mask: number, bytes: number): string {
  const bits = bytes * 8;
  let s = '';
  for (let i = bits - 1; i >= 0; i--) {
    const m = 2 ** i;
    const inMask = Math.floor(mask / m) % 2 === 1;
    s += inMask ? (Math.floor(raw / m) % 2 === 1 ? '1' : '0') : '.';
    if (i % 4 === 0 && i) s += ' ';
  }
  return s;
}

/** Seconds and nanoseconds as `S.NNNNNNNNN` (nine decimals, as frame.time_relative). */
export function secondsText(sec: number, nsec: number, decimals = 9): string {
  let s = sec;
  let n = nsec;
  const neg = s < 0 || (s === 0 && n < 0);
  if (neg) {
    s = -s;
    n = -n;
  }
  while (n < 0) {
    n += 1e9;
    s -= 1;
  }
  while (n >= 1e9) {
    n -= 1e9;
    s += 1;
  }
  const frac = String(n).padStart(9, '0').slice(0, decimals);
  return `${neg ? '-' : ''}${s}${decimals ? '.' + frac : ''}`;
}
