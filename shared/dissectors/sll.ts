// Linux "cooked" captures: LINKTYPE_LINUX_SLL (113, 16-byte header) and LINKTYPE_LINUX_SLL2
// (276, 20-byte header), as documented on tcpdump.org's linktype pages and in Linux
// <linux/if_packet.h>. Wireshark 4.0 shows both as protocol `sll` ("Linux cooked capture v1/v2").
// The protocol field is an EtherType when ≥ 1536; smaller values are Linux ARPHRD-specific
// protocol numbers (`sll.ltype`: 802.3 raw, 802.2 LLC…), of which only LLC is followed here.
import type { Cursor } from '../dissect/cursor';
import type { Dissector, DissectResult } from '../dissect/engine';
import { defineFields } from '../dissect/fields';
import type { PacketInfo } from '../dissect/packet';
import { ethertypeColumns, ethTrailer, macName } from './eth';
import { ARP_HW, ETYPE, SLL_LTYPE, SLL_PKTTYPE } from './l2l3-values';

export const fields = defineFields(
  'sll',
  'Linux cooked-mode capture',
  { osi: 2, tcpip: 'link' },
  {
    pkttype: { name: 'Packet type', type: 'u16', vals: SLL_PKTTYPE },
    hatype: { name: 'Link-layer address type', type: 'u16', vals: ARP_HW },
    halen: { name: 'Link-layer address length', type: 'u16' },
    'src.eth': { name: 'Source', type: 'ether' },
    'src.ipv4': { name: 'Source', type: 'ipv4' },
    'src.other': { name: 'Source', type: 'bytes' },
    unused: { name: 'Unused', type: 'bytes' },
    ltype: { name: 'Protocol', type: 'u16', base: 'hex', vals: SLL_LTYPE },
    etype: { name: 'Protocol', type: 'u16', base: 'hex', vals: ETYPE },
    trailer: { name: 'Trailer', type: 'bytes' },
    ifindex: { name: 'Interface index', type: 'u32' },
  },
);

const ARPHRD_ETHER = 1;
const ARPHRD_LOOPBACK = 772;
const ARPHRD_IPGRE = 778;
const LINUX_SLL_P_802_2 = 0x0004;

/** The address block shared by v1 and v2: `halen` bytes of an 8-byte field. */
function address(c: Cursor, p: PacketInfo, hatype: number, halen: number): void {
  const at = c.pos;
  const n = Math.min(halen, 8);
  if ((hatype === ARPHRD_ETHER || hatype === ARPHRD_LOOPBACK) && halen === 6) {
    const a = c.bytes(6, fields['src.eth']);
    if (p.dlData === null) {
      p.dlData = c.data;
      p.dlSrcAt = at;
    }
    if (p.cols) p.columns.src = macName(a);
  } else if (hatype === ARPHRD_IPGRE && halen === 4) {
    c.bytes(4, fields['src.ipv4']);
  } else if (n > 0) {
    c.bytes(n, fields['src.other']);
  }
  const pad = 8 - (c.pos - at);
  if (pad > 0) c.bytes(pad, fields.unused);
}

function protocol(
  c: Cursor,
  p: PacketInfo,
  at: number,
  proto: number,
  hatype: number,
): DissectResult['next'] {
  if (proto >= 1536 || hatype === ARPHRD_IPGRE) {
    c.add(fields.etype, at, 2, proto);
    p.protocols.push('ethertype');
    ethertypeColumns(p, proto);
    return { table: 'ethertype', key: proto };
  }
  c.add(fields.ltype, at, 2, proto);
  if (proto === LINUX_SLL_P_802_2) return { proto: 'llc' };
  return { table: 'sll.ltype', key: proto };
}

function columns(p: PacketInfo): void {
  if (!p.cols) return;
  p.columns.protocol = 'SLL';
  p.columns.info = '';
}

function dissectV1(c: Cursor, p: PacketInfo): DissectResult {
  columns(p);
  c.u16(fields.pkttype);
  const hatype = c.u16(fields.hatype);
  const halen = c.u16(fields.halen);
  address(c, p, hatype, halen);
  const at = c.pos;
  const proto = c.u16();
  const next = protocol(c, p, at, proto, hatype);
  return {
    summary: 'Linux cooked capture v1',
    next,
    finish: (covered) => ethTrailer(c, p, covered, fields.trailer, false, c.start),
  };
}

function dissectV2(c: Cursor, p: PacketInfo): DissectResult {
  columns(p);
  const at = c.pos;
  const proto = c.u16();
  // Two reserved bytes, which Wireshark does not show.
  c.skip(2);
  c.u32(fields.ifindex);
  const hatype = c.u16(fields.hatype);
  const ptAt = c.pos;
  const pkttype = c.u8();
  c.add(fields.pkttype, ptAt, 1, pkttype);
  const halenAt = c.pos;
  const halen = c.u8();
  c.add(fields.halen, halenAt, 1, halen);
  // Wireshark lists the protocol first, as it sits on the wire.
  const next = withFirst(c, () => protocol(c, p, at, proto, hatype));
  address(c, p, hatype, halen);
  return {
    summary: 'Linux cooked capture v2',
    next,
    finish: (covered) => ethTrailer(c, p, covered, fields.trailer, false, c.start),
  };
}

/** Runs `fn` so that the items it adds come before everything added so far. */
function withFirst<T>(c: Cursor, fn: () => T): T {
  const before = c.items.length;
  const r = fn();
  if (c.tree && c.items.length > before) {
    const added = c.items.splice(before);
    c.items.unshift(...added);
  }
  return r;
}

export const dissectors: readonly Dissector[] = [
  { fields, pdu: 'frame', in: { link: 113 }, dissect: dissectV1 },
  { fields, pdu: 'frame', in: { link: 276 }, dissect: dissectV2 },
];
