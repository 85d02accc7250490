// The index pass proper (`Indexer.transportPacket`: link to transport layers, the fast path where
// the headers allow, docs/decisions/index-pass-split.md) must leave
//  1. exactly the records and summary the same pass leaves with every packet dissected (the fast
//     path changes nothing but the speed), and
//  2. the link-to-transport columns the application pass (the full engine) leaves: addresses,
//     ports, tcp.stream / udp.stream, TCP flags, the protocol chain up to the transport layer,
//     and the summary `info` prints.
// Held to it on every capture the project has and on the tcpdump corpus (malformed, truncated,
// odd link types), and on real captures with random segments pushed off the fast path, so that
// connections move between the compact state and the dissector's in the middle.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Indexer } from '../../shared/index/indexer';
import { PacketFlag, SEVERITY_MASK } from '../../shared/index/packet-index';
import { capturesUnder, corpusDir, repoRoot } from '../support/captures';
import { indexBytes, records } from './support';

/** Every column but the severities (the index pass records none). */
const allButSeverity = (ix: Indexer) => records(ix, (c) => c, ~SEVERITY_MASK & 0xffff);

const L4_FLAGS =
  PacketFlag.truncated |
  PacketFlag.comment |
  PacketFlag.tcp |
  PacketFlag.udp |
  PacketFlag.net |
  PacketFlag.nested;

/** The link-to-transport part of each record, as the application pass must agree with it. */
const transportColumns = (ix: Indexer) => records(ix, transportPart, L4_FLAGS);

const TRANSPORT_PROTOCOLS = new Set([
  'eth',
  'vlan',
  'sll',
  'null',
  'raw',
  'arp',
  'ip',
  'ipv6',
  'icmp',
  'icmpv6',
  'tcp',
  'udp',
]);

/** A chain cut after its last link-to-transport protocol (`eth:ip:tcp:http` → `eth:ip:tcp`). */
function transportPart(chain: string): string {
  const parts = chain.split(':');
  let end = 0;
  for (let k = 0; k < parts.length; k++) if (TRANSPORT_PROTOCOLS.has(parts[k])) end = k + 1;
  return parts.slice(0, end).join(':');
}

function summaryFacts(ix: Indexer) {
  const s = ix.summary;
  return {
    packets: s.packets,
    first: [s.firstSec, s.firstNsec],
    last: [s.lastSec, s.lastNsec],
    strictOrder: s.strictOrder,
    dataBytes: s.dataBytes,
    wireBytes: s.wireBytes,
    truncated: s.truncated,
    packetComments: s.packetComments,
    tcpStreams: s.tcpStreams,
    udpStreams: s.udpStreams,
    interfacePackets: s.interfacePackets,
  };
}

const files = [...capturesUnder(join(repoRoot, 'tests/fixtures')), ...capturesUnder(corpusDir)];

describe('the index pass', () => {
  it('finds captures to compare', () => {
    expect(files.length).toBeGreaterThan(200);
  });

  it('takes the common packets on its fast path', () => {
    // The HTTP fixtures are Ethernet/IPv4/TCP from lo: nearly every packet is plain.
    let taken = 0;
    let left = 0;
    for (const f of capturesUnder(join(repoRoot, 'tests/fixtures/http'))) {
      const ix = indexBytes(new Uint8Array(readFileSync(f)), 'fast');
      const fp = (ix as unknown as { fast: { taken: number; left: number } | null }).fast;
      taken += fp?.taken ?? 0;
      left += fp?.left ?? 0;
    }
    expect(taken).toBeGreaterThan(100);
    expect(left).toBeLessThan(taken / 10);
  });

  it('takes TCP and UDP behind Linux cooked, BSD loopback and raw IP link layers too', () => {
    // Each capture holds TCP or UDP over IPv4 and IPv6 behind one of these link types; the
    // records themselves are compared with the dissectors' below, with every other capture.
    for (const f of [
      'captures/any-sll2.pcapng',
      'captures/linktype-null.pcap',
      'captures/linktype-raw.pcap',
      'captures/linktype-raw12.pcap',
      'captures/linktype-raw14.pcap',
      'captures/linktype-ipv4.pcap',
      'captures/linktype-ipv6.pcap',
    ]) {
      const ix = indexBytes(new Uint8Array(readFileSync(join(repoRoot, 'tests/fixtures', f))), 'fast');
      const fp = (ix as unknown as { fast: { taken: number } | null }).fast;
      expect(fp?.taken ?? 0, f).toBeGreaterThanOrEqual(4);
    }
    const sll = indexBytes(new Uint8Array(readFileSync(join(corpusDir, 'tcp-handshake-nano.pcap'))), 'fast');
    expect((sll as unknown as { fast: { taken: number } }).fast.taken).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(
      file.slice(file.indexOf('/tests/') >= 0 ? file.indexOf('/tests/') + 1 : file.indexOf('/corpus/') + 1),
      () => {
        const bytes = new Uint8Array(readFileSync(file));
        const fast = indexBytes(bytes, 'fast');
        const dissected = indexBytes(bytes, 'dissected');
        expect(allButSeverity(fast)).toEqual(allButSeverity(dissected));
        expect(allButSeverity(indexBytes(bytes, 'objects'))).toEqual(allButSeverity(fast));
        expect(fast.summary.malformed).toBe(dissected.summary.malformed);
        expect(summaryFacts(fast)).toEqual(summaryFacts(dissected));

        const app = indexBytes(bytes, 'application');
        expect(transportColumns(fast)).toEqual(transportColumns(app));
        expect(summaryFacts(fast)).toEqual(summaryFacts(app));
      },
    );
  }
});

/**
 * A copy of a pcap file in which some TCP segments with NOP, NOP, timestamps options carry an
 * experimental option (kind 254, length 2) in place of the two NOPs: the same segment to every
 * dissector, but one the fast path leaves to the dissector.
 */
function pushOffFastPath(
  bytes: Uint8Array,
  pick: (n: number) => boolean,
): { out: Uint8Array; changed: number } {
  const out = bytes.slice();
  const dv = new DataView(out.buffer);
  const le = dv.getUint32(0, true) === 0xa1b2c3d4 || dv.getUint32(0, true) === 0xa1b23c4d;
  let at = 24;
  let n = 0;
  let changed = 0;
  while (at + 16 <= out.length) {
    const caplen = dv.getUint32(at + 8, le);
    const d = at + 16;
    n++;
    if (
      caplen >= 66 &&
      out[d + 12] === 0x08 &&
      out[d + 13] === 0x00 &&
      out[d + 14] === 0x45 &&
      out[d + 23] === 6 &&
      out[d + 46] >> 4 === 8 &&
      out[d + 54] === 1 &&
      out[d + 55] === 1 &&
      out[d + 56] === 8 &&
      pick(n)
    ) {
      out[d + 54] = 254;
      out[d + 55] = 2;
      changed++;
    }
    at = d + caplen;
  }
  return { out, changed };
}

describe('the index pass with connections moving between the fast path and the dissector', () => {
  const sources = capturesUnder(join(repoRoot, 'tests/fixtures')).filter((f) => f.endsWith('.pcap'));
  it('has pcap files with timestamped TCP to change', () => {
    expect(sources.length).toBeGreaterThan(10);
  });
  for (const [seed, file] of sources.entries()) {
    it(file.slice(file.indexOf('tests/')), () => {
      let x = seed * 2654435761 + 1;
      const random = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) & 0xffff) / 0x10000;
      const { out, changed } = pushOffFastPath(new Uint8Array(readFileSync(file)), () => random() < 0.3);
      const fast = indexBytes(out, 'fast');
      const dissected = indexBytes(out, 'dissected');
      expect(allButSeverity(fast)).toEqual(allButSeverity(dissected));
      expect(summaryFacts(fast)).toEqual(summaryFacts(dissected));
      if (changed > 0) {
        const fp = (fast as unknown as { fast: { left: number } }).fast;
        expect(fp.left).toBeGreaterThanOrEqual(changed);
      }
    });
  }
});
