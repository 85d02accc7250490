// The encapsulation animation's model on real packets: which headers each TCP/IP layer adds and
// how many bytes, checked against the frames' own sizes, and where a step's packet is over time.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dissectFile } from '../support/dissect-file';
import { encapsulate, headersAt, phaseAt } from '../../renderer/views/sequence/encapsulation';

const fx = join(import.meta.dirname, '../fixtures');

describe('encapsulation of a real packet', () => {
  const { frames } = dissectFile(join(fx, 'captures/lo-http4.pcap'), { tree: true, cols: true });
  // lo-http4 frame 4: the GET, 86 bytes of HTTP in one segment (Ethernet on loopback).
  const get = frames[3];

  it('gives each layer its header with the real size, and the data what is left', () => {
    const e = encapsulate(get, 152);
    expect(e.headers.map((h) => [h.tcpip, h.protos.join('+'), h.bytes])).toEqual([
      ['transport', 'TCP', 32],
      ['internet', 'IPv4', 20],
      ['link', 'Ethernet', 14],
    ]);
    expect(e.data).toBe(86);
    expect(e.dataProtos).toEqual(['HTTP']);
    expect(e.data + e.headers.reduce((a, h) => a + h.bytes, 0)).toBe(e.total);
  });

  it('a bare ACK carries no data', () => {
    const ack = encapsulate(frames[2], 66);
    expect(ack.data).toBe(0);
    expect(ack.headers.map((h) => h.bytes)).toEqual([32, 20, 14]);
  });

  it('a DNS query over UDP', () => {
    const dns = dissectFile(join(fx, 'dns/dns-udp.pcap'), { tree: true, cols: true }).frames[0];
    const e = encapsulate(dns, dns.layers[0].length);
    expect(e.headers.map((h) => [h.protos.join('+'), h.bytes])).toEqual([
      ['UDP', 8],
      ['IPv4', 20],
      ['Ethernet', 14],
    ]);
    expect(e.dataProtos).toEqual(['DNS']);
    expect(e.data).toBe(dns.layers[0].length - 42);
  });

  it('down the sender, across the wire, up the receiver', () => {
    expect(phaseAt(0)).toEqual({ side: 'sender', level: 0, t: 0 });
    expect(phaseAt(0.21)).toMatchObject({ side: 'sender', level: 2 });
    expect(phaseAt(0.5)).toMatchObject({ side: 'wire' });
    expect(phaseAt(0.6)).toMatchObject({ side: 'receiver', level: 3 });
    expect(phaseAt(0.999)).toMatchObject({ side: 'receiver', level: 0 });
    const e = encapsulate(get, 152);
    expect(headersAt(e, 0)).toEqual([]);
    expect(headersAt(e, 1).map((h) => h.tcpip)).toEqual(['transport']);
    expect(headersAt(e, 3)).toHaveLength(3);
  });
});
