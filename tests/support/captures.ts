// The capture files tests run over: the project's fixtures and the tcpdump corpus beside the
// repository (../shared/corpus/tcpdump, absent on machines without the reference folder).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '../..');
export const corpusDir = join(repoRoot, '../shared/corpus/tcpdump');

/** Every .pcap and .pcapng file under `dir` (its subfolders too), sorted; none when it is missing. */
export function capturesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(pcap|pcapng)$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}
