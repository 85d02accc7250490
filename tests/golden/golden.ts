// Checks or rewrites the dissector goldens (tests/golden/<proto>/*.txt).
//
//   npm run golden                 # compare; exit 1 and name the files that changed
//   npm run golden -- --update     # rewrite them (then review with `git diff tests/golden`)
//   npm run golden -- tcp ip       # only these protocols
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { goldenManifest } from './manifest';
import { GOLDEN_DIR, goldenPath, runGoldens } from './golden-lib';

function firstDifference(a: string, b: string): string {
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) return `line ${i + 1}:\n  - ${y[i] ?? '(end)'}\n  + ${x[i] ?? '(end)'}`;
  }
  return '';
}

function main(argv: string[]): number {
  const update = argv.includes('--update');
  const only = argv.filter((a) => !a.startsWith('--'));
  const results = runGoldens(only);
  let changed = 0;
  for (const r of results) {
    const rel = relative(process.cwd(), r.path);
    if (r.committed === r.text) continue;
    changed++;
    if (update) {
      mkdirSync(dirname(r.path), { recursive: true });
      writeFileSync(r.path, r.text);
      console.log(`${r.committed === null ? 'wrote' : 'updated'} ${rel}`);
    } else {
      console.log(
        r.committed === null ? `missing ${rel}` : `differs ${rel} at ${firstDifference(r.text, r.committed)}`,
      );
    }
  }
  if (update && only.length === 0) {
    // Goldens no case produces any more (a case removed from the manifest) go too.
    const wanted = new Set(goldenManifest.map(goldenPath));
    for (const dir of new Set(goldenManifest.map((c) => c.dir))) {
      if (!existsSync(join(GOLDEN_DIR, dir))) continue;
      for (const f of readdirSync(join(GOLDEN_DIR, dir))) {
        const p = join(GOLDEN_DIR, dir, f);
        if (f.endsWith('.txt') && !wanted.has(p)) {
          rmSync(p);
          console.log(`removed ${relative(process.cwd(), p)}`);
        }
      }
    }
  }
  console.log(`${results.length} goldens, ${changed} ${update ? 'rewritten' : 'differ'}`);
  return !update && changed ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
