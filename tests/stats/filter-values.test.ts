// Values offered after `field == ` in the filter bar (fieldValues, the worker's answer to
// `filter.values`): the distinct values tshark prints for the field (-T fields; either side for
// ip.addr / tcp.port / eth.addr), each with the number of packets `field == value` selects in
// tshark -Y, most frequent first.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  // From the index, with the ICMP errors' quoted datagrams (nested frames) dissected.
  {
    file: 'tests/fixtures/captures/lo-icmp-unreach.pcap',
    field: 'udp.port',
    tsharkFields: ['udp.srcport', 'udp.dstport'],
  },
  {
    file: 'tests/fixtures/captures/lo-icmp-unreach.pcap',
    field: 'ip.addr',
    tsharkFields: ['ip.src', 'ip.dst'],
  },
  { file: 'tests/fixtures/captures/lo-mixed.pcap', field: 'tcp.stream', tsharkFields: ['tcp.stream'] },
  { file: 'tests/fixtures/captures/lo-mixed.pcap', field: 'ip.dst', tsharkFields: ['ip.dst'] },
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

describe('filter values on a large capture', () => {
  it('scans a bounded number of packets for dissected fields and says so; index fields scan all', async () => {
    // 30,000 copies of lo-mixed.pcap's first packet (an ICMP echo request), 1 ms apart.
    const src = readFileSync('tests/fixtures/captures/lo-mixed.pcap');
    const little = src.readUInt32LE(0) === 0xa1b2c3d4;
    expect(little).toBe(true);
    const len = src.readUInt32LE(24 + 8);
    const rec = src.subarray(24, 24 + 16 + len);
    const n = 30_000;
    const out = Buffer.alloc(24 + n * rec.length);
    src.copy(out, 0, 0, 24);
    for (let k = 0; k < n; k++) {
      const at = 24 + k * rec.length;
      rec.copy(out, at);
      out.writeUInt32LE(1_700_000_000 + Math.floor(k / 1000), at);
      out.writeUInt32LE((k % 1000) * 1000, at + 4);
    }
    const dir = mkdtempSync(join(tmpdir(), 'values-'));
    const file = join(dir, 'many.pcap');
    writeFileSync(file, out);
    const { src: frames, close } = await openSource(file);
    try {
      const icmp = fieldValues(frames, 'icmp.type');
      expect(icmp.total).toBe(n);
      expect(icmp.partial).toBe(true);
      expect(icmp.scanned).toBeGreaterThan(0);
      expect(icmp.scanned).toBeLessThanOrEqual(20_000);
      expect(icmp.values).toEqual([{ value: '8', text: '8', count: icmp.scanned }]);
      const addr = fieldValues(frames, 'ip.addr');
      expect(addr).toMatchObject({ partial: false, scanned: n });
      expect(addr.values).toEqual([{ value: '127.0.0.1', text: '127.0.0.1', count: n }]);
    } finally {
      close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
