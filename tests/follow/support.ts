// Test support: a capture indexed by the backend's own pass, with a FrameSource over it (what
// the CLI and the app's backend hold), and the capture files the follow/messages tests read.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { frameReader, indexFile } from '../../electron/backend/index-file';
import { FrameSource } from '../../shared/index/columns';

export const repoRoot = resolve(import.meta.dirname, '../..');

export async function openSource(path: string): Promise<{ src: FrameSource; close: () => void }> {
  const cap = await indexFile(path);
  const ff = frameReader(path, cap.index);
  return { src: new FrameSource(cap.engine, cap.session, cap.index, ff.read), close: () => ff.close() };
}

/** The project's real captures: the shared fixture set and the DNS fixtures. */
export function fixtureCaptures(): string[] {
  const out: string[] = [];
  for (const dir of ['tests/fixtures/captures', 'tests/fixtures/dns']) {
    const abs = join(repoRoot, dir);
    for (const f of readdirSync(abs).sort()) if (/\.(pcap|pcapng)$/.test(f)) out.push(join(abs, f));
  }
  return out;
}

/** tcpdump's regression captures (read only reference material), when present. */
export function corpusCaptures(): string[] {
  const dir = '/work/shared/corpus/tcpdump';
  try {
    return readdirSync(dir)
      .filter((f) => /\.(pcap|pcapng)$/.test(f))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}
