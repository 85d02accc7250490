// "Apply as filter" text for every node of real packets' trees, checked with tshark: each filter
// must select the very frame it came from (tshark -2, so cross-frame fields like icmp.resp_in are
// known). Absolute times are left out: tshark accepts `"Nov 24, 2026 07:08:08.095812000 UTC"`
// but the project's filter compiler does not parse dates yet.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Item } from '../../shared/dissect/types';
import { compileFilter } from '../../shared/filter/compile';
import { dissectFile } from '../../tests/support/dissect-file';
import { tsharkMissing, tsharkPath } from '../../tests/support/tshark';
import { fieldFilter, parseHexBytes } from './worker-requests';

const FILES = ['tests/fixtures/captures/lo-mixed.pcap', 'tests/fixtures/cli/web.pcapng'];

function filtersOf(file: string, frames: number) {
  const out: { frame: number; filters: string[] }[] = [];
  for (const d of dissectFile(file).frames.slice(0, frames)) {
    const fs = new Set<string>();
    d.layers.forEach((l, li) => {
      fs.add(fieldFilter(d, li, [])!);
      const walk = (items: readonly Item[] | undefined, path: number[]) =>
        (items ?? []).forEach((it, i) => {
          const f = fieldFilter(d, li, [...path, i]);
          if (f) fs.add(f);
          walk(it.children, [...path, i]);
        });
      walk(l.items, []);
    });
    out.push({ frame: d.frame, filters: [...fs] });
  }
  return out;
}

describe('fieldFilter', () => {
  it('gives a protocol row its name, strings quoted and escaped, numbers and addresses bare', () => {
    const [first] = filtersOf(FILES[0], 1);
    expect(first.filters).toContain('eth');
    expect(first.filters).toContain('ip.src == 127.0.0.1');
    expect(first.filters).toContain('eth.src == 00:00:00:00:00:00');
    expect(first.filters).toContain('ip.proto == 1');
    const web = filtersOf(FILES[1], 20).flatMap((f) => f.filters);
    expect(web.some((f) => /^http\.host == ".+"$/.test(f))).toBe(true);
  });

  it.skipIf(!!tsharkMissing)(
    `selects the frame it came from, in tshark ${tsharkMissing}`,
    () => {
      for (const file of FILES) {
        for (const { frame, filters } of filtersOf(file, 12)) {
          const ok = filters.filter((f) => compileFilter(f).ok);
          const dates = filters.filter((f) => !compileFilter(f).ok);
          for (const f of dates) expect(f).toMatch(/^[\w.]+ == "\w{3} [ \d]\d, \d{4} [\d:.]+ UTC"$/);
          const sel = (fl: string[]) =>
            execFileSync(
              tsharkPath,
              [
                '-n',
                '-2',
                '-r',
                file,
                '-Y',
                `frame.number == ${frame} && ${fl.map((x) => `(${x})`).join(' && ')}`,
              ],
              { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, TZ: 'UTC' } },
            ).trim() !== '';
          // One tshark run per frame; a miss is then narrowed down to the filter that fails.
          if (!sel(ok)) expect(ok.filter((f) => !sel([f]))).toEqual([]);
        }
      }
    },
    120_000,
  );
});

describe('parseHexBytes', () => {
  it('reads hex as people type it, and refuses half bytes and non-hex', () => {
    expect([...parseHexBytes('47 45 54')!]).toEqual([0x47, 0x45, 0x54]);
    expect([...parseHexBytes('47:45:54')!]).toEqual([0x47, 0x45, 0x54]);
    expect([...parseHexBytes('0x47,0x45')!]).toEqual([0x47, 0x45]);
    expect([...parseHexBytes('6D6573')!]).toEqual([0x6d, 0x65, 0x73]);
    expect(parseHexBytes('474')).toBeNull();
    expect(parseHexBytes('zz')).toBeNull();
    expect(parseHexBytes('')).toBeNull();
  });
});
