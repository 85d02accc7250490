// Protocol Buffers (Wireshark 4.0 packet-protobuf.c names). A message is decoded by its type
// name when the schema registry knows it (gRPC passes the method's request or response type in
// its context), else from the wire format alone: field numbers, wire types, varints, fixed
// values, and length-delimited values guessed as text, a nested message or bytes.
//
// Tree as Wireshark with `protobuf.show_details` off: a declared field is one line
// (`Field(1): id = 1 (int64)`) whose name/type/number/wire-type/value items are hidden (there for
// filters and -T fields); an undeclared field shows them. Departures from Wireshark: an
// undeclared length-delimited value is shown as the text or nested message it reads as (Wireshark
// shows only the bytes unless `try_dissect_as_string`); those guesses are text nodes, so the
// protobuf.* filter fields and cells stay what tshark gives.
import type { Cursor } from '../dissect/cursor';
import type { Dissector } from '../dissect/engine';
import { defineFields } from '../dissect/fields';
import type { FieldDef, Item } from '../dissect/types';
import type { PacketInfo } from '../dissect/packet';
import {
  decodeMessage,
  hex,
  valueText,
  WIRE_I32,
  WIRE_I64,
  WIRE_LEN,
  WIRE_TYPE_NAMES,
  WIRE_VARINT,
  type DecodedField,
  type DecodedMessage,
  type PackedValue,
} from '../protobuf/decode';
import { EMPTY_REGISTRY, FIELD_TYPE_NAMES, FIELD_TYPES, type ProtoRegistry } from '../protobuf/registry';

export const protobufFields = defineFields(
  'protobuf',
  'Protocol Buffers',
  { osi: 6, tcpip: 'application' },
  {
    'message.name': { name: 'Message Name', type: 'string' },
    'field.name': { name: 'Field Name', type: 'string' },
    'field.type': { name: 'Field Type', type: 'i32', vals: FIELD_TYPE_NAMES },
    // Wireshark: FT_UINT64 with mask 0xfffffffffffffff8 over the tag varint; the mask does not fit
    // a 32-bit FieldDef mask, so the value is computed and the bit picture drawn here.
    'field.number': { name: 'Field Number', type: 'u64' },
    'field.wiretype': { name: 'Wire Type', type: 'u8', mask: 0x07, vals: WIRE_TYPE_NAMES },
    'field.value.length': { name: 'Value Length', type: 'u64' },
    'field.value': { name: 'Value', type: 'bytes' },
    'field.value.double': { name: 'Double', type: 'double' },
    'field.value.float': { name: 'Float', type: 'float' },
    'field.value.int64': { name: 'Int64', type: 'i64' },
    'field.value.uint64': { name: 'Uint64', type: 'u64' },
    'field.value.int32': { name: 'Int32', type: 'i32' },
    'field.value.uint32': { name: 'Uint32', type: 'u32' },
    'field.value.bool': { name: 'Bool', type: 'bool' },
    'field.value.string': { name: 'String', type: 'string' },
    'field.value.repeated': { name: 'Repeated', type: 'bytes' },
    failed_parse_tag: { name: 'Failed to parse tag field', type: 'none' },
    'field.wiretype.invalid': { name: 'Unknown or unsupported wiretype', type: 'none' },
    'field.failed_parse_length_delimited_field': {
      name: 'Failed to parse length delimited field',
      type: 'none',
    },
    'field.failed_parse_field': { name: 'Failed to parse value field', type: 'none' },
    'field.failed_parse_packed_repeated_field': {
      name: 'Failed to parse packed repeated field',
      type: 'none',
    },
  },
);

const F = protobufFields;

/** What a dissector handing a message to protobuf says about it (gRPC does). */
export interface ProtobufContext {
  /** Full name of the message type (`user.User`); absent or null: decode from the wire alone. */
  protobufType?: string | null;
  /** Wireshark's tree line after "Protocol Buffers: " (`/user.UserService/GetUser,request`). */
  protobufLabel?: string;
}

function contextOf(ctx: unknown): ProtobufContext | null {
  return ctx && typeof ctx === 'object' && ('protobufType' in ctx || 'protobufLabel' in ctx)
    ? (ctx as ProtobufContext)
    : null;
}

/** The value item's field by the type a value was read as. */
function valueField(as: string): FieldDef | null {
  switch (as) {
    case 'int64':
    case 'sint64':
    case 'sfixed64':
      return F['field.value.int64'];
    case 'uint64':
    case 'fixed64':
      return F['field.value.uint64'];
    case 'int32':
    case 'sint32':
    case 'sfixed32':
    case 'enum':
      return F['field.value.int32'];
    case 'uint32':
    case 'fixed32':
      return F['field.value.uint32'];
    case 'bool':
      return F['field.value.bool'];
    case 'string':
      return F['field.value.string'];
    case 'double':
      return F['field.value.double'];
    case 'float':
      return F['field.value.float'];
    default:
      return null;
  }
}

/** Wireshark's type word in a field line: the declared type, `enum`, `message`. */
function typeWord(f: DecodedField): string {
  return f.def ? f.def.type : f.as;
}

function fieldLine(f: DecodedField): string {
  const head = `Field(${f.number}):`;
  if (!f.def) {
    // Wireshark: `Field(1): 1 (uint32)` for numbers, `Field(2):` for undeclared bytes.
    if (f.wireType === WIRE_LEN) {
      if (f.as === 'string') return `${head} "${cut(String(f.value))}" (string?)`;
      if (f.as === 'message') return `${head} (message?)`;
      return head;
    }
    if (f.value === null) return head;
    return `${head} ${valueText(f.value, f.as)} (${f.as})`;
  }
  const name = f.def.name;
  if (f.packed) {
    const parts = f.packed.map((p) => ` ${packedText(p, f.as)} (${f.def!.type})`);
    return `${head} ${name} = [${parts.join(',')}]`;
  }
  if (f.message || f.as === 'bytes' || f.value === null || f.value instanceof Uint8Array)
    return `${head} ${name}  (${typeWord(f)})`;
  if (f.def.type === 'enum') return `${head} ${name} = ${f.enumName ?? ''}(${String(f.value)}) (enum)`;
  return `${head} ${name} = ${valueText(f.value, f.as)} (${f.def.type})`;
}

function packedText(p: PackedValue, as: string): string {
  return p.enumName !== undefined ? `${p.enumName}(${String(p.value)})` : valueText(p.value, as);
}

function cut(s: string): string {
  return s.length > 48 ? `${s.slice(0, 47)}…` : s;
}

/** `.000 1... = Field Number: 1` over the first tag byte (bit 7 is the varint continuation). */
function numberLabel(tag0: number, tagLength: number, n: number): string {
  if (tagLength !== 1) return `Field Number: ${n}`;
  let pic = '';
  for (let b = 7; b >= 0; b--) {
    pic += b === 7 || b < 3 ? '.' : (tag0 >> b) & 1 ? '1' : '0';
    if (b === 4) pic += ' ';
  }
  return `${pic} = Field Number: ${n}`;
}

function wireTypeLabel(tag0: number, wt: number): string {
  const bits = `.... .${(wt >> 2) & 1}${(wt >> 1) & 1}${wt & 1}`;
  return `${bits} = Wire Type: ${WIRE_TYPE_NAMES[wt] ?? 'Unknown'} (${wt})`;
}

function hide(it: Item | null, hidden: boolean): Item | null {
  if (it && hidden) it.hidden = true;
  return it;
}

/** Tree items of one decoded message, under the current node. */
function renderMessage(c: Cursor, m: DecodedMessage, guessed: boolean): void {
  const name = m.typeName ?? '<UNKNOWN> Message Type';
  const node = c.label(`Message: ${guessed ? '<guessed from the wire format>' : name}`, m.at, m.length);
  c.within(node, () => {
    if (guessed) {
      for (const f of m.fields) renderGuessed(c, f);
      return;
    }
    hide(c.add(F['message.name'], m.at, m.length, name), true);
    for (const f of m.fields) renderField(c, f);
    if (m.error) {
      const f = m.error.message.startsWith('Failed to parse tag')
        ? F.failed_parse_tag
        : F['field.failed_parse_field'];
      c.add(f, m.error.at, 0, null, `[${m.error.message}]`);
    }
  });
}

function renderField(c: Cursor, f: DecodedField): void {
  const end = f.valueAt + f.valueLength;
  const node = c.label(fieldLine(f), f.at, Math.max(0, end - f.at));
  const hidden = f.def !== null && !f.error;
  const tag0 = c.data[f.at];
  c.within(node, () => {
    if (f.def) {
      hide(c.add(F['field.name'], f.at, end - f.at, f.def.name), hidden);
      const t = FIELD_TYPES[f.def.type] ?? 0;
      hide(c.add(F['field.type'], f.at, end - f.at, t, `Field Type: ${f.def.type} (${t})`), hidden);
    } else {
      const it = c.add(F['field.name'], f.at, 0, '<UNKNOWN>', '[Field Name: <UNKNOWN>]');
      if (it) it.generated = true;
    }
    const num = c.add(
      F['field.number'],
      f.at,
      f.tagLength,
      f.number,
      numberLabel(tag0, f.tagLength, f.number),
    );
    if (num) num.mask = f.tagLength === 1 ? 0x78 : 0;
    hide(num, hidden);
    const wt = c.add(F['field.wiretype'], f.at, 1, f.wireType, wireTypeLabel(tag0, f.wireType));
    if (wt) wt.mask = 0x07;
    hide(wt, hidden);
    if (f.wireType === WIRE_LEN && f.lengthLength)
      hide(c.add(F['field.value.length'], f.lengthAt, f.lengthLength, f.valueLength), hidden);
    if (f.error && f.valueLength === 0) {
      const ef =
        f.wireType === WIRE_LEN
          ? F['field.failed_parse_length_delimited_field']
          : f.wireType !== WIRE_VARINT &&
              f.wireType !== WIRE_I64 &&
              f.wireType !== WIRE_I32 &&
              f.wireType !== 3
            ? F['field.wiretype.invalid']
            : F['field.failed_parse_field'];
      c.add(ef, f.valueAt, 0, null, `[${f.error}]`);
      return;
    }
    if (f.packed) {
      hide(c.add(F['field.value'], f.valueAt, f.valueLength, c.data.subarray(f.valueAt, end)), hidden);
      const rep = c.add(F['field.value.repeated'], f.valueAt, f.valueLength, c.data.subarray(f.valueAt, end));
      c.within(rep, () => {
        const vf = valueField(f.as);
        for (const p of f.packed!) {
          if (vf) c.add(vf, p.at, p.length, p.value, valueLabel(vf, p.value, p.enumName));
        }
      });
      return;
    }
    if (f.message && !f.guessed) {
      // Wireshark keeps the nested message's bytes as protobuf.field.value too.
      hide(c.add(F['field.value'], f.valueAt, f.valueLength, c.data.subarray(f.valueAt, end)), hidden);
      renderMessage(c, f.message, false);
      return;
    }
    // A declared bytes field has no typed value under it: Wireshark shows its Value line.
    const v = hide(
      c.add(F['field.value'], f.valueAt, f.valueLength, c.data.subarray(f.valueAt, end)),
      hidden && f.def?.type !== 'bytes',
    );
    const vf = f.def || f.wireType !== WIRE_LEN ? valueField(f.as) : null;
    if (vf && f.value !== null && !(f.value instanceof Uint8Array))
      c.within(v, () => c.add(vf, f.valueAt, f.valueLength, f.value, valueLabel(vf, f.value!, f.enumName)));
    if (!f.def && f.wireType === WIRE_LEN) {
      if (f.as === 'string')
        c.label(`[As text: ${JSON.stringify(cut(String(f.value)))}]`, f.valueAt, f.valueLength);
      else if (f.message) renderMessage(c, f.message, true);
    }
  });
}

/** A guessed nested field: text nodes only, so the protobuf.* cells stay tshark's. */
function renderGuessed(c: Cursor, f: DecodedField): void {
  const end = f.valueAt + f.valueLength;
  let text: string;
  if (f.message) text = `Field(${f.number}): (message?)`;
  else if (f.wireType === WIRE_LEN)
    text =
      f.as === 'string'
        ? `Field(${f.number}): "${cut(String(f.value))}" (string?)`
        : `Field(${f.number}): ${hex(f.value as Uint8Array).slice(0, 64)} (bytes)`;
  else text = `Field(${f.number}): ${valueText(f.value, f.as)} (${f.as}, ${WIRE_TYPE_NAMES[f.wireType]})`;
  const node = c.label(text, f.at, end - f.at);
  if (f.message) c.within(node, () => renderMessage(c, f.message!, true));
}

function valueLabel(
  vf: FieldDef,
  v: number | bigint | boolean | string | Uint8Array,
  enumName?: string,
): string {
  if (v instanceof Uint8Array) return `${vf.name}: ${hex(v)}`;
  if (typeof v === 'boolean') return `${vf.name}: ${v ? 'True' : 'False'}`;
  if (vf.type === 'double' || vf.type === 'float') return `${vf.name}: ${String(v)}`;
  return `${vf.name}: ${String(v)}${enumName !== undefined ? ` (${enumName})` : ''}`;
}

/**
 * Expert notes of a decoded message, the same with and without a tree (the index pass keeps the
 * highest severity): a value that cannot be read ends the message (malformed); a value that
 * does not fit its declaration is a warning.
 */
function addExperts(c: Cursor, m: DecodedMessage): void {
  for (const f of m.fields) {
    if (f.error) {
      const unreadable = m.error !== undefined && f === m.fields[m.fields.length - 1] && f.valueLength === 0;
      if (!unreadable)
        c.expert(
          'protobuf.field.failed_parse_field',
          'warn',
          'protocol',
          f.error,
          f.at,
          f.valueAt + f.valueLength - f.at,
        );
    }
    if (f.message && !f.guessed) addExperts(c, f.message);
  }
  if (m.error)
    c.expert(
      'protobuf.failed_parse_tag',
      'error',
      'malformed',
      `${m.error.message} (offset ${m.error.at - m.at} of the ${m.length}-byte message ${m.typeName ?? ''})`.replace(
        ' )',
        ')',
      ),
      m.error.at,
      0,
    );
}

/** The protobuf dissector bound to one schema registry (useProtos re-registers it with another). */
export function protobufDissector(registry: ProtoRegistry): Dissector {
  return {
    fields: F,
    pdu: 'message',
    in: { media_type: ['application/x-protobuf', 'application/protobuf', 'application/vnd.google.protobuf'] },
    dissect(c: Cursor, p: PacketInfo) {
      const ctx = contextOf(p.context);
      const typeName = ctx?.protobufType ?? null;
      const schema = typeName ? (registry.message(typeName) ?? null) : null;
      if (p.cols && !p.columns.info.endsWith(' (PROTOBUF)')) p.columns.info += ' (PROTOBUF)';
      const m = decodeMessage(c.data, c.pos, c.end, schema, registry);
      if (!schema && typeName) m.typeName = typeName;
      if (c.tree) renderMessage(c, m, false);
      // Cut by the snapshot length: where decoding stopped says nothing about the message; the
      // short read marks the layer truncated (not malformed) with what was read.
      if (c.declaredEnd > c.end) c.skip(c.declaredEnd - c.pos);
      addExperts(c, m);
      c.pos = c.end;
      return { summary: ctx?.protobufLabel ? `Protocol Buffers: ${ctx.protobufLabel}` : 'Protocol Buffers' };
    },
  };
}

export const dissectors: readonly Dissector[] = [protobufDissector(EMPTY_REGISTRY)];
