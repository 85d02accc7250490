// `wirescope export FILE -w OUT.pcapng [--stream tcp:N|udp:N]... [-Y FILTER] [-d …]`: the chosen
// conversations (a frame belongs to one when its index record carries that stream), the frames a
// display filter selects, or the whole capture, written as pcapng with the original timestamps,
// lengths and packet comments (shared/capture/pcapng-writer.ts).
//
// Two passes over the file: the index pass decides which frames go (a stream number or a filter
// result is known once the frame is dissected), then the reader streams the file again and the
// chosen frames are written as they come, so neither the capture nor the output is held in memory.
import { closeSync, openSync, realpathSync, renameSync, rmSync, writeSync } from 'node:fs';
import { PcapngWriter } from '../../shared/capture/pcapng-writer';
import type { InterfaceInfo } from '../../shared/capture/types';
import { tcpStreamCount, udpStreamCount } from '../../shared/conversations';
import { Session } from '../../shared/dissect/packet';
import { compileFilter, describeError } from '../../shared/filter/compile';
import { PacketFlag, PacketIndex } from '../../shared/index/packet-index';
import { parseStreamRef, type StreamRef } from '../../shared/messages/source';
import { indexFile } from '../backend/index-file';
import { readCaptureFile } from '../files/capture-file';
import { parseDecodeAs, UsageError, type DecodeAs } from './args';
import { engineWith, guarded } from './follow';
import { FollowError } from '../../shared/follow/follow';
import type { Io } from './run';

export const EXPORT_USAGE = `Usage: wirescope export FILE -w OUT.pcapng [--stream tcp:N|udp:N]... [-Y FILTER]
                        [-d TABLE==PORT,PROTO]
  writes the chosen conversations, the frames the filter selects (both given: frames that are
  in a chosen conversation and pass the filter), or the whole capture as pcapng, with the
  original timestamps, lengths and packet comments`;

export interface ExportCommand {
  file: string;
  out: string;
  streams: StreamRef[];
  filter: string;
  decodeAs: DecodeAs[];
}

export function parseExportArgs(argv: readonly string[]): ExportCommand {
  const cmd: ExportCommand = { file: '', out: '', streams: [], filter: '', decodeAs: [] };
  const files: string[] = [];
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    if (!a.startsWith('-') || a === '-') {
      files.push(a);
      continue;
    }
    let opt = a;
    let inline: string | undefined;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0) {
      opt = a.slice(0, eq);
      inline = a.slice(eq + 1);
    } else if (/^-[wYd]./.test(a)) {
      opt = a.slice(0, 2);
      inline = a.slice(2);
    }
    const value = (): string => {
      const v = inline ?? argv[++k];
      if (v === undefined) throw new UsageError(`export: ${opt} needs a value`);
      return v;
    };
    switch (opt) {
      case '-w':
        cmd.out = value();
        break;
      case '--stream': {
        const v = value();
        const ref = parseStreamRef(v);
        if (!ref) throw new UsageError(`export: --stream "${v}": expected tcp:N or udp:N, e.g. tcp:0`);
        cmd.streams.push(ref);
        break;
      }
      case '-Y':
        cmd.filter = value();
        break;
      case '-d':
        cmd.decodeAs.push(parseDecodeAs(value()));
        break;
      default:
        throw new UsageError(`export: unknown option "${opt}"`);
    }
  }
  if (files.length === 0) throw new UsageError('export: no capture file given');
  if (files.length > 1) throw new UsageError(`export: one capture file at a time (got ${files.length})`);
  if (!cmd.out) throw new UsageError('export: give the output file with -w OUT.pcapng');
  if (cmd.out === '-')
    throw new UsageError('export: -w needs a file name (writing to stdout is not supported)');
  cmd.file = files[0];
  return cmd;
}

/** Whether the output names the input (writing it would destroy the capture being read). */
function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

export interface ExportResult {
  packets: number;
  /** The reader's warnings (a truncated last record…), with their offsets. */
  warnings: string[];
}

/**
 * Writes the export; returns the number of packets written. The file is written under a
 * temporary name and renamed when complete, so a failure never leaves half a capture at OUT.
 */
export async function exportPcapng(cmd: ExportCommand): Promise<ExportResult> {
  let filter = null;
  if (cmd.filter) {
    const c = compileFilter(cmd.filter);
    if (!c.ok) throw new UsageError(`-Y: ${describeError(cmd.filter, c.error).split('\n')[0]}`);
    filter = c.filter;
  }
  if (sameFile(cmd.file, cmd.out))
    throw new UsageError(`export: -w ${cmd.out} is the capture being read; choose another file`);
  const engine = engineWith(cmd.decodeAs);
  const session = new Session();
  const index = new PacketIndex();
  const tcp = new Set<number>();
  const udp = new Set<number>();
  for (const s of cmd.streams) (s.proto === 'tcp' ? tcp : udp).add(s.stream);
  const chosen: number[] = [];
  const cap = await indexFile(cmd.file, {
    engine,
    session,
    index,
    tree: !!filter,
    cols: false,
    onPacket: (p, i, d) => {
      if (cmd.streams.length) {
        const f = index.flags(i);
        const s = index.stream(i);
        const hit = f & PacketFlag.tcp ? tcp.has(s) : f & PacketFlag.udp ? udp.has(s) : false;
        if (!hit) return;
      }
      if (filter && !filter.test({ d, frame: p.data })) return;
      chosen.push(i);
    },
  });
  for (const s of cmd.streams) {
    const n = s.proto === 'tcp' ? tcpStreamCount(session) : udpStreamCount(session);
    if (s.stream < n) continue;
    const P = s.proto.toUpperCase();
    throw new FollowError(
      `there is no ${P} stream ${s.stream}: the capture has ${n} ${P} stream${n === 1 ? '' : 's'}${n ? ` (0–${n - 1})` : ''}`,
    );
  }

  const part = `${cmd.out}.part-${process.pid}`;
  const fd = openSync(part, 'w');
  let done = false;
  try {
    // The export is one section: every source section's comments go to its header.
    const comments = [...new Set(cap.summary.sections.flatMap((x) => x.sectionComments))];
    const w = new PcapngWriter({ application: 'Wirescope', comments });
    let pending: Uint8Array[] = [w.header()];
    let size = pending[0].length;
    const flush = () => {
      for (const b of pending) writeSync(fd, b);
      pending = [];
      size = 0;
    };
    const ifaces = new Map<string, InterfaceInfo>();
    let next = 0;
    let i = 0;
    await readCaptureFile(cmd.file, {
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
    });
    flush();
    done = true;
  } finally {
    closeSync(fd);
    if (!done) rmSync(part, { force: true });
  }
  renameSync(part, cmd.out);
  return { packets: chosen.length, warnings: cap.summary.warnings.map((w) => w.message) };
}

export async function runExport(argv: readonly string[], io: Io): Promise<number> {
  return guarded('export', io, async (at) => {
    if (argv.includes('-h') || argv.includes('--help')) {
      io.out.write(EXPORT_USAGE + '\n');
      return 0;
    }
    const cmd = parseExportArgs(argv);
    at.file = cmd.file;
    const r = await exportPcapng(cmd);
    for (const w of r.warnings.slice(0, 5))
      io.err.write(`wirescope: warning: ${w.includes(cmd.file) ? w : `${cmd.file}: ${w}`}\n`);
    if (r.packets === 0)
      io.err.write(`wirescope: warning: export: no frame selected; ${cmd.out} holds no packets\n`);
    return 0;
  });
}
