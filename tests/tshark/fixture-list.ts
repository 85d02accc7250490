// Where the shared fixture captures live, and which they are.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURE_DIR = join(import.meta.dirname, '..', 'fixtures', 'captures');

/** Fixture captures (full paths), sorted by name. */
export function fixtureFiles(dir = FIXTURE_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => /\.(pcap|pcapng)$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}
