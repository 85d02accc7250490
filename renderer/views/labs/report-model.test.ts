import { describe, expect, it } from 'vitest';
import type { TransportReport } from '../../../shared/contract/api';
import { emptyReport } from '../../../electron/labs/tcp-udp/report';
import { lostText, reportRows } from './report-model';

const side = (o: Partial<TransportReport>): TransportReport => ({ ...emptyReport(), ...o });

describe('TCP-vs-UDP report rows', () => {
  it('puts each side’s measured value in its row, header bytes per packet beside the total', () => {
    const tcp = side({
      packets: 30,
      bytes: 2100,
      headerBytes: 960,
      messagesSent: 10,
      messagesDelivered: 10,
      durationMs: 3.25,
    });
    const udp = side({
      packets: 8,
      bytes: 500,
      headerBytes: 64,
      messagesSent: 10,
      messagesDelivered: 8,
      lost: 2,
    });
    const rows = reportRows(tcp, udp);
    const by = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(by.packets.tcp).toBe(30);
    expect(by.packets.udp).toBe(8);
    expect(by.headerBytes.text(tcp)).toBe('960 (32 per packet)');
    expect(by.headerBytes.text(udp)).toBe('64 (8 per packet)');
    expect(by.delivered.text(udp)).toBe('8 / 10');
    expect(by.durationMs.text(tcp)).toBe('3.3 ms');
    expect(rows.filter((r) => r.bar).map((r) => r.key)).toEqual([
      'packets',
      'bytes',
      'payload',
      'headerBytes',
      'controlPackets',
      'roundTrips',
    ]);
    expect(lostText('udp', udp)).toBe('2 dropped (simulated loss)');
    expect(lostText('tcp', side({ lost: 1 }))).toBe('1 retransmission');
  });
});
