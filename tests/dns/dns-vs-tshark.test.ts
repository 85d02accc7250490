// DNS against tshark 4.0 (-2) on real traffic: the captures in tests/fixtures/dns (made from a
// local server and dig, see its README) and every capture of tcpdump's regression corpus in which
// tshark finds DNS (found with `tshark -Y 'dns or mdns or llmnr'` over the corpus; several are
// deliberately malformed). Every `-T fields` cell of every dns.* field tshark knows, the protocol
// cells, frame.protocols, the Protocol and Info columns and the expert notes, on every frame; and
// every line of every DNS layer's tree (order, nesting, labels, generated items). What differs is
// listed below with its reason; anything else fails.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dissectFile } from '../support/dissect-file';
import { tsharkMissing } from '../support/tshark';
import { diffFile, expandFields, protocolsToDisable, type Mismatch } from '../tshark/diff-lib';
import type { Dissection } from '../../shared/dissect/types';
import { ourLines, pdmlLines } from '../fixtures/l4/tree';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'dns');
const CORPUS = '/work/shared/corpus/tcpdump';
const CORPUS_DNS = [
  'LINKTYPE_IPV4.pcap',
  'LINKTYPE_IPV4_invalid.pcap',
  'LINKTYPE_IPV6.pcap',
  'LINKTYPE_RAW_ipv4.pcap',
  'LINKTYPE_RAW_ipv6.pcap',
  'dns-badcookie.pcap',
  'dns-badlabel.pcap',
  'dns-badvers.pcap',
  'dns-uri.pcap',
  'dns_fwdptr.pcap',
  'dns_tcp.pcap',
  'dns_tcp_8053.pcap',
  'dns_udp.pcap',
  'dns_udp_2.pcap',
  'dns_udp_8053.pcap',
  'dns-zlip-1.pcap',
  'dnssec.pcap',
  'edns-opts.pcap',
  'ipv4_invalid_total_length.pcap',
  'ipv6_invalid_length_2.pcap',
  'mptcp-aa-v1.pcap',
  'time_2038.pcap',
];

const files = [
  ...readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.pcap'))
    .map((f) => join(FIXTURES, f)),
  ...(existsSync(CORPUS) ? CORPUS_DNS.map((f) => join(CORPUS, f)).filter(existsSync) : []),
];

/** Cells that differ, each with the reason; anything else fails. */
const EXCUSED: readonly { file: RegExp; frames?: readonly number[]; field: RegExp; reason: string }[] = [
  {
    file: /./,
    field: /^(_ws\.expert|frame\.protocols)$/,
    reason:
      'A malformed message: the engine names what was wrong where ("Malformed Packet: DNS (label type 0x80 at offset 54 …)") where tshark says "Malformed Packet (Exception occurred)", and lists `_ws.malformed` in frame.protocols as it does for every protocol (shared/dissect/engine.ts).',
  },
  {
    file: /^mptcp-aa-v1\.pcap$/,
    field: /^frame\.protocols$/,
    reason:
      'Not DNS: the TCP payload of these MPTCP segments, which tshark (mptcp disabled) calls data; outside this dissector.',
  },
];

function excused(file: string, m: Mismatch): boolean {
  return EXCUSED.some(
    (e) =>
      e.file.test(file) &&
      e.field.test(m.field) &&
      (!e.frames || e.frames.includes(m.frame)) &&
      // The catch-all for malformed frames covers only frames whose message is malformed.
      (e.file.source !== '.' || /_ws\.malformed|Malformed/.test(m.ours)),
  );
}

/** Tree lines that differ, with the reason: the same first segment of a split message. */
const TREE_EXCUSED: readonly { file: RegExp; frames: readonly number[]; reason: string }[] = [
  {
    file: /^dns-tcp\.pcap$/,
    frames: [28],
    reason: 'see EXCUSED: no DNS in tshark for the first segment of a split message',
  },
];

describe.skipIf(!!tsharkMissing)(`DNS against tshark -2 on real captures ${tsharkMissing}`, () => {
  const fields = tsharkMissing
    ? []
    : expandFields([
        'dns.*',
        'dns',
        'mdns',
        'llmnr',
        'frame.protocols',
        '_ws.col.Protocol',
        '_ws.col.Info',
        '_ws.expert',
      ]).fields;

  it('has captures to compare', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  it.each(files.map((f) => [f.split('/').slice(-1)[0], f]))('%s: -T fields cells', (name, path) => {
    const d = diffFile(path, fields);
    expect(d.errors).toEqual([]);
    const bad = d.mismatches
      .filter((m) => !excused(name, m))
      .slice(0, 20)
      .map(
        (m) =>
          `frame ${m.frame} ${m.field}: ours ${JSON.stringify(m.ours)} tshark ${JSON.stringify(m.tshark)}`,
      );
    expect(bad).toEqual([]);
  });

  it.each(files.map((f) => [f.split('/').slice(-1)[0], f]))('%s: tree lines', (name, path) => {
    const ours = dissectFile(path).frames;
    const disable = protocolsToDisable(path).flatMap((p) => ['--disable-protocol', p]);
    const problems: string[] = [];
    for (const proto of ['dns', 'mdns', 'llmnr']) {
      const theirs = pdmlLines(path, proto, disable);
      ours.forEach((d, i) => {
        if (TREE_EXCUSED.some((e) => e.file.test(name) && e.frames.includes(i + 1))) return;
        // tcp.pdu.size sits in the DNS layer here, in the TCP tree in Wireshark (dns.ts header).
        const a = ourLines(reassembledToo(d), proto).map((l) =>
          l.filter((line) => !line.includes(' tcp.pdu.size ')),
        );
        const b = theirs.get(i + 1) ?? [];
        if (a.length !== b.length)
          problems.push(`frame ${i + 1}: ${a.length} ${proto} layers, tshark ${b.length}`);
        for (let k = 0; k < Math.min(a.length, b.length); k++) {
          const j = a[k].findIndex((line, n) => line !== b[k][n]);
          if (j >= 0 || a[k].length !== b[k].length)
            problems.push(`frame ${i + 1} ${proto} line ${j}: ours ${a[k][j]} | tshark ${b[k][j]}`);
        }
      });
    }
    expect(problems.slice(0, 20)).toEqual([]);
  });
});

// Without tshark the comparisons above are skipped; this line says why in the test report.
if (tsharkMissing) it.skip(tsharkMissing, () => {});

/**
 * The dissection with its layers from reassembled data sources counted as the frame's own: a
 * DNS-over-TCP message that spans segments is a layer of the "Reassembled TCP" source, and tshark's
 * PDML has it in the completing frame too (tree lines carry no offsets, so the source is moot).
 */
function reassembledToo(d: Dissection): Dissection {
  return { ...d, layers: d.layers.map((l) => ({ ...l, source: undefined })) };
}
