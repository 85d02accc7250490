// IPv6, RFC 8200: the fixed header (§3), the extension headers hop-by-hop and destination options
// (§4.3, §4.6, options §4.2: Pad1, PadN; router alert RFC 2711; jumbo payload RFC 2675; tunnel
// encapsulation limit RFC 2473), routing (§4.4; type 0 RFC 5095-deprecated, type 2 RFC 6275,
// type 3 RFC 6554 shown raw, type 4 segment routing RFC 8754) and fragment (§4.5, reassembled by
// shared/reassembly/ip-fragments.ts, keyed by source, destination and identification).
//
// As Wireshark 4.0, each extension header is its own protocol (ipv6.hopopts, ipv6.routing,
// ipv6.fraghdr, ipv6.dstopts) dispatched through the `ip.proto` table, so frame.protocols reads
// `ipv6:ipv6.hopopts:icmpv6`. Wireshark draws their trees inside the IPv6 tree; here each is a
// layer of its own in the layer stack, the closer fit for a view of encapsulation.
// A payload length of 0 is a jumbogram when a hop-by-hop jumbo option follows, else taken as TSO.
import type { Cursor } from '../dissect/cursor';
import type { Dissector, DissectResult } from '../dissect/engine';
import { defineFields } from '../dissect/fields';
import { bitPicture, hex2, ipv6Text } from '../dissect/format';
import type { PacketInfo } from '../dissect/packet';
import type { FieldDef } from '../dissect/types';
import { fragmentKey, IP_FRAG_STATE, newFragmentTable, type Datagram } from '../reassembly/ip-fragments';
import { bitsItem, dsText, fields as ipFields, fragmentTree, hidden } from './ip';
import { DSCP, ECN, IPPROTO, IPV6_OPT, IPV6_OPT_ACTION, IPV6_RA, IPV6_ROUTING } from './l2l3-values';

export const fields = defineFields(
  'ipv6',
  'Internet Protocol Version 6',
  { osi: 3, tcpip: 'internet' },
  {
    version: { name: 'Version', type: 'u8' },
    tclass: { name: 'Traffic Class', type: 'u32', base: 'hex', mask: 0x0ff00000 },
    'tclass.dscp': { name: 'Differentiated Services Codepoint', type: 'u32', mask: 0x0fc00000, vals: DSCP },
    'tclass.ecn': { name: 'Explicit Congestion Notification', type: 'u32', mask: 0x00300000, vals: ECN },
    flow: { name: 'Flow Label', type: 'u24', base: 'hex', mask: 0x0fffff },
    plen: { name: 'Payload Length', type: 'u16' },
    nxt: { name: 'Next Header', type: 'u8', vals: IPPROTO },
    hlim: { name: 'Hop Limit', type: 'u8' },
    src: { name: 'Source Address', type: 'ipv6' },
    dst: { name: 'Destination Address', type: 'ipv6' },
    addr: { name: 'Source or Destination Address', type: 'ipv6' },
    host: { name: 'Source or Destination Host', type: 'string' },
    opt: { name: 'IPv6 Option', type: 'none' },
    'opt.type': { name: 'Type', type: 'u8', base: 'hex', vals: IPV6_OPT },
    'opt.type.action': { name: 'Action', type: 'u8', mask: 0xc0, vals: IPV6_OPT_ACTION },
    'opt.type.change': { name: 'May Change', type: 'bool', mask: 0x20, tf: ['Yes', 'No'] },
    'opt.type.rest': { name: 'Low-Order Bits', type: 'u8', base: 'hex', mask: 0x1f },
    'opt.length': { name: 'Length', type: 'u8' },
    'opt.pad1': { name: 'Pad1', type: 'none' },
    'opt.padn': { name: 'PadN', type: 'bytes' },
    'opt.router_alert': { name: 'Router Alert', type: 'u16', vals: IPV6_RA },
    'opt.tel': { name: 'Tunnel Encapsulation Limit', type: 'u8' },
    'opt.jumbo': { name: 'Payload Length', type: 'u32' },
    'opt.unknown': { name: 'Unknown Option Payload', type: 'bytes' },
    'fragment.overlap': { name: 'Fragment overlap', type: 'bool' },
    'fragment.count': { name: 'Fragment count', type: 'u32' },
    fragment: { name: 'IPv6 Fragment', type: 'framenum' },
    fragments: { name: 'IPv6 Fragments', type: 'none' },
    'reassembled.in': { name: 'Reassembled IPv6 in frame', type: 'framenum' },
    'reassembled.length': { name: 'Reassembled IPv6 length', type: 'u32' },
    'reassembled.data': { name: 'Reassembled IPv6 data', type: 'bytes' },
  },
);

export const hopFields = defineFields(
  'ipv6.hopopts',
  'IPv6 Hop-by-Hop Option',
  { osi: 3, tcpip: 'internet' },
  {
    nxt: { name: 'Next Header', type: 'u8', vals: IPPROTO },
    len: { name: 'Length', type: 'u8' },
    len_oct: { name: 'Length', type: 'u16' },
  },
);
export const dstFields = defineFields(
  'ipv6.dstopts',
  'Destination Options for IPv6',
  { osi: 3, tcpip: 'internet' },
  {
    nxt: { name: 'Next Header', type: 'u8', vals: IPPROTO },
    len: { name: 'Length', type: 'u8' },
    len_oct: { name: 'Length', type: 'u16' },
  },
);
export const routingFields = defineFields(
  'ipv6.routing',
  'Routing Header for IPv6',
  { osi: 3, tcpip: 'internet' },
  {
    nxt: { name: 'Next Header', type: 'u8', vals: IPPROTO },
    len: { name: 'Length', type: 'u8' },
    len_oct: { name: 'Length', type: 'u16' },
    type: { name: 'Type', type: 'u8', vals: IPV6_ROUTING },
    segleft: { name: 'Segments Left', type: 'u8' },
    unknown_data: { name: 'Type-Specific Data', type: 'bytes' },
    'src.reserved': { name: 'Reserved', type: 'bytes' },
    'src.addr': { name: 'Address', type: 'ipv6' },
    'mipv6.reserved': { name: 'Reserved', type: 'bytes' },
    'mipv6.home_address': { name: 'Home Address', type: 'ipv6' },
    'srh.last_entry': { name: 'Last Entry', type: 'u8' },
    'srh.flags': { name: 'Flags', type: 'u8', base: 'hex' },
    'srh.tag': { name: 'Tag', type: 'bytes' },
    'srh.addr': { name: 'Address', type: 'ipv6' },
  },
);
export const fragFields = defineFields(
  'ipv6.fraghdr',
  'Fragment Header for IPv6',
  { osi: 3, tcpip: 'internet' },
  {
    nxt: { name: 'Next header', type: 'u8', vals: IPPROTO },
    reserved_octet: { name: 'Reserved octet', type: 'u8', base: 'hex' },
    offset: { name: 'Offset', type: 'u16', mask: 0xfff8 },
    reserved_bits: { name: 'Reserved bits', type: 'u16', mask: 0x0006 },
    more: { name: 'More Fragments', type: 'bool', mask: 0x0001, tf: ['Yes', 'No'] },
    ident: { name: 'Identification', type: 'u32', base: 'hex' },
  },
);

const NO_NEXT = 59;

/** Provisional Info for a payload no dissector may claim (upper layers overwrite it). */
function nextInfo(p: PacketInfo, nxt: number): void {
  if (!p.cols) return;
  p.columns.info =
    nxt === NO_NEXT ? 'IPv6 no next header' : `Unknown IP Protocol: ${IPPROTO[nxt] ?? 'Unknown'} (${nxt})`;
}

/** Where an extension header sends its payload: nowhere after No Next Header. */
function next(p: PacketInfo, nxt: number, end?: number): DissectResult['next'] {
  nextInfo(p, nxt);
  // After No Next Header, bytes that remain are shown as data (the engine skips an empty payload).
  if (nxt === NO_NEXT) return end === undefined ? { proto: 'data' } : { proto: 'data', end };
  return end === undefined ? { table: 'ip.proto', key: nxt } : { table: 'ip.proto', key: nxt, end };
}

/** The jumbo payload length in the hop-by-hop header at `at`, or -1 (only captured bytes are read). */
function findJumbo(c: Cursor, at: number): number {
  if (!c.has(2, at)) return -1;
  const end = Math.min(at + (c.data[at + 1] + 1) * 8, c.data.length);
  let o = at + 2;
  while (o < end) {
    const t = c.data[o];
    if (t === 0) {
      o++;
      continue;
    }
    if (o + 2 > end) break;
    const len = c.data[o + 1];
    if (t === 0xc2 && len === 4 && o + 6 <= end) return c.view.getUint32(o + 2);
    o += 2 + len;
  }
  return -1;
}

/** The Next Header byte beside the payload length, when captured (0 = hop-by-hop may hold a jumbo length). */
function nxt0(c: Cursor, plenAt: number): number {
  return c.has(1, plenAt + 2) ? c.data[plenAt + 2] : -1;
}

function v6Address(c: Cursor, f: FieldDef, at: number, a: Uint8Array): void {
  if (!c.tree) return;
  const t = ipv6Text(a);
  c.add(f, at, 16, a, `${f.name}: ${t}`);
  hidden(c, fields.addr, at, 16, a);
  hidden(c, fields.host, at, 16, t);
}

function dissectIpv6(c: Cursor, p: PacketInfo): DissectResult {
  const start = c.start;
  const w = c.u32();
  const version = w >>> 28;
  if (p.cols) {
    p.columns.protocol = 'IPv6';
    p.columns.info = '';
  }
  bitsItem(c, fields.version, w >>> 24, 0xf0, start, 1, version, String(version));
  if (c.tree)
    hidden(
      c,
      ipFields.version,
      start,
      1,
      version,
      `${bitPicture(w >>> 24, 0xf0, 1)} = Version: ${version} [This field makes the filter match on "ip.version == 6" possible]`,
    );
  if (version !== 6) {
    c.expert('ipv6.bogus_ipv6_version', 'error', 'malformed', `Bogus IP version (${version})`, start, 1);
    if (p.cols) p.columns.info = `Bogus IPv6 version (${version}, must be 6)`;
    return { summary: 'Internet Protocol Version 6', next: null };
  }
  const tc = (w >>> 20) & 0xff;
  if (c.tree) {
    const it = bitsItem(c, fields.tclass, w, 0x0ff00000, start, 4, tc, `0x${hex2(tc)} (${dsText(tc)})`);
    c.within(it, () => {
      bitsItem(
        c,
        fields['tclass.dscp'],
        w,
        0x0fc00000,
        start,
        4,
        tc >> 2,
        `${DSCP[tc >> 2] ?? 'Unknown'} (${tc >> 2})`,
      );
      bitsItem(c, fields['tclass.ecn'], w, 0x00300000, start, 4, tc & 3, `${ECN[tc & 3]} (${tc & 3})`);
    });
    const flow = w & 0xfffff;
    bitsItem(
      c,
      fields.flow,
      w & 0xffffff,
      0x0fffff,
      start + 1,
      3,
      flow,
      `0x${flow.toString(16).padStart(5, '0')}`,
    );
  }
  const reported = c.declaredEnd - (start + 40);
  if (reported < 0) {
    c.expert(
      'ipv6.invalid_header',
      'error',
      'malformed',
      `Invalid IPv6 header (${c.declaredEnd - start} bytes, need exactly 40)`,
      start,
      c.end - start,
    );
    if (p.cols) p.columns.info = `Invalid IPv6 header (${c.declaredEnd - start} bytes, need exactly 40)`;
  }
  // Each field is shown as soon as it is read, so a header cut short keeps what it had.
  const plenAt = c.pos;
  const plen = c.u16();
  let end = start + 40 + plen;
  if (plen === 0) {
    // RFC 2675: a jumbogram's length is in the hop-by-hop jumbo option, which bounds everything
    // after this header (Wireshark reads it first too). Without that option the payload is empty;
    // with no hop-by-hop header at all, a zero length is TSO's doing and the frame's length holds.
    const hop = nxt0(c, plenAt) === 0;
    c.add(
      fields.plen,
      plenAt,
      2,
      0,
      hop
        ? 'Payload Length: 0'
        : 'Payload Length: 0 bytes (may be caused by "TCP segmentation offload" (TSO))',
    );
    if (hop) {
      const jumbo = findJumbo(c, start + 40);
      end = jumbo >= 0 ? Math.min(start + 40 + jumbo, c.declaredEnd) : start + 40;
      if (jumbo < 0)
        c.expert(
          'ipv6.opt.jumbo.missing',
          'error',
          'protocol',
          'IPv6 payload length equals 0 and Hop-By-Hop present and Jumbo Payload option missing',
          plenAt,
          2,
        );
    } else {
      end = c.declaredEnd;
    }
  } else {
    c.add(fields.plen, plenAt, 2, plen);
    if (reported >= 0 && plen > reported) {
      c.expert(
        'ipv6.plen_exceeds_framing',
        'warn',
        'protocol',
        `IPv6 payload length exceeds framing length (${reported} bytes)`,
        plenAt,
        2,
      );
      end = c.declaredEnd;
    }
  }
  const nxt = c.u8(fields.nxt);
  if (plen === 0 && nxt !== 0)
    c.expert(
      'ipv6.plen_zero',
      'chat',
      'protocol',
      'IPv6 payload length equals 0 (maybe because of "TCP segmentation offload" (TSO))',
      plenAt,
      2,
    );
  c.u8(fields.hlim);
  const src = c.bytes(16);
  v6Address(c, fields.src, start + 8, src);
  const text = c.tree || p.cols;
  const s = text ? ipv6Text(src) : '';
  if (!p.inError && p.cols) p.columns.src = s;
  const dst = c.bytes(16);
  v6Address(c, fields.dst, start + 24, dst);
  const d = text ? ipv6Text(dst) : '';
  c.limit(Math.max(end, start + 40));
  if (!p.inError) {
    p.netType = 6;
    p.netSrc = src;
    p.netDst = dst;
    if (p.cols) p.columns.dst = d;
  }
  return {
    summary: c.tree ? `Internet Protocol Version 6, Src: ${s}, Dst: ${d}` : '',
    next: next(p, nxt, end),
  };
}

/** The two bytes every extension header starts with, and its length in octets. */
/** Info while an extension header is read (the payload's dissector replaces it), as Wireshark. */
function extInfo(p: PacketInfo, text: string): void {
  if (p.cols) p.columns.info = text;
}

function extHead(
  c: Cursor,
  F: { nxt: FieldDef; len: FieldDef; len_oct: FieldDef },
): { nxt: number; octets: number; outer: number } {
  // The payload after this header ends where the IPv6 payload ends, not where this header does.
  const outer = c.declaredEnd;
  const nxt = c.u8(F.nxt);
  const lenAt = c.pos;
  const len = c.u8(F.len);
  const octets = (len + 1) * 8;
  c.add(F.len_oct, lenAt, 1, octets, `Length: ${octets} bytes`);
  return { nxt, octets, outer };
}

interface OptResult {
  jumbo: number;
  jumboAt: number;
}

/** TLV options of hop-by-hop and destination options headers (RFC 8200 §4.2). */
function ipv6Options(c: Cursor, end: number): OptResult {
  const out: OptResult = { jumbo: -1, jumboAt: -1 };
  let o = c.pos;
  while (o < end) {
    const t = c.getU8(o);
    const name = IPV6_OPT[t] ?? `Unknown IPv6 Option (0x${hex2(t)})`;
    if (t === 0) {
      const it = c.add(fields.opt, o, 1, null, 'Pad1');
      c.within(it, () => {
        optType(c, o, t);
        c.add(fields['opt.pad1'], o, 1, null, 'Pad1');
      });
      o++;
      continue;
    }
    // As Wireshark: an option running past the packet is malformed (and not shown); one cut by
    // the capture shows its type and length, then stops as truncated.
    const len = c.getU8(o + 1);
    if (o + 2 + len > c.declaredEnd) {
      c.expert('ipv6.opt.invalid_len', 'error', 'malformed', `Invalid IPv6 option length: ${len}`, o + 1, 1);
      c.check(o, 2 + len);
    }
    const it = c.add(fields.opt, o, 2 + len, null, name);
    c.within(it, () => {
      optType(c, o, t);
      c.add(fields['opt.length'], o + 1, 1, len);
      const v = o + 2;
      c.check(v, len);
      switch (t) {
        case 1:
          c.add(fields['opt.padn'], v, len, c.data.subarray(v, v + len));
          break;
        case 5:
          if (len !== 2)
            c.expert(
              'ipv6.opt.invalid_len',
              'error',
              'malformed',
              `Invalid IPv6 option length: ${len}`,
              o + 1,
              1,
            );
          else c.add(fields['opt.router_alert'], v, 2, c.view.getUint16(v));
          break;
        case 4:
          if (len !== 1)
            c.expert(
              'ipv6.opt.invalid_len',
              'error',
              'malformed',
              `Invalid IPv6 option length: ${len}`,
              o + 1,
              1,
            );
          else c.add(fields['opt.tel'], v, 1, c.data[v]);
          break;
        case 0xc2:
          if (len !== 4)
            c.expert(
              'ipv6.opt.invalid_len',
              'error',
              'malformed',
              `Invalid IPv6 option length: ${len}`,
              o + 1,
              1,
            );
          else {
            out.jumbo = c.view.getUint32(v);
            out.jumboAt = v;
            c.add(fields['opt.jumbo'], v, 4, out.jumbo);
          }
          break;
        default:
          if (len) c.add(fields['opt.unknown'], v, len, c.data.subarray(v, v + len));
      }
    });
    if (o + 2 + len > end) {
      c.expert(
        'ipv6.opt.invalid_len',
        'error',
        'protocol',
        `Invalid IPv6 option length: ${len} (the option runs past its header)`,
        o + 1,
        1,
      );
      break;
    }
    o += 2 + len;
  }
  c.pos = end;
  return out;
}

function optType(c: Cursor, at: number, t: number): void {
  if (!c.tree) return;
  const it = c.add(fields['opt.type'], at, 1, t);
  c.within(it, () => {
    c.bits(fields['opt.type.action'], t, at, 1);
    c.bits(fields['opt.type.change'], t, at, 1);
    c.bits(fields['opt.type.rest'], t, at, 1);
  });
}

/** Whether the previous layer in this frame is the IPv6 header itself. */
function afterIpv6(p: PacketInfo): boolean {
  return p.protocols[p.protocols.length - 2] === 'ipv6';
}

function dissectHopopts(c: Cursor, p: PacketInfo): DissectResult {
  extInfo(p, 'IPv6 hop-by-hop options');
  const { nxt, octets, outer } = extHead(c, hopFields);
  const first = afterIpv6(p);
  if (!first)
    c.expert(
      'ipv6.hopopts.not_first',
      'error',
      'protocol',
      'IPv6 Hop-by-Hop extension header must appear immediately after IPv6 header',
      c.start,
      octets,
    );
  const o = ipv6Options(c, c.start + octets);
  if (first && c.start >= 36 && o.jumbo >= 0) {
    const plen = c.getU16(c.start - 36);
    if (plen !== 0)
      c.expert(
        'ipv6.opt.jumbo.prohibited',
        'error',
        'protocol',
        'When IPv6 payload length does not equal 0 a Jumbo Payload option must not be present',
        o.jumboAt,
        4,
      );
    else if (o.jumbo < 65536)
      c.expert(
        'ipv6.opt.jumbo.truncated',
        'error',
        'protocol',
        'Jumbo Payload option present and jumbo length < 65536',
        o.jumboAt,
        4,
      );
  }
  c.check(c.start, octets);
  const end = outer;
  return { summary: 'IPv6 Hop-by-Hop Option', headerLength: octets, next: next(p, nxt, end) };
}

function dissectDstopts(c: Cursor, p: PacketInfo): DissectResult {
  extInfo(p, 'IPv6 destination options');
  const { nxt, octets, outer } = extHead(c, dstFields);
  ipv6Options(c, c.start + octets);
  c.check(c.start, octets);
  return { summary: 'Destination Options for IPv6', headerLength: octets, next: next(p, nxt, outer) };
}

function dissectRouting(c: Cursor, p: PacketInfo): DissectResult {
  extInfo(p, 'IPv6 routing');
  const { nxt, octets, outer } = extHead(c, routingFields);
  const type = c.u8(routingFields.type);
  const segleft = c.u8(routingFields.segleft);
  const end = c.start + octets;
  const R = routingFields;
  // The packet's final destination while segments remain: the last address of type 0, the home
  // address of type 2, segment 0 of an SRH. Wireshark shows it as the destination.
  let final: Uint8Array | null = null;
  switch (type) {
    case 0: {
      c.bytes(4, R['src.reserved']);
      for (let i = 1; c.pos + 16 <= end; i++) {
        const at = c.pos;
        const a = c.bytes(16);
        c.add(R['src.addr'], at, 16, a, `Address[${i}]: ${ipv6Text(a)}`);
        final = a;
      }
      c.expert(
        'ipv6.routing.deprecated',
        'note',
        'protocol',
        'Routing header type is deprecated',
        c.start + 2,
        1,
      );
      break;
    }
    case 2: {
      c.bytes(4, R['mipv6.reserved']);
      const at = c.pos;
      const a = c.bytes(16);
      c.add(R['mipv6.home_address'], at, 16, a, `Address[1]: ${ipv6Text(a)}`);
      final = a;
      break;
    }
    case 4: {
      const last = c.u8(R['srh.last_entry']);
      c.u8(R['srh.flags']);
      c.bytes(2, R['srh.tag']);
      // RFC 8754 §2: Last Entry + 1 segments; optional TLVs follow them.
      for (let i = 0; i <= last && c.pos + 16 <= end; i++) {
        const at = c.pos;
        const a = c.bytes(16);
        c.add(R['srh.addr'], at, 16, a, `Address[${i}]: ${ipv6Text(a)}`);
        if (i === 0) final = a;
      }
      break;
    }
    default:
      if (end > c.pos) c.bytes(end - c.pos, R.unknown_data);
  }
  c.check(c.start, octets);
  c.pos = end;
  if (final && segleft > 0 && !p.inError) {
    p.netDst = final;
    if (p.cols) p.columns.dst = ipv6Text(final);
  }
  return {
    summary: `Routing Header for IPv6 (${IPV6_ROUTING[type] ?? `Unknown type (${type})`})`,
    headerLength: octets,
    next: next(p, nxt, outer),
  };
}

const V6_FRAG = {
  fragments: fields.fragments,
  fragment: fields.fragment,
  count: fields['fragment.count'],
  length: fields['reassembled.length'],
  data: fields['reassembled.data'],
  overlap: fields['fragment.overlap'],
};

function dissectFraghdr(c: Cursor, p: PacketInfo): DissectResult {
  // Wireshark takes the 8 bytes as a whole: a cut header shows nothing of itself.
  if (p.cols) p.columns.info = '';
  c.check(c.start, 8);
  extInfo(p, 'IPv6 fragment');
  const F = fragFields;
  const nxt = c.u8(F.nxt);
  c.u8(F.reserved_octet);
  const at = c.pos;
  const w = c.u16();
  const units = w >> 3;
  const off = units * 8;
  const more = (w & 1) !== 0;
  if (c.tree) {
    bitsItem(c, F.offset, w, 0xfff8, at, 2, units, `${units} (${off} bytes)`);
    c.bits(F.reserved_bits, w, at, 2);
    c.bits(F.more, w, at, 2);
  }
  const ident = c.u32(F.ident);
  const summary = 'Fragment Header for IPv6';
  const dataStart = c.pos;
  const end = c.declaredEnd;
  if (!more && off === 0) return { summary, next: next(p, nxt) };
  const info = `IPv6 fragment (off=${off} more=${more ? 'y' : 'n'} ident=0x${ident.toString(16).padStart(8, '0')} nxt=${nxt})`;
  if (p.inError || !p.netSrc || !p.netDst || p.netType !== 6) {
    if (off === 0) return { summary, next: next(p, nxt) };
    p.fragment = true;
    if (p.cols) p.columns.info = info;
    return { summary, next: { proto: 'data' } };
  }
  const table = p.session.state(IP_FRAG_STATE, newFragmentTable);
  const length = Math.max(0, Math.min(end, c.data.length) - dataStart);
  let bytes: Uint8Array | null = null;
  let d: Datagram | undefined;
  if (!p.visited && end <= c.data.length) {
    const key = fragmentKey(6, p.netSrc, p.netDst, ident, 0);
    bytes = table.add(key, {
      frame: p.frame.number,
      data: c.data,
      at: dataStart,
      length,
      offset: off,
      more,
      inFrame: c.source === 0,
    });
    d = table.datagram(p.frame.number, dataStart);
  } else {
    d = table.datagram(p.frame.number, dataStart);
    if (d && d.completedIn === p.frame.number)
      bytes = table.rebuild(d, { frame: p.frame.number, data: c.data }, p.session.frameBytes);
  }
  if (bytes && d) {
    fragmentTree(c, p, d, bytes, V6_FRAG, 'IPv6');
    nextInfo(p, nxt);
    if (nxt === NO_NEXT) return { summary, next: null };
    return { summary, next: { table: 'ip.proto', key: nxt, data: bytes, dataName: 'Reassembled IPv6' } };
  }
  p.fragment = true;
  if (d && d.completedIn && d.completedIn !== p.frame.number) {
    c.generated(fields['reassembled.in'], d.completedIn, `[Reassembled IPv6 in frame: ${d.completedIn}]`);
  }
  // Unlike IPv4, Wireshark does not add "[Reassembled in #n]" to an IPv6 fragment's Info.
  if (p.cols) p.columns.info = info;
  return { summary, next: { proto: 'data' } };
}

export const dissectors: readonly Dissector[] = [
  {
    fields,
    pdu: 'packet',
    in: { ethertype: 0x86dd, 'ip.proto': 41, 'null.family': [24, 28, 30], link: 229 },
    dissect: dissectIpv6,
  },
  { fields: hopFields, pdu: 'packet', in: { 'ip.proto': 0 }, dissect: dissectHopopts },
  { fields: routingFields, pdu: 'packet', in: { 'ip.proto': 43 }, dissect: dissectRouting },
  { fields: fragFields, pdu: 'packet', in: { 'ip.proto': 44 }, dissect: dissectFraghdr },
  { fields: dstFields, pdu: 'packet', in: { 'ip.proto': 60 }, dissect: dissectDstopts },
];
