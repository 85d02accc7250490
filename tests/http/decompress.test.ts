// shared/codec/decompress.ts against node:zlib's encoders: every coding round-trips; truncated and
// corrupt streams and zip bombs give a clear error naming the coding.
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decompress, DecompressError } from '../../shared/codec/decompress';

const plain = Buffer.from(JSON.stringify(Array.from({ length: 500 }, (_, i) => ({ i, s: `item ${i}` }))));
const cases = [
  ['gzip', gzipSync(plain)],
  ['deflate', deflateSync(plain)],
  ['deflate', deflateRawSync(plain)],
  ['br', brotliCompressSync(plain)],
] as const;

describe('content codings', () => {
  it.each(cases.map(([c, z], i) => [`${c} #${i}`, c, z] as const))('%s round-trips', (_n, coding, z) => {
    expect(Buffer.from(decompress(coding, new Uint8Array(z))).equals(plain)).toBe(true);
  });
  it.each(cases.map(([c, z], i) => [`${c} #${i}`, c, z] as const))(
    '%s cut short: an error naming the coding',
    (_n, coding, z) => {
      for (const cut of [z.length - 1, z.length >> 1, 3]) {
        expect(() => decompress(coding, new Uint8Array(z.subarray(0, cut)))).toThrow(DecompressError);
        expect(() => decompress(coding, new Uint8Array(z.subarray(0, cut)))).toThrow(
          new RegExp(`^${coding}: `),
        );
      }
    },
  );
  it.each(['gzip', 'deflate', 'br'] as const)('%s bomb: stops at the bound', (coding) => {
    const zero = Buffer.alloc(8 * 1024 * 1024);
    const z =
      coding === 'gzip'
        ? gzipSync(zero)
        : coding === 'deflate'
          ? deflateSync(zero)
          : brotliCompressSync(zero);
    expect(z.length).toBeLessThan(20000);
    expect(() => decompress(coding, new Uint8Array(z), 1024 * 1024)).toThrow(/exceeds 1048576 bytes/);
  });
  it('unknown coding and identity', () => {
    expect(() => decompress('zstd', new Uint8Array(4))).toThrow('zstd: unsupported content coding');
    expect(decompress('identity', Uint8Array.of(1, 2))).toEqual(Uint8Array.of(1, 2));
  });
});
