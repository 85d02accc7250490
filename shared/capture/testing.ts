// Test support: builds pcap and pcapng bytes by hand, field by field, so reader tests state
// exactly what is on the wire. Written independently of the readers on purpose (a writer that
// shared the readers' assumptions would prove nothing). Product code does not import this file.
import { encodeUtf8 } from './text';

export type Endian = 'le' | 'be';

export function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function utf8(s: string): Uint8Array {
  return encodeUtf8(s);
}

/** Little helper to write integers in one byte order. */
export class Bytes {
  private parts: number[] = [];
  constructor(readonly endian: Endian) {}
  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.endian === 'le' ? this.u8(v).u8(v >>> 8) : this.u8(v >>> 8).u8(v);
  }
  u32(v: number): this {
    const b = [(v >>> 0) & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
    if (this.endian === 'be') b.reverse();
    this.parts.push(...b);
    return this;
  }
  u64(v: bigint): this {
    const lo = Number(BigInt.asUintN(64, v) & 0xffffffffn);
    const hi = Number(BigInt.asUintN(64, v) >> 32n);
    return this.endian === 'le' ? this.u32(lo).u32(hi) : this.u32(hi).u32(lo);
  }
  raw(b: Uint8Array | number[]): this {
    for (const x of b) this.parts.push(x);
    return this;
  }
  pad4(): this {
    while (this.parts.length % 4) this.parts.push(0);
    return this;
  }
  get length(): number {
    return this.parts.length;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

// ---- classic pcap ----

export interface PcapHeaderSpec {
  endian?: Endian;
  nano?: boolean;
  major?: number;
  minor?: number;
  snaplen?: number;
  /** The whole link-type field (upper bits may carry FCS information). */
  linktype?: number;
}

export function pcapHeader(s: PcapHeaderSpec = {}): Uint8Array {
  const b = new Bytes(s.endian ?? 'le');
  b.u32(s.nano ? 0xa1b23c4d : 0xa1b2c3d4)
    .u16(s.major ?? 2)
    .u16(s.minor ?? 4)
    .u32(0)
    .u32(0)
    .u32(s.snaplen ?? 262144)
    .u32(s.linktype ?? 1);
  return b.done();
}

export interface PcapRecordSpec {
  endian?: Endian;
  sec: number;
  frac: number;
  data: Uint8Array;
  /** Defaults to data.length; set to lie about the captured length. */
  caplen?: number;
  origlen?: number;
}

export function pcapRecord(r: PcapRecordSpec): Uint8Array {
  const b = new Bytes(r.endian ?? 'le');
  b.u32(r.sec)
    .u32(r.frac)
    .u32(r.caplen ?? r.data.length)
    .u32(r.origlen ?? r.data.length)
    .raw(r.data);
  return b.done();
}

// ---- pcapng ----

export type OptValue = Uint8Array | string;

export interface Opt {
  code: number;
  value: OptValue;
}

export function opt(code: number, value: OptValue): Opt {
  return { code, value };
}

export function optU8(code: number, v: number): Opt {
  return { code, value: Uint8Array.of(v) };
}

export function optU32(code: number, v: number, endian: Endian): Opt {
  return { code, value: new Bytes(endian).u32(v).done() };
}

export function optU64(code: number, v: bigint, endian: Endian): Opt {
  return { code, value: new Bytes(endian).u64(v).done() };
}

/** Options list; `end` adds opt_endofopt (the spec allows leaving it out). */
export function options(endian: Endian, opts: Opt[], end = true): Uint8Array {
  if (!opts.length) return new Uint8Array(0);
  const b = new Bytes(endian);
  for (const o of opts) {
    const v = typeof o.value === 'string' ? utf8(o.value) : o.value;
    b.u16(o.code).u16(v.length).raw(v).pad4();
  }
  if (end) b.u16(0).u16(0);
  return b.done();
}

/** A whole block: type, total length, body (padded to 4), total length again. */
export function block(
  endian: Endian,
  type: number,
  body: Uint8Array,
  opts: { trailer?: number; total?: number } = {},
): Uint8Array {
  const pad = (4 - (body.length % 4)) % 4;
  const total = opts.total ?? 12 + body.length + pad;
  return new Bytes(endian)
    .u32(type)
    .u32(total)
    .raw(body)
    .raw(new Array<number>(pad).fill(0))
    .u32(opts.trailer ?? total)
    .done();
}

export function shb(endian: Endian, opts: Opt[] = [], version: [number, number] = [1, 0]): Uint8Array {
  const body = concat(
    new Bytes(endian).u32(0x1a2b3c4d).u16(version[0]).u16(version[1]).u64(-1n).done(),
    options(endian, opts),
  );
  return block(endian, 0x0a0d0d0a, body);
}

export function idb(endian: Endian, linktype: number, snaplen: number, opts: Opt[] = []): Uint8Array {
  const body = concat(new Bytes(endian).u16(linktype).u16(0).u32(snaplen).done(), options(endian, opts));
  return block(endian, 1, body);
}

export interface EpbSpec {
  ifid?: number;
  /** Timestamp in interface ticks. */
  ts: bigint;
  data: Uint8Array;
  caplen?: number;
  origlen?: number;
  opts?: Opt[];
}

export function epb(endian: Endian, p: EpbSpec): Uint8Array {
  const t = BigInt.asUintN(64, p.ts);
  const b = new Bytes(endian)
    .u32(p.ifid ?? 0)
    .u32(Number(t >> 32n))
    .u32(Number(t & 0xffffffffn))
    .u32(p.caplen ?? p.data.length)
    .u32(p.origlen ?? p.data.length)
    .raw(p.data)
    .pad4();
  return block(endian, 6, concat(b.done(), options(endian, p.opts ?? [])));
}

export function spb(endian: Endian, origlen: number, data: Uint8Array): Uint8Array {
  return block(endian, 3, new Bytes(endian).u32(origlen).raw(data).pad4().done());
}

export function opb(endian: Endian, p: EpbSpec & { drops?: number }): Uint8Array {
  const t = BigInt.asUintN(64, p.ts);
  const b = new Bytes(endian)
    .u16(p.ifid ?? 0)
    .u16(p.drops ?? 0)
    .u32(Number(t >> 32n))
    .u32(Number(t & 0xffffffffn))
    .u32(p.caplen ?? p.data.length)
    .u32(p.origlen ?? p.data.length)
    .raw(p.data)
    .pad4();
  return block(endian, 2, concat(b.done(), options(endian, p.opts ?? [])));
}

export interface NameSpec {
  /** 4 bytes (IPv4) or 16 bytes (IPv6). */
  address: number[];
  names: string[];
}

export function nrb(endian: Endian, records: NameSpec[], opts: Opt[] = []): Uint8Array {
  const b = new Bytes(endian);
  for (const r of records) {
    const value: number[] = [...r.address];
    for (const n of r.names) value.push(...utf8(n), 0);
    b.u16(r.address.length === 4 ? 1 : 2)
      .u16(value.length)
      .raw(value)
      .pad4();
  }
  b.u16(0).u16(0);
  return block(endian, 4, concat(b.done(), options(endian, opts)));
}

export function isb(endian: Endian, ifid: number, ts: bigint, opts: Opt[] = []): Uint8Array {
  const t = BigInt.asUintN(64, ts);
  const body = new Bytes(endian)
    .u32(ifid)
    .u32(Number(t >> 32n))
    .u32(Number(t & 0xffffffffn))
    .done();
  return block(endian, 5, concat(body, options(endian, opts)));
}

export function dsb(endian: Endian, type: number, data: Uint8Array, opts: Opt[] = []): Uint8Array {
  const body = new Bytes(endian).u32(type).u32(data.length).raw(data).pad4().done();
  return block(endian, 10, concat(body, options(endian, opts)));
}

export function customBlock(endian: Endian, type: number, pen: number, data: Uint8Array): Uint8Array {
  return block(endian, type, new Bytes(endian).u32(pen).raw(data).pad4().done());
}

/** Deterministic pseudo-random bytes (xorshift), so generated packets are reproducible. */
export function pseudoBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed | 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
