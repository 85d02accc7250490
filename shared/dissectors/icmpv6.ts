// ICMPv6: RFC 4443 (errors, echo); neighbour discovery: RFC 4861 (RS, RA, NS, NA, redirect and
// options 1–5), RFC 3971 §5.3.2 (nonce), RFC 8106 (RDNSS, DNSSL), RFC 4191 (router preference,
// route information), RFC 6275 §7.3–7.4 (advertisement interval, home agent information),
// RFC 8781 (PREF64);
// multicast listener discovery: RFC 2710 (MLDv1), RFC 3810 (MLDv2 query and report).
//
// Field names, tree labels and columns follow Wireshark 4.0 (packet-icmpv6.c): the checksum is
// verified over the IPv6 pseudo-header, echo requests and replies are matched, and errors (and
// the redirected header option) show the quoted packet through the `ipv6` dissector with
// p.inError set.
//
// Deliberate differences from Wireshark: message types other than those above (router
// renumbering, node information, RPL, mobile IPv6, 6LoWPAN ND…) and options other than those
// above are shown as undecoded data, as Wireshark shows the ones it does not implement; the
// quoted packet of a redirect is a layer of its own after ICMPv6 rather than nested in the option.
import { maskedValue, ShortRead, type Cursor } from '../dissect/cursor';
import { defineFields } from '../dissect/fields';
import type { Dissector, DissectResult } from '../dissect/engine';
import { etherText, ipv6Text } from '../dissect/format';
import type { PacketInfo, Session } from '../dissect/packet';
import type { FieldDef, Item } from '../dissect/types';
import { EchoMatcher } from '../conversations/echo-matching';
import { checksumShouldBe, expertItem, gen, hide, hopLimit, onesSum } from './l4-support';

const TYPES: Record<number, string> = {
  1: 'Destination Unreachable',
  2: 'Packet Too Big',
  3: 'Time Exceeded',
  4: 'Parameter Problem',
  100: 'Private experimentation',
  101: 'Private experimentation',
  127: 'Reserved for expansion of ICMPv6 error messages',
  128: 'Echo (ping) request',
  129: 'Echo (ping) reply',
  130: 'Multicast Listener Query',
  131: 'Multicast Listener Report',
  132: 'Multicast Listener Done',
  133: 'Router Solicitation',
  134: 'Router Advertisement',
  135: 'Neighbor Solicitation',
  136: 'Neighbor Advertisement',
  137: 'Redirect',
  138: 'Router Renumbering',
  139: 'Node Information Query',
  140: 'Node Information Reply',
  141: 'Inverse Neighbor Discovery Solicitation',
  142: 'Inverse Neighbor Discovery Advertisement',
  143: 'Multicast Listener Report Message v2',
  144: 'Home Agent Address Discovery Request',
  145: 'Home Agent Address Discovery Reply',
  146: 'Mobile Prefix Solicitation',
  147: 'Mobile Prefix Advertisement',
  148: 'Certification Path Solicitation',
  149: 'Certification Path Advertisement',
  150: 'Experimental Mobility',
  151: 'Multicast Router Advertisement',
  152: 'Multicast Router Solicitation',
  153: 'Multicast Router Termination',
  154: 'FMIPv6',
  155: 'RPL Control',
  156: 'Locator Update',
  157: 'Duplicate Address Request',
  158: 'Duplicate Address Confirmation',
  159: 'MPL Control Message',
  160: 'Extended Echo request',
  161: 'Extended Echo reply',
  200: 'Private experimentation',
  201: 'Private experimentation',
  255: 'Reserved for expansion of ICMPv6 informational messages',
};

const UNREACH: Record<number, string> = {
  0: 'no route to destination',
  1: 'Administratively prohibited',
  2: 'Beyond scope of source address',
  3: 'Address unreachable',
  4: 'Port unreachable',
  5: 'Source address failed ingress/egress policy',
  6: 'Reject route to destination',
  7: 'Error in Source Routing Header',
};
const TIME_EXCEEDED: Record<number, string> = {
  0: 'hop limit exceeded in transit',
  1: 'fragment reassembly time exceeded',
};
const PARAM_PROBLEM: Record<number, string> = {
  0: 'erroneous header field encountered',
  1: 'unrecognized Next Header type encountered',
  2: 'unrecognized IPv6 option encountered',
  3: 'IPv6 First Fragment has incomplete IPv6 Header Chain',
};

/** RFC 4191 §2.1 router preference values. */
const ROUTE_PREFERENCE: Record<number, string> = { 0: 'Medium', 1: 'High', 2: 'Reserved', 3: 'Low' };

/** RFC 8781 §4 prefix length codes. */
const PREF64_PLC: Record<number, string> = {
  0: '96 bits prefix length',
  1: '64 bits prefix length',
  2: '56 bits prefix length',
  3: '48 bits prefix length',
  4: '40 bits prefix length',
  5: '32 bits prefix length',
};

const OPTION_TYPES: Record<number, string> = {
  1: 'Source link-layer address',
  2: 'Target link-layer address',
  3: 'Prefix information',
  4: 'Redirected header',
  5: 'MTU',
  6: 'NBMA Shortcut Limit Option',
  7: 'Advertisement Interval',
  8: 'Home Agent Information',
  9: 'Source Address List',
  10: 'Target Address List',
  11: 'CGA',
  12: 'RSA Signature',
  13: 'Timestamp',
  14: 'Nonce',
  15: 'Trust Anchor',
  16: 'Certificate',
  17: 'IP Address/Prefix Option',
  18: 'New Router Prefix Information',
  19: 'Link-layer Address',
  20: 'Neighbor Advertisement Acknowledgment',
  23: 'MAP',
  24: 'Route Information',
  25: 'Recursive DNS Server',
  26: 'RA Flags Extension',
  27: 'Handover Key Request',
  28: 'Handover Key Reply',
  29: 'Handover Assist Information',
  30: 'Mobile Node Identifier Option',
  31: 'DNS Search List Option',
  32: 'Proxy Signature (PS)',
  33: 'Address Registration Option',
  34: '6LoWPAN Context Option',
  35: 'Authoritative Border Router',
  36: '6LoWPAN Capability Indication Option',
  37: 'DHCP Captive-Portal',
  38: 'PREF64 Option',
  138: 'CARD Request',
  139: 'CARD Reply',
  253: 'RFC3692-style Experiment 1',
  254: 'RFC3692-style Experiment 2',
};

const PREFERENCE: Record<number, string> = { 0: 'Medium', 1: 'High', 2: 'Reserved', 3: 'Low' };
const RECORD_TYPES: Record<number, string> = {
  1: 'Include',
  2: 'Exclude',
  3: 'Changed to include',
  4: 'Changed to exclude',
  5: 'Allow new sources',
  6: 'Block old sources',
};

export const fields = defineFields(
  'icmpv6',
  'Internet Control Message Protocol v6',
  { osi: 3, tcpip: 'internet' },
  {
    type: { name: 'Type', type: 'u8', vals: TYPES },
    code: { name: 'Code', type: 'u8' },
    checksum: { name: 'Checksum', type: 'u16', base: 'hex' },
    'checksum.status': {
      name: 'Checksum Status',
      type: 'u8',
      vals: { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' },
    },
    'checksum_bad.expert': { name: 'Bad checksum', type: 'none' },
    reserved: { name: 'Reserved', type: 'bytes' },
    data: { name: 'Data', type: 'bytes' },
    unknown_data: { name: 'Unknown Data', type: 'bytes' },
    'unknown_data.expert': { name: 'Unknown Data (not interpreted)', type: 'none' },
    mtu: { name: 'MTU', type: 'u32' },
    pointer: { name: 'Pointer', type: 'u32' },
    'echo.identifier': { name: 'Identifier', type: 'u16', base: 'hex' },
    'echo.sequence_number': { name: 'Sequence', type: 'u16' },
    resp_in: { name: 'Response In', type: 'framenum' },
    resp_to: { name: 'Response To', type: 'framenum' },
    no_resp: { name: 'No response seen', type: 'none' },
    resp_not_found: { name: 'Response not found', type: 'none' },
    resptime: { name: 'Response Time', type: 'double' },
    'nd.ra.cur_hop_limit': { name: 'Cur hop limit', type: 'u8' },
    'nd.ra.flag': { name: 'Flags', type: 'u8', base: 'hex' },
    'nd.ra.flag.m': {
      name: 'Managed address configuration',
      type: 'bool',
      mask: 0x80,
      tf: ['Set', 'Not set'],
    },
    'nd.ra.flag.o': { name: 'Other configuration', type: 'bool', mask: 0x40, tf: ['Set', 'Not set'] },
    'nd.ra.flag.h': { name: 'Home Agent', type: 'bool', mask: 0x20, tf: ['Set', 'Not set'] },
    'nd.ra.flag.prf': { name: 'Prf (Default Router Preference)', type: 'u8', mask: 0x18, vals: PREFERENCE },
    'nd.ra.flag.p': { name: 'Proxy', type: 'bool', mask: 0x04, tf: ['Set', 'Not set'] },
    'nd.ra.flag.rsv': { name: 'Reserved', type: 'u8', mask: 0x03 },
    'nd.ra.router_lifetime': { name: 'Router lifetime (s)', type: 'u16' },
    'nd.ra.reachable_time': { name: 'Reachable time (ms)', type: 'u32' },
    'nd.ra.retrans_timer': { name: 'Retrans timer (ms)', type: 'u32' },
    'nd.ns.target_address': { name: 'Target Address', type: 'ipv6' },
    'nd.na.flag': { name: 'Flags', type: 'u32', base: 'hex' },
    'nd.na.flag.r': { name: 'Router', type: 'bool', mask: 0x80000000, tf: ['Set', 'Not set'] },
    'nd.na.flag.s': { name: 'Solicited', type: 'bool', mask: 0x40000000, tf: ['Set', 'Not set'] },
    'nd.na.flag.o': { name: 'Override', type: 'bool', mask: 0x20000000, tf: ['Set', 'Not set'] },
    'nd.na.flag.rsv': { name: 'Reserved', type: 'u32', mask: 0x1fffffff },
    'nd.na.target_address': { name: 'Target Address', type: 'ipv6' },
    'nd.rd.target_address': { name: 'Target Address', type: 'ipv6' },
    'rd.na.destination_address': { name: 'Destination Address', type: 'ipv6' },
    opt: { name: 'ICMPv6 Option', type: 'none' },
    'opt.type': { name: 'Type', type: 'u8', vals: OPTION_TYPES },
    'opt.length': { name: 'Length', type: 'u8' },
    'opt.reserved': { name: 'Reserved', type: 'none' },
    'opt.padding': { name: 'Padding', type: 'none' },
    'opt.linkaddr': { name: 'Link-layer address', type: 'bytes', base: 'sep_colon' },
    'opt.src_linkaddr': { name: 'Source Link-layer address', type: 'bytes', base: 'sep_colon' },
    'opt.target_linkaddr': { name: 'Target Link-layer address', type: 'bytes', base: 'sep_colon' },
    'opt.prefix.length': { name: 'Prefix Length', type: 'u8' },
    'opt.prefix.flag': { name: 'Flag', type: 'u8', base: 'hex' },
    'opt.prefix.flag.l': { name: 'On-link flag(L)', type: 'bool', mask: 0x80, tf: ['Set', 'Not set'] },
    'opt.prefix.flag.a': {
      name: 'Autonomous address-configuration flag(A)',
      type: 'bool',
      mask: 0x40,
      tf: ['Set', 'Not set'],
    },
    'opt.prefix.flag.r': { name: 'Router address flag(R)', type: 'bool', mask: 0x20, tf: ['Set', 'Not set'] },
    'opt.prefix.flag.reserved': { name: 'Reserved', type: 'u8', mask: 0x1f },
    'opt.prefix.valid_lifetime': { name: 'Valid Lifetime', type: 'u32' },
    'opt.prefix.preferred_lifetime': { name: 'Preferred Lifetime', type: 'u32' },
    'opt.prefix': { name: 'Prefix', type: 'ipv6' },
    'opt.nonce': { name: 'Nonce', type: 'bytes' },
    'opt.redirected_packet': { name: 'Redirected Packet', type: 'none' },
    'opt.mtu': { name: 'MTU', type: 'u32' },
    'opt.rdnss.lifetime': { name: 'Lifetime', type: 'u32' },
    'opt.rdnss': { name: 'Recursive DNS Servers', type: 'ipv6' },
    'opt.dnssl.lifetime': { name: 'Lifetime', type: 'u32' },
    'opt.dnssl': { name: 'Domain Names', type: 'string' },
    'opt.advertisement_interval': { name: 'Advertisement Interval', type: 'u32' },
    'opt.home_agent_preference': { name: 'Home Agent Preference', type: 'u16' },
    // Wireshark 4.0 names this one "Home Agent Preference" too.
    'opt.home_agent_lifetime': { name: 'Home Agent Preference', type: 'u16' },
    'opt.route_info.flag': { name: 'Flag', type: 'u8', base: 'hex' },
    'opt.route_info.flag.route_preference': {
      name: 'Route Preference',
      type: 'u8',
      mask: 0x18,
      vals: ROUTE_PREFERENCE,
    },
    'opt.route_info.flag.reserved': { name: 'Reserved', type: 'u8', mask: 0xe7 },
    'opt.route_lifetime': { name: 'Route Lifetime', type: 'u32' },
    'opt.pref64.scaled_lifetime': { name: 'Scaled Lifetime', type: 'u16', mask: 0xfff8 },
    'opt.pref64.plc': {
      name: 'PLC (Prefix Length Code)',
      type: 'u16',
      base: 'hex',
      mask: 0x7,
      vals: PREF64_PLC,
    },
    'opt.pref64.prefix': { name: 'Prefix', type: 'ipv6' },
    invalid_option_length: { name: 'Invalid Option Length', type: 'none' },
    'undecoded.option': { name: 'Undecoded option', type: 'none' },
    'undecoded.type': { name: 'Undecoded type', type: 'none' },
    'mld.maximum_response_delay': { name: 'Maximum Response Delay [ms]', type: 'u16' },
    'mld.maximum_response_code': { name: 'Maximum Response Code', type: 'u16' },
    'mld.multicast_address': { name: 'Multicast Address', type: 'ipv6' },
    'mld.flag': { name: 'Flags', type: 'u8', base: 'hex' },
    'mld.flag.s': { name: 'Suppress Router-Side Processing', type: 'bool', mask: 0x08 },
    'mld.flag.qrv': { name: "QRV (Querier's Robustness Variable)", type: 'u8', mask: 0x07 },
    'mld.flag.reserved': { name: 'Reserved', type: 'u8', mask: 0xf0 },
    'mld.qqi': { name: "QQIC (Querier's Query Interval Code)", type: 'u8' },
    'mld.nb_sources': { name: 'Number of Sources', type: 'u16' },
    'mld.source_address': { name: 'Source Address', type: 'ipv6' },
    'mldr.nb_mcast_records': { name: 'Number of Multicast Address Records', type: 'u16' },
    'mldr.mar': { name: 'Multicast Address Record', type: 'none' },
    'mldr.mar.record_type': { name: 'Record Type', type: 'u8', vals: RECORD_TYPES },
    'mldr.mar.aux_data_len': { name: 'Aux Data Len', type: 'u8' },
    'mldr.mar.nb_sources': { name: 'Number of Sources', type: 'u16' },
    'mldr.mar.multicast_address': { name: 'Multicast Address', type: 'ipv6' },
    'mldr.mar.source_address': { name: 'Source Address', type: 'ipv6' },
    'mldr.mar.auxiliary_data': { name: 'Auxiliary Data', type: 'bytes' },
  },
);

const F = fields;

function state(s: Session): EchoMatcher {
  return s.state('icmpv6', () => new EchoMatcher());
}

/** The checksum a reply to this request will carry: the type byte grows from 128 to 129. */
function replyChecksum(requestSum: number): number {
  let s = (~requestSum & 0xffff) + 0x0100;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

function hex(v: number, digits: number): string {
  return v.toString(16).padStart(digits, '0');
}

function bitsPicture(v: number, mask: number, bits: number): string {
  let s = '';
  for (let i = bits - 1; i >= 0; i--) {
    const m = 2 ** i;
    const inMask = Math.floor(mask / m) % 2 === 1;
    s += inMask ? (Math.floor(v / m) % 2 === 1 ? '1' : '0') : '.';
    if (i % 4 === 0 && i) s += ' ';
  }
  return s;
}

/** A bit field item labelled as Wireshark draws it (`..1. .... = Name: Set`). */
function bitItem(c: Cursor, f: FieldDef, v: number, at: number, len: number): number {
  const x = f.mask ? maskedValue(v, f.mask) : 0;
  if (!c.tree) return x;
  const pic = bitsPicture(v >>> 0, f.mask >>> 0, len * 8);
  let text: string;
  if (f.type === 'bool') text = f.tf ? (x ? f.tf[0] : f.tf[1]) : x ? 'True' : 'False';
  else text = f.vals && f.vals[x] !== undefined ? `${f.vals[x]} (${x})` : String(x);
  c.add(f, at, len, f.type === 'bool' ? x !== 0 : x, `${pic} = ${f.name}: ${text}`);
  return x;
}

/** An IPv6 address item (a copy of the 16 bytes) and its text. */
function addr(c: Cursor, f: FieldDef, at: number): string {
  const b = c.getBytes(at, 16);
  const t = ipv6Text(b);
  if (c.tree) c.add(f, at, 16, b.slice());
  return t;
}

/** A prefix of `n` bytes shown as an IPv6 address padded with zeros; its item covers the `n` bytes. */
function prefixAddr(c: Cursor, f: FieldDef, at: number, n: number): string {
  const b = new Uint8Array(16);
  b.set(c.getBytes(at, n));
  const t = ipv6Text(b);
  if (c.tree) c.add(f, at, n, b);
  return t;
}

interface Context {
  /** Link-layer address from a source or target link-layer option, for the Info column. */
  lla: string;
  /** Set when a redirected header option quotes a packet: where it starts and ends. */
  redirectAt: number;
  redirectEnd: number;
  redirectOptEnd: number;
  /** The redirected header option's tree item, for what follows the quoted packet in it. */
  redirectItem: Item | null;
}

function dissectOptions(c: Cursor, at: number, end: number, ctx: Context): void {
  let o = at;
  while (o < end) {
    const type = c.getU8(o);
    const name = OPTION_TYPES[type] ?? `Unknown ${type}`;
    const lenUnits = c.getU8(o + 1);
    const len = lenUnits * 8;
    const item = c.tree ? c.add(F.opt, o, Math.min(len, c.end - o), null, `ICMPv6 Option (${name}`) : null;
    let suffix = ')';
    let stop = false;
    c.within(item, () => {
      c.add(F['opt.type'], o, 1, type, OPTION_TYPES[type] ? undefined : `Type: Unknown (${type})`);
      const lenItem = c.add(F['opt.length'], o + 1, 1, lenUnits, `Length: ${lenUnits} (${len} bytes)`);
      if (len === 0) {
        c.within(lenItem, () =>
          expertItem(c, F.invalid_option_length, 'error', 'malformed', 'Invalid option length (Zero)', o + 1),
        );
        stop = true;
        suffix = '';
        return;
      }
      const body = o + 2;
      const optEnd = o + len;
      // How far the option's own fields reach; Wireshark shows what is left as unknown data.
      let used = optEnd;
      switch (type) {
        case 1:
        case 2: {
          const n = len - 2;
          const b = c.getBytes(body, n);
          const text = n === 6 ? etherText(b) : Array.from(b, (x) => hex(x, 2)).join(':');
          c.add(F['opt.linkaddr'], body, n, b.slice(), `Link-layer address: ${text}`);
          hide(
            c.add(
              type === 1 ? F['opt.src_linkaddr'] : F['opt.target_linkaddr'],
              body,
              n,
              b.slice(),
              `${type === 1 ? 'Source' : 'Target'} Link-layer address: ${text}`,
            ),
          );
          ctx.lla = text;
          suffix = ` : ${text})`;
          break;
        }
        case 3: {
          const plen = c.getU8(body);
          c.add(F['opt.prefix.length'], body, 1, plen);
          const fl = c.getU8(body + 1);
          let flText = `Flag: 0x${hex(fl, 2)}`;
          if (fl & 0x80) flText += ', On-link flag(L)';
          if (fl & 0x40) flText += ', Autonomous address-configuration flag(A)';
          if (fl & 0x20) flText += ', Router address flag(R)';
          const flItem = c.add(F['opt.prefix.flag'], body + 1, 1, fl, flText);
          c.within(flItem, () => {
            bitItem(c, F['opt.prefix.flag.l'], fl, body + 1, 1);
            bitItem(c, F['opt.prefix.flag.a'], fl, body + 1, 1);
            bitItem(c, F['opt.prefix.flag.r'], fl, body + 1, 1);
            bitItem(c, F['opt.prefix.flag.reserved'], fl, body + 1, 1);
          });
          c.add(F['opt.prefix.valid_lifetime'], body + 2, 4, c.getU32(body + 2));
          c.add(F['opt.prefix.preferred_lifetime'], body + 6, 4, c.getU32(body + 6));
          c.add(F['opt.reserved'], body + 10, 4, null, 'Reserved');
          const p = addr(c, F['opt.prefix'], body + 14);
          suffix = ` : ${p}/${plen})`;
          used = body + 30;
          break;
        }
        case 4: {
          c.add(F['opt.reserved'], body, 6, null, 'Reserved');
          c.add(F['opt.redirected_packet'], body + 6, len - 8, null, 'Redirected Packet');
          if (ctx.redirectAt < 0) {
            ctx.redirectItem = item;
            ctx.redirectAt = body + 6;
            ctx.redirectOptEnd = o + len;
            // The quoted packet: its IPv6 header says how long it is, the option may pad it.
            const plenQuoted = c.has(6, body + 6 + 4) ? c.getU16(body + 6 + 4) : 0;
            ctx.redirectEnd = Math.min(o + len, body + 6 + 40 + plenQuoted);
            stop = true;
          }
          break;
        }
        case 5:
          c.add(F['opt.reserved'], body, 2, null, 'Reserved');
          suffix = ` : ${c.getU32(body + 2)})`;
          c.add(F['opt.mtu'], body + 2, 4, c.getU32(body + 2));
          used = body + 6;
          break;
        case 7: {
          // RFC 6275 §7.3
          c.add(F['opt.reserved'], body, 2, null, 'Reserved');
          const v = c.getU32(body + 2);
          c.add(F['opt.advertisement_interval'], body + 2, 4, v);
          suffix = ` : ${v})`;
          used = body + 6;
          break;
        }
        case 8:
          // RFC 6275 §7.4
          c.add(F['opt.reserved'], body, 2, null, 'Reserved');
          c.add(F['opt.home_agent_preference'], body + 2, 2, c.getU16(body + 2));
          c.add(F['opt.home_agent_lifetime'], body + 4, 2, c.getU16(body + 4));
          used = body + 6;
          break;
        case 24: {
          // RFC 4191 §2.3: the prefix takes 0, 8 or 16 bytes as the option is 1, 2 or 3 units long.
          const plen = c.getU8(body);
          c.add(F['opt.prefix.length'], body, 1, plen);
          const fl = c.getU8(body + 1);
          const pref = ROUTE_PREFERENCE[(fl >> 3) & 3];
          const flItem = c.add(
            F['opt.route_info.flag'],
            body + 1,
            1,
            fl,
            `Flag: 0x${hex(fl, 2)}, Route Preference: ${pref}`,
          );
          c.within(flItem, () => {
            bitItem(c, F['opt.route_info.flag.route_preference'], fl, body + 1, 1);
            bitItem(c, F['opt.route_info.flag.reserved'], fl, body + 1, 1);
          });
          const life = c.getU32(body + 2);
          c.add(
            F['opt.route_lifetime'],
            body + 2,
            4,
            life,
            life === 0xffffffff ? `Route Lifetime: Infinity (${life})` : undefined,
          );
          used = body + 6;
          if (lenUnits <= 3) {
            const n = (lenUnits - 1) * 8;
            const pfx = n ? prefixAddr(c, F['opt.prefix'], body + 6, n) : '::';
            used += n;
            suffix = ` : ${pref} ${pfx}/${plen})`;
          } else {
            c.within(lenItem, () =>
              expertItem(c, F.invalid_option_length, 'error', 'malformed', 'Invalid Option Length', o + 1),
            );
            suffix = ` : ${pref})`;
          }
          break;
        }
        case 38: {
          // RFC 8781: the NAT64 prefix, as long as its length code says (read even past the option).
          const v = c.getU16(body);
          bitItem(c, F['opt.pref64.scaled_lifetime'], v, body, 2);
          const plc = v & 7;
          if (c.tree) {
            const name = PREF64_PLC[plc] ?? 'Unknown';
            c.add(
              F['opt.pref64.plc'],
              body,
              2,
              plc,
              `${bitsPicture(v, 7, 16)} = PLC (Prefix Length Code): ${name} (0x${plc.toString(16)})`,
            );
          }
          // The prefix field is 12 bytes whatever the code says.
          used = body + 14;
          if (plc <= 5) {
            prefixAddr(c, F['opt.pref64.prefix'], body + 2, plc === 0 ? 12 : 9 - plc);
          } else {
            c.within(lenItem, () =>
              expertItem(c, F.invalid_option_length, 'error', 'malformed', 'Invalid Option Length', o + 1),
            );
          }
          break;
        }
        case 14:
          c.add(F['opt.nonce'], body, len - 2, c.getBytes(body, len - 2).slice());
          break;
        case 25: {
          c.add(F['opt.reserved'], body, 2, null, 'Reserved');
          c.add(F['opt.rdnss.lifetime'], body + 2, 4, c.getU32(body + 2));
          // Wireshark reads 16 bytes while the option has any left (past its end when it is short),
          // naming each server in the label as it goes.
          let a = body + 6;
          for (; a < optEnd; a += 16) {
            const server = addr(c, F['opt.rdnss'], a);
            if (item) item.label += ` ${server}`;
          }
          used = a;
          break;
        }
        case 31: {
          c.add(F['opt.reserved'], body, 2, null, 'Reserved');
          c.add(F['opt.dnssl.lifetime'], body + 2, 4, c.getU32(body + 2));
          let a = body + 6;
          while (a < optEnd && c.getU8(a) !== 0) {
            const [nameText, next] = dnsName(c, a, optEnd);
            c.add(F['opt.dnssl'], a, next - a, nameText);
            if (item) item.label += ` ${nameText}`;
            a = next;
          }
          if (a < optEnd) c.add(F['opt.padding'], a, optEnd - a, null, 'Padding');
          break;
        }
        default:
          expertItem(
            c,
            F['undecoded.option'],
            'note',
            'undecoded',
            `Dissector for ICMPv6 Option (${type}) code not implemented, Contact Wireshark developers if you want this supported`,
            o,
          );
          c.add(F.data, body, len - 2, c.getBytes(body, len - 2).slice());
          break;
      }
      if (used < optEnd) {
        const it: Item | null = c.add(
          F.unknown_data,
          used,
          optEnd - used,
          c.getBytes(used, optEnd - used).slice(),
        );
        c.within(it, () =>
          expertItem(
            c,
            F['unknown_data.expert'],
            'error',
            'malformed',
            'Unknown Data (not interpreted)',
            used,
          ),
        );
      }
    });
    if (item) item.label += suffix;
    if (stop) return;
    o += len;
  }
}

/** A DNS name in wire format (RFC 1035 §3.1), as text, and where it ends. */
function dnsName(c: Cursor, at: number, end: number): [string, number] {
  const labels: string[] = [];
  let a = at;
  while (a < end) {
    const n = c.getU8(a);
    a++;
    if (n === 0) break;
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(c.getU8(a + i));
    labels.push(s);
    a += n;
  }
  return [labels.join('.'), a];
}

function dissect(c: Cursor, p: PacketInfo): DissectResult {
  const start = c.start;
  const tree = c.tree;
  const cols = p.cols && !p.inError;
  const summary = 'Internet Control Message Protocol v6';
  if (cols) {
    p.columns.protocol = 'ICMPv6';
    p.columns.info = '';
  }
  const type = c.getU8(start);
  const code = c.getU8(start + 1);
  const typeStr = TYPES[type] ?? 'Unknown';
  let codeStr: string | null = null;
  if (type === 1) codeStr = UNREACH[code] ?? 'Unknown';
  else if (type === 3) codeStr = TIME_EXCEEDED[code] ?? `Unknown (${code})`;
  else if (type === 4) codeStr = PARAM_PROBLEM[code] ?? `Unknown (${code})`;
  if (cols) p.columns.info = typeStr + (codeStr ? ` (${codeStr})` : '');
  if (tree) {
    c.add(F.type, start, 1, type, `Type: ${typeStr} (${type})`);
    c.add(F.code, start + 1, 1, code, codeStr ? `Code: ${code} (${codeStr})` : `Code: ${code}`);
  }
  const sum = c.getU16(start + 2);
  const reported = c.declaredEnd - start;
  const captured = c.end - start;
  if (tree) {
    if (!p.fragment && captured >= reported && !p.inError && p.netSrc && p.netDst && p.netType === 6) {
      // RFC 8200 §8.1: the pseudo-header holds both addresses, the length and next header 58.
      let s = onesSum(p.netSrc, 0, 16);
      s = onesSum(p.netDst, 0, 16, s);
      s += (reported >>> 16) + (reported & 0xffff) + 58;
      const computed = onesSum(c.data, start, reported, s);
      if (computed === 0xffff) {
        c.add(F.checksum, start + 2, 2, sum, `Checksum: 0x${hex(sum, 4)} [correct]`);
        gen(c.add(F['checksum.status'], start + 2, 0, 1, '[Checksum Status: Good]'));
      } else {
        const should = checksumShouldBe(sum, computed);
        const it = c.add(
          F.checksum,
          start + 2,
          2,
          sum,
          `Checksum: 0x${hex(sum, 4)} incorrect, should be 0x${hex(should, 4)}`,
        );
        c.within(it, () =>
          expertItem(
            c,
            F['checksum_bad.expert'],
            'warn',
            'checksum',
            `Bad checksum [should be 0x${hex(should, 4)}]`,
            start + 2,
          ),
        );
        gen(c.add(F['checksum.status'], start + 2, 0, 0, '[Checksum Status: Bad]'));
      }
    } else {
      c.add(
        F.checksum,
        start + 2,
        2,
        sum,
        `Checksum: 0x${hex(sum, 4)} [unverified]${p.inError ? ' [in ICMP error packet]' : ''}`,
      );
      gen(c.add(F['checksum.status'], start + 2, 0, 2, '[Checksum Status: Unverified]'));
    }
  }
  const ctx: Context = { lla: '', redirectAt: -1, redirectEnd: 0, redirectOptEnd: 0, redirectItem: null };
  const reserved = (at: number, n: number): void => {
    const b = c.getBytes(at, n);
    if (tree) c.add(F.reserved, at, n, b.slice());
  };
  const end = c.declaredEnd;
  switch (type) {
    case 1:
    case 2:
    case 3:
    case 4: {
      if (type === 2) c.add(F.mtu, start + 4, 4, c.getU32(start + 4));
      else if (type === 4) c.add(F.pointer, start + 4, 4, c.getU32(start + 4));
      else reserved(start + 4, 4);
      return quoted(c, p, start + 8, end, summary);
    }
    case 128:
    case 129: {
      const id = c.getU16(start + 4);
      const seq = c.getU16(start + 6);
      if (tree) {
        c.add(F['echo.identifier'], start + 4, 2, id);
        c.add(F['echo.sequence_number'], start + 6, 2, seq);
      }
      if (cols) {
        p.columns.info += ` id=0x${hex(id, 4)}, seq=${seq}`;
        const hl = hopLimit(c, p);
        if (hl >= 0) p.columns.info += `, hop limit=${hl}`;
      }
      if (!p.inError) echoMatch(c, p, type, sum);
      return { next: c.end > start + 8 ? { proto: 'data', offset: start + 8 } : null, summary };
    }
    case 130:
    case 131:
    case 132: {
      const mrd = c.getU16(start + 4);
      const v2 = type === 130 && reported > 24;
      c.add(v2 ? F['mld.maximum_response_code'] : F['mld.maximum_response_delay'], start + 4, 2, mrd);
      reserved(start + 6, 2);
      addr(c, F['mld.multicast_address'], start + 8);
      if (v2) {
        const fl = c.getU8(start + 24);
        const flItem = c.add(F['mld.flag'], start + 24, 1, fl, `Flags: 0x${hex(fl, 2)}`);
        c.within(flItem, () => {
          const sflag = (fl & 0x08) !== 0;
          if (tree)
            c.add(
              F['mld.flag.s'],
              start + 24,
              1,
              sflag,
              `${bitsPicture(fl, 0x08, 8)} = Suppress Router-Side Processing: ${sflag ? 'True' : 'False'}`,
            );
          bitItem(c, F['mld.flag.qrv'], fl, start + 24, 1);
          bitItem(c, F['mld.flag.reserved'], fl, start + 24, 1);
        });
        c.add(F['mld.qqi'], start + 25, 1, c.getU8(start + 25));
        const n = c.getU16(start + 26);
        c.add(F['mld.nb_sources'], start + 26, 2, n);
        for (let i = 0; i < n; i++) addr(c, F['mld.source_address'], start + 28 + i * 16);
      }
      return { next: null, summary };
    }
    case 143: {
      reserved(start + 4, 2);
      const n = c.getU16(start + 6);
      c.add(F['mldr.nb_mcast_records'], start + 6, 2, n);
      let o = start + 8;
      for (let i = 0; i < n; i++) {
        const rt = c.getU8(o);
        const aux = c.getU8(o + 1);
        const ns = c.getU16(o + 2);
        const size = 20 + ns * 16 + aux * 4;
        const maddr = ipv6Text(c.getBytes(o + 4, 16));
        const rec = c.tree
          ? c.add(
              F['mldr.mar'],
              o,
              size,
              null,
              `Multicast Address Record ${RECORD_TYPES[rt] ?? 'Unknown'}: ${maddr}`,
            )
          : null;
        const at = o;
        c.within(rec, () => {
          c.add(F['mldr.mar.record_type'], at, 1, rt);
          c.add(F['mldr.mar.aux_data_len'], at + 1, 1, aux);
          c.add(F['mldr.mar.nb_sources'], at + 2, 2, ns);
          addr(c, F['mldr.mar.multicast_address'], at + 4);
          for (let j = 0; j < ns; j++) addr(c, F['mldr.mar.source_address'], at + 20 + j * 16);
          if (aux)
            c.add(
              F['mldr.mar.auxiliary_data'],
              at + 20 + ns * 16,
              aux * 4,
              c.getBytes(at + 20 + ns * 16, aux * 4).slice(),
            );
        });
        o += size;
      }
      return { next: null, summary };
    }
    case 133:
      reserved(start + 4, 4);
      dissectOptions(c, start + 8, end, ctx);
      if (cols && ctx.lla) p.columns.info += ` from ${ctx.lla}`;
      return { next: null, summary };
    case 134: {
      c.add(F['nd.ra.cur_hop_limit'], start + 4, 1, c.getU8(start + 4));
      const fl = c.getU8(start + 5);
      let text = `Flags: 0x${hex(fl, 2)}`;
      if (fl & 0x80) text += ', Managed address configuration';
      if (fl & 0x40) text += ', Other configuration';
      if (fl & 0x20) text += ', Home Agent';
      text += `, Prf (Default Router Preference): ${PREFERENCE[(fl >> 3) & 3]}`;
      if (fl & 0x04) text += ', Proxy';
      const flItem = c.add(F['nd.ra.flag'], start + 5, 1, fl, text);
      c.within(flItem, () => {
        for (const f of [
          F['nd.ra.flag.m'],
          F['nd.ra.flag.o'],
          F['nd.ra.flag.h'],
          F['nd.ra.flag.prf'],
          F['nd.ra.flag.p'],
          F['nd.ra.flag.rsv'],
        ])
          bitItem(c, f, fl, start + 5, 1);
      });
      c.add(F['nd.ra.router_lifetime'], start + 6, 2, c.getU16(start + 6));
      c.add(F['nd.ra.reachable_time'], start + 8, 4, c.getU32(start + 8));
      c.add(F['nd.ra.retrans_timer'], start + 12, 4, c.getU32(start + 12));
      dissectOptions(c, start + 16, end, ctx);
      if (cols && ctx.lla) p.columns.info += ` from ${ctx.lla}`;
      return { next: null, summary };
    }
    case 135: {
      reserved(start + 4, 4);
      const target = addr(c, F['nd.ns.target_address'], start + 8);
      if (cols) p.columns.info += ` for ${target}`;
      dissectOptions(c, start + 24, end, ctx);
      if (cols && ctx.lla) p.columns.info += ` from ${ctx.lla}`;
      return { next: null, summary };
    }
    case 136: {
      const fl = c.getU32(start + 4);
      let text = `Flags: 0x${hex(fl, 8)}`;
      const words: string[] = [];
      if (fl & 0x80000000) {
        text += ', Router';
        words.push('rtr');
      }
      if (fl & 0x40000000) {
        text += ', Solicited';
        words.push('sol');
      }
      if (fl & 0x20000000) {
        text += ', Override';
        words.push('ovr');
      }
      if (fl & 0x1fffffff) text += `, Reserved: ${fl & 0x1fffffff}`;
      const flItem = c.add(F['nd.na.flag'], start + 4, 4, fl, text);
      c.within(flItem, () => {
        for (const f of [F['nd.na.flag.r'], F['nd.na.flag.s'], F['nd.na.flag.o'], F['nd.na.flag.rsv']])
          bitItem(c, f, fl, start + 4, 4);
      });
      const target = addr(c, F['nd.na.target_address'], start + 8);
      if (cols) p.columns.info += ` ${target} (${words.length ? words.join(', ') : 'none'})`;
      dissectOptions(c, start + 24, end, ctx);
      if (cols && ctx.lla) p.columns.info += ` is at ${ctx.lla}`;
      return { next: null, summary };
    }
    case 137: {
      reserved(start + 4, 4);
      addr(c, F['nd.rd.target_address'], start + 8);
      addr(c, F['rd.na.destination_address'], start + 24);
      dissectOptions(c, start + 40, end, ctx);
      if (cols && ctx.lla) p.columns.info += ` is at ${ctx.lla}`;
      if (ctx.redirectAt >= 0) return redirected(c, p, ctx, end, summary);
      return { next: null, summary };
    }
    default:
      expertItem(
        c,
        F['undecoded.type'],
        'note',
        'undecoded',
        `Dissector for ICMPv6 Type (${type}) code not implemented, Contact Wireshark developers if you want this supported`,
        start,
      );
      if (c.end > start + 4)
        c.add(F.data, start + 4, c.end - (start + 4), c.getBytes(start + 4, c.end - (start + 4)).slice());
      return { next: null, summary };
  }
}

/** An error message: the quoted packet goes to the IPv6 dissector, flagged as quoted. */
function quoted(
  c: Cursor,
  p: PacketInfo,
  at: number,
  end: number,
  summary: string,
  finishExtra?: () => void,
): DissectResult {
  const saved = p.cols ? { ...p.columns } : null;
  const wasInError = p.inError;
  const netType = p.netType;
  const netSrc = p.netSrc;
  const netDst = p.netDst;
  p.inError = true;
  return {
    next: { proto: 'ipv6', offset: at, end },
    summary,
    finish: () => {
      // The quoted packet must not change the columns or the addresses this frame is about.
      if (saved) Object.assign(p.columns, saved);
      p.inError = wasInError;
      p.netType = netType;
      p.netSrc = netSrc;
      p.netDst = netDst;
      finishExtra?.();
    },
  };
}

/** A redirect's quoted packet, then whatever padding and options follow it. */
function redirected(c: Cursor, p: PacketInfo, ctx: Context, end: number, summary: string): DissectResult {
  return quoted(c, p, ctx.redirectAt, ctx.redirectEnd, summary, () => {
    const pad = ctx.redirectOptEnd - ctx.redirectEnd;
    if (pad > 0 && c.has(pad, ctx.redirectEnd)) {
      c.within(ctx.redirectItem, () => {
        const it: Item | null = c.add(
          F.unknown_data,
          ctx.redirectEnd,
          pad,
          c.getBytes(ctx.redirectEnd, pad).slice(),
        );
        c.within(it, () =>
          expertItem(
            c,
            F['unknown_data.expert'],
            'error',
            'malformed',
            'Unknown Data (not interpreted)',
            ctx.redirectEnd,
          ),
        );
      });
    }
    if (ctx.redirectOptEnd < end) {
      const more: Context = { lla: '', redirectAt: 0, redirectEnd: 0, redirectOptEnd: 0, redirectItem: null };
      try {
        dissectOptions(c, ctx.redirectOptEnd, end, more);
      } catch (e) {
        if (!(e instanceof ShortRead)) throw e;
        c.malformed = true;
      }
    }
  });
}

function echoMatch(c: Cursor, p: PacketInfo, type: number, sum: number): void {
  const start = c.start;
  if (!p.netSrc || !p.netDst) return;
  const st = state(p.session);
  const frame = p.frame.number;
  const tree = c.tree;
  const cols = p.cols;
  const idSeq = c.getU32(start + 4);
  if (type === 128) {
    if (!p.visited) {
      st.request(
        6,
        p.netSrc,
        p.netDst,
        frame,
        p.frame.tsSec,
        p.frame.tsNsec,
        replyChecksum(sum) * 2 ** 32 + idSeq,
      );
      return;
    }
    const reply = st.peerOf(frame);
    if (reply) {
      if (tree) gen(c.add(F.resp_in, start, 0, reply, `[Response In: ${reply}]`));
      if (cols) p.columns.info += ` (reply in ${reply})`;
      return;
    }
    // Replies to a multicast request come from elsewhere; Wireshark notes none missing.
    if (p.netDst[0] === 0xff) return;
    if (tree) {
      const it = gen(c.add(F.no_resp, start, 0, null, '[No response seen]'));
      c.within(it, () =>
        expertItem(
          c,
          F.resp_not_found,
          'warn',
          'sequence',
          `No response seen to ICMPv6 request in frame ${frame}`,
          start,
        ),
      );
    }
    if (cols) p.columns.info += ' (no response found!)';
    return;
  }
  const key = (sum === 0xffff ? 0 : sum) * 2 ** 32 + idSeq;
  const m = st.reply(p.visited, 6, p.netSrc, p.netDst, frame, p.frame.tsSec, p.frame.tsNsec, key);
  if (!m) return;
  const { request, ns } = m;
  if (tree) {
    gen(c.add(F.resp_to, start, 0, request, `[Response To: ${request}]`));
    gen(
      c.add(
        F.resptime,
        start,
        0,
        Number((ns / 1e6).toPrecision(15)),
        `[Response Time: ${(ns / 1e6).toFixed(3)} ms]`,
      ),
    );
  }
  if (cols) p.columns.info += ` (request in ${request})`;
}

export const dissectors: readonly Dissector[] = [
  {
    fields: F,
    pdu: 'message',
    in: { 'ip.proto': 58 },
    dissect(c, p) {
      try {
        return dissect(c, p);
      } catch (e) {
        // A quoted message cut short just ends, as in Wireshark (no malformed mark).
        if (p.inError && e instanceof ShortRead) return { next: null };
        throw e;
      }
    },
  },
];
