// The TCP stream graphs of one connection (Wireshark's Statistics → TCP Stream Graphs,
// ui/qt/tcp_stream_dialog.cpp): time–sequence (Stevens), round-trip time and throughput.
//
// Each frame of the stream gives one segment, read from the fields the TCP dissector wrote, the
// ones tshark prints: tcp.seq / tcp.len / tcp.ack (relative), tcp.window_size (scaled),
// tcp.analysis.retransmission (and fast / spurious), tcp.analysis.ack_rtt. A graph shows one
// direction's data (Wireshark graphs the direction of the chosen packet; here the side that sent
// more payload unless asked), with the other direction's acknowledgements and the receive window
// they advertise (ack + window, the line the sender may not pass).
//
// Round-trip times are tshark's tcp.analysis.ack_rtt of the acknowledging segments (measured
// to the data segment they acknowledge, retransmitted segments left out as Karn's rule says);
// throughput is Wireshark's moving average: the payload of the last `window` segments over the
// time they span.
import { findItems } from '../dissect/query';
import type { Dissection } from '../dissect/types';

export interface TcpSegment {
  frame: number;
  /** Seconds since the capture's first frame. */
  t: number;
  /** 0: sent by the connection's first sender (A), 1: by B. */
  dir: 0 | 1;
  seq: number;
  len: number;
  /** Relative acknowledgement number, -1 without ACK. */
  ack: number;
  /** Receive window (scaled), -1 when unknown. */
  win: number;
  syn: boolean;
  fin: boolean;
  rst: boolean;
  /** Retransmission, fast retransmission or spurious retransmission (tcp.analysis). */
  retrans: boolean;
  /** tcp.analysis.ack_rtt of this (acknowledging) segment, seconds; -1 when none. */
  rtt: number;
}

function num(d: Dissection, abbrev: string, fallback: number): number {
  const it = findItems(d, abbrev)[0];
  const v = it?.value;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v && typeof v === 'object' && 'sec' in v && 'nsec' in v) {
    const tv = v as { sec: number; nsec: number };
    return tv.sec + tv.nsec / 1e9;
  }
  return fallback;
}

const has = (d: Dissection, abbrev: string) => findItems(d, abbrev).length > 0;

/** One segment from a frame dissected with the tree; null without a TCP layer of its own. */
export function tcpSegmentOf(d: Dissection, frame: number, t: number, srcPortA: number): TcpSegment | null {
  if (!d.layers.some((l) => l.proto === 'tcp' && (l.source ?? 0) === 0)) return null;
  const flags = num(d, 'tcp.flags', 0);
  const sport = num(d, 'tcp.srcport', -1);
  return {
    frame,
    t,
    dir: sport === srcPortA ? 0 : 1,
    seq: num(d, 'tcp.seq', 0),
    len: num(d, 'tcp.len', 0),
    ack: flags & 0x10 ? num(d, 'tcp.ack', -1) : -1,
    win: num(d, 'tcp.window_size', -1),
    syn: (flags & 0x02) !== 0,
    fin: (flags & 0x01) !== 0,
    rst: (flags & 0x04) !== 0,
    retrans:
      has(d, 'tcp.analysis.retransmission') ||
      has(d, 'tcp.analysis.fast_retransmission') ||
      has(d, 'tcp.analysis.spurious_retransmission'),
    rtt: num(d, 'tcp.analysis.ack_rtt', -1),
  };
}

/** The direction that carried more payload (ties: A), the one a time–sequence graph shows. */
export function busierDirection(segments: readonly TcpSegment[]): 0 | 1 {
  let a = 0;
  let b = 0;
  for (const s of segments)
    if (s.dir === 0) a += s.len;
    else b += s.len;
  return b > a ? 1 : 0;
}

export interface ThroughputPoint {
  t: number;
  /** Bits per second. */
  bps: number;
  frame: number;
}

/**
 * Throughput of one direction: at each segment with payload, the bytes of the last `window`
 * such segments (this one included) over the time from the first of them to this one, in bits
 * per second (Wireshark's moving average; the first segments, with no span yet, are left out).
 */
export function throughput(segments: readonly TcpSegment[], dir: 0 | 1, window = 20): ThroughputPoint[] {
  const data = segments.filter((s) => s.dir === dir && s.len > 0);
  const out: ThroughputPoint[] = [];
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    sum += data[i].len;
    const from = i - window + 1;
    if (from > 0) sum -= data[from - 1].len;
    const first = data[Math.max(0, from)];
    const span = data[i].t - first.t;
    if (span > 0) out.push({ t: data[i].t, bps: (sum * 8) / span, frame: data[i].frame });
  }
  return out;
}

export interface RttPoint {
  t: number;
  /** Seconds. */
  rtt: number;
  /** The acknowledging frame. */
  frame: number;
}

/** Round-trip times of one direction's data: tcp.analysis.ack_rtt of the other side's ACKs. */
export function roundTrips(segments: readonly TcpSegment[], dir: 0 | 1): RttPoint[] {
  return segments
    .filter((s) => s.dir !== dir && s.rtt >= 0)
    .map((s) => ({ t: s.t, rtt: s.rtt, frame: s.frame }));
}
