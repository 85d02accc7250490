// The field registry against tshark's own (`tshark -G fields`): every filter name Wirescope
// registers must exist in tshark 4.0 with the same type, base, mask and display name, because
// `-T fields` text, display filters and the tree all follow from them. Wirescope-only names and
// deliberate departures are listed, with reasons, in known-differences.ts.
import { describe, expect, it } from 'vitest';
import { allFields } from '../../shared/dissect/fields';
import { createEngine } from '../../shared/dissectors';
import type { FieldDef } from '../../shared/dissect/types';
import { tsharkMissing } from '../support/tshark';
import { knownFieldDifference } from './known-differences';
import { baseOf, ftypeOf, tsharkCatalog } from './tshark-catalog';

const INTEGER = new Set(['u8', 'u16', 'u24', 'u32', 'u64', 'i8', 'i16', 'i32', 'i64']);

function registered(): FieldDef[] {
  createEngine();
  // `_ws.*` are the engine's own pseudo-fields (expert, malformed), compared by the differential test.
  return allFields().filter((f) => !f.abbrev.startsWith('_ws.'));
}

describe.skipIf(!!tsharkMissing)('field registry vs tshark -G fields', () => {
  it('every registered filter name exists in tshark 4.0 (or is listed as Wirescope-only)', () => {
    const cat = tsharkCatalog();
    const unknown = registered()
      .filter((f) => !cat.has(f.abbrev) && !knownFieldDifference(f.abbrev, 'name'))
      .map((f) => `${f.abbrev} (${f.proto})`);
    expect(unknown, 'names tshark 4.0 does not have; rename, or list in known-differences.ts').toEqual([]);
  });

  it('types, bases and masks match tshark', () => {
    const cat = tsharkCatalog();
    const bad: string[] = [];
    for (const f of registered()) {
      const t = cat.get(f.abbrev);
      if (!t || knownFieldDifference(f.abbrev, 'type')) continue;
      const type = ftypeOf(t.ftype);
      // -G fields lists every protocol as a `P` line, including those registered "in name only"
      // as FT_BYTES (tcp.options.mss and its kin print as hex bytes), so a P line fits both.
      const fits = type === f.type || (t.ftype === 'FT_PROTOCOL' && f.type === 'bytes');
      if (!fits) {
        bad.push(`${f.abbrev}: type ${f.type}, tshark ${t.ftype}`);
        continue;
      }
      if (INTEGER.has(f.type)) {
        // BASE_NONE on an integer (value-string status fields) prints as decimal, as 'dec' does.
        const base = baseOf(t.base);
        const same =
          base === f.base || (base === 'none' && f.base === 'dec') || (base === 'dec' && f.base === 'none');
        if (base && !same) bad.push(`${f.abbrev}: base ${f.base}, tshark ${t.base}`);
      }
      if ((INTEGER.has(f.type) || f.type === 'bool') && BigInt(f.mask >>> 0) !== t.mask) {
        bad.push(`${f.abbrev}: mask 0x${(f.mask >>> 0).toString(16)}, tshark 0x${t.mask.toString(16)}`);
      }
    }
    expect(bad, 'registry differs from tshark; fix the field table or list in known-differences.ts').toEqual(
      [],
    );
  });

  it('display names match tshark', () => {
    const cat = tsharkCatalog();
    const bad = registered()
      .filter((f) => f.type !== 'protocol')
      .map((f) => [f, cat.get(f.abbrev)] as const)
      .filter(([f, t]) => t && t.name !== f.name && !knownFieldDifference(f.abbrev, 'label'))
      .map(([f, t]) => `${f.abbrev}: "${f.name}", tshark "${t?.name}"`);
    expect(bad).toEqual([]);
  });

  it('protocol long names match tshark', () => {
    const cat = tsharkCatalog();
    const bad = registered()
      .filter((f) => f.type === 'protocol')
      .map((f) => [f, cat.get(f.abbrev)] as const)
      .filter(([f, t]) => t && t.name !== f.name && !knownFieldDifference(f.abbrev, 'label'))
      .map(([f, t]) => `${f.abbrev}: "${f.name}", tshark "${t?.name}"`);
    expect(bad).toEqual([]);
  });
});

// Without tshark the comparisons above are skipped; this line says why in the test report.
if (tsharkMissing) it.skip(tsharkMissing, () => {});
