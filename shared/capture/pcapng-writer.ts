// A pcapng writer (draft-ietf-opsawg-pcapng): one Section Header Block, one Interface Description
// Block per interface actually used (written just before that interface's first packet), and an
// Enhanced Packet Block per packet. Output is little-endian. The writer returns blocks as bytes so
// the caller decides where they go (a file, a download, memory).
import { encodeUtf8 } from './text';
import type { InterfaceInfo } from './types';

const SHB = 0x0a0d0d0a;
const IDB = 0x00000001;
const EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const IF_TSRESOL = 9;
const IF_FILTER = 11;
const IF_OS = 12;
const IF_FCSLEN = 13;
const IF_HARDWARE = 15;
const EPB_FLAGS = 2;

/** What the writer needs of an interface: InterfaceInfo's fields, all but linktype optional. */
export type WriterInterface = Pick<InterfaceInfo, 'linktype'> &
  Partial<Omit<InterfaceInfo, 'linktype' | 'id' | 'section' | 'tsOffset'>>;

export interface WriterPacket {
  tsSec: number;
  tsNsec: number;
  /** Bytes on the wire; defaults to data.length. Never less than data.length. */
  origlen?: number;
  data: Uint8Array;
  /** Each becomes one opt_comment (tshark shows one frame.comment per comment). */
  comments?: readonly string[];
  flags?: number;
}

export interface WriterOptions {
  /** shb_userappl. */
  application?: string;
  /** Section comments (SHB opt_comment). */
  comments?: readonly string[];
}

interface Opt {
  code: number;
  value: Uint8Array;
}

function textOpt(code: number, text: string): Opt {
  const value = encodeUtf8(text);
  // An option's length is a 16-bit field (pcapng §3.5): a longer text cannot be written whole.
  if (value.length > 0xffff)
    throw new RangeError(
      `pcapng option ${code} is ${value.length} bytes of UTF-8; an option holds at most 65535`,
    );
  return { code, value };
}

function optionsLength(opts: readonly Opt[]): number {
  if (!opts.length) return 0;
  let n = 4; // opt_endofopt
  for (const o of opts) n += 4 + ((o.value.length + 3) & ~3);
  return n;
}

function putOptions(dv: DataView, bytes: Uint8Array, at: number, opts: readonly Opt[]): number {
  if (!opts.length) return at;
  for (const o of opts) {
    dv.setUint16(at, o.code, true);
    dv.setUint16(at + 2, o.value.length, true);
    bytes.set(o.value, at + 4);
    at += 4 + ((o.value.length + 3) & ~3);
  }
  dv.setUint32(at, OPT_ENDOFOPT, true);
  return at + 4;
}

/** A block of `body` bytes of fixed fields plus options; returns the bytes and a writer of the body. */
function block(type: number, body: number, opts: readonly Opt[]): { bytes: Uint8Array; dv: DataView } {
  const total = 12 + body + optionsLength(opts);
  const bytes = new Uint8Array(total);
  const dv = new DataView(bytes.buffer);
  dv.setUint32(0, type, true);
  dv.setUint32(4, total, true);
  putOptions(dv, bytes, 8 + body, opts);
  dv.setUint32(total - 4, total, true);
  return { bytes, dv };
}

/**
 * if_tsresol for an interface: its own when decimal (10^-n, n ≤ 9, so a µs capture stays µs and
 * tshark prints the same digits), else nanoseconds (a binary resolution is rounded to the ns the
 * reader already produced).
 */
function decimalDigits(i: WriterInterface): number {
  const r = i.tsResolution;
  if (r !== undefined && r < 0x80 && r <= 9) return r;
  if (r === undefined && i.tsPerSecond === 1e6) return 6;
  return 9;
}

export class PcapngWriter {
  private readonly ids = new Map<string, number>();
  private readonly digits: number[] = [];

  constructor(private readonly opts: WriterOptions = {}) {}

  /** The Section Header Block: write it first. */
  header(): Uint8Array {
    const opts: Opt[] = [];
    for (const c of this.opts.comments ?? []) opts.push(textOpt(OPT_COMMENT, c));
    if (this.opts.application) opts.push(textOpt(SHB_USERAPPL, this.opts.application));
    const { bytes, dv } = block(SHB, 16, opts);
    dv.setUint32(8, BYTE_ORDER_MAGIC, true);
    dv.setUint16(12, 1, true);
    dv.setUint16(14, 0, true);
    // Section length -1: not given (the section is written as it streams).
    dv.setUint32(16, 0xffffffff, true);
    dv.setUint32(20, 0xffffffff, true);
    return bytes;
  }

  /** Interfaces written so far. */
  get interfaceCount(): number {
    return this.digits.length;
  }

  /**
   * The blocks for one packet: its interface's IDB the first time `key` is seen (`key` names
   * the source interface, e.g. `${section}:${id}`), then its EPB.
   */
  packet(key: string, iface: WriterInterface, p: WriterPacket): Uint8Array[] {
    const known = this.ids.get(key);
    if (known !== undefined) return [this.packetBlock(known, p)];
    // A block that cannot be written (an option too long) leaves the writer as it was.
    const id = this.digits.length;
    const idb = this.interfaceBlock(iface);
    try {
      const epb = this.packetBlock(id, p);
      this.ids.set(key, id);
      return [idb, epb];
    } catch (e) {
      this.digits.pop();
      throw e;
    }
  }

  private interfaceBlock(i: WriterInterface): Uint8Array {
    const digits = decimalDigits(i);
    const opts: Opt[] = [];
    for (const c of i.comments ?? []) opts.push(textOpt(OPT_COMMENT, c));
    if (i.name) opts.push(textOpt(IF_NAME, i.name));
    if (i.description) opts.push(textOpt(IF_DESCRIPTION, i.description));
    opts.push({ code: IF_TSRESOL, value: Uint8Array.of(digits) });
    // if_filter: first byte 0 = a libpcap filter string.
    if (i.filter) opts.push({ code: IF_FILTER, value: Uint8Array.of(0, ...encodeUtf8(i.filter)) });
    if (i.os) opts.push(textOpt(IF_OS, i.os));
    if (i.fcsLength !== undefined) opts.push({ code: IF_FCSLEN, value: Uint8Array.of(i.fcsLength * 8) });
    if (i.hardware) opts.push(textOpt(IF_HARDWARE, i.hardware));
    const { bytes, dv } = block(IDB, 8, opts);
    dv.setUint16(8, i.linktype, true);
    dv.setUint16(10, 0, true);
    dv.setUint32(12, i.snaplen ?? 0, true);
    this.digits.push(digits);
    return bytes;
  }

  private packetBlock(id: number, p: WriterPacket): Uint8Array {
    const opts: Opt[] = [];
    for (const c of p.comments ?? []) opts.push(textOpt(OPT_COMMENT, c));
    if (p.flags !== undefined) {
      const v = new Uint8Array(4);
      new DataView(v.buffer).setUint32(0, p.flags >>> 0, true);
      opts.push({ code: EPB_FLAGS, value: v });
    }
    const cap = p.data.length;
    const { bytes, dv } = block(EPB, 20 + ((cap + 3) & ~3), opts);
    const digits = this.digits[id];
    const ticks = BigInt(p.tsSec) * 10n ** BigInt(digits) + BigInt(Math.floor(p.tsNsec / 10 ** (9 - digits)));
    dv.setUint32(8, id, true);
    dv.setUint32(12, Number(ticks >> 32n), true);
    dv.setUint32(16, Number(ticks & 0xffffffffn), true);
    dv.setUint32(20, cap, true);
    dv.setUint32(24, Math.max(p.origlen ?? cap, cap), true);
    bytes.set(p.data, 28);
    return bytes;
  }
}

/** A whole capture in one go (tests, small exports). */
export function writePcapng(
  packets: readonly { key: string; iface: WriterInterface; packet: WriterPacket }[],
  opts: WriterOptions = {},
): Uint8Array {
  const w = new PcapngWriter(opts);
  const parts = [w.header()];
  for (const x of packets) parts.push(...w.packet(x.key, x.iface, x.packet));
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
