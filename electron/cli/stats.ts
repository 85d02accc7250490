// `wirescope stats FILE -z STAT [-z STAT]… [-Y FILTER] [-d …]`: statistics printed as
// `tshark -q -z STAT` prints them (shared/stats).
//
// Departures from tshark, on purpose:
// - the statistics are printed in the order the -z options were given (tshark prints the last
//   one first);
// - -Y restricts every statistic to the frames it selects (tshark 4.0 runs its statistics over
//   every frame and ignores -Y for them; a filter inside the argument, `-z io,phs,udp`, is the
//   tshark way and works here too).
import { createEngine } from '../../shared/dissectors';
import { Session } from '../../shared/dissect/packet';
import { compileFilter, describeError } from '../../shared/filter/compile';
import { relativeOf, type StatFrame } from '../../shared/stats/frame';
import { parseStat, StatArgError, STATS_USAGE_LINES, type Stat } from '../../shared/stats/run';
import { PacketIndex } from '../../shared/index/packet-index';
import { indexFile } from '../backend/index-file';
import { useProjectProtos } from '../protos/load-protos';
import { readCommandArgs, sharedOption, UsageError, type DecodeAs } from './args';
import type { Io } from './out';

export const STATS_USAGE = `Usage: wirescope stats FILE -z STAT [-z STAT]... [-Y FILTER] [-d TABLE==PORT,PROTO]
  statistics as \`tshark -q -z STAT\` prints them; STAT is one of
${STATS_USAGE_LINES.map((l) => `    ${l}`).join('\n')}`;

export interface StatsCommand {
  file: string;
  stats: string[];
  filter: string;
  decodeAs: DecodeAs[];
}

export function parseStatsArgs(argv: readonly string[]): StatsCommand {
  const cmd: StatsCommand = { file: '', stats: [], filter: '', decodeAs: [] };
  cmd.file = readCommandArgs('stats', argv, 'zYd', (o) => {
    if (sharedOption('stats', o, cmd)) return;
    if (o.name !== '-z') throw new UsageError(`stats: unknown option "${o.arg}"`);
    cmd.stats.push(o.value());
  });
  if (cmd.stats.length === 0)
    throw new UsageError(`stats: give at least one -z STAT (${STATS_USAGE_LINES[0]}, …)`);
  return cmd;
}

/** Runs the statistics over the file in one pass; returns their text, in -z order. */
export async function statsText(cmd: StatsCommand): Promise<string> {
  let stats: Stat[];
  try {
    stats = cmd.stats.map(parseStat);
  } catch (e) {
    if (e instanceof StatArgError) throw new UsageError(e.message);
    throw e;
  }
  let pre = null;
  if (cmd.filter) {
    const c = compileFilter(cmd.filter);
    if (!c.ok) throw new UsageError(`-Y: ${describeError(cmd.filter, c.error).split('\n')[0]}`);
    pre = c.filter;
  }
  const engine = createEngine();
  useProjectProtos(engine);
  for (const d of cmd.decodeAs) {
    if (!engine.dissector(d.proto)) throw new UsageError(`-d: no dissector named "${d.proto}"`);
    for (const key of d.keys) engine.decodeAs(d.table, key, d.proto);
  }
  const index = new PacketIndex();
  let firstSec = 0;
  let firstNsec = 0;
  let maxUs = 0;
  await indexFile(cmd.file, {
    engine,
    session: new Session(),
    index,
    tree: !!pre || stats.some((s) => s.needsTree),
    cols: false,
    onPacket: (p, i, d) => {
      if (i === 0) {
        firstSec = p.tsSec;
        firstNsec = p.tsNsec;
      }
      const { rel, relUs } = relativeOf(p.tsSec, p.tsNsec, firstSec, firstNsec);
      if (relUs > maxUs) maxUs = relUs;
      const f: StatFrame = {
        number: i + 1,
        len: p.origlen,
        rel,
        relUs,
        stream: index.stream(i),
        d,
        bytes: p.data,
      };
      if (pre && !pre.test({ d, frame: p.data })) return;
      for (const s of stats) s.add(f);
    },
  });
  return stats.map((s) => s.text(maxUs)).join('');
}

export async function runStats(argv: readonly string[], io: Io): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    io.out.write(STATS_USAGE + '\n');
    return 0;
  }
  let file = '';
  try {
    const cmd = parseStatsArgs(argv);
    file = cmd.file;
    io.out.write(await statsText(cmd));
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err.write(`wirescope: ${e.message} (see wirescope stats --help)\n`);
      return 2;
    }
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    io.err.write(`wirescope: ${!file || msg.includes(file) ? msg : `${file}: ${msg}`}\n`);
    return 1;
  }
}
