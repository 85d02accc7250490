// Colouring rules: Wireshark's colorfilters format read and written, the defaults as filters, and
// which rule a packet matches first. (Frame-by-frame agreement with tshark --color, defaults and
// a profile of one's own, is in electron/backend/backend.test.ts.)
import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COLOR_STYLES } from '../../shared/contract/coloring';
import type { ColoringRule } from '../../shared/contract/api';
import { dissectOneFrame } from '../support/one-frame';
import { compileColoring } from '../../shared/filter/coloring-match';
import {
  coloringFilters,
  DEFAULT_COLORING,
  formatColorfilters,
  parseColorfilters,
} from '../../shared/filter/coloring';
import { compileFilter } from '../../shared/filter/compile';

const shipped = '/usr/share/wireshark/colorfilters';

describe("Wireshark's colorfilters format", () => {
  it.skipIf(!existsSync(shipped))(
    `reads the file Wireshark ships: 20 rules, background then foreground${existsSync(shipped) ? '' : ` (skipped: no ${shipped}; install wireshark-common)`}`,
    () => {
      const { rules, problems } = parseColorfilters(readFileSync(shipped, 'utf8'));
      expect(problems).toEqual([]);
      expect(rules).toHaveLength(20);
      // Our defaults are its rules, in its order, with its colours, where we dissect what they name.
      for (const d of DEFAULT_COLORING) {
        const w = rules.find((r) => r.name === d.name);
        expect(w, d.name).toBeDefined();
        expect([w!.fg, w!.bg], d.name).toEqual([d.fg, d.bg]);
      }
      const order = DEFAULT_COLORING.map((d) => rules.findIndex((r) => r.name === d.name));
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(rules.find((r) => r.name === 'TCP RST')?.filter).toBe('tcp.flags.reset eq 1');
    },
  );

  it('writes what it reads: names, filters (even with @ in them), colours and the disabled mark', () => {
    const rules: ColoringRule[] = [
      { name: 'Mail', filter: 'smtp contains "@example"', fg: '#000000', bg: '#ffcc00', enabled: true },
      { name: 'Off', filter: 'udp', fg: '#12272e', bg: '#daeeff', enabled: false },
    ];
    const text = formatColorfilters(rules);
    expect(text).toContain('!@Off@udp@[56026,61166,65535][4626,10023,11822]');
    expect(parseColorfilters(text)).toEqual({ rules, problems: [] });
    expect(parseColorfilters(formatColorfilters(DEFAULT_COLORING)).rules).toEqual(DEFAULT_COLORING);
  });

  it('names each line that is not a rule and keeps the others', () => {
    const { rules, problems } = parseColorfilters(
      '# mine\n@TCP@tcp@[1,2,3][4,5,6]\nnonsense here\n@Half@udp@[1,2,3]\n\n@UDP@udp@[0,0,0][65535,65535,65535]\n',
    );
    expect(rules.map((r) => r.name)).toEqual(['TCP', 'UDP']);
    expect(problems.map((p) => p.line)).toEqual([3, 4]);
    expect(problems[0].message).toMatch(/@name@filter@\[r,g,b\]\[r,g,b\]/);
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const r = parseColorfilters(s);
        expect(r.rules.length + r.problems.length).toBeLessThanOrEqual(s.split('\n').length);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('matching', () => {
  it("the defaults are Wireshark's rules written as filters that compile", () => {
    for (const r of DEFAULT_COLORING) expect(compileFilter(r.filter).ok, r.name).toBe(true);
    // The sequence diagram's names for the same rules.
    const names = new Set(Object.values(COLOR_STYLES).map((s) => s.name));
    for (const r of DEFAULT_COLORING) expect(names.has(r.name), r.name).toBe(true);
  });

  it('the first enabled rule that selects the packet wins; one that does not compile never matches', () => {
    // An Ethernet broadcast ARP request.
    const frame = Uint8Array.from([
      ...[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x06],
      ...[0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2],
    ]);
    const target = dissectOneFrame(frame);
    const rule = (filter: string, enabled = true): ColoringRule => ({
      name: filter,
      filter,
      fg: '#000000',
      bg: '#ffffff',
      enabled,
    });
    const rules = [rule('tcp'), rule('arp', false), rule('smb ||'), rule('arp.opcode == 1'), rule('arp')];
    const m = compileColoring(coloringFilters(rules));
    expect(coloringFilters(rules)).toEqual(['tcp', 'smb ||', 'arp.opcode == 1', 'arp']);
    expect(m.match(target)).toBe(2);
    expect(m.errors.map((e) => e !== null)).toEqual([false, true, false, false]);
    expect(compileColoring(coloringFilters(DEFAULT_COLORING)).match(target)).toBe(
      DEFAULT_COLORING.findIndex((r) => r.name === 'ARP'),
    );
  });
});
