import { describe, expect, it } from 'vitest';
import { TAP_MSS_V4, TcpFlow, parseIp, tcpSegment, udpDatagram, type Endpoint } from './tap-packets';

const v4 = (port: number): Endpoint => ({ addr: parseIp('127.0.0.1'), port });

/** RFC 1071 verification: the one's-complement sum over the covered bytes is 0xffff. */
function verifies(bytes: Uint8Array, pseudo?: Uint8Array): boolean {
  let s = 0;
  for (const b of pseudo ? [pseudo, bytes] : [bytes])
    for (let i = 0; i < b.length; i += 2) s += (b[i] << 8) | (b[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s === 0xffff;
}

function pseudo4(ip: Uint8Array): Uint8Array {
  const len = ip.length - 20;
  return Uint8Array.of(...ip.subarray(12, 20), 0, ip[9], len >> 8, len & 0xff);
}

describe('parseIp', () => {
  it.each([
    ['127.0.0.1', [127, 0, 0, 1]],
    ['::ffff:127.0.0.1', [127, 0, 0, 1]],
    ['::1', [...Array(15).fill(0), 1]],
    ['fe80::1%lo', [0xfe, 0x80, ...Array(13).fill(0), 1]],
    ['2001:db8::8:800:200c:417a', [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 8, 8, 0, 0x20, 0x0c, 0x41, 0x7a]],
    ['1:2:3:4:5:6:7:8', [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]],
    ['64:ff9b::192.0.2.33', [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, 192, 0, 2, 33]],
  ])('%s', (text, bytes) => {
    expect([...parseIp(text)]).toEqual(bytes);
  });

  it.each(['1.2.3.256', 'a::b::c', '1:2:3', '12345::', 'localhost', '1:2:3:4:5:6:7:8:9'])(
    'rejects %s',
    (text) => {
      expect(() => parseIp(text)).toThrow(/not an/);
    },
  );
});

describe('tcpSegment / udpDatagram', () => {
  it('a SYN with MSS: IPv4 and TCP fields in place, both checksums verify', () => {
    const p = tcpSegment({
      src: v4(40000),
      dst: v4(80),
      seq: 0xfffffffe,
      ack: 0,
      flags: 0x02,
      window: 65535,
      ipId: 7,
      mss: 1460,
    });
    expect(p.length).toBe(44);
    const dv = new DataView(p.buffer);
    expect([p[0], dv.getUint16(2), dv.getUint16(4), dv.getUint16(6), p[8], p[9]]).toEqual([
      0x45, 44, 7, 0x4000, 64, 6,
    ]);
    expect([
      dv.getUint16(20),
      dv.getUint16(22),
      dv.getUint32(24),
      dv.getUint32(28),
      p[32],
      p[33],
      dv.getUint16(34),
    ]).toEqual([40000, 80, 0xfffffffe, 0, 0x60, 0x02, 65535]);
    expect([...p.subarray(40, 44)]).toEqual([2, 4, 0x05, 0xb4]);
    expect(verifies(p.subarray(0, 20))).toBe(true);
    expect(verifies(p.subarray(20), pseudo4(p))).toBe(true);
  });

  it('a known packet, byte for byte (ACK with "hi", checksums worked by hand)', () => {
    const p = tcpSegment({
      src: v4(1),
      dst: v4(2),
      seq: 1,
      ack: 1,
      flags: 0x18,
      window: 0x1000,
      ipId: 0,
      payload: Uint8Array.of(0x68, 0x69),
    });
    // IP sum: 4500+002a+0000+4000+4006+7f00+0001+7f00+0001 = 0x1c332 → 0xc333 → ~ = 0x3ccc.
    expect(new DataView(p.buffer).getUint16(10)).toBe(0x3ccc);
    // TCP sum: pseudo 7f00+0001+7f00+0001+0006+0016 = 0xfe1e; header 0001+0002+0000+0001+0000+0001
    // +5018+1000 = 0x601d; payload 6869. Total 0x1c6a4 → 0xc6a5 → ~ = 0x395a.
    expect(new DataView(p.buffer).getUint16(36)).toBe(0x395a);
  });

  it('UDP: length and checksum; a computed zero is sent as 0xffff', () => {
    const d = udpDatagram({ src: v4(5353), dst: v4(53), ipId: 1, payload: Uint8Array.of(1, 2, 3) });
    expect(new DataView(d.buffer).getUint16(24)).toBe(11);
    expect(verifies(d.subarray(20), pseudo4(d))).toBe(true);
    // Find a 2-byte payload whose checksum works out to zero.
    let zero: Uint8Array | undefined;
    for (let v = 0; v < 0x10000 && !zero; v++) {
      const payload = Uint8Array.of(v >> 8, v & 0xff);
      const x = udpDatagram({ src: v4(1), dst: v4(2), ipId: 0, payload });
      if (new DataView(x.buffer).getUint16(26) === 0xffff) zero = x;
    }
    expect(zero).toBeDefined();
    expect(verifies(zero!.subarray(20), pseudo4(zero!))).toBe(true);
  });

  it('IPv6: payload length, next header, hop limit, no IP checksum; mixed versions refused', () => {
    const a = { addr: parseIp('::1'), port: 1 };
    const p = udpDatagram({ src: a, dst: a, ipId: 0, payload: new Uint8Array(10) });
    expect([p[0] >> 4, new DataView(p.buffer).getUint16(4), p[6], p[7], p.length]).toEqual([
      6, 18, 17, 64, 58,
    ]);
    expect(() => udpDatagram({ src: a, dst: v4(1), ipId: 0, payload: new Uint8Array(0) })).toThrow(
      /different IP versions/,
    );
  });

  it('an IPv4 packet over 65535 bytes is refused, not truncated', () => {
    expect(() => udpDatagram({ src: v4(1), dst: v4(2), ipId: 0, payload: new Uint8Array(65508) })).toThrow(
      RangeError,
    );
    expect(udpDatagram({ src: v4(1), dst: v4(2), ipId: 0, payload: new Uint8Array(65507) }).length).toBe(
      65535,
    );
  });
});

function flowOf(isn: [number, number] = [1000, 5000]) {
  const out: Uint8Array[] = [];
  const flow = new TcpFlow({
    client: v4(40000),
    server: v4(80),
    isn,
    ipId: () => 0,
    out: (p) => out.push(p),
  });
  const seg = (p: Uint8Array) => {
    const dv = new DataView(p.buffer);
    return {
      sport: dv.getUint16(20),
      seq: dv.getUint32(24),
      ack: dv.getUint32(28),
      flags: p[33],
      len: p.length - 20 - (p[32] >> 4) * 4,
    };
  };
  return { flow, out, segs: () => out.map(seg) };
}

describe('TcpFlow', () => {
  it('refused: SYN then RST+ACK acknowledging the SYN', () => {
    const { flow, segs } = flowOf();
    flow.syn();
    flow.refused();
    flow.data(0, new Uint8Array(3));
    expect(segs()).toEqual([
      { sport: 40000, seq: 1000, ack: 0, flags: 0x02, len: 0 },
      { sport: 80, seq: 0, ack: 1001, flags: 0x14, len: 0 },
    ]);
    expect(flow.finished).toBe(true);
  });

  it('bytes read before the upstream connects go out after the handshake', () => {
    const { flow, segs } = flowOf();
    flow.syn();
    flow.data(0, Uint8Array.of(1, 2, 3));
    flow.connected();
    flow.handed(0, 3);
    expect(segs().map((s) => [s.sport, s.flags, s.seq, s.ack, s.len])).toEqual([
      [40000, 0x02, 1000, 0, 0],
      [80, 0x12, 5000, 1001, 0],
      [40000, 0x10, 1001, 5001, 0],
      [40000, 0x18, 1001, 5001, 3],
      [80, 0x10, 5001, 1004, 0],
    ]);
  });

  it('a payload larger than the window waits for acknowledgements; sequence numbers wrap', () => {
    const { flow, segs } = flowOf([0xffffff00, 1]);
    flow.syn();
    flow.connected();
    flow.data(0, new Uint8Array(100_000));
    const first = segs().filter((s) => s.len);
    const sent = first.reduce((n, s) => n + s.len, 0);
    expect(sent).toBeLessThan(65535);
    expect(sent).toBeGreaterThan(65535 - TAP_MSS_V4);
    flow.handed(0, 100_000);
    const data = segs().filter((s) => s.len);
    expect(data.reduce((n, s) => n + s.len, 0)).toBe(100_000);
    expect(data.at(-1)!.flags).toBe(0x18);
    expect(data.slice(0, -1).every((s) => s.flags === 0x10)).toBe(true);
    expect(segs().at(-1)).toMatchObject({ sport: 80, flags: 0x10, ack: (0xffffff00 + 1 + 100_000) >>> 0 });
  });

  it('simultaneous close: both FINs, each acknowledged once, finished', () => {
    const { flow, segs } = flowOf();
    flow.syn();
    flow.connected();
    flow.fin(0);
    flow.fin(1);
    expect(flow.finished).toBe(false);
    flow.finHanded(0);
    flow.finHanded(1);
    expect(flow.finished).toBe(true);
    expect(
      segs()
        .slice(3)
        .map((s) => [s.sport, s.flags, s.seq, s.ack]),
    ).toEqual([
      [40000, 0x11, 1001, 5001],
      [80, 0x11, 5001, 1001],
      [80, 0x10, 5002, 1002],
      [40000, 0x10, 1002, 5002],
    ]);
  });

  it('reset: RST+ACK from the side that reset, then nothing more', () => {
    const { flow, segs } = flowOf();
    flow.syn();
    flow.connected();
    flow.data(1, Uint8Array.of(9));
    flow.reset(0);
    flow.handed(1, 1);
    flow.fin(0);
    expect(
      segs()
        .slice(3)
        .map((s) => [s.sport, s.flags, s.seq, s.ack]),
    ).toEqual([
      [80, 0x18, 5001, 1001],
      [40000, 0x14, 1001, 5001],
    ]);
    expect(flow.finished).toBe(true);
  });

  it('a client that gives up before the upstream answers: plain RST with its next seq', () => {
    const { flow, segs } = flowOf();
    flow.syn();
    flow.reset(0);
    expect(segs()[1]).toEqual({ sport: 40000, seq: 1001, ack: 0, flags: 0x04, len: 0 });
  });
});
