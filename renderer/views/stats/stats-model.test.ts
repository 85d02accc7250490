import { describe, expect, it } from 'vitest';
import {
  conversationFilter,
  endText,
  endpointFilter,
  nearestFilled,
  phsRows,
  secondsLabel,
} from './stats-model';

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

describe('conversation and endpoint filters', () => {
  const conv = {
    addressA: '10.0.0.1',
    addressB: 'fe80::1',
    portA: 5000,
    portB: 80,
    framesAB: 1,
    bytesAB: 60,
    framesBA: 1,
    bytesBA: 60,
    start: 0,
    end: 1,
    firstFrame: 1,
    lastFrame: 2,
  };
  it('writes both ends as Wireshark does, IPv6 addresses under ipv6.addr', () => {
    expect(conversationFilter('tcp', conv)).toBe(
      'ip.addr == 10.0.0.1 && tcp.port == 5000 && ipv6.addr == fe80::1 && tcp.port == 80',
    );
    expect(conversationFilter('ip', { ...conv, addressB: '10.0.0.2' })).toBe(
      'ip.addr == 10.0.0.1 && ip.addr == 10.0.0.2',
    );
    expect(
      endpointFilter('eth', {
        address: '02:00:00:00:77:01',
        port: 0,
        txFrames: 1,
        txBytes: 1,
        rxFrames: 0,
        rxBytes: 0,
      }),
    ).toBe('eth.addr == 02:00:00:00:77:01');
  });
  it('brackets IPv6 addresses that carry a port', () => {
    expect(endText('udp', '::1', 53)).toBe('[::1]:53');
    expect(endText('udp', '127.0.0.1', 53)).toBe('127.0.0.1:53');
    expect(endText('ipv6', '::1', 0)).toBe('::1');
  });
});
