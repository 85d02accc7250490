import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createReader } from './reader';
import {
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
} from './testing';
import { collect, type Collected } from './testing-collect';
import { CaptureError, type CapturePacket } from './types';

const d = (n: number, seed = n + 1) => pseudoBytes(n, seed);

/** A pcapng that exercises every block kind, two sections, both byte orders and a cut tail. */
function richPcapng(): Uint8Array {
  return concat(
    shb('le', [opt(1, 'section one'), opt(4, 'test')]),
    idb('le', 1, 0, [opt(2, 'eth0'), optU8(9, 9)]),
    idb('le', 101, 128, [optU8(9, 0x80 | 20), optU64(14, 7n, 'le')]),
    epb('le', {
      ifid: 0,
      ts: 1_700_000_000_123_456_789n,
      data: d(60),
      opts: [opt(1, 'a'), opt(1, 'b'), optU32(2, 1, 'le')],
    }),
    epb('le', { ifid: 1, ts: (1n << 20n) * 5n + 3n, data: d(128), origlen: 1400 }),
    nrb('le', [{ address: [10, 1, 2, 3], names: ['host.example'] }]),
    spb('le', 77, d(77)),
    customBlock('le', 0xbad, 1, d(5)),
    dsb('le', 0x544c534b, utf8('CLIENT_RANDOM aa bb\n')),
    isb('le', 0, 1_700_000_001_000_000_000n, [optU64(4, 3n, 'le')]),
    shb('be'),
    idb('be', 113, 0),
    opb('be', { ifid: 0, drops: 2, ts: 9_000_000n, data: d(33) }),
    epb('be', { ifid: 0, ts: 10_000_000n, data: d(0) }),
    epb('be', { ifid: 0, ts: 11_000_000n, data: d(1000) }).subarray(0, 500),
  );
}

function richPcap(): Uint8Array {
  const recs = [];
  for (let i = 0; i < 40; i++)
    recs.push(pcapRecord({ endian: 'be', sec: 1_600_000_000 + i, frac: i * 7, data: d((i * 37) % 200, i) }));
  const all = concat(pcapHeader({ endian: 'be', nano: true, linktype: 1 }), ...recs);
  return all.subarray(0, all.length - 3);
}

/** Comparable form of everything a reader reported. */
function summary(c: Collected) {
  return {
    packets: c.packets.map((p: CapturePacket) => ({ ...p, data: Array.from(p.data) })),
    infos: c.infos,
    ifaces: c.ifaces,
    names: c.names,
    stats: c.stats,
    secrets: c.secrets.map((s) => ({ type: s.type, data: Array.from(s.data) })),
    warnings: c.warnings,
    error: c.error?.message ?? null,
    events: c.events,
  };
}

describe('createReader: sniffing the format', () => {
  it('names an unknown magic in hex and text, with the file name first', () => {
    const c = collect(utf8('<!DOCTYPE html><html>'), undefined, 'FILE');
    expect(c.error).toBeInstanceOf(CaptureError);
    expect((c.error as CaptureError).offset).toBe(0);
    expect(c.error!.message).toBe(
      'FILE: not a capture file: unknown magic 3c 21 44 4f ("<!DO") at offset 0; expected pcap (a1 b2 c3 d4 …) or pcapng (0a 0d 0d 0a)',
    );
  });

  it('says what to do with a compressed capture', () => {
    const c = collect(Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0));
    expect(c.error!.message).toMatch(
      /unknown magic 1f 8b 08 00 .*\(this is gzip-compressed data: decompress it first/,
    );
  });

  it('reports an empty file and a file shorter than a magic', () => {
    expect(collect(new Uint8Array(0), undefined, 'e.pcap').error!.message).toBe(
      'e.pcap: empty file (0 bytes): nothing at offset 0; expected a pcap or pcapng capture',
    );
    expect(collect(Uint8Array.of(0xd4, 0xc3)).error!.message).toBe(
      'not a capture file: only 2 bytes (d4 c3) at offset 0; a capture file starts with a 4-byte magic, pcap (a1 b2 c3 d4 …) or pcapng (0a 0d 0d 0a)',
    );
  });

  it('sniffs a magic that arrives one byte at a time', () => {
    expect(collect(richPcap(), 1).packets).toHaveLength(39);
    expect(collect(richPcapng(), 1).packets).toHaveLength(5);
  });

  it('gives packet data as a view into the pushed chunk, not a copy', () => {
    const bytes = concat(
      pcapHeader(),
      pcapRecord({ sec: 1, frac: 0, data: d(60) }),
      pcapRecord({ sec: 1, frac: 0, data: d(61) }),
    );
    const seen: boolean[] = [];
    const r = createReader({
      packet: (p) => seen.push(p.data.buffer === bytes.buffer && p.data.byteOffset === p.dataOffset),
    });
    r.push(bytes);
    r.end();
    expect(seen).toEqual([true, true]);
  });

  it('counts the bytes pushed for progress', () => {
    const bytes = richPcap();
    const r = createReader({ packet: () => {}, warning: () => {} });
    r.push(bytes.subarray(0, 2));
    expect(r.consumed).toBe(2);
    r.push(bytes.subarray(2, 1000));
    r.push(bytes.subarray(1000));
    expect(r.consumed).toBe(bytes.length);
  });
});

describe('createReader: chunk boundaries change nothing', () => {
  for (const [name, make] of [
    ['pcap', richPcap],
    ['pcapng', richPcapng],
  ] as const) {
    it(`${name}: byte by byte, fixed sizes and one push give the same packets, warnings and events`, () => {
      const bytes = make();
      const whole = summary(collect(bytes));
      expect(whole.error).toBeNull();
      expect(whole.warnings.length).toBeGreaterThan(0);
      for (const size of [1, 2, 3, 4, 7, 8, 13, 16, 24, 28, 100, 4096]) {
        expect(summary(collect(bytes, size))).toEqual(whole);
      }
    });

    it(`${name}: random splits give the same result (property)`, () => {
      const bytes = make();
      const whole = summary(collect(bytes));
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 1, max: 600 }), { minLength: 1, maxLength: 40 }), (sizes) => {
          expect(summary(collect(bytes, sizes))).toEqual(whole);
        }),
        { numRuns: 300 },
      );
    });
  }

  it('lets the caller reuse its read buffer between pushes', () => {
    const bytes = richPcapng();
    const whole = summary(collect(bytes));
    const c: Collected = {
      packets: [],
      infos: [],
      ifaces: [],
      names: [],
      stats: [],
      secrets: [],
      warnings: [],
      error: null,
      events: [],
    };
    const r = createReader({
      info: (i) => (c.infos.push(i), c.events.push('info')),
      iface: (i) => (c.ifaces.push(i), c.events.push('iface')),
      packet: (p) => (c.packets.push({ ...p, data: p.data.slice() }), c.events.push('packet')),
      names: (n) => (c.names.push(n), c.events.push('names')),
      stats: (s) => (c.stats.push(s), c.events.push('stats')),
      secrets: (s) => (c.secrets.push(s), c.events.push('secrets')),
      warning: (w) => (c.warnings.push(w), c.events.push('warning')),
    });
    const buf = new Uint8Array(37);
    for (let o = 0; o < bytes.length; o += buf.length) {
      const n = Math.min(buf.length, bytes.length - o);
      buf.set(bytes.subarray(o, o + n));
      r.push(buf.subarray(0, n));
      buf.fill(0xa5);
    }
    r.end();
    expect(summary(c)).toEqual(whole);
  });
});
