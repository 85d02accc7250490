import { describe, expect, it } from 'vitest';
import { Cursor } from '../dissect/cursor';
import { newPacketInfo, Session } from '../dissect/packet';
import { dissectOne, hex, l2l3Engine } from '../../tests/l2l3/support';
import { cols, layer } from '../../tests/l2l3/support-tree';

// Real frames from tests/fixtures/l2l3 (eth-ipv4.pcap frame 3; crafted.pcap frames 9, 11, 12).
const ECHO =
  '020000770002020000770001080045000054769140004001af7b0a4d00010a4d00020800d59d3ae50001fa35056b000000001a080f0000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637';
const UNKNOWN_PROTO =
  '0200007700020200007700010800450000281234400040fd13090a4d00010a4d00026578706572696d656e74616c207061796c6f6164';
const OPTIONS =
  '02000077000202000077000108004e0000441234400040116ea40a4d00010a4d00029404000001820bf13500000000000000830b040a0101010a0202028804123400000000009c410009000c00006f707473';
const UNKNOWN_OPT =
  '020000770002020000770001080046000021123440004011dead0a4d00010a4d00021e0401029c4200090009000078';

describe('ip', () => {
  it('decodes the header as tshark prints it', () => {
    const d = dissectOne(hex(ECHO), 1);
    expect(
      cols(
        d,
        'ip.version',
        'ip.hdr_len',
        'ip.dsfield',
        'ip.dsfield.dscp',
        'ip.len',
        'ip.id',
        'ip.flags',
        'ip.flags.df',
        'ip.frag_offset',
        'ip.ttl',
        'ip.proto',
        'ip.checksum',
        'ip.checksum.status',
        'ip.src',
        'ip.dst',
        'ip.addr',
        'ip.host',
      ),
    ).toEqual({
      'ip.version': '4',
      'ip.hdr_len': '20',
      'ip.dsfield': '0x00',
      'ip.dsfield.dscp': '0',
      'ip.len': '84',
      'ip.id': '0x7691',
      'ip.flags': '0x02',
      'ip.flags.df': '1',
      'ip.frag_offset': '0',
      'ip.ttl': '64',
      'ip.proto': '1',
      'ip.checksum': '0xaf7b',
      'ip.checksum.status': '2',
      'ip.src': '10.77.0.1',
      'ip.dst': '10.77.0.2',
      'ip.addr': '10.77.0.1,10.77.0.2',
      'ip.host': '10.77.0.1,10.77.0.2',
    });
    const labels = layer(d, 'ip')
      .items.filter((i) => !i.hidden)
      .map((i) => i.label);
    expect(labels).toEqual([
      '0100 .... = Version: 4',
      '.... 0101 = Header Length: 20 bytes (5)',
      'Differentiated Services Field: 0x00 (DSCP: CS0, ECN: Not-ECT)',
      'Total Length: 84',
      'Identification: 0x7691 (30353)',
      "010. .... = Flags: 0x2, Don't fragment",
      '...0 0000 0000 0000 = Fragment Offset: 0',
      'Time to Live: 64',
      'Protocol: ICMP (1)',
      'Header Checksum: 0xaf7b [validation disabled]',
      '[Header checksum status: Unverified]',
      'Source Address: 10.77.0.1',
      'Destination Address: 10.77.0.2',
    ]);
    expect(layer(d, 'ip').summary).toBe('Internet Protocol Version 4, Src: 10.77.0.1, Dst: 10.77.0.2');
    expect(layer(d, 'ip').headerLength).toBe(20);
  });

  it('fills the packet info: network addresses (views of the header bytes), columns', () => {
    const engine = l2l3Engine();
    const data = hex(ECHO);
    const r = engine.dissect(
      data,
      { number: 1, tsSec: 0, tsNsec: 0, caplen: data.length, origlen: data.length, linktype: 1, ifid: 0 },
      new Session(),
      false,
      true,
    );
    const p = engine.lastInfo!;
    expect(p.netType).toBe(4);
    expect([...p.netSrc!]).toEqual([10, 77, 0, 1]);
    expect([...p.netDst!]).toEqual([10, 77, 0, 2]);
    // No copy on the hot path: the addresses are views of the frame's IPv4 header (bytes 26-33).
    expect(p.netSrc!.buffer).toBe(data.buffer);
    expect(p.netSrc!.byteOffset - data.byteOffset).toBe(26);
    expect(p.netDst!.byteOffset - data.byteOffset).toBe(30);
    expect([r.columns.src, r.columns.dst, r.columns.protocol]).toEqual(['10.77.0.1', '10.77.0.2', 'IPv4']);
  });

  it('shows an unknown protocol the way Wireshark does', () => {
    const d = dissectOne(hex(UNKNOWN_PROTO), 1);
    expect([d.columns.protocol, d.columns.info]).toEqual(['IPv4', 'Unknown (253)']);
    expect(d.protocols).toEqual(['frame', 'eth', 'ethertype', 'ip', 'data']);
  });

  it('decodes options, and a loose source route moves ip.dst to the route end', () => {
    const d = dissectOne(hex(OPTIONS), 1);
    expect(
      cols(
        d,
        'ip.opt.type',
        'ip.opt.len',
        'ip.opt.ra',
        'ip.opt.sec_rfc791_sec',
        'ip.opt.ptr',
        'ip.src_rt',
        'ip.dst',
        'ip.cur_rt',
        'ip.opt.sid',
      ),
    ).toEqual({
      'ip.opt.type': '148,1,130,131,136,0',
      'ip.opt.len': '4,11,11,4',
      'ip.opt.ra': '0',
      'ip.opt.sec_rfc791_sec': '0xf135',
      'ip.opt.ptr': '4',
      'ip.src_rt': '10.1.1.1',
      'ip.dst': '10.2.2.2',
      'ip.cur_rt': '10.77.0.2',
      'ip.opt.sid': '4660',
    });
    const opts = layer(d, 'ip').items.find((i) => i.label.startsWith('Options:'))!;
    expect(opts.label).toBe('Options: (36 bytes), Router Alert, Security, Loose Source Route, Stream ID');
    expect(opts.children![0].label).toBe(
      'IP Option - Router Alert (4 bytes): Router shall examine packet (0)',
    );
    expect(d.columns.dst).toBe('10.2.2.2');
    expect(layer(d, 'ip').summary).toBe(
      'Internet Protocol Version 4, Src: 10.77.0.1, Dst: 10.2.2.2, Via: 10.77.0.2',
    );
  });

  it('shows an unknown option raw', () => {
    const d = dissectOne(hex(UNKNOWN_OPT), 1);
    const opts = layer(d, 'ip').items.find((i) => i.label.startsWith('Options:'))!;
    expect(opts.children!.map((c) => c.label)).toEqual(['Unknown (0x1e) (4 bytes)']);
  });

  it('notes a bogus header length and stops', () => {
    const f = hex(ECHO);
    f[14] = 0x44;
    const d = dissectOne(f, 1);
    expect(layer(d, 'ip').experts.map((e) => e.id)).toEqual(['ip.bogus_header_length']);
    expect(d.columns.info).toBe('Bogus IP header length (16, must be at least 20)');
    expect(d.protocols).toEqual(['frame', 'eth', 'ethertype', 'ip']);
  });

  it('notes a total length beyond the packet and goes on', () => {
    const f = hex(ECHO);
    f[16] = 0x01;
    const d = dissectOne(f, 1);
    expect(layer(d, 'ip').experts.map((e) => e.message)).toEqual([
      'IPv4 total length exceeds packet length (84 bytes)',
    ]);
    expect(d.protocols).toEqual(['frame', 'eth', 'ethertype', 'ip', 'data']);
  });

  it('takes a zero total length as TSO: the packet length stands in', () => {
    const f = hex(ECHO);
    f[16] = 0;
    f[17] = 0;
    expect(cols(dissectOne(f, 1), 'ip.len')).toEqual({ 'ip.len': '84' });
  });

  it('is truncated, keeping the source address, when the capture cuts the destination', () => {
    const d = dissectOne(hex(ECHO).slice(0, 14 + 18), 1, undefined, 98);
    expect(layer(d, 'ip').truncated).toBe(true);
    expect(cols(d, 'ip.src', 'ip.dst')).toEqual({ 'ip.src': '10.77.0.1', 'ip.dst': '' });
    expect(d.columns.src).toBe('10.77.0.1');
  });

  it('inside an ICMP error, leaves the outer addresses and columns alone', () => {
    const engine = l2l3Engine();
    const data = hex(ECHO).slice(14);
    const session = new Session();
    const p = newPacketInfo(
      { number: 1, tsSec: 0, tsNsec: 0, caplen: data.length, origlen: data.length, linktype: 228, ifid: 0 },
      session,
      true,
      true,
    );
    p.netType = 4;
    p.netSrc = Uint8Array.from([192, 0, 2, 1]);
    p.columns.src = '192.0.2.1';
    p.inError = true;
    const ipd = engine.dissector('ip')!;
    const c = new Cursor(data, 0, data.length, true);
    ipd.dissect(c, p);
    expect([...p.netSrc]).toEqual([192, 0, 2, 1]);
    expect(p.columns.src).toBe('192.0.2.1');
    expect(c.items.find((i) => i.abbrev === 'ip.src')?.value).toEqual(Uint8Array.from([10, 77, 0, 1]));
  });
});
