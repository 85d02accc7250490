// Test support for the CLI: builds the bundle once per test file into a private directory (test
// files run in parallel) and runs it as a subprocess, as a user would.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { tsharkPath } from '../support/tshark';
import { protocolsToDisable } from '../tshark/diff-lib';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const cliFixtures = join(repoRoot, 'tests/fixtures/cli');
export const sharedFixtures = join(repoRoot, 'tests/fixtures/captures');

let built = '';

/** Builds out of the tree with scripts/build-cli.mjs; returns the bundle's path. */
export function buildCli(): string {
  if (built) return built;
  const dir = mkdtempSync(join(tmpdir(), 'wirescope-cli-'));
  const r = spawnSync(
    process.execPath,
    [join(repoRoot, 'scripts/build-cli.mjs'), '--outdir', dir, '--quiet'],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`build-cli failed: ${r.stderr}`);
  built = join(dir, 'wirescope.mjs');
  return built;
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { bin?: string; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, [opts.bin ?? buildCli(), ...args], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC', LC_ALL: 'C', ...opts.env },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every capture the tests compare: the CLI's own two and the shared fixture set when present. */
export function captureFiles(): string[] {
  const out = [join(cliFixtures, 'web.pcap'), join(cliFixtures, 'web.pcapng')];
  try {
    for (const f of readdirSync(sharedFixtures).sort())
      if (/\.(pcap|pcapng)$/.test(f)) out.push(join(sharedFixtures, f));
  } catch {
    // The shared fixture set is another helper's; without it the CLI's own captures still run.
  }
  return out;
}

/** Lines that differ, readably: at most `max` of them. */
export function lineDiff(ours: string[], theirs: string[], max = 8): string {
  const out: string[] = [];
  const n = Math.max(ours.length, theirs.length);
  for (let i = 0; i < n && out.length < max * 3; i++) {
    if (ours[i] === theirs[i]) continue;
    out.push(
      `line ${i + 1}:`,
      `  ours:   ${JSON.stringify(ours[i] ?? '(missing)')}`,
      `  tshark: ${JSON.stringify(theirs[i] ?? '(missing)')}`,
    );
  }
  if (ours.length !== theirs.length) out.push(`(${ours.length} lines from us, ${theirs.length} from tshark)`);
  return out.join('\n');
}

/** tshark with -n, UTC and no stderr; stdout as text. */
export function tshark(args: string[]): string {
  return execFileSync(tsharkPath, ['-n', ...args], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' },
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

export const lines = (s: string): string[] =>
  s.split('\n').filter((l, i, a) => !(l === '' && i === a.length - 1));

/**
 * `--disable-protocol X` for what tshark decodes in this file above the engine's reach (its
 * `http` over `tcp`, its `gryphon` on tcp.port 7000): the harness's own rule
 * (tests/tshark/diff-lib.ts), so the CLI is held to the same comparison as the dissectors.
 */
export function disabledFor(file: string): string[] {
  return protocolsToDisable(file).flatMap((p) => ['--disable-protocol', p]);
}
