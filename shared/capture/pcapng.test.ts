import { describe, expect, it } from 'vitest';
import { MAX_BLOCK_SIZE, PcapngReader } from './pcapng';
import {
  block,
  Bytes,
  concat,
  customBlock,
  dsb,
  epb,
  idb,
  isb,
  nrb,
  opb,
  opt,
  optU32,
  optU64,
  optU8,
  pseudoBytes,
  shb,
  spb,
  utf8,
  type Endian,
} from './testing';
import { collect } from './testing-collect';
import { CaptureError } from './types';

const d = (n: number, seed = n + 1) => pseudoBytes(n, seed);

/** The exact answer for ticks at `per` ticks per second, truncated to ns (BigInt reference). */
function exact(ticks: bigint, per: bigint): [number, number] {
  return [Number(ticks / per), Number(((ticks % per) * 1_000_000_000n) / per)];
}

describe('pcapng reader: sections, interfaces, packets', () => {
  for (const e of ['le', 'be'] as Endian[]) {
    it(`reads a ${e === 'le' ? 'little' : 'big'}-endian section with options on SHB, IDB and EPB`, () => {
      const bytes = concat(
        shb(e, [
          opt(1, 'first section'),
          opt(2, 'x86_64 box'),
          opt(3, 'Linux 6.1'),
          opt(4, 'Dumpcap (Wireshark) 4.0.17'),
          opt(1, 'second comment'),
        ]),
        idb(e, 1, 262144, [
          opt(2, 'lo'),
          opt(3, 'Loopback'),
          opt(11, concat(Uint8Array.of(0), utf8('port 443'))),
          opt(12, 'Linux 6.1.0'),
          opt(15, 'virtual'),
          optU8(9, 6),
          optU8(13, 32),
          opt(1, 'iface note'),
        ]),
        idb(e, 101, 96),
        epb(e, {
          ifid: 0,
          ts: 1_700_000_000_123_456n,
          data: d(60),
          opts: [optU32(2, 0x00000001, e), opt(1, 'hello')],
        }),
        epb(e, { ifid: 1, ts: 1_700_000_001_000_000n, data: d(96), origlen: 1500 }),
        epb(e, { ifid: 0, ts: 5n, data: d(3) }),
      );
      const c = collect(bytes);
      expect(c.error).toBeNull();
      expect(c.warnings).toEqual([]);
      expect(c.infos).toEqual([
        {
          format: 'pcapng',
          byteOrder: e === 'le' ? 'little' : 'big',
          version: '1.0',
          sections: 1,
          sectionComments: ['first section', 'second comment'],
          hardware: 'x86_64 box',
          os: 'Linux 6.1',
          application: 'Dumpcap (Wireshark) 4.0.17',
        },
      ]);
      expect(c.ifaces).toEqual([
        {
          id: 0,
          linktype: 1,
          snaplen: 262144,
          name: 'lo',
          description: 'Loopback',
          filter: 'port 443',
          os: 'Linux 6.1.0',
          hardware: 'virtual',
          comments: ['iface note'],
          tsPerSecond: 1e6,
          tsResolution: 6,
          tsOffset: 0,
          section: 0,
          fcsLength: 4,
        },
        { id: 1, linktype: 101, snaplen: 96, tsPerSecond: 1e6, tsResolution: 6, tsOffset: 0, section: 0 },
      ]);
      const [a, b, z] = c.packets;
      expect(a).toMatchObject({
        index: 0,
        ifid: 0,
        section: 0,
        linktype: 1,
        tsSec: 1_700_000_000,
        tsNsec: 123_456_000,
        caplen: 60,
        origlen: 60,
        flags: 1,
        comment: 'hello',
        comments: ['hello'],
      });
      expect(a.recordOffset).toBe(c.packets[0].dataOffset - 28);
      expect(a.data).toEqual(d(60));
      expect(b).toMatchObject({
        index: 1,
        ifid: 1,
        linktype: 101,
        tsSec: 1_700_000_001,
        tsNsec: 0,
        caplen: 96,
        origlen: 1500,
      });
      expect(b.flags).toBeUndefined();
      expect(b.comment).toBeUndefined();
      expect(z).toMatchObject({ index: 2, tsSec: 0, tsNsec: 5000, caplen: 3 });
      expect(z.recordOffset).toBe(b.recordOffset + 32 + 96);
      expect(z.data).toEqual(d(3));
    });
  }

  it('keeps several comments of one packet in order (tshark shows one frame.comment each)', () => {
    const c = collect(
      concat(
        shb('le'),
        idb('le', 1, 0),
        epb('le', {
          ts: 1n,
          data: d(10),
          opts: [opt(1, 'first'), opt(1, 'second, with comma'), opt(1, 'ünïcødé ✓')],
        }),
      ),
    );
    expect(c.packets[0].comments).toEqual(['first', 'second, with comma', 'ünïcødé ✓']);
    expect(c.packets[0].comment).toBe('first\nsecond, with comma\nünïcødé ✓');
  });

  it('reads options that run to the block end without an end-of-options marker', () => {
    const body = concat(
      new Bytes('le').u32(0).u32(0).u32(5).u32(4).u32(4).raw(d(4)).done(),
      new Bytes('le').u16(1).u16(2).raw(utf8('c1')).pad4().done(),
    );
    const c = collect(concat(shb('le'), idb('le', 1, 0), block('le', 6, body)));
    expect(c.error).toBeNull();
    expect(c.packets[0].comment).toBe('c1');
  });

  it('restarts interface numbering in every section; each SHB sets its own byte order', () => {
    const bytes = concat(
      shb('le', [opt(1, 'one'), opt(4, 'first app')]),
      idb('le', 1, 0, [opt(2, 'eth0')]),
      epb('le', { ts: 1_000_000n, data: d(60) }),
      shb('be', [opt(1, 'two'), opt(4, 'second app')]),
      idb('be', 1, 0, [opt(2, 'a')]),
      idb('be', 101, 0, [opt(2, 'b')]),
      epb('be', { ifid: 1, ts: 2_000_000n, data: d(40) }),
      epb('be', { ifid: 0, ts: 3_000_000n, data: d(60) }),
      shb('le'),
      idb('le', 113, 0),
      epb('le', { ts: 4_000_000n, data: d(20) }),
    );
    const c = collect(bytes);
    expect(c.error).toBeNull();
    expect(c.packets.map((p) => [p.section, p.ifid, p.linktype, p.tsSec])).toEqual([
      [0, 0, 1, 1],
      [1, 1, 101, 2],
      [1, 0, 1, 3],
      [2, 0, 113, 4],
    ]);
    expect(c.ifaces.map((i) => [i.section, i.id, i.name])).toEqual([
      [0, 0, 'eth0'],
      [1, 0, 'a'],
      [1, 1, 'b'],
      [2, 0, undefined],
    ]);
    expect(c.infos.map((i) => [i.sections, i.sectionComments, i.application, i.byteOrder])).toEqual([
      [1, ['one'], 'first app', 'little'],
      [2, ['one', 'two'], 'first app', 'little'],
      [3, ['one', 'two'], 'first app', 'little'],
    ]);
  });

  it('does not let an interface of an earlier section serve a later one', () => {
    const c = collect(
      concat(
        shb('le'),
        idb('le', 1, 0),
        idb('le', 1, 0),
        shb('le'),
        idb('le', 1, 0),
        epb('le', { ifid: 1, ts: 0n, data: d(4) }),
        epb('le', { ts: 0n, data: d(4) }),
      ),
    );
    expect(c.packets).toHaveLength(1);
    expect(c.warnings.map((w) => w.message)).toEqual([
      'Enhanced Packet Block at offset 116 refers to interface 1, but section 2 has 1 interface; expected an Interface Description Block for it first, block skipped',
    ]);
  });
});

describe('pcapng reader: timestamps', () => {
  const cases: [string, number, bigint, bigint][] = [
    ['microseconds (default, 10^-6)', -1, 1_700_000_000_999_999n, 1_000_000n],
    ['milliseconds (10^-3)', 3, 1_700_000_000_123n, 1000n],
    ['nanoseconds (10^-9)', 9, 1_700_000_000_123_456_789n, 1_000_000_000n],
    ['nanoseconds, the largest 64-bit value', 9, 0xffff_ffff_ffff_ffffn, 1_000_000_000n],
    ['seconds (10^0)', 0, 1_700_000_000n, 1n],
    ['picoseconds (10^-12), truncated to ns', 12, 1_700_000_000_123_456_789_987n % 2n ** 64n, 10n ** 12n],
    ['10^-19', 19, 12_345_678_901_234_567_890n, 10n ** 19n],
    ['2^-10', 0x80 | 10, 1_700_000_000n * 1024n + 1023n, 1024n],
    ['2^-20', 0x80 | 20, (1_700_000_000n << 20n) + 777_777n, 1n << 20n],
    ['2^-30', 0x80 | 30, (1_700_000_000n << 30n) + 12_345_678n, 1n << 30n],
    ['2^-32 (a common hardware clock)', 0x80 | 32, (1_700_000_000n << 32n) | 0xdeadbeefn, 1n << 32n],
    ['2^-63', 0x80 | 63, 0xffff_ffff_ffff_ffffn, 1n << 63n],
  ];
  for (const [what, tsresol, ticks, per] of cases) {
    it(`converts ${what} exactly`, () => {
      const opts = tsresol < 0 ? [] : [optU8(9, tsresol)];
      const c = collect(concat(shb('be'), idb('be', 1, 0, opts), epb('be', { ts: ticks, data: d(4) })));
      expect(c.error).toBeNull();
      expect([c.packets[0].tsSec, c.packets[0].tsNsec]).toEqual(exact(ticks, per));
      expect(c.ifaces[0].tsPerSecond).toBe(Number(per));
    });
  }

  it('checks the fast path against BigInt on many tick counts for every decimal resolution', () => {
    const ticks: bigint[] = [];
    for (let i = 0n; i < 2000n; i++)
      ticks.push((i * 0x9e3779b97f4a7c15n) % 2n ** 64n, 2n ** 32n * i + 999_999_999n, 10n ** 15n * i + i);
    for (let r = 0; r <= 9; r++) {
      const blocks = ticks.map((t) => epb('le', { ts: t, data: d(0) }));
      const c = collect(concat(shb('le'), idb('le', 1, 0, [optU8(9, r)]), ...blocks));
      const per = 10n ** BigInt(r);
      const got = c.packets.map((p) => [p.tsSec, p.tsNsec]);
      const want = ticks.map((t) => {
        const [s, n] = exact(t, per);
        return [s, n];
      });
      // Seconds above 2^53 cannot be exact in a number; compare those through Number() of the truth.
      expect(got).toEqual(want);
    }
  });

  it('adds if_tsoffset (signed seconds) to every timestamp', () => {
    const c = collect(
      concat(
        shb('le'),
        idb('le', 1, 0, [optU8(9, 3), optU64(14, 1000n, 'le')]),
        idb('le', 1, 0, [optU64(14, -5n, 'le')]),
        epb('le', { ifid: 0, ts: 1_700_000_000_123n, data: d(4) }),
        epb('le', { ifid: 1, ts: 3_000_001n, data: d(4) }),
      ),
    );
    expect(c.ifaces.map((i) => i.tsOffset)).toEqual([1000, -5]);
    // -5 s + 3.000001 s = -1.999999 s, kept as seconds −2 and 1000 ns (nsec stays in [0, 1e9)).
    expect(c.packets.map((p) => [p.tsSec, p.tsNsec])).toEqual([
      [1_700_001_000, 123_000_000],
      [-2, 1000],
    ]);
  });

  it('warns about an if_tsresol of the wrong size and keeps microseconds', () => {
    const c = collect(
      concat(
        shb('le'),
        idb('le', 1, 0, [opt(9, Uint8Array.of(9, 9))]),
        epb('le', { ts: 1_000_001n, data: d(1) }),
      ),
    );
    expect(c.warnings.map((w) => w.message)).toEqual([
      'if_tsresol option at offset 44 has length 2; expected 1, microseconds assumed',
    ]);
    expect([c.packets[0].tsSec, c.packets[0].tsNsec]).toEqual([1, 1000]);
  });
});

describe('pcapng reader: other packet blocks', () => {
  it('reads Simple Packet Blocks: no timestamp, caplen = min(origlen, snaplen, room)', () => {
    const c = collect(
      concat(shb('le'), idb('le', 1, 50), spb('le', 60, d(50)), spb('le', 30, d(32)), spb('le', 100, d(20))),
    );
    expect(c.packets.map((p) => [p.caplen, p.origlen, p.tsSec, p.tsNsec, p.noTimestamp, p.ifid])).toEqual([
      [50, 60, 0, 0, true, 0],
      [30, 30, 0, 0, true, 0],
      [20, 100, 0, 0, true, 0],
    ]);
    expect(c.packets[1].data).toEqual(d(32).subarray(0, 30));
    expect(c.warnings.map((w) => w.message)).toEqual([
      'Simple Packet Block at offset 164 (packet 3) holds 20 bytes of packet data, but the packet should have 50 (original length 100, snapshot length 50); read as a packet of 20 captured bytes',
    ]);
  });

  it('reads SPBs with no snapshot length (0 = unlimited)', () => {
    const c = collect(concat(shb('be'), idb('be', 101, 0), spb('be', 21, d(21))));
    expect(c.packets.map((p) => [p.caplen, p.origlen, p.linktype])).toEqual([[21, 21, 101]]);
    expect(c.packets[0].data).toEqual(d(21));
  });

  it('reads obsolete Packet Blocks: 16-bit interface id and drops count, pack_flags', () => {
    const c = collect(
      concat(
        shb('be'),
        idb('be', 1, 0),
        idb('be', 101, 0),
        opb('be', {
          ifid: 1,
          drops: 3,
          ts: 5_000_000n,
          data: d(40),
          opts: [optU32(2, 2, 'be'), opt(1, 'old')],
        }),
        opb('be', { ifid: 0, drops: 0xffff, ts: 6_000_000n, data: d(41) }),
      ),
    );
    expect(
      c.packets.map((p) => [p.ifid, p.linktype, p.tsSec, p.caplen, p.flags, p.drops, p.comment]),
    ).toEqual([
      [1, 101, 5, 40, 2, 3, 'old'],
      [0, 1, 6, 41, undefined, undefined, undefined],
    ]);
  });
});

describe('pcapng reader: side blocks', () => {
  it('reports IPv4 and IPv6 name records', () => {
    const v6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    const c = collect(
      concat(
        shb('le'),
        nrb('le', [
          { address: [127, 0, 0, 1], names: ['localhost', 'lo'] },
          { address: v6, names: ['six.example'] },
        ]),
      ),
    );
    expect(c.names).toEqual([
      [
        { address: '127.0.0.1', names: ['localhost', 'lo'] },
        { address: '2001:db8::1', names: ['six.example'] },
      ],
    ]);
  });

  it('warns about a name record that overruns its block and keeps the records before it', () => {
    const body = new Bytes('le')
      .u16(1)
      .u16(8)
      .raw([10, 0, 0, 1, 0x61, 0x62, 0, 0])
      .u16(1)
      .u16(200)
      .raw([10, 0, 0, 2])
      .done();
    const c = collect(concat(shb('le'), block('le', 4, body)));
    expect(c.names).toEqual([[{ address: '10.0.0.1', names: ['ab'] }]]);
    expect(c.warnings.map((w) => w.message)).toEqual([
      'Name Resolution Block at offset 28: name record at offset 48 claims 200 bytes, only 4 left in the block; records from here on ignored',
    ]);
  });

  it('reports interface statistics with their counters and timestamp in the interface resolution', () => {
    const c = collect(
      concat(
        shb('le'),
        idb('le', 1, 0, [optU8(9, 9)]),
        isb('le', 0, 6_000_000_123n, [
          optU64(4, 10n, 'le'),
          optU64(5, 1n, 'le'),
          optU64(6, 9n, 'le'),
          optU64(7, 2n, 'le'),
          optU64(8, 8n, 'le'),
          opt(1, 'end of capture'),
        ]),
      ),
    );
    expect(c.stats).toEqual([
      {
        ifid: 0,
        section: 0,
        tsSec: 6,
        tsNsec: 123,
        received: 10n,
        dropped: 1n,
        filterAccepted: 9n,
        osDropped: 2n,
        delivered: 8n,
        comment: 'end of capture',
      },
    ]);
  });

  it('hands over decryption secrets as a copy that outlives the chunk', () => {
    const keylog = utf8('CLIENT_RANDOM 00112233 44556677\n');
    const bytes = concat(shb('le'), dsb('le', 0x544c534b, keylog));
    const c = collect(bytes);
    bytes.fill(0);
    expect(c.secrets).toHaveLength(1);
    expect(c.secrets[0].type).toBe(0x544c534b);
    expect(c.secrets[0].data).toEqual(keylog);
  });

  it('skips custom and unknown blocks with one warning per kind', () => {
    const c = collect(
      concat(
        shb('le'),
        idb('le', 1, 0),
        customBlock('le', 0xbad, 32473, d(9)),
        customBlock('le', 0x40000bad, 32473, d(3)),
        block('le', 0x1234, d(8)),
        block('le', 0x1234, d(8)),
        epb('le', { ts: 7_000_000n, data: d(60) }),
      ),
    );
    expect(c.packets).toHaveLength(1);
    expect(c.packets[0].index).toBe(0);
    expect(c.warnings.map((w) => w.message)).toEqual([
      'Custom Block (Private Enterprise Number 32473) at offset 48 skipped (not a packet); later blocks of this type are skipped silently',
      'block of unknown type 0x00001234 at offset 96 skipped (not a packet); later blocks of this type are skipped silently',
    ]);
  });
});

describe('pcapng reader: damaged files', () => {
  const good = () => concat(shb('le'), idb('le', 1, 0), epb('le', { ts: 1n, data: d(60) }));

  it('fails on a block total length below 12, naming the offset and the value, after the packets before it', () => {
    const bad = new Bytes('le').u32(6).u32(8).done();
    const c = collect(concat(good(), bad, epb('le', { ts: 2n, data: d(4) })), undefined, 'f.pcapng');
    expect(c.packets).toHaveLength(1);
    expect(c.error).toBeInstanceOf(CaptureError);
    expect((c.error as CaptureError).offset).toBe(144);
    expect(c.error!.message).toBe(
      `f.pcapng: bad block at offset 140 (Enhanced Packet Block): total length 8 is smaller than the minimum of 12; expected a multiple of 4 between 12 and ${MAX_BLOCK_SIZE}, the file is damaged from this point`,
    );
  });

  it('fails on a total length that is not a multiple of 4', () => {
    const b = epb('le', { ts: 2n, data: d(4) });
    new DataView(b.buffer).setUint32(4, 33, true);
    const c = collect(concat(good(), b));
    expect(c.error!.message).toMatch(
      /^bad block at offset 140 \(Enhanced Packet Block\): total length 33 is not a multiple of 4/,
    );
  });

  it('fails on an absurd total length at once, without allocating it', () => {
    const r = new PcapngReader({ packet: () => {} });
    r.push(good());
    expect(() => r.push(new Bytes('le').u32(6).u32(0xfffffffc).done())).toThrow(
      /total length 4294967292 is bigger than the maximum/,
    );
    expect(r.retained).toBeLessThan(1024);
  });

  it('fails when the trailing length differs from the leading one', () => {
    const b = epb('le', { ts: 2n, data: d(4) });
    new DataView(b.buffer).setUint32(b.length - 4, 40, true);
    const c = collect(concat(good(), b));
    expect(c.packets).toHaveLength(1);
    expect((c.error as CaptureError).offset).toBe(140 + 32);
    expect(c.error!.message).toBe(
      'bad block at offset 140 (Enhanced Packet Block): trailing total length 40 at offset 172 differs from the leading 36; expected the same value at both ends, the file is damaged from this point',
    );
  });

  it('fails on a bad byte-order magic and on an unsupported major version', () => {
    const s = shb('le');
    s.set([1, 2, 3, 4], 8);
    expect(collect(s).error!.message).toBe(
      'bad Section Header Block at offset 0: byte-order magic 01 02 03 04 at offset 8; expected 1a 2b 3c 4d or 4d 3c 2b 1a',
    );
    expect(collect(concat(shb('le', [], [2, 0]), idb('le', 1, 0))).error!.message).toBe(
      'unsupported pcapng version 2.0 in the Section Header Block at offset 0; expected 1.x (normally 1.0)',
    );
    expect(collect(concat(shb('le', [], [1, 2]), idb('le', 1, 0))).error).toBeNull();
  });

  it('refuses a first block that is not a Section Header Block', () => {
    const r = new PcapngReader({ packet: () => {} });
    expect(() => r.push(idb('le', 1, 0))).toThrow(
      'not a pcapng file: first block at offset 0 has type 01 00 00 00; expected a Section Header Block (0a 0d 0d 0a)',
    );
  });

  it('skips a packet block whose captured length exceeds its block, and goes on', () => {
    const c = collect(
      concat(good(), epb('le', { ts: 2n, data: d(60), caplen: 100 }), epb('le', { ts: 3n, data: d(8) })),
    );
    expect(c.error).toBeNull();
    expect(c.packets.map((p) => p.tsNsec)).toEqual([1000, 3000]);
    expect(c.warnings.map((w) => w.message)).toEqual([
      'Enhanced Packet Block at offset 140: captured length 100 is bigger than the 60 bytes the block has room for; block skipped',
    ]);
  });

  it('keeps a packet whose option overruns the block, warning about it', () => {
    const b = epb('le', { ts: 1n, data: d(60), opts: [opt(1, 'abcd')] });
    new DataView(b.buffer).setUint16(28 + 60 + 2, 200, true);
    const c = collect(concat(shb('le'), idb('le', 1, 0), b, epb('le', { ts: 2n, data: d(60) })));
    expect(c.packets).toHaveLength(2);
    expect(c.packets[0].comment).toBeUndefined();
    expect(c.warnings.map((w) => w.message)).toEqual([
      'Enhanced Packet Block of packet 1: option 1 at offset 136 claims 200 bytes, only 8 left in the block; options from here on ignored, the packet is kept',
    ]);
  });

  it('warns once at end() about a cut last block, keeping every packet before it', () => {
    const full = concat(good(), epb('le', { ts: 2n, data: d(60) }));
    const c = collect(full.subarray(0, full.length - 10), 7, 'cut.pcapng');
    expect(c.error).toBeNull();
    expect(c.packets).toHaveLength(1);
    expect(c.warnings).toEqual([
      {
        offset: 140,
        message:
          'cut.pcapng: truncated last block at offset 140: needs 92 bytes, only 82 present (10 missing); every packet before it was read',
      },
    ]);
  });

  it('warns about a cut block header', () => {
    const c = collect(concat(good(), Uint8Array.of(6, 0, 0)));
    expect(c.warnings.map((w) => w.message)).toEqual([
      'truncated block header at offset 140: 3 of 8 bytes present (5 missing); every packet before it was read',
    ]);
  });

  it('fails clearly on a file cut inside its first Section Header Block', () => {
    const c = collect(shb('le', [opt(1, 'a comment that makes it longer')]).subarray(0, 30), 4, 'x.pcapng');
    expect(c.error).toBeInstanceOf(CaptureError);
    expect(c.error!.message).toBe(
      'x.pcapng: truncated pcapng Section Header Block at offset 0: 30 of 68 bytes present (38 missing); no packets',
    );
  });

  it('memory held for a cut block grows with the bytes that arrived, not with the length claimed', () => {
    const r = new PcapngReader({ packet: () => {} });
    r.push(good());
    r.push(
      new Bytes('le')
        .u32(6)
        .u32(100 * 1024 * 1024)
        .done(),
    );
    for (let i = 0; i < 16; i++) r.push(new Uint8Array(4096));
    expect(r.retained).toBeLessThanOrEqual(2 * (8 + 16 * 4096));
    const warnings: string[] = [];
    const r2 = new PcapngReader({ packet: () => {}, warning: (w) => warnings.push(w.message) });
    r2.push(good());
    r2.push(
      new Bytes('le')
        .u32(6)
        .u32(100 * 1024 * 1024)
        .done(),
    );
    r2.end();
    expect(warnings).toEqual([
      `truncated last block at offset 140: needs ${100 * 1024 * 1024} bytes, only 8 present (${100 * 1024 * 1024 - 8} missing); every packet before it was read`,
    ]);
  });
});
