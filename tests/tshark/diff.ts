// Wirescope against tshark, for people writing dissectors:
//
//   npx tsx tests/tshark/diff.ts [FILE…] [-e FIELD…] [--frames 1-5,9] [--cells] [--all] [--tree]
//
// FILE: captures to compare (default: every file in tests/fixtures/captures).
// -e FIELD: compare only these fields (`tcp.*` expands against tshark's catalogue); default: the
// core list plus every registered field tshark knows.
// --cells: one line per differing cell instead of one per field. --all: also print excused cells.
// --tree: compare byte ranges and tree lines with tshark's PDML instead of -T fields cells.
// Exit status 1 when anything differs that known-differences.ts does not excuse.
import { resolve } from 'node:path';
import { tsharkMissing } from '../support/tshark';
import { basename } from 'node:path';
import { comparedFields, diffFile, diffTree, expandFields, fixtureFiles, formatDiff } from './diff-lib';

function parseFrames(spec: string): (n: number) => boolean {
  const ranges = spec.split(',').map((p) => {
    const [a, b] = p.split('-').map(Number);
    return [a, b ?? a] as const;
  });
  return (n) => ranges.some(([a, b]) => n >= a && n <= b);
}

function main(argv: string[]): number {
  if (tsharkMissing) {
    console.error(tsharkMissing);
    return 2;
  }
  const files: string[] = [];
  const wanted: string[] = [];
  let frames: ((n: number) => boolean) | undefined;
  let cells = false;
  let all = false;
  let tree = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-e') wanted.push(argv[++i]);
    else if (a === '--frames') frames = parseFrames(argv[++i]);
    else if (a === '--cells') cells = true;
    else if (a === '--all') all = true;
    else if (a === '--tree') tree = true;
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else files.push(resolve(a));
  }
  if (tree) {
    let problems = 0;
    for (const f of files.length ? files : fixtureFiles()) {
      const t = diffTree(f, frames);
      problems += t.problems.length;
      for (const p of t.problems) console.log(`${basename(f)}  ${p}`);
      if (t.excused) console.log(`${basename(f)}: ${t.excused} tree lines excused by known-differences.ts`);
    }
    console.log(`${problems} tree differences`);
    return problems ? 1 : 0;
  }
  let fields = comparedFields();
  if (wanted.length) {
    const x = expandFields(wanted);
    if (x.unknownToTshark.length) console.error(`tshark 4.0 does not know: ${x.unknownToTshark.join(', ')}`);
    fields = x.fields;
    if (fields.length === 0) {
      console.error('no field left to compare (a pattern is `proto.*`; names must be known to tshark 4.0)');
      return 2;
    }
  }
  let bad = 0;
  let total = 0;
  for (const f of files.length ? files : fixtureFiles()) {
    const d = diffFile(f, fields, frames);
    total += d.frames * fields.length;
    bad += d.mismatches.length + d.errors.length;
    for (const n of d.notes) console.log(`${d.file}: note: ${n}`);
    if (d.disabled.length)
      console.log(
        `${d.file}: tshark run with ${d.disabled.join(', ')} disabled (no Wirescope dissector yet)`,
      );
    const text = formatDiff(d, { cells });
    if (text) console.log(text);
    if (all)
      for (const { m, why } of d.excused)
        console.log(`${m.file}  frame ${m.frame}  ${m.field}  excused: ${why.reason}`);
    else if (d.excused.length)
      console.log(`${d.file}: ${d.excused.length} cells excused by known-differences.ts (--all lists them)`);
  }
  console.log(`${bad} differences in ${total} cells (${fields.length} fields)`);
  return bad ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
