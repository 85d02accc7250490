// The TCP stream graph's segments (statsOf 'tcp-graph', what the Statistics tab draws) against
// tshark on the same captures: for every TCP stream, the same frames, and per frame the same
// relative sequence number, segment length, acknowledgement, calculated window, retransmission
// marks and ACK round-trip time that `tshark -T fields` prints. Also the graph helpers
// (throughput's moving average, round trips) on those segments.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { statsOf } from '../../electron/backend/worker-requests';
import type { TcpGraphStats } from '../../shared/contract/api';
import { busierDirection, roundTrips, throughput } from '../../shared/stats/tcp-graph';
import { openSource } from '../follow/support';
import { tsharkMissing, tsharkPath } from '../support/tshark';

const CAPTURES = [
  'tests/fixtures/captures/tcp-analysis-edited.pcap',
  'tests/fixtures/captures/lo-http4-bulk.pcap',
  'tests/fixtures/captures/lo-tcp-zero-window.pcap',
  'tests/fixtures/captures/lo-http6.pcapng',
  'tests/fixtures/http/http-basic.pcap',
];

const FIELDS = [
  'frame.number',
  'tcp.stream',
  'tcp.seq',
  'tcp.len',
  'tcp.flags.ack',
  'tcp.ack',
  'tcp.window_size',
  'tcp.analysis.retransmission',
  'tcp.analysis.fast_retransmission',
  'tcp.analysis.spurious_retransmission',
  'tcp.analysis.ack_rtt',
];

function tsharkRows(file: string): string[][] {
  const out = execFileSync(
    tsharkPath,
    [
      '-n',
      '-r',
      file,
      '-Y',
      'tcp',
      '-T',
      'fields',
      '-E',
      'occurrence=f',
      ...FIELDS.flatMap((f) => ['-e', f]),
    ],
    { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'));
}

describe.skipIf(!!tsharkMissing)(`TCP stream graph segments vs tshark ${tsharkMissing}`, () => {
  for (const file of CAPTURES) {
    it(file.split('/').pop()!, async () => {
      const rows = tsharkRows(file);
      const streams = [...new Set(rows.map((r) => Number(r[1])))];
      expect(streams.length).toBeGreaterThan(0);
      const { src, close } = await openSource(file);
      let marked = 0;
      let timed = 0;
      try {
        const first = (await statsOf(src, 'tcp-graph', 1_000_000)) as TcpGraphStats;
        // Without a stream asked for: the one that carried most bytes.
        const busiest = [...first.streams].sort((a, b) => b.bytes - a.bytes || a.stream - b.stream)[0];
        expect(first.stream).toBe(busiest.stream);
        for (const n of streams) {
          const g = (await statsOf(src, 'tcp-graph', 1_000_000, n)) as TcpGraphStats;
          expect(g.stream).toBe(n);
          const want = rows
            .filter((r) => Number(r[1]) === n)
            .map((r) => ({
              frame: Number(r[0]),
              seq: Number(r[2]),
              len: Number(r[3]),
              ack: r[4] === '1' || r[4] === 'True' ? Number(r[5]) : -1,
              win: r[6] === '' ? -1 : Number(r[6]),
              retrans: !!(r[7] || r[8] || r[9]),
              rtt: r[10] === '' ? -1 : Number(r[10]),
            }));
          const got = g.segments.map((s) => ({
            frame: s.frame,
            seq: s.seq,
            len: s.len,
            ack: s.ack,
            win: s.win,
            retrans: s.retrans,
            rtt: s.rtt < 0 ? -1 : Number(s.rtt.toFixed(9)),
          }));
          expect(got, `tcp.stream ${n}`).toEqual(want);
          marked += want.filter((w) => w.retrans).length;
          timed += want.filter((w) => w.rtt >= 0).length;
        }
      } finally {
        close();
      }
      expect(timed, 'ACK round-trip times compared').toBeGreaterThan(0);
      if (file.includes('tcp-analysis-edited')) expect(marked, 'retransmissions compared').toBeGreaterThan(0);
    });
  }
});

describe('graph helpers', () => {
  const seg = (frame: number, t: number, dir: 0 | 1, len: number, rtt = -1) => ({
    frame,
    t,
    dir,
    seq: 0,
    len,
    ack: -1,
    win: -1,
    syn: false,
    fin: false,
    rst: false,
    retrans: false,
    rtt,
  });
  it('throughput is the moving average of the last segments over their span', () => {
    const s = [seg(1, 0, 0, 1000), seg(2, 0.5, 1, 0, 0.5), seg(3, 1, 0, 1000), seg(4, 2, 0, 1000)];
    expect(throughput(s, 0, 2)).toEqual([
      { t: 1, bps: (2000 * 8) / 1, frame: 3 },
      { t: 2, bps: (2000 * 8) / 1, frame: 4 },
    ]);
    expect(throughput(s, 0, 20).map((p) => p.bps)).toEqual([16000, 12000]);
    expect(busierDirection(s)).toBe(0);
    expect(roundTrips(s, 0)).toEqual([{ t: 0.5, rtt: 0.5, frame: 2 }]);
  });
});
