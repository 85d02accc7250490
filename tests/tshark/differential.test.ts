// Every fixture, every frame, a broad field list: Wirescope's `-T fields` cells must equal tshark's,
// and every item's byte range and tree line must equal tshark's PDML.
// A failure lists, per field, the frames that differ and one example; run
// `npx tsx tests/tshark/diff.ts FILE -e FIELD --cells` for every cell. Deliberate differences go in
// known-differences.ts with their reason, never into a skip here.
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tsharkMissing } from '../support/tshark';
import { comparedFields, diffFile, diffTree, fixtureFiles, formatDiff } from './diff-lib';

const files = fixtureFiles();

describe.skipIf(!!tsharkMissing)('tshark differential (tshark -2 -T fields vs fieldColumn)', () => {
  const fields = tsharkMissing ? [] : comparedFields();

  it('compares a broad field list on a broad fixture set', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
    expect(fields.length).toBeGreaterThanOrEqual(100);
  });

  for (const path of files) {
    it(basename(path), () => {
      const d = diffFile(path, fields);
      for (const n of d.notes) console.info(`${d.file}: ${n}`);
      if (d.disabled.length)
        console.info(
          `${d.file}: tshark run with ${d.disabled.join(', ')} disabled (no Wirescope dissector yet)`,
        );
      if (d.excused.length)
        console.info(`${d.file}: ${d.excused.length} cells excused by known-differences.ts`);
      expect(formatDiff(d, { maxLines: 80 }), `${d.file}: Wirescope differs from tshark`).toBe('');
    });

    it(`${basename(path)}: byte ranges and tree lines (PDML)`, () => {
      const t = diffTree(path);
      if (t.excused)
        console.info(`${basename(path)}: ${t.excused} tree lines excused by known-differences.ts`);
      const shown =
        t.problems.length > 80
          ? [...t.problems.slice(0, 80), `… and ${t.problems.length - 80} more`]
          : t.problems;
      expect(shown.join('\n'), `${basename(path)}: tree differs from tshark's PDML`).toBe('');
    });
  }
});

// Without tshark the suite above is skipped; this line says why in the test report.
if (tsharkMissing) it.skip(tsharkMissing, () => {});
