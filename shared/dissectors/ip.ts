// IPv4, RFC 791 (header §3.1, options §3.1 and RFC 1108 / RFC 2113 router alert), DSCP and ECN
// (RFC 2474, RFC 3168), fragments reassembled per RFC 791 §3.2 (shared/reassembly/ip-fragments.ts).
//
// As Wireshark 4.0 with its defaults: the header checksum is not verified (status Unverified), a
// total length beyond the captured packet is an error note but dissection goes on, a total length of
// 0 is taken as TSO (the packet's own length is used), a version-6 packet under `ip` is handed to
// `ipv6`, and with a source-route option the header's destination is the "current route" while
// ip.dst is the route's last address. Unknown options are shown as raw bytes.
// Departure: overlapping fragments keep the bytes that arrived first (see ip-fragments.ts).
import type { Cursor } from '../dissect/cursor';
import type { Dissector, DissectResult } from '../dissect/engine';
import { defineFields } from '../dissect/fields';
import { bitPicture, hex2, ipv4Text } from '../dissect/format';
import type { PacketInfo } from '../dissect/packet';
import type { FieldDef, Item } from '../dissect/types';
import { fragmentKey, IP_FRAG_STATE, newFragmentTable, type Datagram } from '../reassembly/ip-fragments';
import {
  CHECKSUM_STATUS,
  DSCP,
  ECN,
  IPOPT_CLASS,
  IPOPT_NUMBER,
  IPOPT_SEC791,
  IPOPT_TS_FLAG,
  IPPROTO,
} from './l2l3-values';

export const fields = defineFields(
  'ip',
  'Internet Protocol Version 4',
  { osi: 3, tcpip: 'internet' },
  {
    version: { name: 'Version', type: 'u8' },
    hdr_len: { name: 'Header Length', type: 'u8' },
    dsfield: { name: 'Differentiated Services Field', type: 'u8', base: 'hex' },
    'dsfield.dscp': { name: 'Differentiated Services Codepoint', type: 'u8', mask: 0xfc, vals: DSCP },
    'dsfield.ecn': { name: 'Explicit Congestion Notification', type: 'u8', mask: 0x03, vals: ECN },
    len: { name: 'Total Length', type: 'u16' },
    id: { name: 'Identification', type: 'u16', base: 'hex_dec' },
    flags: { name: 'Flags', type: 'u8', base: 'hex', mask: 0xe0 },
    'flags.rb': { name: 'Reserved bit', type: 'bool', mask: 0x80, tf: ['Set', 'Not set'] },
    'flags.df': { name: "Don't fragment", type: 'bool', mask: 0x40, tf: ['Set', 'Not set'] },
    'flags.mf': { name: 'More fragments', type: 'bool', mask: 0x20, tf: ['Set', 'Not set'] },
    frag_offset: { name: 'Fragment Offset', type: 'u16', mask: 0x1fff },
    ttl: { name: 'Time to Live', type: 'u8' },
    proto: { name: 'Protocol', type: 'u8', vals: IPPROTO },
    checksum: { name: 'Header Checksum', type: 'u16', base: 'hex' },
    'checksum.status': { name: 'Header checksum status', type: 'u8', vals: CHECKSUM_STATUS },
    src: { name: 'Source Address', type: 'ipv4' },
    dst: { name: 'Destination Address', type: 'ipv4' },
    addr: { name: 'Source or Destination Address', type: 'ipv4' },
    src_host: { name: 'Source Host', type: 'string' },
    dst_host: { name: 'Destination Host', type: 'string' },
    host: { name: 'Source or Destination Host', type: 'string' },
    'opt.type': { name: 'Type', type: 'u8' },
    'opt.type.copy': { name: 'Copy on fragmentation', type: 'bool', mask: 0x80, tf: ['Yes', 'No'] },
    'opt.type.class': { name: 'Class', type: 'u8', mask: 0x60, vals: IPOPT_CLASS },
    'opt.type.number': { name: 'Number', type: 'u8', mask: 0x1f, vals: IPOPT_NUMBER },
    'opt.len': { name: 'Length', type: 'u8' },
    'opt.ptr': { name: 'Pointer', type: 'u8' },
    'opt.sid': { name: 'Stream Identifier', type: 'u16' },
    'opt.mtu': { name: 'MTU', type: 'u16' },
    'opt.id_number': { name: 'ID Number', type: 'u16' },
    'opt.ohc': { name: 'Outbound Hop Count', type: 'u16' },
    'opt.rhc': { name: 'Return Hop Count', type: 'u16' },
    'opt.originator': { name: 'Originator IP Address', type: 'ipv4' },
    'opt.ra': { name: 'Router Alert', type: 'u16' },
    'opt.padding': { name: 'Padding', type: 'bytes' },
    'opt.sec_rfc791_sec': { name: 'Security', type: 'u16', base: 'hex', vals: IPOPT_SEC791 },
    'opt.sec_rfc791_comp': { name: 'Compartments', type: 'u16' },
    'opt.sec_rfc791_hr': { name: 'Handling Restrictions', type: 'string' },
    'opt.sec_rfc791_tcc': { name: 'Transmission Control Code', type: 'string' },
    'opt.overflow': { name: 'Overflow', type: 'u8', mask: 0xf0 },
    'opt.flag': { name: 'Flag', type: 'u8', base: 'hex', mask: 0x0f, vals: IPOPT_TS_FLAG },
    'opt.time_stamp': { name: 'Time stamp', type: 'u32' },
    'opt.time_stamp_addr': { name: 'Address', type: 'ipv4' },
    rec_rt: { name: 'Recorded Route', type: 'ipv4' },
    rec_rt_host: { name: 'Recorded Route Host', type: 'string' },
    cur_rt: { name: 'Current Route', type: 'ipv4' },
    cur_rt_host: { name: 'Current Route Host', type: 'string' },
    src_rt: { name: 'Source Route', type: 'ipv4' },
    src_rt_host: { name: 'Source Route Host', type: 'string' },
    empty_rt: { name: 'Empty Route', type: 'ipv4' },
    empty_rt_host: { name: 'Empty Route Host', type: 'string' },
    'fragment.overlap': { name: 'Fragment overlap', type: 'bool' },
    'fragment.multipletails': { name: 'Multiple tail fragments found', type: 'bool' },
    'fragment.toolongfragment': { name: 'Fragment too long', type: 'bool' },
    'fragment.count': { name: 'Fragment count', type: 'u32' },
    fragment: { name: 'IPv4 Fragment', type: 'framenum' },
    fragments: { name: 'IPv4 Fragments', type: 'bytes' },
    reassembled_in: { name: 'Reassembled IPv4 in frame', type: 'framenum' },
    'reassembled.length': { name: 'Reassembled IPv4 length', type: 'u32' },
    'reassembled.data': { name: 'Reassembled IPv4 data', type: 'bytes' },
  },
);

/** Wireshark's short DSCP names for the DS field summary (dscp_short_vals). */
const DSCP_SHORT: Readonly<Record<number, string>> = {
  0: 'CS0',
  1: 'LE',
  8: 'CS1',
  10: 'AF11',
  12: 'AF12',
  14: 'AF13',
  16: 'CS2',
  18: 'AF21',
  20: 'AF22',
  22: 'AF23',
  24: 'CS3',
  26: 'AF31',
  28: 'AF32',
  30: 'AF33',
  32: 'CS4',
  34: 'AF41',
  36: 'AF42',
  38: 'AF43',
  40: 'CS5',
  44: 'VA',
  46: 'EF PHB',
  48: 'CS6',
  56: 'CS7',
};
const ECN_SHORT = ['Not-ECT', 'ECT(1)', 'ECT(0)', 'CE'];

/** `DSCP: EF, ECN: Not-ECT`, shared with IPv6's traffic class. */
export function dsText(ds: number): string {
  return `DSCP: ${DSCP_SHORT[ds >> 2] ?? 'Unknown'}, ECN: ${ECN_SHORT[ds & 3]}`;
}

/** Adds an item Wireshark hides (present for filters and -T fields, not drawn). */
export function hidden(
  c: Cursor,
  f: FieldDef,
  at: number,
  len: number,
  value: Item['value'],
  label?: string,
): void {
  const it = c.add(f, at, len, value, label);
  if (it) it.hidden = true;
}

/** Adds an item with a bit picture over `bytes` bytes of `raw`, for values Wireshark scales. */
export function bitsItem(
  c: Cursor,
  f: FieldDef,
  raw: number,
  mask: number,
  at: number,
  bytes: number,
  value: number,
  text: string,
): Item | null {
  if (!c.tree) return null;
  const it = c.add(f, at, bytes, value, `${bitPicture(raw, mask, bytes)} = ${f.name}: ${text}`);
  if (it) it.mask = mask;
  return it;
}

/** An IPv4 address with its hidden twins (`ip.addr`, the `_host` names), as Wireshark adds them. */
function v4Address(c: Cursor, f: FieldDef, hostF: FieldDef, at: number, a: Uint8Array, label?: string): void {
  if (!c.tree) return;
  const t = ipv4Text(a);
  c.add(f, at, 4, a, label ?? `${f.name}: ${t}`);
  hidden(c, fields.addr, at, 4, a);
  hidden(c, hostF, at, 4, t);
  hidden(c, fields.host, at, 4, t);
}

const OPT_NAMES: Readonly<Record<number, string>> = {
  0: 'End of Options List (EOL)',
  1: 'No-Operation (NOP)',
  7: 'Record Route',
  11: 'MTU Probe',
  12: 'MTU Reply',
  68: 'Time Stamp',
  82: 'Traceroute',
  130: 'Security',
  131: 'Loose Source Route',
  133: 'Extended Security',
  134: 'Commercial IP Security Option',
  136: 'Stream ID',
  137: 'Strict Source Route',
  148: 'Router Alert',
  25: 'Quick-Start',
};
/** Fixed option lengths (RFC 791, RFC 1063, RFC 1393, RFC 2113); 0 = variable with a minimum. */
const OPT_FIXED: Readonly<Record<number, number>> = { 11: 4, 12: 4, 82: 12, 130: 11, 136: 4, 148: 4 };
const OPT_MIN: Readonly<Record<number, number>> = { 7: 3, 68: 4, 131: 3, 137: 3, 133: 3, 134: 3, 25: 8 };

/** Finds a source-route option's final destination (its last address), as Wireshark does first. */
function sourceRouteDst(c: Cursor, start: number, end: number): number {
  let o = start;
  while (o < end) {
    const t = c.data[o];
    if (t === 0) break;
    if (t === 1) {
      o++;
      continue;
    }
    if (o + 1 >= end) break;
    const len = c.data[o + 1];
    if (len < 2 || o + len > end) break;
    if ((t === 131 || t === 137) && len >= 7) return o + len - 4;
    o += len;
  }
  return -1;
}

function optTypeItems(c: Cursor, at: number, t: number): void {
  const ti = c.add(fields['opt.type'], at, 1, t);
  c.within(ti, () => {
    c.bits(fields['opt.type.copy'], t, at, 1);
    c.bits(fields['opt.type.class'], t, at, 1);
    c.bits(fields['opt.type.number'], t, at, 1);
  });
}

/** Parses the options in [start, end): tree items, and the names for the summary line. */
function options(c: Cursor, start: number, end: number, dstAt: number): void {
  const names: string[] = [];
  const head = c.label('', start, end - start);
  c.within(head, () => {
    let o = start;
    let nops = 0;
    while (o < end) {
      const t = c.data[o];
      const name = OPT_NAMES[t];
      if (t === 0 || t === 1) {
        const it = c.label(`IP Option - ${name}`, o, 1);
        c.within(it, () => optTypeItems(c, o, t));
        if (t === 1 && ++nops === 4)
          c.expert(
            'ip.nop',
            'warn',
            'protocol',
            '4 NOP in a row - a router may have removed some options',
            o,
            1,
          );
        if (t === 0) {
          // RFC 791: everything after EOL is padding; Wireshark leaves it undrawn.
          break;
        }
        o++;
        continue;
      }
      nops = 0;
      if (o + 1 >= end) {
        c.label(
          `${name ?? `Unknown (0x${hex2(t)})`} (option length = 1 byte says option goes past end of options)`,
          o,
          1,
        );
        c.expert('ip.opt.len.invalid', 'warn', 'protocol', 'Invalid length for option', o, 1);
        break;
      }
      const len = c.data[o + 1];
      if (!name) {
        if (len < 2 || o + len > end) {
          c.label(
            `Unknown (0x${hex2(t)}) (with too-short option length = ${len} byte${len === 1 ? '' : 's'})`,
            o,
            Math.min(2, end - o),
          );
          c.expert(
            'ip.opt.len.invalid',
            'warn',
            'protocol',
            'Invalid length for option',
            o,
            Math.min(2, end - o),
          );
          break;
        }
        c.label(`Unknown (0x${hex2(t)}) (${len} bytes)`, o, len);
        o += len;
        continue;
      }
      const fixed = OPT_FIXED[t];
      const bad =
        len < 2 || o + len > end || (fixed !== undefined && len !== fixed) || len < (OPT_MIN[t] ?? 2);
      names.push(name);
      const it = c.label(
        `IP Option - ${name} (${len} bytes)`,
        o,
        bad ? Math.min(Math.max(len, 2), end - o) : len,
      );
      c.within(it, () => {
        optTypeItems(c, o, t);
        c.add(fields['opt.len'], o + 1, 1, len);
        if (bad) {
          c.expert('ip.opt.len.invalid', 'warn', 'protocol', 'Invalid length for option', o + 1, 1);
          return;
        }
        optionBody(c, t, o, len, dstAt, it);
      });
      if (bad) break;
      o += len;
    }
  });
  if (head) head.label = `Options: (${end - start} bytes)${names.length ? ', ' + names.join(', ') : ''}`;
}

function optionBody(c: Cursor, t: number, o: number, len: number, dstAt: number, it: Item | null): void {
  const v = c.view;
  switch (t) {
    case 7:
    case 131:
    case 137: {
      const ptr = c.data[o + 2];
      c.add(fields['opt.ptr'], o + 2, 1, ptr);
      if (ptr < 4)
        c.expert(
          'ip.opt.ptr.before_address',
          'warn',
          'protocol',
          'Pointer points before first address',
          o + 2,
          1,
        );
      else if ((ptr - 4) % 4)
        c.expert(
          'ip.opt.ptr.middle_address',
          'warn',
          'protocol',
          'Pointer points to middle of address',
          o + 2,
          1,
        );
      for (let a = o + 3; a + 4 <= o + len; a += 4) {
        const addr = c.data.subarray(a, a + 4);
        const next = a - o + 1 === ptr ? ' <- (next)' : '';
        const t4 = ipv4Text(addr);
        if (t !== 7 && a === dstAt) {
          v4Address(c, fields.dst, fields.dst_host, a, addr);
        } else if (t === 7) {
          if (a - o + 1 < ptr) {
            c.add(fields.rec_rt, a, 4, addr, `Recorded Route: ${t4}`);
            hidden(c, fields.rec_rt_host, a, 4, t4);
          } else {
            c.add(fields.empty_rt, a, 4, addr, `Empty Route: ${t4}${next}`);
            hidden(c, fields.empty_rt_host, a, 4, t4);
          }
        } else {
          c.add(fields.src_rt, a, 4, addr, `Source Route: ${t4}${next}`);
          hidden(c, fields.src_rt_host, a, 4, t4);
        }
      }
      break;
    }
    case 68: {
      const ptr = c.data[o + 2];
      c.add(fields['opt.ptr'], o + 2, 1, ptr);
      const of = c.data[o + 3];
      c.bits(fields['opt.overflow'], of, o + 3, 1);
      const flag = c.bits(fields['opt.flag'], of, o + 3, 1);
      const pairs = flag === 1 || flag === 3;
      for (let a = o + 4; a + (pairs ? 8 : 4) <= o + len; a += pairs ? 8 : 4) {
        if (pairs) {
          const addr = c.data.subarray(a, a + 4);
          const zero = addr[0] === 0 && addr[1] === 0 && addr[2] === 0 && addr[3] === 0;
          c.add(fields['opt.time_stamp_addr'], a, 4, addr, `Address: ${zero ? '-' : ipv4Text(addr)}`);
          c.add(fields['opt.time_stamp'], a + 4, 4, v.getUint32(a + 4));
        } else {
          c.add(fields['opt.time_stamp'], a, 4, v.getUint32(a));
        }
      }
      break;
    }
    case 130: {
      const sec = v.getUint16(o + 2);
      c.add(fields['opt.sec_rfc791_sec'], o + 2, 2, sec);
      c.add(fields['opt.sec_rfc791_comp'], o + 4, 2, v.getUint16(o + 4));
      c.add(fields['opt.sec_rfc791_hr'], o + 6, 2, cString(c.data, o + 6, 2));
      c.add(fields['opt.sec_rfc791_tcc'], o + 8, 3, cString(c.data, o + 8, 3));
      break;
    }
    case 136:
      c.add(fields['opt.sid'], o + 2, 2, v.getUint16(o + 2));
      break;
    case 148: {
      const ra = v.getUint16(o + 2);
      const text = ra === 0 ? 'Router shall examine packet' : 'Reserved';
      c.add(fields['opt.ra'], o + 2, 2, ra, `Router Alert: ${text} (${ra})`);
      if (it) it.label = `IP Option - Router Alert (${len} bytes): ${text} (${ra})`;
      break;
    }
    case 11:
    case 12:
      c.add(fields['opt.mtu'], o + 2, 2, v.getUint16(o + 2));
      break;
    case 82:
      c.add(fields['opt.id_number'], o + 2, 2, v.getUint16(o + 2));
      c.add(fields['opt.ohc'], o + 4, 2, v.getUint16(o + 4));
      c.add(fields['opt.rhc'], o + 6, 2, v.getUint16(o + 6));
      c.add(fields['opt.originator'], o + 8, 4, c.data.subarray(o + 8, o + 12));
      break;
    default:
      break;
  }
}

function cString(b: Uint8Array, at: number, n: number): string {
  let s = '';
  for (let i = at; i < at + n && b[i] !== 0; i++) s += String.fromCharCode(b[i]);
  return s;
}

/** The provisional Info for a payload no dissector may claim; upper layers overwrite it. */
export function protoInfo(proto: number): string {
  return `${IPPROTO[proto] ?? 'Unknown'} (${proto})`;
}

/** Adds the "N IPvX Fragments" subtree of a completed datagram, in the reassembled data's tab. */
export function fragmentTree(
  c: Cursor,
  p: PacketInfo,
  d: Datagram,
  bytes: Uint8Array,
  F: {
    fragments: FieldDef;
    fragment: FieldDef;
    count: FieldDef;
    length: FieldDef;
    data: FieldDef;
    overlap: FieldDef;
  },
  version: string,
): void {
  if (!c.tree) return;
  const source = p.sources.length + 1;
  const list = d.fragments.map((r) => `#${r.frame}(${r.length})`).join(', ');
  const head = c.add(
    F.fragments,
    0,
    bytes.length,
    F.fragments.type === 'bytes' ? bytes : null,
    `[${d.fragments.length} ${version} Fragments (${bytes.length} bytes): ${list}]`,
  );
  if (!head) return;
  head.source = source;
  head.generated = true;
  c.within(head, () => {
    for (const r of d.fragments) {
      const it = c.add(
        F.fragment,
        r.offset,
        r.length,
        r.frame,
        `[Frame: ${r.frame}, payload: ${r.offset}-${r.offset + r.length - 1} (${r.length} bytes)]`,
      );
      if (it) {
        it.source = source;
        it.generated = true;
        if (r.overlap) {
          c.within(it, () => {
            c.generated(F.overlap, true, '[Fragment overlap: True]');
            c.expert(
              `${F.overlap.abbrev}`,
              'note',
              'reassemble',
              'Fragment overlap: the bytes that arrived first were kept',
              r.at,
              0,
            );
          });
        }
      }
    }
    c.generated(F.count, d.fragments.length, `[Fragment count: ${d.fragments.length}]`);
    c.generated(F.length, bytes.length, `[Reassembled ${version} length: ${bytes.length}]`);
    const di = c.add(F.data, 0, bytes.length, bytes, `[Reassembled ${version} data: ${previewHex(bytes)}]`);
    if (di) {
      di.source = source;
      di.generated = true;
    }
  });
}

function previewHex(b: Uint8Array): string {
  let s = '';
  const n = Math.min(b.length, 36);
  for (let i = 0; i < n; i++) s += hex2(b[i]);
  return b.length > 36 ? s + '…' : s;
}

function dissectIp(c: Cursor, p: PacketInfo): DissectResult {
  const start = c.start;
  const b0 = c.getU8(start);
  const version = b0 >> 4;
  if (p.cols) {
    p.columns.protocol = 'IPv4';
    p.columns.info = '';
  }
  if (version === 6) {
    // Wireshark hands a version-6 packet met as `ip` (e.g. LINKTYPE_IPV4) to the IPv6 dissector.
    return {
      headerLength: 0,
      summary: 'Internet Protocol Version 4',
      next: { proto: 'ipv6', offset: start },
    };
  }
  bitsItem(c, fields.version, b0, 0xf0, start, 1, version, String(version));
  if (version !== 4) {
    c.skip(1);
    c.expert('ip.bogus_ip_version', 'error', 'protocol', `Bogus IP version (${version})`, start, 1);
    if (p.cols) p.columns.info = `Bogus IPv4 version (${version}, must be 4)`;
    return { summary: 'Internet Protocol Version 4', next: null };
  }
  const hlen = (b0 & 0x0f) * 4;
  bitsItem(c, fields.hdr_len, b0, 0x0f, start, 1, hlen, `${hlen} bytes (${b0 & 0x0f})`);
  c.skip(1);
  if (hlen < 20) {
    c.expert(
      'ip.bogus_header_length',
      'error',
      'protocol',
      `Bogus IP header length (${hlen}, must be at least 20)`,
      start,
      1,
    );
    if (p.cols) p.columns.info = `Bogus IP header length (${hlen}, must be at least 20)`;
    return { summary: 'Internet Protocol Version 4', next: null };
  }
  const ds = c.u8();
  if (c.tree) {
    const it = c.add(
      fields.dsfield,
      start + 1,
      1,
      ds,
      `Differentiated Services Field: 0x${hex2(ds)} (${dsText(ds)})`,
    );
    c.within(it, () => {
      c.bits(fields['dsfield.dscp'], ds, start + 1, 1);
      c.bits(fields['dsfield.ecn'], ds, start + 1, 1);
    });
  }
  const lenAt = c.pos;
  let len = c.u16();
  const reported = c.declaredEnd - start;
  if (len === 0) {
    // Wireshark: a zero total length is TSO's doing; the packet's own length stands in for it.
    len = reported;
    c.add(
      fields.len,
      lenAt,
      2,
      len,
      `Total Length: ${len} bytes (reported as 0, presumed to be because of "TCP segmentation offload" (TSO))`,
    );
  } else {
    c.add(fields.len, lenAt, 2, len);
    if (len < hlen) {
      c.expert(
        'ip.bogus_ip_length',
        'error',
        'protocol',
        `Bogus IP length (${len}, less than header length ${hlen})`,
        lenAt,
        2,
      );
      if (p.cols) p.columns.info = `Bogus IP length (${len}, less than header length ${hlen})`;
      return { summary: 'Internet Protocol Version 4', next: null };
    }
    if (len > reported) {
      c.expert(
        'ip.bogus_ip_length',
        'error',
        'protocol',
        `IPv4 total length exceeds packet length (${reported} bytes)`,
        lenAt,
        2,
      );
      len = reported;
    }
  }
  c.limit(start + len);
  const id = c.u16(fields.id);
  const flAt = c.pos;
  const fl = c.u16();
  const flags = fl >> 13;
  const mf = (flags & 1) !== 0;
  const fragOff = (fl & 0x1fff) * 8;
  if (c.tree) {
    const names: string[] = [];
    if (flags & 4) names.push('Reserved bit');
    if (flags & 2) names.push("Don't fragment");
    if (flags & 1) names.push('More fragments');
    const it = bitsItem(
      c,
      fields.flags,
      fl >> 8,
      0xe0,
      flAt,
      1,
      flags,
      `0x${flags.toString(16)}${names.length ? ', ' + names.join(', ') : ''}`,
    );
    c.within(it, () => {
      c.bits(fields['flags.rb'], fl >> 8, flAt, 1);
      c.bits(fields['flags.df'], fl >> 8, flAt, 1);
      c.bits(fields['flags.mf'], fl >> 8, flAt, 1);
    });
    // tshark prints the raw 8-byte units; the tree shows bytes.
    bitsItem(c, fields.frag_offset, fl, 0x1fff, flAt, 2, fl & 0x1fff, String(fragOff));
  }
  const ttl = c.u8(fields.ttl);
  const proto = c.u8(fields.proto);
  const ckAt = c.pos;
  const ck = c.u16();
  if (c.tree) {
    c.add(
      fields.checksum,
      ckAt,
      2,
      ck,
      `Header Checksum: 0x${ck.toString(16).padStart(4, '0')} [validation disabled]`,
    );
    const st = c.add(fields['checksum.status'], ckAt, 0, 2, '[Header checksum status: Unverified]');
    if (st) st.generated = true;
  }
  // Each address is shown as soon as it is read, so a header cut short keeps what it had.
  const src = c.bytes(4);
  v4Address(c, fields.src, fields.src_host, start + 12, src);
  const text = c.tree || p.cols;
  const s = text ? ipv4Text(src) : '';
  if (!p.inError && p.cols) p.columns.src = s;
  const dstHdr = c.bytes(4);
  const optsThere = hlen > 20 && start + hlen <= c.end;
  const dstAt = optsThere ? sourceRouteDst(c, start + 20, start + hlen) : -1;
  const dst = dstAt >= 0 ? c.data.subarray(dstAt, dstAt + 4) : dstHdr;
  if (dstAt >= 0) {
    if (c.tree) {
      c.add(fields.cur_rt, start + 16, 4, dstHdr, `Current Route: ${ipv4Text(dstHdr)}`);
      hidden(c, fields.cur_rt_host, start + 16, 4, ipv4Text(dstHdr));
    }
  } else {
    v4Address(c, fields.dst, fields.dst_host, start + 16, dstHdr);
  }
  const d = text ? ipv4Text(dst) : '';
  if (!p.inError) {
    p.netType = 4;
    p.netSrc = src;
    p.netDst = dst;
    if (p.cols) p.columns.dst = d;
  }
  // Options must lie inside the packet: a cut capture stops here, after the fixed header.
  c.check(start + 20, hlen - 20);
  if (hlen > 20 && c.tree) options(c, start + 20, start + hlen, dstAt);
  c.pos = start + hlen;

  if (ttl !== 1 && dst[0] === 224 && dst[1] === 0 && dst[2] === 0) {
    c.expert(
      'ip.ttl.lncb',
      'note',
      'sequence',
      `"Time To Live" != 1 for a packet sent to the Local Network Control Block (see RFC 3171)`,
      start + 8,
      1,
    );
  } else if (ttl < 5 && ttl !== 1 && (dst[0] & 0xf0) !== 0xe0 && !p.inError) {
    c.expert('ip.ttl.too_small', 'note', 'sequence', `"Time To Live" only ${ttl}`, start + 8, 1);
  }
  const summary = c.tree
    ? `Internet Protocol Version 4, Src: ${s}, Dst: ${d}${dstAt >= 0 ? `, Via: ${ipv4Text(dstHdr)}` : ''}`
    : '';
  const end = start + len;
  if (p.cols) p.columns.info = protoInfo(proto);

  if (!mf && fragOff === 0) {
    // One result object for every unfragmented packet (see DissectResult: the engine reads it
    // before the next dissector runs).
    RESULT.summary = summary;
    NEXT.key = proto;
    NEXT.end = end;
    return RESULT;
  }
  return fragment(c, p, { summary, src, dst, id, proto, mf, fragOff, end, start: start + hlen });
}

const NEXT = { table: 'ip.proto', key: 0, end: 0 };
const RESULT = { summary: '', next: NEXT };

interface Frag {
  summary: string;
  src: Uint8Array;
  dst: Uint8Array;
  id: number;
  proto: number;
  mf: boolean;
  fragOff: number;
  start: number;
  end: number;
}

const V4_FRAG = {
  fragments: fields.fragments,
  fragment: fields.fragment,
  count: fields['fragment.count'],
  length: fields['reassembled.length'],
  data: fields['reassembled.data'],
  overlap: fields['fragment.overlap'],
};

function fragment(c: Cursor, p: PacketInfo, f: Frag): DissectResult {
  const info = `Fragmented IP protocol (proto=${IPPROTO[f.proto] ?? 'Unknown'} ${f.proto}, off=${f.fragOff}, ID=${f.id.toString(16).padStart(4, '0')})`;
  // The packet quoted by an ICMP error: its first fragment still carries the upper header.
  if (p.inError) {
    if (f.fragOff === 0) return { summary: f.summary, next: { table: 'ip.proto', key: f.proto, end: f.end } };
    p.fragment = true;
    if (p.cols) p.columns.info = info;
    return { summary: f.summary, next: { proto: 'data', end: f.end } };
  }
  const table = p.session.state(IP_FRAG_STATE, newFragmentTable);
  const key = fragmentKey(4, f.src, f.dst, f.id, f.proto);
  const length = Math.max(0, Math.min(f.end, c.data.length) - f.start);
  let bytes: Uint8Array | null = null;
  let d: Datagram | undefined;
  // Only whole fragments (all captured) are reassembled: a snaplen cut cannot be filled in.
  if (!p.visited && f.end <= c.data.length) {
    bytes = table.add(key, {
      frame: p.frame.number,
      data: c.data,
      at: f.start,
      length,
      offset: f.fragOff,
      more: f.mf,
      inFrame: c.source === 0,
    });
    d = table.datagram(p.frame.number, f.start);
  } else {
    d = table.datagram(p.frame.number, f.start);
    if (d && d.completedIn === p.frame.number) {
      bytes = table.rebuild(d, { frame: p.frame.number, data: c.data }, p.session.frameBytes);
    }
  }
  if (bytes && d) {
    fragmentTree(c, p, d, bytes, V4_FRAG, 'IPv4');
    return {
      summary: f.summary,
      next: { table: 'ip.proto', key: f.proto, data: bytes, dataName: 'Reassembled IPv4' },
    };
  }
  p.fragment = true;
  if (d && d.completedIn && d.completedIn !== p.frame.number) {
    c.generated(fields.reassembled_in, d.completedIn, `[Reassembled IPv4 in frame: ${d.completedIn}]`);
    if (p.cols) p.columns.info = `${info} [Reassembled in #${d.completedIn}]`;
  } else if (p.cols) {
    p.columns.info = info;
  }
  return { summary: f.summary, next: { proto: 'data', end: f.end } };
}

export const dissectors: readonly Dissector[] = [
  {
    fields,
    pdu: 'packet',
    in: { ethertype: 0x0800, 'ip.proto': 4, 'null.family': 2, link: 228, 'ppp.protocol': 0x0021 },
    dissect: dissectIp,
  },
];
