// The Conversations table's pure parts: endpoints as text (RFC 5952 brackets), sorting, the kind
// filter, the virtualised window, and a packet's own stream read from its real dissection.
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../../shared/contract/api';
import { dissectFile } from '../../../tests/support/dissect-file';
import { tsharkFields, tsharkMissing } from '../../../tests/support/tshark';
import {
  bytesShort,
  conversationRows,
  endpointText,
  nextSort,
  streamOfDissection,
  visibleWindow,
} from './conversation-rows';

const conv = (over: Partial<Conversation>): Conversation => ({
  kind: 'tcp',
  stream: 0,
  addressA: '10.0.0.1',
  portA: 1000,
  addressB: '10.0.0.2',
  portB: 80,
  packets: 10,
  packetsAB: 6,
  packetsBA: 4,
  bytes: 1000,
  bytesAB: 600,
  bytesBA: 400,
  firstFrame: 1,
  lastFrame: 10,
  relStart: 0,
  duration: 1,
  ...over,
});

describe('conversation rows', () => {
  it('writes endpoints as address:port, IPv6 in brackets', () => {
    expect(endpointText('127.0.0.1', 8080)).toBe('127.0.0.1:8080');
    expect(endpointText('::1', 8080)).toBe('[::1]:8080');
    expect(endpointText('2001:db8::1', 443)).toBe('[2001:db8::1]:443');
  });

  it('lists TCP then UDP in stream order by default; filters by kind; sorts both ways, ties in stream order', () => {
    const list = [
      conv({ kind: 'udp', stream: 1, bytes: 50 }),
      conv({ kind: 'tcp', stream: 2, bytes: 50 }),
      conv({ kind: 'tcp', stream: 0, bytes: 900 }),
      conv({ kind: 'udp', stream: 0, bytes: 5000 }),
    ];
    const ids = (rows: Conversation[]) => rows.map((c) => `${c.kind}${c.stream}`);
    expect(ids(conversationRows(list, 'all', null))).toEqual(['tcp0', 'tcp2', 'udp0', 'udp1']);
    expect(ids(conversationRows(list, 'udp', null))).toEqual(['udp0', 'udp1']);
    expect(ids(conversationRows(list, 'all', { column: 'bytes', descending: false }))).toEqual([
      'tcp2',
      'udp1',
      'tcp0',
      'udp0',
    ]);
    expect(ids(conversationRows(list, 'all', { column: 'bytes', descending: true }))).toEqual([
      'udp0',
      'tcp0',
      'tcp2',
      'udp1',
    ]);
    expect(list.map((c) => c.stream)).toEqual([1, 2, 0, 0]);
  });

  it('sorts endpoints by address with numbers in numeric order', () => {
    const list = [conv({ stream: 0, addressA: '10.0.0.10' }), conv({ stream: 1, addressA: '10.0.0.9' })];
    expect(conversationRows(list, 'all', { column: 'a', descending: false }).map((c) => c.stream)).toEqual([
      1, 0,
    ]);
  });

  it('a header click sorts ascending, then descending, then back to stream order', () => {
    const a = nextSort(null, 'packets');
    expect(a).toEqual({ column: 'packets', descending: false });
    const b = nextSort(a, 'packets');
    expect(b).toEqual({ column: 'packets', descending: true });
    expect(nextSort(b, 'packets')).toBeNull();
    expect(nextSort(b, 'bytes')).toEqual({ column: 'bytes', descending: false });
  });

  it('draws only the rows a scrolled window shows, with some either side', () => {
    expect(visibleWindow(0, 300, 30, 24_000, 5)).toEqual([0, 15]);
    expect(visibleWindow(30 * 1000, 300, 30, 24_000, 5)).toEqual([995, 1015]);
    expect(visibleWindow(30 * 23_990, 300, 30, 24_000, 5)).toEqual([23_985, 24_000]);
    expect(visibleWindow(0, 300, 30, 0)).toEqual([0, 0]);
  });

  it('shortens big byte counts to three digits', () => {
    expect(bytesShort(9999)).toBe('9,999');
    expect(bytesShort(12_345)).toBe('12.3 kB');
    expect(bytesShort(699_613_574)).toBe('700 MB');
  });

  it.skipIf(!!tsharkMissing)(
    `reads a packet's own stream from its dissection, as tshark numbers it ${tsharkMissing}`,
    () => {
      const file = join(resolve(import.meta.dirname, '../../../tests/fixtures/captures'), 'lo-mixed.pcap');
      const { frames } = dissectFile(file);
      const theirs = tsharkFields(file, ['tcp.stream', 'udp.stream']);
      let seen = 0;
      frames.forEach((d, i) => {
        const [tcp, udp] = theirs[i];
        const got = streamOfDissection(d);
        if (tcp) expect(got).toEqual({ kind: 'tcp', stream: Number(tcp) });
        else if (udp) expect(got).toEqual({ kind: 'udp', stream: Number(udp) });
        else expect(got).toBeNull();
        if (got) seen++;
      });
      expect(seen).toBeGreaterThan(10);
    },
  );
});
