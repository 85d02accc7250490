// Wireshark 4.0's default coloring rules by name, with its colours: the sequence diagram colours
// each arrow as the packet list would colour the packet it stands for (shared/diagram/labels.ts).
// The packet list itself uses the editable rule list (shared/filter/coloring.ts), whose defaults
// are these rules written as display filters.
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
