// Pcapng export of a capture file: the chosen conversations (a frame belongs to one when its index
// record carries that stream), the frames a display filter selects, or the whole capture, written
// with the original timestamps, lengths, interfaces (names, if_filter, descriptions) and packet
// comments (shared/capture/pcapng-writer.ts). The CLI's `export` and the app's `capture.export`
// both run this.
//
// Two passes over the file: the index pass decides which frames go (a stream number or a filter
// result is known once the frame is dissected), then the reader streams the file again and the
// chosen frames are written as they come, so neither the capture nor the output is held in memory.
import { closeSync, openSync, realpathSync, renameSync, rmSync, writeSync } from 'node:fs';
import { PcapngWriter } from '../../shared/capture/pcapng-writer';
import type { InterfaceInfo } from '../../shared/capture/types';
import { tcpStreamCount, udpStreamCount } from '../../shared/conversations';
import type { Engine } from '../../shared/dissect/engine';
import { Session } from '../../shared/dissect/packet';
import { createEngine } from '../../shared/dissectors';
import { compileFilter, describeError } from '../../shared/filter/compile';
import { PacketFlag, PacketIndex } from '../../shared/index/packet-index';
import type { StreamRef } from '../../shared/messages/source';
import { readCaptureFile } from '../files/capture-file';
import { indexFile } from './index-file';

export interface PcapngExportSpec {
  /** The capture read (pcap or pcapng). */
  file: string;
  /** Where the pcapng goes; written as `${out}.part-PID` and renamed when complete. */
  out: string;
  /** Conversations to keep; every frame when empty. */
  streams: readonly StreamRef[];
  /** A display filter (Wireshark syntax); '' = none. With streams: frames in both. */
  filter: string;
  /** The engine of the first pass (decode-as rules, project protos); a plain one by default. */
  engine?: Engine;
  signal?: AbortSignal;
}

export interface PcapngExportResult {
  packets: number;
  /** Bytes written. */
  size: number;
  /** The reader's warnings (a truncated last record…), with their offsets. */
  warnings: string[];
}

/**
 * What was asked cannot be exported: a filter that does not compile, a stream the capture does not
 * have, the output naming the input. `kind` lets the CLI keep its exit statuses.
 */
export class ExportRefused extends Error {
  constructor(
    readonly kind: 'usage' | 'no-stream',
    message: string,
  ) {
    super(message);
    this.name = 'ExportRefused';
  }
}

/** Whether the output names the input (writing it would destroy the capture being read). */
function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/** Writes the export; a failure never leaves half a capture at `out`. */
export async function writePcapngExport(spec: PcapngExportSpec): Promise<PcapngExportResult> {
  let filter = null;
  if (spec.filter) {
    const c = compileFilter(spec.filter);
    if (!c.ok) throw new ExportRefused('usage', `-Y: ${describeError(spec.filter, c.error).split('\n')[0]}`);
    filter = c.filter;
  }
  if (sameFile(spec.file, spec.out))
    throw new ExportRefused('usage', `export: -w ${spec.out} is the capture being read; choose another file`);
  const session = new Session();
  const index = new PacketIndex();
  const tcp = new Set<number>();
  const udp = new Set<number>();
  for (const s of spec.streams) (s.proto === 'tcp' ? tcp : udp).add(s.stream);
  const chosen: number[] = [];
  const cap = await indexFile(spec.file, {
    engine: spec.engine ?? createEngine(),
    session,
    index,
    tree: !!filter,
    cols: false,
    signal: spec.signal,
    onPacket: (p, i, d) => {
      if (spec.streams.length) {
        const f = index.flags(i);
        const s = index.stream(i);
        const hit = f & PacketFlag.tcp ? tcp.has(s) : f & PacketFlag.udp ? udp.has(s) : false;
        if (!hit) return;
      }
      if (filter && !filter.test({ d, frame: p.data })) return;
      chosen.push(i);
    },
  });
  spec.signal?.throwIfAborted();
  for (const s of spec.streams) {
    const n = s.proto === 'tcp' ? tcpStreamCount(session) : udpStreamCount(session);
    if (s.stream < n) continue;
    const P = s.proto.toUpperCase();
    throw new ExportRefused(
      'no-stream',
      `there is no ${P} stream ${s.stream}: the capture has ${n} ${P} stream${n === 1 ? '' : 's'}${n ? ` (0–${n - 1})` : ''}`,
    );
  }

  const part = `${spec.out}.part-${process.pid}`;
  const fd = openSync(part, 'w');
  let done = false;
  let written = 0;
  try {
    // The export is one section: every source section's comments go to its header.
    const comments = [...new Set(cap.summary.sections.flatMap((x) => x.sectionComments))];
    const w = new PcapngWriter({ application: 'Wirescope', comments });
    let pending: Uint8Array[] = [w.header()];
    let size = pending[0].length;
    const flush = () => {
      for (const b of pending) {
        writeSync(fd, b);
        written += b.length;
      }
      pending = [];
      size = 0;
    };
    const ifaces = new Map<string, InterfaceInfo>();
    let next = 0;
    let i = 0;
    // A live capture's file grows between the passes: frames past the first pass's are not chosen.
    await readCaptureFile(
      spec.file,
      {
        iface: (x) => void ifaces.set(`${x.section}:${x.id}`, x),
        packet: (p) => {
          const k = i++;
          if (chosen[next] !== k) return;
          next++;
          const key = `${p.section ?? 0}:${p.ifid}`;
          const iface = ifaces.get(key) ?? { linktype: p.linktype, tsPerSecond: 1e9 };
          for (const b of w.packet(key, iface, {
            ...p,
            comments: p.comments ?? (p.comment !== undefined ? [p.comment] : undefined),
          })) {
            pending.push(b);
            size += b.length;
          }
          if (size >= 1 << 20) flush();
        },
      },
      { signal: spec.signal },
    );
    flush();
    done = true;
  } finally {
    closeSync(fd);
    if (!done) rmSync(part, { force: true });
  }
  renameSync(part, spec.out);
  return { packets: chosen.length, size: written, warnings: cap.summary.warnings.map((x) => x.message) };
}
