// The one entry point for capture bytes: sniffs the format from the first four bytes (buffering
// them if they arrive in pieces) and hands everything to the pcap or pcapng reader.
import { asciiBytes, hexBytes, type FramerOptions } from './framer';
import { isPcapMagic, PcapReader } from './pcap';
import { PcapngReader, SHB_TYPE } from './pcapng';
import { CaptureError, type CaptureReader, type CaptureSink } from './types';

export { CaptureError } from './types';

export type ReaderOptions = FramerOptions;

/** Formats people try to open that are not captures we read, with what to do instead. */
function otherFormat(b: Uint8Array): string {
  if (b[0] === 0x1f && b[1] === 0x8b)
    return ' (this is gzip-compressed data: decompress it first, e.g. gunzip)';
  if (b[0] === 0x28 && b[1] === 0xb5 && b[2] === 0x2f && b[3] === 0xfd)
    return ' (this is zstd-compressed data: decompress it first, e.g. unzstd)';
  if (b[0] === 0xfd && b[1] === 0x37 && b[2] === 0x7a && b[3] === 0x58)
    return ' (this is xz-compressed data: decompress it first, e.g. unxz)';
  if (b[0] === 0x42 && b[1] === 0x5a && b[2] === 0x68)
    return ' (this is bzip2-compressed data: decompress it first, e.g. bunzip2)';
  if (b[0] === 0x73 && b[1] === 0x6e && b[2] === 0x6f && b[3] === 0x6f)
    return ' (this looks like a Solaris snoop file: convert it with editcap -F pcapng)';
  return '';
}

class SniffingReader implements CaptureReader {
  private head = new Uint8Array(4);
  private have = 0;
  private inner: CaptureReader | null = null;
  private failure: CaptureError | null = null;
  private pushed = 0;

  constructor(
    private readonly sink: CaptureSink,
    private readonly opts: ReaderOptions,
  ) {}

  get consumed(): number {
    return this.inner ? this.inner.consumed : this.pushed;
  }

  /** Bytes held between pushes (see Framer.retained). */
  get retained(): number {
    const inner = this.inner as { retained?: number } | null;
    return 4 + (inner?.retained ?? 0);
  }

  push(chunk: Uint8Array): void {
    if (this.inner) return this.inner.push(chunk);
    if (this.failure) throw this.failure;
    this.pushed += chunk.length;
    const take = Math.min(4 - this.have, chunk.length);
    this.head.set(chunk.subarray(0, take), this.have);
    this.have += take;
    if (this.have < 4) return;
    const inner = this.choose();
    this.inner = inner;
    // The four sniffed bytes may have come from earlier chunks: replay them, then the rest.
    if (this.pushed > chunk.length) {
      inner.push(this.head);
      if (take < chunk.length) inner.push(chunk.subarray(take));
    } else {
      inner.push(chunk);
    }
  }

  end(): void {
    if (this.inner) return this.inner.end();
    if (this.failure) return;
    const prefix = this.opts.name ? `${this.opts.name}: ` : '';
    this.failure =
      this.have === 0
        ? new CaptureError(
            `${prefix}empty file (0 bytes): nothing at offset 0; expected a pcap or pcapng capture`,
            0,
          )
        : new CaptureError(
            `${prefix}not a capture file: only ${this.have} byte${this.have === 1 ? '' : 's'} (${hexBytes(this.head, 0, this.have)}) at offset 0; a capture file starts with a 4-byte magic, pcap (a1 b2 c3 d4 …) or pcapng (0a 0d 0d 0a)`,
            0,
          );
    throw this.failure;
  }

  private choose(): CaptureReader {
    const h = this.head;
    const be32 = ((h[0] << 24) | (h[1] << 16) | (h[2] << 8) | h[3]) >>> 0;
    if (be32 === SHB_TYPE) return new PcapngReader(this.sink, this.opts);
    if (isPcapMagic(be32)) return new PcapReader(this.sink, this.opts);
    const prefix = this.opts.name ? `${this.opts.name}: ` : '';
    this.failure = new CaptureError(
      `${prefix}not a capture file: unknown magic ${hexBytes(h, 0, 4)} (${asciiBytes(h, 0, 4)}) at offset 0; expected pcap (a1 b2 c3 d4 …) or pcapng (0a 0d 0d 0a)${otherFormat(h)}`,
      0,
    );
    throw this.failure;
  }
}

/**
 * A reader for any capture we understand. Every CaptureError message starts with `opts.name`
 * when given, names the byte offset of the problem and what was expected there.
 */
export function createReader(sink: CaptureSink, opts: ReaderOptions = {}): CaptureReader {
  return new SniffingReader(sink, opts);
}
