import { describe, expect, it } from 'vitest';
import { reportTable, sideReport, TCP_FIN, TCP_SYN, transportReports, type FrameFacts } from './report';
import { seededRandom, shouldDrop } from './udp-relay';

const ACK = 0x010;
const PSH = 0x008;
let n = 0;
function tcp(
  src: number,
  dst: number,
  flags: number,
  payload: number,
  t: number,
  extra: Partial<FrameFacts> = {},
): FrameFacts {
  return {
    frame: ++n,
    timeMs: t,
    len: 14 + 20 + 32 + payload,
    proto: 'tcp',
    stream: 0,
    srcPort: src,
    dstPort: dst,
    flags,
    headerLen: 32,
    payload,
    retransmission: false,
    ...extra,
  };
}
function udp(src: number, dst: number, payload: number, t: number, stream = 0): FrameFacts {
  return {
    frame: ++n,
    timeMs: t,
    len: 14 + 20 + 8 + payload,
    proto: 'udp',
    stream,
    srcPort: src,
    dstPort: dst,
    flags: 0,
    headerLen: 8,
    payload,
    retransmission: false,
  };
}

describe('TCP-vs-UDP report counting', () => {
  it('counts a TCP exchange: handshake + 2 request/reply + teardown round trips, control packets, headers', () => {
    const c = 40000;
    const s = 7007;
    const frames = [
      tcp(c, s, TCP_SYN, 0, 0, { headerLen: 40 }),
      tcp(s, c, TCP_SYN | ACK, 0, 0.1, { headerLen: 40 }),
      tcp(c, s, ACK, 0, 0.2),
      tcp(c, s, ACK | PSH, 15, 1),
      tcp(s, c, ACK | PSH, 15, 1.1),
      tcp(c, s, ACK, 0, 1.2),
      tcp(c, s, ACK | PSH, 15, 2),
      tcp(s, c, ACK | PSH, 15, 2.1),
      tcp(c, s, ACK | PSH, 15, 2.5, { retransmission: true }),
      tcp(c, s, ACK | TCP_FIN, 0, 3),
      tcp(s, c, ACK | TCP_FIN, 0, 3.1),
      tcp(c, s, ACK, 0, 3.25),
    ];
    const r = sideReport(frames, 'tcp', c);
    expect(r).toEqual({
      streams: ['tcp:0'],
      packets: 12,
      bytes: frames.reduce((a, f) => a + f.len, 0),
      payload: 75,
      headerBytes: 40 * 2 + 32 * 10,
      controlPackets: 7,
      messagesSent: 2,
      messagesDelivered: 2,
      lost: 1,
      roundTrips: 1 + 2 + 1,
      durationMs: 3.25,
    });
  });

  it('UDP: only the client leg counts (not the relay → server copy); unanswered datagrams are lost', () => {
    const client = 50000;
    const relay = 51000;
    const server = 7008;
    const frames = [
      udp(client, relay, 15, 0, 0),
      udp(relay, server, 15, 0.1, 1),
      udp(server, relay, 15, 0.2, 1),
      udp(relay, client, 15, 0.3, 0),
      udp(client, relay, 15, 1, 0), // dropped by the relay: no copy, no echo
      udp(client, relay, 16, 2, 0),
      udp(relay, server, 16, 2.1, 1),
      udp(server, relay, 16, 2.2, 1),
      udp(relay, client, 16, 2.3, 0),
    ];
    const r = transportReports(frames, { udpClientPort: client }).udp;
    expect(r.streams).toEqual(['udp:0']);
    expect(r.packets).toBe(5);
    expect(r.headerBytes).toBe(40);
    expect(r.payload).toBe(15 * 3 + 16 * 2);
    expect(r.controlPackets).toBe(0);
    expect([r.messagesSent, r.messagesDelivered, r.lost, r.roundTrips]).toEqual([3, 2, 1, 2]);
    expect(r.durationMs).toBeCloseTo(2.3, 6);
    // Without the hint (or with a port nobody used) every UDP stream counts.
    expect(transportReports(frames, { udpClientPort: 1 }).udp.packets).toBe(9);
  });

  it('an empty side is all zeros, and the table prints both sides', () => {
    const r = transportReports([]);
    expect(r.tcp.packets).toBe(0);
    expect(r.udp.streams).toEqual([]);
    const text = reportTable(r);
    expect(text).toMatch(/^\s+TCP\s+UDP$/m);
    expect(text).toMatch(/transport header bytes\s+0\s+0/);
  });

  it('the relay drops about the asked share, repeatably with a seed', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    let dropped = 0;
    for (let i = 0; i < 10_000; i++) {
      const x = shouldDrop(30, a);
      expect(shouldDrop(30, b)).toBe(x);
      if (x) dropped++;
    }
    expect(dropped / 10_000).toBeGreaterThan(0.27);
    expect(dropped / 10_000).toBeLessThan(0.33);
    expect(shouldDrop(0, () => 0)).toBe(false);
  });
});
