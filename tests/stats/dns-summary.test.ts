// The DNS summary against tshark's `-z dns,tree` on the project's DNS captures: messages by reply
// code, opcode, query/response and query type, and the request–response times (count, average,
// min, max); queries by name against `tshark -T fields -e dns.qry.name` of the queries.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addDnsFrame, emptyDnsSummary } from '../../shared/stats/dns-summary';
import { dissectFile } from '../support/dissect-file';
import { tsharkMissing, tsharkPath } from '../support/tshark';

const FILES = ['dns-udp.pcap', 'dns-tcp.pcap', 'dns-odd-port.pcap'].map((f) => join('tests/fixtures/dns', f));

function run(args: string[]): string {
  return execFileSync(tsharkPath, ['-n', ...args], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

/** Items two spaces deep under a one-space heading of tshark's dns,tree: name → count. */
function section(lines: string[], heading: string): Record<string, number> {
  const out: Record<string, number> = {};
  const at = lines.findIndex((l) => new RegExp(`^ ${heading}\\s{2,}\\d`).test(l));
  if (at < 0) return out;
  for (let i = at + 1; i < lines.length; i++) {
    const m = /^( *)(.*?)\s{2,}(\d+)\s/.exec(lines[i]);
    if (!m || m[1].length !== 2) break;
    if (Number(m[3]) > 0) out[m[2]] = Number(m[3]);
  }
  return out;
}

describe.skipIf(!!tsharkMissing)(`DNS summary vs tshark -z dns,tree ${tsharkMissing}`, () => {
  for (const file of FILES) {
    it(file.split('/').pop()!, () => {
      const lines = run(['-q', '-r', file, '-z', 'dns,tree']).split('\n');
      const s = emptyDnsSummary();
      for (const d of dissectFile(file, { tree: true }).frames) addDnsFrame(s, d);
      expect(s.messages).toBeGreaterThan(0);
      expect(s.rcodes).toEqual(section(lines, 'rcode'));
      expect(s.opcodes).toEqual(section(lines, 'opcodes'));
      const qr = section(lines, 'Query/Response');
      expect({ queries: s.queries, responses: s.responses }).toEqual({
        queries: qr.Query ?? 0,
        responses: qr.Response ?? 0,
      });
      expect(s.types).toEqual(section(lines, 'Query Type'));
      const rt = lines
        .map((l) => /^ request-response time \(msec\)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)/.exec(l))
        .find(Boolean);
      if (rt) {
        expect(s.times.count).toBe(Number(rt[1]));
        expect(((s.times.sum / s.times.count) * 1000).toFixed(2)).toBe(rt[2]);
        expect((s.times.min * 1000).toFixed(6)).toBe(rt[3]);
        expect((s.times.max * 1000).toFixed(6)).toBe(rt[4]);
      } else expect(s.times.count).toBe(0);
      const names: Record<string, number> = {};
      for (const line of run([
        '-r',
        file,
        '-Y',
        'dns.flags.response == 0',
        '-T',
        'fields',
        '-e',
        'dns.qry.name',
      ]).split('\n')) {
        // One name per query message: several messages in one TCP segment are listed together.
        for (const n of line ? line.split(',') : []) names[n] = (names[n] ?? 0) + 1;
      }
      expect(s.names).toEqual(names);
    });
  }
});
