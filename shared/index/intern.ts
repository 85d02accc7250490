// Interning for the packet index: every distinct address and protocol name is stored once and each
// packet keeps a small integer. A million packets between a few thousand hosts then cost 4 bytes
// per address instead of an object or a string each.
//
// IPv4 addresses are keyed by their 32-bit value; IPv6, MAC and other byte addresses by their bytes
// in an open-addressing table, so interning on the index pass builds no string and no key object.
import { etherText, ipv4Text, ipv6Text } from '../dissect/format';

/** What an address id stands for; the index keeps net addresses, else link addresses. */
export const AddrKind = { other: 0, ether: 1, ipv4: 4, ipv6: 6 } as const;
export type AddrKind = (typeof AddrKind)[keyof typeof AddrKind];

/** One interned address as plain data (what a batch hands to the other side of a worker). */
export interface AddressEntry {
  kind: AddrKind;
  bytes: Uint8Array;
}

const EMPTY = new Uint8Array(0);

export class AddressTable {
  private kinds = new Uint8Array(64);
  private v4s = new Uint32Array(64);
  private entries: Uint8Array[] = [];
  private readonly v4Ids = new Map<number, number>();
  /** Open-addressing slots for byte addresses: id + 1, 0 = empty. Size is a power of two. */
  private slots = new Int32Array(256);
  private used = 0;
  /**
   * The last two IPv4 addresses asked for (a packet's source and destination alternate), as keys;
   * NaN matches no key (-1 is 255.255.255.255's).
   */
  private lastV4 = NaN;
  private lastV4Id = -1;
  private prevV4 = NaN;
  private prevV4Id = -1;

  get size(): number {
    return this.entries.length;
  }

  /** The id of an IPv4 address given as its 32-bit big-endian value. */
  v4(value: number): number {
    const key = value | 0;
    if (key === this.lastV4) return this.lastV4Id;
    if (key === this.prevV4) {
      const id = this.prevV4Id;
      this.prevV4 = this.lastV4;
      this.prevV4Id = this.lastV4Id;
      this.lastV4 = key;
      this.lastV4Id = id;
      return id;
    }
    let id = this.v4Ids.get(key);
    if (id === undefined) {
      id = this.grow(AddrKind.ipv4);
      this.v4s[id] = value >>> 0;
      const b = new Uint8Array(4);
      b[0] = value >>> 24;
      b[1] = value >>> 16;
      b[2] = value >>> 8;
      b[3] = value;
      this.entries[id] = b;
      this.v4Ids.set(key, id);
    }
    this.prevV4 = this.lastV4;
    this.prevV4Id = this.lastV4Id;
    this.lastV4 = key;
    this.lastV4Id = id;
    return id;
  }

  /** The id of an address given as bytes (IPv4 bytes are routed to `v4`). */
  bytes(kind: AddrKind, b: Uint8Array, off = 0, len = b.length - off): number {
    if (kind === AddrKind.ipv4 && len === 4) {
      return this.v4(((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0);
    }
    let h = 0x811c9dc5 ^ kind;
    for (let i = 0; i < len; i++) h = Math.imul(h ^ b[off + i], 0x01000193);
    const mask = this.slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const slot = this.slots[s];
      if (slot === 0) break;
      const id = slot - 1;
      if (this.kinds[id] === kind && sameBytes(this.entries[id], b, off, len)) return id;
    }
    const id = this.grow(kind);
    this.entries[id] = b.slice(off, off + len);
    this.place(id);
    return id;
  }

  kind(id: number): AddrKind {
    return this.kinds[id] as AddrKind;
  }

  /** IPv4 value of an id (0 for other kinds): what `ip.addr == 10.0.0.0/8` compares against. */
  v4Value(id: number): number {
    return this.kinds[id] === AddrKind.ipv4 ? this.v4s[id] : 0;
  }

  addressBytes(id: number): Uint8Array {
    return this.entries[id] ?? EMPTY;
  }

  /** Display text, as Wireshark's columns show unresolved addresses. */
  text(id: number): string {
    if (id < 0 || id >= this.entries.length) return '';
    const b = this.entries[id];
    switch (this.kinds[id] as AddrKind) {
      case AddrKind.ipv4:
        return ipv4Text(b);
      case AddrKind.ipv6:
        return ipv6Text(b);
      case AddrKind.ether:
        return etherText(b, 0, b.length);
      default:
        return etherText(b, 0, b.length);
    }
  }

  /** Entries from id `from` on, for the other side of a worker to `load` in order. */
  entriesFrom(from: number): AddressEntry[] {
    const out: AddressEntry[] = [];
    for (let id = from; id < this.entries.length; id++)
      out.push({ kind: this.kinds[id] as AddrKind, bytes: this.entries[id] });
    return out;
  }

  /** Appends entries exported by `entriesFrom` (ids continue where this table ends). */
  load(entries: readonly AddressEntry[]): void {
    for (const e of entries) this.bytes(e.kind, e.bytes);
  }

  private grow(kind: AddrKind): number {
    const id = this.entries.length;
    if (id >= this.kinds.length) {
      const k = new Uint8Array(this.kinds.length * 2);
      k.set(this.kinds);
      this.kinds = k;
      const v = new Uint32Array(this.v4s.length * 2);
      v.set(this.v4s);
      this.v4s = v;
    }
    this.kinds[id] = kind;
    this.entries.push(EMPTY);
    return id;
  }

  private place(id: number): void {
    this.used++;
    if (this.used * 2 > this.slots.length) {
      const old = this.slots;
      this.slots = new Int32Array(old.length * 2);
      for (const slot of old) if (slot) this.insert(slot - 1);
    }
    this.insert(id);
  }

  private insert(id: number): void {
    const b = this.entries[id];
    let h = 0x811c9dc5 ^ this.kinds[id];
    for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
    const mask = this.slots.length - 1;
    let s = h & mask;
    while (this.slots[s] !== 0) s = (s + 1) & mask;
    this.slots[s] = id + 1;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array, off: number, len: number): boolean {
  if (a.length !== len) return false;
  for (let i = 0; i < len; i++) if (a[i] !== b[off + i]) return false;
  return true;
}

/** Strings (protocol names, link descriptions) to small ids, in order of first appearance. */
export class StringTable {
  private readonly ids = new Map<string, number>();
  private readonly list: string[] = [];

  get size(): number {
    return this.list.length;
  }

  id(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.list.length;
      this.list.push(s);
      this.ids.set(s, id);
    }
    return id;
  }

  /** The id of `s` if it was ever interned, else -1 (a filter on an absent name matches nothing). */
  find(s: string): number {
    return this.ids.get(s) ?? -1;
  }

  text(id: number): string {
    return this.list[id] ?? '';
  }

  entriesFrom(from: number): string[] {
    return this.list.slice(from);
  }

  load(entries: readonly string[]): void {
    for (const s of entries) this.id(s);
  }
}
