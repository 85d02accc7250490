// The fixture set itself: every capture is documented, small, and (for the converted ones) decodes
// in tshark exactly as the real capture it was made from. A broken converter would otherwise make
// every later comparison meaningless.
import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tsharkFields, tsharkMissing } from '../support/tshark';
import { FIXTURE_DIR, fixtureFiles } from './fixture-list';

const files = fixtureFiles();
const fx = (name: string) => join(FIXTURE_DIR, name);

describe('fixture captures', () => {
  it('are each listed in captures/README.md with how they were made, and nothing else is', () => {
    const readme = readFileSync(fx('README.md'), 'utf8');
    const listed = [...readme.matchAll(/^\| `([^`]+)` \| \d+ \| (.+) \|$/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(files.map((f) => basename(f)).sort());
    for (const m of readme.matchAll(/^\| `([^`]+)` \| \d+ \| (.+) \|$/gm))
      expect(m[2].length, m[1]).toBeGreaterThan(30);
  });

  it('are small (≤ 200 KB each)', () => {
    for (const f of files) expect(statSync(f).size, basename(f)).toBeLessThanOrEqual(200_000);
  });
});

/** frame.protocols of every frame, via tshark. */
const protocols = (name: string) => tsharkFields(fx(name), ['frame.protocols']).map((r) => r[0]);
const ETH = 'eth:ethertype:';
const ipOnly = (ps: string[], v: 'ip' | 'ipv6') => ps.filter((p) => p.startsWith(`${ETH}${v}:`));

describe.skipIf(!!tsharkMissing)('converted fixtures decode in tshark as their sources', () => {
  it('packet counts stay within bounds (≤ 150)', () => {
    for (const f of files)
      expect(tsharkFields(f, ['frame.number']).length, basename(f)).toBeLessThanOrEqual(150);
  });

  const mixed = tsharkMissing ? [] : protocols('lo-mixed.pcap');
  const cases: [string, string, (p: string) => string, ((ps: string[]) => string[])?][] = [
    ['linktype-null.pcap', 'NULL (0)', (p) => 'null:' + p.slice(ETH.length)],
    ['linktype-loop.pcap', 'LOOP (108)', (p) => 'null:' + p.slice(ETH.length)],
    ['linktype-raw.pcap', 'RAW (101)', (p) => 'raw:' + p.slice(ETH.length)],
    ['linktype-raw12.pcap', 'link type 12', (p) => 'raw:' + p.slice(ETH.length)],
    ['linktype-raw14.pcap', 'link type 14', (p) => 'raw:' + p.slice(ETH.length)],
    ['linktype-ipv4.pcap', 'IPV4 (228)', (p) => p.slice(ETH.length), (ps) => ipOnly(ps, 'ip')],
    ['linktype-ipv6.pcap', 'IPV6 (229)', (p) => p.slice(ETH.length), (ps) => ipOnly(ps, 'ipv6')],
  ];
  for (const [file, what, map, select] of cases) {
    it(`${file}: ${what}`, () => {
      expect(mixed.length).toBeGreaterThan(20);
      expect(protocols(file)).toEqual((select ? select(mixed) : mixed).map(map));
    });
  }

  it('vlan-arp-nd.pcap: every frame 802.1Q-tagged around the veth capture', () => {
    const src = protocols('veth-arp-nd.pcap');
    expect(src.some((p) => p.endsWith(':arp'))).toBe(true);
    expect(src.some((p) => p.includes(':icmpv6'))).toBe(true);
    expect(protocols('vlan-arp-nd.pcap')).toEqual(
      src.map((p) => `${ETH}vlan:${p}`.replace('vlan:eth:', 'vlan:')),
    );
    expect(new Set(tsharkFields(fx('vlan-arp-nd.pcap'), ['vlan.id']).map((r) => r[0]))).toEqual(
      new Set(['100']),
    );
  });

  it('qinq-arp-nd.pcap: odd frames S-tag + C-tag, even frames untagged', () => {
    const src = protocols('veth-arp-nd.pcap');
    const want = src.map((p, i) => (i % 2 ? p : `${ETH}ieee8021ad:ethertype:vlan:${p.slice('eth:'.length)}`));
    expect(protocols('qinq-arp-nd.pcap')).toEqual(want);
  });

  // Big-endian copies: tshark must see the same packets, times, interfaces and comments.
  const FIELDS = [
    'frame.time_epoch',
    'frame.len',
    'frame.cap_len',
    'frame.interface_id',
    'frame.protocols',
    'frame.comment',
    'frame.encap_type',
  ];
  for (const [le, be] of [
    ['lo-http4.pcap', 'lo-http4-be.pcap'],
    ['lo-tcp-chat-nano.pcap', 'lo-tcp-chat-nano-be.pcap'],
    ['lo-http6.pcapng', 'lo-http6-be.pcapng'],
    ['multi-section.pcapng', 'multi-section-be.pcapng'],
  ]) {
    it(`${be} reads as ${le}`, () => {
      const a = tsharkFields(fx(le), FIELDS);
      expect(a.length).toBeGreaterThan(5);
      expect(tsharkFields(fx(be), FIELDS)).toEqual(a);
      expect(readFileSync(fx(be)).equals(readFileSync(fx(le)))).toBe(false);
    });
  }

  it('the big-endian files really are big-endian', () => {
    expect(readFileSync(fx('lo-http4-be.pcap')).subarray(0, 4)).toEqual(
      Buffer.from([0xa1, 0xb2, 0xc3, 0xd4]),
    );
    expect(readFileSync(fx('lo-tcp-chat-nano-be.pcap')).subarray(0, 4)).toEqual(
      Buffer.from([0xa1, 0xb2, 0x3c, 0x4d]),
    );
    expect(readFileSync(fx('lo-http6-be.pcapng')).subarray(8, 12)).toEqual(
      Buffer.from([0x1a, 0x2b, 0x3c, 0x4d]),
    );
  });

  it('tcp-analysis-edited.pcap carries the analysis flags it was edited for', () => {
    const rows = tsharkFields(fx('tcp-analysis-edited.pcap'), [
      'tcp.analysis.lost_segment',
      'tcp.analysis.out_of_order',
      'tcp.analysis.retransmission',
      'tcp.analysis.duplicate_ack_num',
      'tcp.analysis.ack_lost_segment',
    ]);
    for (let col = 0; col < 5; col++)
      expect(
        rows.some((r) => r[col] !== ''),
        `column ${col}`,
      ).toBe(true);
  });

  it('lo-tcp-zero-window.pcap carries real window-full / zero-window / window-update analysis', () => {
    const rows = tsharkFields(fx('lo-tcp-zero-window.pcap'), [
      'tcp.analysis.window_full',
      'tcp.analysis.zero_window',
      'tcp.analysis.window_update',
    ]);
    for (let col = 0; col < 3; col++)
      expect(
        rows.some((r) => r[col] !== ''),
        `column ${col}`,
      ).toBe(true);
  });

  it('lo-any-udp.pcapng has two interfaces of different link types', () => {
    const rows = tsharkFields(fx('lo-any-udp.pcapng'), ['frame.interface_id', 'frame.encap_type']);
    expect(new Set(rows.map((r) => r.join('/')))).toEqual(new Set(['0/1', '1/210']));
  });
});

// Without tshark the comparisons above are skipped; this line says why in the test report.
if (tsharkMissing) it.skip(tsharkMissing, () => {});
