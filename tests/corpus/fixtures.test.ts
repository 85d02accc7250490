// Our readers against tshark on the small real captures in tests/fixtures/readers/ (made by
// make.sh from loopback traffic): every frame field a reader decides, for every packet.
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tsharkMissing } from '../support/tshark';
import { ourRows, readOurs, repoRoot, tsharkRows } from './oracle';

const dir = resolve(repoRoot, 'tests/fixtures/readers');
const files = readdirSync(dir).filter((f) => /\.pcap(ng)?$/.test(f)).sort();

describe.skipIf(!!tsharkMissing)(`reader fixtures agree with tshark${tsharkMissing ? ` (${tsharkMissing})` : ''}`, () => {
  it('has the fixture files', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'lo-micro.pcap',
        'lo-nano.pcap',
        'lo-dumpcap.pcapng',
        'two-ifaces.pcapng',
        'lo-micro.pcapng',
        'lo-nano.pcapng',
        'commented.pcapng',
        'three-sections.pcapng',
        'cut-short.pcap',
      ]),
    );
  });

  for (const f of files) {
    it(`${f}: same frames, times, lengths, interfaces, sections and comments`, () => {
      const file = resolve(dir, f);
      const ours = readOurs(file);
      const theirs = tsharkRows(file);
      expect(ours.error).toBeNull();
      expect(ours.packets.length).toBeGreaterThan(0);
      expect(ourRows(ours)).toEqual(theirs.rows);
      if (theirs.problem) {
        expect(theirs.problem).toMatch(/cut short in the middle of a packet/);
        expect(ours.warnings).toHaveLength(1);
        expect(ours.warnings[0].message).toMatch(/truncated last packet record at offset \d+: .*\(37 missing\)/);
      } else {
        expect(ours.warnings).toEqual([]);
      }
    });
  }

  it('sees what the fixtures were made to show', () => {
    const sections = readOurs(resolve(dir, 'three-sections.pcapng'));
    expect(new Set(sections.packets.map((p) => p.section))).toEqual(new Set([0, 1, 2]));
    expect(sections.packets.some((p) => p.section === 1 && p.ifid === 1 && p.linktype === 276)).toBe(true);
    const commented = readOurs(resolve(dir, 'commented.pcapng'));
    expect(commented.packets.filter((p) => p.comment).map((p) => [p.index + 1, p.comment])).toEqual([
      [1, 'first packet, with a comma'],
      [3, 'ünïcødé comment ✓'],
      [10, 'third'],
    ]);
    const nano = readOurs(resolve(dir, 'lo-nano.pcap'));
    expect(nano.packets.some((p) => p.tsNsec % 1000 !== 0)).toBe(true);
  });
});
