// Which frames of which fixtures each protocol's goldens show. Few frames, each chosen for a
// reason (the `why`), so the goldens stay small enough to review as diffs. Frame numbers refer to
// tests/fixtures/captures as committed: after remaking the fixtures, check them against
// `tshark -r FILE` and rerun `npm run golden -- --update`.

export interface GoldenCase {
  /** Folder under tests/golden/ (the protocol the case is about). */
  dir: string;
  /** Layers shown (a protocol can appear under two names, e.g. vlan and ieee8021ad). */
  protos: readonly string[];
  file: string;
  frames: readonly number[];
  why: string;
}

export const goldenManifest: readonly GoldenCase[] = [
  {
    dir: 'frame',
    protos: ['frame'],
    file: 'lo-http6.pcapng',
    frames: [1, 2],
    why: 'pcapng interface, first frame and a delta',
  },
  {
    dir: 'frame',
    protos: ['frame'],
    file: 'comments.pcapng',
    frames: [1, 2, 3],
    why: 'packet comments with characters tshark escapes',
  },
  {
    dir: 'frame',
    protos: ['frame'],
    file: 'lo-tcp-chat-nano.pcap',
    frames: [1, 2],
    why: 'nanosecond timestamps',
  },
  {
    dir: 'frame',
    protos: ['frame'],
    file: 'lo-snap64.pcap',
    frames: [4],
    why: 'captured length below frame length',
  },
  { dir: 'eth', protos: ['eth'], file: 'lo-http4.pcap', frames: [1], why: 'Linux loopback: zero MACs, IPv4' },
  {
    dir: 'eth',
    protos: ['eth'],
    file: 'veth-arp-nd.pcap',
    frames: [1, 2, 7],
    why: 'broadcast ARP, unicast reply, IPv6 multicast',
  },
  {
    dir: 'vlan',
    protos: ['vlan', 'ieee8021ad'],
    file: 'vlan-arp-nd.pcap',
    frames: [1, 7],
    why: '802.1Q over ARP and IPv6',
  },
  {
    dir: 'vlan',
    protos: ['vlan', 'ieee8021ad'],
    file: 'qinq-arp-nd.pcap',
    frames: [1, 2],
    why: '802.1ad S-tag + C-tag, then untagged',
  },
  {
    dir: 'sll',
    protos: ['sll'],
    file: 'any-sll-ping.pcap',
    frames: [1, 7],
    why: 'Linux cooked v1, IPv4 and IPv6',
  },
  { dir: 'sll', protos: ['sll'], file: 'any-sll2.pcapng', frames: [1, 2], why: 'Linux cooked v2' },
  {
    dir: 'null',
    protos: ['null', 'loop'],
    file: 'linktype-null.pcap',
    frames: [1, 5],
    why: 'NULL, host-order family 2 and 30',
  },
  {
    dir: 'null',
    protos: ['null', 'loop'],
    file: 'linktype-loop.pcap',
    frames: [1, 5],
    why: 'LOOP, network-order family 2 and 24',
  },
  { dir: 'raw', protos: ['raw'], file: 'linktype-raw.pcap', frames: [1, 5], why: 'RAW (101), IPv4 and IPv6' },
  {
    dir: 'raw',
    protos: ['raw'],
    file: 'linktype-ipv4.pcap',
    frames: [1],
    why: 'IPV4 (228): tshark shows no raw layer',
  },
  { dir: 'arp', protos: ['arp'], file: 'veth-arp-nd.pcap', frames: [1, 2], why: 'request and reply' },
  { dir: 'ip', protos: ['ip'], file: 'lo-http4.pcap', frames: [1], why: 'plain TCP SYN' },
  {
    dir: 'ip',
    protos: ['ip'],
    file: 'lo-frag.pcap',
    frames: [1, 2, 3],
    why: 'fragments and the reassembling frame',
  },
  {
    dir: 'ip',
    protos: ['ip'],
    file: 'lo-icmp-unreach.pcap',
    frames: [4],
    why: 'IP header quoted inside ICMP',
  },
  { dir: 'ipv6', protos: ['ipv6'], file: 'lo-http6.pcapng', frames: [1], why: 'plain TCP SYN' },
  {
    dir: 'ipv6',
    protos: ['ipv6'],
    file: 'lo-frag.pcap',
    frames: [13, 14, 15],
    why: 'Fragment headers and reassembly',
  },
  {
    dir: 'ipv6',
    protos: ['ipv6'],
    file: 'lo-icmp-unreach.pcap',
    frames: [8],
    why: 'IPv6 header quoted inside ICMPv6',
  },
  { dir: 'icmp', protos: ['icmp'], file: 'lo-mixed.pcap', frames: [1, 2], why: 'echo request and reply' },
  { dir: 'icmp', protos: ['icmp'], file: 'lo-icmp-unreach.pcap', frames: [4], why: 'port unreachable' },
  { dir: 'icmpv6', protos: ['icmpv6'], file: 'lo-mixed.pcap', frames: [5, 6], why: 'echo request and reply' },
  {
    dir: 'icmpv6',
    protos: ['icmpv6'],
    file: 'veth-arp-nd.pcap',
    frames: [7, 8],
    why: 'neighbour solicitation and advertisement',
  },
  {
    dir: 'icmpv6',
    protos: ['icmpv6'],
    file: 'lo-icmp-unreach.pcap',
    frames: [8],
    why: 'destination unreachable (port)',
  },
  {
    dir: 'tcp',
    protos: ['tcp'],
    file: 'lo-http4.pcap',
    frames: [1, 2, 3, 4],
    why: 'handshake with options, first data',
  },
  { dir: 'tcp', protos: ['tcp'], file: 'lo-tcp-rst.pcap', frames: [1, 2], why: 'refused: SYN, RST/ACK' },
  {
    dir: 'tcp',
    protos: ['tcp'],
    file: 'tcp-analysis-edited.pcap',
    frames: [9, 11, 13, 21, 40],
    why: 'lost, out-of-order, ACKed unseen, retransmission, dup ACK',
  },
  {
    dir: 'tcp',
    protos: ['tcp'],
    file: 'lo-tcp-zero-window.pcap',
    frames: [6, 7, 8, 11],
    why: 'window full, zero window, probe, window update',
  },
  {
    dir: 'tcp',
    protos: ['tcp'],
    file: 'lo-snap64.pcap',
    frames: [4, 20],
    why: 'cut by snaplen inside the options (v4) and the header (v6)',
  },
  { dir: 'udp', protos: ['udp'], file: 'lo-mixed.pcap', frames: [9, 10, 11], why: 'request, reply, IPv6' },
  {
    dir: 'udp',
    protos: ['udp'],
    file: 'lo-frag.pcap',
    frames: [29, 35],
    why: 'datagrams reassembled from IPv4 and IPv6 fragments',
  },
  // DNS fixtures live in tests/fixtures/dns (made by its make.sh), hence the relative path.
  {
    dir: 'dns',
    protos: ['dns'],
    file: '../dns/dns-udp.pcap',
    frames: [1, 2, 10, 20, 22, 24, 30],
    why: 'query with EDNS cookie, A answer, TXT + NSID, SRV, CAA, NXDOMAIN with SOA, retransmitted query',
  },
  {
    dir: 'dns',
    protos: ['dns'],
    file: '../dns/dns-tcp.pcap',
    frames: [2, 30, 38],
    why: 'truncated (TC) UDP answer; over TCP: the segment completing a split message, two queries in one segment',
  },
  {
    dir: 'dns',
    protos: ['mdns'],
    file: '../dns/mdns.pcap',
    frames: [1, 2],
    why: 'mDNS QU question, cache-flush answer',
  },
];
