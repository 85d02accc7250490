// The statistics of a `-z` list, fed one frame at a time (tshark's single pass) and printed as
// tshark prints them. Each `-z` argument is parsed once up front: a bad one is an error before
// the file is read. Filters inside an argument (`io,phs,udp`, `conv,ip,tcp.port==80`,
// `io,stat,1,tcp,udp`) are display filters compiled once.
import { compileFilter, describeError, type Filter } from '../filter/compile';
import { CONV_KINDS, ConvTable, convHits, convText, endpointsText, type ConvKind } from './conv';
import { ExpertTally, SEVERITIES } from './expert';
import type { StatFrame } from './frame';
import { IoStat, parseIoStat } from './io-stat';
import { phsChain, PhsBuilder, phsText } from './phs';
import type { Severity } from '../dissect/types';

export const STATS_USAGE_LINES = [
  'io,phs[,FILTER]',
  'conv,eth|ip|ipv6|tcp|udp[,FILTER]',
  'endpoints,eth|ip|ipv6|tcp|udp[,FILTER]',
  'io,stat,INTERVAL[,FILTER]...',
  'expert[,error|warn|note|chat|comment][,FILTER]',
];

export class StatArgError extends Error {}

export interface Stat {
  readonly arg: string;
  /** Whether frames must be dissected with the tree (a filter reads fields). */
  readonly needsTree: boolean;
  add(f: StatFrame): void;
  text(durationUs: number): string;
}

function compiled(arg: string, text: string): Filter {
  const c = compileFilter(text);
  if (!c.ok) throw new StatArgError(`-z ${arg}: ${describeError(text, c.error).split('\n')[0]}`);
  return c.filter;
}

function test(f: Filter | null, fr: StatFrame): boolean {
  return !f || f.test({ d: fr.d, frame: fr.bytes });
}

/** One `-z` argument as a statistic; throws StatArgError naming what is wrong. */
export function parseStat(arg: string): Stat {
  let m: RegExpExecArray | null;
  if ((m = /^io,phs(?:,(.*))?$/.exec(arg))) {
    const text = m[1] ?? '';
    const filter = text ? compiled(arg, text) : null;
    const b = new PhsBuilder();
    return {
      arg,
      needsTree: !!filter,
      add: (f) => {
        if (test(filter, f)) b.add(phsChain(f.d), f.len);
      },
      text: () => phsText(b.roots, text),
    };
  }
  if ((m = /^(conv|endpoints),([a-z0-9]+)(?:,(.*))?$/.exec(arg))) {
    const kind = m[2] as ConvKind;
    if (!CONV_KINDS.includes(kind))
      throw new StatArgError(`-z ${arg}: unknown table type "${m[2]}" (eth, ip, ipv6, tcp or udp)`);
    const text = m[3] ?? '';
    const filter = text ? compiled(arg, text) : null;
    const t = new ConvTable(kind);
    const conv = m[1] === 'conv';
    return {
      arg,
      needsTree: !!filter,
      add: (f) => {
        if (test(filter, f)) t.addFrame(f, convHits(f));
      },
      text: () => (conv ? convText(kind, t.conversations(), text) : endpointsText(kind, t.endpoints(), text)),
    };
  }
  if (arg.startsWith('io,stat,') || arg === 'io,stat') {
    const spec = parseIoStat(arg);
    if (typeof spec === 'string') throw new StatArgError(`-z ${arg}: ${spec}`);
    const filters = spec.filters.map((t) => (t ? compiled(arg, t) : null));
    const io = new IoStat(spec);
    const matches = filters.map(() => false);
    return {
      arg,
      needsTree: filters.some((f) => f),
      add: (f) => {
        for (let j = 0; j < filters.length; j++) matches[j] = test(filters[j], f);
        io.add(f.relUs, f.len, matches);
      },
      text: (durationUs) => io.text(durationUs),
    };
  }
  if ((m = /^expert(?:,(.*))?$/.exec(arg))) {
    let rest = m[1] ?? '';
    let lowest: Severity = 'comment';
    const lv = /^(error|warn|note|chat|comment)(?:,|$)/i.exec(rest);
    if (lv) {
      lowest = lv[1].toLowerCase() as Severity;
      rest = rest.slice(lv[0].length);
    }
    const filter = rest ? compiled(arg, rest) : null;
    const t = new ExpertTally(lowest);
    return {
      arg,
      // Some notes (TCP analysis) are only made when the tree is built, as in Wireshark.
      needsTree: true,
      add: (f) => {
        if (test(filter, f)) t.addFrame(f);
      },
      text: () => t.text(),
    };
  }
  throw new StatArgError(`-z ${arg}: unknown statistic (expected ${STATS_USAGE_LINES.join(' | ')})`);
}

export { SEVERITIES };
