// DNS on messages built byte by byte: names (compression, loops, the 255-byte buffer, bad label
// types), short and malformed messages (a malformed or truncated layer with what was read, never
// an exception), query/response matching, the UDP heuristic and DNS over TCP (several messages in
// one segment, one split over two). Each case states what Wirescope shows; where tshark is
// installed the same files are compared with it cell by cell and line by line.
import { describe, expect, it } from 'vitest';
import { fieldColumn } from '../dissect/query';
import type { Dissection } from '../dissect/types';
import { dissectFile } from '../../tests/support/dissect-file';
import { tsharkMissing } from '../../tests/support/tshark';
import { diffFile, expandFields } from '../../tests/tshark/diff-lib';
import { ourLines, pdmlLines } from '../../tests/fixtures/l4/tree';
import {
  handshake,
  header,
  name,
  pcap,
  question,
  rr,
  tcpFrame,
  u16,
  udpFrame,
  udpReply,
} from '../../tests/dns/craft-dns';
import { formatText, secsText } from './dns';

const q = (id: number, n: number[], type = 1) => [...header(id, 0x0100, 1), ...question(n, type)];
const cell = (d: Dissection, f: string) => fieldColumn(d, f);

function run(file: string): Dissection[] {
  return dissectFile(file).frames;
}

/** Crafted files, kept for the tshark comparison at the end. */
const files: string[] = [];
function craft(nameOf: string, frames: Uint8Array[]): Dissection[] {
  const f = pcap(nameOf, frames);
  files.push(f);
  return run(f);
}

describe('names', () => {
  it('follows compression pointers from the message start (RFC 1035 §4.1.4)', () => {
    const msg = [
      ...header(0x1111, 0x8180, 1, 1),
      ...question(name('www', 'example', 'com')),
      ...rr([0xc0, 12], 5, [3, ...Buffer.from('cdn'), 0xc0, 16]),
    ];
    const [d] = craft('compress.pcap', [udpReply(msg)]);
    expect(cell(d, 'dns.resp.name')).toBe('www.example.com');
    expect(cell(d, 'dns.cname')).toBe('cdn.example.com');
    expect(d.columns.info).toBe('Standard query response 0x1111 A www.example.com CNAME cdn.example.com');
  });

  it('stops pointer loops with Wireshark’s text, including its pointer-two-bytes-ahead quirk', () => {
    const frames = craft('loops.pcap', [
      udpFrame([...header(1, 0x0100, 1), 0xc0, 12, ...u16(1), ...u16(1)]),
      udpFrame([...header(2, 0x0100, 1), 1, 0x61, 0xc0, 12, ...u16(1), ...u16(1)]),
      udpFrame([...header(3, 0x0100, 1), 0xc0, 16, 0, 0, 1, 0, 1, ...u16(1), ...u16(1)]),
    ]);
    for (const d of frames) {
      expect(cell(d, 'dns.qry.name')).toBe('<Name contains a pointer that loops>');
      expect(d.layers.at(-1)!.malformed).toBe(false);
    }
    expect(cell(frames[2], 'dns.qry.type')).toBe('0');
  });

  it('marks a pointer out of the message and the reserved label types malformed, keeping what was read', () => {
    const frames = craft('badnames.pcap', [
      udpFrame([...header(4, 0x0100, 1), 0xc0, 0xff, ...u16(1), ...u16(1)]),
      udpFrame([...header(5, 0x0100, 1), 0x80, 0x61, 0, ...u16(1), ...u16(1)]),
      udpFrame([...header(6, 0x0100, 1), 0x41, 8, 0xab, 0, ...u16(1), ...u16(1)]),
    ]);
    for (const d of frames) {
      const dns = d.layers.at(-1)!;
      expect(dns.proto).toBe('dns');
      expect(dns.malformed).toBe(true);
      expect(dns.summary).toBe('Domain Name System (query)');
      expect(cell(d, 'dns.id')).not.toBe('');
      expect(cell(d, 'dns.qry.name')).toBe('');
      expect(d.columns.info).toMatch(/^Standard query 0x000\d\[Malformed Packet\]$/);
    }
    expect(
      frames[1].layers
        .at(-1)!
        .experts.map((e) => e.message)
        .join(),
    ).toContain('label type 0x80');
  });

  it('prints names over 253 characters as <Name too long>, the root as <Root>, odd bytes escaped', () => {
    const long = (total: number) => {
      const labels: string[] = [];
      for (let rem = total; rem > 0;) {
        const l = Math.min(63, labels.length ? rem - 1 : rem);
        rem -= l + (labels.length ? 1 : 0);
        labels.push('a'.repeat(l));
      }
      return name(...labels);
    };
    const frames = craft('names.pcap', [
      udpFrame(q(7, long(253))),
      udpFrame(q(8, long(254))),
      udpFrame(q(9, [0])),
      udpFrame(q(10, name([0x61, 0, 0x62], [0x63, 1, 0x7f, 0x80, 0xc3, 0xa9, 0xff], 'e.f', 'sp ace'))),
    ]);
    expect(cell(frames[0], 'dns.qry.name.len')).toBe('253');
    expect(cell(frames[1], 'dns.qry.name')).toBe('<Name too long>');
    expect(cell(frames[1], 'dns.qry.name.len')).toBe('15');
    expect(cell(frames[2], 'dns.qry.name')).toBe('<Root>');
    expect(cell(frames[2], 'dns.count.labels')).toBe('1');
    expect(cell(frames[3], 'dns.qry.name')).toBe('a\\000b.c\\001\\177\ufffdé\ufffd.e.f.sp ace');
    expect(cell(frames[3], 'dns.qry.name.len')).toBe('22');
    expect(cell(frames[3], 'dns.count.labels')).toBe('5');
  });

  it('format_text and TTL text as Wireshark writes them', () => {
    expect(formatText([0x41, 9, 0x5c, 0xe2, 0x82, 0xac, 0xe2])).toBe('A\\t\\\\€\ufffd'.replace('\\\\', '\\'));
    expect(secsText(0)).toBe('0 seconds');
    expect(secsText(3600)).toBe('1 hour');
    expect(secsText(90061)).toBe('1 day, 1 hour, 1 minute, 1 second');
  });
});

describe('messages', () => {
  it('cut by the capture (snaplen) are truncated, not malformed', () => {
    const full = udpReply([
      ...header(0x2222, 0x8180, 1, 1),
      ...question(name('example', 'com')),
      ...rr([0xc0, 12], 1, [192, 0, 2, 1]),
    ]);
    const path = pcap('snap.pcap', [
      { sec: 1, usec: 0, data: full.slice(0, full.length - 3), origlen: full.length },
    ]);
    files.push(path);
    const [d] = run(path);
    const dns = d.layers.at(-1)!;
    expect(dns.truncated).toBe(true);
    expect(dns.malformed).toBe(false);
    expect(cell(d, 'dns.qry.name')).toBe('example.com');
    expect(cell(d, 'dns.a')).toBe('');
    expect(d.columns.info).toBe(
      'Standard query response 0x2222 A example.com A[Packet size limited during capture]',
    );
  });

  it('shorter than their counts say are malformed; bytes after the records are extraneous', () => {
    const frames = craft('short.pcap', [
      udpFrame([...header(0x3333, 0x0100, 2), ...question(name('a', 'example'))]),
      udpFrame([...q(0x3334, name('b', 'example')), 0xde, 0xad]),
      udpFrame([0x12, 0x34, 0x01]),
    ]);
    expect(frames[0].layers.at(-1)!.malformed).toBe(true);
    expect(cell(frames[0], 'dns.qry.name')).toBe('a.example');
    expect(cell(frames[1], 'dns.extraneous.data')).toBe('dead');
    expect(cell(frames[1], 'dns.extraneous.length')).toBe('2');
    expect(cell(frames[1], '_ws.expert.message')).toBe('Extraneous data');
    expect(frames[2].layers.at(-1)!.malformed).toBe(true);
  });

  it('pairs queries and responses, flags retransmissions and unsolicited responses', () => {
    const ask = q(0x4444, name('example', 'com'));
    const answer = [
      ...header(0x4444, 0x8180, 1, 1),
      ...question(name('example', 'com')),
      ...rr([0xc0, 12], 1, [192, 0, 2, 1]),
    ];
    const frames = craft('match.pcap', [
      udpFrame(ask),
      udpFrame(ask),
      udpReply(answer),
      udpReply(answer),
      udpReply([...header(0x5555, 0x8183, 1), ...question(name('nx', 'com'))]),
    ]);
    expect(cell(frames[0], 'dns.response_in')).toBe('3');
    expect(cell(frames[1], 'dns.retransmit_request_in')).toBe('1');
    expect(cell(frames[1], 'dns.retransmission')).toBe('1');
    expect(cell(frames[2], 'dns.response_to')).toBe('1');
    expect(cell(frames[2], 'dns.time')).toBe('0.020000000');
    expect(cell(frames[3], 'dns.retransmit_response_in')).toBe('3');
    expect(cell(frames[4], 'dns.unsolicited')).toBe('1');
    expect(frames[4].columns.info).toBe('Standard query response 0x5555 No such name A nx.com');
  });

  it('finds DNS on another UDP port by Wireshark’s heuristic, and only DNS-shaped payloads', () => {
    const frames = craft('heuristic.pcap', [
      udpFrame(q(0x6666, name('example', 'com')), 40000, 5300),
      udpFrame([...header(0x6667, 0x2800, 1), ...question(name('x'))], 40000, 5300),
      udpFrame([...Buffer.from('hello, not dns at all')], 40000, 5300),
    ]);
    expect(frames[0].protocols.join(':')).toBe('frame:eth:ethertype:ip:udp:dns');
    expect(frames[1].protocols.at(-1)).toBe('data');
    expect(frames[2].protocols.at(-1)).toBe('data');
  });

  it('shows mDNS class bits (QU, cache flush) and calls the protocol MDNS', () => {
    const frames = craft('mdns.pcap', [
      udpFrame([...header(0, 0, 1), ...question(name('printer', 'local'), 1, 0x8001)], 5353, 5353),
      udpFrame(
        [...header(0, 0x8400, 0, 1), ...rr(name('printer', 'local'), 1, [169, 254, 1, 2], 120, 0x8001)],
        5353,
        5353,
      ),
    ]);
    expect(frames[0].columns.protocol).toBe('MDNS');
    expect(frames[0].columns.info).toBe('Standard query 0x0000 A printer.local, "QU" question');
    expect(cell(frames[0], 'dns.qry.qu')).toBe('1');
    expect(cell(frames[1], 'dns.resp.cache_flush')).toBe('1');
    expect(frames[1].columns.info).toBe('Standard query response 0x0000 A, cache flush 169.254.1.2');
  });
});

describe('DNS over TCP', () => {
  const m1 = q(0x7001, name('example', 'com'));
  const m2 = q(0x7002, name('example', 'org'), 28);
  const framed = (m: number[]) => [...u16(m.length), ...m];
  const reply = [
    ...header(0x7001, 0x8180, 1, 1),
    ...question(name('example', 'com')),
    ...rr([0xc0, 12], 1, [192, 0, 2, 7]),
  ];

  it('dissects several messages of one segment, each a layer, the protocol listed once', () => {
    const frames = craft('tcp-two.pcap', [
      ...handshake(),
      tcpFrame([...framed(m1), ...framed(m2)], 1000, 5000),
    ]);
    const d = frames[3];
    expect(d.layers.filter((l) => l.proto === 'dns')).toHaveLength(2);
    expect(d.protocols.join(':')).toBe('frame:eth:ethertype:ip:tcp:dns');
    expect(cell(d, 'dns.id')).toBe('0x7001,0x7002');
    expect(cell(d, 'dns.length')).toBe(`${m1.length},${m2.length}`);
    expect(d.columns.info).toBe('Standard query 0x7002 AAAA example.org');
  });

  it('marks a message that continues in the next segment, then shows it whole from the segment that ends it', () => {
    const all = framed(reply);
    const frames = craft('tcp-split.pcap', [
      ...handshake(),
      tcpFrame(framed(m1), 1000, 5000),
      tcpFrame(all.slice(0, 5), 5000, 1000 + m1.length + 2, false),
      tcpFrame(all.slice(5), 5005, 1000 + m1.length + 2, false),
    ]);
    const [first, last] = [frames[4], frames[5]];
    expect(first.columns.protocol).toBe('TCP');
    expect(first.columns.info).toMatch(/\[TCP segment of a reassembled PDU\]$/);
    expect(cell(first, 'dns.id')).toBe('');
    expect(last.columns.protocol).toBe('DNS');
    expect(cell(last, 'dns.a')).toBe('192.0.2.7');
    expect(cell(last, 'dns.response_to')).toBe('4');
    expect(last.sources.map((s) => s.bytes.length)).toEqual([all.length]);
  });
});

describe.skipIf(!!tsharkMissing)('the crafted messages against tshark', () => {
  it('agree cell by cell and line by line', () => {
    expect(files.length).toBeGreaterThan(5);
    const fields = expandFields(['dns.*', 'dns', 'mdns', '_ws.col.Info', '_ws.col.Protocol']).fields;
    const problems: string[] = [];
    for (const f of files) {
      // A 3-byte message ends before its flags, before Wireshark adds its DNS tree item; Wirescope
      // keeps the (malformed) layer, which the `dns` column names.
      const stub = (frame: number, field: string) =>
        f.endsWith('short.pcap') && frame === 3 && field === 'dns';
      const d = diffFile(f, fields);
      problems.push(...d.errors);
      for (const m of d.mismatches)
        if (!stub(m.frame, m.field))
          problems.push(`${f} frame ${m.frame} ${m.field}: ours ${m.ours} tshark ${m.tshark}`);
      const ours = run(f);
      for (const proto of ['dns', 'mdns']) {
        const theirs = pdmlLines(f, proto);
        ours.forEach((d, i) => {
          // tcp.pdu.size sits in the DNS layer here, in the TCP tree in Wireshark (dns.ts header).
          const a = ourLines(reassembledToo(d), proto).map((l) =>
            l.filter((line) => !line.includes(' tcp.pdu.size ')),
          );
          const b = theirs.get(i + 1) ?? [];
          if (a.length !== b.length)
            problems.push(`${f} frame ${i + 1}: ${a.length} ${proto} layers, tshark ${b.length}`);
          for (let k = 0; k < Math.min(a.length, b.length); k++) {
            const j = a[k].findIndex((line, n) => line !== b[k][n]);
            if (j >= 0 || a[k].length !== b[k].length)
              problems.push(`${f} frame ${i + 1} ${proto} line ${j}: ours ${a[k][j]} | tshark ${b[k][j]}`);
          }
        });
      }
    }
    expect(problems).toEqual([]);
  });
});

// Without tshark the comparison above is skipped; this line says why in the test report.
if (tsharkMissing) it.skip(tsharkMissing, () => {});

/**
 * The dissection with its layers from reassembled data sources counted as the frame's own: a
 * DNS-over-TCP message that spans segments is a layer of the "Reassembled TCP" source, and tshark's
 * PDML has it in the completing frame too (tree lines carry no offsets, so the source is moot).
 */
function reassembledToo(d: Dissection): Dissection {
  return { ...d, layers: d.layers.map((l) => ({ ...l, source: undefined })) };
}
