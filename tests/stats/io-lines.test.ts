// The I/O graph's lines (statsOf 'io' with `lines`, what the Statistics tab draws) against
// `tshark -q -z io,stat,INTERVAL,F1,F2,…`: per interval, each filter's frames and bytes. Each
// filter is asked twice, once per unit, so both of tshark's columns are checked.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { statsOf } from '../../electron/backend/worker-requests';
import type { IoLine, IoStats } from '../../shared/contract/api';
import { openSource } from '../follow/support';
import { tsharkMissing, tsharkPath } from '../support/tshark';

/** tshark's table rows: per interval, [frames, bytes] of each column. */
function tsharkIo(file: string, seconds: string, filters: string[]): number[][][] {
  const out = execFileSync(
    tsharkPath,
    ['-n', '-q', '-r', file, '-z', `io,stat,${seconds},${filters.join(',')}`],
    {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  return out
    .split('\n')
    .filter((l) => l.includes('<>'))
    .map((l) => {
      const cells = l
        .split('|')
        .slice(2, -1)
        .map((c) => Number(c.trim()));
      const cols: number[][] = [];
      for (let i = 0; i < cells.length; i += 2) cols.push([cells[i], cells[i + 1]]);
      return cols;
    });
}

const CASES: { file: string; seconds: string; filters: string[] }[] = [
  {
    file: 'tests/fixtures/captures/lo-mixed.pcap',
    seconds: '0.1',
    filters: ['tcp', 'udp and frame.len > 60', 'icmp || arp'],
  },
  {
    file: 'tests/fixtures/captures/lo-http4.pcap',
    seconds: '0.01',
    filters: ['http.request', 'tcp.flags.syn == 1', 'tcp.len > 0'],
  },
  {
    file: 'tests/fixtures/captures/tcp-analysis-edited.pcap',
    seconds: '1',
    filters: ['tcp.analysis.retransmission', 'tcp.port == 80', 'ip.addr == 127.0.0.1'],
  },
  {
    file: 'tests/fixtures/captures/veth-arp-nd.pcap',
    seconds: '0.5',
    filters: ['arp', 'icmpv6', 'eth.dst == ff:ff:ff:ff:ff:ff'],
  },
  {
    file: 'tests/fixtures/captures/lo-tcp-rst.pcap',
    seconds: '0.001',
    filters: ['tcp.flags.reset == 1', 'tcp.len == 0'],
  },
];

describe.skipIf(!!tsharkMissing)('I/O graph lines vs tshark -z io,stat', () => {
  for (const { file, seconds, filters } of CASES) {
    it(`${file.split('/').pop()} at ${seconds} s: ${filters.join(' ; ')}`, async () => {
      const lines: IoLine[] = filters.flatMap((filter) => [
        { filter, unit: 'packets' as const },
        { filter, unit: 'bytes' as const },
      ]);
      const { src, close } = await openSource(file);
      let r: IoStats;
      try {
        r = (await statsOf(src, 'io', Math.round(Number(seconds) * 1e6), undefined, lines)) as IoStats;
      } finally {
        close();
      }
      const want = tsharkIo(file, seconds, filters);
      expect(r.lines).toHaveLength(lines.length);
      let total = 0;
      filters.forEach((filter, j) => {
        const frames = r.lines![2 * j].values;
        const bytes = r.lines![2 * j + 1].values;
        const theirs = want.map((row) => row[j]);
        // tshark may print trailing empty intervals up to the capture's duration; ours end at the
        // last packet's interval. Every interval either side has must agree.
        for (let k = 0; k < Math.max(frames.length, theirs.length); k++) {
          expect([frames[k] ?? 0, bytes[k] ?? 0], `${filter} interval ${k}`).toEqual(theirs[k] ?? [0, 0]);
        }
        total += frames.reduce((a, b) => a + b, 0);
        // A line's first frame in an interval is a frame of that interval that the filter keeps.
        r.lines![2 * j].first.forEach((f, k) => expect(f > 0).toBe(frames[k] > 0));
      });
      expect(total).toBeGreaterThan(0);
    });
  }

  it('an invalid line filter names its line', async () => {
    const { src, close } = await openSource('tests/fixtures/captures/lo-mixed.pcap');
    try {
      await expect(
        statsOf(src, 'io', 1_000_000, undefined, [
          { filter: 'tcp', unit: 'packets' },
          { filter: 'tcp.port ==', unit: 'bytes' },
        ]),
      ).rejects.toThrow(/^Line 2: /);
    } finally {
      close();
    }
  });
});
