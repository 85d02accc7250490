// UDP: RFC 768; zero-length jumbograms over IPv6: RFC 2675 §4; the IPv6 zero checksum rule:
// RFC 8200 §8.1.
//
// Field names, tree labels and columns follow Wireshark 4.0 (packet-udp.c) with default
// preferences: checksums not verified, timestamps per stream on. udp.stream numbers the
// address/port pairs in order of first appearance, counting a pair first seen inside an ICMP
// error as Wireshark does; such quoted datagrams are never counted in conversation statistics
// and never timed.
//
// Deliberate differences from Wireshark: no heuristic or conversation dispatch yet (payload goes
// to `udp.port`, lower port first); the hidden `udp.port` items are marked `hidden`.
import { defineFields } from '../dissect/fields';
import { ShortRead, type Cursor } from '../dissect/cursor';
import type { Dissector, DissectResult } from '../dissect/engine';
import type { PacketInfo } from '../dissect/packet';
import type { Item } from '../dissect/types';
import { nsBetween } from '../conversations/tcp-analysis';
import { udpState } from '../conversations/index';
import { expertItem, gen, hide, relTime, relTimeText } from './l4-support';
import { useQuotedAddresses } from './tcp';

export const fields = defineFields(
  'udp',
  'User Datagram Protocol',
  { osi: 4, tcpip: 'transport' },
  {
    srcport: { name: 'Source Port', type: 'u16' },
    dstport: { name: 'Destination Port', type: 'u16' },
    port: { name: 'Source or Destination Port', type: 'u16' },
    stream: { name: 'Stream index', type: 'u32' },
    length: { name: 'Length', type: 'u16' },
    checksum: { name: 'Checksum', type: 'u16', base: 'hex' },
    'checksum.status': {
      name: 'Checksum Status',
      type: 'u8',
      vals: { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' },
    },
    time_relative: { name: 'Time since first frame', type: 'rel_time' },
    time_delta: { name: 'Time since previous frame', type: 'rel_time' },
    payload: { name: 'Payload', type: 'bytes' },
    possible_traceroute: { name: 'Possible traceroute', type: 'none' },
    'length.bad': { name: 'Bad length value', type: 'none' },
    'length.bad_zero': { name: 'Length is zero but payload < 65536', type: 'none' },
    'checksum.zero': { name: 'Illegal checksum value (0)', type: 'none' },
  },
);

const F = fields;

/** LBL traceroute probes start at port 32768 + 666 and make three attempts per hop. */
function traceroute(c: Cursor, port: number, item: Item | null, at: number): void {
  if (port > 33434 && port <= 33464) {
    const n = port - 33435;
    c.within(item, () =>
      expertItem(
        c,
        F.possible_traceroute,
        'chat',
        'sequence',
        `Possible traceroute: hop #${Math.floor(n / 3) + 1}, attempt #${(n % 3) + 1}`,
        at,
      ),
    );
  }
}

function udpLayerIndex(p: PacketInfo): number {
  let n = -1;
  for (let i = 0; i < p.protocols.length; i++) if (p.protocols[i] === 'udp') n++;
  return n < 0 ? 0 : n;
}

function dissect(c: Cursor, p: PacketInfo): DissectResult {
  const start = c.start;
  const tree = c.tree;
  const cols = p.cols && !p.inError;
  const sport = c.getU16(start);
  const dport = c.getU16(start + 2);
  if (cols) {
    p.columns.protocol = 'UDP';
    p.columns.info = `${sport} \u2192 ${dport}`;
  }
  const summary = `User Datagram Protocol, Src Port: ${sport}, Dst Port: ${dport}`;
  if (tree) {
    const s = c.add(F.srcport, start, 2, sport);
    const d = c.add(F.dstport, start + 2, 2, dport);
    traceroute(c, sport, s, start);
    traceroute(c, dport, d, start + 2);
    hide(c.add(F.port, start, 2, sport));
    hide(c.add(F.port, start + 2, 2, dport));
  }
  if (p.inError) useQuotedAddresses(c, p, 17);
  const reported = c.declaredEnd - start;
  let ulen = c.getU16(start + 4);
  const lenItem = c.add(F.length, start + 4, 2, ulen);
  let jumbogram = false;
  if (ulen === 0 && p.netType === 6) {
    ulen = reported;
    jumbogram = true;
  }
  if (ulen < 8) {
    if (lenItem) lenItem.label += ' (bogus, must be >= 8)';
    c.within(lenItem, () =>
      expertItem(c, F['length.bad'], 'error', 'malformed', `Bad length value ${ulen} < 8`, start + 4),
    );
    if (cols) p.columns.info += ` [BAD UDP LENGTH ${ulen} < 8]`;
    return { headerLength: 8, summary, next: null };
  }
  if (ulen > reported && !p.fragment && !p.inError) {
    if (lenItem) lenItem.label += ` (bogus, payload length ${reported})`;
    c.within(lenItem, () =>
      expertItem(
        c,
        F['length.bad'],
        'error',
        'malformed',
        `Bad length value ${ulen} > IP payload length`,
        start + 4,
      ),
    );
    if (cols) p.columns.info += ` [BAD UDP LENGTH ${ulen} > IP PAYLOAD LENGTH]`;
  }
  if (jumbogram && ulen < 65536)
    c.within(lenItem, () =>
      expertItem(
        c,
        F['length.bad_zero'],
        'warn',
        'protocol',
        'Length is zero but payload < 65536',
        start + 4,
      ),
    );
  if (cols) {
    p.columns.info += ` Len=${ulen - 8}`;
    if (jumbogram) p.columns.info += ' [Jumbogram]';
  }

  const sum = c.getU16(start + 6);
  if (tree) {
    if (sum === 0) {
      // A zero checksum means "none" over IPv4; over IPv6 it is illegal (RFC 8200 §8.1).
      const ignored = p.netType !== 6 || p.inError;
      const it = c.add(
        F.checksum,
        start + 6,
        2,
        0,
        `Checksum: 0x0000 [zero-value ${ignored ? 'ignored' : 'illegal'}]`,
      );
      c.within(it, () => {
        if (!ignored)
          expertItem(c, F['checksum.zero'], 'error', 'checksum', 'Illegal checksum value (0)', start + 6);
        gen(
          c.add(
            F['checksum.status'],
            start + 6,
            2,
            ignored ? 3 : 4,
            `[Checksum Status: ${ignored ? 'Not present' : 'Illegal'}]`,
          ),
        );
      });
    } else {
      c.add(F.checksum, start + 6, 2, sum, `Checksum: 0x${sum.toString(16).padStart(4, '0')} [unverified]`);
      gen(c.add(F['checksum.status'], start + 6, 0, 2, '[Checksum Status: Unverified]'));
    }
  }
  if (sum === 0 && p.netType === 6 && !p.inError && cols) p.columns.info += ' [ILLEGAL CHECKSUM (0)]';

  p.ptype = 'udp';
  p.srcport = sport;
  p.dstport = dport;

  // The stream (created on the first pass), then times relative to it for datagrams with payload.
  let stream = -1;
  let timed = false;
  let deltaNs = 0;
  const st = udpState(p.session);
  const layer = udpLayerIndex(p);
  const frame = p.frame.number;
  const canTime = ulen !== 8 && !p.inError;
  if (!p.visited) {
    if (p.netSrc && p.netDst && p.netType) {
      stream = st.lookup(p.netType, p.netSrc, p.netDst, sport, dport, frame, p.frame.tsSec, p.frame.tsNsec);
      if (!p.inError)
        st.table.countPacket(stream, st.table.dir, p.frame.origlen, frame, p.frame.tsSec, p.frame.tsNsec);
      if (canTime) {
        timed = true;
        deltaNs = nsBetween(p.frame.tsSec, p.frame.tsNsec, st.prevSec[stream], st.prevNsec[stream]);
        st.prevSec[stream] = p.frame.tsSec;
        st.prevNsec[stream] = p.frame.tsNsec;
      }
      st.store(frame, layer, stream, timed, deltaNs);
    }
  } else {
    const r = st.load(frame, layer);
    if (r) [stream, timed, deltaNs] = [r[0], r[1] === 1, r[2]];
  }
  if (stream >= 0) {
    p.stream = stream;
    if (tree) gen(c.add(F.stream, start + 8, 0, stream, `[Stream index: ${stream}]`));
  }
  if (ulen === 8) return { headerLength: 8, summary, next: null };

  if (tree && stream >= 0 && canTime) {
    const ts = gen(c.label('[Timestamps]', start, 0));
    c.within(ts, () => {
      const rel = nsBetween(p.frame.tsSec, p.frame.tsNsec, st.firstSec[stream], st.firstNsec[stream]);
      gen(
        c.add(
          F.time_relative,
          start,
          0,
          relTime(rel),
          `[Time since first frame: ${relTimeText(rel)} seconds]`,
        ),
      );
      if (timed)
        gen(
          c.add(
            F.time_delta,
            start,
            0,
            relTime(deltaNs),
            `[Time since previous frame: ${relTimeText(deltaNs)} seconds]`,
          ),
        );
    });
  }

  // The payload ends where the UDP length says (anything after it belongs to no one), and a
  // quoted datagram is only followed when some of its payload is there.
  const payloadAt = start + 8;
  const captured = Math.max(0, c.end - payloadAt);
  if (p.inError && captured === 0) return { headerLength: 8, summary, next: null };
  let reportedPayload = c.declaredEnd - payloadAt;
  if (ulen - 8 < reportedPayload) reportedPayload = ulen - 8;
  const len = Math.min(captured, reportedPayload);
  if (tree)
    c.add(
      F.payload,
      payloadAt,
      captured,
      c.getBytes(payloadAt, captured),
      `UDP payload (${len} byte${len === 1 ? '' : 's'})`,
    );
  return {
    headerLength: 8,
    summary,
    next: { table: 'udp.port', keys: [sport, dport], offset: payloadAt, end: payloadAt + reportedPayload },
  };
}

export const dissectors: readonly Dissector[] = [
  {
    fields: F,
    pdu: 'datagram',
    in: { 'ip.proto': 17 },
    dissect(c, p) {
      try {
        return dissect(c, p);
      } catch (e) {
        // A quoted datagram cut short just ends, as in Wireshark (no malformed mark).
        if (p.inError && e instanceof ShortRead) {
          const summary = c.has(4, c.start)
            ? `User Datagram Protocol, Src Port: ${c.getU16(c.start)}, Dst Port: ${c.getU16(c.start + 2)}`
            : undefined;
          return { next: null, summary };
        }
        throw e;
      }
    },
  },
];
