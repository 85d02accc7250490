import { describe, expect, it } from 'vitest';
import {
  conversationFilter,
  endText,
  endpointFilter,
  nearestFilled,
  phsBands,
  phsRows,
  secondsLabel,
} from './stats-model';
import type { PhsShare } from '../../../shared/stats/phs';

const leaf = (proto: string, frames: number) => ({
  proto,
  place: null,
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

describe('protocol bands', () => {
  const place = (
    osi: 1 | 2 | 3 | 4 | 5 | 6 | 7,
    tcpip: 'link' | 'internet' | 'transport' | 'application',
  ) => ({
    osi,
    tcpip,
  });
  const node = (
    proto: string,
    share: number,
    p: ReturnType<typeof place> | null,
    children: PhsShare[] = [],
  ) => ({
    proto,
    place: p,
    frames: share * 10,
    bytes: share * 1000,
    frameShare: share,
    byteShare: share / 2,
    children,
  });
  const tree: PhsShare[] = [
    node('eth', 1, place(2, 'link'), [
      node('ip', 0.8, place(3, 'internet'), [
        node('tcp', 0.5, place(4, 'transport'), [
          node('tls', 0.3, place(6, 'application'), [node('http', 0.2, place(7, 'application'))]),
        ]),
        node('udp', 0.3, place(4, 'transport'), [node('tcp.segments', 0.1, null)]),
      ]),
      node('arp', 0.2, place(2, 'link')),
    ]),
  ];

  it('nests each protocol under its carrier in its TCP/IP layer, sub-rows for one layer over another', () => {
    const { layers, bands } = phsBands(tree, 'tcpip', 'packets');
    expect(layers.map((l) => `${l.label}:${l.row}+${l.rows}`)).toEqual([
      'Link:0+2',
      'Internet:2+1',
      'Transport:3+2',
      'Application:5+2',
    ]);
    const at = (path: string) => bands.find((b) => b.path === path)!;
    expect(at('eth')).toMatchObject({ row: 0, x: 0, width: 1 });
    // arp is carried by eth inside the link layer: the row under eth, after ip's range.
    expect(at('eth/arp')).toMatchObject({ row: 1, x: 0.8, width: 0.2 });
    expect(at('eth/ip/udp')).toMatchObject({ row: 3, x: 0.5, width: 0.3 });
    expect(at('eth/ip/tcp/tls/http')).toMatchObject({ row: 6, x: 0, width: 0.2 });
    // A protocol without a layer of its own: it stays in its carrier's (udp, transport) as a sub-row.
    expect(at('eth/ip/udp/tcp.segments').row).toBe(4);
  });

  it('uses the OSI numbers with the toggle, and bytes for widths', () => {
    const { layers, bands } = phsBands(tree, 'osi', 'bytes');
    expect(layers).toHaveLength(7);
    expect(layers[0]).toMatchObject({ label: '1 Physical', rows: 1 });
    const tls = bands.find((b) => b.proto === 'tls')!;
    expect(tls.row).toBe(layers[5].row);
    expect(tls.width).toBe(0.15);
    expect(bands.find((b) => b.proto === 'http')!.row).toBe(layers[6].row);
  });
});
