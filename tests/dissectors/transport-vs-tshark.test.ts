// TCP, UDP, ICMP and ICMPv6 against tshark 4.0 on real traffic (tests/fixtures/l4) and on captures
// built here for the cases real traffic rarely shows: every `-T fields` cell of every field of the
// four protocols and the packet-list columns, and every line of their trees (order, nesting,
// computed values, expert notes), in two passes as the app runs (tshark -2), and in one pass as a
// live capture shows rows while they arrive (tshark without -2).
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Session } from '../../shared/dissect/packet';
import type { Dissection } from '../../shared/dissect/types';
import { createEngine } from '../../shared/dissectors/index';
import { dissectFile, metaOf } from '../support/dissect-file';
import { tsharkFields, tsharkMissing } from '../support/tshark';
import { diffFile, expandFields, ourCell, protocolsToDisable, type Mismatch } from '../tshark/diff-lib';
import { unexcused } from '../fixtures/l4/excused';
import * as b from '../fixtures/l4/craft';
import { ourLines, pdmlLines } from '../fixtures/l4/tree';
import { createReader } from '../../shared/capture/reader';
import { readFileSync } from 'node:fs';

const FIXTURES = join(__dirname, '../../tests/fixtures/l4');
const realCaptures = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.pcap'))
  .map((f) => join(FIXTURES, f));

export const L4_FIELDS: readonly string[] = tsharkMissing
  ? []
  : expandFields([
      'tcp.*',
      'udp.*',
      'icmp.*',
      'icmpv6.*',
      '_ws.col.Protocol',
      '_ws.col.Info',
      '_ws.col.Source',
      '_ws.col.Destination',
    ]).fields;

function show(ms: readonly Mismatch[], max = 25): string {
  return ms
    .slice(0, max)
    .map(
      (m) => `frame ${m.frame} ${m.field}: ours ${JSON.stringify(m.ours)} tshark ${JSON.stringify(m.tshark)}`,
    )
    .join('\n');
}

/** The whole-tree comparison of one protocol in one file; returns the differing lines. */
export function treeDifferences(file: string, proto: string): string[] {
  const ours = dissectFile(file).frames;
  const theirs = pdmlLines(
    file,
    proto,
    protocolsToDisable(file).flatMap((x) => ['--disable-protocol', x]),
  );
  const problems: string[] = [];
  ours.forEach((d, i) => {
    const t = theirs.get(i + 1) ?? [];
    const o = ourLines(d, proto);
    if (t.length !== o.length) {
      problems.push(`frame ${i + 1}: ${o.length} ${proto} layers, tshark ${t.length}`);
      return;
    }
    for (let k = 0; k < t.length; k++) {
      const n = Math.max(t[k].length, o[k].length);
      for (let j = 0; j < n; j++) {
        if (t[k][j] !== o[k][j]) {
          problems.push(
            `frame ${i + 1} ${proto} line ${j}: ours ${o[k][j] ?? '(none)'} | tshark ${t[k][j] ?? '(none)'}`,
          );
          break;
        }
      }
    }
  });
  return problems;
}

/** Crafted frames for what the real fixtures do not show, each compared with tshark as a file. */
function craftedCaptures(dir: string): string[] {
  const { tcp, udp, icmp, icmpv6, v4Frame, v6Frame, ipv4, ipv6, bytes, u16, u32, V4_A, V4_B, V6_A, V6_B } = b;
  const files: string[] = [];
  const A = V4_A;
  const B = V4_B;
  // TCP: every flag, odd header lengths, options of every kind we decode, bad option lengths.
  const seg = (t: b.TcpSpec) => v4Frame(6, tcp(A, B, t));
  files.push(
    b.writeFrames(
      join(dir, 'tcp-crafted.pcap'),
      b.timed([
        seg({
          sport: 41000,
          dport: 41002,
          seq: 100,
          flags: 0x002,
          options: [2, 4, 5, 0xb4, 1, 3, 3, 7, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0],
        }),
        seg({
          sport: 41002,
          dport: 41000,
          seq: 900,
          ack: 101,
          flags: 0x012,
          options: [2, 4, 5, 0xb4, 1, 1, 4, 2],
        }),
        seg({ sport: 41000, dport: 41002, seq: 101, ack: 901, flags: 0x0c2 }),
        seg({
          sport: 41000,
          dport: 41002,
          seq: 101,
          ack: 901,
          flags: 0xfff,
          payload: new Uint8Array([1, 2, 3]),
        }),
        seg({ sport: 41000, dport: 41002, seq: 101, ack: 901, flags: 0x010, hlen: 16 }),
        seg({
          sport: 41000,
          dport: 41002,
          seq: 101,
          ack: 901,
          flags: 0x010,
          options: [
            0x22, 2, 0xfd, 6, 0xf9, 0x89, 1, 2, 0, 0, 0, 0, 0xfe, 4, 0x12, 0x34, 0x63, 5, 1, 2, 3, 0, 0, 0,
          ],
        }),
        seg({ sport: 41000, dport: 41002, seq: 101, ack: 901, flags: 0x010, options: [2, 3, 5, 0] }),
        seg({ sport: 41000, dport: 41002, seq: 101, ack: 901, flags: 0x010, options: [0, 1, 2, 3] }),
        seg({
          sport: 41000,
          dport: 41002,
          seq: 101,
          ack: 901,
          flags: 0x010,
          options: [1, 1, 1, 1, 1, 1, 1, 1],
        }),
        seg({
          sport: 41000,
          dport: 41002,
          seq: 101,
          ack: 901,
          flags: 0x010,
          options: [
            6,
            6,
            0,
            0,
            0,
            9,
            7,
            6,
            0,
            0,
            0,
            9,
            19,
            18,
            ...new Array(16).fill(0xaa),
            28,
            4,
            0x80,
            10,
            1,
            1,
          ],
        }),
        seg({
          sport: 41000,
          dport: 41002,
          seq: 101,
          ack: 901,
          flags: 0x010,
          options: [3, 3, 20, 0, 5, 10, 0, 0, 3, 0x84, 0, 0, 3, 0x90, 1, 1],
        }),
        seg({
          sport: 41000,
          dport: 41002,
          seq: 101,
          ack: 901,
          flags: 0x030,
          urg: 2,
          payload: new Uint8Array([65, 66]),
        }),
        seg({
          sport: 41000,
          dport: 41002,
          seq: 104,
          ack: 901,
          flags: 0x004,
          payload: new TextEncoder().encode('reset reason'),
        }),
        seg({ sport: 41000, dport: 41002, seq: 104, ack: 0, flags: 0x002, urg: 9 }),
        seg({ sport: 41000, dport: 41002, seq: 104, ack: 77, flags: 0x001, options: [2, 4, 5, 0] }),
        seg({ sport: 41000, dport: 41002, seq: 104, ack: 901, flags: 0x010, options: [5, 3, 0, 0] }),
      ]),
    ),
  );
  // AccECN (RFC 9768): the handshake codepoints that turn the ECN flags into the ACE counter and
  // those that do not, the AccECN option (both kinds, both experiment ids, every length, bad
  // lengths) turning it on for the whole connection; TCP AO; SYNs without an MSS option; a
  // connection whose first segment is a SYN/ACK (its completeness bits come in on a revisit).
  {
    const ecn = (b3: number) => ((b3 & 4) << 6) | ((b3 & 2) << 6) | ((b3 & 1) << 6);
    const cl = (sport: number, t: Omit<b.TcpSpec, 'sport' | 'dport'>) =>
      v4Frame(6, tcp(A, B, { sport, dport: 80, ...t }));
    const sv = (dport: number, t: Omit<b.TcpSpec, 'sport' | 'dport'>) =>
      v4Frame(6, tcp(B, A, { sport: 80, dport, ...t }), B, A);
    const frames: Uint8Array[] = [];
    let p = 42000;
    for (const [syn, synack] of [
      [7, 2],
      [7, 3],
      [7, 4],
      [7, 6],
      [7, 1],
      [7, 5],
      [7, 7],
      [7, 0],
      [6, 2],
      [3, 4],
    ]) {
      frames.push(cl(p, { seq: 100, flags: 0x002 | ecn(syn), options: [2, 4, 5, 0xb4] }));
      frames.push(sv(p, { seq: 500, ack: 101, flags: 0x012 | ecn(synack), options: [2, 4, 5, 0xb4] }));
      frames.push(cl(p, { seq: 101, ack: 501, flags: 0x010 | 0x0c0 }));
      frames.push(sv(p, { seq: 501, ack: 101, flags: 0x018 | 0x100, payload: new Uint8Array([1]) }));
      p++;
    }
    const options = [
      [172, 2, 1, 1],
      [172, 5, 0, 0, 7, 0],
      [172, 8, 0, 0, 7, 0, 0, 8, 0, 0, 0, 0],
      [172, 11, 0, 0, 7, 0, 0, 8, 0, 0, 9, 0],
      [174, 11, 0, 0, 7, 0, 0, 8, 0, 0, 9, 0],
      [174, 6, 0, 0, 7, 0, 0, 0],
      [254, 5, 0xac, 0xc0, 1, 0, 0, 0],
      [254, 4, 0xac, 0xc1],
      [253, 7, 0xac, 0xc1, 0, 0, 9, 0],
      [254, 10, 0xac, 0xc0, 0, 0, 1, 0, 0, 2, 0, 0],
      [254, 13, 0xac, 0xc1, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0, 0],
    ];
    for (const o of options) {
      frames.push(cl(p, { seq: 1, ack: 1, flags: 0x050, options: o }));
      frames.push(sv(p, { seq: 1, ack: 1, flags: 0x1d0 }));
      frames.push(cl(p, { seq: 1, ack: 1, flags: 0x0f8 | 0xe00, payload: new Uint8Array([2]) }));
      p++;
    }
    frames.push(
      cl(p, { seq: 1, ack: 1, flags: 0x000, options: [172, 2, 0, 0] }),
      cl(p, { seq: 1, ack: 1, flags: 0x000 }),
      cl(p++, { seq: 1, ack: 1, flags: 0x001 }),
    );
    for (const o of [
      [29, 6, 1, 2, 0xaa, 0xbb, 1, 1],
      [29, 4, 1, 2],
      [29, 3, 1, 0],
      [29, 2, 1, 1],
    ])
      frames.push(cl(p++, { seq: 1, ack: 1, flags: 0x010, options: o }));
    for (const o of [
      [3, 3, 7, 1],
      [3, 3, 7, 8, 20, 0, 0, 0],
      [2, 3, 7, 0],
      [1, 1, 1, 0x50],
      [0, 2, 4, 5, 0xb4, 0, 0, 0],
      [1, 1, 5, 3],
      [3, 3, 7, 0],
      [3, 3, 7, 0, 1, 0, 0, 0],
      [0, 0, 0, 0],
    ]) {
      frames.push(cl(p++, { seq: 100, flags: 0x002, options: o }));
    }
    frames.push(
      sv(p, { seq: 500, ack: 101, flags: 0x012, options: [1, 1, 1, 1] }),
      cl(p, { seq: 101, ack: 501, flags: 0x010 }),
      sv(p++, { seq: 501, ack: 101, flags: 0x011 }),
    );
    frames.push(cl(p, { seq: 101, ack: 501, flags: 0x014 }), sv(p++, { seq: 500, ack: 101, flags: 0x012 }));
    files.push(b.writeFrames(join(dir, 'tcp-accecn-ao.pcap'), b.timed(frames)));
  }
  // UDP: bad lengths, zero checksums (legal over IPv4, not over IPv6), a jumbogram without its
  // hop-by-hop option, a traceroute port, a payload shorter than the length says, a cut capture.
  const port = 41000;
  const full = v4Frame(17, udp(A, B, port, 41001, new Uint8Array(40).fill(0x78)));
  files.push(
    b.writeFrames(
      join(dir, 'udp-crafted.pcap'),
      b.timed([
        v4Frame(17, udp(A, B, port, 41001, new TextEncoder().encode('hello'))),
        v4Frame(17, udp(A, B, port, 41001, new TextEncoder().encode('hello'), { length: 6 })),
        v4Frame(17, udp(A, B, port, 41001, new TextEncoder().encode('hello'), { length: 40 })),
        v4Frame(17, udp(A, B, port, 41001, new TextEncoder().encode('hello'), { length: 10 })),
        v4Frame(17, udp(A, B, port, 41001, new TextEncoder().encode('hello'), { checksum: 0 })),
        v6Frame(17, udp(V6_A, V6_B, port, 41001, new TextEncoder().encode('hello'), { checksum: 0 })),
        v4Frame(17, udp(A, B, 40000, 33440, new TextEncoder().encode('trace'))),
        v4Frame(17, udp(A, B, port, 41001, new Uint8Array(0))),
        v6Frame(17, udp(V6_A, V6_B, port, 41001, new TextEncoder().encode('jumbo'), { length: 0 })),
        { sec: 1009, usec: 0, data: full.subarray(0, 50), origlen: full.length },
        v4Frame(17, udp(A, B, port, 41001, new Uint8Array(0)).subarray(0, 5)),
      ]),
    ),
  );
  // ICMP: a bad checksum, a request to a multicast group, one never answered, router
  // advertisement, address mask, parameter problem, RFC 4884 length, unknown type, source quench
  // quoting 8 bytes of TCP, a message too short to read, a late reply.
  const quotedUdp = ipv4(B, A, 17, bytes(u16(1), u16(2), u16(8), u16(0)));
  files.push(
    b.writeFrames(
      join(dir, 'icmp-crafted.pcap'),
      b.timed([
        v4Frame(1, icmp(8, 0, [0, 1, 0, 1], new TextEncoder().encode('abcdefgh'), 0x1234)),
        v4Frame(1, icmp(8, 0, [0, 2, 0, 1], new Uint8Array([0x78])), A, [224, 0, 0, 1]),
        v4Frame(1, icmp(8, 0, [0, 3, 0, 1], new Uint8Array(0))),
        v4Frame(1, icmp(9, 0, [2, 2, 0x07, 0x08], bytes(A, u32(5), B, u32(0xffffffff)))),
        v4Frame(1, icmp(17, 0, [0, 4, 0, 1], new Uint8Array([255, 255, 255, 0]))),
        v4Frame(1, icmp(12, 0, [20, 0, 0, 0], quotedUdp)),
        v4Frame(1, icmp(3, 1, [0, 7, 0, 0], bytes(quotedUdp, new Uint8Array(8)))),
        v4Frame(1, icmp(99, 5, [0, 0, 0, 0], new TextEncoder().encode('zzzz'))),
        v4Frame(1, icmp(4, 0, [0, 0, 0, 0], ipv4(B, A, 6, bytes(u16(1), u16(2), u32(3))))),
        v4Frame(1, new Uint8Array([8, 0, 0])),
        v4Frame(1, icmp(0, 0, [0, 3, 0, 1], new Uint8Array(0)), B, A),
        v4Frame(1, icmp(14, 0, [0, 5, 0, 1], bytes(u32(1000), u32(0x80000000), u32(90000000)))),
        v4Frame(1, icmp(10, 0, [0, 0, 0, 0], new Uint8Array(0))),
      ]),
    ),
  );
  // ICMPv6: every error code, neighbour discovery without and with options (RDNSS, DNSSL, unknown,
  // zero length), MLDv1 report/done, MLDv2 query and report, a bad checksum, an unknown type.
  const q6 = ipv6(V6_B, V6_A, 17, bytes(u16(1), u16(2), u16(12), u16(0), [97, 98, 99, 100]), 64);
  const lla = [2, 0, 0, 0, 0, 1];
  const m6 = [0xff, 2, ...new Array(13).fill(0), 0x16];
  const v6 = (
    type: number,
    code: number,
    body: Uint8Array,
    dst = V6_B,
    hops = 255,
    src = V6_A,
    sum?: number,
  ) => v6Frame(58, icmpv6(src, dst, type, code, body, sum), src, dst, hops);
  const list: Uint8Array[] = [];
  for (let code = 0; code < 10; code++) list.push(v6(1, code, bytes([0, 0, 0, 0], q6)));
  for (let code = 0; code < 3; code++) list.push(v6(3, code, bytes([0, 0, 0, 0], q6)));
  for (let code = 0; code < 5; code++) list.push(v6(4, code, bytes(u32(6), q6)));
  list.push(v6(2, 0, bytes(u32(1280), q6)));
  list.push(v6(135, 0, bytes([0, 0, 0, 0], V6_B, [1, 1], lla)));
  list.push(v6(136, 0, bytes(u32(0x40000000), V6_B)));
  list.push(v6(136, 0, bytes(u32(0), V6_B, [2, 1], lla)));
  list.push(v6(133, 0, new Uint8Array(4)));
  list.push(
    v6(
      134,
      0,
      bytes([64, 0x08], u16(0), u32(0), u32(0), [25, 3, 0, 0], u32(3600), V6_B, [31, 3, 0, 0], u32(3600), [
        7,
        ...new TextEncoder().encode('example'),
        3,
        ...new TextEncoder().encode('com'),
        0,
        0,
        0,
        0,
      ]),
    ),
  );
  list.push(v6(137, 0, bytes([0, 0, 0, 0], V6_B, V6_A)));
  list.push(v6(131, 0, bytes([0, 0, 0, 0], m6), m6, 1));
  list.push(v6(132, 0, bytes([0, 0, 0, 0], m6), [0xff, 2, ...new Array(13).fill(0), 2], 1));
  list.push(v6(143, 0, bytes([0, 0], u16(2), [4, 0], u16(0), m6, [3, 0], u16(1), m6, V6_A), m6, 1));
  list.push(v6(130, 0, bytes(u16(10000), u16(0), m6, [2, 125], u16(1), V6_A), m6, 1));
  list.push(v6(128, 0, bytes(u16(7), u16(1), [97, 98, 99])));
  list.push(v6(129, 0, bytes(u16(7), u16(1), [97, 98, 99]), V6_A, 255, V6_B));
  list.push(v6(128, 0, bytes(u16(8), u16(1), [97, 98, 99]), V6_B, 255, V6_A, 0x1111));
  list.push(v6(200, 0, new TextEncoder().encode('zzzz')));
  list.push(v6(135, 0, bytes([0, 0, 0, 0], V6_B, [1, 0])));
  list.push(v6(135, 0, bytes([0, 0, 0, 0], V6_B, [0x63, 1], lla)));
  list.push(v6(135, 0, bytes([0, 0, 0, 0], V6_B, [1, 2], lla)));
  // Router advertisement options: route information (every length, every preference, infinite
  // lifetime), PREF64 (every prefix length code, long and short), advertisement interval, home
  // agent, and options longer than their fields (unknown data) or shorter (read past their end).
  const ra = (opts: number[]) => v6(134, 0, bytes([64, 0], u16(0), u32(0), u32(0), opts));
  const pfx = [0x20, 1, 0x0d, 0xb8, 0, 1, 0, 0x64, 0xff, 0x9b, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff];
  const z = (n: number) => new Array<number>(n).fill(0);
  list.push(ra([24, 1, 0, 0x08, ...u32(0xffffffff)]));
  list.push(ra([24, 2, 48, 0x18, ...u32(7200), ...pfx.slice(0, 8)]));
  list.push(ra([24, 3, 64, 0x10, ...u32(1), ...pfx]));
  list.push(ra([24, 4, 64, 0xff, ...u32(1), ...pfx, ...z(8)]));
  for (let plc = 0; plc < 8; plc++) list.push(ra([38, 2, 0x12, 0x30 | plc, ...pfx.slice(0, 12)]));
  list.push(ra([38, 3, 0x12, 0x30, ...pfx.slice(0, 12), ...z(8)]));
  list.push(ra([38, 1, 0x12, 0x30, 1, 2, 3, 4]));
  list.push(ra([7, 1, 0, 0, ...u32(5000), 8, 1, 0, 0, ...u16(50001), ...u16(15)]));
  list.push(ra([7, 2, 0, 0, ...u32(5000), ...z(8), 8, 2, 0, 0, ...u16(1), ...u16(2), ...z(8)]));
  list.push(ra([3, 5, 64, 0xc0, ...u32(1), ...u32(2), 0, 0, 0, 0, ...pfx, ...z(8)]));
  list.push(ra([5, 2, 0, 0, ...u32(1500), ...z(8)]));
  list.push(ra([25, 4, 0, 0, ...u32(5), ...pfx, ...z(8)]));
  list.push(ra([25, 2, 0, 0, ...u32(5), ...z(8)]));
  list.push(ra([25, 1, 0, 0, ...u32(5)]), ra([31, 1, 0, 0, ...u32(5)]));
  files.push(b.writeFrames(join(dir, 'icmpv6-crafted.pcap'), b.timed(list)));
  return files;
}

const dir = mkdtempSync(join(tmpdir(), 'wirescope-l4-'));
const crafted = tsharkMissing ? [] : craftedCaptures(dir);
const all = [...realCaptures, ...crafted];
const name = (f: string) => f.split('/').pop()!;

describe.skipIf(!!tsharkMissing)(`transport layers against tshark -2 ${tsharkMissing}`, () => {
  it.each(all.map((f) => [name(f), f]))(
    '%s: every field of tcp, udp, icmp, icmpv6 and the columns',
    (_n, file) => {
      const d = diffFile(file, L4_FIELDS);
      expect(d.errors).toEqual([]);
      expect(d.frames).toBeGreaterThan(0);
      const bad = unexcused(d.mismatches);
      expect(bad, show(bad)).toEqual([]);
    },
  );

  it.each(all.map((f) => [name(f), f]))('%s: every tree line of tcp, udp, icmp and icmpv6', (_n, file) => {
    const problems = ['tcp', 'udp', 'icmp', 'icmpv6'].flatMap((p) => treeDifferences(file, p));
    expect(problems.slice(0, 20)).toEqual([]);
  });

  it.each(all.map((f) => [name(f), f]))('%s: layer summaries as tshark', (_n, file) => {
    const ours = dissectFile(file).frames;
    const bad: string[] = [];
    for (const proto of ['tcp', 'udp']) {
      const theirs = tsharkFields(file, [proto], ['-2']);
      ours.forEach((d, i) => {
        // A layer cut short keeps the engine's name for it (the engine has no partial summary).
        const layers = d.layers.filter((l) => l.proto === proto && !l.source);
        if (layers.some((l) => l.malformed || l.truncated)) return;
        const o = layers.map((l) => l.summary);
        const t = (theirs[i]?.[0] ?? '')
          .split(/,(?=(?:Transmission Control|User Datagram) Protocol)/)
          .filter(Boolean);
        if (o.length && o.join('|') !== t.join('|'))
          bad.push(`frame ${i + 1}: ${o.join('|')} | tshark ${t.join('|')}`);
      });
    }
    expect(bad.slice(0, 10)).toEqual([]);
  });
});

/** One pass with tree and columns, frames in order: what a live capture shows as rows arrive. */
function singlePass(file: string): Dissection[] {
  const engine = createEngine();
  const session = new Session();
  const out: Dissection[] = [];
  const packets: { meta: ReturnType<typeof metaOf>; data: Uint8Array }[] = [];
  const reader = createReader({ packet: (p) => packets.push({ meta: metaOf(p), data: p.data.slice() }) });
  reader.push(new Uint8Array(readFileSync(file)));
  reader.end();
  session.prevTs = (n) => (n > 1 ? [packets[n - 2].meta.tsSec, packets[n - 2].meta.tsNsec] : null);
  for (const p of packets) {
    out.push(engine.dissect(p.data, p.meta, session, true, true));
    session.lastVisited = p.meta.number;
  }
  return out;
}

const ONE_PASS_FIELDS = [
  'tcp.stream',
  'tcp.completeness',
  'tcp.seq',
  'tcp.ack',
  'tcp.window_size',
  'tcp.window_size_scalefactor',
  'tcp.analysis.acks_frame',
  'tcp.analysis.ack_rtt',
  'tcp.analysis.initial_rtt',
  'tcp.analysis.bytes_in_flight',
  'tcp.analysis.flags',
  'tcp.time_relative',
  'tcp.time_delta',
  'udp.stream',
  'udp.time_delta',
  'icmp.resp_in',
  'icmp.resp_to',
  'icmp.no_resp',
  'icmpv6.resp_in',
  'icmpv6.resp_to',
  '_ws.col.Info',
];

describe.skipIf(!!tsharkMissing)(`one pass (live rows) against tshark without -2 ${tsharkMissing}`, () => {
  it.each(all.map((f) => [name(f), f]))('%s', (_n, file) => {
    const ours = singlePass(file);
    const theirs = tsharkFields(file, ONE_PASS_FIELDS);
    const bad: string[] = [];
    ours.forEach((d, i) => {
      ONE_PASS_FIELDS.forEach((f, j) => {
        const o = ourCell(d, f);
        const t = theirs[i]?.[j] ?? '';
        if (o !== t) bad.push(`frame ${i + 1} ${f}: ours ${JSON.stringify(o)} tshark ${JSON.stringify(t)}`);
      });
    });
    expect(bad.slice(0, 20)).toEqual([]);
  });
});
