import { describe, expect, it } from 'vitest';
import { dissectOne, hex } from '../../tests/l2l3/support';
import { cols, layer } from '../../tests/l2l3/support-tree';

const IPV4 = '45000054769140004001af7b0a4d00010a4d00020800d59d3ae50001fa35056b000000001a080f0000000000';
const IPV6 =
  '6000000000203afffd770000000000000000000000000001ff0200000000000000000001ff00000287007c3200000000fd7700000000000000000000000000020101020000770001';

describe('raw', () => {
  it('dispatches by the version nibble on LINKTYPE_RAW', () => {
    expect(dissectOne(hex(IPV4), 101).protocols.slice(0, 3)).toEqual(['frame', 'raw', 'ip']);
    expect(dissectOne(hex(IPV6), 101).protocols.slice(0, 3)).toEqual(['frame', 'raw', 'ipv6']);
    expect(dissectOne(hex('1234' + IPV4), 101).protocols).toEqual(['frame', 'raw', 'data']);
  });

  it('goes straight to ip / ipv6 for LINKTYPE_IPV4 / LINKTYPE_IPV6, as Wireshark', () => {
    expect(dissectOne(hex(IPV4), 228).protocols.slice(0, 2)).toEqual(['frame', 'ip']);
    expect(dissectOne(hex(IPV6), 229).protocols.slice(0, 2)).toEqual(['frame', 'ipv6']);
    const v6inV4 = dissectOne(hex(IPV6), 228);
    expect(v6inV4.protocols.slice(0, 3)).toEqual(['frame', 'ip', 'ipv6']);
    expect(cols(v6inV4, 'ipv6.src')).toEqual({ 'ipv6.src': 'fd77::1' });
  });

  it('is truncated, not broken, on a one-byte capture of a long packet', () => {
    const d = dissectOne(hex('45'), 101, undefined, 262144);
    expect(layer(d, 'raw').truncated).toBe(true);
    expect([d.columns.protocol, d.columns.info]).toEqual([
      'N/A',
      'Raw packet data[Packet size limited during capture]',
    ]);
  });
});
