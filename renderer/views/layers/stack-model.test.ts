// The layer stack's model on real captures: each envelope's header size against where Wireshark
// puts each protocol (tshark -T pdml: a protocol's pos and size), the rows of both models, and
// the honest empty rows.
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dissectFile } from '../../../tests/support/dissect-file';
import { tsharkMissing, tsharkPath } from '../../../tests/support/tshark';
import { estimateText, layoutStack } from './stack-layout';
import { bytesText, stackModel, type StackModel } from './stack-model';

const captures = resolve(import.meta.dirname, '../../../tests/fixtures/captures');
const l4 = resolve(import.meta.dirname, '../../../tests/fixtures/l4');

const FILES = [
  join(captures, 'lo-mixed.pcap'),
  join(captures, 'lo-icmp-unreach.pcap'),
  join(captures, 'vlan-arp-nd.pcap'),
  join(captures, 'qinq-arp-nd.pcap'),
  join(captures, 'any-sll-ping.pcap'),
  join(captures, 'any-sll2.pcapng'),
  join(captures, 'linktype-null.pcap'),
  join(captures, 'lo-frag.pcap'),
  join(captures, 'lo-http6.pcapng'),
  join(l4, 'tcp-v4.pcap'),
  join(l4, 'tcp-v6.pcap'),
];

interface PdmlProto {
  name: string;
  pos: number;
  size: number;
}

/** Per packet, the protocols tshark's PDML lists (nested ones included, in document order). */
function pdmlProtos(file: string): PdmlProto[][] {
  const out = execFileSync(tsharkPath, ['-n', '-r', file, '-T', 'pdml'], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' },
    maxBuffer: 256 << 20,
  });
  return out
    .split('<packet>')
    .slice(1)
    .map((p) =>
      [...p.matchAll(/<proto name="([^"]+)"[^>]*?size="(\d+)" pos="(\d+)"/g)]
        .map((m) => ({ name: m[1], size: Number(m[2]), pos: Number(m[3]) }))
        .filter((x) => x.name !== 'geninfo' && x.name !== 'frame'),
    );
}

// Protocols whose Wireshark item covers exactly their own header (the rest goes to the next one).
const HEADER_SIZED = new Set(['eth', 'vlan', 'ieee8021ad', 'sll', 'null', 'ip', 'ipv6', 'tcp', 'udp', 'arp']);

describe('layer stack model', () => {
  it.skipIf(!!tsharkMissing)(`header sizes are where Wireshark puts each protocol ${tsharkMissing}`, () => {
    let checked = 0;
    for (const file of FILES) {
      const { frames } = dissectFile(file);
      const pdml = pdmlProtos(file);
      expect(pdml.length, file).toBe(frames.length);
      frames.forEach((d, i) => {
        const m = stackModel(d);
        const theirs = pdml[i];
        let k = 0;
        for (const l of m.layers) {
          if (l.source !== 0) continue;
          while (k < theirs.length && theirs[k].name !== l.proto) k++;
          if (k >= theirs.length) break;
          const p = theirs[k];
          const where = `${file} frame ${d.frame} ${l.proto}`;
          expect(l.offset, where).toBe(p.pos);
          if (l.proto === 'ipv6') {
            // Wireshark's IPv6 item sometimes also spans the extension headers (a reassembled
            // datagram's last fragment), which are layers of their own here.
            let ext = 0;
            for (let j = m.layers.indexOf(l) + 1; m.layers[j]?.proto.startsWith('ipv6.'); j++)
              ext += m.layers[j].header;
            expect(l.header, where).toBe(40);
            expect([l.header, l.header + ext], where).toContain(p.size);
            checked++;
          } else if (HEADER_SIZED.has(l.proto) || l.proto.startsWith('ipv6.')) {
            expect(l.header, where).toBe(p.size);
            checked++;
          } else if (l.proto === 'icmp' || l.proto === 'icmpv6') {
            // ICMP's item spans the whole message: its 8-byte header ends at or before the start
            // of what it carries (a quoted packet right after it; ping's data after a timestamp).
            const next = theirs[k + 1];
            expect(l.header, where).toBe(8);
            if (next && next.pos > p.pos && next.pos < p.pos + p.size)
              expect(l.header, where).toBeLessThanOrEqual(next.pos - p.pos);
            checked++;
          }
          k++;
        }
      });
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('every envelope adds up: header + payload + trailer = its length; the next one starts after its header', () => {
    for (const file of FILES) {
      for (const d of dissectFile(file).frames) {
        const m = stackModel(d);
        expect(m.layers.length).toBeGreaterThan(0);
        m.layers.forEach((l, k) => {
          expect(l.header + l.payload + l.trailer, `${file} ${d.frame} ${l.proto}`).toBe(l.length);
          expect(l.depth).toBe(k);
          const next = m.layers[k + 1];
          if (next && next.source === l.source) {
            expect(next.offset).toBeGreaterThanOrEqual(l.offset + l.header);
            if (l.proto !== 'icmp' && l.proto !== 'icmpv6') expect(next.offset).toBe(l.offset + l.header);
          }
        });
        const outer = m.layers[0];
        expect(outer.offset + outer.length).toBe(m.capturedBytes);
      }
    }
  });

  it('an ICMP port unreachable: 8-byte ICMP header, then the quoted IPv4 and UDP headers, said to be a copy', () => {
    const d = dissectFile(join(captures, 'lo-icmp-unreach.pcap')).frames[3];
    const m = stackModel(d);
    expect(m.layers.map((l) => [l.proto, l.header, l.pdu])).toEqual([
      ['eth', 14, 'frame'],
      ['ip', 20, 'packet'],
      ['icmp', 8, 'message'],
      ['ip', 20, 'packet'],
      ['udp', 8, 'datagram'],
      ['data', 0, 'data'],
    ]);
    expect(m.layers[3].note).toBe('quoted by ICMP');
    expect(m.layers[4].note).toBe('quoted by ICMP');
    expect(m.layers[4].noteLong).toMatch(/copy of the start of the packet that caused it/);
    expect(m.layers[1].note).toBeNull();
  });

  it('rows run OSI 7 to 1 with the TCP/IP layer of each; session, presentation and physical are there, empty', () => {
    // lo-mixed frame 13: a TCP SYN (no payload) over IPv4 over Ethernet.
    const m = stackModel(dissectFile(join(captures, 'lo-mixed.pcap')).frames[12]);
    expect(m.rows.map((r) => [r.osi, r.tcpip, r.kind === 'layer' ? r.layer.proto : r.reason])).toEqual([
      [7, 'application', 'no-payload'],
      [6, 'application', 'no-protocol'],
      [5, 'application', 'no-protocol'],
      [4, 'transport', 'tcp'],
      [3, 'internet', 'ip'],
      [2, 'link', 'eth'],
      [1, 'link', 'physical'],
    ]);
    // With data on top, 7 is the data and 5–6 are inside the TCP envelope.
    const ping = stackModel(dissectFile(join(captures, 'lo-mixed.pcap')).frames[0]);
    expect(ping.rows.map((r) => (r.kind === 'layer' ? r.layer.proto : r.reason))).toEqual([
      'data',
      'no-protocol',
      'no-protocol',
      'no-protocol',
      'icmp',
      'ip',
      'eth',
      'physical',
    ]);
  });

  it('says what a capture made up: Linux cooked headers and loopback words are not wire headers', () => {
    const sll = stackModel(dissectFile(join(captures, 'any-sll-ping.pcap')).frames[0]);
    expect(sll.layers[0].proto).toBe('sll');
    expect(sll.layers[0].header).toBe(16);
    expect(sll.layers[0].note).toBe('made by the capture');
    expect(sll.layers[0].noteLong).toMatch(/never sent on a wire/);
    const nul = stackModel(dissectFile(join(captures, 'linktype-null.pcap')).frames[0]);
    expect(nul.layers[0].header).toBe(4);
    expect(nul.layers[0].note).toMatch(/loopback/);
  });

  it('says where the models disagree: ARP is OSI layer 3 but TCP/IP link', () => {
    const m = stackModel(dissectFile(join(captures, 'vlan-arp-nd.pcap')).frames[0]);
    const arp = m.layers.find((l) => l.proto === 'arp')!;
    expect([arp.osi, arp.tcpip, arp.header, arp.note]).toEqual([3, 'link', 28, 'TCP/IP: link layer']);
    expect(m.rows.find((r) => r.osi === 3)).toMatchObject({ kind: 'layer', tcpip: 'link' });
  });

  it('names IPv6 extension headers as parts of the IPv6 packet, not packets', () => {
    const m = stackModel(dissectFile(join(captures, 'lo-frag.pcap')).frames[14]);
    expect(m.layers.map((l) => l.title)).toEqual([
      'Ethernet frame',
      'IPv6 packet',
      'IPv6 fragment header',
      'ICMPv6 message',
      'Data',
    ]);
    expect(m.layers[2].header).toBe(8);
  });

  it('a header cut by the snaplen keeps its declared size beside the bytes present', () => {
    const m = stackModel(dissectFile(join(captures, 'lo-snap64.pcap')).frames[3]);
    const tcp = m.layers.find((l) => l.proto === 'tcp')!;
    expect([tcp.header, tcp.headerDeclared, tcp.truncated]).toEqual([30, 32, true]);
    const L = layoutStack(m, { width: 900, rem: 15 });
    const e = L.envelopes.find((x) => x.layer.proto === 'tcp')!;
    expect(e.chipLines[0].text).toBe('32 B');
    expect(e.caption[1].full).toMatch(/^only 30 of its 32 header bytes here · cut short by the capture\b/);
  });

  it('a reassembled datagram is marked as rebuilt', () => {
    const frames = dissectFile(join(captures, 'lo-frag.pcap')).frames;
    const rebuilt = frames.map(stackModel).filter((m) => m.layers.some((l) => l.rebuilt));
    expect(rebuilt.length).toBeGreaterThan(0);
    for (const m of rebuilt) {
      const l = m.layers.find((x) => x.rebuilt)!;
      expect(l.source).toBeGreaterThan(0);
    }
  });
});

describe('layer stack layout', () => {
  const models: StackModel[] = FILES.flatMap((f) => dissectFile(f).frames.slice(0, 6).map(stackModel));

  it('nests each envelope inside the one that carries it and keeps rows apart', () => {
    for (const m of models) {
      for (const width of [360, 520, 900, 2400]) {
        const L = layoutStack(m, { width, rem: 15 });
        expect(L.width).toBeGreaterThanOrEqual(width);
        for (let i = 1; i < L.rows.length; i++)
          expect(L.rows[i].y).toBeGreaterThanOrEqual(L.rows[i - 1].y + L.rows[i - 1].h);
        L.envelopes.forEach((e, k) => {
          expect(e.strip.y + e.strip.h).toBeCloseTo(e.box.y + e.box.h, 6);
          expect(e.box.x + e.box.w).toBeLessThanOrEqual(L.width);
          const inner = L.envelopes[k + 1];
          if (!inner) return;
          expect(inner.box.x).toBeGreaterThan(e.box.x);
          expect(inner.box.x + inner.box.w).toBeLessThan(e.box.x + e.box.w);
          expect(inner.box.y).toBeGreaterThan(e.box.y);
          expect(inner.box.y + inner.box.h).toBeLessThanOrEqual(e.strip.y);
        });
        expect(L.osi.map((c) => c.osi)).toEqual(
          m.rows.map((r) => r.osi).filter((o, i, a) => i === 0 || a[i - 1] !== o),
        );
        expect(L.bands).toHaveLength(L.osi.length);
      }
    }
  });

  it('fits every text in its box (cut with an ellipsis when it must be)', () => {
    for (const m of models) {
      const L = layoutStack(m, { width: 480, rem: 15 });
      for (const e of L.envelopes) {
        for (const t of e.chipLines)
          expect(t.x + estimateText(t.text, t.size, t.bold)).toBeLessThanOrEqual(e.chip.x + e.chip.w);
        for (const t of e.caption)
          expect(t.x + estimateText(t.text, t.size, t.bold)).toBeLessThanOrEqual(e.strip.x + e.strip.w);
        expect(e.chipLines[0].text).toBe(
          bytesText(e.layer.proto === 'data' ? e.layer.length : e.layer.header),
        );
        if (e.caption[0].text === e.caption[0].full) expect(e.caption[0].text).toBe(e.layer.title);
      }
      for (const x of L.empties)
        expect(x.line.x + estimateText(x.line.text, x.line.size)).toBeLessThanOrEqual(x.box.x + x.box.w);
    }
  });
});
