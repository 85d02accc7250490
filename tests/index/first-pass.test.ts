// The index pass (`Indexer.indexPacket`, the engine's allocation-free `index`) must leave exactly
// the records and summary that the full first pass (`Indexer.packet`, `Engine.dissect` with tree
// and columns off) leaves. Held to it on every capture in the fixtures and the tcpdump corpus
// (many deliberately malformed, truncated, or of odd link types), read with the project's reader.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { capturesUnder, corpusDir, repoRoot } from '../support/captures';
import { indexBytes, records } from './support';

describe('index pass = full first pass', () => {
  const files = [...capturesUnder(join(repoRoot, 'tests/fixtures/captures')), ...capturesUnder(corpusDir)];
  it('finds captures to compare', () => {
    expect(files.length).toBeGreaterThan(20);
  });
  for (const file of files) {
    it(file.split('/').slice(-2).join('/'), () => {
      const bytes = new Uint8Array(readFileSync(file));
      const full = indexBytes(bytes, 'application-dissected');
      const fast = indexBytes(bytes, 'application');
      expect(records(fast)).toEqual(records(full));
      expect(fast.index.addresses.entriesFrom(0)).toEqual(full.index.addresses.entriesFrom(0));
      expect(fast.summary).toEqual(full.summary);
    });
  }
});
