// The formatting helpers asked against tshark itself: a capture is written with edge-case IPv6
// addresses and timestamps (zero, pre-2000, leap day, past 2038, going backwards), tshark prints
// them, and format.ts must print the same. Independent of any dissector.
// Bytes in the tree: UDP datagrams of chosen sizes, compared with tshark's PDML `data.data` line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { absTimeText, displayValue, ipv6Text, secondsText } from '../../shared/dissect/format';
import { serializePcap, type PcapRecord } from '../fixtures/tools/pcap-io';
import { tsharkFields, tsharkMissing } from '../support/tshark';
import { pdmlFrames } from './pdml';

const ADDRS = [
  '0:0:0:0:0:0:0:0',
  '0:0:0:0:0:0:0:1',
  '0:0:0:0:0:0:0:2',
  '1:0:0:0:0:0:0:0',
  '1:0:0:0:0:0:0:1',
  '0:0:0:0:0:ffff:102:304',
  '0:0:0:0:0:0:102:304',
  '0:0:0:0:ffff:0:102:304',
  '64:ff9b:0:0:0:0:102:304',
  '2001:db8:0:0:1:0:0:1',
  '2001:0:0:1:0:0:0:1',
  '2001:db8:0:1:1:1:1:1',
  '2001:db8:1:2:3:4:5:6',
  'fe80:0:0:0:200:ff:fe00:7701',
  'ff02:0:0:0:0:1:ff00:2',
  'fd00:77:0:0:0:0:0:2',
  'abcd:ef01:2345:6789:abcd:ef01:2345:6789',
  '0:1:0:1:0:1:0:1',
  '1:0:0:2:0:0:0:3',
];

function v6(s: string): Uint8Array {
  const b = new Uint8Array(16);
  s.split(':').forEach((g, i) => {
    const n = parseInt(g, 16);
    b[2 * i] = n >> 8;
    b[2 * i + 1] = n & 255;
  });
  return b;
}

/** A bare IPv6 header (no next header, payload length 0) from src to dst. */
function packet(src: Uint8Array, dst: Uint8Array): Uint8Array {
  const p = new Uint8Array(40);
  p[0] = 0x60;
  p[6] = 59;
  p[7] = 64;
  p.set(src, 8);
  p.set(dst, 24);
  return p;
}

// Seconds and nanoseconds: the epoch, single-digit days, a leap day, 2038 and beyond, and a frame
// earlier than its predecessor (negative frame.time_delta).
const TIMES: [number, number][] = [
  [0, 0],
  [86400 * 31 + 5, 1],
  [951782400, 999999999], // 2000-02-29
  [1709164800, 123456789], // 2024-02-29
  [2147483647, 500000000], // 2038-01-19 03:14:07
  [2147483648, 0],
  [4102444800, 42], // 2100-01-01
  [4102444799, 999999000], // one microsecond earlier than the previous frame
  [1795503770, 260076000],
];

describe.skipIf(!!tsharkMissing)('format.ts against tshark (crafted capture)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ws-format-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const n = Math.max(ADDRS.length, TIMES.length);
  const records: PcapRecord[] = [];
  for (let i = 0; i < n; i++) {
    const [sec, nsec] = TIMES[i % TIMES.length];
    const data = packet(v6(ADDRS[i % ADDRS.length]), v6(ADDRS[(i + 7) % ADDRS.length]));
    records.push({ tsSec: sec, tsFrac: nsec, origlen: data.length, data });
  }
  const file = join(dir, 'format.pcap');
  writeFileSync(
    file,
    serializePcap({
      littleEndian: true,
      nano: true,
      versionMajor: 2,
      versionMinor: 4,
      thiszone: 0,
      sigfigs: 0,
      snaplen: 65535,
      linktype: 229,
      records,
    }),
  );
  const rows = tsharkMissing
    ? []
    : tsharkFields(file, [
        'ipv6.src',
        'ipv6.dst',
        'frame.time',
        'frame.time_epoch',
        'frame.time_delta',
        'frame.time_relative',
      ]);

  it('tshark read every crafted packet', () => {
    expect(rows.length).toBe(n);
  });

  it('IPv6 addresses print as tshark prints them', () => {
    const ours = records.map((r) => [ipv6Text(r.data, 8), ipv6Text(r.data, 24)]);
    expect(ours).toEqual(rows.map((r) => [r[0], r[1]]));
  });

  it('absolute, epoch, delta and relative times print as tshark prints them', () => {
    const ours = records.map((r, i) => {
      const prev = records[i - 1] ?? r;
      const first = records[0];
      const delta = secondsText(r.tsSec - prev.tsSec, r.tsFrac - prev.tsFrac);
      const rel = secondsText(r.tsSec - first.tsSec, r.tsFrac - first.tsFrac);
      return [absTimeText({ sec: r.tsSec, nsec: r.tsFrac }), secondsText(r.tsSec, r.tsFrac), delta, rel];
    });
    expect(ours).toEqual(rows.map((r) => r.slice(2)));
  });
});

/** IPv4 + UDP (port 40000 → 40001, nothing tshark decodes further) carrying `n` payload bytes. */
function udp4(n: number): Uint8Array {
  const p = new Uint8Array(28 + n);
  const v = new DataView(p.buffer);
  p[0] = 0x45;
  v.setUint16(2, 28 + n);
  p[8] = 64;
  p[9] = 17;
  p.set([10, 0, 0, 1, 10, 0, 0, 2], 12);
  v.setUint16(20, 40000);
  v.setUint16(22, 40001);
  v.setUint16(24, 8 + n);
  for (let i = 0; i < n; i++) p[28 + i] = (i * 7 + 1) & 255;
  return p;
}

describe.skipIf(!!tsharkMissing)('bytes in the tree against tshark PDML (crafted capture)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ws-bytes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const sizes = [1, 35, 36, 37, 100];
  const file = join(dir, 'bytes.pcap');
  const records: PcapRecord[] = sizes.map((n, i) => ({
    tsSec: 1000 + i,
    tsFrac: 0,
    origlen: 28 + n,
    data: udp4(n),
  }));
  writeFileSync(
    file,
    serializePcap({
      littleEndian: true,
      nano: false,
      versionMajor: 2,
      versionMinor: 4,
      thiszone: 0,
      sigfigs: 0,
      snaplen: 65535,
      linktype: 228,
      records,
    }),
  );

  it('shows at most 36 bytes, then an ellipsis, as tshark does (data.data)', () => {
    const pdml = pdmlFrames(file, null);
    const theirs = sizes.map((_, i) => pdml.get(i + 1)?.find((t) => t.name === 'data.data')?.showname);
    const def = {
      abbrev: 'data.data',
      name: 'Data',
      type: 'bytes',
      base: 'none',
      mask: 0,
      proto: 'data',
    } as const;
    expect(records.map((r) => `Data: ${displayValue(def, r.data.subarray(28))}`)).toEqual(theirs);
  });
});

// Without tshark the comparisons above are skipped; this line says why in the test report.
if (tsharkMissing) it.skip(tsharkMissing, () => {});
