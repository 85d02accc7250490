// The contract between capture readers and everything that consumes packets. Readers are push
// parsers: `push(chunk)` any number of times with chunks of any size, then `end()`. They call the
// sink synchronously; a packet's `data` is a view that is valid only during the callback (copy it
// to keep it), so a reader never copies bytes it does not have to.
//
// Readers keep no reference to a pushed chunk after `push` returns (a record split across chunks
// is copied), so a caller may reuse its read buffer for the next chunk.

export type CaptureFormat = 'pcap' | 'pcapng';

export interface InterfaceInfo {
  /**
   * Interface id within its section (IDB order in that pcapng section, as tshark's
   * frame.interface_id; 0 for pcap). (section, id) names one interface of the file.
   */
  id: number;
  linktype: number;
  snaplen: number;
  name?: string;
  description?: string;
  /** Capture filter the interface was opened with (if_filter), when recorded. */
  filter?: string;
  os?: string;
  /** if_hardware. */
  hardware?: string;
  /** IDB opt_comment values. */
  comments?: string[];
  /** Ticks per second of this interface's timestamps (pcap: 1e6 or 1e9; pcapng: if_tsresol). */
  tsPerSecond: number;
  /** The if_tsresol byte as written (high bit set: 2^-n, else 10^-n); absent = 6 (microseconds). */
  tsResolution?: number;
  /** Seconds added to every timestamp (if_tsoffset). */
  tsOffset: number;
  /** pcapng section the interface belongs to (0-based; tshark's frame.section_number − 1). */
  section: number;
  /**
   * Bytes of FCS at the end of every packet, when the file says (pcap: link-type field bits
   * 26–31; pcapng: if_fcslen, given in bits, converted). Absent = unknown.
   */
  fcsLength?: number;
}

/**
 * One packet. Readers reuse nothing: every callback gets a fresh object (measured: reusing one
 * object gained nothing worth the aliasing hazard; see docs/decisions/capture-readers.md), but
 * `data` is a view into the reader's input and must be copied to outlive the callback.
 */
export interface CapturePacket {
  /** 0-based index in the file (frame number − 1). */
  index: number;
  /** File offset of the record (block) holding the packet. */
  recordOffset: number;
  /** File offset of the first byte of packet data. */
  dataOffset: number;
  /** Timestamp, whole seconds since the epoch and nanoseconds within the second. */
  tsSec: number;
  tsNsec: number;
  caplen: number;
  origlen: number;
  /** Interface id within the packet's section (tshark's frame.interface_id). */
  ifid: number;
  /** pcapng section of the packet, 0-based (always set by the readers here; 0 for pcap). */
  section?: number;
  linktype: number;
  /**
   * The packet's opt_comment text. A packet may carry several comments: then `comments` lists
   * them in file order (tshark shows one frame.comment per comment) and `comment` joins them
   * with "\n".
   */
  comment?: string;
  comments?: string[];
  /** pcapng epb_flags / OPB pack_flags when present (direction, reception type…). */
  flags?: number;
  /** Set on packets that have no timestamp (pcapng Simple Packet Block): tsSec = tsNsec = 0. */
  noTimestamp?: true;
  /** OPB drops_count: packets lost between this one and the one before it on its interface. */
  drops?: number;
  /** The packet bytes: a view, valid only during the callback. */
  data: Uint8Array;
}

/**
 * A packet handed to `CaptureSink.packetAt` without allocating anything: the reader keeps one
 * slot and rewrites it for every packet. The bytes are `buf[at, at + caplen)`; slot and bytes are
 * valid only during the call. Only packets with nothing beyond their record's fixed fields (no
 * comment, no flags, no drops, a timestamp) come this way.
 */
export interface PacketSlot extends Required<
  Pick<
    CapturePacket,
    | 'index'
    | 'recordOffset'
    | 'dataOffset'
    | 'tsSec'
    | 'tsNsec'
    | 'caplen'
    | 'origlen'
    | 'ifid'
    | 'section'
    | 'linktype'
  >
> {
  buf: Uint8Array;
  at: number;
}

export function newPacketSlot(): PacketSlot {
  return {
    index: 0,
    recordOffset: 0,
    dataOffset: 0,
    tsSec: 0,
    tsNsec: 0,
    caplen: 0,
    origlen: 0,
    ifid: 0,
    section: 0,
    linktype: 0,
    buf: new Uint8Array(0),
    at: 0,
  };
}

/** The CapturePacket a slot stands for (its bytes a view, valid while the slot's are). */
export function slotPacket(s: PacketSlot): CapturePacket {
  return {
    index: s.index,
    recordOffset: s.recordOffset,
    dataOffset: s.dataOffset,
    tsSec: s.tsSec,
    tsNsec: s.tsNsec,
    caplen: s.caplen,
    origlen: s.origlen,
    ifid: s.ifid,
    section: s.section,
    linktype: s.linktype,
    data: slotData(s),
  };
}

/** A slot's packet bytes, as a view (valid while the slot's are). */
export function slotData(s: PacketSlot): Uint8Array {
  return new Uint8Array(s.buf.buffer, s.buf.byteOffset + s.at, s.caplen);
}

export interface CaptureInfo {
  format: CaptureFormat;
  /** 'little' or 'big' byte order of the (first) section. */
  byteOrder: 'little' | 'big';
  /** pcap: `2.4`; pcapng: the (first) section's `1.0`. */
  version: string;
  /**
   * pcap variant: 'modified' for the a1 b2 cd 34 magic of Alexey Kuznetzov's patched libpcap
   * (8 more bytes per record header: ifindex, protocol, pkt_type), read as Wireshark does.
   */
  variant?: 'modified';
  /** pcap: 6 or 9 digits; pcapng: per interface. */
  tsDigits?: number;
  /** Sections read so far (pcapng: `info` is called again at every new section). */
  sections: number;
  /** Section comments, shb_hardware, shb_os, shb_userappl when present. */
  sectionComments: string[];
  hardware?: string;
  os?: string;
  application?: string;
}

/** Name resolution records (pcapng NRB). */
export interface NameRecord {
  address: string;
  names: string[];
}

/** Decryption secrets (pcapng DSB), kept for TLS decryption later. */
export interface SecretsRecord {
  /** Secrets type, e.g. 0x544c534b ('TLSK') for a TLS key log. */
  type: number;
  data: Uint8Array;
}

export interface InterfaceStats {
  ifid: number;
  /** Section of the interface (0-based). */
  section?: number;
  tsSec: number;
  tsNsec: number;
  /** isb_ifrecv, isb_ifdrop, isb_filteraccept, isb_osdrop, isb_usrdeliv. */
  received?: bigint;
  dropped?: bigint;
  filterAccepted?: bigint;
  osDropped?: bigint;
  delivered?: bigint;
  comment?: string;
}

/** A problem that did not stop reading (e.g. a truncated last record, an unknown block). */
export interface CaptureWarning {
  offset: number;
  message: string;
}

export interface CaptureSink {
  info?(info: CaptureInfo): void;
  iface?(i: InterfaceInfo): void;
  packet(p: CapturePacket): void;
  /**
   * When present, the readers hand plain packets (see PacketSlot) here instead of to `packet`,
   * allocating nothing per packet: the index pass's hot path (a million packets made two
   * objects each and a sixth of the pass went to collecting them).
   */
  packetAt?(slot: PacketSlot): void;
  names?(records: NameRecord[]): void;
  secrets?(s: SecretsRecord): void;
  stats?(s: InterfaceStats): void;
  warning?(w: CaptureWarning): void;
}

/**
 * A fatal problem: the input is not (or no longer) a capture this reader can follow. The message
 * names the offset and what was expected there; `offset` repeats it for programs.
 */
export class CaptureError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'CaptureError';
  }
}

export interface CaptureReader {
  /**
   * Feeds the next chunk. Throws CaptureError on input it cannot follow; after that the reader
   * is dead: push throws the same error again and end() does nothing. An exception thrown by a
   * sink callback passes through push unchanged and kills the reader the same way.
   */
  push(chunk: Uint8Array): void;
  /**
   * No more input: reports a truncated tail as a warning (whole packets are already out).
   * Throws CaptureError when the input ended before anything readable (empty file, cut inside
   * the file header or the first section header).
   */
  end(): void;
  /** Bytes pushed so far (for progress). */
  readonly consumed: number;
}
