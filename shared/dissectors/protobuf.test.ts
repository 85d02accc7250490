// Protobuf decoding: by schema (values encoded by protobufjs, an independent encoder, decoded back
// field by field), from the wire alone, the registry (errors, imports, well-known types), the tree
// and cells the dissector builds, and random bytes that must never throw.
import fc from 'fast-check';
import { parse, Root, type Type } from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { Engine, type Dissector } from '../dissect/engine';
import { defineFields } from '../dissect/fields';
import { Session } from '../dissect/packet';
import { findItems } from '../dissect/query';
import type { Item } from '../dissect/types';
import { decodeMessage, looksLikeText, previewMessage, type DecodedMessage } from '../protobuf/decode';
import { buildRegistry, EMPTY_REGISTRY } from '../protobuf/registry';
import { useProtos } from '../protobuf/use-protos';
import type { ProtobufContext } from './protobuf';
import { allDissectors } from './index';

const PROTO = `syntax = "proto3";
package t;
enum Color { RED = 0; GREEN = 1; BLUE = 2; }
message Inner { string s = 1; repeated Inner kids = 2; }
message All {
  double d = 1; float f = 2; int64 i64 = 3; uint64 u64 = 4; int32 i32 = 5; fixed64 fx64 = 6;
  fixed32 fx32 = 7; bool b = 8; string s = 9; bytes by = 10; uint32 u32 = 11; Color color = 12;
  sfixed32 sf32 = 13; sfixed64 sf64 = 14; sint32 si32 = 15; sint64 si64 = 16;
  repeated int32 packed = 17; repeated string names = 18; map<string, int32> counts = 19;
  oneof pick { string text = 20; Inner inner = 21; }
  repeated Color colors = 22; repeated double ds = 23;
  repeated int32 unpacked = 24 [packed = false];
}`;

const root = new Root();
parse(PROTO, root, { keepCase: true });
root.resolveAll();
const All = root.lookupType('t.All');
const registry = buildRegistry([{ name: 't.proto', text: PROTO }]);

function encode(t: Type, v: Record<string, unknown>): Uint8Array {
  return t.encode(t.fromObject(v)).finish();
}

/** The decoded message as a plain object, for comparing with what was encoded. */
function plain(m: DecodedMessage): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of m.fields) {
    const name = f.def?.name ?? String(f.number);
    let v: unknown;
    if (f.message) v = f.def?.map ? [plain(f.message).key, plain(f.message).value] : plain(f.message);
    else if (f.packed) v = f.packed.map((p) => p.enumName ?? p.value);
    else if (f.enumName !== undefined) v = f.enumName;
    else
      v =
        typeof f.value === 'bigint'
          ? f.value.toString()
          : f.value instanceof Uint8Array
            ? [...f.value]
            : f.value;
    if (f.def?.repeated)
      out[name] = [...((out[name] as unknown[]) ?? []), ...(f.packed ? (v as unknown[]) : [v])];
    else out[name] = v;
  }
  return out;
}

describe('protobuf by schema', () => {
  it('every scalar type, enums, packed and unpacked repeated, maps, oneof, nested', () => {
    const v = {
      d: 4.5,
      f: 1.25,
      i64: '-9007199254740993',
      u64: '18446744073709551615',
      i32: -1,
      fx64: '1700000000123',
      fx32: 4000000000,
      b: true,
      s: 'héllo',
      by: new Uint8Array([0, 1, 255]),
      u32: 300,
      color: 2,
      sf32: -7,
      sf64: '-8',
      si32: -3,
      si64: '-4000000000',
      packed: [3, -1, 300000],
      names: ['a', 'b'],
      counts: { x: 1 },
      inner: { s: 'in', kids: [{ s: 'k1' }, { s: 'k2' }] },
      colors: [1, 2],
      ds: [0.5, -2],
      unpacked: [5, 6],
    };
    const bytes = encode(All, v);
    const m = decodeMessage(bytes, 0, bytes.length, registry.message('t.All')!, registry);
    expect(m.error).toBeUndefined();
    expect(m.fields.every((f) => !f.error)).toBe(true);
    const p = plain(m);
    expect(p).toEqual({
      d: 4.5,
      f: 1.25,
      i64: '-9007199254740993',
      u64: '18446744073709551615',
      i32: -1,
      fx64: 1700000000123,
      fx32: 4000000000,
      b: true,
      s: 'héllo',
      by: [0, 1, 255],
      u32: 300,
      color: 'BLUE',
      sf32: -7,
      sf64: -8,
      si32: -3,
      si64: -4000000000,
      packed: [3, -1, 300000],
      names: ['a', 'b'],
      counts: [['x', 1]],
      inner: { s: 'in', kids: [{ s: 'k1' }, { s: 'k2' }] },
      colors: ['GREEN', 'BLUE'],
      ds: [0.5, -2],
      unpacked: [5, 6],
    });
    expect(m.fields.find((f) => f.def?.name === 'inner')!.def!.oneof).toBe('pick');
    expect(registry.message('t.All')!.fields.get(19)!.map!.fullName).toBe('t.All.countsMapEntry');
  });

  it('random values of every type round-trip (protobufjs encodes, we decode)', () => {
    const i64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
    fc.assert(
      fc.property(
        fc.record({
          i64,
          u64,
          si64: i64,
          i32: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
          si32: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
          u32: fc.nat({ max: 2 ** 32 - 1 }),
          s: fc.string({ unit: 'grapheme', maxLength: 20 }),
          packed: fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 8 }),
          d: fc.double({ noNaN: true }),
        }),
        (r) => {
          const bytes = encode(All, {
            ...r,
            i64: r.i64.toString(),
            u64: r.u64.toString(),
            si64: r.si64.toString(),
          });
          const m = decodeMessage(bytes, 0, bytes.length, registry.message('t.All')!, registry);
          const p = plain(m);
          const big = (x: unknown) => BigInt(x as string | number);
          if (r.i64 !== 0n) expect(big(p.i64)).toBe(r.i64);
          if (r.u64 !== 0n) expect(big(p.u64)).toBe(r.u64);
          if (r.si64 !== 0n) expect(big(p.si64)).toBe(r.si64);
          if (r.i32) expect(p.i32).toBe(r.i32);
          if (r.si32) expect(p.si32).toBe(r.si32);
          if (r.u32) expect(p.u32).toBe(r.u32);
          if (r.s) expect(p.s).toBe(r.s);
          if (r.packed.length) expect(p.packed).toEqual(r.packed);
          if (!Object.is(r.d, 0)) expect(p.d).toBe(r.d);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a field whose wire type contradicts its declaration is kept and flagged', () => {
    // Field 9 (string s) written as a varint.
    const m = decodeMessage(new Uint8Array([0x48, 0x05]), 0, 2, registry.message('t.All')!, registry);
    expect(m.fields[0].value).toBe(5);
    expect(m.fields[0].error).toMatch(/does not match the declared type string/);
  });

  it('unknown field numbers inside a known type are decoded raw', () => {
    const m = decodeMessage(new Uint8Array([0xf8, 0x07, 0x01]), 0, 3, registry.message('t.All')!, registry);
    expect(m.fields[0].number).toBe(127);
    expect(m.fields[0].def).toBeNull();
    expect(m.fields[0].as).toBe('uint32');
  });

  it('previews', () => {
    const bytes = encode(All, { i64: '1', s: 'Ada', inner: { s: 'x' }, packed: [1, 2], color: 1 });
    const m = decodeMessage(bytes, 0, bytes.length, registry.message('t.All')!, registry);
    expect(previewMessage(m, 200)).toBe(
      'All{i64: 1, s: "Ada", color: GREEN, packed: [1, 2], inner: Inner{s: "x"}}',
    );
    expect(previewMessage(m, 20)).toBe('All{i64: 1, s: "Ada…');
  });
});

describe('protobuf from the wire alone', () => {
  it('varints, fixed values, text, nested messages and bytes', () => {
    const bytes = encode(All, {
      i64: '1',
      fx64: '4616752568008179712',
      s: 'Ada',
      inner: { s: 'London', kids: [{ s: 'x' }] },
      by: new Uint8Array([0xff, 0x00, 0x81]),
      fx32: 7,
    });
    const m = decodeMessage(bytes, 0, bytes.length, null, EMPTY_REGISTRY);
    const byNum = new Map(m.fields.map((f) => [f.number, f]));
    expect(byNum.get(3)!.as).toBe('uint32');
    expect(byNum.get(3)!.value).toBe(1);
    expect(byNum.get(6)!.as).toBe('uint64');
    expect(byNum.get(6)!.value).toBe(4616752568008179712n);
    expect(byNum.get(7)!.as).toBe('uint32');
    expect(byNum.get(9)!.value).toBe('Ada');
    expect(byNum.get(21)!.as).toBe('message');
    expect(byNum.get(21)!.guessed).toBe(true);
    expect(plain(byNum.get(21)!.message!)).toEqual({ 1: 'London', 2: { 1: 'x' } });
    expect(byNum.get(10)!.as).toBe('bytes');
  });

  it('a varint above 32 bits is uint64 (as Wireshark)', () => {
    const m = decodeMessage(new Uint8Array([0x08, 0x80, 0x80, 0x80, 0x80, 0x10]), 0, 6, null, EMPTY_REGISTRY);
    expect(m.fields[0].as).toBe('uint64');
    expect(m.fields[0].value).toBe(2 ** 32);
  });

  it('garbage stops with an error where it went wrong, keeping what came before', () => {
    const cases: [number[], RegExp][] = [
      [[0x08, 0x01, 0x12, 0x05, 0x41], /length delimited/],
      [[0x08, 0x01, 0x0f], /Unknown or unsupported wiretype 7/],
      [[0x08, 0x01, 0x08], /varint/],
      [[0x08, 0x01, 0x80], /Failed to parse tag/],
      [[0x08, 0x01, 0x00], /Invalid field number 0/],
      [[0x08, 0x01, 0x0d, 0x01], /32-bit/],
      [[0x08, 0x01, 0x09, 0x01], /64-bit/],
      [[0x08, 0x01, 0x0b, 0x08, 0x01], /end-group/],
    ];
    for (const [b, re] of cases) {
      const m = decodeMessage(new Uint8Array(b), 0, b.length, null, EMPTY_REGISTRY);
      expect(m.fields[0].value, String(b)).toBe(1);
      expect(m.error?.message, String(b)).toMatch(re);
    }
  });

  it('groups are read to their end-group tag', () => {
    const m = decodeMessage(new Uint8Array([0x0b, 0x08, 0x01, 0x0c, 0x10, 0x02]), 0, 6, null, EMPTY_REGISTRY);
    expect(m.error).toBeUndefined();
    expect(m.fields.map((f) => [f.number, f.as])).toEqual([
      [1, 'group'],
      [2, 'uint32'],
    ]);
  });

  it('text detection: UTF-8 without control characters', () => {
    expect(looksLikeText(new TextEncoder().encode('héllo wörld\n'))).toBe(true);
    expect(looksLikeText(new Uint8Array([0x41, 0x00]))).toBe(false);
    expect(looksLikeText(new Uint8Array([0xc3]))).toBe(false);
  });

  it('deep nesting is cut, not a stack overflow', () => {
    let b: number[] = [0x08, 0x01];
    for (let i = 0; i < 200; i++) b = [0x0a, ...varint(b.length), ...b];
    const m = decodeMessage(new Uint8Array(b), 0, b.length, null, EMPTY_REGISTRY);
    expect(m.fields).toHaveLength(1);
  });

  it('random bytes never throw, and decoding stays inside the bytes given', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (b, typed) => {
        const m = decodeMessage(b, 0, b.length, typed ? registry.message('t.All')! : null, registry);
        const walk = (x: DecodedMessage) => {
          for (const f of x.fields) {
            expect(f.at).toBeGreaterThanOrEqual(x.at);
            expect(f.valueAt + f.valueLength).toBeLessThanOrEqual(x.at + x.length);
            if (f.message) walk(f.message);
          }
        };
        walk(m);
        previewMessage(m);
      }),
      { numRuns: 2000 },
    );
  });
});

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 127) | 128);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

describe('schema registry', () => {
  it('reports a file that does not parse and keeps the others', () => {
    const r = buildRegistry([
      { name: 'bad.proto', text: 'syntax = "proto3"; message { int32 = ; }' },
      { name: 'good.proto', text: 'syntax = "proto3"; package g; message M { int32 a = 1; }' },
    ]);
    expect(r.errors.map((e) => e.file)).toEqual(['bad.proto']);
    expect(r.message('g.M')?.fields.get(1)?.name).toBe('a');
    expect(r.files).toEqual(['good.proto']);
  });

  it('a type from a missing import: the field is left out and the error names it', () => {
    const r = buildRegistry([
      {
        name: 'a.proto',
        text: 'syntax = "proto3"; package a; import "b.proto"; message M { b.Missing x = 1; int32 y = 2; }',
      },
    ]);
    expect(r.message('a.M')?.fields.get(2)?.name).toBe('y');
    expect(r.message('a.M')?.fields.has(1)).toBe(false);
    expect(r.errors.some((e) => /a\.M\.x/.test(e.message))).toBe(true);
  });

  it('imports between the files given, and the well-known types', () => {
    const r = buildRegistry([
      {
        name: 'a.proto',
        text: 'syntax = "proto3"; package a; import "b/b.proto"; import "google/protobuf/timestamp.proto"; message M { b.N n = 1; google.protobuf.Timestamp at = 2; }',
      },
      { name: 'b/b.proto', text: 'syntax = "proto3"; package b; message N { string s = 1; }' },
    ]);
    expect(r.errors).toEqual([]);
    expect(r.message('a.M')?.fields.get(1)?.typeName).toBe('b.N');
    expect(r.message('a.M')?.fields.get(2)?.typeName).toBe('google.protobuf.Timestamp');
    expect(r.message('google.protobuf.Timestamp')?.fields.get(1)?.name).toBe('seconds');
  });

  it('methods by :path, with their streaming', () => {
    const r = buildRegistry([
      {
        name: 's.proto',
        text: 'syntax = "proto3"; package s; message A {} service S { rpc U(A) returns (A); rpc C(stream A) returns (A); rpc B(stream A) returns (stream A); }',
      },
    ]);
    expect(r.method('/s.S/U')).toMatchObject({
      requestStream: false,
      responseStream: false,
      requestType: 's.A',
    });
    expect(r.method('/s.S/C')).toMatchObject({ requestStream: true, responseStream: false });
    expect(r.method('/s.S/B')).toMatchObject({ requestStream: true, responseStream: true });
  });
});

describe('protobuf dissector tree', () => {
  const LINK = 148;
  const pf = defineFields('pbtest', 'protobuf test link', null, {});
  function dissect(bytes: Uint8Array, ctx: ProtobufContext, protos = true, declared = bytes.length) {
    const link: Dissector = {
      fields: pf,
      in: { link: LINK },
      dissect: () => ({ next: { proto: 'protobuf', offset: 0, end: declared, context: ctx } }),
    };
    const e = new Engine([...allDissectors, link]);
    if (protos) useProtos(e, [{ name: 't.proto', text: PROTO }]);
    const meta = {
      number: 1,
      tsSec: 0,
      tsNsec: 0,
      caplen: bytes.length,
      origlen: bytes.length,
      linktype: LINK,
      ifid: 0,
    };
    return e.dissect(bytes, meta, new Session(), true, true);
  }
  const labels = (items: Item[], depth = 0): string[] =>
    items.flatMap((i) =>
      i.hidden ? [] : [`${'  '.repeat(depth)}${i.label}`, ...labels(i.children ?? [], depth + 1)],
    );

  it('declared fields: one line each, details hidden but filterable (Wireshark show_details off)', () => {
    const bytes = encode(All, {
      i64: '1',
      s: 'Ada',
      color: 2,
      packed: [3, -1],
      inner: { s: 'x' },
      by: new Uint8Array([1, 2]),
    });
    const d = dissect(bytes, { protobufType: 't.All', protobufLabel: '/t.S/M,response' });
    const layer = d.layers.find((l) => l.proto === 'protobuf')!;
    expect(layer.summary).toBe('Protocol Buffers: /t.S/M,response');
    expect(labels(layer.items)).toEqual([
      'Message: t.All',
      '  Field(3): i64 = 1 (int64)',
      '  Field(9): s = Ada (string)',
      '  Field(10): by  (bytes)',
      '    Value: 0102',
      '  Field(12): color = BLUE(2) (enum)',
      '  Field(17): packed = [ 3 (int32), -1 (int32)]',
      '    Repeated: 03ffffffffffffffffff01',
      '      Int32: 3',
      '      Int32: -1',
      '  Field(21): inner  (message)',
      '    Message: t.Inner',
      '      Field(1): s = x (string)',
    ]);
    const cell = (f: string) => findItems(d, f).map((i) => String(i.value));
    expect(cell('protobuf.message.name')).toEqual(['t.All', 't.Inner']);
    expect(cell('protobuf.field.name')).toEqual(['i64', 's', 'by', 'color', 'packed', 'inner', 's']);
    expect(cell('protobuf.field.number')).toEqual(['3', '9', '10', '12', '17', '21', '1']);
    expect(cell('protobuf.field.wiretype')).toEqual(['0', '2', '2', '0', '2', '2', '2']);
    expect(cell('protobuf.field.type')).toEqual(['3', '9', '12', '14', '5', '11', '9']);
    expect(cell('protobuf.field.value.int32')).toEqual(['2', '3', '-1']);
    expect(d.columns.info).toBe(' (PROTOBUF)');
  });

  it('without a schema: details shown, Wireshark labels, guesses as text nodes', () => {
    const bytes = new Uint8Array([0x08, 0x01, 0x12, 0x03, 0x41, 0x64, 0x61]);
    const d = dissect(bytes, {}, false);
    const layer = d.layers.find((l) => l.proto === 'protobuf')!;
    expect(labels(layer.items)).toEqual([
      'Message: <UNKNOWN> Message Type',
      '  Field(1): 1 (uint32)',
      '    [Field Name: <UNKNOWN>]',
      '    .000 1... = Field Number: 1',
      '    .... .000 = Wire Type: varint (0)',
      '    Value: 01',
      '      Uint32: 1',
      '  Field(2): "Ada" (string?)',
      '    [Field Name: <UNKNOWN>]',
      '    .001 0... = Field Number: 2',
      '    .... .010 = Wire Type: Length-delimited (2)',
      '    Value Length: 3',
      '    Value: 416461',
      '    [As text: "Ada"]',
    ]);
  });

  it('a message cut short: malformed with the offset, fields before it kept', () => {
    const d = dissect(new Uint8Array([0x08, 0x01, 0x12, 0x09, 0x41]), {}, false);
    const layer = d.layers.find((l) => l.proto === 'protobuf')!;
    expect(layer.malformed).toBe(true);
    expect(layer.experts[0].message).toBe(
      'Failed to parse length delimited field (offset 3 of the 5-byte message)',
    );
    expect(findItems(d, 'protobuf.field.number').map((i) => i.value)).toEqual([1, 2]);
  });

  it('a message cut by the snapshot length: truncated, not malformed, what was captured shown', () => {
    const d = dissect(new Uint8Array([0x08, 0x01, 0x12, 0x09, 0x41]), {}, false, 11);
    const layer = d.layers.find((l) => l.proto === 'protobuf')!;
    expect(layer.truncated).toBe(true);
    expect(layer.malformed).toBe(false);
    expect(layer.experts).toEqual([]);
    expect(findItems(d, 'protobuf.field.number').map((i) => i.value)).toEqual([1, 2]);
  });

  it('random bytes with and without a type never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), fc.boolean(), (b, typed) => {
        const d = dissect(b, typed ? { protobufType: 't.All' } : {}, typed);
        expect(d.layers.some((l) => l.proto === 'protobuf') || b.length === 0).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
