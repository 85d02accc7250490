// A cursor reads one layer of one frame. Reads record tree items (when a tree is wanted) with
// their byte ranges, and stop at the layer's end: a read past it throws one of two sentinels
// that the engine catches at the layer boundary, so nothing ever escapes the frame.
//
// Like Wireshark, running off the end of *captured* data inside the *declared* length is a
// truncated capture (snaplen), not a malformed packet; running off the declared length is malformed.
import { bitPicture, displayValue } from './format';
import type { Expert, ExpertGroup, FieldDef, FieldValue, Item, Severity } from './types';

export class ShortRead extends Error {
  constructor(
    readonly kind: 'truncated' | 'malformed',
    readonly at: number,
    readonly wanted: number,
  ) {
    super(kind);
  }
}

export class Cursor {
  // Not readonly: the engine's index pass keeps one cursor per depth and `reset`s it per layer
  // (see Engine.index); a dissector sees a cursor only while its own layer runs.
  data: Uint8Array;
  private viewCache: DataView | null = null;
  /** A DataView over `data`, made on first use (most layers never need one: see getU16/getU32). */
  get view(): DataView {
    return (this.viewCache ??= new DataView(this.data.buffer, this.data.byteOffset, this.data.byteLength));
  }
  /** Current read position (offset in `data`). */
  pos: number;
  /** Where this layer starts. */
  start: number;
  /** End of what may be read: min(declared end, captured end). */
  end: number;
  /** End the protocol declared (may lie beyond the captured bytes). */
  declaredEnd: number;
  /** Whether tree items are recorded (false on the fast index pass, as Wireshark's NULL tree). */
  tree: boolean;
  /**
   * Whether tree items get their display text. A filter pass reads values only, so it skips the
   * text (bit pictures, formatted values): a label-less item is still every other way the same.
   */
  labels = true;
  source: number;
  readonly items: Item[] = [];
  readonly experts: Expert[] = [];
  malformed = false;
  truncated = false;
  private readonly stack: Item[][] = [];
  private current: Item[];

  constructor(data: Uint8Array, start: number, declaredEnd: number, tree: boolean, source = 0) {
    this.data = data;
    this.start = start;
    this.pos = start;
    this.declaredEnd = declaredEnd;
    this.end = Math.min(declaredEnd, data.length);
    this.tree = tree;
    this.source = source;
    this.current = this.items;
  }

  /** The cursor made anew over another layer, its arrays emptied in place (no allocation). */
  reset(data: Uint8Array, start: number, declaredEnd: number, tree: boolean, source: number): void {
    if (data !== this.data) {
      this.data = data;
      this.viewCache = null;
    }
    this.start = start;
    this.pos = start;
    this.declaredEnd = declaredEnd;
    this.end = Math.min(declaredEnd, data.length);
    this.tree = tree;
    this.source = source;
    // `length = 0` is a runtime call even on an empty array: only pay it when there is something.
    if (this.items.length) this.items.length = 0;
    if (this.experts.length) this.experts.length = 0;
    this.malformed = false;
    this.truncated = false;
    if (this.stack.length) this.stack.length = 0;
    this.current = this.items;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** Narrows the layer to `len` bytes from its start (e.g. UDP length, IP total length). */
  limit(declaredEnd: number): void {
    if (declaredEnd < this.declaredEnd) {
      this.declaredEnd = declaredEnd;
      this.end = Math.min(declaredEnd, this.data.length);
    }
  }

  /** Throws the right sentinel unless `n` bytes are readable at `at`. */
  check(at: number, n: number): void {
    if (at + n <= this.end && at >= 0) return;
    if (at + n <= this.declaredEnd) throw new ShortRead('truncated', at, n);
    throw new ShortRead('malformed', at, n);
  }

  has(n: number, at = this.pos): boolean {
    return at + n <= this.end;
  }

  // ---- absolute reads: no items, no movement --------------------------------------------------

  getU8(at: number): number {
    this.check(at, 1);
    return this.data[at];
  }
  getU16(at: number, le = false): number {
    this.check(at, 2);
    const d = this.data;
    return le ? d[at] | (d[at + 1] << 8) : (d[at] << 8) | d[at + 1];
  }
  getU24(at: number, le = false): number {
    this.check(at, 3);
    return le
      ? this.data[at] | (this.data[at + 1] << 8) | (this.data[at + 2] << 16)
      : (this.data[at] << 16) | (this.data[at + 1] << 8) | this.data[at + 2];
  }
  getU32(at: number, le = false): number {
    this.check(at, 4);
    const d = this.data;
    return le
      ? (d[at] | (d[at + 1] << 8) | (d[at + 2] << 16) | (d[at + 3] << 24)) >>> 0
      : ((d[at] << 24) | (d[at + 1] << 16) | (d[at + 2] << 8) | d[at + 3]) >>> 0;
  }
  getU64(at: number, le = false): bigint {
    this.check(at, 8);
    return this.view.getBigUint64(at, le);
  }
  getBytes(at: number, n: number): Uint8Array {
    this.check(at, n);
    return this.data.subarray(at, at + n);
  }

  // ---- sequential reads that record items -----------------------------------------------------

  u8(f?: FieldDef): number {
    const v = this.getU8(this.pos);
    if (f && this.tree) this.push(f, this.pos, 1, v);
    this.pos += 1;
    return v;
  }
  u16(f?: FieldDef, le = false): number {
    const v = this.getU16(this.pos, le);
    if (f && this.tree) this.push(f, this.pos, 2, v);
    this.pos += 2;
    return v;
  }
  u24(f?: FieldDef, le = false): number {
    const v = this.getU24(this.pos, le);
    if (f && this.tree) this.push(f, this.pos, 3, v);
    this.pos += 3;
    return v;
  }
  u32(f?: FieldDef, le = false): number {
    const v = this.getU32(this.pos, le);
    if (f && this.tree) this.push(f, this.pos, 4, v);
    this.pos += 4;
    return v;
  }
  u64(f?: FieldDef, le = false): bigint {
    const v = this.getU64(this.pos, le);
    if (f && this.tree) this.push(f, this.pos, 8, v);
    this.pos += 8;
    return v;
  }
  /** Bytes as a view into the frame (valid while the frame is); copy to keep. */
  bytes(n: number, f?: FieldDef): Uint8Array {
    const v = this.getBytes(this.pos, n);
    if (f && this.tree) this.push(f, this.pos, n, v);
    this.pos += n;
    return v;
  }
  /** Addresses (ipv4, ipv6, ether) are read as bytes; the field's type decides how they print. */
  addr(f: FieldDef, n: number): Uint8Array {
    return this.bytes(n, f);
  }
  /** Latin-1/ASCII text of n bytes (UTF-8 decoding is the caller's when the protocol says so). */
  text(n: number, f?: FieldDef): string {
    const b = this.getBytes(this.pos, n);
    let s = '';
    for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
    if (f && this.tree) this.push(f, this.pos, n, s);
    this.pos += n;
    return s;
  }
  skip(n: number): void {
    this.check(this.pos, n);
    this.pos += n;
  }

  /**
   * Records a bit field of an already-read integer `raw` whose bytes are [at, at+len).
   * Returns the field's value: (raw & mask) >> shift, or a boolean for `bool` fields.
   */
  bits(f: FieldDef, raw: number, at: number, len: number): number {
    const mask = f.mask;
    const v = mask ? maskedValue(raw, mask) : raw;
    if (this.tree) {
      const value: FieldValue = f.type === 'bool' ? v !== 0 : v;
      const label = this.labels ? `${bitPicture(raw, mask, len)} = ${f.name}: ${displayValue(f, value)}` : '';
      this.current.push({
        abbrev: f.abbrev,
        label,
        offset: at,
        length: len,
        mask,
        value,
        source: this.source || undefined,
      });
    }
    return v;
  }

  // ---- items written by hand ------------------------------------------------------------------

  /** Adds an item for a value the dissector computed itself, over [at, at+len). */
  add(f: FieldDef, at: number, len: number, value: FieldValue, label?: string): Item | null {
    if (!this.tree) return null;
    return this.push(f, at, len, value, label);
  }

  /** A computed value (stream index, status, relative number): no bytes, marked generated. */
  generated(f: FieldDef, value: FieldValue, label?: string): Item | null {
    if (!this.tree) return null;
    const it = this.push(f, this.pos, 0, value, label);
    it.generated = true;
    return it;
  }

  /** A text-only node (no filter name). */
  label(text: string, at: number, len: number): Item | null {
    if (!this.tree) return null;
    const it: Item = { abbrev: '', label: text, offset: at, length: len, value: null };
    if (this.source) it.source = this.source;
    this.current.push(it);
    return it;
  }

  /** Items added until `close()` become children of `parent` (a field or a text label). */
  open(parent: Item | null): void {
    if (!this.tree || !parent) {
      this.stack.push(this.current);
      return;
    }
    parent.children ??= [];
    this.stack.push(this.current);
    this.current = parent.children;
  }
  close(): void {
    const prev = this.stack.pop();
    if (prev) this.current = prev;
  }
  /** `open(parent)`, run `fn`, `close()` — closing even if `fn` stops on a short read. */
  within<T>(parent: Item | null, fn: () => T): T {
    this.open(parent);
    try {
      return fn();
    } finally {
      this.close();
    }
  }

  expert(
    id: string,
    severity: Severity,
    group: ExpertGroup,
    message: string,
    at = this.start,
    len = 0,
  ): void {
    const e: Expert = { id, severity, group, message, offset: at, length: len };
    this.experts.push(e);
    if (this.tree) {
      this.current.push({
        abbrev: '_ws.expert',
        label: `[Expert Info (${severityName(severity)}/${groupName(group)}): ${message}]`,
        offset: at,
        length: len,
        value: null,
        expert: e,
        generated: true,
      });
    }
    if (group === 'malformed') this.malformed = true;
  }

  private push(f: FieldDef, at: number, len: number, value: FieldValue, label?: string): Item {
    const it: Item = {
      abbrev: f.abbrev,
      label:
        label ?? (!this.labels ? '' : f.type === 'none' ? f.name : `${f.name}: ${displayValue(f, value)}`),
      offset: at,
      length: len,
      value,
    };
    if (this.source) it.source = this.source;
    this.current.push(it);
    return it;
  }
}

export function severityName(s: Severity): string {
  return s === 'warn'
    ? 'Warning'
    : s === 'error'
      ? 'Error'
      : s === 'note'
        ? 'Note'
        : s === 'chat'
          ? 'Chat'
          : 'Comment';
}

function groupName(g: ExpertGroup): string {
  return g === 'malformed' ? 'Malformed' : g[0].toUpperCase() + g.slice(1);
}

/** The bits of `raw` under `mask`, shifted down to bit 0 (a mask of up to 32 bits). */
export function maskedValue(raw: number, mask: number): number {
  // The lowest set bit of the mask: 31 - clz32(lowest bit alone).
  const shift = 31 - Math.clz32(mask & -mask);
  return ((raw & mask) >>> shift) >>> 0;
}
