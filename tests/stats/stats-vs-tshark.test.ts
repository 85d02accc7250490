// `wirescope stats` against `tshark -q -z` on the project's real captures: the same text, byte for
// byte, for every statistic on every capture, except the pairs listed in EXCUSED (each says why;
// all are dissection differences outside shared/stats, not differences of the statistics).
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { statsText } from '../../electron/cli/stats';
import { tsharkMissing, tsharkPath } from '../support/tshark';

const ALL = [
  'io,phs',
  'conv,eth',
  'conv,ip',
  'conv,ipv6',
  'conv,tcp',
  'conv,udp',
  'endpoints,eth',
  'endpoints,ip',
  'endpoints,ipv6',
  'endpoints,tcp',
  'endpoints,udp',
  'expert',
  'io,stat,0.1',
  'io,stat,0',
  'io,stat,1,tcp,udp and ip,frame.len > 100',
];
const APP = ['io,phs', 'conv,tcp', 'endpoints,tcp', 'expert', 'io,stat,0.01,tcp.flags.syn == 1'];

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir)
    .filter((f) => ext.test(f))
    .sort()
    .map((f) => join(dir, f));
}

const FX = 'tests/fixtures';
const CASES: [string, string[]][] = [
  ...files(`${FX}/captures`, /\.pcap(ng)?$/).map((f): [string, string[]] => [f, ALL]),
  ...files(`${FX}/dns`, /\.pcap$/).map((f): [string, string[]] => [f, ALL]),
  ...files(`${FX}/http`, /\.pcap$/).map((f): [string, string[]] => [f, APP]),
  ...files(`${FX}/tls`, /\.pcap$/).map((f): [string, string[]] => [f, APP]),
];

const TLS_TRAILER =
  'tshark shows a second tls item after tcp.segments where a segment ends a reassembled record and starts the next; Wirescope has no layer for the started record';
/** `file stat` → why the text differs. */
const EXCUSED: Record<string, string> = {
  'comments.pcapng io,phs':
    'tshark 4.0 puts pkt_comment items at the top of the tree (a pcapng comment is no layer here)',
  'lo-icmp-unreach.pcap io,phs':
    'Wireshark does not dissect the quoted IP packet of an ICMP error as top-level items',
  'lo-snap64.pcap io,phs': 'tshark adds a _ws.short item for snaplen-cut frames',
  'lo-tcp-chat-nano.pcap io,phs': 'tshark leaves this TCP payload undissected (no data item) on its port',
  'lo-tcp-chat-nano-be.pcap io,phs': 'as lo-tcp-chat-nano.pcap',
  'tcp-analysis-edited.pcap io,phs': 'payload of retransmitted/out-of-order segments: data items differ',
  'http-encodings.pcap io,phs': 'HTTP body layers differ (decoded bodies are layers here)',
  'http-graphql.pcap io,phs': 'Wireshark 4.0 has no GraphQL dissector',
  'http-longpoll.pcap expert': 'Wirescope adds a long-polling note to HTTP',
  'http-snaplen.pcap io,phs': 'HTTP on snaplen-cut frames is dissected differently',
  'http-snaplen.pcap expert': 'as io,phs: tshark reads the cut headers as illegal characters',
  'http-sse.pcap io,phs': 'SSE events are layers here',
  'http-websocket.pcap io,phs': 'the WebSocket upgrade response frame: layers differ',
  'http10-close.pcap io,phs': 'read-until-close body layers differ',
  'tls-alerts.pcap io,phs': TLS_TRAILER,
  'tls-odd-port.pcap io,phs': TLS_TRAILER,
  'tls-old.pcap io,phs': TLS_TRAILER,
  'tls12.pcap io,phs': TLS_TRAILER,
  'tls12.pcap expert': 'one TLS note differs in the TLS dissector',
};

function tsharkZ(file: string, z: string): string {
  return execFileSync(tsharkPath, ['-n', '-q', '-r', file, '-z', z], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

describe.skipIf(!!tsharkMissing)('stats vs tshark -q -z', () => {
  for (const [file, stats] of CASES) {
    it(file, async () => {
      let same = 0;
      for (const z of stats) {
        const ours = await statsText({ file, stats: [z], filter: '', decodeAs: [] });
        const theirs = tsharkZ(file, z);
        const why = EXCUSED[`${file.split('/').pop()} ${z}`];
        if (why) {
          // An excuse must still be needed: if the outputs agree, the excuse goes.
          expect(ours, `${z} now matches tshark: remove the excuse`).not.toBe(theirs);
          continue;
        }
        expect(ours, `${file} -z ${z}`).toBe(theirs);
        same++;
      }
      expect(same).toBeGreaterThan(0);
    });
  }
});
