// Packet colouring rules: an ordered list of display filters, each with a foreground and a
// background colour; the first enabled rule whose filter selects a packet colours its row, as in
// Wireshark's View › Coloring Rules. Rules are read and written in Wireshark's own `colorfilters`
// format so a person can bring theirs over, and so tshark can check ours (tests). Matching is in
// coloring-match.ts, so the page can hold the rules without the filter compiler.
import { MAX_COLORING_RULES, type ColoringRule } from '../contract/api';

/**
 * Wireshark 4.0's default rules (its `colorfilters` file), in its order, with what Wirescope does
 * not dissect taken out: the rules that only name such protocols (HSRP and OSPF state changes,
 * Spanning Tree, SCTP ABORT, SMB, DCERPC, Routing, System Event) and, inside the others, the terms
 * naming them (`!pim && !ospf`, `sctp.checksum.status == "Bad"`…), which could only ever be
 * false or true here. They come back as the dissectors do.
 */
export const DEFAULT_COLORING: readonly ColoringRule[] = [
  {
    name: 'Bad TCP',
    filter:
      'tcp.analysis.flags && !tcp.analysis.window_update && !tcp.analysis.keep_alive && !tcp.analysis.keep_alive_ack',
    fg: '#f78787',
    bg: '#12272e',
    enabled: true,
  },
  {
    name: 'ICMP errors',
    filter: 'icmp.type in { 3..5, 11 } || icmpv6.type in { 1..4 }',
    fg: '#b7f774',
    bg: '#12272e',
    enabled: true,
  },
  { name: 'ARP', filter: 'arp', fg: '#12272e', bg: '#faf0d7', enabled: true },
  { name: 'ICMP', filter: 'icmp || icmpv6', fg: '#12272e', bg: '#fce0ff', enabled: true },
  { name: 'TCP RST', filter: 'tcp.flags.reset eq 1', fg: '#fffc9c', bg: '#a40000', enabled: true },
  {
    name: 'TTL low or unexpected',
    filter:
      '(ip.dst != 224.0.0.0/4 && ip.ttl < 5) || (ip.dst == 224.0.0.0/24 && ip.dst != 224.0.0.251 && ip.ttl != 1)',
    fg: '#ecf0eb',
    bg: '#a40000',
    enabled: true,
  },
  {
    name: 'Checksum Errors',
    filter:
      'eth.fcs.status=="Bad" || ip.checksum.status=="Bad" || tcp.checksum.status=="Bad" || udp.checksum.status=="Bad"',
    fg: '#f78787',
    bg: '#12272e',
    enabled: true,
  },
  { name: 'HTTP', filter: 'http || tcp.port == 80 || http2', fg: '#12272e', bg: '#e4ffc7', enabled: true },
  {
    name: 'TCP SYN/FIN',
    filter: 'tcp.flags & 0x02 || tcp.flags.fin == 1',
    fg: '#12272e',
    bg: '#a0a0a0',
    enabled: true,
  },
  { name: 'TCP', filter: 'tcp', fg: '#12272e', bg: '#e7e5ff', enabled: true },
  { name: 'UDP', filter: 'udp', fg: '#12272e', bg: '#daeeff', enabled: true },
  { name: 'Broadcast', filter: 'eth[0] & 1', fg: '#babdb6', bg: '#ffffff', enabled: true },
];

/** The filters of the enabled rules, in order: what `packets.rows` takes, row colours index into it. */
export function coloringFilters(rules: readonly ColoringRule[]): string[] {
  return rules.filter((r) => r.enabled).map((r) => r.filter);
}

// Wireshark's colorfilters file ----------------------------------------------------------------

/** A line of a colorfilters file that could not be read, and why. */
export interface ColorfiltersProblem {
  line: number;
  message: string;
}

const LINE = /^(!?)@([^@]*)@(.*)@\[(\d+),(\d+),(\d+)\]\[(\d+),(\d+),(\d+)\]\s*$/;

const hex16 = (v: string): string => {
  const n = Math.round((Math.min(65535, Number(v)) / 65535) * 255);
  return n.toString(16).padStart(2, '0');
};
const to16 = (hex: string, i: number): number => {
  const n = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16);
  return Number.isFinite(n) ? n * 257 : 0;
};

/**
 * Rules from Wireshark's colorfilters format: `@name@filter@[bg r,g,b][fg r,g,b]` with 16-bit
 * channels, `!@…` for a disabled rule, `#` comments. Lines that are not rules are reported with
 * their number and skipped; nothing else is lost.
 */
export function parseColorfilters(text: string): { rules: ColoringRule[]; problems: ColorfiltersProblem[] } {
  const rules: ColoringRule[] = [];
  const problems: ColorfiltersProblem[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const m = LINE.exec(line);
    if (!m) {
      problems.push({
        line: i + 1,
        message: 'not a rule: expected @name@filter@[r,g,b][r,g,b] (background, then foreground)',
      });
      return;
    }
    if (rules.length >= MAX_COLORING_RULES) {
      problems.push({ line: i + 1, message: `more than ${MAX_COLORING_RULES} rules: the rest are left out` });
      return;
    }
    const [, off, name, filter, br, bgG, bb, fr, fgG, fb] = m;
    rules.push({
      name: name.trim() || `Rule ${rules.length + 1}`,
      filter: filter.trim(),
      bg: `#${hex16(br)}${hex16(bgG)}${hex16(bb)}`,
      fg: `#${hex16(fr)}${hex16(fgG)}${hex16(fb)}`,
      enabled: off !== '!',
    });
  });
  return { rules, problems };
}

/** Rules in Wireshark's colorfilters format (View › Coloring Rules › Import in Wireshark reads it). */
export function formatColorfilters(rules: readonly ColoringRule[]): string {
  const rgb = (hex: string): string => `[${to16(hex, 0)},${to16(hex, 1)},${to16(hex, 2)}]`;
  const lines = rules.map(
    (r) =>
      `${r.enabled ? '' : '!'}@${r.name.replace(/@/g, ' ')}@${r.filter.replace(/[\r\n]+/g, ' ')}@${rgb(r.bg)}${rgb(r.fg)}`,
  );
  return `# Wirescope coloring rules (Wireshark colorfilters format)\n${lines.join('\n')}\n`;
}
