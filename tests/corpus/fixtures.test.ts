// Our readers against tshark on the small real captures in tests/fixtures/readers/ (made by
// make.sh from loopback traffic): every frame field a reader decides, for every packet.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linkTypeDescription } from '../../shared/capture/linktypes';
import { tsharkMissing } from '../support/tshark';
import { ourRows, readOurs, repoRoot, tsharkRows } from './oracle';

const dir = resolve(repoRoot, 'tests/fixtures/readers');
const files = readdirSync(dir)
  .filter((f) => /\.pcap(ng)?$/.test(f))
  .sort();

describe.skipIf(!!tsharkMissing)(
  `reader fixtures agree with tshark${tsharkMissing ? ` (${tsharkMissing})` : ''}`,
  () => {
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
          expect(ours.warnings[0].message).toMatch(
            /truncated last packet record at offset \d+: .*\(37 missing\)/,
          );
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
  },
);

const capinfos = spawnSync('sh', ['-c', 'command -v capinfos'], { encoding: 'utf8' }).stdout.trim();

/** capinfos' file-level lines and per-interface blocks. */
function capinfosOf(file: string): { file: Record<string, string[]>; ifaces: Record<string, string>[] } {
  const out = execFileSync(capinfos, [file], {
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const fileLines: Record<string, string[]> = {};
  const ifaces: Record<string, string>[] = [];
  for (const line of out.split('\n')) {
    if (/^Interface #\d+ info:/.test(line)) ifaces.push({});
    else if (/^\s+\S.* = /.test(line) && ifaces.length) {
      const [k, ...v] = line.trim().split(' = ');
      ifaces[ifaces.length - 1][k] = v.join(' = ');
    } else {
      const m = /^([A-Za-z][^:]*):\s+(.*)$/.exec(line);
      if (m) (fileLines[m[1]] ??= []).push(m[2]);
    }
  }
  // For a file of several sections capinfos prints its whole interface list once per section.
  const n = Number(fileLines['Number of interfaces in file']?.[0] ?? ifaces.length);
  return { file: fileLines, ifaces: ifaces.slice(0, n) };
}

describe.skipIf(!capinfos)(
  `reader fixtures: section and interface details agree with capinfos${capinfos ? '' : ' (capinfos not installed; skipped)'}`,
  () => {
    for (const f of files.filter((x) => x.endsWith('.pcapng'))) {
      it(`${f}: application, OS, hardware, interfaces (name, description, filter, OS, link type, snaplen, resolution) and statistics`, () => {
        const ours = readOurs(resolve(dir, f));
        const ci = capinfosOf(resolve(dir, f));
        expect(ours.info?.application).toBe(ci.file['Capture application']?.[0]);
        expect(ours.info?.os).toBe(ci.file['Capture oper-sys']?.[0]);
        expect(ours.info?.hardware).toBe(ci.file['Capture hardware']?.[0]);
        expect(ours.info?.sections).toBe(ci.file['Capture application']?.length ?? 1);
        expect(ours.ifaces.map((i) => i.name)).toEqual(ci.ifaces.map((i) => i['Name']));
        expect(ours.ifaces.map((i) => i.description)).toEqual(ci.ifaces.map((i) => i['Description']));
        expect(ours.ifaces.map((i) => i.filter)).toEqual(ci.ifaces.map((i) => i['Filter string']));
        expect(ours.ifaces.map((i) => i.os)).toEqual(ci.ifaces.map((i) => i['Operating system']));
        expect(ours.ifaces.map((i) => linkTypeDescription(i.linktype))).toEqual(
          ci.ifaces.map((i) => i['Encapsulation'].replace(/ \(\d+ - [^)]*\)$/, '')),
        );
        expect(ours.ifaces.map((i) => String(i.snaplen))).toEqual(ci.ifaces.map((i) => i['Capture length']));
        expect(ours.ifaces.map((i) => String(i.tsPerSecond))).toEqual(
          ci.ifaces.map((i) => i['Time ticks per second']),
        );
        // Wireshark 4.0 files each ISB under the file-wide interface whose index equals the ISB's
        // section-local interface id (the same slip as frame.interface_name in later sections).
        // Single-section files are unaffected; for the others we count as it does.
        const multi = (ours.info?.sections ?? 1) > 1;
        const statsPer = (n: number) =>
          ours.stats.filter((s) =>
            multi ? s.ifid === n : s.section === ours.ifaces[n].section && s.ifid === ours.ifaces[n].id,
          ).length;
        expect(ours.ifaces.map((_, n) => String(statsPer(n)))).toEqual(
          ci.ifaces.map((i) => i['Number of stat entries']),
        );
        expect(
          ours.stats.every((s) => ours.ifaces.some((i) => i.section === s.section && i.id === s.ifid)),
        ).toBe(true);
      });
    }
  },
);
