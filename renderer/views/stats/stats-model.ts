// Pure helpers of the Statistics view: the protocol hierarchy flattened into indented rows, the
// I/O graph's interval choices, the filters of conversations and endpoints, and the number
// formats the tables use.
import type { ConvKind, ConvRow, EndpointRow } from '../../../shared/stats/conv';
import type { PhsShare } from '../../../shared/stats/phs';
import type { TcpIpLayer } from '../../../shared/dissect/types';

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

export type BandModel = 'tcpip' | 'osi';

export interface BandLayer {
  label: string;
  /** The TCP/IP layer whose colour the row takes (OSI 1–2 link, 3 internet, 4 transport, 5–7 application). */
  color: TcpIpLayer;
  /** First row (sub-rows stack protocols of one layer carried by one another, e.g. http over tls). */
  row: number;
  rows: number;
}

export interface Band {
  path: string;
  proto: string;
  /** Row from the top (the link layer first, each protocol under the one that carried it). */
  row: number;
  /** Left edge and width as shares of the whole capture (0..1). */
  x: number;
  width: number;
  share: number;
}

const TCPIP: readonly { label: string; color: TcpIpLayer }[] = [
  { label: 'Link', color: 'link' },
  { label: 'Internet', color: 'internet' },
  { label: 'Transport', color: 'transport' },
  { label: 'Application', color: 'application' },
];

const OSI: readonly { label: string; color: TcpIpLayer }[] = [
  { label: '1 Physical', color: 'link' },
  { label: '2 Data link', color: 'link' },
  { label: '3 Network', color: 'internet' },
  { label: '4 Transport', color: 'transport' },
  { label: '5 Session', color: 'application' },
  { label: '6 Presentation', color: 'application' },
  { label: '7 Application', color: 'application' },
];

/**
 * The protocol hierarchy as nested bands, one row (or more) per layer: each protocol a band as
 * wide as its share of the capture's bytes (or packets), inside the range of the protocol that
 * carried it. A protocol without a place of its own (reassembly, data) stays in its carrier's
 * layer, and one that sits lower than its carrier (IP inside an ICMP error) is drawn in the
 * carrier's layer too, so bands always nest downwards.
 */
export function phsBands(
  tree: readonly PhsShare[],
  model: BandModel,
  measure: 'bytes' | 'packets',
): { layers: BandLayer[]; bands: Band[] } {
  const names = model === 'tcpip' ? TCPIP : OSI;
  const depth = names.map(() => 0);
  const placed: { path: string; proto: string; layer: number; sub: number; x: number; width: number }[] = [];
  const layerOf = (n: PhsShare): number | null =>
    !n.place
      ? null
      : model === 'tcpip'
        ? TCPIP.findIndex((l) => l.color === n.place!.tcpip)
        : n.place.osi - 1;
  const walk = (
    nodes: readonly PhsShare[],
    x0: number,
    parent: { layer: number; sub: number } | null,
    prefix: string,
  ) => {
    let x = x0;
    for (const n of nodes) {
      const width = measure === 'bytes' ? n.byteShare : n.frameShare;
      const own = layerOf(n);
      const layer = Math.max(own ?? parent?.layer ?? names.length - 1, parent?.layer ?? 0);
      const sub = parent && parent.layer === layer ? parent.sub + 1 : 0;
      const path = prefix ? `${prefix}/${n.proto}` : n.proto;
      placed.push({ path, proto: n.proto, layer, sub, x, width });
      depth[layer] = Math.max(depth[layer], sub + 1);
      walk(n.children, x, { layer, sub }, path);
      x += width;
    }
  };
  walk(tree, 0, null, '');
  const layers: BandLayer[] = [];
  let row = 0;
  names.forEach((l, i) => {
    const rows = Math.max(1, depth[i]);
    layers.push({ ...l, row, rows });
    row += rows;
  });
  return {
    layers,
    bands: placed.map((p) => ({
      path: p.path,
      proto: p.proto,
      row: layers[p.layer].row + p.sub,
      x: p.x,
      width: p.width,
      share: p.width,
    })),
  };
}
