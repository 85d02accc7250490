// Reader-level comparison with tshark: per packet, the frame fields a capture reader decides
// (number, epoch time, lengths, interface, section, comments), from our reader and from tshark.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createReader } from '../../shared/capture/reader';
import {
  CaptureError,
  type CaptureInfo,
  type CapturePacket,
  type CaptureWarning,
  type InterfaceInfo,
  type InterfaceStats,
} from '../../shared/capture/types';
import { tsharkPath } from '../support/tshark';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const FRAME_FIELDS = [
  'frame.number',
  'frame.time_epoch',
  'frame.len',
  'frame.cap_len',
  'frame.interface_id',
  'frame.section_number',
  'frame.comment',
] as const;

export interface TsharkRun {
  rows: string[][];
  /** tshark's complaint about the file, if any ("cut short in the middle of a packet"…). */
  problem: string;
  status: number;
}

/** tshark on a file that may be damaged: keeps what it printed before giving up. */
export function tsharkRows(file: string, fields: readonly string[] = FRAME_FIELDS): TsharkRun {
  const args = ['-n', '-r', file, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,'];
  for (const f of fields) args.push('-e', f);
  const r = spawnSync(tsharkPath, args, {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' },
    maxBuffer: 256 * 1024 * 1024,
    timeout: 60_000,
  });
  const out = r.stdout ?? '';
  const rows =
    out === ''
      ? []
      : out
          .replace(/\n$/, '')
          .split('\n')
          .map((l) => l.split('\t'));
  const problem = (r.stderr ?? '')
    .split('\n')
    .filter((l) => l && !l.startsWith('Running as user'))
    .join(' ');
  return { rows, problem, status: r.status ?? -1 };
}

export interface OurRun {
  packets: CapturePacket[];
  format: 'pcap' | 'pcapng' | null;
  /** The last info reported (pcapng reports one per section, each covering all so far). */
  info: CaptureInfo | null;
  ifaces: InterfaceInfo[];
  stats: InterfaceStats[];
  warnings: CaptureWarning[];
  error: Error | null;
}

/** Our reader over a whole file (packet bytes copied), never throwing. */
export function readOurs(file: string, chunk = 1 << 16): OurRun {
  const run: OurRun = {
    packets: [],
    format: null,
    info: null,
    ifaces: [],
    stats: [],
    warnings: [],
    error: null,
  };
  const bytes = new Uint8Array(readFileSync(file));
  const r = createReader(
    {
      info: (i) => ((run.format = i.format), (run.info = i)),
      iface: (i) => run.ifaces.push(i),
      stats: (s) => run.stats.push(s),
      packet: (p) => run.packets.push({ ...p, data: p.data.slice() }),
      warning: (w) => run.warnings.push(w),
    },
    { name: file },
  );
  try {
    for (let o = 0; o < bytes.length; o += chunk) r.push(bytes.subarray(o, o + chunk));
    r.end();
  } catch (e) {
    run.error = e as Error;
    if (!(e instanceof CaptureError)) throw e;
  }
  return run;
}

export function epochText(sec: number, nsec: number): string {
  return `${sec}.${String(nsec).padStart(9, '0')}`;
}

/** Our packets as tshark would print FRAME_FIELDS. */
export function ourRows(run: OurRun): string[][] {
  const ng = run.format === 'pcapng';
  return run.packets.map((p) => [
    String(p.index + 1),
    p.noTimestamp ? '' : epochText(p.tsSec, p.tsNsec),
    String(p.origlen),
    String(p.caplen),
    ng ? String(p.ifid) : '',
    ng ? String((p.section ?? 0) + 1) : '',
    p.comments?.join(',') ?? '',
  ]);
}
