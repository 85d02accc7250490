import { describe, expect, it } from 'vitest';
import { nearestFilled, phsRows, secondsLabel } from './stats-model';

const leaf = (proto: string, frames: number) => ({
  proto,
  frames,
  bytes: frames * 100,
  frameShare: frames / 10,
  byteShare: frames / 10,
  children: [],
});

describe('stats model', () => {
  const tree = [
    { ...leaf('eth', 10), children: [{ ...leaf('ip', 8), children: [leaf('tcp', 5), leaf('udp', 3)] }] },
  ];

  it('flattens the hierarchy depth first with paths and depths', () => {
    expect(phsRows(tree).map((r) => `${r.depth}:${r.path}`)).toEqual([
      '0:eth',
      '1:eth/ip',
      '2:eth/ip/tcp',
      '2:eth/ip/udp',
    ]);
  });

  it('leaves out the children of a collapsed row', () => {
    expect(phsRows(tree, new Set(['eth/ip'])).map((r) => r.path)).toEqual(['eth', 'eth/ip']);
  });

  it('finds the nearest interval that holds a packet', () => {
    expect(nearestFilled([0, 0, 3, 0, 0, 0, 1], 4)).toBe(2);
    expect(nearestFilled([0, 0, 3, 0, 0, 1], 4.6)).toBe(5);
    expect(nearestFilled([0, 0], 1)).toBe(-1);
    expect(nearestFilled([2], -3)).toBe(0);
  });

  it('labels seconds with the precision of the interval', () => {
    expect(secondsLabel(1.23456, 1000)).toBe('1.235 s');
    expect(secondsLabel(12, 1_000_000)).toBe('12 s');
  });
});
