// The differential harness: Wirescope's `-T fields` cells (fieldColumn over dissectFile) against
// tshark's for the same file, every frame, a broad field list. Used by differential.test.ts and by
// the `diff.ts` command that dissector authors run while they work.
import { basename } from 'node:path';
import { allFields, allProtocols } from '../../shared/dissect/fields';
import { escapeFieldText } from '../../shared/dissect/format';
import { fieldColumn } from '../../shared/dissect/query';
import type { Dissection } from '../../shared/dissect/types';
import { dissectFile } from '../support/dissect-file';
import { tsharkFields } from '../support/tshark';
import { knownValueDifference, type KnownDifference } from './known-differences';
import { compareTree, pdmlFrames, type PdmlNode, type TreeComparison } from './pdml';
import { tsharkCatalog, tsharkDecodes } from './tshark-catalog';

export { FIXTURE_DIR, fixtureFiles } from './fixture-list';

/** The broad list every fixture is compared on, registered by Wirescope or not (absent = empty). */
export const CORE_FIELDS: readonly string[] = [
  'frame.number',
  'frame.time',
  'frame.time_epoch',
  'frame.time_relative',
  'frame.time_delta',
  'frame.len',
  'frame.cap_len',
  'frame.interface_id',
  'frame.protocols',
  'frame.comment',
  'frame.encap_type',
  'eth.src',
  'eth.dst',
  'eth.type',
  'eth.addr',
  'eth.padding',
  'eth.trailer',
  'vlan.id',
  'vlan.etype',
  'vlan.priority',
  'vlan.dei',
  'ieee8021ad.id',
  'ieee8021ad.priority',
  'ieee8021ad.dei',
  'sll.*',
  'null.family',
  'loop.family',
  'arp.opcode',
  'arp.hw.type',
  'arp.proto.type',
  'arp.src.hw_mac',
  'arp.src.proto_ipv4',
  'arp.dst.hw_mac',
  'arp.dst.proto_ipv4',
  'ip.version',
  'ip.hdr_len',
  'ip.dsfield',
  'ip.dsfield.dscp',
  'ip.dsfield.ecn',
  'ip.src',
  'ip.dst',
  'ip.addr',
  'ip.proto',
  'ip.len',
  'ip.id',
  'ip.flags',
  'ip.flags.rb',
  'ip.flags.df',
  'ip.flags.mf',
  'ip.frag_offset',
  'ip.ttl',
  'ip.checksum',
  'ip.checksum.status',
  'ip.fragment',
  'ip.fragment.count',
  'ip.reassembled_in',
  'ipv6.version',
  'ipv6.tclass',
  'ipv6.flow',
  'ipv6.src',
  'ipv6.dst',
  'ipv6.addr',
  'ipv6.nxt',
  'ipv6.plen',
  'ipv6.hlim',
  'ipv6.fragment.offset',
  'ipv6.fragment.more',
  'ipv6.fragment.id',
  'ipv6.reassembled_in',
  'icmp.type',
  'icmp.code',
  'icmp.checksum',
  'icmp.ident',
  'icmp.seq',
  'icmp.seq_le',
  'icmp.resp_in',
  'icmp.resp_to',
  'icmpv6.type',
  'icmpv6.code',
  'icmpv6.checksum',
  'icmpv6.echo.identifier',
  'icmpv6.echo.sequence_number',
  'icmpv6.nd.ns.target_address',
  'icmpv6.nd.na.target_address',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.port',
  'tcp.stream',
  'tcp.seq',
  'tcp.seq_raw',
  'tcp.nxtseq',
  'tcp.ack',
  'tcp.ack_raw',
  'tcp.len',
  'tcp.hdr_len',
  'tcp.flags',
  'tcp.flags.syn',
  'tcp.flags.ack',
  'tcp.flags.fin',
  'tcp.flags.reset',
  'tcp.flags.push',
  'tcp.flags.str',
  'tcp.window_size_value',
  'tcp.window_size',
  'tcp.window_size_scalefactor',
  'tcp.checksum',
  'tcp.urgent_pointer',
  'tcp.options.mss_val',
  'tcp.options.wscale.shift',
  'tcp.options.wscale.multiplier',
  'tcp.options.timestamp.tsval',
  'tcp.options.timestamp.tsecr',
  'tcp.analysis.flags',
  'tcp.analysis.retransmission',
  'tcp.analysis.fast_retransmission',
  'tcp.analysis.out_of_order',
  'tcp.analysis.lost_segment',
  'tcp.analysis.ack_lost_segment',
  'tcp.analysis.duplicate_ack',
  'tcp.analysis.duplicate_ack_num',
  'tcp.analysis.duplicate_ack_frame',
  'tcp.analysis.zero_window',
  'tcp.analysis.window_full',
  'tcp.analysis.window_update',
  'tcp.analysis.keep_alive',
  'tcp.analysis.acks_frame',
  'tcp.analysis.bytes_in_flight',
  'tcp.payload',
  'udp.srcport',
  'udp.dstport',
  'udp.port',
  'udp.length',
  'udp.checksum',
  'udp.stream',
  'data.data',
  'data.len',
  '_ws.expert',
  '_ws.expert.message',
  '_ws.expert.severity',
  '_ws.expert.group',
  '_ws.short',
  '_ws.malformed',
  '_ws.col.Protocol',
  '_ws.col.Source',
  '_ws.col.Destination',
  '_ws.col.Info',
];

/** The packet list's columns, which tshark prints as `_ws.col.<title>` though -G fields omits them. */
const COLUMNS: Readonly<Record<string, keyof Dissection['columns']>> = {
  '_ws.col.Protocol': 'protocol',
  '_ws.col.Source': 'src',
  '_ws.col.Destination': 'dst',
  '_ws.col.Info': 'info',
};

/** One cell of Wirescope's side: a field column, or a packet-list column. */
export function ourCell(d: Dissection, field: string): string {
  const col = COLUMNS[field];
  return col ? escapeFieldText(d.columns[col]) : fieldColumn(d, field);
}

export interface Mismatch {
  file: string;
  frame: number;
  field: string;
  ours: string;
  tshark: string;
}

export interface FileDiff {
  file: string;
  frames: number;
  fields: string[];
  mismatches: Mismatch[];
  /** Cells that differ but are listed in known-differences.ts, with the entry that excuses them. */
  excused: { m: Mismatch; why: KnownDifference }[];
  /** Fatal problems: the reader failed, frame counts differ. */
  errors: string[];
  /** Protocols tshark was told not to dissect, because Wirescope has no dissector for them yet. */
  disabled: string[];
  /** What either side said about a damaged file (reader warnings, tshark's error); not failures. */
  notes: string[];
}

/**
 * tsharkFields that survives a damaged file: tshark prints every frame before the damage, then
 * exits non-zero; those rows are kept and `said` is tshark's complaint ('' when all went well).
 */
export function tsharkRows(
  path: string,
  fields: string[],
  extra: string[],
): { rows: string[][]; said: string } {
  try {
    return { rows: tsharkFields(path, fields, extra), said: '' };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message?: string };
    const said = (err.stderr || err.message || String(e)).trim().split('\n').pop() ?? 'failed';
    const rows = (err.stdout ?? '')
      .split('\n')
      .filter((l, i, a) => !(l === '' && i === a.length - 1))
      .map((l) => l.split('\t'));
    return { rows: err.stdout ? rows : [], said };
  }
}

/**
 * Protocols tshark finds above Wirescope's reach in this file: those after the last protocol of a
 * frame that Wirescope registers, when that one is a transport or application protocol (tshark's
 * `http` over `tcp` while Wirescope stops at `tcp`), and those tshark registers on the frame's TCP
 * or UDP ports (tshark's `gryphon` on tcp.port 7000 swallows segments for reassembly without ever
 * appearing in frame.protocols). tshark is then run with them disabled, so its TCP stops
 * desegmenting for them and its payload becomes `data`, as Wirescope's does. Protocols below or
 * between known ones (ethertype, ipv6.fraghdr) are never disabled: those are Wirescope's to match.
 * Iterates, since disabling one can reveal another (a heuristic underneath).
 */
export function protocolsToDisable(path: string): string[] {
  const known = new Map(allProtocols().map((p) => [p.abbrev, p.place] as const));
  const tables = tsharkDecodes();
  const disabled = new Set<string>();
  const consider = (n: string | undefined) => {
    if (n && n !== 'data' && !n.startsWith('_ws.') && !known.has(n)) disabled.add(n);
  };
  for (let round = 0; round < 4; round++) {
    const extra = ['-2', ...[...disabled].flatMap((p) => ['--disable-protocol', p])];
    const before = disabled.size;
    const { rows } = tsharkRows(
      path,
      ['frame.protocols', 'tcp.srcport', 'tcp.dstport', 'udp.srcport', 'udp.dstport'],
      extra,
    );
    for (const [chain, ...ports] of rows) {
      const names = chain.split(':');
      let last = -1;
      for (let i = 0; i < names.length; i++) if (known.has(names[i]) && names[i] !== 'data') last = i;
      const place = last >= 0 ? known.get(names[last]) : null;
      if (place && (place.tcpip === 'transport' || place.tcpip === 'application'))
        for (const n of names.slice(last + 1)) consider(n);
      ports.forEach((cell, i) => {
        const table = tables.get(i < 2 ? 'tcp.port' : 'udp.port');
        const proto = i < 2 ? 'tcp' : 'udp';
        if (!known.has(proto) || !cell) return;
        for (const port of cell.split(',')) consider(table?.get(port));
      });
    }
    if (disabled.size === before) break;
  }
  return [...disabled].sort();
}

/** Expands `proto.*` against tshark's catalogue and drops what tshark 4.0 does not know. */
export function expandFields(list: readonly string[]): { fields: string[]; unknownToTshark: string[] } {
  const cat = tsharkCatalog();
  const fields: string[] = [];
  const unknownToTshark: string[] = [];
  for (const f of list) {
    if (f.endsWith('.*')) {
      const prefix = f.slice(0, -1);
      for (const k of [...cat.keys(), ...Object.keys(COLUMNS)]) if (k.startsWith(prefix)) fields.push(k);
    } else if (cat.has(f) || f in COLUMNS) {
      fields.push(f);
    } else {
      unknownToTshark.push(f);
    }
  }
  return { fields: [...new Set(fields)], unknownToTshark };
}

/** The core list plus every field Wirescope registers that tshark also knows (protocols included). */
export function comparedFields(): string[] {
  const cat = tsharkCatalog();
  const core = expandFields(CORE_FIELDS).fields;
  const registered = allFields()
    .map((f) => f.abbrev)
    .filter((a) => cat.has(a) && !a.startsWith('_ws.'));
  return [...new Set([...core, ...registered])];
}

/** Compares one capture, every frame, the given fields. Never throws: failures land in `errors`. */
export function diffFile(
  path: string,
  fields: readonly string[],
  frameFilter?: (n: number) => boolean,
): FileDiff {
  const file = basename(path);
  if (fields.length === 0) throw new Error('diffFile: no field to compare');
  const out: FileDiff = {
    file,
    frames: 0,
    fields: [...fields],
    mismatches: [],
    excused: [],
    errors: [],
    disabled: [],
    notes: [],
  };
  let ours;
  try {
    ours = dissectFile(path);
  } catch (e) {
    out.errors.push(`Wirescope could not read ${file}: ${e instanceof Error ? e.message : String(e)}`);
    return out;
  }
  for (const w of ours.warnings) out.notes.push(`Wirescope's reader: ${w.message}`);
  // -2: two passes, as Wirescope's index pass + detail (fields known only after later frames,
  // such as ip.reassembled_in on the first fragment, appear as in the Wireshark GUI).
  out.disabled = protocolsToDisable(path);
  const t = tsharkRows(path, [...fields], ['-2', ...out.disabled.flatMap((p) => ['--disable-protocol', p])]);
  if (t.said) {
    if (!t.rows.length) {
      out.errors.push(`tshark could not read ${file}: ${t.said}`);
      return out;
    }
    out.notes.push(`tshark: ${t.said}`);
  }
  const theirs = t.rows;
  out.frames = theirs.length;
  if (ours.frames.length !== theirs.length) {
    out.errors.push(`frame count: Wirescope read ${ours.frames.length}, tshark ${theirs.length}`);
  }
  const n = Math.min(ours.frames.length, theirs.length);
  for (let i = 0; i < n; i++) {
    const frame = i + 1;
    if (frameFilter && !frameFilter(frame)) continue;
    const d = ours.frames[i];
    const row = theirs[i];
    for (let j = 0; j < fields.length; j++) {
      const field = fields[j];
      let o: string;
      try {
        o = ourCell(d, field);
      } catch (e) {
        o = `<error: ${e instanceof Error ? e.message : String(e)}>`;
      }
      const t = row[j] ?? '';
      if (o === t) continue;
      const m: Mismatch = { file, frame, field, ours: o, tshark: t };
      const why = knownValueDifference(file, frame, field);
      if (why) out.excused.push({ m, why });
      else out.mismatches.push(m);
    }
  }
  return out;
}

/** `1-4,7,9-10` */
export function frameRanges(frames: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < frames.length;) {
    let j = i;
    while (j + 1 < frames.length && frames[j + 1] === frames[j] + 1) j++;
    parts.push(i === j ? `${frames[i]}` : `${frames[i]}-${frames[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

function clip(s: string, n = 60): string {
  return JSON.stringify(s.length > n ? s.slice(0, n) + '…' : s);
}

/**
 * A readable report: one line per field that differs (frames, count, the first example), or with
 * `cells`, one line per differing cell. Empty string when nothing differs.
 */
export function formatDiff(d: FileDiff, opts: { cells?: boolean; maxLines?: number } = {}): string {
  const lines: string[] = [];
  for (const e of d.errors) lines.push(`${d.file}: ${e}`);
  if (opts.cells) {
    for (const m of d.mismatches)
      lines.push(
        `${d.file}  frame ${m.frame}  ${m.field}  ours ${clip(m.ours, 200)}  tshark ${clip(m.tshark, 200)}`,
      );
  } else {
    const byField = new Map<string, Mismatch[]>();
    for (const m of d.mismatches) {
      const l = byField.get(m.field) ?? [];
      l.push(m);
      byField.set(m.field, l);
    }
    const width = Math.max(0, ...[...byField.keys()].map((k) => k.length));
    for (const [field, ms] of byField) {
      const first = ms[0];
      lines.push(
        `${d.file}  ${field.padEnd(width)}  frames ${frameRanges(ms.map((m) => m.frame))} (${ms.length})  e.g. frame ${first.frame}: ours ${clip(first.ours)} tshark ${clip(first.tshark)}`,
      );
    }
  }
  const max = opts.maxLines ?? Infinity;
  if (lines.length > max)
    return [...lines.slice(0, max), `… and ${lines.length - max} more lines`].join('\n');
  return lines.join('\n');
}

/**
 * Every frame's tree against tshark's PDML: byte ranges of every non-generated item tshark knows,
 * tree lines, layer lines (see compareTree). Never throws: a reader failure is one problem.
 */
export function diffTree(path: string, frameFilter?: (n: number) => boolean): TreeComparison {
  const file = basename(path);
  let frames: Dissection[];
  try {
    frames = dissectFile(path).frames;
  } catch (e) {
    return {
      problems: [`Wirescope could not read ${file}: ${e instanceof Error ? e.message : String(e)}`],
      excused: 0,
    };
  }
  let pdml: Map<number, PdmlNode[]>;
  try {
    pdml = pdmlFrames(path, null, protocolsToDisable(path));
  } catch (e) {
    const err = e as { stderr?: string; message?: string };
    return {
      problems: [
        `tshark could not read ${file}: ${(err.stderr || err.message || String(e)).trim().split('\n').pop()}`,
      ],
      excused: 0,
    };
  }
  const numbers = frames.map((_, i) => i + 1).filter((n) => !frameFilter || frameFilter(n));
  return compareTree(file, frames, pdml, numbers);
}
