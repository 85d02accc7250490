// BSD loopback encapsulations: LINKTYPE_NULL (0), a 4-byte address family in the byte order of the
// capturing host, and LINKTYPE_LOOP (108), the same in network byte order (tcpdump.org link-layer
// header types). Both show as Wireshark's `null` protocol ("Null/Loopback").
//
// The byte order of a NULL header is guessed exactly as Wireshark does on a little-endian host,
// including the IRIX / UNICOS/mp 16-bit variant. A value above 1500 is taken as an EtherType
// (`null.type`), as some systems write one there. AF_INET6 differs between BSDs: 24 (NetBSD,
// OpenBSD, BSD/OS), 28 (FreeBSD, DragonFly), 30 (Darwin).
import type { Cursor } from '../dissect/cursor';
import type { Dissector, DissectResult } from '../dissect/engine';
import { defineFields } from '../dissect/fields';
import type { PacketInfo } from '../dissect/packet';
import { ethertypeColumns } from './eth';
import { ETYPE, NULL_FAMILY } from './l2l3-values';

export const fields = defineFields(
  'null',
  'Null/Loopback',
  { osi: 2, tcpip: 'link' },
  {
    type: { name: 'Type', type: 'u16', base: 'hex', vals: ETYPE },
    family: { name: 'Family', type: 'u32', vals: NULL_FAMILY },
  },
);

const bswap32 = (v: number) =>
  (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
const bswap16 = (v: number) => ((v & 0xff) << 8) | (v >> 8);

/** Wireshark's reading of a NULL header (packet-null.c), as a little-endian host reads it. */
export function nullFamily(raw: number): number {
  let h = raw >>> 0;
  if ((h & 0xffff0000) !== 0) {
    if ((h & 0xff000000) === 0 && (h & 0x00ff0000) < 0x00060000) h >>>= 16;
    else h = bswap32(h);
  } else if ((h & 0x000000ff) === 0 && (h & 0x0000ff00) < 0x00000600) {
    h = bswap16(h & 0xffff);
  }
  return h;
}

function family(c: Cursor, p: PacketInfo, value: number): DissectResult {
  if (p.cols) {
    p.columns.protocol = 'N/A';
    p.columns.info = 'Null/Loopback';
  }
  if (value > 1500) {
    // The cast keeps the low 16 bits, as Wireshark's (guint16) does.
    const type = value & 0xffff;
    c.add(fields.type, c.start, 4, type);
    p.protocols.push('ethertype');
    ethertypeColumns(p, type);
    return { summary: 'Null/Loopback', next: { table: 'ethertype', key: type } };
  }
  c.add(fields.family, c.start, 4, value);
  return { summary: 'Null/Loopback', next: { table: 'null.family', key: value } };
}

function dissectNull(c: Cursor, p: PacketInfo): DissectResult {
  const raw = c.u32(undefined, true);
  return family(c, p, nullFamily(raw));
}

function dissectLoop(c: Cursor, p: PacketInfo): DissectResult {
  return family(c, p, c.u32());
}

export const dissectors: readonly Dissector[] = [
  { fields, pdu: 'frame', in: { link: 0 }, dissect: dissectNull },
  { fields, pdu: 'frame', in: { link: 108 }, dissect: dissectLoop },
];
