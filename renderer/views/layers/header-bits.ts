// One header as an RFC-style bit diagram, as plain data: which field owns which bits, counted from
// the header's first bit (bit 0 is the most significant bit of its first byte, as in RFC 791 and
// RFC 9293 figures), and the bits' values read from the packet. Pure: tested against tshark on
// real captures without a DOM.
//
// Which tree items become cells: the drawn, non-generated items inside the header, first come
// first served (a second item over the same bits — `tcp.seq_raw` after `tcp.seq` — is the same
// bits seen again); an item whose children split it into narrower, non-overlapping pieces (TCP
// flags, IPv4 flags, DS field, an option's kind/length/value) is replaced by those pieces.
import type { Dissection, Item, Layer } from '../../../shared/dissect/types';
import type { FieldRef } from '../../state';

export interface BitCell {
  ref: FieldRef | null;
  abbrev: string;
  /** Display name from the tree label (`Source Port`), or a description for a gap. */
  name: string;
  /** Value text from the tree label (`443`, `Set`), '' when the label has none. */
  value: string;
  /** A short form for narrow cells (`SYN`, `DF`, `ECN`). */
  short: string;
  /** First bit and one past the last, from the header's first bit. */
  start: number;
  end: number;
  /** Bits no dissected field covers. */
  gap: boolean;
}

export interface HeaderBits {
  layer: number;
  proto: string;
  /** Data source and offset of the header's first byte. */
  source: number;
  offset: number;
  /** Header bytes drawn (capped at `maxBytes`), of `total`. */
  bytes: number;
  total: number;
  cells: BitCell[];
  /** The header's bytes (`bytes` of them); bit values are read from these. */
  data: Uint8Array;
}

const PICTURE = /^([01.]{4}(?: [01.]{4})*) = /;

/** A bit field's bits as a set, when the item says which: its mask, or its label's bit picture. */
function bitsOf(it: Item, ancestors: readonly Item[]): number[] | null {
  const mask = it.mask ?? 0;
  if (mask) {
    const n = it.length * 8;
    const bits: number[] = [];
    for (let b = 0; b < n; b++)
      if (Math.floor(mask / 2 ** (n - 1 - b)) % 2 === 1) bits.push(it.offset * 8 + b);
    return bits.length ? bits : null;
  }
  const m = PICTURE.exec(it.label);
  if (!m) return null;
  const pic = m[1].replace(/ /g, '');
  // Wireshark draws a flag's picture over the whole flags word while giving the item only the byte
  // that holds the bit (tcp.flags.syn: one byte, a 12-bit picture): the picture ends where the
  // nearest enclosing item that is wide enough ends.
  let end = it.offset + it.length;
  if (pic.length > it.length * 8) {
    const host = [...ancestors]
      .reverse()
      .find(
        (a) =>
          a.length * 8 >= pic.length && a.offset <= it.offset && a.offset + a.length >= it.offset + it.length,
      );
    if (!host) return null;
    end = host.offset + host.length;
  }
  const first = end * 8 - pic.length;
  const bits: number[] = [];
  for (let j = 0; j < pic.length; j++) if (pic[j] !== '.') bits.push(first + j);
  return bits.length ? bits : null;
}

/** `[start, end)` in absolute bits (from the data source's first bit). */
function spanOf(it: Item, ancestors: readonly Item[]): [number, number] {
  const b = bitsOf(it, ancestors);
  if (b) return [b[0], b[b.length - 1] + 1];
  return [it.offset * 8, (it.offset + it.length) * 8];
}

function splitLabel(label: string): { name: string; value: string } {
  const text = label.replace(PICTURE, '');
  const at = text.indexOf(': ');
  if (at < 0) return { name: text, value: '' };
  return { name: text.slice(0, at), value: text.slice(at + 2) };
}

/**
 * Short labels for fields that are narrow in a 32-bit row: the names the RFC figures use (RFC 791
 * IHL, RFC 9293 DOffset and Rsrvd, the classic TCP flag names PSH and RST), IEEE 802.1Q's PCP/VID.
 */
const FIGURE_NAMES: Readonly<Record<string, string>> = {
  'ip.version': 'Ver',
  'ip.hdr_len': 'IHL',
  'ip.dsfield.dscp': 'DSCP',
  'ip.dsfield.ecn': 'ECN',
  'ip.flags.rb': 'R',
  'ip.frag_offset': 'Frag Offset',
  'ip.ttl': 'TTL',
  'ip.proto': 'Protocol',
  'ipv6.version': 'Ver',
  'ipv6.tclass.dscp': 'DSCP',
  'ipv6.tclass.ecn': 'ECN',
  'ipv6.nxt': 'Next',
  'ipv6.hlim': 'Hops',
  'tcp.hdr_len': 'DOff',
  'tcp.flags.res': 'Rsv',
  'tcp.flags.push': 'PSH',
  'tcp.flags.reset': 'RST',
  'tcp.window_size_value': 'Window',
  'tcp.urgent_pointer': 'Urgent',
  'tcp.option_kind': 'Kind',
  'tcp.option_len': 'Len',
  'vlan.priority': 'PCP',
  'vlan.dei': 'DEI',
  'vlan.id': 'VID',
  'ieee8021ad.priority': 'PCP',
  'ieee8021ad.dei': 'DEI',
  'ieee8021ad.id': 'VID',
};

export function shortOf(abbrev: string, name: string): string {
  const known = FIGURE_NAMES[abbrev];
  if (known) return known;
  const last = abbrev.slice(abbrev.lastIndexOf('.') + 1);
  if (!last) return name;
  return last.replace(/_/g, ' ').toUpperCase();
}

const drawn = (it: Item, source: number, layerSource: number) =>
  !it.hidden && !it.generated && it.length > 0 && (it.source ?? layerSource) === source;

/**
 * The cells of `layer`'s header: `[offset, offset + headerBytes)` on the layer's data source,
 * drawn up to `maxBytes` (a long header is cut there; the view says how much is left).
 */
export function headerBits(
  d: Dissection,
  layerIndex: number,
  headerBytes: number,
  sourceBytes: Uint8Array,
  maxBytes = 64,
): HeaderBits | null {
  const layer: Layer | undefined = d.layers[layerIndex];
  if (!layer || headerBytes <= 0) return null;
  const source = layer.source ?? 0;
  const offset = layer.offset;
  const total = Math.min(headerBytes, Math.max(0, sourceBytes.length - offset));
  if (total <= 0) return null;
  const bytes = Math.min(total, maxBytes);
  const lo = offset * 8;
  const hi = (offset + bytes) * 8;
  const taken = new Uint8Array(bytes * 8);
  const cells: BitCell[] = [];

  const clip = (s: [number, number]): [number, number] | null => {
    const a = Math.max(s[0], lo);
    const b = Math.min(s[1], hi);
    return a < b ? [a - lo, b - lo] : null;
  };
  const free = (a: number, b: number) => {
    for (let i = a; i < b; i++) if (taken[i]) return false;
    return true;
  };

  const visit = (items: readonly Item[], path: number[], ancestors: Item[]) => {
    items.forEach((it, i) => {
      if (!drawn(it, source, source)) return;
      const span = clip(spanOf(it, ancestors));
      if (!span) return;
      const here = [...path, i];
      const kids = (it.children ?? [])
        .map((c, ci) => ({ c, ci }))
        .filter(({ c }) => drawn(c, source, source))
        .map(({ c, ci }) => ({ c, ci, span: clip(spanOf(c, [...ancestors, it])) }))
        .filter((k): k is { c: Item; ci: number; span: [number, number] } => k.span !== null);
      const splits =
        kids.length > 0 &&
        kids.every((k) => k.span[1] - k.span[0] < span[1] - span[0]) &&
        kids.every((k, a) =>
          kids.every((o, b) => a === b || k.span[1] <= o.span[0] || o.span[1] <= k.span[0]),
        );
      if (splits) {
        visit(it.children!, here, [...ancestors, it]);
        return;
      }
      if (!free(span[0], span[1])) return;
      taken.fill(1, span[0], span[1]);
      const { name, value } = splitLabel(it.label);
      cells.push({
        ref: { layer: layerIndex, path: here },
        abbrev: it.abbrev,
        name,
        value,
        short: shortOf(it.abbrev, name),
        start: span[0],
        end: span[1],
        gap: false,
      });
    });
  };
  visit(layer.items, [], []);

  // Bits no field claims (undissected options, reserved space a dissector skips) stay visible.
  for (let i = 0; i < taken.length;) {
    if (taken[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j < taken.length && !taken[j]) j++;
    cells.push({
      ref: null,
      abbrev: '',
      name: 'No field covers these bits',
      value: '',
      short: '',
      start: i,
      end: j,
      gap: true,
    });
    i = j;
  }
  cells.sort((a, b) => a.start - b.start);
  return {
    layer: layerIndex,
    proto: layer.proto,
    source,
    offset,
    bytes,
    total,
    cells,
    data: sourceBytes.subarray(offset, offset + bytes),
  };
}

/** The bit at `bit` (from the header's first bit) of `data`: 0 or 1. */
export const bitAt = (data: Uint8Array, bit: number): number => (data[bit >> 3] >> (7 - (bit & 7))) & 1;

/** The unsigned value of bits [start, end) (up to 53 bits), for cells whose label has no value. */
export function bitsValue(data: Uint8Array, start: number, end: number): number {
  let v = 0;
  for (let b = start; b < end; b++) v = v * 2 + bitAt(data, b);
  return v;
}
