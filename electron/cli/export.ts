// `wirescope export FILE -w OUT.pcapng [--stream tcp:N|udp:N]... [-Y FILTER] [-d …]`: the chosen
// conversations (a frame belongs to one when its index record carries that stream), the frames a
// display filter selects, or the whole capture, written as pcapng with the original timestamps,
// lengths and packet comments (shared/capture/pcapng-writer.ts).
//
// The export itself is electron/backend/export-pcapng.ts (two passes, nothing held in memory),
// which the app's `capture.export` runs too.
import { compileFilter, describeError } from '../../shared/filter/compile';
import type { StreamRef } from '../../shared/messages/source';
import { FollowError } from '../../shared/follow/follow';
import { ExportRefused, writePcapngExport } from '../backend/export-pcapng';
import { readCommandArgs, sharedOption, UsageError, type DecodeAs } from './args';
import { engineWith } from './engine';
import { guarded } from './follow';
import type { Io } from './out';

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
  cmd.file = readCommandArgs('export', argv, 'wYd', (o) => {
    if (sharedOption('export', o, cmd)) return;
    if (o.name !== '-w') throw new UsageError(`export: unknown option "${o.name}"`);
    cmd.out = o.value();
  });
  if (!cmd.out) throw new UsageError('export: give the output file with -w OUT.pcapng');
  if (cmd.out === '-')
    throw new UsageError('export: -w needs a file name (writing to stdout is not supported)');
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
