// Protobuf wire-format decoding (https://protobuf.dev/programming-guides/encoding/), with a
// message schema when one is known and from the wire alone when not. It never throws: whatever
// cannot be read is recorded as an error on the field or message where reading stopped, with the
// offset, and everything read before it is kept.
//
// One decoder, two readers: the protobuf dissector turns the result into tree items, gRPC into a
// one-line preview (`User{id: 1, name: "Ada"}`).
import { decodeUtf8 } from '../capture/text';
import type { EnumSchema, FieldSchema, MessageSchema, ProtoRegistry } from './registry';

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_SGROUP = 3;
export const WIRE_EGROUP = 4;
export const WIRE_I32 = 5;

/** Wireshark's names for the wire types (protobuf.field.wiretype). */
export const WIRE_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'varint',
  1: '64-bit',
  2: 'Length-delimited',
  3: 'group start',
  4: 'group end',
  5: '32-bit',
};

/** Nesting deeper than this is shown as bytes: a guard against crafted recursion. */
export const MAX_DEPTH = 32;

export type ScalarValue = number | bigint | boolean | string | Uint8Array;

export interface DecodedField {
  number: number;
  wireType: number;
  /** Offset of the tag and its length in bytes. */
  at: number;
  tagLength: number;
  /** LEN: offset and length of the length prefix. */
  lengthAt: number;
  lengthLength: number;
  /** Offset and length of the value (for LEN, the payload after the length prefix). */
  valueAt: number;
  valueLength: number;
  /** The field's declaration, when the message type is known and declares this number. */
  def: FieldSchema | null;
  /** The value as its declared (or, without a schema, guessed) type. */
  value: ScalarValue | null;
  /** The type the value was read as: a FIELD_TYPES name, or for raw LEN `string`/`message`/`bytes`. */
  as: string;
  /** Enum value name, when declared. */
  enumName?: string;
  /** A packed repeated field's elements. */
  packed?: PackedValue[];
  /** A nested message (declared, or guessed from a LEN payload that parses as one). */
  message?: DecodedMessage;
  /** The message was guessed from the bytes, not declared. */
  guessed?: boolean;
  error?: string;
}

export interface PackedValue {
  at: number;
  length: number;
  value: ScalarValue;
  enumName?: string;
}

export interface DecodedMessage {
  /** Full type name; null when unknown. */
  typeName: string | null;
  at: number;
  length: number;
  fields: DecodedField[];
  /** Reading stopped here with this message (the rest of the bytes are not decoded). */
  error?: { at: number; message: string };
}

// ---- varints --------------------------------------------------------------------------------

/** The result of the latest readVarint: value halves, length (0: bad or incomplete). */
interface VarintResult {
  lo: number;
  hi: number;
  length: number;
}

const vr: VarintResult = { lo: 0, hi: 0, length: 0 };

/**
 * Reads a base-128 varint of at most 10 bytes at data[at] before `end` into `vr` (low and high
 * 32 bits); length 0 when it runs past `end` or past 10 bytes.
 */
function readVarint(data: Uint8Array, at: number, end: number): VarintResult {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < 10; i++) {
    if (at + i >= end) break;
    const b = data[at + i];
    const bits = b & 0x7f;
    if (i < 4) lo |= bits << (7 * i);
    else if (i === 4) {
      lo |= bits << 28;
      hi |= bits >>> 4;
    } else hi |= bits << (7 * (i - 5) + 3);
    if (!(b & 0x80)) {
      vr.lo = lo >>> 0;
      vr.hi = hi >>> 0;
      vr.length = i + 1;
      return vr;
    }
  }
  vr.lo = 0;
  vr.hi = 0;
  vr.length = 0;
  return vr;
}

/** A varint's unsigned value: a number when it fits in 2^53, else a bigint. */
function unsigned(lo: number, hi: number): number | bigint {
  if (hi < 0x200000) return hi * 0x100000000 + lo;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

function signed64(lo: number, hi: number): number | bigint {
  if (hi & 0x80000000) {
    const v = BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
    return v >= -9007199254740991n ? Number(v) : v;
  }
  return unsigned(lo, hi);
}

function zigzag64(lo: number, hi: number): number | bigint {
  const u = (BigInt(hi) << 32n) | BigInt(lo);
  const v = (u >> 1n) ^ -(u & 1n);
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

// ---- UTF-8 ----------------------------------------------------------------------------------

export function utf8Text(b: Uint8Array): string {
  return decodeUtf8(b);
}

/** Whether the bytes read as text: valid UTF-8 without control characters other than \t\n\r. */
export function looksLikeText(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) {
    const x = b[i];
    if (x < 0x20 && x !== 9 && x !== 10 && x !== 13) return false;
    if (x === 0x7f) return false;
  }
  // Ill-formed UTF-8 decodes to U+FFFD (bytes that spell U+FFFD itself are rare enough to lose).
  return !decodeUtf8(b).includes('\ufffd');
}

// ---- messages -------------------------------------------------------------------------------

const PACKABLE: Readonly<Record<string, number>> = {
  double: WIRE_I64,
  float: WIRE_I32,
  int64: WIRE_VARINT,
  uint64: WIRE_VARINT,
  int32: WIRE_VARINT,
  fixed64: WIRE_I64,
  fixed32: WIRE_I32,
  bool: WIRE_VARINT,
  uint32: WIRE_VARINT,
  enum: WIRE_VARINT,
  sfixed32: WIRE_I32,
  sfixed64: WIRE_I64,
  sint32: WIRE_VARINT,
  sint64: WIRE_VARINT,
};

/** The wire type a declared field is written with (unpacked). */
export function wireTypeOf(def: FieldSchema): number {
  if (def.type === 'message' || def.type === 'string' || def.type === 'bytes') return WIRE_LEN;
  if (def.type === 'group') return WIRE_SGROUP;
  return PACKABLE[def.type] ?? WIRE_LEN;
}

/**
 * Decodes data[at, end) as a message of `schema` (null: unknown type, decoded from the wire
 * alone). `registry` resolves nested message and enum types.
 */
export function decodeMessage(
  data: Uint8Array,
  at: number,
  end: number,
  schema: MessageSchema | null,
  registry: ProtoRegistry,
  depth = 0,
): DecodedMessage {
  const msg: DecodedMessage = { typeName: schema?.fullName ?? null, at, length: end - at, fields: [] };
  let pos = at;
  while (pos < end) {
    const tag = readVarint(data, pos, end);
    if (!tag.length) {
      msg.error = { at: pos, message: 'Failed to parse tag field' };
      break;
    }
    const tagLength = tag.length;
    // Field numbers are 29 bits: the tag's value shifted right by 3.
    const number = tag.hi ? (tag.hi * 0x100000000 + tag.lo) / 8 : tag.lo >>> 3;
    const wireType = tag.lo & 7;
    if (number < 1 || !Number.isInteger(number) || number > 0x1fffffff) {
      msg.error = { at: pos, message: `Invalid field number ${Math.floor(number)}` };
      break;
    }
    const def = schema?.fields.get(number) ?? null;
    const f: DecodedField = {
      number,
      wireType,
      at: pos,
      tagLength,
      lengthAt: 0,
      lengthLength: 0,
      valueAt: pos + tagLength,
      valueLength: 0,
      def,
      value: null,
      as: '',
    };
    const next = readValue(data, f, end, registry, depth);
    msg.fields.push(f);
    if (next < 0) {
      msg.error = { at: f.valueAt, message: f.error ?? 'Failed to parse value field' };
      break;
    }
    pos = next;
  }
  return msg;
}

/** Reads the value of `f` (its tag already read); returns the offset after it, or -1. */
function readValue(
  data: Uint8Array,
  f: DecodedField,
  end: number,
  registry: ProtoRegistry,
  depth: number,
): number {
  const at = f.valueAt;
  switch (f.wireType) {
    case WIRE_VARINT: {
      const v = readVarint(data, at, end);
      if (!v.length) {
        f.error = 'Failed to parse varint value';
        return -1;
      }
      f.valueLength = v.length;
      scalarFromVarint(f, v.lo, v.hi, registry);
      return at + v.length;
    }
    case WIRE_I64: {
      if (at + 8 > end) {
        f.error = 'Failed to parse 64-bit value';
        return -1;
      }
      f.valueLength = 8;
      scalarFromFixed(f, data, at, 8, registry);
      return at + 8;
    }
    case WIRE_I32: {
      if (at + 4 > end) {
        f.error = 'Failed to parse 32-bit value';
        return -1;
      }
      f.valueLength = 4;
      scalarFromFixed(f, data, at, 4, registry);
      return at + 4;
    }
    case WIRE_LEN: {
      const v = readVarint(data, at, end);
      const len = v.length ? unsigned(v.lo, v.hi) : -1;
      if (!v.length || typeof len !== 'number' || at + v.length + len > end) {
        f.error = 'Failed to parse length delimited field';
        return -1;
      }
      f.lengthAt = at;
      f.lengthLength = v.length;
      f.valueAt = at + v.length;
      f.valueLength = len;
      lenValue(f, data, registry, depth);
      return f.valueAt + len;
    }
    case WIRE_SGROUP: {
      // Deprecated groups: the fields up to the matching end-group tag, shown as a nested message.
      const inner = decodeGroup(data, at, end, f.number, registry, depth);
      if (inner < 0) {
        f.error = 'Group without its end-group tag';
        return -1;
      }
      f.as = 'group';
      return inner;
    }
    default:
      f.error = `Unknown or unsupported wiretype ${f.wireType}`;
      return -1;
  }
}

function decodeGroup(
  data: Uint8Array,
  at: number,
  end: number,
  number: number,
  registry: ProtoRegistry,
  depth: number,
): number {
  let pos = at;
  let guard = 0;
  while (pos < end && guard++ < 100000) {
    const tag = readVarint(data, pos, end);
    if (!tag.length) return -1;
    const wt = tag.lo & 7;
    const n = tag.lo >>> 3;
    if (wt === WIRE_EGROUP) return n === number ? pos + tag.length : -1;
    const f: DecodedField = {
      number: n,
      wireType: wt,
      at: pos,
      tagLength: tag.length,
      lengthAt: 0,
      lengthLength: 0,
      valueAt: pos + tag.length,
      valueLength: 0,
      def: null,
      value: null,
      as: '',
    };
    if (depth >= MAX_DEPTH) return -1;
    const next = readValue(data, f, end, registry, depth + 1);
    if (next < 0) return -1;
    pos = next;
  }
  return -1;
}

function scalarFromVarint(f: DecodedField, lo: number, hi: number, registry: ProtoRegistry): void {
  const t = f.def?.type;
  const r = varintAs(t, lo, hi);
  f.value = r;
  f.as = t && t !== 'message' && PACKABLE[t] === WIRE_VARINT ? t : hi ? 'uint64' : 'uint32';
  if (t === 'enum') f.enumName = enumName(registry, f.def?.typeName, r as number);
  if (t && !compatible(f.def!, WIRE_VARINT)) f.error = wrongWireType(f.def!, WIRE_VARINT);
}

/** A varint as a declared type; undeclared: uint32, or uint64 when it needs more bits (Wireshark). */
function varintAs(t: string | undefined, lo: number, hi: number): ScalarValue {
  switch (t) {
    case 'int32':
    case 'enum':
      return lo | 0;
    case 'uint32':
      return lo;
    case 'sint32':
      return (lo >>> 1) ^ -(lo & 1);
    case 'int64':
      return signed64(lo, hi);
    case 'sint64':
      return zigzag64(lo, hi);
    case 'bool':
      return lo !== 0 || hi !== 0;
    case 'uint64':
    default:
      return hi ? unsigned(lo, hi) : lo;
  }
}

function scalarFromFixed(
  f: DecodedField,
  data: Uint8Array,
  at: number,
  n: 4 | 8,
  registry: ProtoRegistry,
): void {
  const t = f.def?.type;
  const wt = n === 8 ? WIRE_I64 : WIRE_I32;
  const ok = t !== undefined && PACKABLE[t] === wt;
  f.as = ok ? t : n === 8 ? 'uint64' : 'uint32';
  f.value = fixedAs(f.as, data, at);
  if (t === 'enum') f.enumName = enumName(registry, f.def?.typeName, f.value as number);
  if (t && !ok) f.error = wrongWireType(f.def!, wt);
}

function fixedAs(t: string, data: Uint8Array, at: number): ScalarValue {
  const dv = new DataView(data.buffer, data.byteOffset + at, t === 'double' || t.endsWith('64') ? 8 : 4);
  switch (t) {
    case 'double':
      return dv.getFloat64(0, true);
    case 'float':
      return dv.getFloat32(0, true);
    case 'sfixed32':
      return dv.getInt32(0, true);
    case 'sfixed64':
    case 'int64': {
      const v = dv.getBigInt64(0, true);
      return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
    }
    case 'fixed64':
    case 'uint64': {
      const v = dv.getBigUint64(0, true);
      return v <= 9007199254740991n ? Number(v) : v;
    }
    default:
      return dv.getUint32(0, true);
  }
}

function compatible(def: FieldSchema, wt: number): boolean {
  return wireTypeOf(def) === wt;
}

function wrongWireType(def: FieldSchema, wt: number): string {
  return `Wire type ${WIRE_TYPE_NAMES[wt] ?? wt} does not match the declared type ${def.type} of field ${def.name}`;
}

function enumName(registry: ProtoRegistry, typeName: string | undefined, n: number): string | undefined {
  const e: EnumSchema | undefined = typeName ? registry.enumType(typeName) : undefined;
  return e?.values.get(n);
}

function lenValue(f: DecodedField, data: Uint8Array, registry: ProtoRegistry, depth: number): void {
  const start = f.valueAt;
  const end = start + f.valueLength;
  const def = f.def;
  const bytes = data.subarray(start, end);
  if (def) {
    switch (def.type) {
      case 'string':
        f.as = 'string';
        f.value = utf8Text(bytes);
        return;
      case 'bytes':
        f.as = 'bytes';
        f.value = bytes;
        return;
      case 'message': {
        f.as = 'message';
        const schema = def.map ?? (def.typeName ? registry.message(def.typeName) : undefined) ?? null;
        if (depth >= MAX_DEPTH) {
          f.value = bytes;
          f.error = 'Nested too deeply';
          return;
        }
        f.message = decodeMessage(data, start, end, schema, registry, depth + 1);
        if (!schema) f.message.typeName = def.typeName ?? null;
        return;
      }
      default: {
        const wt = PACKABLE[def.type];
        if (wt === undefined) break;
        // A packed repeated scalar (proto3's default; parsers accept both forms for any repeated).
        f.as = def.type;
        const packed = unpack(data, start, end, def, wt, registry);
        if (packed) f.packed = packed;
        else f.error = 'Failed to parse packed repeated field';
        if (!def.repeated) f.error = `Packed values for the non-repeated field ${def.name}`;
        return;
      }
    }
  }
  // Undeclared: text when it reads as text, else a message when it parses as one, else bytes.
  f.value = bytes;
  if (bytes.length && looksLikeText(bytes)) {
    f.as = 'string';
    f.value = utf8Text(bytes);
    return;
  }
  if (bytes.length && depth < MAX_DEPTH) {
    const m = decodeMessage(data, start, end, null, registry, depth + 1);
    if (!m.error && m.fields.length && m.fields.every((x) => !x.error)) {
      f.as = 'message';
      f.message = m;
      f.guessed = true;
      return;
    }
  }
  f.as = 'bytes';
}

function unpack(
  data: Uint8Array,
  start: number,
  end: number,
  def: FieldSchema,
  wt: number,
  registry: ProtoRegistry,
): PackedValue[] | null {
  const out: PackedValue[] = [];
  let pos = start;
  while (pos < end) {
    if (wt === WIRE_VARINT) {
      const v = readVarint(data, pos, end);
      if (!v.length) return null;
      const value = varintAs(def.type, v.lo, v.hi);
      const pv: PackedValue = { at: pos, length: v.length, value };
      if (def.type === 'enum') pv.enumName = enumName(registry, def.typeName, value as number);
      out.push(pv);
      pos += v.length;
    } else {
      const n = wt === WIRE_I64 ? 8 : 4;
      if (pos + n > end) return null;
      out.push({ at: pos, length: n, value: fixedAs(def.type, data, pos) });
      pos += n;
    }
  }
  return out;
}

// ---- text -----------------------------------------------------------------------------------

/** A value as Wireshark prints it in a field line (`1`, `Ada`, `4.500000`, `true`). */
export function valueText(v: ScalarValue | null, as: string): string {
  if (v === null) return '';
  if (v instanceof Uint8Array) return hex(v);
  if (typeof v === 'number' && (as === 'double' || as === 'float')) return v.toFixed(6);
  return String(v);
}

export function hex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return s;
}

/**
 * A short one-line form of a message: `User{id: 1, name: "Ada", address: Address{…}}`, at most
 * `max` characters (cut with `…`).
 */
export function previewMessage(m: DecodedMessage, max = 60): string {
  const out = { s: '' };
  writePreview(m, out, max + 1, 0);
  return out.s.length > max ? `${out.s.slice(0, max - 1)}…` : out.s;
}

function shortName(full: string | null): string {
  if (!full) return '';
  const i = full.lastIndexOf('.');
  return i < 0 ? full : full.slice(i + 1);
}

function writePreview(m: DecodedMessage, out: { s: string }, max: number, depth: number): void {
  out.s += `${shortName(m.typeName)}{`;
  let first = true;
  for (const f of m.fields) {
    if (out.s.length > max) return;
    if (!first) out.s += ', ';
    first = false;
    out.s += `${f.def?.name ?? f.number}: `;
    if (f.message) {
      if (depth > 2) out.s += '{…}';
      else writePreview(f.message, out, max, depth + 1);
    } else if (f.packed) {
      out.s += `[${f.packed.map((p) => p.enumName ?? valueText(p.value, f.as)).join(', ')}]`;
    } else if (f.enumName) out.s += f.enumName;
    else if (f.as === 'string') out.s += JSON.stringify(f.value);
    else if (f.value instanceof Uint8Array) out.s += `<${f.value.length} bytes>`;
    else out.s += previewScalar(f.value, f.as);
  }
  out.s += m.error ? ', …!}' : '}';
}

function previewScalar(v: ScalarValue | null, as: string): string {
  if (typeof v === 'number' && (as === 'double' || as === 'float'))
    return String(as === 'float' ? Math.fround(v) : v);
  return v === null ? '' : String(v);
}
