// .ci/tally.mjs against a REAL vitest JSON report: a throwaway suite with passing, failing, skipped
// and todo tests and a file that fails at import time is run by this repository's vitest.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summaryLine, tally } from '../../.ci/tally.mjs';
import { repoRoot } from '../electron/build-app';

let dir = '';
let reports = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wirescope-tally-'));
  reports = join(dir, 'reports');
  mkdirSync(reports);
  const suite = join(dir, 'suite');
  mkdirSync(suite);
  writeFileSync(join(suite, 'package.json'), '{"type":"module"}');
  writeFileSync(join(suite, 'vitest.config.mjs'), 'export default {};');
  writeFileSync(
    join(suite, 'mixed.test.mjs'),
    [
      "import { it, expect } from 'vitest';",
      "it('one', () => expect(1).toBe(1));",
      "it('two', () => expect(2).toBe(2));",
      "it('three', () => expect(3).toBe(3));",
      "it('wrong', () => expect(1).toBe(2));",
      "it.skip('skipped', () => {});",
      "it.todo('todo');",
      "it('skips itself', (ctx) => ctx.skip('no binary'));",
    ].join('\n'),
  );
  writeFileSync(join(suite, 'broken.test.mjs'), "throw new Error('fails while importing');");
  try {
    execFileSync(
      join(repoRoot, 'node_modules', '.bin', 'vitest'),
      [
        'run',
        '--root',
        suite,
        '--config',
        join(suite, 'vitest.config.mjs'),
        '--reporter=json',
        `--outputFile=${join(reports, 'vitest.json')}`,
      ],
      { cwd: suite, stdio: 'pipe', env: { ...process.env, CI: 'true' } },
    );
  } catch {
    // The suite fails on purpose; the report is what matters.
  }
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('.ci/tally.mjs', () => {
  it('counts a real vitest report: a file that cannot load is one failure', () => {
    const t = tally([{ name: 'vitest', ok: false, report: 'out/test-results/vitest.json' }], reports);
    expect({ passed: t.passed, failed: t.failed, skipped: t.skipped }).toEqual({
      passed: 3,
      failed: 2,
      skipped: 3,
    });
    expect(summaryLine(t)).toBe('3 passed, 2 failed, 3 skipped');
  });

  it('adds one failure per failed gate and none per passed gate', () => {
    const t = tally(
      [
        { name: 'lint', ok: false },
        { name: 'typecheck', ok: true },
        { name: 'vitest', ok: false, report: 'vitest.json' },
      ],
      reports,
    );
    expect({ passed: t.passed, failed: t.failed }).toEqual({ passed: 3, failed: 3 });
    expect(t.notes.join('\n')).toContain('lint: failed');
  });

  it('counts a runner that left no report as a failure', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const t = tally([{ name: 'vitest', ok: true, report: 'vitest.json' }], empty);
    expect(summaryLine(t)).toBe('0 passed, 1 failed');
  });

  it('counts an unknown JSON file in the report folder as a failure instead of ignoring it', () => {
    const odd = join(dir, 'odd');
    mkdirSync(odd);
    writeFileSync(join(odd, 'other.json'), '{"hello":1}');
    expect(tally([], odd).failed).toBe(1);
  });

  it('prints the total as the last line and exits non-zero when anything failed', () => {
    const steps = join(dir, 'steps.json');
    writeFileSync(steps, JSON.stringify([{ name: 'vitest', ok: false, report: 'vitest.json' }]));
    let out = '';
    let code = 0;
    try {
      out = execFileSync(process.execPath, [join(repoRoot, '.ci', 'tally.mjs'), steps, reports], {
        encoding: 'utf8',
      });
    } catch (e) {
      const err = e as { stdout: string; status: number };
      out = err.stdout;
      code = err.status;
    }
    expect(code).toBe(1);
    expect(out.trimEnd().split('\n').at(-1)).toBe('3 passed, 2 failed, 3 skipped');
  });
});
