import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dissectFile } from '../support/dissect-file';
import type { Layer } from '../../shared/dissect/types';
import { packetFields, toMermaidPacket } from '../../shared/diagram/mermaid-packet';

const file = join(import.meta.dirname, '../../tests/fixtures/captures/lo-http4.pcap');

function layer(proto: string): Layer {
  const frames = dissectFile(file).frames;
  const l = frames[0].layers.find((x) => x.proto === proto);
  if (!l) throw new Error(`no ${proto} layer in frame 1 of ${file}`);
  return l;
}

describe('toMermaidPacket', () => {
  it('draws the IPv4 header of a real frame bit by bit (RFC 791 figure)', () => {
    expect(toMermaidPacket(layer('ip'))).toBe(
      [
        'packet-beta',
        'title Internet Protocol Version 4',
        '0-3: "Version"',
        '4-7: "Header Length"',
        '8-13: "Differentiated Services Codepoint"',
        '14-15: "Explicit Congestion Notification"',
        '16-31: "Total Length"',
        '32-47: "Identification"',
        '48-50: "Flags"',
        '51-63: "Fragment Offset"',
        '64-71: "Time to Live"',
        '72-79: "Protocol"',
        '80-95: "Header Checksum"',
        '96-127: "Source Address"',
        '128-159: "Destination Address"',
        '',
      ].join('\n'),
    );
  });

  it('draws the TCP header of a SYN with options, the header length sharing its byte with the flags', () => {
    const fields = packetFields(layer('tcp'));
    expect(fields.slice(0, 9).map((f) => `${f.start}-${f.end} ${f.name}`)).toEqual([
      '0-15 Source Port',
      '16-31 Destination Port',
      '32-63 Sequence Number',
      '64-95 Acknowledgment Number',
      '96-99 Header Length',
      '100-111 Flags',
      '112-127 Window',
      '128-143 Checksum',
      '144-159 Urgent Pointer',
    ]);
    // The 20 option bytes of this SYN (MSS, SACK permitted, timestamps, NOP, window scale).
    expect(fields.slice(9)).toEqual([{ start: 160, end: 319, name: 'TCP Options' }]);
    // Contiguous from 0 to the header's last bit, as Mermaid's packet parser requires.
    let next = 0;
    for (const f of fields) {
      expect(f.start).toBe(next);
      next = f.end + 1;
    }
    expect(next).toBe(40 * 8);
    expect(toMermaidPacket(layer('tcp'))).toContain('\n0-15: "Source Port"\n16-31: "Destination Port"\n');
  });
});
