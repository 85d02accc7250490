// Totals every test runner's JSON report plus the CI gates into ONE line:
// `N passed, N failed[, N skipped]`. Usage: node .ci/tally.mjs STEPS_JSON REPORT_DIR
//
// STEPS_JSON is written by .ci/run: [{ "name", "ok", "report"? }]. A step with a report is a test
// runner; its counts come from the report. A step without one is a gate (install, lint, typecheck)
// that counts one failure when it fails and nothing when it passes, so the passed count stays a
// count of tests. Every *.json in REPORT_DIR is counted once, so a new runner (Playwright) only has
// to write its JSON report there and be listed as a step.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Vitest's (Jest-compatible) JSON reporter. */
function fromVitest(r) {
  // A file that fails before its tests run (import error, syntax error) has no assertion results:
  // it is one failure, or the run would look green with tests silently missing.
  const brokenFiles = (r.testResults ?? []).filter(
    (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
  ).length;
  return {
    passed: r.numPassedTests ?? 0,
    failed: (r.numFailedTests ?? 0) + brokenFiles,
    skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0),
    success: r.success !== false,
  };
}

/** Playwright's JSON reporter (`reporter: [['json', { outputFile }]]`): stats plus global errors. */
function fromPlaywright(r) {
  const s = r.stats ?? {};
  const errors = Array.isArray(r.errors) ? r.errors.length : 0;
  return {
    // flaky = failed first, passed on retry: it passed, and the runner's own output names it.
    passed: (s.expected ?? 0) + (s.flaky ?? 0),
    failed: (s.unexpected ?? 0) + errors,
    skipped: s.skipped ?? 0,
    success: (s.unexpected ?? 0) + errors === 0,
  };
}

export function countsOf(report) {
  if (report && typeof report === 'object') {
    if (typeof report.numTotalTests === 'number') return fromVitest(report);
    if (report.stats && typeof report.stats === 'object' && 'expected' in report.stats)
      return fromPlaywright(report);
  }
  return null;
}

/**
 * @param {{ name: string, ok: boolean, report?: string }[]} steps
 * @param {string} reportDir
 * @returns {{ passed: number, failed: number, skipped: number, notes: string[] }}
 */
export function tally(steps, reportDir) {
  const total = { passed: 0, failed: 0, skipped: 0, notes: [] };
  const files = existsSync(reportDir)
    ? readdirSync(reportDir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
  const counted = new Map();
  for (const file of files) {
    let counts = null;
    try {
      counts = countsOf(JSON.parse(readFileSync(join(reportDir, file), 'utf8')));
    } catch (err) {
      total.notes.push(`${file}: unreadable report (${err instanceof Error ? err.message : String(err)})`);
    }
    if (!counts) {
      total.failed += 1;
      total.notes.push(`${file}: not a report this script knows (counted as 1 failure)`);
      continue;
    }
    counted.set(file, counts);
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
    total.notes.push(`${file}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  }
  for (const step of steps) {
    if (step.report) {
      const counts = counted.get(basename(step.report));
      if (!counts) {
        total.failed += 1;
        total.notes.push(`${step.name}: wrote no usable report ${step.report} (counted as 1 failure)`);
      } else if ((!step.ok || !counts.success) && counts.failed === 0) {
        // Exited non-zero (unhandled error, crash after the report, threshold) with no failing test.
        total.failed += 1;
        total.notes.push(`${step.name}: the runner failed without a failing test (counted as 1 failure)`);
      }
    } else if (!step.ok) {
      total.failed += 1;
      total.notes.push(`${step.name}: failed (counted as 1 failure)`);
    }
  }
  return total;
}

export function summaryLine({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : '');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [stepsFile, reportDir] = process.argv.slice(2);
  if (!stepsFile || !reportDir) {
    console.error('usage: node .ci/tally.mjs STEPS_JSON REPORT_DIR');
    process.exit(2);
  }
  let steps = [];
  try {
    steps = JSON.parse(readFileSync(stepsFile, 'utf8'));
  } catch {
    steps = [{ name: `steps file ${stepsFile}`, ok: false }];
  }
  const total = tally(steps, reportDir);
  for (const note of total.notes) console.log(`  ${note}`);
  console.log(summaryLine(total));
  process.exit(total.failed === 0 ? 0 : 1);
}
