import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collect } from '../../shared/capture/testing-collect';
import { openRandomAccess } from './random-access';

const fixtures = resolve(import.meta.dirname, '../../tests/fixtures/readers');
const tmp = mkdtempSync(join(tmpdir(), 'random-access-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('openRandomAccess', () => {
  for (const f of readdirSync(fixtures).filter((x) => /\.pcap(ng)?$/.test(x))) {
    it(`${f}: every packet read back by dataOffset and caplen, in any order, equals the reader's bytes`, () => {
      const path = join(fixtures, f);
      const packets = collect(new Uint8Array(readFileSync(path))).packets;
      const file = openRandomAccess(path);
      try {
        expect(file.size).toBe(readFileSync(path).length);
        for (const p of [...packets].reverse()) expect(file.read(p.dataOffset, p.caplen)).toEqual(p.data);
      } finally {
        file.close();
      }
    });
  }

  it('returns a fresh buffer each time', () => {
    const f = openRandomAccess(join(fixtures, 'lo-micro.pcap'));
    const a = f.read(0, 4);
    a.fill(0);
    expect(Array.from(f.read(0, 4))).toEqual([0xd4, 0xc3, 0xb2, 0xa1]);
    expect(f.read(10, 0)).toEqual(new Uint8Array(0));
    f.close();
  });

  it('says so, naming the path, when the file is shorter than asked, missing, a directory, or closed', () => {
    const path = join(tmp, 'small.bin');
    writeFileSync(path, Uint8Array.of(1, 2, 3, 4, 5));
    const f = openRandomAccess(path);
    expect(Array.from(f.read(3, 2))).toEqual([4, 5]);
    expect(() => f.read(3, 4)).toThrow(
      `${path}: cannot read 4 bytes at offset 3: the file ends after 2 of them`,
    );
    expect(() => f.read(-1, 4)).toThrow(RangeError);
    f.close();
    expect(() => f.read(0, 1)).toThrow(`${path}: read after close`);
    f.close();
    expect(() => openRandomAccess(join(tmp, 'nope'))).toThrow(
      `${join(tmp, 'nope')}: cannot open: no such file or directory`,
    );
    expect(() => openRandomAccess(tmp)).toThrow(`${tmp}: cannot open: is a directory, not a capture file`);
  });
});
