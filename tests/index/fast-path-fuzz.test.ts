// The fast path decides from a packet's headers whether it may write the record itself. A wrong
// "yes" on a damaged header would write a record the dissectors would not. Fuzzed here: real
// captures with random bytes of their link, network and transport headers changed (versions,
// lengths, fragment bits, protocols, data offsets, options, UDP lengths, checksums), and the index
// pass with its fast path must leave exactly what it leaves with every packet dissected.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Indexer } from '../../shared/index/indexer';
import { SEVERITY_MASK } from '../../shared/index/packet-index';
import { repoRoot } from '../support/captures';
import { indexBytes, records, relinkedMixed } from './support';

/** Where each packet's bytes start and how many there are, in a little-endian microsecond pcap. */
function packetSpans(file: Uint8Array): [number, number][] {
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const spans: [number, number][] = [];
  for (let at = 24; at + 16 <= file.length;) {
    const caplen = dv.getUint32(at + 8, true);
    spans.push([at + 16, caplen]);
    at += 16 + caplen;
  }
  return spans;
}

const facts = (ix: Indexer) => {
  const s = ix.summary;
  return [s.packets, s.tcpStreams, s.udpStreams, s.malformed, s.truncated];
};
const allButSeverity = (ix: Indexer) => records(ix, (c) => c, ~SEVERITY_MASK & 0xffff);

describe('Linux cooked captures made from Ethernet loopback traffic', () => {
  for (const [name, bytes] of [
    ['SLL', relinkedMixed(113)],
    ['SLL2', relinkedMixed(276)],
  ] as const) {
    it(`${name}: the fast path takes the TCP and UDP packets and writes what the dissectors write`, () => {
      const fast = indexBytes(bytes, 'fast');
      const dissected = indexBytes(bytes, 'dissected');
      expect(dissected.index.count).toBe(32);
      expect(records(dissected).filter((r) => r.includes(' sll:ip:tcp ')).length).toBe(10);
      expect((fast as unknown as { fast: { taken: number } }).fast.taken).toBe(24);
      expect(allButSeverity(fast)).toEqual(allButSeverity(dissected));
      expect(facts(fast)).toEqual(facts(dissected));
    });
  }
});

describe('the index fast path on damaged headers', () => {
  const fuzzed: Record<string, Uint8Array> = {
    'lo-mixed as SLL': relinkedMixed(113),
    'lo-mixed as SLL2': relinkedMixed(276),
  };
  for (const name of [
    'lo-mixed.pcap',
    'lo-http4.pcap',
    'lo-tcp-rst.pcap',
    'lo-icmp-unreach.pcap',
    // The other link layers the fast path reads (NULL, raw IP, IPv4, IPv6), the link header too.
    'linktype-null.pcap',
    'linktype-raw.pcap',
    'linktype-ipv4.pcap',
    'linktype-ipv6.pcap',
    'lo-mixed as SLL',
    'lo-mixed as SLL2',
  ]) {
    it(name, () => {
      const file =
        fuzzed[name] ?? new Uint8Array(readFileSync(join(repoRoot, 'tests/fixtures/captures', name)));
      const spans = packetSpans(file);
      expect(spans.length).toBeGreaterThan(2);
      const edit = fc.record({
        packet: fc.nat(spans.length - 1),
        // The first 80 bytes hold the link header, IPv4/IPv6 and the TCP/UDP header with its options.
        offset: fc.nat(79),
        value: fc.integer({ min: 0, max: 255 }),
      });
      fc.assert(
        fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => {
          const bytes = file.slice();
          for (const e of edits) {
            const [start, caplen] = spans[e.packet];
            if (e.offset < caplen) bytes[start + e.offset] = e.value;
          }
          const fast = indexBytes(bytes, 'fast');
          const dissected = indexBytes(bytes, 'dissected');
          expect(allButSeverity(fast)).toEqual(allButSeverity(dissected));
          expect(facts(fast)).toEqual(facts(dissected));
        }),
        { numRuns: 300, seed: 20261124 },
      );
    });
  }
});
