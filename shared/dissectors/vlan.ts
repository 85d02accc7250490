// IEEE 802.1Q-2018 §9.6 VLAN tags (TPID 0x8100, and the pre-standard QinQ TPID 0x9100) and
// IEEE 802.1ad service tags (TPID 0x88a8), which Wireshark 4.0 names `ieee8021ad`.
// Tags nest (QinQ); the innermost tag reports the frame's trailer as `vlan.trailer`, and never an
// FCS, as Wireshark's VLAN dissector passes no FCS length on. An inner type ≤ 1500 is an 802.3
// length followed by LLC. Wireshark stops after 20 nested tags ("Too many nested VLAN tags").
import type { Cursor } from '../dissect/cursor';
import type { Dissector, DissectResult } from '../dissect/engine';
import { defineFields } from '../dissect/fields';
import type { PacketInfo } from '../dissect/packet';
import { ethertypeColumns, ethTrailer, TAG_TPIDS } from './eth';
import { ETYPE, VLAN_PRIORITY } from './l2l3-values';

export const fields = defineFields(
  'vlan',
  '802.1Q Virtual LAN',
  { osi: 2, tcpip: 'link' },
  {
    priority: { name: 'Priority', type: 'u16', mask: 0xe000, vals: VLAN_PRIORITY },
    dei: { name: 'DEI', type: 'bool', mask: 0x1000, tf: ['Eligible', 'Ineligible'] },
    id: { name: 'ID', type: 'u16', mask: 0x0fff },
    etype: { name: 'Type', type: 'u16', base: 'hex', vals: ETYPE },
    len: { name: 'Length', type: 'u16' },
    trailer: { name: 'Trailer', type: 'bytes' },
    'len.past_end': { name: 'Length field value goes past the end of the payload', type: 'none' },
    too_many_tags: { name: 'Too many nested VLAN tags', type: 'none' },
  },
);

export const adFields = defineFields(
  'ieee8021ad',
  'IEEE 802.1ad',
  { osi: 2, tcpip: 'link' },
  {
    priority: { name: 'Priority', type: 'u16', mask: 0xe000 },
    dei: { name: 'DEI', type: 'u16', mask: 0x1000 },
    id: { name: 'ID', type: 'u16', mask: 0x0fff },
    '=ieee8021ah.etype': { name: 'Type', type: 'u16', base: 'hex', vals: ETYPE },
    '=ieee8021ah.trailer': { name: 'Trailer', type: 'bytes' },
  },
);

const MAX_TAGS = 20;

/** Counts the tags already in this frame (the protocols list is the frame's own record). */
function depth(p: PacketInfo): number {
  let n = 0;
  for (const x of p.protocols) if (x === 'vlan' || x === 'ieee8021ad') n++;
  return n;
}

/** What follows a tag: an EtherType through the table, or an 802.3 length and LLC. */
function payload(
  c: Cursor,
  p: PacketInfo,
  typeAt: number,
  type: number,
  lenField: typeof fields.len,
  typeField: typeof fields.etype,
): DissectResult['next'] {
  if (type <= 1500) {
    c.u16(lenField);
    const end = c.pos + type;
    if (end > c.declaredEnd)
      c.expert(
        'vlan.len.past_end',
        'error',
        'malformed',
        'Length field value goes past the end of the payload',
        typeAt,
        2,
      );
    return { proto: 'llc', end: Math.min(end, c.declaredEnd) };
  }
  c.u16(typeField);
  p.protocols.push('ethertype');
  ethertypeColumns(p, type);
  return { table: 'ethertype', key: type };
}

function dissectVlan(c: Cursor, p: PacketInfo): DissectResult {
  const at = c.pos;
  const tci = c.u16();
  const pri = tci >> 13;
  const dei = (tci >> 12) & 1;
  const id = tci & 0x0fff;
  c.bits(fields.priority, tci, at, 2);
  c.bits(fields.dei, tci, at, 2);
  c.bits(fields.id, tci, at, 2);
  if (p.cols) {
    p.columns.protocol = 'VLAN';
    p.columns.info = `PRI: ${pri}  DEI: ${dei}  ID: ${id}`;
  }
  const summary = `802.1Q Virtual LAN, PRI: ${pri}, DEI: ${dei}, ID: ${id}`;
  if (depth(p) > MAX_TAGS) {
    c.expert('vlan.too_many_tags', 'warn', 'undecoded', 'Too many nested VLAN tags', at, 2);
    return { summary, next: null };
  }
  const typeAt = c.pos;
  const type = c.getU16(typeAt);
  const next = payload(c, p, typeAt, type, fields.len, fields.etype);
  return {
    summary,
    next,
    finish: TAG_TPIDS.has(type)
      ? undefined
      : (covered) => ethTrailer(c, p, covered, fields.trailer, false, c.start),
  };
}

function dissectAd(c: Cursor, p: PacketInfo): DissectResult {
  const at = c.pos;
  const tci = c.u16();
  c.bits(adFields.priority, tci, at, 2);
  firstByteOnly(c);
  c.bits(adFields.dei, tci, at, 2);
  firstByteOnly(c);
  const id = c.bits(adFields.id, tci, at, 2);
  if (p.cols) {
    p.columns.protocol = '802.1ad';
    p.columns.info = `PRI: ${tci >> 13}  DEI: ${(tci >> 12) & 1}  ID: ${id}`;
  }
  const summary = `IEEE 802.1ad, ID: ${id}`;
  if (depth(p) > MAX_TAGS) {
    c.expert('vlan.too_many_tags', 'warn', 'undecoded', 'Too many nested VLAN tags', at, 2);
    return { summary, next: null };
  }
  const typeAt = c.pos;
  const type = c.getU16(typeAt);
  const next = payload(c, p, typeAt, type, fields.len, adFields['=ieee8021ah.etype']);
  return {
    summary,
    next,
    finish: TAG_TPIDS.has(type)
      ? undefined
      : (covered) => ethTrailer(c, p, covered, adFields['=ieee8021ah.trailer'], false, c.start),
  };
}

export const dissectors: readonly Dissector[] = [
  { fields, pdu: 'frame', in: { ethertype: [0x8100, 0x9100] }, dissect: dissectVlan },
  { fields: adFields, pdu: 'frame', in: { ethertype: 0x88a8 }, dissect: dissectAd },
];

/**
 * Wireshark's 802.1ad dissector adds PCP and DEI with a length of one byte (their bits all lie in
 * the TCI's first byte), while 802.1Q gives them both bytes; the bit picture stays 16 bits wide.
 */
function firstByteOnly(c: Cursor): void {
  if (c.tree) c.items[c.items.length - 1].length = 1;
}
