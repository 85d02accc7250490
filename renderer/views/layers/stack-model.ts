// The selected packet as the layer stack draws it, as plain data: each protocol layer as an
// envelope (its own header, what it carries, its trailer) in encapsulation order, and the rows of
// the two models beside it: OSI 7 down to 1, TCP/IP application down to link, with the rows no
// protocol of this packet fills (physical always; session and presentation usually) kept and
// labelled as such instead of being left out. Pure: tested on real dissections without a DOM.
import type { Dissection, Item, Layer, LayerPlace, TcpIpLayer } from '../../../shared/dissect/types';

export type Osi = LayerPlace['osi'];

export const OSI_NAME: Readonly<Record<Osi, string>> = {
  7: 'Application',
  6: 'Presentation',
  5: 'Session',
  4: 'Transport',
  3: 'Network',
  2: 'Data link',
  1: 'Physical',
};

/** The textbook mapping of OSI onto TCP/IP, used for rows no protocol fills. */
export const TCPIP_OF_OSI: Readonly<Record<Osi, TcpIpLayer>> = {
  7: 'application',
  6: 'application',
  5: 'application',
  4: 'transport',
  3: 'internet',
  2: 'link',
  1: 'link',
};

/** Short names for the stack's narrow header chips (Wireshark's Protocol column names). */
const SHORT: Readonly<Record<string, string>> = {
  eth: 'Ethernet',
  vlan: '802.1Q',
  ieee8021ad: '802.1ad',
  llc: 'LLC',
  sll: 'SLL',
  sll2: 'SLL2',
  null: 'Loopback',
  loop: 'Loopback',
  raw: 'Raw IP',
  arp: 'ARP',
  ip: 'IPv4',
  ipv6: 'IPv6',
  'ipv6.hopopts': 'Hop-by-hop',
  'ipv6.dstopts': 'Dest. options',
  'ipv6.routing': 'Routing',
  'ipv6.fraghdr': 'Fragment',
  icmp: 'ICMP',
  icmpv6: 'ICMPv6',
  tcp: 'TCP',
  udp: 'UDP',
  data: 'Data',
};

export function shortName(layer: Pick<Layer, 'proto' | 'name'>): string {
  const known = SHORT[layer.proto];
  if (known) return known;
  return layer.proto.length <= 6 && !layer.proto.includes('.') ? layer.proto.toUpperCase() : layer.name;
}

/**
 * Link headers that were never on a wire: the capture wrote them (Linux cooked capture) or the OS
 * put them on its loopback. A teacher should not present them as an Ethernet-like header.
 */
const CAPTURE_MADE: Readonly<Record<string, { note: string; why: string }>> = {
  sll: {
    note: 'made by the capture',
    why: 'A Linux cooked-capture header: written by the capture, never sent on a wire.',
  },
  sll2: {
    note: 'made by the capture',
    why: 'A Linux cooked-capture header: written by the capture, never sent on a wire.',
  },
  null: {
    note: 'loopback word',
    why: 'The loopback interface’s address-family word, not a header sent on a wire.',
  },
  loop: {
    note: 'loopback word',
    why: 'The loopback interface’s address-family word, not a header sent on a wire.',
  },
  raw: {
    note: 'no link header recorded',
    why: 'The capture recorded no link header: the packet starts at the IP header.',
  },
};

const ERROR_CARRIERS = new Set(['icmp', 'icmpv6']);

/**
 * ICMP and ICMPv6 messages all start with type, code, checksum and four more bytes whose meaning
 * depends on the type (RFC 792's formats, RFC 4443 §2.1): the 8 bytes textbooks call the ICMP
 * header. Used when the dissector reports no header length of its own.
 */
const ICMP = ERROR_CARRIERS;
const ICMP_HEADER = 8;

export interface StackLayer {
  /** Index in Dissection.layers (what the selection names). */
  index: number;
  proto: string;
  name: string;
  short: string;
  osi: Osi;
  tcpip: TcpIpLayer;
  /** PDU name in the models: frame, packet, segment, datagram, message, data, extension header. */
  pdu: string;
  /** What the envelope is called on screen: `TCP segment`, `IPv6 fragment header`, `Data`. */
  title: string;
  source: number;
  /** The whole PDU: header + what it carries + trailer. */
  offset: number;
  length: number;
  /** This layer's own header bytes present in the packet (0 for plain data). */
  header: number;
  /**
   * The header's size as the protocol declares it: more than `header` when the packet ends inside
   * the header (cut by the capture's snaplen, or malformed).
   */
  headerDeclared: number;
  /** Bytes after what it carries (Ethernet padding, a trailer). */
  trailer: number;
  /** Bytes it carries: the next envelope, or data no dissector read. */
  payload: number;
  /** Nesting depth: 0 is the outermost envelope. */
  depth: number;
  /** The summary line without the protocol name (`Src Port: 443, Dst Port: 5120, …`). */
  detail: string;
  /** Its bytes come from reassembled (or otherwise rebuilt) data, not from this frame alone. */
  rebuilt: boolean;
  /** A caveat a teacher should say aloud (a header the capture made, a quoted packet), short. */
  note: string | null;
  /** The caveat in a full sentence (tooltips, the accessible name). */
  noteLong: string | null;
  malformed: boolean;
  truncated: boolean;
}

export type EmptyReason =
  /** OSI 1: signals on a medium, below anything a capture records. */
  | 'physical'
  /** Below the first recorded header (a raw-IP capture has no link header). */
  | 'not-captured'
  /** Between two protocols of this packet, or above the last one below 7. */
  | 'no-protocol'
  /** OSI 7 when the packet carries no application bytes at all. */
  | 'no-payload';

export type StackRow =
  | { kind: 'layer'; osi: Osi; tcpip: TcpIpLayer; layer: StackLayer }
  | { kind: 'empty'; osi: Osi; tcpip: TcpIpLayer; reason: EmptyReason };

export interface StackModel {
  frame: number;
  /** Bytes on the wire (frame.len) and captured (frame.cap_len). */
  wireBytes: number;
  capturedBytes: number;
  /** Protocol layers, outermost first. */
  layers: StackLayer[];
  /** The rows beside the models, top (OSI 7) to bottom (OSI 1). */
  rows: StackRow[];
}

const numberItem = (layer: Layer | undefined, abbrev: string): number | null => {
  const it = layer?.items.find((i) => i.abbrev === abbrev);
  return it && typeof it.value === 'number' ? it.value : null;
};

/** End of the wire bytes the layer's own items read (for a header length the dissector left at 0). */
function itemsEnd(layer: Layer): number {
  let end = layer.offset;
  const walk = (items: readonly Item[]) => {
    for (const it of items) {
      if (!it.generated && it.length > 0 && (it.source ?? layer.source ?? 0) === (layer.source ?? 0))
        end = Math.max(end, it.offset + it.length);
      if (it.children) walk(it.children);
    }
  };
  walk(layer.items);
  return Math.min(end, layer.offset + layer.length);
}

/** Headers whose size is fixed by their spec (RFC 8200 §3, RFC 768). */
const FIXED_HEADER: Readonly<Record<string, number>> = { ipv6: 40, udp: 8 };

/**
 * A header's size as the packet declares it, for a layer the packet ends inside: the dissector's
 * header length, the `hdr_len` field (IPv4 IHL, TCP data offset, in bytes), or a fixed size. The
 * engine reports the bytes read when a dissector stops short, so the field is the better witness.
 */
function declaredHeader(layer: Layer): number {
  const field = numberItem(layer, `${layer.proto}.hdr_len`);
  return Math.max(layer.headerLength, field ?? 0, FIXED_HEADER[layer.proto] ?? 0);
}

function detailOf(layer: Layer): string {
  const s = layer.summary;
  if (layer.proto === 'data') return '';
  for (const prefix of [layer.name, shortName(layer)]) {
    if (s.startsWith(prefix + ', ')) return s.slice(prefix.length + 2);
  }
  return s === layer.name ? '' : s;
}

function pduOf(layer: Layer, osi: Osi): string {
  // IPv6 extension headers are part of the IPv6 packet, not packets of their own (RFC 8200 §4).
  if (layer.proto.startsWith('ipv6.')) return 'extension header';
  if (layer.pdu) return layer.pdu;
  if (layer.proto === 'data') return 'data';
  return osi >= 5 ? 'message' : osi === 4 ? 'segment' : osi === 3 ? 'packet' : 'frame';
}

export function stackModel(d: Dissection): StackModel {
  const frameLayer = d.layers.find((l) => l.proto === 'frame' && !l.place);
  const capturedBytes = frameLayer?.length ?? 0;
  const wireBytes = numberItem(frameLayer, 'frame.len') ?? capturedBytes;

  const placed: { layer: Layer; index: number; place: LayerPlace }[] = [];
  d.layers.forEach((layer, index) => {
    if (layer.place) placed.push({ layer, index, place: layer.place });
  });

  const layers: StackLayer[] = placed.map(({ layer, index, place }, k) => {
    const src = layer.source ?? 0;
    const next = placed[k + 1]?.layer;
    const prev = placed[k - 1]?.layer;
    const end = layer.offset + layer.length;
    const nextHere = next && (next.source ?? 0) === src && next.offset >= layer.offset && next.offset <= end;
    // Where the next envelope starts bounds this one's header; the dissector's own header length
    // wins inside that bound (ICMP reads ping's timestamp from its data: not header bytes).
    const before = nextHere ? next.offset - layer.offset : layer.length;
    let header: number;
    if (layer.proto === 'data') header = 0;
    else if (layer.headerLength > 0) header = Math.min(layer.headerLength, before);
    else if (ICMP.has(layer.proto)) header = Math.min(ICMP_HEADER, before);
    else if (nextHere) header = before;
    else header = itemsEnd(layer) - layer.offset;
    const trailer = nextHere ? Math.max(0, end - (next.offset + next.length)) : 0;
    const headerDeclared =
      !nextHere && layer.proto !== 'data' ? Math.max(header, declaredHeader(layer)) : header;
    const payload = Math.max(0, layer.length - header - trailer);
    const prevSrc = prev ? (prev.source ?? 0) : 0;
    let note = CAPTURE_MADE[layer.proto]?.note ?? null;
    let noteLong = CAPTURE_MADE[layer.proto]?.why ?? null;
    // An ICMP error quotes the start of the packet that failed: the layers after it are a copy.
    const quotedBy = placed
      .slice(0, k)
      .find((p) => ERROR_CARRIERS.has(p.layer.proto) && p.layer.source === layer.source);
    if (!note && quotedBy && (place.osi === 3 || place.osi === 4)) {
      note = `quoted by ${shortName(quotedBy.layer)}`;
      noteLong = `Quoted inside the ${shortName(quotedBy.layer)} error: a copy of the start of the packet that caused it.`;
    }
    // A protocol the two models file differently (ARP: OSI network layer, TCP/IP link layer).
    if (!note && TCPIP_OF_OSI[place.osi] !== place.tcpip) {
      note = `TCP/IP: ${place.tcpip} layer`;
      noteLong = `OSI puts ${shortName(layer)} in layer ${place.osi} (${OSI_NAME[place.osi]}); the TCP/IP model counts it in its ${place.tcpip} layer.`;
    }
    const pdu = pduOf(layer, place.osi);
    const short = shortName(layer);
    return {
      index,
      proto: layer.proto,
      name: layer.name,
      short,
      osi: place.osi,
      tcpip: place.tcpip,
      pdu,
      title:
        layer.proto === 'data'
          ? 'Data'
          : layer.proto.startsWith('ipv6.')
            ? `IPv6 ${short.toLowerCase()} header`
            : `${short} ${pdu}`,
      source: src,
      offset: layer.offset,
      length: layer.length,
      header,
      headerDeclared,
      trailer,
      payload,
      depth: k,
      detail: detailOf(layer),
      rebuilt: src !== 0 && src !== prevSrc,
      note,
      noteLong,
      malformed: layer.malformed,
      truncated: layer.truncated,
    };
  });

  // Bottom-up: physical first, then each layer, with the OSI rows it skips over kept as empty rows.
  const up: StackRow[] = [];
  const empty = (osi: Osi, reason: EmptyReason): StackRow => ({
    kind: 'empty',
    osi,
    tcpip: TCPIP_OF_OSI[osi],
    reason,
  });
  const firstOsi = layers[0]?.osi ?? 7;
  up.push(empty(1, 'physical'));
  let prev = 1;
  for (const l of layers) {
    for (let o = prev + 1; o < l.osi; o++)
      up.push(empty(o as Osi, o < firstOsi ? 'not-captured' : 'no-protocol'));
    up.push({ kind: 'layer', osi: l.osi, tcpip: l.tcpip, layer: l });
    prev = l.osi;
  }
  const carriesData = layers.some((l) => l.osi >= 5);
  for (let o = prev + 1; o <= 7; o++) {
    const reason: EmptyReason =
      layers.length === 0 ? 'not-captured' : o === 7 && !carriesData ? 'no-payload' : 'no-protocol';
    up.push(empty(o as Osi, reason));
  }
  return { frame: d.frame, wireBytes, capturedBytes, layers, rows: up.reverse() };
}

/** Runs of consecutive rows sharing a key (OSI number, TCP/IP layer): the models' cells. */
export function runs<K>(
  rows: readonly StackRow[],
  key: (r: StackRow) => K,
): { key: K; first: number; last: number }[] {
  const out: { key: K; first: number; last: number }[] = [];
  rows.forEach((r, i) => {
    const k = key(r);
    const cur = out[out.length - 1];
    if (cur && cur.key === k) cur.last = i;
    else out.push({ key: k, first: i, last: i });
  });
  return out;
}

/** The sentence an empty row shows, and a short form for narrow panels. */
export function emptyText(
  reason: EmptyReason,
  osi: Osi,
  m: StackModel,
): { full: string; short: string; shortest: string } {
  switch (reason) {
    case 'physical':
      return {
        full: `Signals on the medium: ${m.wireBytes.toLocaleString('en-US')} bytes sent as ${(m.wireBytes * 8).toLocaleString('en-US')} bits. A capture records what arrives above this layer.`,
        short: 'Signals: below what a capture records',
        shortest: 'Signals: not captured',
      };
    case 'not-captured':
      return {
        full: 'Not in this capture: recording started above this layer.',
        short: 'Not recorded',
        shortest: 'Not recorded',
      };
    case 'no-payload':
      return {
        full: 'No application data in this packet.',
        short: 'No application data',
        shortest: 'No data',
      };
    case 'no-protocol':
      return {
        full:
          osi >= 5
            ? 'No protocol in this packet works at this layer.'
            : 'No protocol of this packet at this layer.',
        short: 'None in this packet',
        shortest: 'None here',
      };
  }
}

export const bytesText = (n: number): string => `${n.toLocaleString('en-US')} B`;
