// Which of Wireshark 4.0's default coloring rules (the `colorfilters` file it ships) a packet
// matches, evaluated over the packet's dissection with the tree on, in Wireshark's order (the
// first match wins). The colours themselves are Wireshark's defaults too, for the views.
//
// Departures: rules for protocols Wirescope does not dissect yet (HSRP, STP, OSPF state changes,
// SCTP ABORT, System Event) cannot match and are left out; they return when those dissectors do.
// Comparison semantics follow Wireshark 4.0: `==` and `<` match if ANY occurrence matches, `!=`
// only if ALL occurrences differ, and a comparison on an absent field is false.
import type { Dissection, FieldValue, Item } from '../dissect/types';
import type { ColorRule } from './api';

export interface ColorStyle {
  /** Wireshark's rule name, for the legend. */
  name: string;
  /** The display filter Wireshark uses, for the legend's tooltip. */
  filter: string;
  /** Foreground and background, as CSS hex colours (Wireshark's 16-bit RGB scaled to 8 bits). */
  fg: string;
  bg: string;
}

export const COLOR_STYLES: Readonly<Record<ColorRule, ColorStyle>> = {
  'bad-tcp': {
    name: 'Bad TCP',
    filter:
      'tcp.analysis.flags && !tcp.analysis.window_update && !tcp.analysis.keep_alive && !tcp.analysis.keep_alive_ack',
    fg: '#f78787',
    bg: '#12272e',
  },
  'icmp-errors': {
    name: 'ICMP errors',
    filter: 'icmp.type in { 3..5, 11 } || icmpv6.type in { 1..4 }',
    fg: '#b7f774',
    bg: '#12272e',
  },
  arp: { name: 'ARP', filter: 'arp', fg: '#12272e', bg: '#faf0d7' },
  icmp: { name: 'ICMP', filter: 'icmp || icmpv6', fg: '#12272e', bg: '#fce0ff' },
  'tcp-rst': { name: 'TCP RST', filter: 'tcp.flags.reset eq 1', fg: '#fffc9c', bg: '#a40000' },
  'ttl-low': {
    name: 'TTL low or unexpected',
    filter:
      '(ip.dst != 224.0.0.0/4 && ip.ttl < 5 && !pim && !ospf) || (ip.dst == 224.0.0.0/24 && ip.dst != 224.0.0.251 && ip.ttl != 1 && !(vrrp || carp))',
    fg: '#ecf0eb',
    bg: '#a40000',
  },
  'checksum-errors': {
    name: 'Checksum Errors',
    filter:
      'eth.fcs.status=="Bad" || ip.checksum.status=="Bad" || tcp.checksum.status=="Bad" || udp.checksum.status=="Bad" || …',
    fg: '#f78787',
    bg: '#12272e',
  },
  smb: { name: 'SMB', filter: 'smb || nbss || nbns || netbios', fg: '#12272e', bg: '#feffd0' },
  http: { name: 'HTTP', filter: 'http || tcp.port == 80 || http2', fg: '#12272e', bg: '#e4ffc7' },
  dcerpc: { name: 'DCERPC', filter: 'dcerpc', fg: '#12272e', bg: '#c797ff' },
  routing: {
    name: 'Routing',
    filter: 'hsrp || eigrp || ospf || bgp || cdp || vrrp || carp || gvrp || igmp || ismp',
    fg: '#12272e',
    bg: '#fff3d5',
  },
  'tcp-syn-fin': {
    name: 'TCP SYN/FIN',
    filter: 'tcp.flags & 0x02 || tcp.flags.fin == 1',
    fg: '#12272e',
    bg: '#a0a0a0',
  },
  tcp: { name: 'TCP', filter: 'tcp', fg: '#12272e', bg: '#e7e5ff' },
  udp: { name: 'UDP', filter: 'udp', fg: '#12272e', bg: '#daeeff' },
  broadcast: { name: 'Broadcast', filter: 'eth[0] & 1', fg: '#babdb6', bg: '#ffffff' },
};

const CHECKSUM_STATUS = [
  'eth.fcs.status',
  'ip.checksum.status',
  'tcp.checksum.status',
  'udp.checksum.status',
  'sctp.checksum.status',
  'mstp.checksum.status',
  'cdp.checksum.status',
  'edp.checksum.status',
  'wlan.fcs.status',
  'stt.checksum.status',
];

type Values = Map<string, FieldValue[]>;

function collect(items: readonly Item[], into: Values): void {
  for (const it of items) {
    if (it.abbrev) {
      const list = into.get(it.abbrev);
      if (list) list.push(it.value);
      else into.set(it.abbrev, [it.value]);
    }
    if (it.children) collect(it.children, into);
  }
}

const num = (v: FieldValue): number =>
  typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : typeof v === 'bigint' ? Number(v) : NaN;
const ipv4 = (v: FieldValue): number =>
  v instanceof Uint8Array && v.length === 4 ? ((v[0] << 24) | (v[1] << 16) | (v[2] << 8) | v[3]) >>> 0 : -1;
const inNet = (a: number, net: number, bits: number): boolean =>
  a >= 0 && a >>> (32 - bits) === net >>> (32 - bits);

/** The default coloring rule a packet matches (tree dissection and its frame bytes), or null. */
export function colorRuleOf(d: Dissection, frame: Uint8Array): ColorRule | null {
  const values: Values = new Map();
  for (const l of d.layers) collect(l.items, values);
  const protos = new Set(d.protocols);
  const has = (a: string): boolean => protos.has(a) || values.has(a);
  const any = (a: string, test: (v: FieldValue) => boolean): boolean => values.get(a)?.some(test) ?? false;
  const all = (a: string, test: (v: FieldValue) => boolean): boolean => {
    const vs = values.get(a);
    return !!vs && vs.length > 0 && vs.every(test);
  };

  if (
    has('tcp.analysis.flags') &&
    !has('tcp.analysis.window_update') &&
    !has('tcp.analysis.keep_alive') &&
    !has('tcp.analysis.keep_alive_ack')
  )
    return 'bad-tcp';
  if (
    any('icmp.type', (v) => [3, 4, 5, 11].includes(num(v))) ||
    any('icmpv6.type', (v) => num(v) >= 1 && num(v) <= 4)
  )
    return 'icmp-errors';
  if (has('arp')) return 'arp';
  if (has('icmp') || has('icmpv6')) return 'icmp';
  if (any('tcp.flags.reset', (v) => num(v) === 1)) return 'tcp-rst';
  const ttlLow =
    (all('ip.dst', (v) => !inNet(ipv4(v), 0xe0000000, 4)) &&
      any('ip.ttl', (v) => num(v) < 5) &&
      !has('pim') &&
      !has('ospf')) ||
    (any('ip.dst', (v) => inNet(ipv4(v), 0xe0000000, 24)) &&
      all('ip.dst', (v) => ipv4(v) !== 0xe00000fb) &&
      all('ip.ttl', (v) => num(v) !== 1) &&
      !(has('vrrp') || has('carp')));
  if (ttlLow) return 'ttl-low';
  if (CHECKSUM_STATUS.some((a) => any(a, (v) => num(v) === 0))) return 'checksum-errors';
  if (has('smb') || has('nbss') || has('nbns') || has('netbios')) return 'smb';
  if (has('http') || any('tcp.port', (v) => num(v) === 80) || has('http2')) return 'http';
  if (has('dcerpc')) return 'dcerpc';
  if (['hsrp', 'eigrp', 'ospf', 'bgp', 'cdp', 'vrrp', 'carp', 'gvrp', 'igmp', 'ismp'].some(has))
    return 'routing';
  if (any('tcp.flags', (v) => (num(v) & 0x02) !== 0) || any('tcp.flags.fin', (v) => num(v) === 1))
    return 'tcp-syn-fin';
  if (has('tcp')) return 'tcp';
  if (has('udp')) return 'udp';
  const eth = d.layers.find((l) => l.proto === 'eth' && !l.source);
  if (eth && eth.offset < frame.length && (frame[eth.offset] & 1) === 1) return 'broadcast';
  return null;
}
