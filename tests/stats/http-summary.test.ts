// The HTTP summary (requests by method, responses by status, requests by host and URI) against
// tshark's own stats trees, `-z http,tree` and `-z http_req,tree`, on the project's HTTP captures.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addHttpFrame, emptyHttpSummary } from '../../shared/stats/http-summary';
import { dissectFile } from '../support/dissect-file';
import { tsharkMissing, tsharkPath } from '../support/tshark';

const DIR = 'tests/fixtures/http';
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.pcap'))
  .sort();

/** Captures whose HTTP messages Wirescope and tshark 4.0 dissect differently (see stats-vs-tshark). */
const EXCUSED: Record<string, string> = {
  'http-snaplen.pcap':
    'a response cut by the snaplen: tshark counts its status line (200 OK), the HTTP dissector here gives the cut message no response code',
};

interface Trees {
  methods: Record<string, number>;
  statuses: Record<string, number>;
  hosts: Record<string, Record<string, number>>;
}

function tsharkTrees(file: string): Trees {
  const out = execFileSync(tsharkPath, ['-n', '-q', '-r', file, '-z', 'http,tree', '-z', 'http_req,tree'], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const t: Trees = { methods: {}, statuses: {}, hosts: {} };
  let section = '';
  let host = '';
  for (const line of out.split('\n')) {
    const m = /^( *)(.*?)\s{2,}(\d+)\s/.exec(line);
    if (line.startsWith('HTTP Requests by HTTP Host')) section = 'hosts';
    else if (line.startsWith(' HTTP Response Packets')) section = 'responses';
    else if (line.startsWith(' HTTP Request Packets')) section = 'requests';
    else if (line.startsWith(' Other HTTP Packets')) section = '';
    else if (m && Number(m[3]) > 0) {
      const depth = m[1].length;
      if (section === 'hosts' && depth === 1) host = m[2];
      else if (section === 'hosts' && depth === 2) (t.hosts[host] ??= {})[m[2]] = Number(m[3]);
      else if (section === 'requests' && depth === 2) t.methods[m[2]] = Number(m[3]);
      else if (section === 'responses' && depth === 3) t.statuses[m[2]] = Number(m[3]);
    }
  }
  return t;
}

describe.skipIf(!!tsharkMissing)(
  `HTTP summary vs tshark -z http,tree / http_req,tree ${tsharkMissing}`,
  () => {
    for (const f of FILES) {
      const file = join(DIR, f);
      it.skipIf(!!EXCUSED[f])(`${f}${EXCUSED[f] ? ` (${EXCUSED[f]})` : ''}`, () => {
        const want = tsharkTrees(file);
        const s = emptyHttpSummary();
        for (const d of dissectFile(file, { tree: true }).frames) addHttpFrame(s, d);
        expect({ methods: s.methods, statuses: s.statuses, hosts: s.hosts }).toEqual(want);
      });
    }
    it('counts something on the basic capture', () => {
      const want = tsharkTrees(join(DIR, 'http-basic.pcap'));
      expect(Object.keys(want.methods).length).toBeGreaterThan(2);
      expect(Object.keys(want.statuses).length).toBeGreaterThan(1);
    });
  },
);
