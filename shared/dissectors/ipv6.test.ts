import { describe, expect, it } from 'vitest';
import { dissectOne, hex } from '../../tests/l2l3/support';
import { cols, item, layer } from '../../tests/l2l3/support-tree';

// Real frames: crafted.pcap 13-14 (extension header chains sent over a veth pair) and an MLD report
// with a hop-by-hop router alert (eth-ipv6.pcap 14).
const CHAIN =
  '02000077000202000077000186dd6b812345003b0040fd770000000000000000000000000001fd7700000000000000000000000000023c000502000001002b01000103c901ab01020000000000001102020100000000fd7700000000000000000000000000999c430009000b0000657874';
const SRH =
  '02000077000202000077000186dd6000000000282b40fd770000000000000000000000000001fd7700000000000000000000000000033b04040101000000fd770000000000000000000000000002fd770000000000000000000000000003';
const MLD =
  '33330000001602000077000186dd6000000000380001fe80000000000000000000fffe770001ff0200000000000000000000000000163a000502000001008f006efe0000000204000000ff0200000000000000000001ff77000104000000ff0200000000000000000001ff000001';

describe('ipv6', () => {
  it('decodes the fixed header as tshark prints it', () => {
    const d = dissectOne(hex(CHAIN), 1);
    expect(
      cols(
        d,
        'ipv6.version',
        'ipv6.tclass',
        'ipv6.tclass.dscp',
        'ipv6.tclass.ecn',
        'ipv6.flow',
        'ipv6.plen',
        'ipv6.nxt',
        'ipv6.hlim',
        'ipv6.src',
        'ipv6.dst',
        'ipv6.addr',
        'ip.version',
      ),
    ).toEqual({
      'ipv6.version': '6',
      'ipv6.tclass': '0x000000b8',
      'ipv6.tclass.dscp': '46',
      'ipv6.tclass.ecn': '0',
      'ipv6.flow': '0x012345',
      'ipv6.plen': '59',
      'ipv6.nxt': '0',
      'ipv6.hlim': '64',
      'ipv6.src': 'fd77::1',
      'ipv6.dst': 'fd77::2',
      'ipv6.addr': 'fd77::1,fd77::2',
      'ip.version': '6',
    });
    expect(item(d, 'ipv6.tclass').label).toBe(
      '.... 1011 1000 .... .... .... .... .... = Traffic Class: 0xb8 (DSCP: EF PHB, ECN: Not-ECT)',
    );
    expect(item(d, 'ipv6.flow').label).toBe('.... 0001 0010 0011 0100 0101 = Flow Label: 0x12345');
  });

  it('walks hop-by-hop, destination options and a type 2 routing header to UDP', () => {
    const d = dissectOne(hex(CHAIN), 1);
    expect(d.protocols).toEqual([
      'frame',
      'eth',
      'ethertype',
      'ipv6',
      'ipv6.hopopts',
      'ipv6.dstopts',
      'ipv6.routing',
      'data',
    ]);
    expect(
      cols(
        d,
        'ipv6.hopopts.nxt',
        'ipv6.hopopts.len_oct',
        'ipv6.dstopts.len_oct',
        'ipv6.opt.type',
        'ipv6.opt.router_alert',
        'ipv6.routing.type',
        'ipv6.routing.segleft',
      ),
    ).toEqual({
      'ipv6.hopopts.nxt': '60',
      'ipv6.hopopts.len_oct': '8',
      'ipv6.dstopts.len_oct': '16',
      'ipv6.opt.type': '0x05,0x01,0x00,0x01,0x01,0x00,0x00,0x00,0x00',
      'ipv6.opt.router_alert': '0',
      'ipv6.routing.type': '2',
      'ipv6.routing.segleft': '1',
    });
    expect(layer(d, 'ipv6.routing').summary).toBe('Routing Header for IPv6 (Type 2 Routing)');
    // With segments left, the home address is where the packet is finally going.
    expect(d.columns.dst).toBe('fd77::99');
    const udp = d.layers[d.layers.length - 1];
    expect([udp.offset, udp.length]).toEqual([102, 11]);
  });

  it('lists the segments of a segment routing header and honours No Next Header', () => {
    const d = dissectOne(hex(SRH), 1);
    expect(cols(d, 'ipv6.routing.srh.addr')).toEqual({ 'ipv6.routing.srh.addr': 'fd77::2,fd77::3' });
    expect(d.protocols).toEqual(['frame', 'eth', 'ethertype', 'ipv6', 'ipv6.routing']);
    expect(d.columns.info).toBe('IPv6 no next header');
    expect(d.columns.dst).toBe('fd77::2');
  });

  it('decodes the router alert of an MLD report', () => {
    const d = dissectOne(hex(MLD), 1);
    const ra = layer(d, 'ipv6.hopopts').items.find((i) => i.label === 'Router Alert')!;
    expect(ra.children!.map((c) => c.label)).toEqual([
      'Type: Router Alert (0x05)',
      'Length: 2',
      'Router Alert: MLD (0)',
    ]);
    expect(d.columns.info).toBe('Unknown IP Protocol: ICMPv6 (58)');
  });

  it('notes a payload length beyond the frame and goes on', () => {
    const f = hex(MLD);
    f[19] = 0x80;
    const d = dissectOne(f, 1);
    expect(layer(d, 'ipv6').experts.map((e) => e.id)).toEqual(['ipv6.plen_exceeds_framing']);
    expect(d.protocols).toContain('ipv6.hopopts');
  });

  it('is malformed, keeping what it read, when the frame ends inside the header', () => {
    const d = dissectOne(hex(MLD).slice(0, 14 + 39), 1);
    expect(layer(d, 'ipv6').malformed).toBe(true);
    expect(cols(d, 'ipv6.src', 'ipv6.dst')).toEqual({ 'ipv6.src': 'fe80::ff:fe77:1', 'ipv6.dst': '' });
    expect(d.columns.info).toBe('Invalid IPv6 header (39 bytes, need exactly 40)[Malformed Packet]');
  });

  it('calls an option running past the packet malformed', () => {
    const f = hex(MLD);
    f[14 + 40 + 3] = 0x40;
    const d = dissectOne(f, 1);
    expect(layer(d, 'ipv6.hopopts').malformed).toBe(true);
  });
});
