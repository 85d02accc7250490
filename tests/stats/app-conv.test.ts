// The app's conversations and endpoints (statsOf 'endpoints', what the Statistics tab shows)
// against `wirescope stats -z conv,TYPE / endpoints,TYPE` (itself compared with tshark byte for
// byte in stats-vs-tshark.test.ts) on every fixture capture, and each row's display filter (the
// one its Filter button applies) against tshark -Y: it selects as many packets as the row counts.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { statsText } from '../../electron/cli/stats';
import { statsOf } from '../../electron/backend/worker-requests';
import type { EndpointStats } from '../../shared/contract/api';
import { convText, endpointsText } from '../../shared/stats/conv';
import { conversationFilter, endpointFilter } from '../../renderer/views/stats/stats-model';
import { fixtureCaptures, openSource } from '../follow/support';
import { tsharkMissing, tsharkPath } from '../support/tshark';

async function appTables(file: string): Promise<EndpointStats> {
  const { src, close } = await openSource(file);
  try {
    return (await statsOf(src, 'endpoints', 1_000_000)) as EndpointStats;
  } finally {
    close();
  }
}

const name = (f: string) => f.split('/').pop()!;

describe('app conversations and endpoints', () => {
  for (const file of fixtureCaptures()) {
    it(`${name(file)}: the same tables as wirescope stats -z conv / endpoints`, async () => {
      const r = await appTables(file);
      expect(r.tables.map((t) => t.type)).toEqual(['eth', 'ip', 'ipv6', 'tcp', 'udp']);
      const args = r.tables.flatMap((t) => [`conv,${t.type}`, `endpoints,${t.type}`]);
      const want = await statsText({ file, stats: args, filter: '', decodeAs: [] });
      const got = r.tables
        .map((t) => {
          expect(t.convMore + t.endMore).toBe(0);
          return convText(t.type, t.conversations) + endpointsText(t.type, t.endpoints);
        })
        .join('');
      expect(got).toBe(want);
    });
  }
});

function tsharkCount(file: string, filter: string): number {
  const out = execFileSync(
    tsharkPath,
    ['-n', '-r', file, '-Y', filter, '-T', 'fields', '-e', 'frame.number'],
    {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  ).trim();
  return out ? out.split('\n').length : 0;
}

const FILTERED = [
  'tests/fixtures/captures/lo-mixed.pcap',
  'tests/fixtures/captures/veth-arp-nd.pcap',
  'tests/fixtures/dns/dns-tcp.pcap',
  'tests/fixtures/http/http-basic.pcap',
];

describe.skipIf(!!tsharkMissing)(
  `the Filter of a row selects its packets in tshark -Y ${tsharkMissing}`,
  () => {
    for (const file of FILTERED) {
      it(
        name(file),
        async () => {
          const r = await appTables(file);
          let checked = 0;
          for (const t of r.tables) {
            for (const c of t.conversations) {
              const f = conversationFilter(t.type, c);
              expect(tsharkCount(file, f), f).toBe(c.framesAB + c.framesBA);
              checked++;
            }
            for (const e of t.endpoints) {
              const f = endpointFilter(t.type, e);
              // A packet from an endpoint to itself counts as sent and received (as tshark counts it).
              const self = t.conversations
                .filter(
                  (c) =>
                    c.addressA === e.address &&
                    c.addressB === e.address &&
                    c.portA === e.port &&
                    c.portB === e.port,
                )
                .reduce((n, c) => n + c.framesAB + c.framesBA, 0);
              expect(tsharkCount(file, f), f).toBe(e.txFrames + e.rxFrames - self);
              checked++;
            }
          }
          expect(checked).toBeGreaterThan(3);
        },
        60_000,
      );
    }
  },
);
