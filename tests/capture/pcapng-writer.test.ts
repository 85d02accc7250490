import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PcapngWriter, writePcapng, type WriterInterface } from '../../shared/capture/pcapng-writer';
import { collect } from '../../shared/capture/testing-collect';
import type { CapturePacket, InterfaceInfo } from '../../shared/capture/types';

const fixtures = join(import.meta.dirname, '../../tests/fixtures/captures');

/** Re-writes everything a reader reported, each source interface keyed by section and id. */
function rewrite(packets: CapturePacket[], ifaces: InterfaceInfo[]): Uint8Array {
  const byKey = new Map(ifaces.map((i) => [`${i.section}:${i.id}`, i]));
  return writePcapng(
    packets.map((p) => {
      const key = `${p.section ?? 0}:${p.ifid}`;
      return {
        key,
        iface: byKey.get(key)!,
        packet: { ...p, comments: p.comments ?? (p.comment ? [p.comment] : undefined) },
      };
    }),
    { application: 'Wirescope test' },
  );
}

describe('PcapngWriter', () => {
  it('round-trips bytes, nanosecond timestamps, lengths, flags and comments through the reader', () => {
    const eth: WriterInterface = { linktype: 1, snaplen: 65535, name: 'eth0', tsPerSecond: 1e9 };
    const raw: WriterInterface = { linktype: 101, snaplen: 128, tsResolution: 6, tsPerSecond: 1e6 };
    const odd = Uint8Array.of(1, 2, 3, 4, 5);
    const bytes = writePcapng(
      [
        {
          key: 'a',
          iface: eth,
          packet: { tsSec: 1700000000, tsNsec: 123456789, data: odd, comments: ['first', 'second ünïcode'] },
        },
        { key: 'b', iface: raw, packet: { tsSec: 4000000000, tsNsec: 999999000, data: new Uint8Array(0) } },
        {
          key: 'a',
          iface: eth,
          packet: { tsSec: 0, tsNsec: 1, origlen: 1500, data: Uint8Array.of(9, 8, 7, 6), flags: 1 },
        },
      ],
      { comments: ['section note'] },
    );
    expect(bytes.length % 4).toBe(0);
    const c = collect(bytes, 7);
    expect(c.error).toBeNull();
    expect(c.warnings).toEqual([]);
    expect(c.infos[0].sectionComments).toEqual(['section note']);
    expect(c.ifaces.map((i) => [i.id, i.linktype, i.snaplen, i.tsPerSecond, i.name])).toEqual([
      [0, 1, 65535, 1e9, 'eth0'],
      [1, 101, 128, 1e6, undefined],
    ]);
    const got = c.packets.map((p) => ({
      ifid: p.ifid,
      ts: [p.tsSec, p.tsNsec],
      len: [p.caplen, p.origlen],
      data: [...p.data],
      comments: p.comments,
      flags: p.flags,
    }));
    expect(got).toEqual([
      {
        ifid: 0,
        ts: [1700000000, 123456789],
        len: [5, 5],
        data: [1, 2, 3, 4, 5],
        comments: ['first', 'second ünïcode'],
        flags: undefined,
      },
      { ifid: 1, ts: [4000000000, 999999000], len: [0, 0], data: [], comments: undefined, flags: undefined },
      { ifid: 0, ts: [0, 1], len: [4, 1500], data: [9, 8, 7, 6], comments: undefined, flags: 1 },
    ]);
  });

  it('writes an interface block only for interfaces that carry a packet', () => {
    const w = new PcapngWriter();
    expect(w.packet('x', { linktype: 1 }, { tsSec: 1, tsNsec: 0, data: Uint8Array.of(0) })).toHaveLength(2);
    expect(w.packet('x', { linktype: 1 }, { tsSec: 2, tsNsec: 0, data: Uint8Array.of(0) })).toHaveLength(1);
    expect(w.interfaceCount).toBe(1);
  });

  it.each([
    'comments.pcapng',
    'multi-section.pcapng',
    'multi-section-be.pcapng',
    'lo-tcp-chat-nano.pcap',
    'lo-http4.pcap',
  ])('re-writes %s with the same packets, times and comments', (name) => {
    const src = collect(new Uint8Array(readFileSync(join(fixtures, name))));
    expect(src.error).toBeNull();
    const back = collect(rewrite(src.packets, src.ifaces));
    expect(back.error).toBeNull();
    expect(back.packets.length).toBe(src.packets.length);
    const view = (p: CapturePacket) => [
      p.tsSec,
      p.tsNsec,
      p.caplen,
      p.origlen,
      p.linktype,
      p.comments,
      [...p.data],
    ];
    expect(back.packets.map(view)).toEqual(src.packets.map(view));
  });

  it('writes a binary-resolution interface at nanoseconds and refuses an option too long for its 16-bit length', () => {
    const bin: WriterInterface = { linktype: 1, tsResolution: 0x80 | 20, tsPerSecond: 2 ** 20 };
    const c = collect(
      writePcapng([{ key: 'k', iface: bin, packet: { tsSec: 5, tsNsec: 953674, data: Uint8Array.of(1) } }]),
    );
    expect(c.error).toBeNull();
    expect(c.ifaces[0].tsPerSecond).toBe(1e9);
    expect([c.packets[0].tsSec, c.packets[0].tsNsec]).toEqual([5, 953674]);
    const w = new PcapngWriter();
    expect(() =>
      w.packet(
        'k',
        { linktype: 1 },
        { tsSec: 0, tsNsec: 0, data: new Uint8Array(0), comments: ['é'.repeat(40000)] },
      ),
    ).toThrow(/80000 bytes of UTF-8; an option holds at most 65535/);
    expect(w.interfaceCount).toBe(0);
    expect(w.packet('k', { linktype: 1 }, { tsSec: 0, tsNsec: 0, data: new Uint8Array(0) })).toHaveLength(2);
  });
});
