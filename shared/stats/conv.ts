// Conversations and endpoints (tshark -z conv,TYPE and -z endpoints,TYPE; ui/cli/tap-iousers.c,
// ui/cli/tap-endpoints.c) for Ethernet, IPv4, IPv6, TCP and UDP.
//
// What is counted, as tshark 4.0 counts it:
// - every Ethernet, IPv4 and IPv6 header of the frame's own bytes and the first TCP or UDP header
//   (from a reassembled datagram too), but nothing quoted inside an ICMP or ICMPv6 error (those
//   taps are not run for it), no IPv6 fragment held for reassembly, and no TCP/UDP header the
//   capture cut short;
// - bytes are the frame's length on the wire, once per conversation per frame;
// - endpoint A is the source of the conversation's first packet; A→B packets are "->" (tx), B→A
//   "<-" (rx); a packet from an address to itself is A→B;
// - TCP and UDP conversations are keyed by stream (tcp.stream / udp.stream), so a 4-tuple used
//   again for a new connection is a new row;
// - rows are printed by total frames, most first; equal counts keep the order of first packet;
//   rows without frames are not printed. Relative start is the first packet's time since the
//   first frame of the capture, duration the time to its last packet.
import { etherText, ipv4Text, ipv6Text } from '../dissect/format';
import type { Dissection } from '../dissect/types';
import type { StatFrame } from './frame';
import { formatSize } from './format';

export type ConvKind = 'eth' | 'ip' | 'ipv6' | 'tcp' | 'udp';
export const CONV_KINDS: readonly ConvKind[] = ['eth', 'ip', 'ipv6', 'tcp', 'udp'];

/** tshark's table titles (the protocol's short name). */
const TITLE: Record<ConvKind, string> = {
  eth: 'Ethernet',
  ip: 'IPv4',
  ipv6: 'IPv6',
  tcp: 'TCP',
  udp: 'UDP',
};

export interface ConvRow {
  addressA: string;
  addressB: string;
  /** 0 for Ethernet and IP conversations. */
  portA: number;
  portB: number;
  framesAB: number;
  bytesAB: number;
  framesBA: number;
  bytesBA: number;
  /** Seconds since the first frame: first and last packet. */
  start: number;
  end: number;
  firstFrame: number;
  lastFrame: number;
}

export interface EndpointRow {
  address: string;
  port: number;
  txFrames: number;
  txBytes: number;
  rxFrames: number;
  rxBytes: number;
}

interface Hit {
  kind: ConvKind;
  src: string;
  dst: string;
  sport: number;
  dport: number;
}

/** The conversation taps one frame fires, in layer order (see the header). */
export function convHits(f: StatFrame): Hit[] {
  const out: Hit[] = [];
  let net: { src: string; dst: string } | null = null;
  let transport = false;
  const layers = f.d.layers;
  for (let k = 0; k < layers.length; k++) {
    const l = layers[k];
    const own = (l.source ?? 0) === 0;
    // Reassembled IP datagrams still carry their transport header (counted once, in the frame
    // that completed them); addresses come from the frame's own IP header.
    if (!own && l.proto !== 'tcp' && l.proto !== 'udp') continue;
    const b = own ? f.bytes : (f.d.sources[(l.source ?? 0) - 1]?.bytes ?? f.bytes);
    const o = l.offset;
    switch (l.proto) {
      case 'icmp':
      case 'icmpv6':
        return out;
      case 'eth':
        if (o + 12 <= b.length)
          out.push({ kind: 'eth', src: etherText(b, o + 6), dst: etherText(b, o), sport: 0, dport: 0 });
        break;
      case 'ip':
        if (o + 20 <= b.length) {
          net = { src: ipv4Text(b, o + 12), dst: ipv4Text(b, o + 16) };
          out.push({ kind: 'ip', ...net, sport: 0, dport: 0 });
        }
        break;
      case 'ipv6':
        if (o + 40 <= b.length) {
          net = { src: ipv6Text(b, o + 8), dst: ipv6Text(b, o + 24) };
          // Wireshark taps IPv6 only once the packet is whole: not for a fragment it holds back.
          if (!heldFragment(layers, k)) out.push({ kind: 'ipv6', ...net, sport: 0, dport: 0 });
        }
        break;
      case 'tcp':
      case 'udp':
        // A header the capture cut short never reaches the tap (the dissector stopped first).
        // TCP's length is read from its data offset: a layer cut short in the first pass may
        // not have recorded it.
        if (!transport && net && o + transportHeaderLength(l.proto, b, o) <= b.length) {
          transport = true;
          out.push({
            kind: l.proto,
            src: net.src,
            dst: net.dst,
            sport: (b[o] << 8) | b[o + 1],
            dport: (b[o + 2] << 8) | b[o + 3],
          });
        }
        break;
    }
  }
  return out;
}

function transportHeaderLength(proto: string, b: Uint8Array, o: number): number {
  if (proto !== 'tcp') return 8;
  return o + 12 < b.length ? Math.max(20, (b[o + 12] >> 4) * 4) : 20;
}

function heldFragment(layers: Dissection['layers'], k: number): boolean {
  if (layers[k + 1]?.proto !== 'ipv6.fraghdr') return false;
  for (let j = k + 2; j < layers.length; j++) if ((layers[j].source ?? 0) > 0) return false;
  return true;
}

/** One table (conversations and endpoints) for one kind. */
export class ConvTable {
  private readonly convs = new Map<string, ConvRow>();
  private readonly ends = new Map<string, EndpointRow>();
  constructor(readonly kind: ConvKind) {}

  /** Counts the frame's hits of this table's kind. */
  addFrame(f: StatFrame, hits: readonly Hit[] = convHits(f)): void {
    for (const h of hits) if (h.kind === this.kind) this.add(h, f);
  }

  private add(h: Hit, f: StatFrame): void {
    const ports = this.kind === 'tcp' || this.kind === 'udp';
    const a = `${h.src}\u0000${h.sport}`;
    const z = `${h.dst}\u0000${h.dport}`;
    const key = (ports ? `${f.stream}\u0001` : '') + (a < z ? `${a}\u0001${z}` : `${z}\u0001${a}`);
    let c = this.convs.get(key);
    if (!c) {
      c = {
        addressA: h.src,
        addressB: h.dst,
        portA: h.sport,
        portB: h.dport,
        framesAB: 0,
        bytesAB: 0,
        framesBA: 0,
        bytesBA: 0,
        start: f.rel,
        end: f.rel,
        firstFrame: f.number,
        lastFrame: f.number,
      };
      this.convs.set(key, c);
    }
    if (c.addressA === h.src && c.portA === h.sport) {
      c.framesAB++;
      c.bytesAB += f.len;
    } else {
      c.framesBA++;
      c.bytesBA += f.len;
    }
    if (f.rel < c.start) c.start = f.rel;
    if (f.rel > c.end) c.end = f.rel;
    c.lastFrame = f.number;
    const tx = this.endpoint(h.src, h.sport);
    tx.txFrames++;
    tx.txBytes += f.len;
    const rx = this.endpoint(h.dst, h.dport);
    rx.rxFrames++;
    rx.rxBytes += f.len;
  }

  private endpoint(address: string, port: number): EndpointRow {
    const key = `${address}\u0000${port}`;
    let e = this.ends.get(key);
    if (!e) {
      e = { address, port, txFrames: 0, txBytes: 0, rxFrames: 0, rxBytes: 0 };
      this.ends.set(key, e);
    }
    return e;
  }

  /** Conversations in tshark's order: most frames first, ties in order of appearance. */
  conversations(): ConvRow[] {
    return byFrames([...this.convs.values()], (c) => c.framesAB + c.framesBA);
  }

  endpoints(): EndpointRow[] {
    return byFrames([...this.ends.values()], (e) => e.txFrames + e.rxFrames);
  }
}

function byFrames<T>(rows: T[], total: (r: T) => number): T[] {
  return rows
    .map((r, i) => ({ r, i, n: total(r) }))
    .filter((x) => x.n > 0)
    .sort((x, y) => y.n - x.n || x.i - y.i)
    .map((x) => x.r);
}

const RULE = '================================================================================';

function hasPorts(kind: ConvKind): boolean {
  return kind === 'tcp' || kind === 'udp';
}

export function convText(kind: ConvKind, rows: readonly ConvRow[], filter = ''): string {
  const ports = hasPorts(kind);
  const lead = ' '.repeat(ports ? 59 : 47);
  const lines = [
    RULE,
    `${TITLE[kind]} Conversations`,
    `Filter:${filter || '<No Filter>'}`,
    `${lead}|       <-      | |       ->      | |     Total     |    Relative    |   Duration   |`,
    `${lead}| Frames  Bytes | | Frames  Bytes | | Frames  Bytes |      Start     |              |`,
  ];
  for (const c of rows) {
    const ends = ports
      ? `${`${c.addressA}:${c.portA}`.padEnd(26)} <-> ${`${c.addressB}:${c.portB}`.padEnd(26)}`
      : `${c.addressA.padEnd(20)} <-> ${c.addressB.padEnd(20)}`;
    const cell = (n: number, bytes: number) => `  ${String(n).padStart(6)} ${formatSize(bytes).padEnd(9)}`;
    lines.push(
      ends +
        cell(c.framesBA, c.bytesBA) +
        cell(c.framesAB, c.bytesAB) +
        cell(c.framesAB + c.framesBA, c.bytesAB + c.bytesBA) +
        '  ' +
        c.start.toFixed(9).padStart(14) +
        '   ' +
        (c.end - c.start).toFixed(4).padStart(12),
    );
  }
  lines.push(RULE);
  return lines.join('\n') + '\n';
}

export function endpointsText(kind: ConvKind, rows: readonly EndpointRow[], filter = ''): string {
  const ports = hasPorts(kind);
  const lines = [
    RULE,
    `${TITLE[kind]} Endpoints`,
    `Filter:${filter || '<No Filter>'}`,
    `                       |  ${ports ? 'Port  ||  ' : ''}Packets  | |  Bytes  | | Tx Packets | | Tx Bytes | | Rx Packets | | Rx Bytes |`,
  ];
  for (const e of rows) {
    const n = (v: number, w: number) => String(v).padStart(w);
    lines.push(
      e.address.padEnd(20) +
        '      ' +
        (ports ? `${n(e.port, 5)}     ` : '') +
        `${n(e.txFrames + e.rxFrames, 6)}     ${n(e.txBytes + e.rxBytes, 9)}     ${n(e.txFrames, 6)}       ${n(e.txBytes, 9)}      ${n(e.rxFrames, 6)}       ${n(e.rxBytes, 9)}   `,
    );
  }
  lines.push(RULE);
  return lines.join('\n') + '\n';
}
