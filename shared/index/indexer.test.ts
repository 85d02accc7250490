import { describe, expect, it } from 'vitest';
import type { CapturePacket } from '../capture/types';
import { Engine, type Dissector } from '../dissect/engine';
import { defineFields } from '../dissect/fields';
import { Session } from '../dissect/packet';
import { FrameSource, relativeTime, tsharkLine } from './columns';
import { Indexer, precisionDigits } from './indexer';
import { AddrKind } from './intern';
import { PacketFlag, SEVERITY_SHIFT } from './packet-index';

// A toy link layer stands in for eth/ip so the index pass is tested on its own: byte 0 is the
// network type (0, 4 or 6), then source and destination addresses, then a TCP-like header whose
// ports, stream (byte 4) and flags the toy fills in as the real tcp dissector does.
const LINK = 9990;
const L = defineFields(
  't_ixlink',
  'Index Test Link',
  { osi: 3, tcpip: 'internet' },
  { type: { name: 'Type', type: 'u8' } },
);
const T = defineFields('tcp', 'Transmission Control Protocol', { osi: 4, tcpip: 'transport' }, {});
const link: Dissector = {
  fields: L,
  in: { link: LINK },
  dissect(c, p) {
    const type = c.u8(L.type);
    const n = type === 4 ? 4 : type === 6 ? 16 : 6;
    const at = c.pos;
    const src = c.bytes(n).slice();
    const dst = c.bytes(n).slice();
    if (type) {
      p.netType = type as 4 | 6;
      p.netSrc = src;
      p.netDst = dst;
    } else {
      p.dlData = c.data;
      p.dlSrcAt = at;
      p.dlDstAt = at + n;
    }
    if (p.cols) {
      p.columns.src = String(src[n - 1]);
      p.columns.dst = String(dst[n - 1]);
    }
    return c.remaining ? { next: { proto: 'tcp' } } : {};
  },
};
const tcp: Dissector = {
  fields: T,
  dissect(c, p) {
    p.ptype = 'tcp';
    p.srcport = c.u16();
    p.dstport = c.u16();
    p.stream = c.u8();
    c.skip(7);
    const flags = c.u16() & 0x0fff;
    if (flags & 0x004) c.expert('tcp.connection.rst', 'warn', 'sequence', 'reset');
    if (p.cols) {
      p.columns.protocol = 'TCP';
      p.columns.info = `${p.srcport} \u2192 ${p.dstport}`;
    }
  },
};

function packet(index: number, bytes: number[], ts: [number, number], origlen = bytes.length): CapturePacket {
  const data = Uint8Array.from(bytes);
  return {
    index,
    recordOffset: 24 + index * 100,
    dataOffset: 40 + index * 100,
    tsSec: ts[0],
    tsNsec: ts[1],
    caplen: data.length,
    origlen,
    ifid: 0,
    linktype: LINK,
    data,
  };
}

const tcpHeader = (sport: number, dport: number, stream: number, flags: number) => [
  sport >> 8,
  sport & 255,
  dport >> 8,
  dport & 255,
  stream,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  flags >> 8,
  flags & 255,
];

describe('Indexer', () => {
  const engine = new Engine([link, tcp]);

  function run() {
    const session = new Session();
    const ix = new Indexer(engine, session);
    ix.iface({ id: 0, linktype: LINK, snaplen: 65535, tsPerSecond: 1e6, tsOffset: 0, section: 0 });
    const frames = [
      packet(0, [4, 10, 0, 0, 1, 10, 0, 0, 2, ...tcpHeader(46390, 80, 0, 0x002)], [100, 500_000_000]),
      packet(1, [4, 10, 0, 0, 2, 10, 0, 0, 1, ...tcpHeader(80, 46390, 0, 0x012)], [100, 750_000_000]),
      packet(
        2,
        [6, ...new Array(15).fill(0), 1, ...new Array(15).fill(0), 2, ...tcpHeader(1, 2, 1, 0x004)],
        [99, 0],
        200,
      ),
      packet(3, [0, 1, 2, 3, 4, 5, 6, 6, 5, 4, 3, 2, 1], [101, 0]),
      packet(4, [4, 10, 0, 0, 1, 10, 0, 0, 2, 0, 80], [102, 1000]),
    ];
    frames[1].comment = 'second';
    const datas = frames.map((f) => f.data.slice());
    for (const f of frames) ix.packet(f);
    return { ix, session, datas };
  }

  it('writes one record per packet from the first pass', () => {
    const { ix } = run();
    const index = ix.index;
    expect(index.count).toBe(5);
    const a = index.addresses;
    expect(a.text(index.src(0))).toBe('10.0.0.1');
    expect(index.src(1)).toBe(index.dst(0));
    expect(index.srcport(0)).toBe(46390);
    expect(index.dstport(0)).toBe(80);
    expect(index.stream(1)).toBe(0);
    expect(index.stream(2)).toBe(1);
    expect(index.tcpFlags(0)).toBe(0x002);
    expect(index.tcpFlags(1)).toBe(0x012);
    expect(index.flags(0) & (PacketFlag.tcp | PacketFlag.net)).toBe(PacketFlag.tcp | PacketFlag.net);
    expect(a.kind(index.src(2))).toBe(AddrKind.ipv6);
    expect(a.text(index.dst(2))).toBe('::2');
    expect((index.flags(2) >> SEVERITY_SHIFT) & 7).toBe(4);
    expect(index.flags(2) & PacketFlag.truncated).toBeTruthy();
    // No network layer: the link addresses stand in, as Wireshark's columns do.
    expect(a.kind(index.src(3))).toBe(AddrKind.ether);
    expect(a.text(index.src(3))).toBe('01:02:03:04:05:06');
    expect(index.flags(3) & PacketFlag.net).toBe(0);
    expect(index.stream(3)).toBe(-1);
    // A TCP header cut short: malformed, never thrown.
    expect(index.flags(4) & PacketFlag.malformed).toBeTruthy();
    // Each record keeps its protocol chain; the last entry is the innermost protocol.
    expect(index.protocols.text(index.proto(0))).toBe('t_ixlink:tcp');
    expect(index.protocols.text(index.proto(0)).split(':').pop()).toBe('tcp');
    expect(index.protocols.text(index.proto(3))).toBe('t_ixlink');
    expect(index.proto(1)).toBe(index.proto(0));
    expect(index.meta(1).comment).toBe('second');
  });

  it('sums up the capture as capinfos would', () => {
    const { ix, session } = run();
    const s = ix.summary;
    expect(s.packets).toBe(5);
    expect([s.firstSec, s.firstNsec, s.lastSec, s.lastNsec]).toEqual([99, 0, 102, 1000]);
    expect(s.strictOrder).toBe(false);
    expect(s.truncated).toBe(1);
    expect(s.malformed).toBe(1);
    expect(s.tcpStreams).toBe(2);
    expect(s.udpStreams).toBe(0);
    expect(s.packetComments).toBe(1);
    expect(s.interfacePackets).toEqual([5]);
    expect(s.dataBytes).toBe(
      ix.index.caplen(0) + ix.index.caplen(1) + ix.index.caplen(2) + ix.index.caplen(3) + ix.index.caplen(4),
    );
    expect(session.lastVisited).toBe(5);
    expect(session.prevTs?.(2)).toEqual([100, 500_000_000]);
    expect(session.prevTs?.(1)).toBeNull();
  });

  it('builds rows on demand with the capture precision, as tshark prints them', () => {
    const { ix, session, datas } = run();
    const src = new FrameSource(engine, session, ix.index, (i) => datas[i]);
    const rows = src.rows(1, 10);
    expect(rows.length).toBe(5);
    expect(rows[1]).toEqual({
      number: 2,
      time: '0.250000',
      src: '2',
      dst: '1',
      protocol: 'TCP',
      length: 23,
      info: '80 \u2192 46390',
    });
    // Time is relative to frame 1, so an earlier timestamp is negative.
    expect(relativeTime(ix.index, 2)).toBe('-1.500000');
    expect(tsharkLine(rows[1])).toBe(
      '    2   0.250000            2 \u2192 1            TCP 23 80 \u2192 46390',
    );
    expect(session.frameBytes?.(2)).toBe(datas[1]);
    expect(src.row(5).info).toBe('[Malformed Packet]');
    const detail = src.dissect(1, true, true)!;
    expect(detail.layers.map((l) => l.proto)).toEqual(['frame', 't_ixlink', 'tcp']);
    expect(new FrameSource(engine, session, ix.index, () => null).row(1).info).toMatch(/could not be read/);
  });

  it('turns timestamp resolutions into column precision', () => {
    expect(precisionDigits(1e6)).toBe(6);
    expect(precisionDigits(1e9)).toBe(9);
    expect(precisionDigits(1e3)).toBe(3);
    expect(precisionDigits(2 ** 20)).toBe(7);
    expect(precisionDigits(1e12)).toBe(9);
  });
});
