// Differential test against pcap-parser 0.2.1 (the npm peer, kept as an oracle only): on every
// classic microsecond pcap we have — the reader fixtures and the tcpdump corpus — both readers
// must see the same packets: count, timestamps, lengths and bytes. pcap-parser reads neither
// pcapng nor nanosecond files, so those are left out here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOurs, repoRoot } from './oracle';

const require = createRequire(import.meta.url);
const pcapParser = require('pcap-parser') as { parse(input: string): NodeJS.EventEmitter };

interface ParserPacket {
  header: {
    timestampSeconds: number;
    timestampMicroseconds: number;
    capturedLength: number;
    originalLength: number;
  };
  data: Buffer;
}

function parse(file: string): Promise<ParserPacket[]> {
  return new Promise((ok, fail) => {
    const out: ParserPacket[] = [];
    const p = pcapParser.parse(file);
    p.on('packet', (pk: ParserPacket) => out.push({ header: pk.header, data: Buffer.from(pk.data) }));
    p.on('error', fail);
    p.on('end', () => ok(out));
  });
}

function isMicroPcap(file: string): boolean {
  const m = readFileSync(file).subarray(0, 4).toString('hex');
  return m === 'd4c3b2a1' || m === 'a1b2c3d4';
}

const fixtures = resolve(repoRoot, 'tests/fixtures/readers');
const corpus = resolve(repoRoot, '../shared/corpus/tcpdump');
const files = [
  ...readdirSync(fixtures).map((f) => resolve(fixtures, f)),
  ...(existsSync(corpus) ? readdirSync(corpus).map((f) => resolve(corpus, f)) : []),
].filter((f) => f.endsWith('.pcap') && isMicroPcap(f));

describe('pcap-parser agrees with our pcap reader on classic microsecond files', () => {
  it('has files to compare', () => {
    expect(files.length).toBeGreaterThan(3);
  });

  it.each(files.map((f) => [f.slice(f.lastIndexOf('/') + 1), f]))('%s', async (_name, file) => {
    const ours = readOurs(file);
    const theirs = await parse(file);
    expect(ours.error).toBeNull();
    expect(ours.packets.length).toBe(theirs.length);
    ours.packets.forEach((p, i) => {
      const t = theirs[i];
      // pcap-parser does not normalise a fraction of a second or more; compare the instant.
      expect(p.tsSec * 1e6 + p.tsNsec / 1000).toBe(
        t.header.timestampSeconds * 1e6 + t.header.timestampMicroseconds,
      );
      expect(p.caplen).toBe(t.header.capturedLength);
      expect(p.origlen).toBe(t.header.originalLength);
      expect(Buffer.from(p.data).equals(t.data)).toBe(true);
    });
  });
});
