import { describe, expect, it } from 'vitest';
import { acceptOf, checkCloseCode, parseHex, splitPayload } from './client';

describe('WebSocket lab client pieces', () => {
  it('computes Sec-WebSocket-Accept as RFC 6455 §1.3 does for its sample key', () => {
    expect(acceptOf('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('splits a message into near-equal frames, never more frames than bytes', () => {
    const bytes = new TextEncoder().encode('fragmented message');
    const parts = splitPayload(bytes, 3);
    expect(parts.map((p) => p.length)).toEqual([6, 6, 6]);
    expect(Buffer.concat(parts).toString()).toBe('fragmented message');
    expect(splitPayload(new Uint8Array(5), 3).map((p) => p.length)).toEqual([2, 2, 1]);
    expect(splitPayload(new Uint8Array(2), 10)).toHaveLength(2);
    expect(splitPayload(new Uint8Array(0), 4)).toHaveLength(1);
  });

  it('reads hex with spaces, colons and 0x, and says what is wrong otherwise', () => {
    expect([...parseHex('de ad:BE 0xef')]).toEqual([0xde, 0xad, 0xbe, 0xef]);
    expect(parseHex('').length).toBe(0);
    expect(() => parseHex('abc')).toThrow(/odd number of hex digits/);
    expect(() => parseHex('zz')).toThrow(/not hex bytes/);
  });

  it('accepts only close codes an endpoint may send', () => {
    expect(checkCloseCode(1000)).toBeNull();
    expect(checkCloseCode(4000)).toBeNull();
    expect(checkCloseCode(1005)).toMatch(/may not be sent/);
    expect(checkCloseCode(1006)).toMatch(/may not be sent/);
    expect(checkCloseCode(2000)).toMatch(/may not be sent/);
  });
});
