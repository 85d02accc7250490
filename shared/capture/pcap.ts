// Classic libpcap files (draft-ietf-opsawg-pcap; tcpdump.org pcap-savefile(5)): a 24-byte file
// header, then records of a 16-byte header (seconds, fraction, captured length, original length)
// and the captured bytes. Magic a1b2c3d4 = microsecond fractions, a1b23c4d = nanoseconds; the
// byte order is whichever makes the magic read right. a1b2cd34 is Kuznetzov's "modified" pcap
// (24-byte record headers), which libpcap and Wireshark also read.
//
// Departures from tshark 4.0, on purpose:
// - A fraction ≥ 1 s (corrupt, or a writer that did not normalise) is carried into the seconds;
//   tshark overflows it into a negative time.
// - Link types tshark does not know ("network type N unknown or unsupported") are read: the
//   packets go to the engine, which shows them as data.
// - Non-zero reserved bits 16–25 of the link-type field give a warning, and the type is the low
//   16 bits (the draft says readers MUST ignore them); tshark refuses the file.
// The captured-length limit is Wireshark's and libpcap's (see maxCaplen): a bigger caplen means
// a damaged file and is an error naming the offset, never an allocation.
import { Framer, type FramerOptions } from './framer';
import { linkTypeLabel, maxCaplen } from './linktypes';
import {
  newPacketSlot,
  type CaptureInfo,
  type CapturePacket,
  type CaptureSink,
  type InterfaceInfo,
} from './types';

export const PCAP_HEADER_LENGTH = 24;

/** The magics as the first four bytes read big-endian, and what they mean. */
const MAGICS: Record<number, { le: boolean; nano: boolean; modified: boolean }> = {
  0xa1b2c3d4: { le: false, nano: false, modified: false },
  0xd4c3b2a1: { le: true, nano: false, modified: false },
  0xa1b23c4d: { le: false, nano: true, modified: false },
  0x4d3cb2a1: { le: true, nano: true, modified: false },
  0xa1b2cd34: { le: false, nano: false, modified: true },
  0x34cdb2a1: { le: true, nano: false, modified: true },
};

/** True when the first four bytes (read big-endian) are a pcap magic this reader handles. */
export function isPcapMagic(be32: number): boolean {
  return MAGICS[be32 >>> 0] !== undefined;
}

export class PcapReader extends Framer {
  private headerDone = false;
  private le = true;
  private recordHeader = 16;
  private fracPerSecond = 1e6;
  private nsPerFrac = 1000;
  private linktype = 0;
  private maxCap = 0;
  private index = 0;
  private readonly slot = newPacketSlot();

  constructor(sink: CaptureSink, opts: FramerOptions = {}) {
    super(sink, opts);
  }

  protected parse(buf: Uint8Array, pos: number, end: number, base: number): number {
    if (!this.headerDone) {
      if (end - pos < PCAP_HEADER_LENGTH) {
        this.want = PCAP_HEADER_LENGTH;
        return pos;
      }
      this.header(buf, pos, base);
      pos += PCAP_HEADER_LENGTH;
    }
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const le = this.le;
    const rh = this.recordHeader;
    const max = this.maxCap;
    const perSec = this.fracPerSecond;
    const nsPer = this.nsPerFrac;
    const linktype = this.linktype;
    const sink = this.sink;
    const slot = sink.packetAt ? this.slot : null;
    for (;;) {
      const avail = end - pos;
      if (avail < rh) {
        this.want = rh;
        return pos;
      }
      const caplen = dv.getUint32(pos + 8, le);
      if (caplen > max) throw this.badCaplen(base + pos, caplen);
      const total = rh + caplen;
      if (avail < total) {
        this.want = total;
        return pos;
      }
      let sec = dv.getUint32(pos, le);
      let frac = dv.getUint32(pos + 4, le);
      if (frac >= perSec) {
        sec += Math.floor(frac / perSec);
        frac %= perSec;
      }
      const start = pos + rh;
      if (slot) {
        slot.index = this.index++;
        slot.recordOffset = base + pos;
        slot.dataOffset = base + start;
        slot.tsSec = sec;
        slot.tsNsec = frac * nsPer;
        slot.caplen = caplen;
        slot.origlen = dv.getUint32(pos + 12, le);
        slot.linktype = linktype;
        slot.buf = buf;
        slot.at = start;
        sink.packetAt!(slot);
        pos += total;
        continue;
      }
      const p: CapturePacket = {
        index: this.index++,
        recordOffset: base + pos,
        dataOffset: base + start,
        tsSec: sec,
        tsNsec: frac * nsPer,
        caplen,
        origlen: dv.getUint32(pos + 12, le),
        ifid: 0,
        section: 0,
        linktype,
        // A view made directly: `subarray` looks up the species constructor each time (2× slower).
        data: new Uint8Array(buf.buffer, buf.byteOffset + start, caplen),
      };
      sink.packet(p);
      pos += total;
    }
  }

  protected finish(left: number, at: number): void {
    if (!this.headerDone) {
      if (left === 0)
        throw this.fail(0, 'empty file (0 bytes): nothing at offset 0; expected a 24-byte pcap file header');
      throw this.fail(
        0,
        `truncated pcap file header at offset 0: ${left} of ${PCAP_HEADER_LENGTH} bytes present (${PCAP_HEADER_LENGTH - left} missing); no packets`,
      );
    }
    if (left === 0) return;
    if (this.want <= this.recordHeader) {
      this.warn(
        at,
        `truncated packet record header at offset ${at}: ${left} of ${this.recordHeader} bytes present (${this.recordHeader - left} missing); the packet is lost, every packet before it was read`,
      );
    } else {
      this.warn(
        at,
        `truncated last packet record at offset ${at}: needs ${this.want} bytes (captured length ${this.want - this.recordHeader}), only ${left} present (${this.want - left} missing); the packet is lost, every packet before it was read`,
      );
    }
  }

  private header(buf: Uint8Array, pos: number, base: number): void {
    const dv = new DataView(buf.buffer, buf.byteOffset + pos, PCAP_HEADER_LENGTH);
    const magic = dv.getUint32(0, false);
    const kind = MAGICS[magic];
    if (!kind) {
      throw this.fail(
        base + pos,
        `not a pcap file: magic ${magic.toString(16).padStart(8, '0')} at offset ${base + pos}; expected a1 b2 c3 d4 or a1 b2 3c 4d in either byte order`,
      );
    }
    const le = kind.le;
    const major = dv.getUint16(4, le);
    const minor = dv.getUint16(6, le);
    if (major !== 2) {
      throw this.fail(
        base + pos + 4,
        `unsupported pcap version ${major}.${minor} at offset ${base + pos + 4}; expected 2.x (normally 2.4)`,
      );
    }
    const snaplen = dv.getUint32(16, le);
    const field = dv.getUint32(20, le);
    // Link-type field (draft-ietf-opsawg-pcap §4): low 16 bits the LINKTYPE, bits 16–25
    // reserved, bit 26 "FCS length present", bits 28–31 the FCS length in 16-bit words.
    let linktype = field & 0x03ffffff;
    if (field & 0x03ff0000) {
      linktype = field & 0xffff;
      this.warn(
        base + pos + 20,
        `pcap link-type field 0x${field.toString(16).padStart(8, '0')} at offset ${base + pos + 20} has reserved bits set; using link type ${linkTypeLabel(linktype)}`,
      );
    }
    this.le = le;
    this.recordHeader = kind.modified ? 24 : 16;
    this.fracPerSecond = kind.nano ? 1e9 : 1e6;
    this.nsPerFrac = kind.nano ? 1 : 1000;
    this.linktype = linktype;
    this.maxCap = maxCaplen(linktype);
    this.headerDone = true;

    const info: CaptureInfo = {
      format: 'pcap',
      byteOrder: le ? 'little' : 'big',
      version: `${major}.${minor}`,
      tsDigits: kind.nano ? 9 : 6,
      sections: 1,
      sectionComments: [],
    };
    if (kind.modified) info.variant = 'modified';
    this.sink.info?.(info);
    const iface: InterfaceInfo = {
      id: 0,
      linktype,
      snaplen,
      tsPerSecond: this.fracPerSecond,
      tsResolution: kind.nano ? 9 : 6,
      tsOffset: 0,
      section: 0,
    };
    if (field & 0x04000000) iface.fcsLength = ((field >>> 28) & 0xf) * 2;
    this.sink.iface?.(iface);
  }

  private badCaplen(at: number, caplen: number): Error {
    return this.fail(
      at,
      `bad packet record at offset ${at} (packet ${this.index + 1}): captured length ${caplen} is bigger than the maximum of ${this.maxCap} bytes for link type ${linkTypeLabel(this.linktype)}; expected a record header here, the file is damaged from this point`,
    );
  }
}
