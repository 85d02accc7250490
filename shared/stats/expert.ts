// Expert information (tshark -q -z expert[,error|warn|note|chat|comment][,FILTER];
// ui/cli/tap-expert.c): notes grouped by severity, most severe first; within a severity one row
// per (protocol, summary) in order of first appearance, with its frequency and the group of its
// first occurrence.
//
// Wirescope names the protocol of a note after the first part of its id (`tcp.analysis…` is
// TCP), in Wireshark's short names where they differ from the upper-cased abbreviation.
import type { Expert, ExpertGroup, Severity } from '../dissect/types';
import type { StatFrame } from './frame';

const GROUP: Record<ExpertGroup, string> = {
  checksum: 'Checksum',
  sequence: 'Sequence',
  response: 'Response',
  request: 'Request',
  undecoded: 'Undecoded',
  decryption: 'Decryption',
  reassemble: 'Reassemble',
  malformed: 'Malformed',
  protocol: 'Protocol',
  comment: 'Comment',
};

const SHORT: Record<string, string> = {
  ip: 'IPv4',
  ipv6: 'IPv6',
  icmpv6: 'ICMPv6',
  websocket: 'WebSocket',
  frame: 'Frame',
  _ws: 'Malformed',
  data: 'Data',
  x509sat: 'X509SAT',
  grpc: 'GRPC',
  protobuf: 'ProtoBuf',
  'data-text-lines': 'Line-based text data',
};

export function protocolShortName(abbrev: string): string {
  return SHORT[abbrev] ?? abbrev.toUpperCase();
}

export const SEVERITIES: readonly Severity[] = ['error', 'warn', 'note', 'chat', 'comment'];
const TITLE: Record<Severity, string> = {
  error: 'Errors',
  warn: 'Warns',
  note: 'Notes',
  chat: 'Chats',
  comment: 'Comments',
};

export interface ExpertRow {
  severity: Severity;
  group: string;
  protocol: string;
  summary: string;
  frequency: number;
  /** Frames carrying it, for links in the app. */
  frames: number[];
}

export class ExpertTally {
  private readonly rows = new Map<Severity, Map<string, ExpertRow>>();
  /** The least severe level kept (tshark's optional first argument). */
  constructor(readonly lowest: Severity = 'comment') {
    for (const s of SEVERITIES) this.rows.set(s, new Map());
  }

  addFrame(f: StatFrame): void {
    for (const l of f.d.layers) for (const e of l.experts) this.add(e, l.proto, f.number);
  }

  add(e: Expert, layerProto: string, frame: number): void {
    if (SEVERITIES.indexOf(e.severity) > SEVERITIES.indexOf(this.lowest)) return;
    const dot = e.id.indexOf('.');
    const protocol = protocolShortName(dot > 0 ? e.id.slice(0, dot) : layerProto);
    const m = this.rows.get(e.severity)!;
    const key = `${protocol}\u0000${e.message}`;
    const r = m.get(key);
    if (r) {
      r.frequency++;
      if (r.frames[r.frames.length - 1] !== frame) r.frames.push(frame);
      return;
    }
    m.set(key, {
      severity: e.severity,
      group: GROUP[e.group],
      protocol,
      summary: e.message,
      frequency: 1,
      frames: [frame],
    });
  }

  /** Rows by severity, most severe first. */
  bySeverity(): { severity: Severity; total: number; rows: ExpertRow[] }[] {
    return SEVERITIES.map((severity) => {
      const rows = [...this.rows.get(severity)!.values()];
      return { severity, total: rows.reduce((n, r) => n + r.frequency, 0), rows };
    });
  }

  text(): string {
    let s = '';
    for (const g of this.bySeverity()) {
      if (!g.rows.length) continue;
      s += `\n${TITLE[g.severity]} (${g.total})\n=============\n   Frequency      Group           Protocol  Summary\n`;
      for (const r of g.rows)
        s += `${String(r.frequency).padStart(12)} ${r.group.padStart(10)} ${r.protocol.padStart(18)}  ${r.summary}\n`;
    }
    return s;
  }
}
