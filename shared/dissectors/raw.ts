// Raw IP link types (tcpdump.org link-layer header types): LINKTYPE_RAW (101, and the DLT_RAW
// values 12 and 14 some systems write) carry an IPv4 or IPv6 packet with no link header, told apart
// by the version nibble. Wireshark shows a `raw` protocol ("Raw packet data") for them; for
// LINKTYPE_IPV4 (228) and LINKTYPE_IPV6 (229) it goes straight to `ip` / `ipv6`, and so does this
// engine (those two register in ip.ts and ipv6.ts).
import type { Dissector, DissectResult } from '../dissect/engine';
import { defineFields } from '../dissect/fields';
import type { Cursor } from '../dissect/cursor';
import type { PacketInfo } from '../dissect/packet';

export const fields = defineFields('raw', 'Raw packet data', { osi: 2, tcpip: 'link' }, {});

function dissectRaw(c: Cursor, p: PacketInfo): DissectResult {
  if (p.cols) {
    p.columns.protocol = 'N/A';
    p.columns.src = 'N/A';
    p.columns.dst = 'N/A';
    p.columns.info = 'Raw packet data';
  }
  // Wireshark looks for PPP-in-HDLC framing (0xff03) first, so it reads two bytes.
  const v = c.getU16(c.start) >> 12;
  // Anything else is left as data, as Wireshark does for a first nibble that is neither 4 nor 6.
  const proto = v === 4 ? 'ip' : v === 6 ? 'ipv6' : 'data';
  return { summary: 'Raw packet data', headerLength: 0, next: { proto, offset: c.start } };
}

export const dissectors: readonly Dissector[] = [
  { fields, pdu: 'packet', in: { link: [101, 12, 14] }, dissect: dissectRaw },
];
