// Hand-built captures (shared/capture/testing.ts) through our reader and through tshark: every
// feature the real fixtures cannot easily show (big-endian files, odd resolutions, SPB/OPB,
// several comments, side blocks), and every place where we depart from tshark 4.0 on purpose,
// with what tshark does instead.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  block,
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
  pcapHeader,
  pcapRecord,
  pseudoBytes,
  shb,
  spb,
  utf8,
  type Endian,
} from '../../shared/capture/testing';
import { tsharkMissing } from '../support/tshark';
import { FRAME_FIELDS, ourRows, readOurs, tsharkRows, type OurRun } from './oracle';

const d = (n: number, seed = n + 3) => pseudoBytes(n, seed);
const dir = mkdtempSync(join(tmpdir(), 'wirescope-crafted-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FIELDS = [...FRAME_FIELDS, 'frame.packet_flags'];

function write(name: string, bytes: Uint8Array): string {
  const f = join(dir, name);
  writeFileSync(f, bytes);
  return f;
}

function rowsWithFlags(run: OurRun): string[][] {
  return ourRows(run).map((r, i) => {
    const flags = run.packets[i].flags;
    return [...r, flags === undefined ? '' : `0x${flags.toString(16).padStart(8, '0')}`];
  });
}

function pcapFile(endian: Endian, nano: boolean): Uint8Array {
  return concat(
    pcapHeader({ endian, nano, snaplen: 96, linktype: 101 }),
    pcapRecord({ endian, sec: 1_700_000_000, frac: nano ? 123_456_789 : 123_456, data: d(40) }),
    pcapRecord({ endian, sec: 1_700_000_001, frac: 0, data: d(96), origlen: 1500 }),
    pcapRecord({ endian, sec: 2_200_000_000, frac: 1, data: d(0) }),
    pcapRecord({ endian, sec: 0, frac: 0, data: d(20) }),
  );
}

function sectionsFile(): Uint8Array {
  const one: Endian = 'le';
  const two: Endian = 'be';
  return concat(
    shb(one, [opt(1, 'first'), opt(4, 'crafted')]),
    idb(one, 1, 0, [opt(2, 'eth0'), optU8(9, 9)]),
    idb(one, 101, 64, [opt(2, 'raw'), optU8(9, 3), optU64(14, 1000n, one)]),
    epb(one, {
      ifid: 0,
      ts: 1_700_000_000_000_000_001n,
      data: d(60),
      opts: [opt(1, 'a'), opt(1, 'b, with comma'), optU32(2, 0x00000002, one)],
    }),
    epb(one, { ifid: 1, ts: 1_700_000_000_123n, data: d(64), origlen: 1400 }),
    nrb(one, [{ address: [192, 0, 2, 1], names: ['doc.example'] }]),
    isb(one, 0, 1_700_000_001_000_000_000n, [optU64(4, 2n, one)]),
    dsb(one, 0x544c534b, utf8('CLIENT_RANDOM 00 11\n')),
    shb(two),
    idb(two, 113, 0, [optU8(9, 0x80 | 20)]),
    idb(two, 1, 50, [optU64(14, -10n, two)]),
    epb(two, {
      ifid: 1,
      ts: 1_700_000_000_999_999n,
      data: d(50),
      origlen: 60,
      opts: [optU32(2, 0x00000001, two)],
    }),
    epb(two, { ifid: 0, ts: (1_700_000_000n << 20n) + 524_288n, data: d(44) }),
    spb(two, 70, d(72)),
    opb(two, {
      ifid: 0,
      drops: 1,
      ts: 123n << 20n,
      data: d(33),
      opts: [optU32(2, 0x00000001, two), opt(1, 'obsolete')],
    }),
  );
}

function resolutionsFile(): Uint8Array {
  const e: Endian = 'le';
  const res = [0, 3, 6, 9, 0x80 | 10, 0x80 | 20, 0x80 | 30, 0x80 | 32];
  return concat(
    shb(e),
    ...res.map((r) => idb(e, 1, 0, [optU8(9, r)])),
    ...res.map((r, i) => {
      const per = r & 0x80 ? 1n << BigInt(r & 0x7f) : 10n ** BigInt(r);
      return epb(e, { ifid: i, ts: 1_712_345_678n * per + (per * 7n) / 9n, data: d(10 + i) });
    }),
  );
}

describe.skipIf(!!tsharkMissing)(
  `crafted captures agree with tshark${tsharkMissing ? ` (${tsharkMissing})` : ''}`,
  () => {
    const agree: [string, Uint8Array][] = [
      ['le-micro.pcap', pcapFile('le', false)],
      ['be-micro.pcap', pcapFile('be', false)],
      ['le-nano.pcap', pcapFile('le', true)],
      ['be-nano.pcap', pcapFile('be', true)],
      ['sections.pcapng', sectionsFile()],
      ['resolutions.pcapng', resolutionsFile()],
      [
        'caplen-over-snaplen.pcap',
        concat(
          pcapHeader({ snaplen: 50 }),
          pcapRecord({ sec: 1, frac: 2, data: d(60) }),
          pcapRecord({ sec: 1, frac: 3, data: d(60), origlen: 30 }),
        ),
      ],
      [
        'dbus-large.pcap',
        concat(pcapHeader({ linktype: 231 }), pcapRecord({ sec: 5, frac: 0, data: d(300_000) })),
      ],
    ];
    for (const [name, bytes] of agree) {
      it(`${name}: same frames, times, lengths, interfaces, sections, comments and flags`, () => {
        const f = write(name, bytes);
        const ours = readOurs(f);
        const theirs = tsharkRows(f, FIELDS);
        expect(theirs.problem).toBe('');
        expect(ours.error).toBeNull();
        expect(ours.warnings).toEqual([]);
        expect(ours.packets.length).toBeGreaterThan(0);
        expect(rowsWithFlags(ours)).toEqual(theirs.rows);
      });
    }
  },
);

describe.skipIf(!!tsharkMissing)(
  `where we depart from tshark 4.0 on purpose${tsharkMissing ? ` (${tsharkMissing})` : ''}`,
  () => {
    const e: Endian = 'le';
    const head = () => concat(shb(e), idb(e, 1, 0));

    it('custom blocks: tshark lists each as a frame; we skip them (one warning), so later frame numbers differ', () => {
      const f = write(
        'custom.pcapng',
        concat(head(), customBlock(e, 0xbad, 12345, d(9)), epb(e, { ts: 1n, data: d(60) })),
      );
      const ours = readOurs(f);
      const theirs = tsharkRows(f, FIELDS);
      expect(theirs.rows).toHaveLength(2);
      expect(theirs.rows[0].slice(2, 4)).toEqual(['12', '12']);
      expect(ours.packets).toHaveLength(1);
      expect(ours.warnings.map((w) => w.message)).toEqual([
        expect.stringMatching(/Custom Block \(Private Enterprise Number 12345\) at offset 48 skipped/),
      ]);
      expect(rowsWithFlags(ours)[0].slice(1)).toEqual(theirs.rows[1].slice(1));
    });

    it('resolutions finer than 1 ns: tshark overflows 64 bits; we are exact (truncated to ns)', () => {
      const ticks = 1_712_345_678_123_456_789_987n % 2n ** 64n;
      const f = write(
        'pico.pcapng',
        concat(shb(e), idb(e, 1, 0, [optU8(9, 12)]), epb(e, { ts: ticks, data: d(10) })),
      );
      const ours = readOurs(f);
      const theirs = tsharkRows(f, FIELDS);
      const want = `${ticks / 10n ** 12n}.${String((ticks % 10n ** 12n) / 1000n).padStart(9, '0')}`;
      expect(ourRows(ours)[0][1]).toBe(want);
      expect(theirs.rows[0][1]).not.toBe(want);
    });

    it('an option that overruns its block: tshark stops the file; we keep the packet and everything after it', () => {
      const bad = epb(e, { ts: 1n, data: d(60), opts: [opt(1, 'abcd')] });
      new DataView(bad.buffer).setUint16(28 + 60 + 2, 200, true);
      const f = write('badopt.pcapng', concat(head(), bad, epb(e, { ts: 2n, data: d(61) })));
      const ours = readOurs(f);
      const theirs = tsharkRows(f, FIELDS);
      expect(theirs.problem).toMatch(/Not enough data to handle option of length 200/);
      expect(theirs.rows).toEqual([]);
      expect(ours.packets.map((p) => p.caplen)).toEqual([60, 61]);
      expect(ours.warnings).toHaveLength(1);
    });

    it('a packet on an interface that does not exist: tshark stops; we skip that block and go on', () => {
      const f = write(
        'badif.pcapng',
        concat(
          head(),
          epb(e, { ts: 1n, data: d(60) }),
          epb(e, { ifid: 3, ts: 2n, data: d(60) }),
          epb(e, { ts: 3n, data: d(62) }),
        ),
      );
      const ours = readOurs(f);
      const theirs = tsharkRows(f, FIELDS);
      expect(theirs.problem).toMatch(/interface index 3 is not less than section interface count 1/);
      expect(ourRows(ours).slice(0, theirs.rows.length)).toEqual(
        theirs.rows.map((r) => r.slice(0, FRAME_FIELDS.length)),
      );
      expect(ours.packets.map((p) => p.caplen)).toEqual([60, 62]);
    });

    it('an SPB shorter than its packet: tshark stops; we read the bytes that are there, with a warning', () => {
      const f = write(
        'spb.pcapng',
        concat(shb(e), idb(e, 1, 50), spb(e, 60, d(50)), spb(e, 100, d(20)), spb(e, 30, d(30))),
      );
      const ours = readOurs(f);
      const theirs = tsharkRows(f, FIELDS);
      expect(theirs.problem).toMatch(
        /too small for 100 bytes of packet data|total block length 36 of an SPB/,
      );
      expect(ourRows(ours).slice(0, theirs.rows.length)).toEqual(
        theirs.rows.map((r) => r.slice(0, FRAME_FIELDS.length)),
      );
      expect(ours.packets.map((p) => [p.caplen, p.origlen])).toEqual([
        [50, 60],
        [20, 100],
        [30, 30],
      ]);
    });

    it("a pcapng packet above its link type's maximum length: tshark stops; we read it (the block holds it)", () => {
      const f = write(
        'bigpkt.pcapng',
        concat(head(), epb(e, { ts: 1n, data: d(300_000) }), epb(e, { ts: 2n, data: d(60) })),
      );
      const ours = readOurs(f);
      const theirs = tsharkRows(f, FIELDS);
      expect(theirs.problem).toMatch(/300000/);
      expect(theirs.rows).toEqual([]);
      expect(ours.packets.map((p) => p.caplen)).toEqual([300_000, 60]);
      expect(ours.warnings).toEqual([]);
    });

    it('reserved link-type bits in pcap: tshark refuses the file; we warn and read the low 16 bits', () => {
      const f = write(
        'reserved.pcap',
        concat(pcapHeader({ linktype: 0x00010001 }), pcapRecord({ sec: 1, frac: 2, data: d(60) })),
      );
      const ours = readOurs(f);
      const theirs = tsharkRows(f, FIELDS);
      expect(theirs.problem).toMatch(/network type reserved field not zero/);
      expect(ours.packets.map((p) => p.linktype)).toEqual([1]);
      expect(ours.warnings).toHaveLength(1);
    });

    it('a link type tshark does not know: tshark refuses the file; we read its packets (the engine shows them as data)', () => {
      const f = write(
        'unknown-linktype.pcap',
        concat(pcapHeader({ linktype: 4 }), pcapRecord({ sec: 1, frac: 2, data: d(60) })),
      );
      const ours = readOurs(f);
      const theirs = tsharkRows(f, FIELDS);
      expect(theirs.problem).toMatch(/network type 4 unknown or unsupported/);
      expect(ours.packets.map((p) => p.linktype)).toEqual([4]);
      expect(ours.error).toBeNull();
    });

    it('an unknown block type: both skip it and agree on the packets around it', () => {
      const f = write('plain.pcapng', concat(head(), block(e, 0x1234, d(8)), epb(e, { ts: 5n, data: d(8) })));
      const theirs = tsharkRows(f, FIELDS);
      expect(rowsWithFlags(readOurs(f))).toEqual(theirs.rows);
    });
  },
);
