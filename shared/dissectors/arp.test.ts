import { describe, expect, it } from 'vitest';
import { Session, type FrameMeta } from '../dissect/packet';
import { dissectOne, hex, l2l3Engine } from '../../tests/l2l3/support';
import { cols, item, layer } from '../../tests/l2l3/support-tree';

// Real request and reply captured on a veth pair (tests/fixtures/l2l3/eth-ipv4.pcap, frames 1-2).
const REQUEST = 'ffffffffffff020000770001080600010800060400010200007700010a4d00010000000000000a4d0002';
const REPLY = '020000770001020000770002080600010800060400020200007700020a4d00020200007700010a4d0001';

/** The request with sender/target protocol addresses replaced (hex, 4 bytes each). */
function variant(spa: string, tpa: string, tha = '000000000000'): Uint8Array {
  const f = hex(REQUEST);
  f.set(hex(spa), 28);
  f.set(hex(tha), 32);
  f.set(hex(tpa), 38);
  return f;
}

describe('arp', () => {
  it('decodes a request with Wireshark Info', () => {
    const d = dissectOne(hex(REQUEST), 1);
    expect(
      cols(
        d,
        'arp.hw.type',
        'arp.proto.type',
        'arp.hw.size',
        'arp.proto.size',
        'arp.opcode',
        'arp.src.hw_mac',
        'arp.src.proto_ipv4',
        'arp.dst.hw_mac',
        'arp.dst.proto_ipv4',
      ),
    ).toEqual({
      'arp.hw.type': '1',
      'arp.proto.type': '0x0800',
      'arp.hw.size': '6',
      'arp.proto.size': '4',
      'arp.opcode': '1',
      'arp.src.hw_mac': '02:00:00:77:00:01',
      'arp.src.proto_ipv4': '10.77.0.1',
      'arp.dst.hw_mac': '00:00:00:00:00:00',
      'arp.dst.proto_ipv4': '10.77.0.2',
    });
    expect([d.columns.protocol, d.columns.info]).toEqual(['ARP', 'Who has 10.77.0.2? Tell 10.77.0.1']);
    expect(layer(d, 'arp').summary).toBe('Address Resolution Protocol (request)');
    expect(item(d, 'arp.opcode').label).toBe('Opcode: request (1)');
  });

  it('says who is at which MAC for a reply', () => {
    expect(dissectOne(hex(REPLY), 1).columns.info).toBe('10.77.0.2 is at 02:00:00:77:00:02');
  });

  it('recognises gratuitous ARP, probes and announcements (RFC 5227)', () => {
    const probe = dissectOne(variant('00000000', '0a4d0002'), 1);
    expect(probe.columns.info).toBe('Who has 10.77.0.2? (ARP Probe)');
    expect(cols(probe, 'arp.isprobe')).toEqual({ 'arp.isprobe': '1' });
    const announce = dissectOne(variant('0a4d0001', '0a4d0001'), 1);
    expect(announce.columns.info).toBe('ARP Announcement for 10.77.0.1');
    expect(cols(announce, 'arp.isgratuitous', 'arp.isannouncement')).toEqual({
      'arp.isgratuitous': '1',
      'arp.isannouncement': '1',
    });
    const grat = dissectOne(variant('0a4d0001', '0a4d0001', 'ffffffffffff'), 1);
    expect(grat.columns.info).toBe('Gratuitous ARP for 10.77.0.1 (Request)');
  });

  it('notices an address used by two MACs across frames, on the first pass and after', () => {
    const engine = l2l3Engine();
    const s = new Session();
    const meta = (n: number): FrameMeta => ({
      number: n,
      tsSec: 100 + n,
      tsNsec: 0,
      caplen: 42,
      origlen: 42,
      linktype: 1,
      ifid: 0,
    });
    const other = hex(REQUEST);
    other.set(hex('020000770099'), 6);
    other.set(hex('020000770099'), 22);
    const frames = [hex(REQUEST), other];
    frames.forEach((f, i) => engine.dissect(f, meta(i + 1), s, false, false));
    s.lastVisited = 2;
    const first = engine.dissect(frames[0], meta(1), s, true, true);
    const second = engine.dissect(frames[1], meta(2), s, true, true);
    expect(first.columns.info).toBe('Who has 10.77.0.2? Tell 10.77.0.1');
    expect(second.columns.info).toBe(
      'Who has 10.77.0.2? Tell 10.77.0.1 (duplicate use of 10.77.0.1 detected!)',
    );
    expect(cols(second, 'arp.duplicate-address-frame')).toEqual({ 'arp.duplicate-address-frame': '1' });
  });

  it('is malformed, with the fixed part kept, when the sizes claim more than the frame holds', () => {
    const f = hex(REQUEST);
    f[19] = 36;
    const d = dissectOne(f, 1);
    expect(layer(d, 'arp').malformed).toBe(true);
    expect(cols(d, 'arp.proto.size', 'arp.src.hw_mac')).toEqual({
      'arp.proto.size': '36',
      'arp.src.hw_mac': '',
    });
    expect([d.columns.protocol, d.columns.info]).toEqual(['ARP', '[Malformed Packet]']);
  });
});
