import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  linkTypeDescription,
  linkTypeInfo,
  linkTypeLabel,
  linkTypeName,
  maxCaplen,
  wtapEncap,
} from '../../shared/capture/linktypes';
import { concat, idb, shb } from '../../shared/capture/testing';

const capinfos = spawnSync('sh', ['-c', 'command -v capinfos'], { encoding: 'utf8' }).stdout.trim();

describe('link types', () => {
  it('names the types the brief and the tcpdump corpus need', () => {
    const want: [number, string][] = [
      [0, 'NULL'],
      [1, 'EN10MB'],
      [8, 'SLIP'],
      [9, 'PPP'],
      [12, 'RAW'],
      [14, 'RAW'],
      [101, 'RAW'],
      [105, 'IEEE802_11'],
      [107, 'FRELAY'],
      [108, 'LOOP'],
      [113, 'LINUX_SLL'],
      [127, 'IEEE802_11_RADIO'],
      [160, 'USER13'],
      [226, 'IPNET'],
      [228, 'IPV4'],
      [229, 'IPV6'],
      [231, 'DBUS'],
      [276, 'LINUX_SLL2'],
    ];
    for (const [n, name] of want) expect(linkTypeName(n)).toBe(name);
    expect(linkTypeDescription(1)).toBe('Ethernet');
    expect(linkTypeDescription(276)).toBe('Linux cooked-mode capture v2');
    expect(linkTypeDescription(4)).toBe('unknown link type 4');
    expect(linkTypeName(4)).toBe('LINKTYPE_4');
    expect(linkTypeLabel(1)).toBe('1 (EN10MB, Ethernet)');
    expect(linkTypeLabel(9999)).toBe('9999 (unknown link type 9999)');
    expect(maxCaplen(1)).toBe(262144);
    expect([wtapEncap(1), wtapEncap(113), wtapEncap(276), wtapEncap(101), wtapEncap(4)]).toEqual([
      1, 25, 210, 7, 0,
    ]);
    expect(maxCaplen(231)).toBe(128 * 1024 * 1024);
  });

  it.skipIf(!capinfos)(
    'uses the wording and the encapsulation number Wireshark shows for every type (capinfos)',
    () => {
      const types: number[] = [];
      for (let n = 0; n < 400; n++) if (linkTypeInfo(n)) types.push(n);
      const dir = mkdtempSync(join(tmpdir(), 'linktypes-'));
      try {
        const file = join(dir, 'all.pcapng');
        writeFileSync(file, concat(shb('le'), ...types.map((t) => idb('le', t, 0))));
        const out = execFileSync(capinfos, [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
        const found = [
          ...out.matchAll(/Interface #(\d+) info:\s*\n\s*Encapsulation = (.*) \((\d+) - [^)]*\)/g),
        ];
        const shown = found.map((m) => m[2]);
        expect(shown).toHaveLength(types.length);
        expect(types.map(wtapEncap)).toEqual(found.map((m) => Number(m[3])));
        const mismatches = types
          .map((t, i) => [t, linkTypeDescription(t), shown[i]] as const)
          .filter(([, ours, theirs]) => theirs !== 'Unknown' && ours !== theirs);
        expect(mismatches).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
