// The contract between capture readers and everything that consumes packets. Readers are push
// parsers: `push(chunk)` any number of times with chunks of any size, then `end()`. They call the
// sink synchronously; a packet's `data` is a view that is valid only during the callback (copy it
// to keep it), so a reader never copies bytes it does not have to.

export type CaptureFormat = 'pcap' | 'pcapng';

export interface InterfaceInfo {
  /** Interface id within the file (pcapng IDB order across all sections; 0 for pcap). */
  id: number;
  linktype: number;
  snaplen: number;
  name?: string;
  description?: string;
  /** Capture filter the interface was opened with (if_filter), when recorded. */
  filter?: string;
  os?: string;
  /** Ticks per second of this interface's timestamps (pcap: 1e6 or 1e9; pcapng: if_tsresol). */
  tsPerSecond: number;
  /** Seconds added to every timestamp (if_tsoffset). */
  tsOffset: number;
  /** pcapng section the interface belongs to (0-based). */
  section: number;
}

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
  ifid: number;
  linktype: number;
  comment?: string;
  /** pcapng epb_flags when present (direction, reception type…). */
  flags?: number;
  /** The packet bytes: a view, valid only during the callback. */
  data: Uint8Array;
}

export interface CaptureInfo {
  format: CaptureFormat;
  /** 'little' or 'big' byte order of the (first) section. */
  byteOrder: 'little' | 'big';
  /** pcap: `2.4`; pcapng: the (first) section's `1.0`. */
  version: string;
  /** pcap: 6 or 9 digits; pcapng: per interface. */
  tsDigits?: number;
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
  tsSec: number;
  tsNsec: number;
  received?: bigint;
  dropped?: bigint;
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
  /** Feeds the next chunk. Throws CaptureError on input it cannot follow. */
  push(chunk: Uint8Array): void;
  /** No more input: reports a truncated tail as a warning (whole packets are already out). */
  end(): void;
  /** Bytes consumed so far (for progress). */
  readonly consumed: number;
}
