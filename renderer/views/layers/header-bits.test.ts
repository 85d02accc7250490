// The bit diagram's cells on real captures: the positions the RFC figures give (RFC 791 §3.1,
// RFC 8200 §3, RFC 9293 §3.1, RFC 768, IEEE 802.1Q), the values read from the bits against tshark,
// and that every bit of a header belongs to exactly one cell.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Dissection } from '../../../shared/dissect/types';
import { dissectFile } from '../../../tests/support/dissect-file';
import { tsharkFields, tsharkMissing } from '../../../tests/support/tshark';
import { parsePcap } from '../../../tests/fixtures/tools/pcap-io';
import { itemAtPath } from '../../state/tree';
import { layoutBits } from './bit-layout';
import { bitAt, bitsValue, headerBits, type HeaderBits } from './header-bits';
import { estimateText } from './stack-layout';
import { stackModel } from './stack-model';

const fixtures = resolve(import.meta.dirname, '../../../tests/fixtures');
const FILES = [
  join(fixtures, 'captures/lo-mixed.pcap'),
  join(fixtures, 'captures/lo-http4.pcap'),
  join(fixtures, 'captures/vlan-arp-nd.pcap'),
  join(fixtures, 'captures/lo-icmp-unreach.pcap'),
  join(fixtures, 'l4/tcp-v4.pcap'),
  join(fixtures, 'l4/tcp-v6.pcap'),
  join(fixtures, 'l4/udp.pcap'),
];

interface Frame {
  d: Dissection;
  bytes: Uint8Array;
}

/** Dissections beside the frames' bytes, the bytes read by the fixture tools (not the readers under test). */
function load(file: string): Frame[] {
  const records = parsePcap(new Uint8Array(readFileSync(file)), file).records;
  return dissectFile(file).frames.map((d, i) => ({ d, bytes: records[i].data }));
}

const cache = new Map<string, Frame[]>();
const frames = (file: string) => {
  if (!cache.has(file)) cache.set(file, load(file));
  return cache.get(file)!;
};

/** The header cells of the first layer named `proto` in a frame. */
function bitsOf(f: Frame, proto: string, nth = 0): HeaderBits | null {
  const m = stackModel(f.d);
  const l = m.layers.filter((x) => x.proto === proto)[nth];
  if (!l) return null;
  const src = l.source === 0 ? f.bytes : f.d.sources[l.source - 1].bytes;
  return headerBits(f.d, l.index, l.header, src);
}

const spans = (h: HeaderBits) =>
  Object.fromEntries(h.cells.filter((c) => !c.gap).map((c) => [c.abbrev, [c.start, c.end]]));
const cell = (h: HeaderBits, abbrev: string) => h.cells.find((c) => c.abbrev === abbrev)!;
const val = (h: HeaderBits, abbrev: string) => {
  const c = cell(h, abbrev);
  return bitsValue(h.data, c.start, c.end);
};

describe('header bits', () => {
  it('TCP: the fields sit where RFC 9293 draws them, flags one bit each', () => {
    const h = bitsOf(frames(FILES[1])[3], 'tcp')!;
    expect(h.total).toBe(32);
    const s = spans(h);
    expect(s).toMatchObject({
      'tcp.srcport': [0, 16],
      'tcp.dstport': [16, 32],
      'tcp.seq': [32, 64],
      'tcp.ack': [64, 96],
      'tcp.hdr_len': [96, 100],
      'tcp.flags.res': [100, 103],
      'tcp.flags.ae': [103, 104],
      'tcp.flags.cwr': [104, 105],
      'tcp.flags.ece': [105, 106],
      'tcp.flags.urg': [106, 107],
      'tcp.flags.ack': [107, 108],
      'tcp.flags.push': [108, 109],
      'tcp.flags.reset': [109, 110],
      'tcp.flags.syn': [110, 111],
      'tcp.flags.fin': [111, 112],
      'tcp.window_size_value': [112, 128],
      'tcp.checksum': [128, 144],
      'tcp.urgent_pointer': [144, 160],
    });
    // The raw sequence number is the same 32 bits as the relative one: one cell, the first.
    expect(h.cells.filter((c) => c.start === 32)).toHaveLength(1);
    expect(cell(h, 'tcp.flags.syn').short).toBe('SYN');
  });

  it('TCP options split into kind, length and value cells', () => {
    const h = bitsOf(frames(FILES[4])[0], 'tcp')!;
    expect(h.total).toBe(40);
    const opts = h.cells.filter((c) => c.start >= 160).map((c) => [c.abbrev, c.start - 160, c.end - c.start]);
    expect(opts).toEqual([
      ['tcp.option_kind', 0, 8],
      ['tcp.option_len', 8, 8],
      ['tcp.options.mss_val', 16, 16],
      ['tcp.option_kind', 32, 8],
      ['tcp.option_len', 40, 8],
      ['tcp.option_kind', 48, 8],
      ['tcp.option_len', 56, 8],
      ['tcp.options.timestamp.tsval', 64, 32],
      ['tcp.options.timestamp.tsecr', 96, 32],
      ['tcp.options.nop', 128, 8],
      ['tcp.option_kind', 136, 8],
      ['tcp.option_len', 144, 8],
      ['tcp.options.wscale.shift', 152, 8],
    ]);
  });

  it('IPv4 (RFC 791), IPv6 (RFC 8200), Ethernet, 802.1Q and UDP (RFC 768) positions', () => {
    const mixed = frames(FILES[0]);
    expect(spans(bitsOf(mixed[12], 'ip')!)).toMatchObject({
      'ip.version': [0, 4],
      'ip.hdr_len': [4, 8],
      'ip.dsfield.dscp': [8, 14],
      'ip.dsfield.ecn': [14, 16],
      'ip.len': [16, 32],
      'ip.id': [32, 48],
      'ip.flags.rb': [48, 49],
      'ip.flags.df': [49, 50],
      'ip.flags.mf': [50, 51],
      'ip.frag_offset': [51, 64],
      'ip.ttl': [64, 72],
      'ip.proto': [72, 80],
      'ip.checksum': [80, 96],
      'ip.src': [96, 128],
      'ip.dst': [128, 160],
    });
    const v6 = mixed.map((f) => bitsOf(f, 'ipv6')).find((h) => h)!;
    expect(spans(v6)).toMatchObject({
      'ipv6.version': [0, 4],
      'ipv6.tclass.dscp': [4, 10],
      'ipv6.tclass.ecn': [10, 12],
      'ipv6.flow': [12, 32],
      'ipv6.plen': [32, 48],
      'ipv6.nxt': [48, 56],
      'ipv6.hlim': [56, 64],
      'ipv6.src': [64, 192],
      'ipv6.dst': [192, 320],
    });
    expect(spans(bitsOf(mixed[12], 'eth')!)).toMatchObject({
      'eth.dst': [0, 48],
      'eth.src': [48, 96],
      'eth.type': [96, 112],
    });
    expect(spans(bitsOf(frames(FILES[2])[2], 'vlan')!)).toMatchObject({
      'vlan.priority': [0, 3],
      'vlan.dei': [3, 4],
      'vlan.id': [4, 16],
      'vlan.etype': [16, 32],
    });
    expect(spans(bitsOf(frames(FILES[6])[0], 'udp')!)).toMatchObject({
      'udp.srcport': [0, 16],
      'udp.dstport': [16, 32],
      'udp.length': [32, 48],
      'udp.checksum': [48, 64],
    });
  });

  it.skipIf(!!tsharkMissing)(`the values read from the bits are tshark's ${tsharkMissing}`, () => {
    let checked = 0;
    for (const file of [FILES[1], FILES[4]]) {
      const rows = tsharkFields(file, [
        'tcp.hdr_len',
        'tcp.flags.syn',
        'tcp.flags.ack',
        'tcp.flags.fin',
        'tcp.flags.push',
        'tcp.window_size_value',
        'tcp.checksum',
        'ip.ttl',
        'ip.flags.df',
        'ip.id',
        'ip.src',
      ]);
      frames(file).forEach((f, i) => {
        const t = bitsOf(f, 'tcp');
        const ip = bitsOf(f, 'ip');
        if (!t || !ip) return;
        const [hdr, syn, ack, fin, psh, win, sum, ttl, df, id, src] = rows[i];
        expect(val(t, 'tcp.hdr_len') * 4).toBe(Number(hdr));
        expect(val(t, 'tcp.flags.syn')).toBe(Number(syn));
        expect(val(t, 'tcp.flags.ack')).toBe(Number(ack));
        expect(val(t, 'tcp.flags.fin')).toBe(Number(fin));
        expect(val(t, 'tcp.flags.push')).toBe(Number(psh));
        expect(val(t, 'tcp.window_size_value')).toBe(Number(win));
        expect(val(t, 'tcp.checksum')).toBe(parseInt(sum, 16));
        expect(val(ip, 'ip.ttl')).toBe(Number(ttl));
        expect(val(ip, 'ip.flags.df')).toBe(Number(df));
        expect(val(ip, 'ip.id')).toBe(parseInt(id, 16));
        const a = cell(ip, 'ip.src');
        expect(
          [0, 1, 2, 3].map((k) => bitsValue(ip.data, a.start + 8 * k, a.start + 8 * k + 8)).join('.'),
        ).toBe(src);
        checked++;
      });
    }
    expect(checked).toBeGreaterThan(20);
    const v6rows = tsharkFields(FILES[5], ['ipv6.flow', 'ipv6.hlim', 'ipv6.plen']);
    frames(FILES[5]).forEach((f, i) => {
      const h = bitsOf(f, 'ipv6');
      if (!h) return;
      expect(val(h, 'ipv6.flow')).toBe(parseInt(v6rows[i][0], 16));
      expect(val(h, 'ipv6.hlim')).toBe(Number(v6rows[i][1]));
      expect(val(h, 'ipv6.plen')).toBe(Number(v6rows[i][2]));
    });
  });

  it('every bit of every header is in exactly one cell, and each cell names its tree item', () => {
    for (const file of FILES) {
      for (const f of frames(file)) {
        for (const l of stackModel(f.d).layers) {
          const src = l.source === 0 ? f.bytes : f.d.sources[l.source - 1].bytes;
          const h = headerBits(f.d, l.index, l.header, src);
          if (l.header === 0) {
            expect(h).toBeNull();
            continue;
          }
          expect(h, `${file} ${f.d.frame} ${l.proto}`).not.toBeNull();
          let at = 0;
          for (const c of h!.cells) {
            expect(c.start, `${file} ${f.d.frame} ${l.proto} ${c.abbrev}`).toBe(at);
            expect(c.end).toBeGreaterThan(c.start);
            at = c.end;
            if (c.ref) expect(itemAtPath(f.d.layers[c.ref.layer], c.ref.path)?.abbrev).toBe(c.abbrev);
          }
          expect(at).toBe(h!.bytes * 8);
          for (let b = 0; b < h!.bytes * 8; b++)
            expect(bitAt(h!.data, b)).toBe((src[l.offset + (b >> 3)] >> (7 - (b & 7))) & 1);
        }
      }
    }
  });
});

describe('bit layout', () => {
  it('32 bits a row; a field wider than a row goes on in the next; one labelled piece a cell; texts fit', () => {
    const f = frames(FILES[5]).find((x) => bitsOf(x, 'ipv6'))!;
    const h = bitsOf(f, 'ipv6')!;
    for (const width of [380, 520, 1200]) {
      const L = layoutBits(h, { width, rem: 15 });
      expect(L.rows).toHaveLength(10);
      expect(L.digits).toHaveLength(320);
      const src = h.cells.findIndex((c) => c.abbrev === 'ipv6.src');
      const pieces = L.pieces.filter((p) => p.cell === src);
      expect(pieces).toHaveLength(4);
      expect(pieces.every((p) => Math.abs(p.w - 32 * L.bitW) < 1e-6)).toBe(true);
      h.cells.forEach((_, ci) => expect(L.pieces.filter((p) => p.cell === ci && p.labelled)).toHaveLength(1));
      for (const t of L.texts) {
        const p = L.pieces.find((x) => x.cell === t.cell && x.labelled)!;
        const w = estimateText(t.name, t.size, true);
        if (t.vertical) expect(w).toBeLessThanOrEqual(p.h);
        else expect(w).toBeLessThanOrEqual(p.w);
        expect(estimateText(t.value, t.size)).toBeLessThanOrEqual(p.w);
        if (!t.vertical) expect(t.name.length).toBeGreaterThan(0);
      }
      expect(L.rows[0].offset).toBe((14).toString(16).padStart(4, '0'));
    }
  });

  it('TCP flags fit as short names turned on their side when the bits are narrow', () => {
    const h = bitsOf(frames(FILES[1])[3], 'tcp')!;
    const L = layoutBits(h, { width: 420, rem: 15 });
    const text = (a: string) => L.texts[h.cells.findIndex((c) => c.abbrev === a)];
    for (const [abbrev, short] of [
      ['tcp.flags.syn', 'SYN'],
      ['tcp.flags.reset', 'RST'],
      ['tcp.flags.push', 'PSH'],
      ['tcp.flags.cwr', 'CWR'],
    ]) {
      expect(text(abbrev).vertical, abbrev).toBe(true);
      expect(text(abbrev).name).toBe(short);
    }
    // The data offset: RFC 9293's short name, and the raw value when "32 bytes (8)" does not fit.
    expect(text('tcp.hdr_len').name).toBe('DOff');
    expect(text('tcp.hdr_len').value).toBe('8');
    const syn = text('tcp.flags.syn');
    expect(syn.name).toBe('SYN');
    const sport = L.texts[h.cells.findIndex((c) => c.abbrev === 'tcp.srcport')];
    expect(sport.name).toBe('Source Port');
    expect(sport.value).toBe('54682');
  });
});
