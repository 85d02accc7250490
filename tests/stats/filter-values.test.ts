// Values offered after `field == ` in the filter bar (fieldValues, the worker's answer to
// `filter.values`): the distinct values tshark prints for the field (-T fields; either side for
// ip.addr / tcp.port / eth.addr), each with the number of packets `field == value` selects in
// tshark -Y, most frequent first.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fieldValues } from '../../electron/backend/worker-requests';
import { openSource } from '../follow/support';
import { tsharkMissing, tsharkPath } from '../support/tshark';

const tshark = (args: string[]) =>
  execFileSync(tsharkPath, ['-n', ...args], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });

const count = (file: string, filter: string) => {
  const out = tshark(['-r', file, '-Y', filter, '-T', 'fields', '-e', 'frame.number']).trim();
  return out ? out.split('\n').length : 0;
};

const distinct = (file: string, fields: string[]) => {
  const out = tshark(['-r', file, '-T', 'fields', ...fields.flatMap((f) => ['-e', f]), '-E', 'aggregator=,']);
  return new Set(out.split(/[\t\n,]/).filter((v) => v !== ''));
};

const CASES: { file: string; field: string; tsharkFields: string[] }[] = [
  { file: 'tests/fixtures/cli/web.pcapng', field: 'http.host', tsharkFields: ['http.host'] },
  { file: 'tests/fixtures/cli/web.pcapng', field: 'tcp.port', tsharkFields: ['tcp.srcport', 'tcp.dstport'] },
  {
    file: 'tests/fixtures/captures/lo-mixed.pcap',
    field: 'ipv6.addr',
    tsharkFields: ['ipv6.src', 'ipv6.dst'],
  },
  {
    file: 'tests/fixtures/captures/veth-arp-nd.pcap',
    field: 'eth.addr',
    tsharkFields: ['eth.src', 'eth.dst'],
  },
  { file: 'tests/fixtures/dns/dns-tcp.pcap', field: 'dns.qry.name', tsharkFields: ['dns.qry.name'] },
];

describe.skipIf(!!tsharkMissing)('filter values vs tshark', () => {
  for (const { file, field, tsharkFields } of CASES) {
    it(`${file.split('/').pop()} ${field}`, async () => {
      const { src, close } = await openSource(file);
      let r;
      try {
        r = fieldValues(src, field);
      } finally {
        close();
      }
      expect(r.partial).toBe(false);
      expect(r.scanned).toBe(r.total);
      expect(r.values.length).toBeGreaterThan(0);
      expect(new Set(r.values.map((v) => v.value))).toEqual(distinct(file, tsharkFields));
      for (const v of r.values)
        expect(v.count, `${field} == ${v.text}`).toBe(count(file, `${field} == ${v.text}`));
      const counts = r.values.map((v) => v.count);
      expect(counts).toEqual([...counts].sort((a, b) => b - a));
    });
  }

  it('keeps the values starting with the prefix typed, and none for a protocol or unknown name', async () => {
    const { src, close } = await openSource('tests/fixtures/captures/lo-mixed.pcap');
    try {
      const all = fieldValues(src, 'tcp.port').values.map((v) => v.value);
      const some = fieldValues(src, 'tcp.port', '70').values.map((v) => v.value);
      expect(some.length).toBeGreaterThan(0);
      expect(some).toEqual(all.filter((v) => v.startsWith('70')));
      expect(fieldValues(src, 'tcp').values).toEqual([]);
      expect(fieldValues(src, 'no.such.field').values).toEqual([]);
    } finally {
      close();
    }
  });
});
