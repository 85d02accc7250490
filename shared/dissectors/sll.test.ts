import { describe, expect, it } from 'vitest';
import { dissectOne, hex } from '../../tests/l2l3/support';
import { cols, layer } from '../../tests/l2l3/support-tree';

// Real frames captured with `tcpdump -i any -y LINUX_SLL` / `-y LINUX_SLL2` (tests/fixtures/l2l3).
const V1 =
  '00040001000602000077000100000800450000547ae240004001ab2a0a4d00010a4d0002080045353cbb0001ff35056b00000000ac9a060000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637';
const V2 =
  '0800000000000002000104060200007700010000450000547bbe40004001aa4e0a4d00010a4d000208003d9e3d0500010036056b00000000b0e7080000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637';

describe('sll', () => {
  it('decodes a Linux cooked v1 header', () => {
    const d = dissectOne(hex(V1), 113);
    expect(
      cols(d, 'sll.pkttype', 'sll.hatype', 'sll.halen', 'sll.src.eth', 'sll.unused', 'sll.etype'),
    ).toEqual({
      'sll.pkttype': '4',
      'sll.hatype': '1',
      'sll.halen': '6',
      'sll.src.eth': '02:00:00:77:00:01',
      'sll.unused': '0000',
      'sll.etype': '0x0800',
    });
    expect(layer(d, 'sll').summary).toBe('Linux cooked capture v1');
    expect(d.protocols).toEqual(['frame', 'sll', 'ethertype', 'ip', 'data']);
  });

  it('decodes a Linux cooked v2 header, protocol first', () => {
    const d = dissectOne(hex(V2), 276);
    expect(
      cols(d, 'sll.etype', 'sll.ifindex', 'sll.hatype', 'sll.pkttype', 'sll.halen', 'sll.src.eth'),
    ).toEqual({
      'sll.etype': '0x0800',
      'sll.ifindex': '2',
      'sll.hatype': '1',
      'sll.pkttype': '4',
      'sll.halen': '6',
      'sll.src.eth': '02:00:00:77:00:01',
    });
    expect(layer(d, 'sll').items[0].abbrev).toBe('sll.etype');
  });

  it('marks a cut header truncated and keeps the fields before the cut', () => {
    const d = dissectOne(hex(V2).slice(0, 9), 276, undefined, 104);
    expect(layer(d, 'sll').truncated).toBe(true);
    expect(cols(d, 'sll.ifindex')).toEqual({ 'sll.ifindex': '2' });
  });
});
