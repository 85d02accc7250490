// The chapter's "How data travels through layers", driven by a real packet: at the sender the
// data goes down the TCP/IP stack gaining each header, crosses the wire, and goes up the
// receiver's stack losing them. This is the model (which headers, how many bytes each, where the
// packet is at a point of the step); Encapsulation.tsx draws it. Pure, tested without a DOM.
import type { Dissection, TcpIpLayer } from '../../../shared/dissect/types';

export const STACK: readonly { id: TcpIpLayer; title: string }[] = [
  { id: 'application', title: 'Application' },
  { id: 'transport', title: 'Transport' },
  { id: 'internet', title: 'Internet' },
  { id: 'link', title: 'Link' },
];

export interface Header {
  tcpip: TcpIpLayer;
  /** Protocol names whose headers make up this layer's part (`Ethernet`, `IPv4`, `TCP`…). */
  protos: string[];
  bytes: number;
}

export interface Encapsulated {
  /** Headers, outermost (link) last; application data is `data`. */
  headers: Header[];
  /** Bytes the application handed down (everything after the transport header). */
  data: number;
  /** Names of what the application data is (HTTP, WebSocket…), or empty. */
  dataProtos: string[];
  total: number;
}

const SHORT: Readonly<Record<string, string>> = {
  eth: 'Ethernet',
  sll: 'Linux cooked',
  null: 'Loopback',
  ip: 'IPv4',
  ipv6: 'IPv6',
  tcp: 'TCP',
  udp: 'UDP',
  vlan: '802.1Q',
};

/**
 * A dissected frame as headers per TCP/IP layer: the first layer of each kind opens it (tunnels
 * and extension headers add to it), and everything past the transport header is application data.
 */
export function encapsulate(d: Dissection, captured: number): Encapsulated {
  const headers = new Map<TcpIpLayer, Header>();
  let dataStart = -1;
  const dataProtos: string[] = [];
  for (const l of d.layers) {
    if (l.proto === 'frame' || !l.place || (l.source ?? 0) !== 0) continue;
    const k = l.place.tcpip;
    if (k === 'application') {
      if (!dataProtos.includes(l.name) && dataProtos.length < 3)
        dataProtos.push(SHORT[l.proto] ?? l.proto.toUpperCase());
      continue;
    }
    if (dataStart >= 0 && k !== 'transport') continue;
    let h = headers.get(k);
    if (!h) headers.set(k, (h = { tcpip: k, protos: [], bytes: 0 }));
    h.protos.push(SHORT[l.proto] ?? l.proto.toUpperCase());
    h.bytes += l.headerLength;
    if (k === 'transport') dataStart = l.offset + l.headerLength;
  }
  const order: TcpIpLayer[] = ['transport', 'internet', 'link'];
  const list = order.map((k) => headers.get(k)).filter((h): h is Header => !!h);
  const hdr = list.reduce((a, h) => a + h.bytes, 0);
  const data = dataStart >= 0 ? Math.max(0, captured - dataStart) : Math.max(0, captured - hdr);
  return { headers: list, data, dataProtos, total: captured };
}

export type Phase =
  | {
      side: 'sender';
      /** 0 = application … 3 = link; the header of `level` is being added. */ level: number;
      t: number;
    }
  | { side: 'wire'; t: number }
  | { side: 'receiver'; level: number; t: number };

/** Shares of a step: down the sender's four layers, across the wire, up the receiver's. */
const DOWN = 0.42;
const WIRE = 0.16;

/** How far along the wire the packet is at fraction `f` of its step (0 before, 1 after). */
export function wireProgress(f: number): number {
  return Math.max(0, Math.min(1, (f - DOWN) / WIRE));
}

/** Where the packet is at fraction `f` (0…1) of its step. */
export function phaseAt(f: number): Phase {
  const x = Math.max(0, Math.min(0.9999, f));
  if (x < DOWN) {
    const u = (x / DOWN) * 4;
    return { side: 'sender', level: Math.floor(u), t: u - Math.floor(u) };
  }
  if (x < DOWN + WIRE) return { side: 'wire', t: (x - DOWN) / WIRE };
  const u = ((x - DOWN - WIRE) / (1 - DOWN - WIRE)) * 4;
  return { side: 'receiver', level: 3 - Math.floor(u), t: u - Math.floor(u) };
}

/**
 * The headers the packet carries at a stack level: at the sender, going down, level L holds the
 * headers of levels 1..L (transport…link); the receiver takes them off on the way up likewise.
 */
export function headersAt(e: Encapsulated, level: number): Header[] {
  const byLevel = (h: Header) => STACK.findIndex((s) => s.id === h.tcpip);
  return e.headers.filter((h) => byLevel(h) <= level);
}
