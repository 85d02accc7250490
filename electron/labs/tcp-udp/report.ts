// The TCP-vs-UDP lab's report, counted from the lab's own capture (never from what the lab thinks
// it sent): per side, the packets, bytes and header overhead on the wire, the control packets
// (handshake, ACKs, teardown), the messages and echoes seen, the loss, the round trips and the
// time. Pure: it takes one record per captured frame (capture-facts.ts reads them with the engine)
// so the counting is tested on its own.
import type { TransportReport } from '../../../shared/contract/api';

/** TCP header flag bits as tcp.flags carries them. */
export const TCP_FIN = 0x001;
export const TCP_SYN = 0x002;
export const TCP_RST = 0x004;

/** What the report needs of one captured TCP or UDP frame. */
export interface FrameFacts {
  /** frame.number. */
  frame: number;
  /** Capture time, milliseconds since the epoch (fractional). */
  timeMs: number;
  /** frame.len: bytes on the wire. */
  len: number;
  proto: 'tcp' | 'udp';
  /** tcp.stream / udp.stream. */
  stream: number;
  srcPort: number;
  dstPort: number;
  /** tcp.flags (0 for UDP). */
  flags: number;
  /** tcp.hdr_len, or 8 for UDP. */
  headerLen: number;
  /** tcp.len, or udp.length − 8. */
  payload: number;
  /** tcp.analysis.retransmission (or fast/spurious). */
  retransmission: boolean;
}

export interface ReportHints {
  /**
   * The client's own port on each side. Only streams with that port count for the side, so the
   * second leg of a relay (relay → server, a copy of the same datagrams) is not counted twice.
   * When no stream has it (the tap may show the conversation with other ports), every stream of
   * the transport counts.
   */
  tcpClientPort?: number;
  udpClientPort?: number;
}

/** A side with nothing counted yet (tests build their reports from it). */
export function emptyReport(): TransportReport {
  return {
    streams: [],
    packets: 0,
    bytes: 0,
    payload: 0,
    headerBytes: 0,
    controlPackets: 0,
    messagesSent: 0,
    messagesDelivered: 0,
    lost: 0,
    roundTrips: 0,
    durationMs: 0,
  };
}

/**
 * One side's report. The client of a stream is the sender of its first frame (the SYN for TCP,
 * the first datagram for UDP). messagesSent = client payload frames that are not retransmissions;
 * messagesDelivered = server payload frames back (the lab's server echoes each message, so an
 * echo proves delivery); lost: UDP = sent − delivered (the lossy relay's simulated drops, either
 * way), TCP = retransmitted frames (the kernel recovering a loss). Round trips: one per
 * request→reply exchange (a client payload frame answered by a server payload frame), plus, for
 * TCP, one for the handshake (a SYN seen) and one for the teardown (a FIN seen).
 */
export function sideReport(
  frames: readonly FrameFacts[],
  proto: 'tcp' | 'udp',
  clientPort?: number,
): TransportReport {
  let mine = frames.filter((f) => f.proto === proto);
  if (clientPort !== undefined) {
    const streams = new Set(
      mine.filter((f) => f.srcPort === clientPort || f.dstPort === clientPort).map((f) => f.stream),
    );
    if (streams.size) mine = mine.filter((f) => streams.has(f.stream));
  }
  const r = emptyReport();
  if (!mine.length) return r;
  const clientOf = new Map<number, number>();
  const pending = new Map<number, boolean>();
  const syn = new Set<number>();
  const fin = new Set<number>();
  let first = Infinity;
  let last = -Infinity;
  for (const f of mine) {
    if (!clientOf.has(f.stream)) {
      clientOf.set(f.stream, f.srcPort);
      r.streams.push(`${proto}:${f.stream}`);
    }
    r.packets++;
    r.bytes += f.len;
    r.payload += f.payload;
    r.headerBytes += f.headerLen;
    first = Math.min(first, f.timeMs);
    last = Math.max(last, f.timeMs);
    if (f.payload === 0) r.controlPackets++;
    if (f.flags & TCP_SYN) syn.add(f.stream);
    if (f.flags & TCP_FIN) fin.add(f.stream);
    if (f.retransmission) {
      r.lost += proto === 'tcp' ? 1 : 0;
      continue;
    }
    if (f.payload === 0) continue;
    const fromClient = f.srcPort === clientOf.get(f.stream);
    if (fromClient) {
      r.messagesSent++;
      pending.set(f.stream, true);
    } else {
      r.messagesDelivered++;
      if (pending.get(f.stream)) {
        r.roundTrips++;
        pending.set(f.stream, false);
      }
    }
  }
  if (proto === 'tcp') r.roundTrips += syn.size + fin.size;
  else r.lost = Math.max(0, r.messagesSent - r.messagesDelivered);
  r.durationMs = Math.round((last - first) * 1000) / 1000;
  return r;
}

export function transportReports(
  frames: readonly FrameFacts[],
  hints: ReportHints = {},
): { tcp: TransportReport; udp: TransportReport } {
  return {
    tcp: sideReport(frames, 'tcp', hints.tcpClientPort),
    udp: sideReport(frames, 'udp', hints.udpClientPort),
  };
}

/** The report side by side, as the CLI prints it. */
export function reportTable(r: { tcp: TransportReport; udp: TransportReport }): string {
  const rows: [string, (t: TransportReport) => string][] = [
    ['streams', (t) => t.streams.join(' ') || '-'],
    ['packets', (t) => String(t.packets)],
    ['bytes on the wire', (t) => String(t.bytes)],
    ['payload bytes', (t) => String(t.payload)],
    ['transport header bytes', (t) => String(t.headerBytes)],
    ['control packets (no payload)', (t) => String(t.controlPackets)],
    ['messages sent', (t) => String(t.messagesSent)],
    ['messages echoed back', (t) => String(t.messagesDelivered)],
    ['lost (UDP: dropped; TCP: retransmitted)', (t) => String(t.lost)],
    ['round trips', (t) => String(t.roundTrips)],
    ['duration (ms)', (t) => t.durationMs.toFixed(3)],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  const lines = [`${''.padEnd(w)}  ${'TCP'.padStart(12)}  ${'UDP'.padStart(12)}`];
  for (const [k, f] of rows) lines.push(`${k.padEnd(w)}  ${f(r.tcp).padStart(12)}  ${f(r.udp).padStart(12)}`);
  return lines.join('\n');
}
