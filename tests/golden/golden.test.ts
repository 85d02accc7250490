// Dissector goldens: what each dissector shows for chosen fixture frames must equal the committed
// text (a change is reviewed as a diff and accepted with `npm run golden -- --update`), and every
// byte range and tree label in it must equal tshark's (PDML), where tshark is installed.
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tsharkMissing } from '../support/tshark';
import { protocolsToDisable } from '../tshark/diff-lib';
import { FIXTURE_DIR } from '../tshark/fixture-list';
import { fixtureFrames, goldenPath, runGoldens } from './golden-lib';
import { goldenManifest } from './manifest';
import { compareTree, pdmlFrames } from '../tshark/pdml';

describe('dissector goldens', () => {
  for (const r of runGoldens()) {
    it(relative(join(import.meta.dirname), r.path), () => {
      expect(r.committed, `${r.path} is missing: run npm run golden -- --update`).not.toBeNull();
      expect(r.text).toBe(r.committed);
    });
  }
});

describe.skipIf(!!tsharkMissing)('golden frames against tshark PDML (byte ranges and tree labels)', () => {
  for (const c of goldenManifest) {
    it(`${relative(import.meta.dirname, goldenPath(c))}: ${c.protos.join('/')} ranges and labels`, () => {
      const path = join(FIXTURE_DIR, c.file);
      const pdml = pdmlFrames(path, c.frames, protocolsToDisable(path));
      const { problems, excused } = compareTree(c.file, fixtureFrames(c.file), pdml, c.frames, c.protos);
      if (excused) console.info(`${c.file}: ${excused} tree lines excused by known-differences.ts`);
      expect(problems.join('\n')).toBe('');
    });
  }
});

// Without tshark the comparisons above are skipped; this line says why in the test report.
if (tsharkMissing) it.skip(tsharkMissing, () => {});
