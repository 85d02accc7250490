// ARP, RFC 826 (with RARP, RFC 903, and InARP, RFC 2390, opcodes named), gratuitous ARP
// (RFC 5227 §3), ARP probes and announcements (RFC 5227 §2.1.1, §2.3), on EtherType 0x0806/0x8035.
// Addresses are decoded as MAC / IPv4 when the sizes say so (6 / 4) and shown raw otherwise, as
// Wireshark does. Info text and the "is gratuitous/probe/announcement" flags follow Wireshark 4.0.
// Duplicate IP addresses are detected across frames as Wireshark does (an IPv4 address seen
// earlier with another MAC address), on the first pass, and remembered per frame in the session.
// Departure: no ARP storm detection.
import type { Cursor } from '../dissect/cursor';
import type { Dissector, DissectResult } from '../dissect/engine';
import { defineFields } from '../dissect/fields';
import { etherText, ipv4Text } from '../dissect/format';
import type { PacketInfo } from '../dissect/packet';
import type { FieldDef } from '../dissect/types';
import { ARP_HW, ARP_OP, ETYPE } from './l2l3-values';

export const fields = defineFields(
  'arp',
  'Address Resolution Protocol',
  { osi: 3, tcpip: 'link' },
  {
    'hw.type': { name: 'Hardware type', type: 'u16', vals: ARP_HW },
    'proto.type': { name: 'Protocol type', type: 'u16', base: 'hex', vals: ETYPE },
    'hw.size': { name: 'Hardware size', type: 'u8' },
    'proto.size': { name: 'Protocol size', type: 'u8' },
    opcode: { name: 'Opcode', type: 'u16', vals: ARP_OP },
    isgratuitous: { name: 'Is gratuitous', type: 'bool', tf: ['True', 'False'] },
    isprobe: { name: 'Is probe', type: 'bool', tf: ['True', 'False'] },
    isannouncement: { name: 'Is announcement', type: 'bool', tf: ['True', 'False'] },
    'src.hw': { name: 'Sender hardware address', type: 'bytes' },
    'src.hw_mac': { name: 'Sender MAC address', type: 'ether' },
    'src.proto': { name: 'Sender protocol address', type: 'bytes' },
    'src.proto_ipv4': { name: 'Sender IP address', type: 'ipv4' },
    'dst.hw': { name: 'Target hardware address', type: 'bytes' },
    'dst.hw_mac': { name: 'Target MAC address', type: 'ether' },
    'dst.proto': { name: 'Target protocol address', type: 'bytes' },
    'dst.proto_ipv4': { name: 'Target IP address', type: 'ipv4' },
    'duplicate-address-detected': { name: 'Duplicate IP address configured', type: 'none' },
    'duplicate-address-frame': { name: 'Frame showing earlier use of IP address', type: 'framenum' },
    'seconds-since-duplicate-address-frame': { name: 'Seconds since earlier frame seen', type: 'u32' },
  },
);

/** An IPv4 address found in use by another MAC address earlier in the capture. */
interface Duplicate {
  ip: Uint8Array;
  mac: string;
  frame: number;
  sec: number;
}

/** Capture-wide record of which MAC used each IPv4 address, and the duplicates found per frame. */
interface ArpState {
  seen: Map<number, { mac: string; frame: number; sec: number }>;
  found: Map<number, Duplicate>;
}
const newState = (): ArpState => ({ seen: new Map(), found: new Map() });

function usable(mac: Uint8Array, ip: Uint8Array): boolean {
  return (mac[0] & 1) === 0 && !allZero(mac) && !allZero(ip);
}

/** First pass: records the (IP, MAC) pairs of a frame; a known IP with another MAC is a duplicate. */
function checkDuplicates(p: PacketInfo, pairs: [Uint8Array, Uint8Array][]): void {
  const st = p.session.state('arp.duplicates', newState);
  for (const [mac, ip] of pairs) {
    const key = ((ip[0] << 24) | (ip[1] << 16) | (ip[2] << 8) | ip[3]) >>> 0;
    const m = etherText(mac, 0, 6);
    const prev = st.seen.get(key);
    if (!prev) {
      st.seen.set(key, { mac: m, frame: p.frame.number, sec: p.frame.tsSec });
    } else if (p.frame.number > prev.frame) {
      if (prev.mac === m) prev.frame = p.frame.number;
      else {
        st.found.set(p.frame.number, { ip: ip.slice(), mac: prev.mac, frame: prev.frame, sec: prev.sec });
        return;
      }
    }
  }
}

const OP_REQUEST = 1;
const OP_REPLY = 2;

function allZero(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** ARPHRD_ETHER / IEEE 802 with 6-byte addresses, and IPv4 with 4-byte ones, are decoded. */
/** Address text for Info: decoded when sizes allow, else plain hex as Wireshark prints it there. */
function hwText(hrd: number, b: Uint8Array): string {
  return (hrd === 1 || hrd === 6) && b.length === 6 ? etherText(b, 0, 6) : plainHex(b);
}
function protoText(pro: number, b: Uint8Array): string {
  return pro === 0x0800 && b.length === 4 ? ipv4Text(b) : plainHex(b);
}
function plainHex(b: Uint8Array): string {
  if (b.length === 0) return '<No address>';
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i].toString(16).padStart(2, '0');
  return s;
}
function bytesText(b: Uint8Array): string {
  if (b.length === 0) return '<No address>';
  let s = '';
  for (let i = 0; i < b.length; i++) s += (i ? ':' : '') + b[i].toString(16).padStart(2, '0');
  return s;
}

function address(c: Cursor, n: number, decoded: boolean, decF: FieldDef, rawF: FieldDef): Uint8Array {
  const at = c.pos;
  const b = c.bytes(n);
  if (c.tree && n > 0) {
    const f = decoded ? decF : rawF;
    const text = !decoded ? bytesText(b) : f.type === 'ether' ? etherText(b, 0, 6) : ipv4Text(b);
    c.add(f, at, n, b, `${f.name}: ${text}`);
  }
  return b;
}

function dissectArp(c: Cursor, p: PacketInfo): DissectResult {
  if (p.cols) {
    p.columns.protocol = 'ARP';
    p.columns.info = '';
  }
  const hrd = c.u16(fields['hw.type']);
  const pro = c.u16(fields['proto.type']);
  const hln = c.u8(fields['hw.size']);
  const pln = c.u8(fields['proto.size']);
  const op = c.u16(fields.opcode);
  // The packet is exactly this long; whatever follows belongs to the link layer (padding, trailer).
  // Wireshark checks the whole of it before showing any address.
  c.limit(c.start + 8 + 2 * hln + 2 * pln);
  c.check(c.start, 8 + 2 * hln + 2 * pln);
  const isMac = (hrd === 1 || hrd === 6) && hln === 6;
  const isV4 = pro === 0x0800 && pln === 4;
  const sha = address(c, hln, isMac, fields['src.hw_mac'], fields['src.hw']);
  const spa = address(c, pln, isV4, fields['src.proto_ipv4'], fields['src.proto']);
  const tha = address(c, hln, isMac, fields['dst.hw_mac'], fields['dst.hw']);
  const tpa = address(c, pln, isV4, fields['dst.proto_ipv4'], fields['dst.proto']);

  const gratuitous = (op === OP_REQUEST || op === OP_REPLY) && same(spa, tpa);
  const probe = op === OP_REQUEST && !gratuitous && allZero(tha) && allZero(spa);
  const announcement = op === OP_REQUEST && gratuitous && allZero(tha);
  let kind = ARP_OP[op] ?? 'unknown';
  if (announcement) kind = 'ARP Announcement';
  else if (probe) kind = 'ARP Probe';
  else if (gratuitous) kind = `${kind}/gratuitous ARP`;
  let dup: Duplicate | undefined;
  if (isMac && isV4 && (op === OP_REQUEST || op === OP_REPLY)) {
    if (!p.visited && !p.inError) {
      const pairs: [Uint8Array, Uint8Array][] = [];
      if (usable(sha, spa)) pairs.push([sha, spa]);
      if (op === OP_REPLY && usable(tha, tpa)) pairs.push([tha, tpa]);
      checkDuplicates(p, pairs);
    }
    dup = p.session.peek<ArpState>('arp.duplicates')?.found.get(p.frame.number);
  }
  if (c.tree && dup) {
    const it = c.add(
      fields['duplicate-address-detected'],
      c.start,
      0,
      null,
      `[Duplicate IP address detected for ${ipv4Text(dup.ip)} (${dup.mac}) - also in use by ${dup.mac} (frame ${dup.frame})]`,
    );
    c.within(it, () => {
      c.generated(
        fields['duplicate-address-frame'],
        dup.frame,
        `[Frame showing earlier use of IP address: ${dup.frame}]`,
      );
      c.generated(
        fields['seconds-since-duplicate-address-frame'],
        p.frame.tsSec - dup.sec,
        `[Seconds since earlier frame seen: ${p.frame.tsSec - dup.sec}]`,
      );
      c.expert(
        'arp.duplicate-address-detected',
        'warn',
        'sequence',
        `Duplicate IP address configured (${ipv4Text(dup.ip)})`,
        c.start,
        0,
      );
    });
  }
  if (c.tree) {
    if (gratuitous) c.generated(fields.isgratuitous, true, '[Is gratuitous: True]');
    if (probe) c.generated(fields.isprobe, true, '[Is probe: True]');
    if (announcement) c.generated(fields.isannouncement, true, '[Is announcement: True]');
  }
  if (p.cols) {
    p.columns.protocol =
      op === 3 || op === 4
        ? 'RARP'
        : op === 5 || op === 6 || op === 7
          ? 'DRARP'
          : op === 8 || op === 9
            ? 'Inverse ARP'
            : 'ARP';
    const S = protoText(pro, spa);
    const T = protoText(pro, tpa);
    switch (op) {
      case OP_REQUEST:
        p.columns.info = announcement
          ? `ARP Announcement for ${T}`
          : gratuitous
            ? `Gratuitous ARP for ${T} (Request)`
            : probe
              ? `Who has ${T}? (ARP Probe)`
              : `Who has ${T}? Tell ${S}`;
        break;
      case OP_REPLY:
        p.columns.info = gratuitous ? `Gratuitous ARP for ${S} (Reply)` : `${S} is at ${hwText(hrd, sha)}`;
        break;
      case 3:
      case 5:
        p.columns.info = `Who is ${hwText(hrd, tha)}? Tell ${hwText(hrd, sha)}`;
        break;
      case 4:
      case 6:
        p.columns.info = `${hwText(hrd, tha)} is at ${T}`;
        break;
      case 7:
        p.columns.info = 'DRARP Error';
        break;
      case 8:
        p.columns.info = `Who is ${hwText(hrd, tha)}? Tell ${hwText(hrd, sha)}`;
        break;
      case 9:
        p.columns.info = `${hwText(hrd, sha)} is at ${S}`;
        break;
      case 10:
        p.columns.info = 'ARP NAK';
        break;
      default:
        // RFC 5494 reserves opcodes 0 and 65535.
        p.columns.info =
          op === 0 || op === 0xffff
            ? `Reserved opcode ${op}`
            : `Unknown ARP opcode 0x${op.toString(16).padStart(4, '0')}`;
    }
    if (dup) p.columns.info += ` (duplicate use of ${ipv4Text(dup.ip)} detected!)`;
  }
  return { summary: `Address Resolution Protocol (${kind})`, next: null };
}

export const dissectors: readonly Dissector[] = [
  { fields, pdu: 'packet', in: { ethertype: [0x0806, 0x8035] }, dissect: dissectArp },
];
