import { describe, expect, it } from 'vitest';
import { dissectOne, hex } from '../../tests/l2l3/support';
import { cols, item, layer } from '../../tests/l2l3/support-tree';

// Frames sent by tests/fixtures/l2l3/craft.py over a veth pair and captured by tcpdump.
const DOT1Q =
  '0200007700020200007700018100a06408004500002a1234400040014c020a4d64010a4d64020800ac11424200017769726573636f70652d766c616e';
const QINQ =
  '02000077000202000077000188a870c88100012c08004500002a1234400040014c020a4d64010a4d64020800ac11424200017769726573636f70652d766c616e';
const LEN_LLC = '02000077000202000077000181000007000742420300000000';

describe('vlan', () => {
  it('decodes an 802.1Q tag', () => {
    const d = dissectOne(hex(DOT1Q), 1);
    expect(cols(d, 'vlan.priority', 'vlan.dei', 'vlan.id', 'vlan.etype')).toEqual({
      'vlan.priority': '5',
      'vlan.dei': '0',
      'vlan.id': '100',
      'vlan.etype': '0x0800',
    });
    expect(item(d, 'vlan.priority').label).toBe(
      '101. .... .... .... = Priority: Voice, < 10ms latency and jitter (5)',
    );
    expect(item(d, 'vlan.dei').label).toBe('...0 .... .... .... = DEI: Ineligible');
    expect(layer(d, 'vlan').summary).toBe('802.1Q Virtual LAN, PRI: 5, DEI: 0, ID: 100');
    expect(d.protocols).toEqual(['frame', 'eth', 'ethertype', 'vlan', 'ethertype', 'ip', 'data']);
  });

  it('decodes QinQ: an 802.1ad service tag over a customer tag', () => {
    const d = dissectOne(hex(QINQ), 1);
    expect(d.protocols.slice(0, 6)).toEqual(['frame', 'eth', 'ethertype', 'ieee8021ad', 'ethertype', 'vlan']);
    expect(
      cols(d, 'ieee8021ad.priority', 'ieee8021ad.dei', 'ieee8021ad.id', 'ieee8021ah.etype', 'vlan.id'),
    ).toEqual({
      'ieee8021ad.priority': '3',
      'ieee8021ad.dei': '1',
      'ieee8021ad.id': '200',
      'ieee8021ah.etype': '0x8100',
      'vlan.id': '300',
    });
    expect(layer(d, 'ieee8021ad').summary).toBe('IEEE 802.1ad, ID: 200');
  });

  it('follows an 802.3 length inside a tag to LLC', () => {
    const d = dissectOne(hex(LEN_LLC), 1);
    expect(cols(d, 'vlan.len', 'llc.dsap', 'llc.ssap')).toEqual({
      'vlan.len': '7',
      'llc.dsap': '0x42',
      'llc.ssap': '0x42',
    });
  });

  it('stops nesting after 20 tags with a note, instead of recursing on', () => {
    const head = hex('020000770002020000770001');
    const tag = hex('8100000a');
    const f = new Uint8Array(head.length + 30 * 4 + 2 + 20);
    f.set(head);
    for (let i = 0; i < 30; i++) f.set(tag, 12 + 4 * i);
    f.set([0x08, 0x00], 12 + 120);
    const d = dissectOne(f, 1);
    const tags = d.layers.filter((l) => l.proto === 'vlan');
    expect(tags.length).toBe(21);
    expect(tags[20].experts.map((e) => e.id)).toEqual(['vlan.too_many_tags']);
  });

  it('keeps the tag it read when the frame ends inside the next', () => {
    const d = dissectOne(hex(DOT1Q).slice(0, 17), 1);
    expect(layer(d, 'vlan').malformed).toBe(true);
    expect(cols(d, 'vlan.id')).toEqual({ 'vlan.id': '100' });
  });
});
