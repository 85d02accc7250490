// Dissector goldens: what each dissector shows for chosen fixture frames must equal the committed
// text (a change is reviewed as a diff and accepted with `npm run golden -- --update`), and every
// byte range and tree label in it must equal tshark's (PDML), where tshark is installed.
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Item } from '../../shared/dissect/types';
import { tsharkMissing } from '../support/tshark';
import { protocolsToDisable } from '../tshark/diff-lib';
import { FIXTURE_DIR } from '../tshark/fixture-list';
import { tsharkCatalog } from '../tshark/tshark-catalog';
import { fixtureFrames, goldenPath, runGoldens } from './golden-lib';
import { goldenManifest } from './manifest';
import { pdmlFrames } from './pdml';

describe('dissector goldens', () => {
  for (const r of runGoldens()) {
    it(relative(join(import.meta.dirname), r.path), () => {
      expect(r.committed, `${r.path} is missing: run npm run golden -- --update`).not.toBeNull();
      expect(r.text).toBe(r.committed);
    });
  }
});

function walk(items: readonly Item[], out: Item[]): Item[] {
  for (const it of items) {
    out.push(it);
    if (it.children) walk(it.children, out);
  }
  return out;
}

describe.skipIf(!!tsharkMissing)('golden frames against tshark PDML (byte ranges and tree labels)', () => {
  for (const c of goldenManifest) {
    it(`${relative(import.meta.dirname, goldenPath(c))}: ${c.protos.join('/')} ranges and labels`, () => {
      const path = join(FIXTURE_DIR, c.file);
      const cat = tsharkCatalog();
      const pdml = pdmlFrames(path, c.frames, protocolsToDisable(path));
      const frames = fixtureFrames(c.file);
      const problems: string[] = [];
      for (const n of c.frames) {
        const theirs = pdml.get(n) ?? [];
        const d = frames[n - 1];
        if (!d) {
          problems.push(`frame ${n}: Wirescope has no such frame`);
          continue;
        }
        for (const layer of d.layers.filter((l) => c.protos.includes(l.proto))) {
          if (layer.source) continue;
          const protoNodes = theirs.filter((t) => t.kind === 'proto' && t.name === layer.proto);
          if (protoNodes.length && !protoNodes.some((t) => t.showname === layer.summary)) {
            problems.push(`frame ${n} ${layer.proto} summary ${JSON.stringify(layer.summary)}; tshark ${protoNodes.map((t) => JSON.stringify(t.showname)).join(' | ')}`);
          }
          for (const it of walk(layer.items, [])) {
            // Generated items have no bytes of their own; tshark places them anywhere. Text-only
            // nodes have no name to match by. Both are covered by the golden text itself.
            if (it.generated || !it.abbrev || it.source || !cat.has(it.abbrev)) continue;
            const same = theirs.filter((t) => t.kind === 'field' && t.name === it.abbrev);
            const at = `frame ${n} ${it.abbrev} @${it.offset}+${it.length}`;
            if (!same.length) {
              problems.push(`${at}: tshark shows no ${it.abbrev} in this frame`);
              continue;
            }
            const ranged = same.filter((t) => t.pos === it.offset && t.size === it.length);
            if (!ranged.length) {
              problems.push(`${at}: tshark has it at ${same.map((t) => `@${t.pos}+${t.size}`).join(', ')}`);
              continue;
            }
            if (!it.hidden && !ranged.some((t) => t.showname === it.label)) {
              problems.push(`${at} label ${JSON.stringify(it.label)}; tshark ${ranged.map((t) => JSON.stringify(t.showname)).join(' | ')}`);
            }
          }
        }
      }
      expect(problems.join('\n')).toBe('');
    });
  }
});
