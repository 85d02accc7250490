import { describe, expect, it } from 'vitest';
import { dissectOne, hex } from '../../tests/l2l3/support';
import { cols } from '../../tests/l2l3/support-tree';
import { nullFamily } from './null';

// tests/fixtures/l2l3/relink.py re-encapsulates real IPv4/IPv6 frames with BSD loopback headers.
const IPV4 = '45000054769140004001af7b0a4d00010a4d00020800d59d3ae50001fa35056b000000001a080f0000000000';
const IPV6_LOOP =
  '0000001c6000000000203afffd770000000000000000000000000001ff0200000000000000000001ff00000287007c3200000000fd7700000000000000000000000000020101020000770001';

describe('null', () => {
  it('reads the family in either byte order, as a little-endian Wireshark does', () => {
    expect(nullFamily(0x00000002)).toBe(2);
    expect(nullFamily(0x02000000)).toBe(2);
    expect(nullFamily(0x0000001c)).toBe(28);
    expect(nullFamily(0x1e000000)).toBe(30);
    // IRIX / UNICOS/mp: a 16-bit family in the first two bytes.
    expect(nullFamily(0x00020000)).toBe(2);
    expect(nullFamily(0x00000200)).toBe(2);
  });

  it('dispatches LINKTYPE_NULL by family, little- and big-endian', () => {
    for (const h of ['02000000', '00000002']) {
      const d = dissectOne(hex(h + IPV4), 0);
      expect(d.protocols.slice(0, 3)).toEqual(['frame', 'null', 'ip']);
      expect(cols(d, 'null.family', 'ip.src')).toEqual({ 'null.family': '2', 'ip.src': '10.77.0.1' });
    }
  });

  it('reads LINKTYPE_LOOP in network byte order', () => {
    const d = dissectOne(hex(IPV6_LOOP), 108);
    expect(cols(d, 'null.family', 'ipv6.src')).toEqual({ 'null.family': '28', 'ipv6.src': 'fd77::1' });
  });

  it('takes a value above 1500 as an EtherType', () => {
    const d = dissectOne(hex('00000800' + IPV4), 108);
    expect(cols(d, 'null.type', 'null.family')).toEqual({ 'null.type': '0x0800', 'null.family': '' });
    expect(d.protocols.slice(0, 4)).toEqual(['frame', 'null', 'ethertype', 'ip']);
  });
});
