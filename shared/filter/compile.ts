// Display filters compiled once into a predicate over dissections (wireshark-filter(4), 4.0).
//
// Semantics as Wireshark 4.0's:
// - A field name alone tests presence; a protocol name tests that the protocol is in the frame.
// - A field may occur several times (ip.addr twice, IP inside ICMP): `==` is "any occurrence
//   equals" and `!=` is "all occurrences differ" (so `ip.addr != 10.0.0.1` excludes packets
//   from AND to it); `===` is all_eq and `!==`/`~=` any_ne.
// - Unquoted literals are read by the type of the field on the other side: `10.0.0.0/8` is a
//   subnet for an IPv4 field, `00:11:22` bytes for a bytes field, `A` a value name for an integer
//   field with value strings (dns.qry.type == AAAA), `80` a number.
// - `contains` and `matches` work on strings, bytes and whole protocols; `matches` is a regular
//   expression ((?i) makes it case-insensitive, as with PCRE2); slices take bytes ([0:3], [1-2],
//   [-1]); `&` is a bitwise test (non-zero).
// - Functions: len() (bytes of each occurrence), count() (occurrences), upper(), lower(),
//   min(), max(), abs().
//
// Differences: hostnames are not resolved (Wireshark would look `ip.addr == example.com` up);
// arithmetic (`tcp.len + 1`) and field references (`${…}`) are not supported and say so.
import { encodeUtf8 } from '../capture/text';
import { allFields, fieldByAbbrev as registered, protocolInfo } from '../dissect/fields';
import { PSEUDO_FIELD_TYPES, pseudoValues } from '../dissect/query';
import { AddrKind } from '../index/intern';
import { PacketFlag, type PacketIndex } from '../index/packet-index';
import type { Dissection, FieldDef, FieldValue, Item, Layer } from '../dissect/types';
import { FilterSyntaxError, parseFilter, type Node, type Operand, type SliceRange, type Span } from './parse';

/** A compiled filter, or why it is not one (message + where). */
export type CompileResult = { ok: true; filter: Filter } | { ok: false; error: FilterError };

export interface FilterError {
  message: string;
  /** Character range of the filter text the message is about. */
  start: number;
  end: number;
}

/** What a frame offers a filter: its dissection (with tree) and its bytes. */
export interface FilterTarget {
  d: Dissection;
  frame: Uint8Array;
}

export interface Filter {
  readonly text: string;
  /** Every field and protocol name the filter reads. */
  readonly fields: readonly string[];
  test(t: FilterTarget): boolean;
  /**
   * Every name the filter reads is in the packet index (addresses, ports, streams, TCP flags,
   * lengths, frame numbers), so `testIndexed` can answer without dissecting.
   */
  readonly indexed: boolean;
  /**
   * The verdict from the packet index alone; null when the frame must be dissected. Answers every
   * frame of an `indexed` filter; for a filter that reads only index fields and application
   * protocols (`http.request.method == "GET"`, `dns && udp.port == 53`) it also answers the
   * frames whose protocol chain holds none of those protocols: there every field of theirs is
   * absent, as in their dissection. Costs a few array reads when it cannot answer.
   */
  testIndexed(index: PacketIndex, i: number): boolean | null;
}

/** What a predicate reads of one frame: a dissection, or a packet-index record. */
interface Frame {
  has(proto: string): boolean;
  values(def: FieldDef): Val[];
  pseudo(name: string): (string | number | true)[];
  protocolBytes(proto: string): Uint8Array[];
}

class DissectedFrame implements Frame {
  constructor(private readonly t: FilterTarget) {}
  has(proto: string): boolean {
    return hasProtocol(this.t.d, proto);
  }
  values(def: FieldDef): Val[] {
    const out: Val[] = [];
    for (const it of findAll(this.t.d, def.abbrev)) {
      const v = valueOf(def, it.value);
      if (v) out.push(v);
    }
    return out;
  }
  pseudo(name: string): (string | number | true)[] {
    return pseudoValues(this.t.d, name) ?? [];
  }
  protocolBytes(proto: string): Uint8Array[] {
    return layersOf(this.t.d, proto).map((l) => layerBytes(this.t, l));
  }
}

/** One value of a field occurrence, in the comparable form of its type. */
type Val =
  | { t: 'num'; v: number | bigint }
  | { t: 'float'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'bytes'; v: Uint8Array }
  | { t: 'str'; v: string }
  | { t: 'ipv4'; v: number; prefix: number }
  | { t: 'ipv6'; v: Uint8Array; prefix: number }
  | { t: 'time'; v: number };

/** A value source: a function giving this frame's values (fields) or a constant (literals). */
interface Src {
  /** The field type it yields, if known (literals resolve against it). */
  def: FieldDef | null;
  /** For a protocol used as a value: its bytes. */
  get(t: Frame): Val[];
  span: Span;
}

type Pred = (t: Frame) => boolean;

class SemanticError extends Error {
  constructor(
    message: string,
    readonly span: Span,
  ) {
    super(message);
  }
}

export function compileFilter(text: string): CompileResult {
  try {
    const ast = parseFilter(text);
    const fields = new Set<string>();
    const compiler = new Compiler(fields);
    const pred = compiler.node(ast);
    const names = [...fields];
    const indexed = !compiler.readsBytes && names.every((n) => INDEXED.has(n));
    const appProtos = new Set<string>();
    const byChain =
      !indexed &&
      !compiler.readsBytes &&
      names.every((n) => {
        if (INDEXED.has(n)) return true;
        const p = applicationProtocolOf(n);
        if (p) appProtos.add(p);
        return p !== null;
      });
    let view: IndexedFrame | null = null;
    let without: WithoutProtocols | null = null;
    return {
      ok: true,
      filter: {
        text,
        fields: names,
        indexed,
        test: (t) => pred(new DissectedFrame(t)),
        testIndexed: (index, i) => {
          if (index.flags(i) & PacketFlag.nested) return null;
          if (!indexed) {
            if (!byChain) return null;
            if (without?.index !== index) without = new WithoutProtocols(index, appProtos);
            if (!without.test(i)) return null;
          }
          // One view per index, moved from record to record: a filter pass allocates no frames.
          if (view?.index !== index) view = new IndexedFrame(index);
          view.at(i);
          return pred(view);
        },
      },
    };
  } catch (e) {
    if (e instanceof FilterSyntaxError || e instanceof SemanticError)
      return { ok: false, error: { message: e.message, start: e.span.start, end: e.span.end } };
    throw e;
  }
}

/** Wireshark-style error text with a caret line under the offending part. */
export function describeError(text: string, e: FilterError): string {
  const width = Math.max(1, e.end - e.start);
  return `${e.message}\n${text}\n${' '.repeat(e.start)}${'^'.repeat(Math.min(width, Math.max(1, text.length - e.start)))}`;
}

class Compiler {
  /** A protocol's bytes are read (`tcp contains "GET"`): the index cannot answer. */
  readsBytes = false;
  constructor(private readonly fields: Set<string>) {}

  node(n: Node): Pred {
    switch (n.kind) {
      case 'or': {
        const a = this.node(n.left);
        const b = this.node(n.right);
        return (t) => a(t) || b(t);
      }
      case 'and': {
        const a = this.node(n.left);
        const b = this.node(n.right);
        return (t) => a(t) && b(t);
      }
      case 'xor': {
        const a = this.node(n.left);
        const b = this.node(n.right);
        return (t) => a(t) !== b(t);
      }
      case 'not': {
        const a = this.node(n.expr);
        return (t) => !a(t);
      }
      case 'test':
        return this.existence(n.operand);
      case 'compare':
        return this.compare(n.op, n.left, n.right);
      case 'in':
        return this.membership(n.operand, n.members, n.negated);
    }
  }

  private existence(o: Operand): Pred {
    if (o.kind === 'word' || o.kind === 'field') {
      if (o.slice) {
        const s = this.source(o, null);
        return (t) => s.get(t).length > 0;
      }
      const name = o.text;
      const def = fieldByAbbrev(name);
      if (!def) throw this.unknownField(name, o.span);
      this.fields.add(name);
      if (def.type === 'protocol') return (t) => t.has(name);
      if (def.proto === '_ws') return (t) => t.pseudo(name).length > 0;
      return (t) => t.values(def).length > 0;
    }
    if (o.kind === 'call' || o.kind === 'bitand') {
      const s = this.source(o, null);
      return (t) => s.get(t).some(truthy);
    }
    throw new SemanticError(`"${o.text}" is neither a field nor a protocol name.`, o.span);
  }

  private compare(op: string, l: Operand, r: Operand): Pred {
    let left = this.source(l, null);
    const right = this.source(r, left.def);
    if (!left.def && right.def) left = this.source(l, right.def);
    if (!left.def && !right.def && l.kind !== 'call' && r.kind !== 'call')
      throw new SemanticError(
        'Constants cannot be compared with each other: one side must be a field.',
        joinSpan(l.span, r.span),
      );
    if (op === 'matches') {
      if (r.kind !== 'string' && r.kind !== 'word')
        throw new SemanticError('"matches" needs a regular expression in quotes.', r.span);
      const re = regexOf(r.text, r.span);
      return (t) => left.get(t).some((v) => re.test(textOf(v)));
    }
    if (op === 'contains') {
      return (t) => {
        const rs = right.get(t);
        return left.get(t).some((a) => rs.some((b) => contains(a, b)));
      };
    }
    const cmp = comparator(op);
    if (op === 'all_ne')
      return (t) => {
        const rs = right.get(t);
        const ls = left.get(t);
        return ls.length > 0 && ls.every((a) => rs.every((b) => cmp(a, b)));
      };
    if (op === 'all_eq')
      return (t) => {
        const rs = right.get(t);
        const ls = left.get(t);
        return ls.length > 0 && ls.every((a) => rs.some((b) => cmp(a, b)));
      };
    return (t) => {
      const rs = right.get(t);
      return left.get(t).some((a) => rs.some((b) => cmp(a, b)));
    };
  }

  private membership(o: Operand, members: { low: Operand; high?: Operand }[], negated: boolean): Pred {
    const src = this.source(o, null);
    const tests = members.map((m) => {
      const low = this.source(m.low, src.def);
      if (!m.high) return (a: Val, t: Frame) => low.get(t).some((b) => equal(a, b));
      const high = this.source(m.high, src.def);
      return (a: Val, t: Frame) =>
        low.get(t).some((lo) => high.get(t).some((hi) => order(a, lo) >= 0 && order(a, hi) <= 0));
    });
    // `x not in {…}` is `not (x in {…})`, as Wireshark 4.0.
    const inSet: Pred = (t) => src.get(t).some((a) => tests.some((f) => f(a, t)));
    return negated ? (t) => !inSet(t) : inSet;
  }

  /** A value source; `against` is the field type on the other side, for reading literals. */
  private source(o: Operand, against: FieldDef | null): Src {
    switch (o.kind) {
      case 'bitand': {
        const a = this.source(o.left, against);
        const b = this.source(o.right, a.def);
        return {
          def: a.def,
          span: o.span,
          get: (t) => {
            const bs = b.get(t);
            const out: Val[] = [];
            for (const x of a.get(t)) for (const y of bs) out.push(bitAnd(x, y, o.span));
            return out;
          },
        };
      }
      case 'call':
        return this.call(o, against);
      case 'field':
      case 'word': {
        const def =
          o.kind === 'field' || !against || looksLikeField(o.text) ? fieldByAbbrev(o.text) : undefined;
        if (def) {
          this.fields.add(o.text);
          if (def.type === 'protocol') this.readsBytes = true;
          const base = fieldSource(def, o.span);
          return o.slice ? sliced(base, o.slice, o.span) : base;
        }
        if (o.kind === 'field') throw this.unknownField(o.text, o.span);
        if (!against) {
          if (/^[a-z_][a-z0-9_-]*(\.[a-z0-9_-]+)+$/i.test(o.text) || /^[a-z_][a-z0-9_]*$/i.test(o.text))
            throw this.unknownField(o.text, o.span);
          throw new SemanticError(`"${o.text}" is not a field; compare it with one.`, o.span);
        }
        const v = literal(o.text, against, o.span, false);
        return constant(o.slice ? sliceVals([v], o.slice) : [v], o.span);
      }
      case 'string': {
        if (!against) return constant([{ t: 'str', v: o.text }], o.span);
        const v = literal(o.text, against, o.span, true);
        return constant(o.slice ? sliceVals([v], o.slice) : [v], o.span);
      }
    }
  }

  private call(o: Extract<Operand, { kind: 'call' }>, against: FieldDef | null): Src {
    const arity = (n: number) => {
      if (o.args.length !== n)
        throw new SemanticError(`Function ${o.name}() takes ${n} argument${n === 1 ? '' : 's'}.`, o.span);
    };
    const arg = (i: number) => this.source(o.args[i], null);
    switch (o.name) {
      case 'len': {
        arity(1);
        const a = arg(0);
        return { def: U32, span: o.span, get: (t) => a.get(t).map((v) => ({ t: 'num', v: byteLength(v) })) };
      }
      case 'count': {
        arity(1);
        const a = arg(0);
        return { def: U32, span: o.span, get: (t) => [{ t: 'num', v: a.get(t).length }] };
      }
      case 'upper':
      case 'lower': {
        arity(1);
        const a = arg(0);
        const up = o.name === 'upper';
        return {
          def: a.def,
          span: o.span,
          get: (t) =>
            a
              .get(t)
              .map((v) => (v.t === 'str' ? { t: 'str', v: up ? v.v.toUpperCase() : v.v.toLowerCase() } : v)),
        };
      }
      case 'abs': {
        arity(1);
        const a = arg(0);
        return {
          def: a.def,
          span: o.span,
          get: (t) =>
            a
              .get(t)
              .map((v) =>
                v.t === 'num'
                  ? { t: 'num', v: v.v < 0 ? -v.v : v.v }
                  : v.t === 'float'
                    ? { t: 'float', v: Math.abs(v.v) }
                    : v,
              ),
        };
      }
      case 'min':
      case 'max': {
        if (!o.args.length)
          throw new SemanticError(`Function ${o.name}() needs at least one argument.`, o.span);
        const srcs = o.args.map((_, i) => (i === 0 ? arg(0) : this.source(o.args[i], null)));
        const sign = o.name === 'max' ? 1 : -1;
        return {
          def: srcs[0].def,
          span: o.span,
          get: (t) => {
            let best: Val | null = null;
            for (const s of srcs) for (const v of s.get(t)) if (!best || order(v, best) * sign > 0) best = v;
            return best ? [best] : [];
          },
        };
      }
      default:
        void against;
        throw new SemanticError(`The function "${o.name}" does not exist.`, o.span);
    }
  }

  private unknownField(name: string, span: Span): SemanticError {
    const near = closest(name);
    return new SemanticError(
      `"${name}" is not a valid protocol or protocol field.${near ? ` Did you mean "${near}"?` : ''}`,
      span,
    );
  }
}

/** A registered field, or one of the engine's pseudo-fields (`_ws.expert`, `_ws.malformed`…). */
function fieldByAbbrev(name: string): FieldDef | undefined {
  const def = registered(name);
  if (def) return def;
  const type = PSEUDO_FIELD_TYPES[name];
  return type
    ? { abbrev: name, name, type, base: type === 'u32' ? 'hex' : 'none', mask: 0, proto: '_ws' }
    : undefined;
}

const U32: FieldDef = { abbrev: '', name: 'count', type: 'u32', base: 'dec', mask: 0, proto: '' };

function looksLikeField(s: string): boolean {
  // A dotted name whose first part is a protocol, or a bare protocol name.
  const def = fieldByAbbrev(s);
  return def !== undefined;
}

function constant(vals: Val[], span: Span): Src {
  return { def: null, span, get: () => vals };
}

/** The values of a field (or the bytes of a protocol) in this frame. */
function fieldSource(def: FieldDef, span: Span): Src {
  const name = def.abbrev;
  if (def.type === 'protocol')
    return {
      def,
      span,
      get: (t) => t.protocolBytes(name).map((v): Val => ({ t: 'bytes', v })),
    };
  if (def.proto === '_ws')
    return {
      def,
      span,
      get: (t) =>
        t
          .pseudo(name)
          .map((v): Val =>
            v === true ? { t: 'bool', v } : typeof v === 'number' ? { t: 'num', v } : { t: 'str', v },
          ),
    };
  return { def, span, get: (t) => t.values(def) };
}

function sliced(base: Src, ranges: SliceRange[], span: Span): Src {
  if (base.def && !sliceable(base.def))
    throw new SemanticError(`"${base.def.abbrev}" cannot be sliced: it is not a byte string.`, span);
  return { def: BYTES, span, get: (t) => sliceVals(base.get(t), ranges) };
}

const BYTES: FieldDef = { abbrev: '', name: 'bytes', type: 'bytes', base: 'none', mask: 0, proto: '' };

function sliceable(def: FieldDef): boolean {
  return ['bytes', 'string', 'ether', 'ipv4', 'ipv6', 'protocol', 'none', 'guid', 'oid'].includes(def.type);
}

function sliceVals(vals: Val[], ranges: SliceRange[]): Val[] {
  const out: Val[] = [];
  for (const v of vals) {
    const b = bytesOf(v);
    if (!b) continue;
    const parts: Uint8Array[] = [];
    let ok = true;
    for (const r of ranges) {
      const start = r.start < 0 ? b.length + r.start : r.start;
      const end = r.length === null ? b.length : start + r.length;
      if (start < 0 || end > b.length || start > end) {
        ok = false;
        break;
      }
      parts.push(b.subarray(start, end));
    }
    if (!ok) continue;
    const n = parts.reduce((s, p) => s + p.length, 0);
    const joined = new Uint8Array(n);
    let o = 0;
    for (const p of parts) {
      joined.set(p, o);
      o += p.length;
    }
    out.push({ t: 'bytes', v: joined });
  }
  return out;
}

function layersOf(d: Dissection, proto: string): Layer[] {
  return d.layers.filter((l) => l.proto === proto);
}

function hasProtocol(d: Dissection, proto: string): boolean {
  return d.protocols.includes(proto) || d.layers.some((l) => l.proto === proto);
}

/**
 * Names the packet index answers for frames with one network and one transport layer (see
 * PacketFlag.nested): what the index pass records of every packet.
 */
const INDEXED = new Set([
  'frame',
  'frame.number',
  'frame.len',
  'frame.cap_len',
  'ip',
  'ip.src',
  'ip.dst',
  'ip.addr',
  'ipv6',
  'ipv6.src',
  'ipv6.dst',
  'ipv6.addr',
  'tcp',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.port',
  'tcp.stream',
  'tcp.flags',
  'tcp.flags.fin',
  'tcp.flags.syn',
  'tcp.flags.reset',
  'tcp.flags.push',
  'tcp.flags.ack',
  'tcp.flags.urg',
  'tcp.flags.ece',
  'tcp.flags.cwr',
  'udp',
  'udp.srcport',
  'udp.dstport',
  'udp.port',
  'udp.stream',
]);

const TCP_FLAG_BITS: Readonly<Record<string, number>> = {
  'tcp.flags.fin': 0x001,
  'tcp.flags.syn': 0x002,
  'tcp.flags.reset': 0x004,
  'tcp.flags.push': 0x008,
  'tcp.flags.ack': 0x010,
  'tcp.flags.urg': 0x020,
  'tcp.flags.ece': 0x040,
  'tcp.flags.cwr': 0x080,
};

/** One packet-index record seen as a frame (only for names in INDEXED). */
/** The application-layer protocol a name belongs to (http for http.request.method), or null. */
function applicationProtocolOf(name: string): string | null {
  const def = registered(name);
  const proto = def ? def.proto : name;
  return protocolInfo(proto)?.place?.tcpip === 'application' ? proto : null;
}

/**
 * Which frames carry none of the application protocols a filter reads: the protocol chain the
 * index pass recorded (index.proto, "eth:ip:tcp:websocket:data") names none of them — a TCP
 * segment in the middle of a reassembled PDU, a bare ACK, DNS for an HTTP filter. There, as in
 * their dissection, every field of those protocols is absent. Decided once per chain.
 */
class WithoutProtocols {
  private readonly verdict: (boolean | undefined)[] = [];
  constructor(
    readonly index: PacketIndex,
    private readonly protos: ReadonlySet<string>,
  ) {}
  test(i: number): boolean {
    const id = this.index.proto(i);
    let v = this.verdict[id];
    if (v === undefined) {
      v = !this.index.protocols
        .text(id)
        .split(':')
        .some((p) => this.protos.has(p));
      this.verdict[id] = v;
    }
    return v;
  }
}

class IndexedFrame implements Frame {
  private flags = 0;
  private i = 0;
  constructor(readonly index: PacketIndex) {}
  at(i: number): void {
    this.i = i;
    this.flags = this.index.flags(i);
  }
  private addrKind(): number {
    if (!(this.flags & PacketFlag.net)) return 0;
    const id = this.index.src(this.i);
    return id >= 0 ? this.index.addresses.kind(id) : 0;
  }
  has(proto: string): boolean {
    switch (proto) {
      case 'frame':
        return true;
      case 'tcp':
        return (this.flags & PacketFlag.tcp) !== 0;
      case 'udp':
        return (this.flags & PacketFlag.udp) !== 0;
      case 'ip':
        return this.addrKind() === AddrKind.ipv4;
      case 'ipv6':
        return this.addrKind() === AddrKind.ipv6;
      default:
        return false;
    }
  }
  values(def: FieldDef): Val[] {
    const x = this.index;
    const i = this.i;
    const one = (v: FieldValue): Val[] => {
      const r = valueOf(def, v);
      return r ? [r] : [];
    };
    const addr = (id: number): Val[] => one(x.addresses.addressBytes(id));
    const name = def.abbrev;
    switch (name) {
      case 'frame.number':
        return one(i + 1);
      case 'frame.len':
        return one(x.origlen(i));
      case 'frame.cap_len':
        return one(x.caplen(i));
    }
    const [proto, field] = [name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1)];
    if (!this.has(proto)) return [];
    if (proto === 'ip' || proto === 'ipv6') {
      const s = x.src(i);
      const d = x.dst(i);
      return field === 'src' ? addr(s) : field === 'dst' ? addr(d) : [...addr(s), ...addr(d)];
    }
    if (field === 'stream') return one(x.stream(i));
    if (field === 'srcport') return one(x.srcport(i));
    if (field === 'dstport') return one(x.dstport(i));
    if (field === 'port') return [...one(x.srcport(i)), ...one(x.dstport(i))];
    if (name === 'tcp.flags') return one(x.tcpFlags(i));
    const bit = TCP_FLAG_BITS[name];
    if (bit) return one((x.tcpFlags(i) & bit) !== 0);
    return [];
  }
  pseudo(): (string | number | true)[] {
    return [];
  }
  protocolBytes(): Uint8Array[] {
    return [];
  }
}

function layerBytes(t: FilterTarget, l: Layer): Uint8Array {
  const src = l.source ? t.d.sources[l.source - 1]?.bytes : t.frame;
  return src ? src.subarray(l.offset, l.offset + l.length) : new Uint8Array(0);
}

/** Every item with this name, hidden ones included (filters see them, as Wireshark's do). */
function findAll(d: Dissection, name: string): Item[] {
  const out: Item[] = [];
  const walk = (items: Item[]) => {
    for (const it of items) {
      if (it.abbrev === name) out.push(it);
      if (it.children) walk(it.children);
    }
  };
  for (const l of d.layers) walk(l.items);
  return out;
}

function valueOf(def: FieldDef, v: FieldValue): Val | null {
  switch (def.type) {
    case 'none':
      return { t: 'bool', v: true };
    case 'bool':
      return { t: 'bool', v: typeof v === 'boolean' ? v : v !== 0 && v !== null };
    case 'ipv4':
      if (v instanceof Uint8Array && v.length === 4)
        return { t: 'ipv4', v: ((v[0] << 24) | (v[1] << 16) | (v[2] << 8) | v[3]) >>> 0, prefix: 32 };
      if (typeof v === 'number') return { t: 'ipv4', v: v >>> 0, prefix: 32 };
      return null;
    case 'ipv6':
      return v instanceof Uint8Array ? { t: 'ipv6', v, prefix: 128 } : null;
    case 'ether':
    case 'bytes':
    case 'guid':
    case 'oid':
      return v instanceof Uint8Array
        ? { t: 'bytes', v }
        : typeof v === 'string'
          ? { t: 'bytes', v: utf8(v) }
          : null;
    case 'string':
      return v === null ? null : { t: 'str', v: String(v) };
    case 'float':
    case 'double':
      return typeof v === 'number' ? { t: 'float', v } : null;
    case 'abs_time':
    case 'rel_time':
      return v && typeof v === 'object' && 'sec' in v ? { t: 'time', v: v.sec + v.nsec / 1e9 } : null;
    case 'protocol':
      return null;
    default:
      if (typeof v === 'number' || typeof v === 'bigint') return { t: 'num', v };
      if (typeof v === 'boolean') return { t: 'num', v: v ? 1 : 0 };
      return null;
  }
}

/** An unquoted word or a string read as a value of `def`'s type. */
function literal(text: string, def: FieldDef, span: Span, quoted: boolean): Val {
  const fail = (what: string): never => {
    throw new SemanticError(`"${text}" is not a valid ${what}.`, span);
  };
  switch (def.type) {
    case 'ipv4': {
      const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)(?:\/(\d+))?$/.exec(text);
      if (!m) fail('IPv4 address');
      const parts = m!.slice(1, 5).map(Number);
      const prefix = m![5] === undefined ? 32 : Number(m![5]);
      if (parts.some((x) => x > 255) || prefix > 32) fail('IPv4 address');
      return {
        t: 'ipv4',
        v: ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0,
        prefix,
      };
    }
    case 'ipv6': {
      const slash = text.lastIndexOf('/');
      const addr = slash >= 0 ? text.slice(0, slash) : text;
      const prefix = slash >= 0 ? Number(text.slice(slash + 1)) : 128;
      const b = parseIpv6(addr);
      if (!b || !Number.isInteger(prefix) || prefix < 0 || prefix > 128) fail('IPv6 address');
      return { t: 'ipv6', v: b!, prefix };
    }
    case 'ether':
    case 'bytes':
    case 'guid':
    case 'oid':
    case 'protocol':
    case 'none': {
      if (quoted) return { t: 'bytes', v: utf8(text) };
      const b = parseBytes(text);
      if (!b || (def.type === 'ether' && b.length !== 6))
        fail(def.type === 'ether' ? 'Ethernet address' : 'byte string');
      return { t: 'bytes', v: b! };
    }
    case 'string':
      return { t: 'str', v: text };
    case 'bool': {
      const s = text.toLowerCase();
      if (s === 'true' || s === '1') return { t: 'bool', v: true };
      if (s === 'false' || s === '0') return { t: 'bool', v: false };
      return fail('boolean');
    }
    case 'float':
    case 'double': {
      const n = Number(text);
      if (text.trim() === '' || Number.isNaN(n)) fail('floating point number');
      return { t: 'float', v: n };
    }
    case 'rel_time':
    case 'abs_time': {
      const abs = def.type === 'abs_time' ? absTime(text) : null;
      if (abs !== null) return { t: 'time', v: abs };
      const n = Number(text);
      if (text.trim() === '' || Number.isNaN(n))
        fail(def.type === 'rel_time' ? 'time offset (seconds)' : 'time ("Nov 24, 2026 07:08:08.095812 UTC")');
      return { t: 'time', v: n };
    }
    default: {
      const n = parseInteger(text);
      if (n !== null) return { t: 'num', v: n };
      if (def.vals) {
        const want = text.toLowerCase();
        for (const [k, name] of Object.entries(def.vals))
          if (name.toLowerCase() === want) return { t: 'num', v: Number(k) };
      }
      if (
        def.type === 'u8' ||
        def.type === 'u16' ||
        def.type === 'u24' ||
        def.type === 'u32' ||
        def.type === 'u64' ||
        def.type === 'framenum'
      )
        return fail(`unsigned integer for ${def.abbrev}`);
      return fail(`integer for ${def.abbrev}`);
    }
  }
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * An absolute time as Wireshark writes and reads it (`Nov 24, 2026 07:08:08.095812000 UTC`, or
 * `2026-11-24 07:08:08Z`), in seconds since 1970; null when it is not one. Without a zone
 * the time is taken as UTC (Wireshark takes local time; the app shows UTC).
 */
function absTime(text: string): number | null {
  let y: number, mo: number, d: number, h: number, mi: number, sec: number, frac: string | undefined;
  let m = /^([A-Za-z]{3})\s+(\d{1,2}),\s*(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})(\.\d+)?(\s*UTC)?$/.exec(
    text.trim(),
  );
  if (m) {
    mo = MONTHS.indexOf(m[1].toLowerCase());
    if (mo < 0) return null;
    [d, y, h, mi, sec, frac] = [+m[2], +m[3], +m[4], +m[5], +m[6], m[7]];
  } else {
    m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2}):(\d{2})(\.\d+)?Z?$/.exec(text.trim());
    if (!m) return null;
    [y, mo, d, h, mi, sec, frac] = [+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], m[7]];
  }
  return Date.UTC(y, mo, d, h, mi, sec) / 1000 + (frac ? Number(frac) : 0);
}

function parseInteger(s: string): number | bigint | null {
  let m = /^([-+]?)0x([0-9a-f]+)$/i.exec(s);
  let n: bigint | null = null;
  if (m) n = BigInt('0x' + m[2]) * (m[1] === '-' ? -1n : 1n);
  else if ((m = /^([-+]?)0b([01]+)$/i.exec(s))) n = BigInt('0b' + m[2]) * (m[1] === '-' ? -1n : 1n);
  else if ((m = /^([-+]?)0([0-7]+)$/.exec(s))) n = BigInt('0o' + m[2]) * (m[1] === '-' ? -1n : 1n);
  else if (/^[-+]?\d+$/.test(s)) n = BigInt(s);
  if (n === null) return null;
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

function parseBytes(s: string): Uint8Array | null {
  // aa:bb:cc, aa-bb-cc, aa.bb.cc, aabb.ccdd.eeff (Cisco MAC), or one or more bare hex pairs.
  let parts: string[];
  if (/^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i.test(s)) parts = s.replace(/\./g, '').match(/../g)!;
  else if (/[:.-]/.test(s)) parts = s.split(/[:.-]/);
  else if (/^([0-9a-f]{2})+$/i.test(s)) parts = s.match(/../g)!;
  else if (/^[0-9a-f]$/i.test(s)) parts = [s];
  else return null;
  if (!parts.length || parts.some((p) => !/^[0-9a-f]{1,2}$/i.test(p))) return null;
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

function parseIpv6(s: string): Uint8Array | null {
  let text = s;
  const tail: number[] = [];
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const b = v4.slice(1).map(Number);
    if (b.some((x) => x > 255)) return null;
    tail.push((b[0] << 8) | b[1], (b[2] << 8) | b[3]);
    text = text.slice(0, v4.index) + (text.endsWith(':' + v4[0]) || v4.index === 0 ? '' : '');
    if (text.endsWith(':') && !text.endsWith('::')) text = text.slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (h: string) => (h === '' ? [] : h.split(':'));
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  const groups = [...head, ...rest];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return null;
  const total = groups.length + tail.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return null;
  const words = [
    ...head.map((g) => parseInt(g, 16)),
    ...new Array<number>(8 - total).fill(0),
    ...rest.map((g) => parseInt(g, 16)),
    ...tail,
  ];
  const out = new Uint8Array(16);
  words.forEach((w, i) => {
    out[i * 2] = w >> 8;
    out[i * 2 + 1] = w & 0xff;
  });
  return out;
}

function comparator(op: string): (a: Val, b: Val) => boolean {
  switch (op) {
    case 'any_eq':
    case 'all_eq':
      return equal;
    case 'all_ne':
    case 'any_ne':
      return (a, b) => !equal(a, b);
    case 'lt':
      return (a, b) => order(a, b) < 0;
    case 'gt':
      return (a, b) => order(a, b) > 0;
    case 'le':
      return (a, b) => order(a, b) <= 0;
    default:
      return (a, b) => order(a, b) >= 0;
  }
}

function equal(a: Val, b: Val): boolean {
  if (a.t === 'ipv4' && b.t === 'ipv4') {
    const prefix = Math.min(a.prefix, b.prefix);
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return (a.v & mask) >>> 0 === (b.v & mask) >>> 0;
  }
  if (a.t === 'ipv6' && b.t === 'ipv6') {
    const prefix = Math.min(a.prefix, b.prefix);
    for (let bit = 0; bit < prefix; bit += 8) {
      const m = prefix - bit >= 8 ? 0xff : (0xff << (8 - (prefix - bit))) & 0xff;
      if ((a.v[bit >> 3] & m) !== (b.v[bit >> 3] & m)) return false;
    }
    return true;
  }
  return order(a, b) === 0;
}

/** Ordering within a type; values of different kinds compare through their bytes or text. */
function order(a: Val, b: Val): number {
  if (
    (a.t === 'num' || a.t === 'float' || a.t === 'time' || a.t === 'bool') &&
    (b.t === 'num' || b.t === 'float' || b.t === 'time' || b.t === 'bool')
  ) {
    const x = a.t === 'bool' ? (a.v ? 1 : 0) : a.v;
    const y = b.t === 'bool' ? (b.v ? 1 : 0) : b.v;
    if (typeof x === 'bigint' || typeof y === 'bigint') {
      const bx = typeof x === 'bigint' ? x : BigInt(Math.trunc(x as number));
      const by = typeof y === 'bigint' ? y : BigInt(Math.trunc(y as number));
      return bx < by ? -1 : bx > by ? 1 : 0;
    }
    return (x as number) < (y as number) ? -1 : (x as number) > (y as number) ? 1 : 0;
  }
  if (a.t === 'ipv4' && b.t === 'ipv4') return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
  if (a.t === 'str' && b.t === 'str') return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
  const x = bytesOf(a);
  const y = bytesOf(b);
  if (!x || !y) return NaN;
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

function contains(a: Val, b: Val): boolean {
  if (a.t === 'str' && b.t === 'str') return a.v.includes(b.v);
  const x = bytesOf(a);
  const y = bytesOf(b);
  if (!x || !y) return false;
  if (!y.length) return true;
  outer: for (let i = 0; i + y.length <= x.length; i++) {
    for (let j = 0; j < y.length; j++) if (x[i + j] !== y[j]) continue outer;
    return true;
  }
  return false;
}

function bitAnd(a: Val, b: Val, span: Span): Val {
  if (a.t === 'num' && b.t === 'num') {
    if (typeof a.v === 'bigint' || typeof b.v === 'bigint') return { t: 'num', v: BigInt(a.v) & BigInt(b.v) };
    return { t: 'num', v: Number(BigInt(a.v) & BigInt(b.v) & 0xffffffffffffn) };
  }
  const x = bytesOf(a);
  const y = bytesOf(b);
  if (!x || !y) throw new SemanticError('"&" needs integer or byte string operands.', span);
  const out = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] & (y[i] ?? 0);
  return { t: 'bytes', v: out };
}

function truthy(v: Val): boolean {
  if (v.t === 'num') return v.v !== 0 && v.v !== 0n;
  if (v.t === 'bool') return v.v;
  if (v.t === 'bytes') return v.v.some((x) => x !== 0);
  return true;
}

function bytesOf(v: Val): Uint8Array | null {
  switch (v.t) {
    case 'bytes':
      return v.v;
    case 'str':
      return utf8(v.v);
    case 'ipv4':
      return Uint8Array.of(v.v >>> 24, (v.v >>> 16) & 0xff, (v.v >>> 8) & 0xff, v.v & 0xff);
    case 'ipv6':
      return v.v;
    default:
      return null;
  }
}

function byteLength(v: Val): number {
  if (v.t === 'str') return utf8(v.v).length;
  return bytesOf(v)?.length ?? 0;
}

function textOf(v: Val): string {
  if (v.t === 'str') return v.v;
  const b = bytesOf(v);
  if (b) {
    let s = '';
    for (const x of b) s += String.fromCharCode(x);
    return s;
  }
  return String(v.v);
}

function regexOf(src: string, span: Span): RegExp {
  // Wireshark 4.0 compiles `matches` case-insensitively (PCRE2_CASELESS); `(?-i)` turns it off.
  let flags = 'si';
  let body = src;
  const m = /^\(\?([imsx]*)(?:-([imsx]+))?\)/.exec(body);
  if (m && (m[1] || m[2])) {
    body = body.slice(m[0].length);
    if (m[2]?.includes('i')) flags = flags.replace('i', '');
    if (m[1].includes('m') && !flags.includes('m')) flags += 'm';
  }
  try {
    return new RegExp(body, flags);
  } catch (e) {
    throw new SemanticError(`"${src}" is not a valid regular expression: ${(e as Error).message}`, span);
  }
}

function utf8(s: string): Uint8Array {
  return encodeUtf8(s);
}

function joinSpan(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/** The registered name closest to `name` (edit distance ≤ a third of its length), for hints. */
function closest(name: string): string | null {
  let best: string | null = null;
  let bestD = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const f of allFields()) {
    const a = f.abbrev;
    if (Math.abs(a.length - name.length) >= bestD) continue;
    const d = editDistance(name.toLowerCase(), a, bestD);
    if (d < bestD) {
      bestD = d;
      best = a;
    }
  }
  return best;
}

function editDistance(a: string, b: string, cap: number): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin >= cap) return cap;
    prev = cur;
  }
  return prev[b.length];
}
