// The index pass (`Indexer.indexPacket`, the engine's allocation-free `index`) must leave exactly
// the records and summary that the full first pass (`Indexer.packet`, `Engine.dissect` with tree
// and columns off) leaves. Held to it on every capture in the fixtures and the tcpdump corpus
// (many deliberately malformed, truncated, or of odd link types), read with the project's reader.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createReader } from '../../shared/capture/reader';
import type { CapturePacket, CaptureSink } from '../../shared/capture/types';
import { Session } from '../../shared/dissect/packet';
import { createEngine } from '../../shared/dissectors';
import { Indexer } from '../../shared/index/indexer';

const fixtures = join(import.meta.dirname, '../../tests/fixtures/captures');
const corpus = join(import.meta.dirname, '../../../shared/corpus/tcpdump');

function captures(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.(pcap|pcapng)$/.test(f))
    .map((f) => join(dir, f));
}

function indexWith(path: string, fast: boolean): Indexer {
  const ix = new Indexer(createEngine(), new Session());
  const sink: CaptureSink = ix.sink(fast ? undefined : (p: CapturePacket) => void ix.packet(p));
  const reader = createReader(sink);
  try {
    reader.push(new Uint8Array(readFileSync(path)));
    reader.end();
  } catch {
    // A file the reader rejects part-way still indexed what came before; both sides alike.
  }
  ix.finish();
  return ix;
}

function records(ix: Indexer): string[] {
  const x = ix.index;
  const out: string[] = [];
  for (let i = 0; i < x.count; i++) {
    out.push(
      [
        i + 1,
        x.src(i),
        x.dst(i),
        x.srcport(i),
        x.dstport(i),
        x.stream(i),
        x.protocols.entriesFrom(0)[x.proto(i)],
        x.tcpFlags(i),
        x.flags(i),
      ].join(' '),
    );
  }
  return out;
}

describe('index pass = full first pass', () => {
  const files = [...captures(fixtures), ...captures(corpus)];
  it('finds captures to compare', () => {
    expect(files.length).toBeGreaterThan(20);
  });
  for (const file of files) {
    it(file.split('/').slice(-2).join('/'), () => {
      const full = indexWith(file, false);
      const fast = indexWith(file, true);
      expect(records(fast)).toEqual(records(full));
      expect(fast.index.addresses.entriesFrom(0)).toEqual(full.index.addresses.entriesFrom(0));
      expect(fast.summary).toEqual(full.summary);
    });
  }
});
