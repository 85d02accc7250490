// The TCP-vs-UDP report as rows for the table and the bars: one measured quantity per row, each
// side's value, and whether it is one the bars compare (counts and bytes; not times or ratios).
import type { TransportReport } from '../../../shared/contract/api';

export interface ReportRow {
  key: string;
  label: string;
  tcp: number;
  udp: number;
  text: (r: TransportReport) => string;
  bar: boolean;
}

const n = (v: number) => v.toLocaleString('en-US');

export function reportRows(tcp: TransportReport, udp: TransportReport): ReportRow[] {
  const row = (
    key: string,
    label: string,
    get: (r: TransportReport) => number,
    bar: boolean,
    text?: (r: TransportReport) => string,
  ): ReportRow => ({
    key,
    label,
    tcp: get(tcp),
    udp: get(udp),
    text: text ?? ((r) => n(get(r))),
    bar,
  });
  return [
    row('packets', 'Packets', (r) => r.packets, true),
    row('bytes', 'Bytes on the wire', (r) => r.bytes, true),
    row('payload', 'Payload bytes', (r) => r.payload, true),
    row(
      'headerBytes',
      'Transport header bytes',
      (r) => r.headerBytes,
      true,
      (r) =>
        `${n(r.headerBytes)}${r.packets ? ` (${Math.round(r.headerBytes / r.packets)} per packet)` : ''}`,
    ),
    row('controlPackets', 'Control packets (no payload)', (r) => r.controlPackets, true),
    row('roundTrips', 'Round trips', (r) => r.roundTrips, true),
    row(
      'durationMs',
      'Time, first to last packet',
      (r) => r.durationMs,
      false,
      (r) => `${r.durationMs.toFixed(1)} ms`,
    ),
    row(
      'delivered',
      'Delivered / sent',
      (r) => r.messagesDelivered,
      false,
      (r) => `${n(r.messagesDelivered)} / ${n(r.messagesSent)}`,
    ),
  ];
}

/** The loss row's words: UDP's is the relay's simulated drop; TCP's are retransmissions. */
export function lostText(side: 'tcp' | 'udp', r: TransportReport): string {
  if (side === 'udp') return `${n(r.lost)} dropped (simulated loss)`;
  return `${n(r.lost)} retransmission${r.lost === 1 ? '' : 's'}`;
}
