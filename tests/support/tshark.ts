// The oracle: tshark on the same capture. Tests that need it skip, saying so, when it is missing
// (.ci/run installs it, so CI never skips them).
import { execFileSync, spawnSync } from 'node:child_process';

export const tsharkPath = (() => {
  const r = spawnSync('sh', ['-c', 'command -v tshark'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
})();

export const tsharkMissing = tsharkPath
  ? ''
  : 'tshark is not installed (apt-get install tshark); differential tests skipped';

/** `tshark -r FILE -T fields -e F1 -e F2 …` → rows of cells (UTC times, no name resolution). */
/** `env`: more environment, e.g. WIRESHARK_CONFIG_DIR for a profile of one's own (colorfilters). */
export function tsharkFields(
  file: string,
  fields: string[],
  extra: string[] = [],
  env: Record<string, string> = {},
): string[][] {
  const args = ['-n', '-r', file, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', ...extra];
  for (const f of fields) args.push('-e', f);
  const out = execFileSync(tsharkPath, args, {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC', LC_ALL: 'C', ...env },
    maxBuffer: 256 * 1024 * 1024,
  });
  return out
    .split('\n')
    .filter((l, i, a) => !(l === '' && i === a.length - 1))
    .map((l) => l.split('\t'));
}
