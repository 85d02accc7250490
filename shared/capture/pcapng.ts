// pcapng (draft-ietf-opsawg-pcapng; pcapng/pcapng on GitHub). A file is one or more sections;
// each starts with a Section Header Block whose byte-order magic sets the byte order of the whole
// section, and each section has its own interfaces (IDBs), numbered from 0, to which packet
// blocks refer. Block framing: type, total length, body, total length again — the lengths are
// checked (≥ 12, a multiple of 4, at most Wireshark's MAX_BLOCK_SIZE, the same at both ends) and a
// framing error is fatal, because nothing after it can be trusted to be a block boundary.
//
// A problem INSIDE a well-framed block (an option that overruns, a packet block naming an
// interface that does not exist, a captured length bigger than its block) costs that block only:
// a warning, and reading goes on. tshark 4.0 stops the file there instead. Other departures:
// - Timestamps are exact for every if_tsresol (10^-n and 2^-n, n up to 127), truncated to ns
//   when the resolution is finer. tshark 4.0 overflows 64 bits for resolutions finer than 1 ns
//   (10^-12 ticks come out wrong) and its 2^-n ticks it converts the same way we do.
// - Custom blocks (0x00000BAD, 0x40000BAD) are skipped with one warning; tshark 4.0 lists each as
//   a frame of its own, so frame numbers after one differ from tshark's.
// - Seconds beyond 2^53 (only from absurd tick counts) lose precision in a JS number.
import { ipv4Text, ipv6Text } from '../dissect/format';
import { Framer, hexBytes, plural, type FramerOptions } from './framer';
import { optionText } from './text';
import {
  newPacketSlot,
  type CaptureInfo,
  type CapturePacket,
  type CaptureSink,
  type InterfaceInfo,
  type InterfaceStats,
  type NameRecord,
} from './types';

export const SHB_TYPE = 0x0a0d0d0a;
const IDB = 0x00000001;
const OPB = 0x00000002;
const SPB = 0x00000003;
const NRB = 0x00000004;
const ISB = 0x00000005;
const EPB = 0x00000006;
const DSB = 0x0000000a;
const CUSTOM = 0x00000bad;
const CUSTOM_NOCOPY = 0x40000bad;
const BOM = 0x1a2b3c4d;

/** Wireshark's MAX_BLOCK_SIZE: an EPB header, the largest packet of any link type, and room for options. */
export const MAX_BLOCK_SIZE = 32 + 128 * 1024 * 1024 + 131072;

const BLOCK_NAMES: Record<number, string> = {
  [SHB_TYPE]: 'Section Header Block',
  [IDB]: 'Interface Description Block',
  [OPB]: 'Packet Block (obsolete)',
  [SPB]: 'Simple Packet Block',
  [NRB]: 'Name Resolution Block',
  [ISB]: 'Interface Statistics Block',
  [EPB]: 'Enhanced Packet Block',
  [0x00000007]: 'IRIG Timestamp Block',
  [0x00000008]: 'ARINC 429 Block',
  [0x00000009]: 'systemd Journal Export Block',
  [DSB]: 'Decryption Secrets Block',
  [CUSTOM]: 'Custom Block',
  [CUSTOM_NOCOPY]: 'Custom Block (not to be copied)',
};

function blockName(type: number): string {
  return BLOCK_NAMES[type] ?? `block of unknown type 0x${type.toString(16).padStart(8, '0')}`;
}

interface Iface {
  linktype: number;
  snaplen: number;
  /** Ticks per second when the fast path applies (10^n, n ≤ 9; 2^n, n ≤ 23), else 0. */
  per: number;
  /** Nanoseconds per tick when that is a whole number (decimal resolutions), else 0. */
  nsPer: number;
  /** Ticks per second for the exact BigInt path. */
  bigPer: bigint;
  offset: number;
}

const TWO32 = 4294967296;

export class PcapngReader extends Framer {
  private le = true;
  private section = -1;
  private ifaces: Iface[] = [];
  private index = 0;
  private readonly slot = newPacketSlot();
  private info: CaptureInfo | null = null;
  private sec = 0;
  private nsec = 0;
  private warnedTypes = new Set<number>();

  constructor(sink: CaptureSink, opts: FramerOptions = {}) {
    super(sink, opts);
  }

  protected parse(buf: Uint8Array, pos: number, end: number, base: number): number {
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    for (;;) {
      const avail = end - pos;
      if (avail < 8) {
        this.want = this.section < 0 ? 12 : 8;
        return pos;
      }
      const type = dv.getUint32(pos, this.le);
      let le = this.le;
      if (type === SHB_TYPE) {
        if (avail < 12) {
          this.want = 12;
          return pos;
        }
        const bom = dv.getUint32(pos + 8, true);
        if (bom === BOM) le = true;
        else if (bom === 0x4d3c2b1a) le = false;
        else {
          throw this.fail(
            base + pos + 8,
            `bad Section Header Block at offset ${base + pos}: byte-order magic ${hexBytes(buf, pos + 8, pos + 12)} at offset ${base + pos + 8}; expected 1a 2b 3c 4d or 4d 3c 2b 1a`,
          );
        }
      } else if (this.section < 0) {
        throw this.fail(
          base + pos,
          `not a pcapng file: first block at offset ${base + pos} has type ${hexBytes(buf, pos, pos + 4)}; expected a Section Header Block (0a 0d 0d 0a)`,
        );
      }
      const total = dv.getUint32(pos + 4, le);
      const min = type === SHB_TYPE ? 28 : 12;
      if (total < min || total % 4 !== 0 || total > MAX_BLOCK_SIZE) {
        const why =
          total < min
            ? `is smaller than the minimum of ${min}`
            : total % 4 !== 0
              ? 'is not a multiple of 4'
              : `is bigger than the maximum of ${MAX_BLOCK_SIZE}`;
        throw this.fail(
          base + pos + 4,
          `bad block at offset ${base + pos} (${blockName(type)}): total length ${total} ${why}; expected a multiple of 4 between ${min} and ${MAX_BLOCK_SIZE}, the file is damaged from this point`,
        );
      }
      if (avail < total) {
        this.want = total;
        return pos;
      }
      const trailer = dv.getUint32(pos + total - 4, le);
      if (trailer !== total) {
        throw this.fail(
          base + pos + total - 4,
          `bad block at offset ${base + pos} (${blockName(type)}): trailing total length ${trailer} at offset ${base + pos + total - 4} differs from the leading ${total}; expected the same value at both ends, the file is damaged from this point`,
        );
      }
      switch (type) {
        case EPB:
          this.epb(buf, dv, pos, total, base);
          break;
        case SHB_TYPE:
          this.shb(buf, dv, pos, total, base, le);
          break;
        case IDB:
          this.idb(buf, dv, pos, total, base);
          break;
        case SPB:
          this.spb(buf, dv, pos, total, base);
          break;
        case OPB:
          this.opb(buf, dv, pos, total, base);
          break;
        case NRB:
          this.nrb(buf, dv, pos, total, base);
          break;
        case ISB:
          this.isb(buf, dv, pos, total, base);
          break;
        case DSB:
          this.dsb(buf, dv, pos, total, base);
          break;
        case CUSTOM:
        case CUSTOM_NOCOPY:
          this.skipped(
            type,
            base + pos,
            total >= 16 ? ` (Private Enterprise Number ${dv.getUint32(pos + 8, le)})` : '',
          );
          break;
        default:
          this.skipped(type, base + pos, '');
      }
      pos += total;
    }
  }

  protected finish(left: number, at: number): void {
    if (this.section < 0) {
      if (left === 0 && at === 0)
        throw this.fail(
          0,
          'empty file (0 bytes): nothing at offset 0; expected a pcapng Section Header Block',
        );
      throw this.fail(
        at,
        `truncated pcapng Section Header Block at offset ${at}: ${left} of ${this.want} bytes present (${this.want - left} missing); no packets`,
      );
    }
    if (left === 0) return;
    if (this.want <= 12 && left < 12 && this.want !== left) {
      this.warn(
        at,
        `truncated block header at offset ${at}: ${left} of ${this.want} bytes present (${this.want - left} missing); every packet before it was read`,
      );
      return;
    }
    this.warn(
      at,
      `truncated last block at offset ${at}: needs ${this.want} bytes, only ${left} present (${this.want - left} missing); every packet before it was read`,
    );
  }

  // ---- packet blocks (the hot path is epb) ----

  private epb(buf: Uint8Array, dv: DataView, pos: number, total: number, base: number): void {
    if (total < 32) return this.tooShort(EPB, base + pos, total, 32);
    this.timed(buf, dv, pos, total, base, EPB, dv.getUint32(pos + 8, this.le), 0xffff);
  }

  // OPB (obsolete) is EPB's layout with a 16-bit interface id followed by a 16-bit drop count
  // (0xffff = unknown), so both share one body.
  private opb(buf: Uint8Array, dv: DataView, pos: number, total: number, base: number): void {
    if (total < 32) return this.tooShort(OPB, base + pos, total, 32);
    this.timed(
      buf,
      dv,
      pos,
      total,
      base,
      OPB,
      dv.getUint16(pos + 8, this.le),
      dv.getUint16(pos + 10, this.le),
    );
  }

  private timed(
    buf: Uint8Array,
    dv: DataView,
    pos: number,
    total: number,
    base: number,
    type: number,
    ifid: number,
    drops: number,
  ): void {
    const le = this.le;
    const iface = this.ifaces[ifid];
    if (iface === undefined) return this.noIface(type, base + pos, ifid);
    const caplen = dv.getUint32(pos + 20, le);
    const room = total - 32;
    if (caplen > room) return this.overRoom(type, base + pos, caplen, room);
    this.ticks(iface, dv.getUint32(pos + 12, le), dv.getUint32(pos + 16, le));
    const start = pos + 28;
    const optStart = start + ((caplen + 3) & ~3);
    const optEnd = pos + total - 4;
    const slot = this.sink.packetAt ? this.slot : null;
    if (slot && drops === 0xffff && optStart + 4 > optEnd) {
      slot.index = this.index++;
      slot.recordOffset = base + pos;
      slot.dataOffset = base + start;
      slot.tsSec = this.sec;
      slot.tsNsec = this.nsec;
      slot.caplen = caplen;
      slot.origlen = dv.getUint32(pos + 24, le);
      slot.ifid = ifid;
      slot.section = this.section;
      slot.linktype = iface.linktype;
      slot.buf = buf;
      slot.at = start;
      this.sink.packetAt!(slot);
      return;
    }
    const p: CapturePacket = {
      index: this.index++,
      recordOffset: base + pos,
      dataOffset: base + start,
      tsSec: this.sec,
      tsNsec: this.nsec,
      caplen,
      origlen: dv.getUint32(pos + 24, le),
      ifid,
      section: this.section,
      linktype: iface.linktype,
      data: new Uint8Array(buf.buffer, buf.byteOffset + start, caplen),
    };
    if (drops !== 0xffff) p.drops = drops;
    if (optStart + 4 <= optEnd) this.packetOptions(p, buf, dv, optStart, optEnd, base, type);
    this.sink.packet(p);
  }

  private spb(buf: Uint8Array, dv: DataView, pos: number, total: number, base: number): void {
    if (total < 16) return this.tooShort(SPB, base + pos, total, 16);
    const iface = this.ifaces[0];
    if (iface === undefined) return this.noIface(SPB, base + pos, 0);
    const origlen = dv.getUint32(pos + 8, this.le);
    const room = total - 16;
    // No captured-length field: the packet is the original length cut to the snapshot length
    // (0 = none); the block must then hold that many bytes (its body is padded to 4).
    let caplen = iface.snaplen !== 0 && iface.snaplen < origlen ? iface.snaplen : origlen;
    if (caplen > room) {
      this.warn(
        base + pos,
        `${blockName(SPB)} at offset ${base + pos} (packet ${this.index + 1}) holds ${room} bytes of packet data, but the packet should have ${caplen} (original length ${origlen}, snapshot length ${iface.snaplen}); read as a packet of ${room} captured bytes`,
      );
      caplen = room;
    }
    const start = pos + 12;
    this.sink.packet({
      index: this.index++,
      recordOffset: base + pos,
      dataOffset: base + start,
      tsSec: 0,
      tsNsec: 0,
      caplen,
      origlen,
      ifid: 0,
      section: this.section,
      linktype: iface.linktype,
      noTimestamp: true,
      data: new Uint8Array(buf.buffer, buf.byteOffset + start, caplen),
    });
  }

  private packetOptions(
    p: CapturePacket,
    buf: Uint8Array,
    dv: DataView,
    start: number,
    end: number,
    base: number,
    type: number,
  ): void {
    const le = this.le;
    let comments: string[] | null = null;
    let at = start;
    while (end - at >= 4) {
      const code = dv.getUint16(at, le);
      const len = dv.getUint16(at + 2, le);
      if (code === 0) break;
      const v = at + 4;
      if (len > end - v) {
        this.badOption(type, base, at, code, len, end - v, p.index);
        break;
      }
      if (code === 1) (comments ??= []).push(optionText(buf, v, v + len));
      else if (code === 2 && len === 4) p.flags = dv.getUint32(v, le);
      at = v + ((len + 3) & ~3);
    }
    if (comments) {
      p.comments = comments;
      p.comment = comments.join('\n');
    }
  }

  // ---- timestamps ----

  /** Interface ticks (hi:lo, 64 bits) → this.sec / this.nsec, exactly, truncating below 1 ns. */
  private ticks(f: Iface, hi: number, lo: number): void {
    const per = f.per;
    if (per !== 0) {
      // Long division of hi·2^32 + lo by per in 16-bit steps: every intermediate stays below
      // 2^53, so it is exact in doubles; each step's floor is corrected for rounding.
      const qh = Math.floor(hi / per);
      let x = (hi - qh * per) * 65536 + (lo >>> 16);
      let q1 = Math.floor(x / per);
      x -= q1 * per;
      if (x < 0) {
        q1--;
        x += per;
      } else if (x >= per) {
        q1++;
        x -= per;
      }
      let y = x * 65536 + (lo & 0xffff);
      let q2 = Math.floor(y / per);
      y -= q2 * per;
      if (y < 0) {
        q2--;
        y += per;
      } else if (y >= per) {
        q2++;
        y -= per;
      }
      this.sec = qh * TWO32 + q1 * 65536 + q2 + f.offset;
      this.nsec = f.nsPer !== 0 ? y * f.nsPer : Math.floor((y * 1e9) / per);
      return;
    }
    const t = (BigInt(hi) << 32n) | BigInt(lo);
    this.sec = Number(t / f.bigPer) + f.offset;
    this.nsec = Number(((t % f.bigPer) * 1_000_000_000n) / f.bigPer);
  }

  // ---- section and interfaces ----

  private shb(buf: Uint8Array, dv: DataView, pos: number, total: number, base: number, le: boolean): void {
    const major = dv.getUint16(pos + 12, le);
    const minor = dv.getUint16(pos + 14, le);
    if (major !== 1) {
      throw this.fail(
        base + pos + 12,
        `unsupported pcapng version ${major}.${minor} in the Section Header Block at offset ${base + pos}; expected 1.x (normally 1.0)`,
      );
    }
    this.le = le;
    this.section++;
    this.ifaces = [];
    const comments: string[] = [];
    let hardware: string | undefined;
    let os: string | undefined;
    let application: string | undefined;
    this.options(buf, dv, pos + 24, pos + total - 4, base, SHB_TYPE, pos, (code, v, len) => {
      const text = () => optionText(buf, v, v + len);
      if (code === 1) comments.push(text());
      else if (code === 2) hardware ??= text();
      else if (code === 3) os ??= text();
      else if (code === 4) application ??= text();
    });
    const first = this.info === null;
    const info: CaptureInfo = this.info ?? {
      format: 'pcapng',
      byteOrder: le ? 'little' : 'big',
      version: `${major}.${minor}`,
      sections: 0,
      sectionComments: [],
    };
    info.sections = this.section + 1;
    info.sectionComments = [...info.sectionComments, ...comments];
    if (first) {
      if (hardware !== undefined) info.hardware = hardware;
      if (os !== undefined) info.os = os;
      if (application !== undefined) info.application = application;
    }
    this.info = info;
    this.sink.info?.({ ...info, sectionComments: [...info.sectionComments] });
  }

  private idb(buf: Uint8Array, dv: DataView, pos: number, total: number, base: number): void {
    const le = this.le;
    if (total < 20) return this.tooShort(IDB, base + pos, total, 20);
    const linktype = dv.getUint16(pos + 8, le);
    const snaplen = dv.getUint32(pos + 12, le);
    const info: InterfaceInfo = {
      id: this.ifaces.length,
      linktype,
      snaplen,
      tsPerSecond: 1e6,
      tsOffset: 0,
      section: this.section,
    };
    let tsresol = 6;
    let offset = 0;
    const comments: string[] = [];
    this.options(buf, dv, pos + 16, pos + total - 4, base, IDB, pos, (code, v, len) => {
      const text = () => optionText(buf, v, v + len);
      switch (code) {
        case 1:
          comments.push(text());
          break;
        case 2:
          info.name ??= text();
          break;
        case 3:
          info.description ??= text();
          break;
        case 9:
          if (len === 1) tsresol = buf[v];
          else
            this.warn(
              base + v - 4,
              `if_tsresol option at offset ${base + v - 4} has length ${len}; expected 1, microseconds assumed`,
            );
          break;
        case 11:
          // First byte: 0 = a libpcap filter string; other kinds (BPF bytecode) have no text.
          if (len >= 1 && buf[v] === 0) info.filter ??= optionText(buf, v + 1, v + len);
          break;
        case 12:
          info.os ??= text();
          break;
        case 13:
          if (len === 1) info.fcsLength = buf[v] / 8;
          break;
        case 14:
          if (len === 8) {
            const a = dv.getUint32(v, le);
            const b = dv.getUint32(v + 4, le);
            const hi = le ? b | 0 : a | 0;
            const lo = le ? a : b;
            offset = hi * TWO32 + lo;
          } else
            this.warn(
              base + v - 4,
              `if_tsoffset option at offset ${base + v - 4} has length ${len}; expected 8, ignored`,
            );
          break;
        case 15:
          info.hardware ??= text();
          break;
      }
    });
    if (comments.length) info.comments = comments;
    const binary = (tsresol & 0x80) !== 0;
    const exp = tsresol & 0x7f;
    const bigPer = (binary ? 2n : 10n) ** BigInt(exp);
    let per = 0;
    let nsPer = 0;
    if (!binary && exp <= 9) {
      per = 10 ** exp;
      nsPer = 10 ** (9 - exp);
    } else if (binary && exp <= 23) {
      per = 2 ** exp;
    }
    info.tsPerSecond = Number(bigPer);
    info.tsResolution = tsresol;
    info.tsOffset = offset;
    this.ifaces.push({ linktype, snaplen, per, nsPer, bigPer, offset });
    this.sink.iface?.(info);
  }

  // ---- side blocks ----

  private nrb(buf: Uint8Array, dv: DataView, pos: number, total: number, base: number): void {
    const le = this.le;
    const end = pos + total - 4;
    let at = pos + 8;
    const records: NameRecord[] = [];
    for (;;) {
      if (end - at < 4) {
        this.warn(
          base + pos,
          `${blockName(NRB)} at offset ${base + pos} ends without its end-of-records marker`,
        );
        break;
      }
      const type = dv.getUint16(at, le);
      const len = dv.getUint16(at + 2, le);
      const v = at + 4;
      if (type === 0) {
        at = v;
        break;
      }
      if (len > end - v) {
        this.warn(
          base + at,
          `${blockName(NRB)} at offset ${base + pos}: name record at offset ${base + at} claims ${len} bytes, only ${end - v} left in the block; records from here on ignored`,
        );
        at = end;
        break;
      }
      const alen = type === 1 ? 4 : type === 2 ? 16 : 0;
      if (alen && len >= alen) {
        const names: string[] = [];
        let s = v + alen;
        for (let i = s; i < v + len; i++) {
          if (buf[i] === 0) {
            if (i > s) names.push(optionText(buf, s, i));
            s = i + 1;
          }
        }
        if (s < v + len) names.push(optionText(buf, s, v + len));
        records.push({ address: alen === 4 ? ipv4Text(buf, v) : ipv6Text(buf, v), names });
      }
      at = v + ((len + 3) & ~3);
    }
    if (records.length) this.sink.names?.(records);
  }

  private isb(buf: Uint8Array, dv: DataView, pos: number, total: number, base: number): void {
    const le = this.le;
    if (total < 24) return this.tooShort(ISB, base + pos, total, 24);
    const ifid = dv.getUint32(pos + 8, le);
    const iface = this.ifaces[ifid];
    if (iface === undefined) return this.noIface(ISB, base + pos, ifid);
    this.ticks(iface, dv.getUint32(pos + 12, le), dv.getUint32(pos + 16, le));
    const s: InterfaceStats = { ifid, section: this.section, tsSec: this.sec, tsNsec: this.nsec };
    this.options(buf, dv, pos + 20, pos + total - 4, base, ISB, pos, (code, v, len) => {
      if (code === 1) s.comment ??= optionText(buf, v, v + len);
      if (len !== 8 || code < 4 || code > 8) return;
      const value = le ? dv.getBigUint64(v, true) : dv.getBigUint64(v, false);
      if (code === 4) s.received = value;
      else if (code === 5) s.dropped = value;
      else if (code === 6) s.filterAccepted = value;
      else if (code === 7) s.osDropped = value;
      else s.delivered = value;
    });
    this.sink.stats?.(s);
  }

  private dsb(buf: Uint8Array, dv: DataView, pos: number, total: number, base: number): void {
    if (total < 20) return this.tooShort(DSB, base + pos, total, 20);
    const type = dv.getUint32(pos + 8, this.le);
    const len = dv.getUint32(pos + 12, this.le);
    const room = total - 20;
    if (len > room) return this.overRoom(DSB, base + pos, len, room);
    // Copied: the secrets outlive this chunk (TLS decryption reads them later).
    this.sink.secrets?.({ type, data: buf.slice(pos + 16, pos + 16 + len) });
  }

  // ---- helpers ----

  private options(
    buf: Uint8Array,
    dv: DataView,
    start: number,
    end: number,
    base: number,
    type: number,
    pos: number,
    each: (code: number, v: number, len: number) => void,
  ): void {
    const le = this.le;
    let at = start;
    while (end - at >= 4) {
      const code = dv.getUint16(at, le);
      const len = dv.getUint16(at + 2, le);
      if (code === 0) return;
      const v = at + 4;
      if (len > end - v) {
        this.warn(
          base + at,
          `${blockName(type)} at offset ${base + pos}: option ${code} at offset ${base + at} claims ${len} bytes, only ${end - v} left in the block; options from here on ignored`,
        );
        return;
      }
      each(code, v, len);
      at = v + ((len + 3) & ~3);
    }
  }

  private badOption(
    type: number,
    base: number,
    at: number,
    code: number,
    len: number,
    left: number,
    index: number,
  ): void {
    this.warn(
      base + at,
      `${blockName(type)} of packet ${index + 1}: option ${code} at offset ${base + at} claims ${len} bytes, only ${left} left in the block; options from here on ignored, the packet is kept`,
    );
  }

  private tooShort(type: number, at: number, total: number, min: number): void {
    this.warn(
      at,
      `${blockName(type)} at offset ${at} is ${total} bytes long, shorter than the minimum of ${min}; block skipped`,
    );
  }

  private noIface(type: number, at: number, ifid: number): void {
    this.warn(
      at,
      `${blockName(type)} at offset ${at} refers to interface ${ifid}, but section ${this.section + 1} has ${plural(this.ifaces.length, 'interface')}; expected an Interface Description Block for it first, block skipped`,
    );
  }

  private overRoom(type: number, at: number, len: number, room: number): void {
    this.warn(
      at,
      `${blockName(type)} at offset ${at}: captured length ${len} is bigger than the ${room} bytes the block has room for; block skipped`,
    );
  }

  private skipped(type: number, at: number, detail: string): void {
    const key = type === CUSTOM_NOCOPY ? CUSTOM : type;
    if (this.warnedTypes.has(key)) return;
    this.warnedTypes.add(key);
    this.warn(
      at,
      `${blockName(type)}${detail} at offset ${at} skipped (not a packet); later blocks of this type are skipped silently`,
    );
  }
}
