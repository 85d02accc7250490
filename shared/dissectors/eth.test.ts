import { describe, expect, it } from 'vitest';
import { dissectOne, hex } from '../../tests/l2l3/support';
import { cols, item, layer } from '../../tests/l2l3/support-tree';

// Real frames captured on a veth pair by tests/fixtures/l2l3/make.sh (hex of the wire bytes).
const ARP_REQUEST = 'ffffffffffff020000770001080600010800060400010200007700010a4d00010000000000000a4d0002';
const ICMP_ECHO =
  '020000770002020000770001080045000054769140004001af7b0a4d00010a4d00020800d59d3ae50001fa35056b000000001a080f0000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637';
const SNAP_8023 =
  '0200007700020200007700010032aaaa0300000008004500002a1234400040014c020a4d64010a4d64020800ac11424200017769726573636f70652d766c616e';
const TRAILER =
  '02000077000202000077000108004500001d12344000401114000a4d00010a4d00029c400009000900007800000000000000000000545241494c455221';

describe('eth', () => {
  it('decodes addresses, their LG/IG bits and the type, as tshark prints them', () => {
    const d = dissectOne(hex(ARP_REQUEST), 1);
    expect(
      cols(
        d,
        'eth.dst',
        'eth.src',
        'eth.addr',
        'eth.dst.ig',
        'eth.src.ig',
        'eth.dst.lg',
        'eth.lg',
        'eth.ig',
        'eth.type',
      ),
    ).toEqual({
      'eth.dst': 'ff:ff:ff:ff:ff:ff',
      'eth.src': '02:00:00:77:00:01',
      'eth.addr': 'ff:ff:ff:ff:ff:ff,02:00:00:77:00:01',
      'eth.dst.ig': '1',
      'eth.src.ig': '0',
      'eth.dst.lg': '1',
      'eth.lg': '1,1',
      'eth.ig': '1,0',
      'eth.type': '0x0806',
    });
    expect(item(d, 'eth.type').label).toBe('Type: ARP (0x0806)');
    expect(item(d, 'eth.dst.ig').label).toBe(
      '.... ...1 .... .... .... .... = IG bit: Group address (multicast/broadcast)',
    );
    expect(item(d, 'eth.lg').hidden).toBe(true);
    expect(d.protocols).toEqual(['frame', 'eth', 'ethertype', 'arp']);
    expect(layer(d, 'eth').summary).toBe('Ethernet II, Src: 02:00:00:77:00:01, Dst: ff:ff:ff:ff:ff:ff');
    expect([d.columns.src, d.columns.dst]).toEqual(['02:00:00:77:00:01', 'ff:ff:ff:ff:ff:ff']);
  });

  it('pads a short frame with zeros up to 60 bytes as eth.padding', () => {
    const frame = new Uint8Array(60);
    frame.set(hex(ARP_REQUEST));
    const d = dissectOne(frame, 1);
    const pad = item(d, 'eth.padding');
    expect([pad.offset, pad.length]).toEqual([42, 18]);
    expect(cols(d, 'eth.trailer', 'eth.fcs')).toEqual({ 'eth.trailer': '', 'eth.fcs': '' });
  });

  it('shows non-zero bytes after the IP packet as a trailer, with Wireshark note', () => {
    const d = dissectOne(hex(TRAILER), 1);
    expect(cols(d, 'eth.trailer', 'eth.padding')).toEqual({
      'eth.trailer': '00000000000000000000545241494c455221',
      'eth.padding': '',
    });
    expect(layer(d, 'eth').experts.map((e) => e.id)).toEqual(['eth.padding_bad']);
  });

  it('takes the last 4 bytes as an FCS when a 64+ byte frame has a trailer of 4 or more', () => {
    const frame = new Uint8Array(98 + 4);
    frame.set(hex(ICMP_ECHO));
    frame.set([0xde, 0xad, 0xbe, 0xef], 98);
    const d = dissectOne(frame, 1);
    expect(cols(d, 'eth.fcs', 'eth.fcs.status', 'eth.trailer')).toEqual({
      'eth.fcs': '0xdeadbeef',
      'eth.fcs.status': '2',
      'eth.trailer': '',
    });
  });

  it('reads an 802.3 length frame as LLC with SNAP carrying IPv4', () => {
    const d = dissectOne(hex(SNAP_8023), 1);
    expect(d.protocols).toEqual(['frame', 'eth', 'llc', 'ip', 'data']);
    expect(cols(d, 'eth.len', 'llc.dsap', 'llc.ssap', 'llc.control', 'llc.oui', 'llc.type')).toEqual({
      'eth.len': '50',
      'llc.dsap': '0xaa',
      'llc.ssap': '0xaa',
      'llc.control': '0x0003',
      'llc.oui': '0',
      'llc.type': '0x0800',
    });
    expect(item(d, 'llc.control').label).toBe('Control field: U, func=UI (0x03)');
  });

  it('keeps what it read of a cut header: truncated, not malformed, never a throw', () => {
    const full = hex(ICMP_ECHO);
    const d = dissectOne(full.slice(0, 10), 1, undefined, full.length);
    const eth = layer(d, 'eth');
    expect(eth.truncated).toBe(true);
    expect(eth.malformed).toBe(false);
    expect(d.columns.info).toBe('[Packet size limited during capture]');
  });

  it('calls a frame shorter than its own header malformed when nothing more was sent', () => {
    const d = dissectOne(hex(ICMP_ECHO).slice(0, 13), 1);
    expect(layer(d, 'eth').malformed).toBe(true);
    expect(d.columns.protocol).toBe('Ethernet');
    expect(d.columns.info).toBe('[Malformed Packet]');
  });

  it('names an EtherType nobody dissects in the Protocol column, as Wireshark does', () => {
    const f = hex(ICMP_ECHO);
    f[12] = 0x88;
    f[13] = 0xb5;
    const d = dissectOne(f, 1);
    expect([d.columns.protocol, d.columns.info]).toEqual(['0x88b5', 'Local Experimental Ethertype 1']);
    expect(d.protocols).toEqual(['frame', 'eth', 'ethertype', 'data']);
  });
});
