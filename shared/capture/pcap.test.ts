import { describe, expect, it } from 'vitest';
import { PcapReader } from './pcap';
import { concat, pcapHeader, pcapRecord, pseudoBytes, type Endian } from './testing';
import { collect } from './testing-collect';
import { CaptureError } from './types';

const d = (n: number, seed = n + 1) => pseudoBytes(n, seed);

describe('pcap reader: headers, byte orders and resolutions', () => {
  for (const endian of ['le', 'be'] as Endian[]) {
    for (const nano of [false, true]) {
      it(`reads ${endian === 'le' ? 'little' : 'big'}-endian ${nano ? 'nanosecond' : 'microsecond'} files`, () => {
        const packets = [
          { sec: 1_700_000_000, frac: nano ? 999_999_999 : 999_999, data: d(60) },
          { sec: 1_700_000_001, frac: 7, data: d(1514), origlen: 1514 },
          { sec: 4_294_967_295, frac: 0, data: d(0) },
          { sec: 0, frac: 1, data: d(40), origlen: 9000 },
        ];
        const bytes = concat(
          pcapHeader({ endian, nano, snaplen: 65535, linktype: 113 }),
          ...packets.map((p) => pcapRecord({ endian, ...p })),
        );
        const c = collect(bytes);
        expect(c.error).toBeNull();
        expect(c.warnings).toEqual([]);
        expect(c.infos).toEqual([
          {
            format: 'pcap',
            byteOrder: endian === 'le' ? 'little' : 'big',
            version: '2.4',
            tsDigits: nano ? 9 : 6,
            sections: 1,
            sectionComments: [],
          },
        ]);
        expect(c.ifaces).toEqual([
          {
            id: 0,
            linktype: 113,
            snaplen: 65535,
            tsPerSecond: nano ? 1e9 : 1e6,
            tsResolution: nano ? 9 : 6,
            tsOffset: 0,
            section: 0,
          },
        ]);
        expect(c.events.slice(0, 2)).toEqual(['info', 'iface']);
        let off = 24;
        expect(c.packets.length).toBe(packets.length);
        c.packets.forEach((p, i) => {
          const w = packets[i];
          expect(p.index).toBe(i);
          expect(p.recordOffset).toBe(off);
          expect(p.dataOffset).toBe(off + 16);
          expect(p.tsSec).toBe(w.sec);
          expect(p.tsNsec).toBe(nano ? w.frac : w.frac * 1000);
          expect(p.caplen).toBe(w.data.length);
          expect(p.origlen).toBe(w.origlen ?? w.data.length);
          expect(p.linktype).toBe(113);
          expect(p.ifid).toBe(0);
          expect(p.section).toBe(0);
          expect(p.comment).toBeUndefined();
          expect(p.data).toEqual(w.data);
          off += 16 + w.data.length;
        });
      });
    }
  }

  it('reads a header-only file as zero packets, without warnings', () => {
    const c = collect(pcapHeader());
    expect(c.error).toBeNull();
    expect(c.packets).toEqual([]);
    expect(c.warnings).toEqual([]);
    expect(c.ifaces).toHaveLength(1);
  });

  it('takes the FCS length from the link-type field only when its P bit (0x04000000) is set', () => {
    const withFcs = collect(
      concat(pcapHeader({ linktype: 0x24000001 }), pcapRecord({ sec: 1, frac: 0, data: d(64) })),
    );
    expect(withFcs.ifaces[0].linktype).toBe(1);
    expect(withFcs.ifaces[0].fcsLength).toBe(4);
    expect(withFcs.packets[0].linktype).toBe(1);
    // tcpdump's heap-overflow regression files carry 0x30000001: FCS bits without P = unknown.
    const noP = collect(
      concat(pcapHeader({ linktype: 0x30000001 }), pcapRecord({ sec: 1, frac: 0, data: d(64) })),
    );
    expect(noP.ifaces[0].linktype).toBe(1);
    expect(noP.ifaces[0].fcsLength).toBeUndefined();
    expect(noP.warnings).toEqual([]);
  });

  it('warns about reserved link-type bits and uses the low 16 bits', () => {
    const c = collect(
      concat(pcapHeader({ linktype: 0x00010001 }), pcapRecord({ sec: 1, frac: 0, data: d(20) })),
      undefined,
      'x.pcap',
    );
    expect(c.packets[0].linktype).toBe(1);
    expect(c.warnings).toHaveLength(1);
    expect(c.warnings[0].offset).toBe(20);
    expect(c.warnings[0].message).toMatch(
      /^x\.pcap: pcap link-type field 0x00010001 at offset 20 has reserved bits set/,
    );
  });

  it('reads the modified (Kuznetzov, a1b2cd34) variant with 24-byte record headers', () => {
    const rec = (sec: number, data: Uint8Array) =>
      concat(
        pcapRecord({ sec, frac: 5, data: new Uint8Array(0), caplen: data.length, origlen: data.length }),
        new Uint8Array(8).fill(0xee),
        data,
      );
    const header = pcapHeader();
    header.set([0x34, 0xcd, 0xb2, 0xa1], 0);
    const c = collect(concat(header, rec(10, d(30)), rec(11, d(31))));
    expect(c.error).toBeNull();
    expect(c.infos[0].variant).toBe('modified');
    expect(c.packets.map((p) => [p.tsSec, p.tsNsec, p.caplen, p.dataOffset])).toEqual([
      [10, 5000, 30, 48],
      [11, 5000, 31, 24 + 54 + 24],
    ]);
    expect(c.packets[1].data).toEqual(d(31));
  });
});

describe('pcap reader: odd but valid records are just packets', () => {
  it('keeps caplen > snaplen, caplen < origlen and caplen > origlen as they are (tshark does too)', () => {
    const bytes = concat(
      pcapHeader({ snaplen: 50 }),
      pcapRecord({ sec: 1, frac: 0, data: d(60) }),
      pcapRecord({ sec: 1, frac: 1, data: d(30), origlen: 1500 }),
      pcapRecord({ sec: 1, frac: 2, data: d(60), origlen: 10 }),
    );
    const c = collect(bytes);
    expect(c.error).toBeNull();
    expect(c.packets.map((p) => [p.caplen, p.origlen])).toEqual([
      [60, 60],
      [30, 1500],
      [60, 10],
    ]);
  });

  it('carries a fraction of a second or more into the seconds', () => {
    const c = collect(concat(pcapHeader(), pcapRecord({ sec: 1, frac: 2_500_000, data: d(1) })));
    expect([c.packets[0].tsSec, c.packets[0].tsNsec]).toEqual([3, 500_000_000]);
    const n = collect(
      concat(pcapHeader({ nano: true }), pcapRecord({ sec: 1, frac: 4_000_000_123, data: d(1) })),
    );
    expect([n.packets[0].tsSec, n.packets[0].tsNsec]).toEqual([5, 123]);
  });

  it('accepts large packets on link types that have them (D-Bus: up to 128 MiB)', () => {
    const c = collect(
      concat(pcapHeader({ linktype: 231 }), pcapRecord({ sec: 1, frac: 0, data: d(300_000) })),
    );
    expect(c.error).toBeNull();
    expect(c.packets[0].caplen).toBe(300_000);
  });
});

describe('pcap reader: damaged files', () => {
  it('rejects a captured length above the link type maximum, naming offset, value and limit, after every packet before it', () => {
    const bytes = concat(
      pcapHeader(),
      pcapRecord({ sec: 1, frac: 0, data: d(60) }),
      pcapRecord({ sec: 1, frac: 0, data: d(10), caplen: 262145 }),
      pcapRecord({ sec: 1, frac: 0, data: d(60) }),
    );
    const c = collect(bytes, undefined, 'bad.pcap');
    expect(c.packets).toHaveLength(1);
    expect(c.error).toBeInstanceOf(CaptureError);
    expect((c.error as CaptureError).offset).toBe(100);
    expect(c.error!.message).toBe(
      'bad.pcap: bad packet record at offset 100 (packet 2): captured length 262145 is bigger than the maximum of 262144 bytes for link type 1 (EN10MB, Ethernet); expected a record header here, the file is damaged from this point',
    );
  });

  it('fails on an absurd captured length at once, without waiting for (or allocating) the bytes', () => {
    const r = new PcapReader({ packet: () => {} });
    r.push(pcapHeader());
    expect(() => r.push(pcapRecord({ sec: 0, frac: 0, data: d(0), caplen: 0xffffffff }))).toThrow(
      /captured length 4294967295/,
    );
    expect(r.retained).toBeLessThan(1024);
  });

  it('stays failed: push rethrows the same error, end() is quiet', () => {
    const r = new PcapReader({ packet: () => {} });
    r.push(pcapHeader());
    let first: unknown;
    try {
      r.push(pcapRecord({ sec: 0, frac: 0, data: d(0), caplen: 0x7fffffff }));
    } catch (e) {
      first = e;
    }
    expect(first).toBeInstanceOf(CaptureError);
    expect(() => r.push(d(10))).toThrow(first as Error);
    expect(() => r.end()).not.toThrow();
  });

  it('refuses version 1.x, naming the offset of the version', () => {
    const c = collect(
      concat(pcapHeader({ major: 1, minor: 0 }), pcapRecord({ sec: 1, frac: 0, data: d(4) })),
    );
    expect(c.error).toBeInstanceOf(CaptureError);
    expect((c.error as CaptureError).offset).toBe(4);
    expect(c.error!.message).toBe('unsupported pcap version 1.0 at offset 4; expected 2.x (normally 2.4)');
  });

  it('keeps every whole packet of a file cut inside its last record and warns once at end()', () => {
    const full = concat(
      pcapHeader(),
      pcapRecord({ sec: 1, frac: 0, data: d(60) }),
      pcapRecord({ sec: 2, frac: 0, data: d(60) }),
    );
    const c = collect(full.subarray(0, full.length - 7), 13, 'cut.pcap');
    expect(c.error).toBeNull();
    expect(c.packets).toHaveLength(1);
    expect(c.warnings).toEqual([
      {
        offset: 100,
        message:
          'cut.pcap: truncated last packet record at offset 100: needs 76 bytes (captured length 60), only 69 present (7 missing); the packet is lost, every packet before it was read',
      },
    ]);
    expect(c.events.at(-1)).toBe('warning');
  });

  it('says how much of a record header is missing when the cut is inside it', () => {
    const full = concat(
      pcapHeader(),
      pcapRecord({ sec: 1, frac: 0, data: d(60) }),
      pcapRecord({ sec: 2, frac: 0, data: d(60) }),
    );
    const c = collect(full.subarray(0, 24 + 76 + 9));
    expect(c.packets).toHaveLength(1);
    expect(c.warnings.map((w) => w.message)).toEqual([
      'truncated packet record header at offset 100: 9 of 16 bytes present (7 missing); the packet is lost, every packet before it was read',
    ]);
  });

  it('fails clearly on a file cut inside its file header', () => {
    const c = collect(pcapHeader().subarray(0, 13), undefined, 'short.pcap');
    expect(c.error).toBeInstanceOf(CaptureError);
    expect(c.error!.message).toBe(
      'short.pcap: truncated pcap file header at offset 0: 13 of 24 bytes present (11 missing); no packets',
    );
  });

  it('rejects pushes after end()', () => {
    const r = new PcapReader({ packet: () => {} });
    r.push(pcapHeader());
    r.end();
    expect(() => r.push(d(4))).toThrow(/data pushed after end of input/);
  });
});

describe('pcap reader: a sink that throws', () => {
  it('passes the exception through push and stays dead (no packet delivered twice)', () => {
    let calls = 0;
    const r = new PcapReader({
      packet: () => {
        calls++;
        throw new Error('sink broke');
      },
    });
    const bytes = concat(
      pcapHeader(),
      pcapRecord({ sec: 1, frac: 0, data: d(10) }),
      pcapRecord({ sec: 2, frac: 0, data: d(10) }),
    );
    expect(() => r.push(bytes)).toThrow('sink broke');
    expect(() => r.push(d(4))).toThrow('sink broke');
    expect(() => r.end()).not.toThrow();
    expect(calls).toBe(1);
  });
});
