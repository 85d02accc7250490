import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fieldColumn } from '../../shared/dissect/query';
import { Cursor } from '../../shared/dissect/cursor';
import { newPacketInfo, Session } from '../../shared/dissect/packet';
import { dissectFrames, l2l3Engine, readFrames } from '../l2l3/support';
import { FragmentTable, fragmentKey, IP_FRAG_STATE } from '../../shared/reassembly/ip-fragments';

const FIX = join(__dirname, '../../tests/fixtures/l2l3');
const bytes = (n: number, from = 0) => Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);

describe('FragmentTable', () => {
  const key = fragmentKey(4, Uint8Array.of(10, 0, 0, 1), Uint8Array.of(10, 0, 0, 2), 7, 17);
  const frag = (
    frame: number,
    offset: number,
    length: number,
    more: boolean,
    data = bytes(length, offset),
  ) => ({ frame, data, at: 0, length, offset, more, inFrame: true });

  it('completes only when every byte up to the last fragment is there, in any order', () => {
    const t = new FragmentTable();
    expect(t.add(key, frag(1, 16, 8, false))).toBeNull();
    expect(t.add(key, frag(2, 0, 8, true))).toBeNull();
    const out = t.add(key, frag(3, 8, 8, true));
    expect(out).toEqual(bytes(24));
    expect(t.datagram(1, 0)!.completedIn).toBe(3);
  });

  it('never invents a datagram with a gap or without its last fragment', () => {
    const t = new FragmentTable();
    expect(t.add(key, frag(1, 0, 8, true))).toBeNull();
    expect(t.add(key, frag(2, 16, 8, true))).toBeNull();
    expect(t.add(key, frag(3, 8, 4, true))).toBeNull();
    expect(t.datagram(3, 0)!.completedIn).toBe(0);
  });

  it('keeps the first bytes to arrive when fragments overlap, and says so', () => {
    const t = new FragmentTable();
    t.add(key, frag(1, 0, 8, true, new Uint8Array(8).fill(0xaa)));
    const out = t.add(key, frag(2, 4, 8, false, new Uint8Array(8).fill(0xbb)))!;
    expect([...out]).toEqual([0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xbb, 0xbb, 0xbb, 0xbb]);
    expect(t.datagram(2, 0)!.fragments.map((f) => f.overlap)).toEqual([false, true]);
  });

  it('keeps datagrams apart by key, and drops its copies once complete', () => {
    const t = new FragmentTable();
    const other = fragmentKey(4, Uint8Array.of(10, 0, 0, 1), Uint8Array.of(10, 0, 0, 2), 8, 17);
    t.add(key, frag(1, 0, 8, true));
    t.add(other, frag(2, 0, 8, true));
    expect(t.add(other, frag(3, 8, 8, false))).toEqual(bytes(16));
    expect(t.datagram(1, 0)!.completedIn).toBe(0);
    expect(t.datagram(3, 0)!.fragments.every((f) => f.copy === undefined)).toBe(true);
  });

  it('rebuilds a completed datagram from the frames on a later visit', () => {
    const t = new FragmentTable();
    const f1 = bytes(8);
    const f2 = bytes(8, 8);
    t.add(key, { frame: 1, data: f1, at: 0, length: 8, offset: 0, more: true, inFrame: true });
    t.add(key, { frame: 2, data: f2, at: 0, length: 8, offset: 8, more: false, inFrame: true });
    const d = t.datagram(2, 0)!;
    expect(t.rebuild(d, { frame: 2, data: f2 }, (n) => (n === 1 ? f1 : null))).toEqual(bytes(16));
    expect(t.rebuild(d, { frame: 2, data: f2 }, () => null)).toBeNull();
  });
});

describe('IP reassembly in the engine, on real captures', () => {
  it('reassembles ping -s 4000 over IPv4 once, in the last fragment, as tshark -2 shows', () => {
    const ds = dissectFrames(readFrames(join(FIX, 'eth-ipv4.pcap')));
    const [f5, f6, f7] = [ds[4], ds[5], ds[6]];
    expect(f5.protocols).toEqual(['frame', 'eth', 'ethertype', 'ip', 'data']);
    expect(f5.columns.info).toMatch(
      /^Fragmented IP protocol \(proto=ICMP 1, off=0, ID=[0-9a-f]{4}\) \[Reassembled in #7\]$/,
    );
    expect([fieldColumn(f5, 'ip.reassembled_in'), fieldColumn(f6, 'ip.reassembled_in')]).toEqual(['7', '7']);
    expect(fieldColumn(f7, 'ip.fragment')).toBe('5,6,7');
    expect(fieldColumn(f7, 'ip.fragment.count')).toBe('3');
    expect(fieldColumn(f7, 'ip.reassembled.length')).toBe('4008');
    expect(f7.sources.map((s) => [s.name, s.bytes.length])).toEqual([['Reassembled IPv4', 4008]]);
    const upper = f7.layers[f7.layers.length - 1];
    expect([upper.source, upper.offset, upper.length]).toEqual([1, 0, 4008]);
    // The reassembled datagram is the ICMP echo request: type 8, code 0.
    expect([...f7.sources[0].bytes.slice(0, 2)]).toEqual([8, 0]);
  });

  it('reassembles IPv6 fragments (fragment header) the same way', () => {
    const ds = dissectFrames(readFrames(join(FIX, 'eth-ipv6.pcap')));
    const f7 = ds[6];
    expect(fieldColumn(f7, 'ipv6.fragment')).toBe('5,6,7');
    expect(fieldColumn(f7, 'ipv6.reassembled.length')).toBe('4008');
    expect(f7.sources.map((s) => s.name)).toEqual(['Reassembled IPv6']);
    expect(fieldColumn(ds[4], 'ipv6.reassembled.in')).toBe('7');
    expect(ds[4].columns.info).toMatch(/^IPv6 fragment \(off=0 more=y ident=0x[0-9a-f]{8} nxt=58\)$/);
  });

  it('keeps no datagram copies after the first pass, and rebuilds from frameBytes', () => {
    const frames = readFrames(join(FIX, 'eth-ipv4.pcap'));
    const engine = l2l3Engine();
    const s = new Session();
    s.frameBytes = (n) => frames[n - 1]?.data ?? null;
    for (const f of frames) {
      engine.dissect(f.data, f.meta, s, false, false);
      s.lastVisited = f.meta.number;
    }
    const table = s.peek<FragmentTable>(IP_FRAG_STATE)!;
    expect(table.datagram(7, 34)!.fragments.every((r) => r.copy === undefined)).toBe(true);
    const again = engine.dissect(frames[6].data, frames[6].meta, s, true, true);
    expect(again.sources[0].bytes.length).toBe(4008);
  });

  it('does not reassemble a datagram missing a fragment', () => {
    const frames = readFrames(join(FIX, 'eth-ipv4.pcap')).filter((f) => f.meta.number !== 6);
    const ds = dissectFrames(frames.map((f, i) => ({ ...f, meta: { ...f.meta, number: i + 1 } })));
    // Frames 5 and 7 of the capture are now 5 and 6: the datagram has a gap and stays in pieces.
    expect(ds[5].sources).toEqual([]);
    expect(ds[5].columns.info).toMatch(/^Fragmented IP protocol \(proto=ICMP 1, off=2960/);
    expect(fieldColumn(ds[4], 'ip.reassembled_in')).toBe('');
  });

  it('leaves reassembly state alone for a fragment quoted in an ICMP error', () => {
    const frame = readFrames(join(FIX, 'eth-ipv4.pcap'))[4];
    const engine = l2l3Engine();
    const s = new Session();
    const ip = engine.dissector('ip')!;
    const data = frame.data.slice(14);
    const p = newPacketInfo(
      { ...frame.meta, linktype: 228, caplen: data.length, origlen: data.length },
      s,
      true,
      true,
    );
    p.inError = true;
    const res = ip.dissect(new Cursor(data, 0, data.length, true), p);
    expect(s.peek(IP_FRAG_STATE)).toBeUndefined();
    // The first fragment still carries the quoted upper header, so it is dispatched as usual.
    expect(res && res.next).toMatchObject({ table: 'ip.proto', key: 1 });
    expect(p.fragment).toBe(false);
  });
});
