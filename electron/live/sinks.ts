// Where a live stream goes besides the views: several places at once (teeSink), and a pcapng file
// that Wireshark and Wirescope reopen (pcapngFileSink). dumpcap's pcapng passes through as it
// came; tcpdump's pcap is rewritten as pcapng as it arrives, so every saved capture carries the
// interface name and the capture filter.
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { PcapngWriter, type WriterInterface } from '../../shared/capture/pcapng-writer';
import { createReader } from '../../shared/capture/reader';
import type { CaptureReader, InterfaceInfo } from '../../shared/capture/types';
import type { LiveSink } from './source';

/** One stream to several sinks, in order; `end` reaches each once. */
export function teeSink(...sinks: LiveSink[]): LiveSink {
  let ended = false;
  return {
    data(chunk) {
      for (const s of sinks) s.data(chunk);
    },
    end(problem) {
      if (ended) return;
      ended = true;
      for (const s of sinks) s.end(problem);
    },
  };
}

export interface FileSinkMeta {
  /** Interface captured on: the pcapng if_name of a converted stream. */
  iface: string;
  /** BPF filter ('' = none): if_filter of a converted stream. */
  filter: string;
  /** The helper that captured (an interface comment of a converted stream). */
  helper?: string;
  /** A section comment of a converted stream. */
  comment?: string;
}

export interface FileSinkResult {
  packets: number;
  /** Bytes written to the file. */
  bytes: number;
  /** Bytes of a last block cut short (the helper killed mid-write), left out of the file. */
  cut: number;
  /** The stream could not be followed past some point (what came before is in the file). */
  problem: string | null;
  /** False when the stream never delivered a byte: then no file was made. */
  written: boolean;
}

export type PcapngFileSink = LiveSink & {
  readonly path: string;
  readonly finished: Promise<FileSinkResult>;
};

const PCAPNG_SHB = 0x0a0d0d0a;
const BOM = 0x1a2b3c4d;

/**
 * Splits a pcapng stream at block boundaries so only whole blocks reach the file: a helper killed
 * in the middle of a write leaves a file tshark reads without "cut short" errors.
 */
class BlockFramer {
  private carry: Uint8Array = new Uint8Array(0);
  private little = true;
  /** A block length that makes no sense: from then on bytes pass as they come. */
  private raw = false;

  /** The bytes that complete whole blocks (possibly none). */
  push(chunk: Uint8Array): Uint8Array {
    if (this.raw) return chunk;
    let buf = chunk;
    if (this.carry.length) {
      buf = new Uint8Array(this.carry.length + chunk.length);
      buf.set(this.carry);
      buf.set(chunk, this.carry.length);
    }
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let pos = 0;
    for (;;) {
      if (buf.length - pos < 12) break;
      const typeLe = dv.getUint32(pos, true);
      if (typeLe === PCAPNG_SHB) {
        const bom = dv.getUint32(pos + 8, true);
        this.little = bom === BOM;
      }
      const len = dv.getUint32(pos + 4, this.little);
      if (len < 12 || len % 4 !== 0) {
        this.raw = true;
        this.carry = new Uint8Array(0);
        return buf;
      }
      if (buf.length - pos < len) break;
      pos += len;
    }
    this.carry = buf.slice(pos);
    return buf.subarray(0, pos);
  }

  /** Bytes held back at the end: a block that never completed. */
  get pending(): number {
    return this.carry.length;
  }
}

/**
 * Writes a live stream to `path` as pcapng, under `path + '.part'` until it ends (then renamed),
 * so a crash never leaves half a capture under the real name. The `.part` file is created at
 * once: a path that cannot be written fails here, before any capture starts.
 */
export function pcapngFileSink(path: string, meta: FileSinkMeta): PcapngFileSink {
  const part = `${path}.part`;
  let fd = openSync(part, 'w');
  let mode: 'sniff' | 'pass' | 'convert' | 'dead' = 'sniff';
  let head = new Uint8Array(0);
  let packets = 0;
  let bytes = 0;
  let problem: string | null = null;
  let failure: Error | null = null;
  let ended = false;
  const framer = new BlockFramer();
  let reader: CaptureReader | null = null;
  let resolveDone!: (r: FileSinkResult) => void;
  let rejectDone!: (e: Error) => void;
  const finished = new Promise<FileSinkResult>((res, rej) => {
    resolveDone = res;
    rejectDone = rej;
  });
  // Callers that never look at `finished` must not get an unhandled rejection.
  finished.catch(() => undefined);

  const write = (b: Uint8Array) => {
    let done = 0;
    while (done < b.length) done += writeSync(fd, b, done, b.length - done);
    bytes += b.length;
  };

  // Converting: tcpdump's pcap packets as Enhanced Packet Blocks of one interface, timestamps
  // and lengths as captured (the writer keeps the microsecond or nanosecond resolution).
  const writer = new PcapngWriter({
    application: 'Wirescope',
    ...(meta.comment ? { comments: [meta.comment] } : {}),
  });
  let iface: WriterInterface | null = null;
  const ifaceOf = (
    i: Pick<InterfaceInfo, 'linktype' | 'snaplen' | 'tsPerSecond' | 'tsResolution' | 'fcsLength'>,
  ): WriterInterface => ({
    linktype: i.linktype,
    snaplen: i.snaplen,
    tsPerSecond: i.tsPerSecond,
    ...(i.tsResolution !== undefined ? { tsResolution: i.tsResolution } : {}),
    ...(i.fcsLength !== undefined ? { fcsLength: i.fcsLength } : {}),
    name: meta.iface,
    ...(meta.filter ? { filter: meta.filter } : {}),
    ...(meta.helper ? { comments: [`Captured with ${meta.helper}`] } : {}),
  });

  const start = (first: Uint8Array) => {
    const magic = new DataView(first.buffer, first.byteOffset, 4).getUint32(0, true);
    if (magic === PCAPNG_SHB) {
      mode = 'pass';
      reader = createReader({ packet: () => void packets++ }, { name: path });
    } else {
      mode = 'convert';
      reader = createReader(
        {
          iface: (i) => {
            iface ??= ifaceOf(i);
          },
          packet: (p) => {
            // pcap's one interface is announced with the file header, before any packet.
            iface ??= ifaceOf({ linktype: p.linktype, snaplen: 0, tsPerSecond: 1e6 });
            const blocks = writer.packet('0', iface, {
              tsSec: p.tsSec,
              tsNsec: p.tsNsec,
              origlen: p.origlen,
              data: p.data,
            });
            for (const b of blocks) write(b);
            packets++;
          },
        },
        { name: path },
      );
      write(writer.header());
    }
  };

  const feed = (chunk: Uint8Array) => {
    if (mode === 'pass') {
      const whole = framer.push(chunk);
      if (whole.length) write(whole);
    }
    try {
      reader!.push(chunk);
    } catch (e) {
      // A stream the reader cannot follow: what came before is kept, nothing more is converted.
      problem ??= e instanceof Error ? e.message : String(e);
      if (mode === 'convert') mode = 'dead';
    }
  };

  const fail = (e: unknown) => {
    failure ??= e instanceof Error ? e : new Error(String(e));
    mode = 'dead';
  };

  return {
    path,
    finished,
    data(chunk) {
      if (ended || mode === 'dead') return;
      try {
        if (mode === 'sniff') {
          const h = new Uint8Array(head.length + chunk.length);
          h.set(head);
          h.set(chunk, head.length);
          if (h.length < 4) {
            head = h;
            return;
          }
          head = new Uint8Array(0);
          start(h);
          feed(h);
          return;
        }
        feed(chunk);
      } catch (e) {
        fail(e);
      }
    },
    end() {
      if (ended) return;
      ended = true;
      try {
        if (reader) {
          try {
            reader.end();
          } catch (e) {
            problem ??= e instanceof Error ? e.message : String(e);
          }
        }
        closeSync(fd);
        fd = -1;
        if (failure) throw failure;
        if (bytes === 0) {
          rmSync(part, { force: true });
          resolveDone({ packets: 0, bytes: 0, cut: 0, problem: null, written: false });
          return;
        }
        renameSync(part, path);
        resolveDone({ packets, bytes, cut: mode === 'pass' ? framer.pending : 0, problem, written: true });
      } catch (e) {
        if (fd >= 0) closeSync(fd);
        rmSync(part, { force: true });
        rejectDone(
          new Error(
            `${path}: the capture could not be written (${e instanceof Error ? e.message : String(e)})`,
          ),
        );
      }
    },
  };
}
