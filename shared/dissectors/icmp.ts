// ICMP: RFC 792; fragmentation needed with next-hop MTU: RFC 1191; router discovery: RFC 1256;
// original datagram length (extended messages): RFC 4884; address mask: RFC 950.
//
// Field names, tree labels and columns follow Wireshark 4.0 (packet-icmp.c): the checksum is
// verified, echo requests and replies are matched (icmp.resp_in / resp_to / resptime), and error
// messages show the quoted IP header and data through the `ip` dissector with p.inError set, so
// the quoted TCP/UDP never feeds stream analysis or statistics and never changes the columns.
//
// Deliberate differences from Wireshark: RFC 4884 / MPLS extension objects after the quoted
// datagram, Mobile IP advertisement extensions and the extended echo (RFC 8335) payload are not
// decoded; the ICMP heuristic subdissectors are not tried (the payload goes to `data`).
import { ShortRead, type Cursor } from '../dissect/cursor';
import { defineFields } from '../dissect/fields';
import type { Dissector, DissectResult } from '../dissect/engine';
import type { PacketInfo, Session } from '../dissect/packet';
import { EchoMatcher } from '../conversations/echo-matching';
import {
  checksumShouldBe,
  durationText,
  expertItem,
  gen,
  hopLimit,
  onesSum,
  relTime,
  relTimeText,
} from './l4-support';

const TYPES: Record<number, string> = {
  0: 'Echo (ping) reply',
  1: 'Reserved',
  2: 'Reserved',
  3: 'Destination unreachable',
  4: 'Source quench (flow control)',
  5: 'Redirect',
  6: 'Alternate host address',
  8: 'Echo (ping) request',
  9: 'Router advertisement',
  10: 'Router solicitation',
  11: 'Time-to-live exceeded',
  12: 'Parameter problem',
  13: 'Timestamp request',
  14: 'Timestamp reply',
  15: 'Information request',
  16: 'Information reply',
  17: 'Address mask request',
  18: 'Address mask reply',
  19: 'Reserved (for security)',
  30: 'Traceroute',
  31: 'Datagram Conversion Error',
  32: 'Mobile Host Redirect',
  33: 'IPv6 Where-Are-You',
  34: 'IPv6 I-Am-Here',
  35: 'Mobile Registration Request',
  36: 'Mobile Registration Reply',
  37: 'Domain Name Request',
  38: 'Domain Name Reply',
  39: 'SKIP',
  40: 'Photuris',
  41: 'Experimental mobility protocols',
  42: 'Extended Echo request',
  43: 'Extended Echo reply',
};

const UNREACH: Record<number, string> = {
  0: 'Network unreachable',
  1: 'Host unreachable',
  2: 'Protocol unreachable',
  3: 'Port unreachable',
  4: 'Fragmentation needed',
  5: 'Source route failed',
  6: 'Destination network unknown',
  7: 'Destination host unknown',
  8: 'Source host isolated',
  9: 'Network administratively prohibited',
  10: 'Host administratively prohibited',
  11: 'Network unreachable for TOS',
  12: 'Host unreachable for TOS',
  13: 'Communication administratively filtered',
  14: 'Host precedence violation',
  15: 'Precedence cutoff in effect',
};

const CODES: Record<number, Record<number, string>> = {
  3: UNREACH,
  5: {
    0: 'Redirect for network',
    1: 'Redirect for host',
    2: 'Redirect for TOS and network',
    3: 'Redirect for TOS and host',
  },
  6: { 0: 'Alternate address for host' },
  9: { 0: 'Normal router advertisement', 16: 'Does not route common traffic' },
  11: { 0: 'Time to live exceeded in transit', 1: 'Fragment reassembly time exceeded' },
  12: { 0: 'Pointer indicates the error', 1: 'Required option missing', 2: 'Bad length' },
  40: {
    0: 'Bad SPI',
    1: 'Authentication Failed',
    2: 'Decompression Failed',
    3: 'Decryption Failed',
    4: 'Need Authentication',
    5: 'Need Authorization',
  },
  42: { 0: 'No error' },
  43: {
    0: 'No error',
    1: 'Malformed Query',
    2: 'No Such Interface',
    3: 'No Such Table Entry',
    4: 'Multiple Interfaces Satisfy Query',
  },
};

export const fields = defineFields(
  'icmp',
  'Internet Control Message Protocol',
  { osi: 3, tcpip: 'internet' },
  {
    type: { name: 'Type', type: 'u8' },
    code: { name: 'Code', type: 'u8' },
    checksum: { name: 'Checksum', type: 'u16', base: 'hex' },
    'checksum.status': {
      name: 'Checksum Status',
      type: 'u8',
      vals: { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' },
    },
    checksum_bad: { name: 'Bad checksum', type: 'none' },
    unused: { name: 'Unused', type: 'bytes' },
    ident: { name: 'Identifier (BE)', type: 'u16', base: 'dec_hex' },
    ident_le: { name: 'Identifier (LE)', type: 'u16', base: 'dec_hex' },
    seq: { name: 'Sequence Number (BE)', type: 'u16', base: 'dec_hex' },
    seq_le: { name: 'Sequence Number (LE)', type: 'u16', base: 'dec_hex' },
    mtu: { name: 'MTU of next hop', type: 'u16' },
    num_addrs: { name: 'Number of addresses', type: 'u8' },
    addr_entry_size: { name: 'Address entry size', type: 'u8' },
    lifetime: { name: 'Lifetime', type: 'u16' },
    pointer: { name: 'Pointer', type: 'u32' },
    router_address: { name: 'Router address', type: 'ipv4' },
    pref_level: { name: 'Preference level', type: 'i32' },
    originate_timestamp: { name: 'Originate Timestamp', type: 'u32' },
    receive_timestamp: { name: 'Receive Timestamp', type: 'u32' },
    transmit_timestamp: { name: 'Transmit Timestamp', type: 'u32' },
    address_mask: { name: 'Address Mask', type: 'ipv4' },
    redir_gw: { name: 'Gateway Address', type: 'ipv4' },
    length: { name: 'Length', type: 'u8' },
    'length.original_datagram': { name: 'Length of original datagram', type: 'u8' },
    resp_in: { name: 'Response frame', type: 'framenum' },
    resp_to: { name: 'Request frame', type: 'framenum' },
    no_resp: { name: 'No response seen', type: 'none' },
    resp_not_found: { name: 'Response not found', type: 'none' },
    resptime: { name: 'Response time', type: 'double' },
    data_time: { name: 'Timestamp from icmp data', type: 'abs_time', base: 'utc' },
    data_time_relative: { name: 'Timestamp from icmp data (relative)', type: 'rel_time' },
  },
);

const F = fields;

/**
 * Echo request/reply matching, as Wireshark's transaction_start/transaction_end: requests wait
 * under (host pair, expected reply checksum, identifier, sequence); the first reply with those
 * keys answers the newest such request. Results are stored per frame for later passes.
 */
function icmpState(s: Session): EchoMatcher {
  return s.state('icmp', () => new EchoMatcher());
}

/** The checksum a reply to this request will carry: the type byte drops from 8 to 0. */
function replyChecksum(requestSum: number): number {
  let s = (~requestSum & 0xffff) + (~0x0800 & 0xffff);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

const MS_PER_DAY = 86400000;

/** Wireshark's get_best_guess_mstimeofday: big or little endian, whichever looks like a time of day. */
function bestGuessMs(c: Cursor, at: number, compare: number): number {
  const be = c.getU32(at) & 0x7fffffff;
  const le = c.getU32(at, true) & 0x7fffffff;
  if (be < MS_PER_DAY && le >= MS_PER_DAY) return be;
  if (le < MS_PER_DAY && be >= MS_PER_DAY) return le;
  if (be < MS_PER_DAY && le < MS_PER_DAY) {
    let b = be;
    let l = le;
    if (b < compare && b <= MS_PER_DAY / 4 && compare >= MS_PER_DAY - MS_PER_DAY / 4) b += MS_PER_DAY;
    if (l < compare && l <= MS_PER_DAY / 4 && compare >= MS_PER_DAY - MS_PER_DAY / 4) l += MS_PER_DAY;
    return (b - compare) >>> 0 < (l - compare) >>> 0 ? be : le;
  }
  return (be - compare) >>> 0 < (le - compare) >>> 0 ? be : le;
}

function isMulticastOrBroadcast(p: PacketInfo): string {
  const d = p.netDst;
  if (p.netType !== 4 || !d) return '';
  if (d[0] === 255 && d[1] === 255 && d[2] === 255 && d[3] === 255) return 'broadcast';
  if ((d[0] & 0xf0) === 0xe0) return 'multicast';
  return '';
}

function dissect(c: Cursor, p: PacketInfo): DissectResult {
  const start = c.start;
  const tree = c.tree;
  const cols = p.cols && !p.inError;
  if (cols) {
    p.columns.protocol = 'ICMP';
    p.columns.info = '';
  }
  const type = c.getU8(start);
  const code = c.getU8(start + 1);
  // Read before anything is shown, as Wireshark does: a message under 6 bytes shows nothing.
  let origLen = c.getU8(start + 5);
  let typeStr = TYPES[type] ?? 'Unknown ICMP (obsolete or malformed?)';
  if (type === 9 && (code === 0 || code === 16)) typeStr = 'Mobile IP Advertisement';
  if (type === 6) origLen = 0;
  const codes = CODES[type];
  const codeStr = codes ? (codes[code] ?? `Unknown code: ${code}`) : null;
  if (cols) p.columns.info = typeStr.padEnd(20, ' ') + (codeStr ? ` (${codeStr})` : '');

  const reported = c.declaredEnd - start;
  const captured = c.end - start;
  if (tree) {
    c.add(F.type, start, 1, type, `Type: ${type} (${typeStr})`);
    c.add(F.code, start + 1, 1, code, codeStr ? `Code: ${code} (${codeStr})` : `Code: ${code}`);
  }
  const sum = c.getU16(start + 2);
  if (tree) {
    if (!p.fragment && captured >= reported && !p.inError) {
      const computed = onesSum(c.data, start, reported);
      if (computed === 0xffff) {
        c.add(F.checksum, start + 2, 2, sum, `Checksum: 0x${hex4(sum)} [correct]`);
        gen(c.add(F['checksum.status'], start + 2, 0, 1, '[Checksum Status: Good]'));
      } else {
        const should = checksumShouldBe(sum, computed);
        const it = c.add(
          F.checksum,
          start + 2,
          2,
          sum,
          `Checksum: 0x${hex4(sum)} incorrect, should be 0x${hex4(should)}`,
        );
        c.within(it, () =>
          expertItem(
            c,
            F.checksum_bad,
            'warn',
            'checksum',
            `Bad checksum [should be 0x${hex4(should)}]`,
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
        `Checksum: 0x${hex4(sum)} [unverified] [${p.inError ? 'in ICMP error packet' : 'fragmented datagram'}]`,
      );
      gen(c.add(F['checksum.status'], start + 2, 0, 2, '[Checksum Status: Unverified]'));
    }
  }

  // The second word.
  switch (type) {
    case 0:
    case 8:
    case 13:
    case 14:
    case 15:
    case 16:
    case 17:
    case 18: {
      const id = c.getU16(start + 4);
      const seq = c.getU16(start + 6);
      if (tree) {
        c.add(F.ident, start + 4, 2, id);
        c.add(F.ident_le, start + 4, 2, c.getU16(start + 4, true));
        c.add(F.seq, start + 6, 2, seq);
        c.add(F.seq_le, start + 6, 2, c.getU16(start + 6, true));
      }
      if (cols) {
        p.columns.info += ` id=0x${hex4(id)}, seq=${seq}/${c.getU16(start + 6, true)}`;
        const ttl = p.netType === 4 ? hopLimit(c, p) : -1;
        if (ttl >= 0) p.columns.info += `, ttl=${ttl}`;
      }
      break;
    }
    case 3:
      if (origLen > 0) {
        unusedBytes(c, start + 4, 1);
        lengthItems(c, start, origLen);
        if (code === 4) c.add(F.mtu, start + 6, 2, c.getU16(start + 6));
        else unusedBytes(c, start + 6, 2);
      } else if (code === 4) {
        unusedBytes(c, start + 4, 2);
        c.add(F.mtu, start + 6, 2, c.getU16(start + 6));
      } else {
        unusedBytes(c, start + 4, 4);
      }
      break;
    case 9: {
      const n = c.getU8(start + 4);
      const size = c.getU8(start + 5);
      const life = c.getU16(start + 6);
      if (tree) {
        c.add(F.num_addrs, start + 4, 1, n);
        c.add(F.addr_entry_size, start + 5, 1, size);
        c.add(F.lifetime, start + 6, 2, life, `Lifetime: ${life} (${durationText(life * 1000, false)})`);
      }
      break;
    }
    case 12:
      if (tree) c.add(F.pointer, start + 4, 1, c.getU8(start + 4));
      if (origLen > 0) {
        lengthItems(c, start, origLen);
        unusedBytes(c, start + 6, 2);
      } else {
        unusedBytes(c, start + 5, 3);
      }
      break;
    case 5:
      if (tree) c.add(F.redir_gw, start + 4, 4, c.getBytes(start + 4, 4).slice());
      break;
    case 11:
      if (origLen > 0) {
        unusedBytes(c, start + 4, 1);
        lengthItems(c, start, origLen);
        unusedBytes(c, start + 6, 2);
      } else {
        unusedBytes(c, start + 4, 4);
      }
      break;
    default:
      break;
  }

  switch (type) {
    case 3:
    case 11:
    case 12:
    case 4:
    case 5:
      return quoted(c, p, type, origLen, reported);
    case 0:
    case 8:
      if (!p.inError) echoMatch(c, p, type, sum);
      return echoData(c, p);
    case 9: {
      const n = c.getU8(start + 4);
      const size = c.getU8(start + 5);
      if (size !== 2)
        return { next: { proto: 'data', offset: start + 8 }, summary: 'Internet Control Message Protocol' };
      for (let i = 0; i < n; i++) {
        const at = start + 8 + i * 8;
        const addr = c.getBytes(at, 4);
        const pref = c.getU32(at + 4) | 0;
        if (tree) {
          c.add(F.router_address, at, 4, addr.slice());
          c.add(F.pref_level, at + 4, 4, pref);
        }
      }
      return { next: null, summary: 'Internet Control Message Protocol' };
    }
    case 13:
    case 14: {
      const frameMs =
        (((p.frame.tsSec * 1000 + Math.floor(p.frame.tsNsec / 1e6)) % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
      const ts = (f: typeof F.originate_timestamp, at: number): void => {
        const guess = bestGuessMs(c, at, frameMs);
        const v = c.getU32(at);
        if (tree) c.add(f, at, 4, v, `${f.name}: ${v} (${durationText(guess, true)} after midnight UTC)`);
      };
      ts(F.originate_timestamp, start + 8);
      ts(F.receive_timestamp, start + 12);
      ts(F.transmit_timestamp, start + 16);
      return { next: null, summary: 'Internet Control Message Protocol' };
    }
    case 17:
    case 18:
      if (tree) c.add(F.address_mask, start + 8, 4, c.getBytes(start + 8, 4).slice());
      return { next: null, summary: 'Internet Control Message Protocol' };
    default:
      return { next: null, summary: 'Internet Control Message Protocol' };
  }
}

function hex4(v: number): string {
  return v.toString(16).padStart(4, '0');
}

function unusedBytes(c: Cursor, at: number, n: number): void {
  const b = c.getBytes(at, n);
  if (c.tree) c.add(F.unused, at, n, b.slice());
}

function lengthItems(c: Cursor, start: number, origLen: number): void {
  if (!c.tree) return;
  c.add(F.length, start + 5, 1, origLen);
  gen(
    c.add(
      F['length.original_datagram'],
      start + 5,
      1,
      origLen * 4,
      `[Length of original datagram: ${origLen * 4}]`,
    ),
  );
}

/** An error message: the quoted IP header and data go to the IP dissector, flagged as quoted. */
function quoted(c: Cursor, p: PacketInfo, type: number, origLen: number, reported: number): DissectResult {
  const start = c.start;
  let end = c.declaredEnd;
  if (type === 5) {
    // A redirect has no length field: the IP header and 64 bits of data (RFC 792).
    end = start + 8 + (c.getU8(start + 8) & 0x0f) * 4 + 8;
  } else if (origLen && reported > 8 + origLen * 4 && c.getU16(start + 10) > origLen * 4) {
    // RFC 4884: only the original datagram's length belongs to the quoted packet.
    end = start + 8 + ((c.getU8(start + 8) & 0x0f) + origLen) * 4;
  }
  end = Math.min(end, c.declaredEnd);
  const saved = p.cols ? { ...p.columns } : null;
  const wasInError = p.inError;
  const netType = p.netType;
  const netSrc = p.netSrc;
  const netDst = p.netDst;
  p.inError = true;
  return {
    next: { proto: 'ip', offset: start + 8, end },
    summary: 'Internet Control Message Protocol',
    finish: () => {
      // The quoted packet must not change the columns or the addresses this frame is about.
      if (saved) Object.assign(p.columns, saved);
      p.inError = wasInError;
      p.netType = netType;
      p.netSrc = netSrc;
      p.netDst = netDst;
    },
  };
}

function echoMatch(c: Cursor, p: PacketInfo, type: number, sum: number): void {
  const start = c.start;
  const st = icmpState(p.session);
  const frame = p.frame.number;
  const tree = c.tree;
  const cols = p.cols;
  if (!p.netSrc || !p.netDst) return;
  const idSeq = c.getU32(start + 4);
  if (type === 8) {
    if (!p.visited) {
      st.request(
        p.netType,
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
      if (tree) gen(c.add(F.resp_in, start, 0, reply, `[Response frame: ${reply}]`));
      if (cols) p.columns.info += ` (reply in ${reply})`;
      return;
    }
    const cast = isMulticastOrBroadcast(p);
    if (cast) {
      if (cols) p.columns.info += ` (${cast})`;
      return;
    }
    if (tree) {
      const it = gen(c.add(F.no_resp, start, 0, null, '[No response seen]'));
      c.within(it, () =>
        expertItem(c, F.resp_not_found, 'warn', 'sequence', 'No response seen to ICMP request', start),
      );
    }
    if (cols) p.columns.info += ' (no response found!)';
    return;
  }
  const key = (sum === 0xffff ? 0 : sum) * 2 ** 32 + idSeq;
  const m = st.reply(p.visited, p.netType, p.netSrc, p.netDst, frame, p.frame.tsSec, p.frame.tsNsec, key);
  if (!m) return;
  const { request, ns } = m;
  const ms = Number((ns / 1e6).toPrecision(15));
  if (tree) {
    gen(c.add(F.resp_to, start, 0, request, `[Request frame: ${request}]`));
    gen(c.add(F.resptime, start, 0, ms, `[Response time: ${(ns / 1e6).toFixed(3)} ms]`));
  }
  if (cols) p.columns.info += ` (request in ${request})`;
}

/** Echo data: Linux and BSD ping put the send time first; Wireshark shows it when it looks right. */
function echoData(c: Cursor, p: PacketInfo): DissectResult {
  const start = c.start;
  const summary = 'Internet Control Message Protocol';
  const rest = c.end - (start + 8);
  if (rest < 8) return { next: rest > 0 ? { proto: 'data', offset: start + 8 } : null, summary };
  const frameSec = p.frame.tsSec;
  let secs = c.getU32(start + 8);
  let usecs = c.getU32(start + 12);
  if (Math.abs((secs - frameSec) | 0) >= 86400 || usecs >= 1000000) {
    secs = c.getU32(start + 8, true);
    usecs = c.getU32(start + 12, true);
  }
  // Within a day of the capture time, and microseconds below a second (compared in 32 bits, as
  // Wireshark casts the difference to int).
  if (Math.abs((secs - frameSec) | 0) < 86400 && usecs < 1000000) {
    if (c.tree) {
      c.add(F.data_time, start + 8, 8, { sec: secs, nsec: usecs * 1000 });
      const rel = (frameSec - secs) * 1e9 + (p.frame.tsNsec - usecs * 1000);
      gen(
        c.add(
          F.data_time_relative,
          start + 8,
          8,
          relTime(rel),
          `[Timestamp from icmp data (relative): ${relTimeText(rel)} seconds]`,
        ),
      );
    }
    return { next: { proto: 'data', offset: start + 16 }, summary };
  }
  return { next: { proto: 'data', offset: start + 8 }, summary };
}

export const dissectors: readonly Dissector[] = [
  {
    fields: F,
    pdu: 'message',
    in: { 'ip.proto': 1 },
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
