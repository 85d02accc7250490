// The packet index: one compact record per packet, kept as a struct of arrays (one typed array per
// column), never as an object per packet. It is what the packet list, `info`, conversations and
// display filters on index fields (`tcp.port == 80`, `ip.addr == 10.0.0.0/8`,
// `tcp.flags.syn == 1`) read without dissecting a packet again.
//
// Records live in fixed-size blocks, each block one buffer holding every column. Growing never
// copies what is already there (no doubling spike at a million packets), and a block can be a
// SharedArrayBuffer: the index worker fills it while the main side reads the same memory up to
// the count the worker last published (docs/decisions/index-worker.md).
import type { FrameMeta } from '../dissect/packet';
import { AddressTable, StringTable } from './intern';

export const BLOCK_BITS = 14;
/** Records per block (16384: ~850 KiB a block, ~61 blocks for a million packets). */
export const BLOCK_SIZE = 1 << BLOCK_BITS;
const BLOCK_MASK = BLOCK_SIZE - 1;

/** Bits of the per-packet `flags` column. */
export const PacketFlag = {
  /** caplen < origlen: the capture cut the packet short (snaplen). */
  truncated: 1 << 0,
  /** Some layer is malformed. */
  malformed: 1 << 1,
  /** The record carries a comment (kept in `PacketIndex.comments`). */
  comment: 1 << 2,
  /** Ports and stream belong to TCP. */
  tcp: 1 << 3,
  /** Ports and stream belong to UDP. */
  udp: 1 << 4,
  /** Addresses are network-layer (IPv4/IPv6) rather than link-layer. */
  net: 1 << 5,
  /**
   * More than one network or transport layer (an ICMP error quoting a packet, a tunnel): the
   * record's addresses and ports are the innermost ones, so filters dissect such frames.
   */
  nested: 1 << 6,
} as const;
/** Highest expert severity of the packet (0 none, 1 comment … 5 error) sits in these bits. */
export const SEVERITY_SHIFT = 8;
export const SEVERITY_MASK = 7 << SEVERITY_SHIFT;

/** The columns of one block. Every array has BLOCK_SIZE entries over one shared buffer. */
export interface IndexBlock {
  buffer: ArrayBufferLike;
  /** File offset of the packet's first data byte. Float64: files pass 4 GiB. */
  dataOffset: Float64Array;
  /** Timestamp seconds (Float64: pcapng seconds do not fit 32 bits) and nanoseconds. */
  tsSec: Float64Array;
  tsNsec: Uint32Array;
  caplen: Uint32Array;
  origlen: Uint32Array;
  /** Interned address ids (AddressTable), -1 when none. */
  src: Int32Array;
  dst: Int32Array;
  /** tcp.stream / udp.stream (see flags for which), -1 when none. */
  stream: Int32Array;
  srcport: Uint16Array;
  dstport: Uint16Array;
  /**
   * Interned protocol chain, outermost first without `frame` ("eth:ip:tcp:http"; StringTable
   * `protocols`, shared/index/chains.ts): its last entry is the innermost protocol.
   */
  proto: Uint16Array;
  /** Interned interface + link type (LinkTable). */
  link: Uint16Array;
  /** TCP header flags (the 12 bits Wireshark's tcp.flags shows), 0 when not TCP. */
  tcpFlags: Uint16Array;
  flags: Uint16Array;
}

/** Bytes of one record across all columns. */
export const RECORD_BYTES = 8 + 8 + 4 + 4 + 4 + 4 + 4 + 4 + 2 + 2 + 2 + 2 + 2 + 2;

export type BufferAllocator = (bytes: number) => ArrayBufferLike;

export const plainBuffers: BufferAllocator = (bytes) => new ArrayBuffer(bytes);
export const sharedBuffers: BufferAllocator = (bytes) => new SharedArrayBuffer(bytes);

/** Lays the columns over a buffer of BLOCK_SIZE * RECORD_BYTES bytes, widest first (alignment). */
export function blockOver(buffer: ArrayBufferLike): IndexBlock {
  const n = BLOCK_SIZE;
  let at = 0;
  const take = <T>(make: (b: ArrayBufferLike, o: number, n: number) => T, width: number): T => {
    const a = make(buffer, at, n);
    at += width * n;
    return a;
  };
  return {
    buffer,
    dataOffset: take((b, o, k) => new Float64Array(b, o, k), 8),
    tsSec: take((b, o, k) => new Float64Array(b, o, k), 8),
    tsNsec: take((b, o, k) => new Uint32Array(b, o, k), 4),
    caplen: take((b, o, k) => new Uint32Array(b, o, k), 4),
    origlen: take((b, o, k) => new Uint32Array(b, o, k), 4),
    src: take((b, o, k) => new Int32Array(b, o, k), 4),
    dst: take((b, o, k) => new Int32Array(b, o, k), 4),
    stream: take((b, o, k) => new Int32Array(b, o, k), 4),
    srcport: take((b, o, k) => new Uint16Array(b, o, k), 2),
    dstport: take((b, o, k) => new Uint16Array(b, o, k), 2),
    proto: take((b, o, k) => new Uint16Array(b, o, k), 2),
    link: take((b, o, k) => new Uint16Array(b, o, k), 2),
    tcpFlags: take((b, o, k) => new Uint16Array(b, o, k), 2),
    flags: take((b, o, k) => new Uint16Array(b, o, k), 2),
  };
}

/** What a released block's place holds: empty columns (a read gives undefined). */
const RELEASED: IndexBlock = blockOverEmpty();

function blockOverEmpty(): IndexBlock {
  const b = new ArrayBuffer(0);
  return {
    buffer: b,
    dataOffset: new Float64Array(b),
    tsSec: new Float64Array(b),
    tsNsec: new Uint32Array(b),
    caplen: new Uint32Array(b),
    origlen: new Uint32Array(b),
    src: new Int32Array(b),
    dst: new Int32Array(b),
    stream: new Int32Array(b),
    srcport: new Uint16Array(b),
    dstport: new Uint16Array(b),
    proto: new Uint16Array(b),
    link: new Uint16Array(b),
    tcpFlags: new Uint16Array(b),
    flags: new Uint16Array(b),
  };
}

/** An interface as packets refer to it: link type and timestamp precision. */
export interface LinkEntry {
  /** Interface id as the packet carries it (frame.interface_id). */
  ifid: number;
  linktype: number;
  /** Decimal digits of timestamp precision (6 µs, 9 ns), for the Time column. */
  digits: number;
}

/** The parts of the index that are not per-packet arrays, for a worker to hand over in deltas. */
export interface IndexTablesDelta {
  addresses: ReturnType<AddressTable['entriesFrom']>;
  protocols: string[];
  links: LinkEntry[];
  comments: [number, string][];
}

/** Where each table stood at the last delta. */
export interface DeltaMark {
  addresses: number;
  protocols: number;
  links: number;
  comments: number;
}

export class PacketIndex {
  readonly blocks: IndexBlock[] = [];
  readonly addresses = new AddressTable();
  readonly protocols = new StringTable();
  readonly links: LinkEntry[] = [];
  /** Packet comments by 0-based index (sparse: few packets carry one). */
  readonly comments = new Map<number, string>();
  private readonly commentOrder: number[] = [];
  private n = 0;
  private lastIfid = -1;
  private lastLinktype = -1;
  private lastDigits = -1;
  private lastLinkId = -1;
  private readonly alloc: BufferAllocator;
  /** Called with each new block, before a record is written to it (the worker posts it). */
  onBlock: ((block: IndexBlock, index: number) => void) | null = null;
  /** Time of record 0, kept when its block is released. */
  private keptSec = 0;
  private keptNsec = 0;
  /** Blocks handed back by `release`, for the next records. */
  private readonly spare: IndexBlock[] = [];
  private released = 0;

  constructor(alloc: BufferAllocator = plainBuffers) {
    this.alloc = alloc;
  }

  /** Time of record 0 (what relative times count from); 0 when there is none. */
  get firstSec(): number {
    return this.released ? this.keptSec : this.count ? this.tsSec(0) : 0;
  }

  get firstNsec(): number {
    return this.released ? this.keptNsec : this.count ? this.tsNsec(0) : 0;
  }

  /** Packets in the index. */
  get count(): number {
    return this.n;
  }

  /** Bytes held by the per-packet columns (for memory reports). */
  get byteSize(): number {
    return this.blocks.length * BLOCK_SIZE * RECORD_BYTES;
  }

  /**
   * Starts record `count` with what the reader knows; returns its 0-based index. The dissection
   * columns start empty (no addresses, no stream) until `setDissected`.
   */
  add(
    dataOffset: number,
    tsSec: number,
    tsNsec: number,
    caplen: number,
    origlen: number,
    link: number,
  ): number {
    const i = this.n;
    const bi = i >>> BLOCK_BITS;
    if (bi === this.blocks.length) this.newBlock();
    const b = this.blocks[bi];
    const j = i & BLOCK_MASK;
    b.dataOffset[j] = dataOffset;
    b.tsSec[j] = tsSec;
    b.tsNsec[j] = tsNsec;
    b.caplen[j] = caplen;
    b.origlen[j] = origlen;
    b.link[j] = link;
    b.src[j] = -1;
    b.dst[j] = -1;
    b.stream[j] = -1;
    b.srcport[j] = 0;
    b.dstport[j] = 0;
    b.proto[j] = 0;
    b.tcpFlags[j] = 0;
    b.flags[j] = caplen < origlen ? PacketFlag.truncated : 0;
    this.n = i + 1;
    return i;
  }

  setComment(i: number, comment: string): void {
    if (!this.comments.has(i)) this.commentOrder.push(i);
    this.comments.set(i, comment);
    this.blocks[i >>> BLOCK_BITS].flags[i & BLOCK_MASK] |= PacketFlag.comment;
  }

  /** The link id for an interface and link type, interned (a capture has few). */
  linkId(ifid: number, linktype: number, digits: number): number {
    // Almost every packet names the interface of the packet before it: three small-integer compares.
    if (ifid === this.lastIfid && linktype === this.lastLinktype && digits === this.lastDigits)
      return this.lastLinkId;
    let id = this.links.findIndex((l) => l.ifid === ifid && l.linktype === linktype && l.digits === digits);
    if (id < 0) {
      id = this.links.length;
      this.links.push({ ifid, linktype, digits });
    }
    this.lastIfid = ifid;
    this.lastLinktype = linktype;
    this.lastDigits = digits;
    this.lastLinkId = id;
    return id;
  }

  // ---- per-packet reads (i is 0-based) --------------------------------------------------------

  block(i: number): IndexBlock {
    return this.blocks[i >>> BLOCK_BITS];
  }
  dataOffset(i: number): number {
    return this.blocks[i >>> BLOCK_BITS].dataOffset[i & BLOCK_MASK];
  }
  tsSec(i: number): number {
    return this.blocks[i >>> BLOCK_BITS].tsSec[i & BLOCK_MASK];
  }
  tsNsec(i: number): number {
    return this.blocks[i >>> BLOCK_BITS].tsNsec[i & BLOCK_MASK];
  }
  caplen(i: number): number {
    return this.blocks[i >>> BLOCK_BITS].caplen[i & BLOCK_MASK];
  }
  origlen(i: number): number {
    return this.blocks[i >>> BLOCK_BITS].origlen[i & BLOCK_MASK];
  }
  src(i: number): number {
    return this.blocks[i >>> BLOCK_BITS].src[i & BLOCK_MASK];
  }
  dst(i: number): number {
    return this.blocks[i >>> BLOCK_BITS].dst[i & BLOCK_MASK];
  }
  stream(i: number): number {
    return this.blocks[i >>> BLOCK_BITS].stream[i & BLOCK_MASK];
  }
  srcport(i: number): number {
    return this.blocks[i >>> BLOCK_BITS].srcport[i & BLOCK_MASK];
  }
  dstport(i: number): number {
    return this.blocks[i >>> BLOCK_BITS].dstport[i & BLOCK_MASK];
  }
  proto(i: number): number {
    return this.blocks[i >>> BLOCK_BITS].proto[i & BLOCK_MASK];
  }
  link(i: number): LinkEntry {
    return this.links[this.blocks[i >>> BLOCK_BITS].link[i & BLOCK_MASK]];
  }
  tcpFlags(i: number): number {
    return this.blocks[i >>> BLOCK_BITS].tcpFlags[i & BLOCK_MASK];
  }
  flags(i: number): number {
    return this.blocks[i >>> BLOCK_BITS].flags[i & BLOCK_MASK];
  }

  /** What the engine needs to dissect packet i again (frame numbers are i + 1). */
  meta(i: number): FrameMeta {
    const l = this.link(i);
    const m: FrameMeta = {
      number: i + 1,
      tsSec: this.tsSec(i),
      tsNsec: this.tsNsec(i),
      caplen: this.caplen(i),
      origlen: this.origlen(i),
      linktype: l.linktype,
      ifid: l.ifid,
    };
    const comment = this.comments.get(i);
    if (comment !== undefined) m.comment = comment;
    return m;
  }

  // ---- handing the index to another thread ----------------------------------------------------

  /** Everything added to the tables since `mark`; moves `mark` forward. */
  tablesDelta(mark: DeltaMark): IndexTablesDelta {
    const d: IndexTablesDelta = {
      addresses: this.addresses.entriesFrom(mark.addresses),
      protocols: this.protocols.entriesFrom(mark.protocols),
      links: this.links.slice(mark.links),
      comments: this.commentOrder.slice(mark.comments).map((i) => [i, this.comments.get(i)!]),
    };
    mark.addresses = this.addresses.size;
    mark.protocols = this.protocols.size;
    mark.links = this.links.length;
    mark.comments = this.commentOrder.length;
    return d;
  }

  /**
   * The reading side of a worker's index: adopts a block the worker allocated (shared memory, so
   * later writes show up) and the table entries it announced, then makes `count` records visible.
   */
  adoptBlock(index: number, buffer: ArrayBufferLike): void {
    while (this.blocks.length <= index) this.blocks.push(undefined as unknown as IndexBlock);
    this.blocks[index] = blockOver(buffer);
  }
  applyDelta(d: IndexTablesDelta): void {
    this.addresses.load(d.addresses);
    this.protocols.load(d.protocols);
    for (const l of d.links) this.links.push(l);
    for (const [i, c] of d.comments) {
      if (!this.comments.has(i)) this.commentOrder.push(i);
      this.comments.set(i, c);
    }
  }
  publish(count: number): void {
    if (count > this.n) this.n = count;
  }

  /**
   * Records before `i` will not be read again: the blocks wholly before it are reused for later
   * records (a pass that reads a capture once keeps a block or two instead of ~50 MiB a million
   * packets). Reading a released record is an error; `count` and the tables are unchanged.
   */
  release(i: number): void {
    const upTo = Math.max(0, Math.min(i, this.n)) >>> BLOCK_BITS;
    if (upTo > 0 && this.released === 0) {
      this.keptSec = this.tsSec(0);
      this.keptNsec = this.tsNsec(0);
    }
    for (; this.released < upTo; this.released++) {
      this.spare.push(this.blocks[this.released]);
      this.blocks[this.released] = RELEASED;
    }
  }

  private newBlock(): void {
    // Every column of a record is written by `add`, so a reused block needs no clearing.
    const b = this.spare.pop() ?? blockOver(this.alloc(BLOCK_SIZE * RECORD_BYTES));
    this.blocks.push(b);
    this.onBlock?.(b, this.blocks.length - 1);
  }
}
