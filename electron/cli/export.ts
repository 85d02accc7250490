// `wirescope export FILE -w OUT.pcapng [--stream tcp:N|udp:N]... [-Y FILTER] [-d …]`: the chosen
// conversations (a frame belongs to one when its index record carries that stream), the frames a
// display filter selects, or the whole capture, written as pcapng with the original timestamps,
// lengths and packet comments (shared/capture/pcapng-writer.ts).
//
// The export itself is electron/backend/export-pcapng.ts (two passes, nothing held in memory),
// which the app's `capture.export` runs too.
import { compileFilter, describeError } from '../../shared/filter/compile';
import { parseStreamRef, type StreamRef } from '../../shared/messages/source';
import { FollowError } from '../../shared/follow/follow';
import { ExportRefused, writePcapngExport } from '../backend/export-pcapng';
import { parseDecodeAs, UsageError, type DecodeAs } from './args';
import { engineWith, guarded } from './follow';
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

export interface ExportResult {
  packets: number;
  /** The reader's warnings (a truncated last record…), with their offsets. */
  warnings: string[];
}

/**
 * Writes the export (electron/backend/export-pcapng.ts, shared with the app's `capture.export`);
 * returns the number of packets written.
 */
export async function exportPcapng(cmd: ExportCommand): Promise<ExportResult> {
  // The filter is checked before the decode-as rules, as before the logic moved.
  if (cmd.filter) {
    const c = compileFilter(cmd.filter);
    if (!c.ok) throw new UsageError(`-Y: ${describeError(cmd.filter, c.error).split('\n')[0]}`);
  }
  const engine = engineWith(cmd.decodeAs);
  try {
    const r = await writePcapngExport({ ...cmd, engine });
    return { packets: r.packets, warnings: r.warnings };
  } catch (e) {
    if (e instanceof ExportRefused)
      throw e.kind === 'usage' ? new UsageError(e.message) : new FollowError(e.message);
    throw e;
  }
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
