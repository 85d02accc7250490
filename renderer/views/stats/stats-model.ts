// Pure helpers of the Statistics view: the protocol hierarchy flattened into indented rows, the
// I/O graph's interval choices, the filters of conversations and endpoints, and the number
// formats the tables use.
import type { ConvKind, ConvRow, EndpointRow } from '../../../shared/stats/conv';
import type { PhsShare } from '../../../shared/stats/phs';

export interface PhsRow {
  /** Protocols from the root down to this one, joined by '/' (a stable key and test hook). */
  path: string;
  proto: string;
  depth: number;
  frames: number;
  bytes: number;
  frameShare: number;
  byteShare: number;
  hasChildren: boolean;
}

/** Depth-first rows, children under their parent, skipping the children of collapsed paths. */
export function phsRows(tree: readonly PhsShare[], collapsed: ReadonlySet<string> = new Set()): PhsRow[] {
  const out: PhsRow[] = [];
  const walk = (nodes: readonly PhsShare[], depth: number, prefix: string) => {
    for (const n of nodes) {
      const path = prefix ? `${prefix}/${n.proto}` : n.proto;
      out.push({
        path,
        proto: n.proto,
        depth,
        frames: n.frames,
        bytes: n.bytes,
        frameShare: n.frameShare,
        byteShare: n.byteShare,
        hasChildren: n.children.length > 0,
      });
      if (!collapsed.has(path)) walk(n.children, depth + 1, path);
    }
  };
  walk(tree, 0, '');
  return out;
}

/** I/O graph intervals, microseconds (1 ms to 1 min, as the contract allows). */
export const IO_INTERVALS: readonly { us: number; label: string }[] = [
  { us: 1_000, label: '1 ms' },
  { us: 10_000, label: '10 ms' },
  { us: 100_000, label: '100 ms' },
  { us: 1_000_000, label: '1 s' },
  { us: 10_000_000, label: '10 s' },
  { us: 60_000_000, label: '1 min' },
];

/**
 * I/O graph line colours, in order: the theme's accent first (the single line keeps its colour),
 * then hues apart from it and from each other (Tableau 10, legible on light and dark panels).
 */
export const IO_LINE_COLORS: readonly string[] = [
  'var(--accent)',
  '#e15759',
  '#59a14f',
  '#f28e2b',
  '#b07aa1',
  '#76b7b2',
  '#edc948',
  '#9c755f',
];

/** A line's name in the legend and readout: its filter, or "all packets". */
export function ioLineName(l: { filter: string }): string {
  return l.filter || 'all packets';
}

const whole = new Intl.NumberFormat('en');

export function countText(n: number): string {
  return whole.format(n);
}

/** A share 0..1 as a percentage with one decimal (tshark's GUI shows the same). */
export function percentText(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

/** Seconds for an axis or a tooltip, with as many decimals as the interval needs. */
export function secondsLabel(s: number, intervalUs: number): string {
  const digits = intervalUs >= 1_000_000 ? 0 : intervalUs >= 100_000 ? 1 : intervalUs >= 10_000 ? 2 : 3;
  return `${s.toFixed(digits)} s`;
}

/** The nearest bucket to `k` that holds a packet (the I/O graph's click target), or -1. */
export function nearestFilled(packets: readonly number[], k: number): number {
  if (!packets.length) return -1;
  const at = Math.max(0, Math.min(packets.length - 1, Math.round(k)));
  for (let d = 0; d < packets.length; d++) {
    if (at - d >= 0 && packets[at - d] > 0) return at - d;
    if (at + d < packets.length && packets[at + d] > 0) return at + d;
  }
  return -1;
}

/** The conversation and endpoint types, as Wireshark's dialogs name their tabs. */
export const CONV_TYPES: readonly { type: ConvKind; label: string }[] = [
  { type: 'eth', label: 'Ethernet' },
  { type: 'ip', label: 'IPv4' },
  { type: 'ipv6', label: 'IPv6' },
  { type: 'tcp', label: 'TCP' },
  { type: 'udp', label: 'UDP' },
];

function hostFilter(type: ConvKind, address: string): string {
  if (type === 'eth') return `eth.addr == ${address}`;
  return `${address.includes(':') ? 'ipv6' : 'ip'}.addr == ${address}`;
}

function endFilter(type: ConvKind, address: string, port: number): string {
  const host = hostFilter(type, address);
  return type === 'tcp' || type === 'udp' ? `${host} && ${type}.port == ${port}` : host;
}

/**
 * The display filter of one conversation, as Wireshark's Conversations dialog writes it
 * ("ip.addr==A && tcp.port==P && ip.addr==B && tcp.port==Q"): both ends, each side matching
 * either direction.
 */
export function conversationFilter(type: ConvKind, c: ConvRow): string {
  return `${endFilter(type, c.addressA, c.portA)} && ${endFilter(type, c.addressB, c.portB)}`;
}

export function endpointFilter(type: ConvKind, e: EndpointRow): string {
  return endFilter(type, e.address, e.port);
}

/** An address with its port for the transport tables (IPv6 in brackets, RFC 5952 §6). */
export function endText(type: ConvKind, address: string, port: number): string {
  if (type !== 'tcp' && type !== 'udp') return address;
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** Seconds with the precision Wireshark's dialogs use (4 decimals for durations). */
export function durationText(s: number): string {
  return s.toFixed(4);
}
