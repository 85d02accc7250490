import { describe, expect, it } from 'vitest';
import type { PacketRow } from '../../shared/contract/api';
import { MAX_BLOCKS, ROW_BLOCK, RowCache } from './row-cache';

const row = (n: number): PacketRow => ({
  number: n,
  time: '0',
  src: 'a',
  dst: 'b',
  protocol: 'UDP',
  length: 60,
  info: '',
  color: null,
  severity: null,
  malformed: false,
  truncated: false,
  stream: null,
});
const block = (b: number, count = ROW_BLOCK) =>
  Array.from({ length: count }, (_, i) => row(b * ROW_BLOCK + i + 1));

describe('RowCache', () => {
  it('claims only the blocks a window touches, once, up to the total', () => {
    const c = new RowCache();
    expect(c.claim(ROW_BLOCK + 10, ROW_BLOCK, 10_000)).toEqual([1, 2]);
    expect(c.claim(ROW_BLOCK + 10, ROW_BLOCK, 10_000)).toEqual([]);
    expect(c.claim(0, 50, 30)).toEqual([0]);
    expect(c.claim(20, 10, 30)).toEqual([]);
  });

  it('serves rows by position once put, and refetches a short block when the total outgrows it', () => {
    const c = new RowCache();
    c.claim(0, ROW_BLOCK, 20);
    c.put(0, block(0, 20), false);
    expect(c.get(19)?.number).toBe(20);
    expect(c.get(20)).toBeUndefined();
    expect(c.claim(0, ROW_BLOCK, 20)).toEqual([]);
    expect(c.claim(0, ROW_BLOCK, 35)).toEqual([0]);
    c.put(0, block(0, 35), true);
    expect(c.claim(0, ROW_BLOCK, 40)).toEqual([]);
  });

  it('a failed fetch can be claimed again', () => {
    const c = new RowCache();
    expect(c.claim(0, 1, 10)).toEqual([0]);
    c.release(0);
    expect(c.claim(0, 1, 10)).toEqual([0]);
  });

  it('keeps at most MAX_BLOCKS blocks, dropping the least recently used', () => {
    const c = new RowCache();
    for (let b = 0; b <= MAX_BLOCKS; b++) {
      c.claim(b * ROW_BLOCK, ROW_BLOCK, 1e9);
      c.put(b, block(b), false);
      if (b === 10) c.touch(0);
      if (b > 10) c.touch(0);
    }
    expect(c.size).toBe(MAX_BLOCKS);
    expect(c.get(0)?.number).toBe(1);
    expect(c.get(ROW_BLOCK)).toBeUndefined();
    expect(c.positionOf(MAX_BLOCKS * ROW_BLOCK + 1)).toBe(MAX_BLOCKS * ROW_BLOCK);
    expect(c.positionOf(ROW_BLOCK + 1)).toBe(-1);
  });
});
