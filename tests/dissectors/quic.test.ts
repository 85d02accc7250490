// The QUIC dissector on its fixtures (tests/fixtures/quic) for what tshark cannot be asked:
// application messages (labels, roles, connections), the QUIC v2 draft connection tshark 4.0
// does not take for QUIC, the heuristic, and packets built from the RFC 9001 vectors to cut,
// damage and split (a ClientHello over two Initials).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Session, type FrameMeta } from '../../shared/dissect/packet';
import { fieldColumn } from '../../shared/dissect/query';
import type { Dissection } from '../../shared/dissect/types';
import { dissectFile } from '../support/dissect-file';
import { udp, v4Frame } from '../fixtures/l4/craft';
import * as vec from '../fixtures/quic/rfc-vectors';
import { createEngine } from '../../shared/dissectors/index';
import { hex, initialKeys, versionCrypto, QUIC_V1 } from '../../shared/dissectors/quic-crypto';
import { gcm, ecb } from '@noble/ciphers/aes.js';

const DIR = join(import.meta.dirname, '..', '..', 'tests', 'fixtures', 'quic');
const labels = (d: Dissection) => (d.messages ?? []).map((m) => `${m.role} ${m.substream} ${m.label}`);

describe('application messages', () => {
  it('h3 handshake: ClientHello with SNI and ALPN, ServerHello, then protected packets', () => {
    const f = dissectFile(join(DIR, 'quic-h3.pcap')).frames;
    expect(labels(f[0])).toEqual(['client quic:0 QUIC Initial ClientHello SNI=localhost ALPN=h3']);
    expect(labels(f[1])).toEqual([
      'server quic:0 QUIC Initial ServerHello',
      'server quic:0 QUIC Handshake (protected)',
      'server quic:0 QUIC 1-RTT (protected)',
    ]);
    const all = f.flatMap(labels);
    expect(all.filter((l) => l.includes('1-RTT')).length).toBeGreaterThan(4);
    expect(all.every((l) => l.includes(' quic:0 '))).toBe(true);
    // Coalesced packets: one QUIC layer each, the decrypted Initial as a data source.
    expect(f[1].layers.filter((l) => l.proto === 'quic')).toHaveLength(3);
    expect(f[1].sources.map((s) => s.name)).toEqual([
      expect.stringMatching(/^Decrypted QUIC \(\d+ bytes\)$/),
    ]);
  });

  it('Retry, then the ClientHello again to the new connection ID', () => {
    const f = dissectFile(join(DIR, 'quic-retry.pcap')).frames;
    expect(labels(f[1])).toEqual(['server quic:0 QUIC Retry']);
    expect(labels(f[2])[0]).toBe('client quic:0 QUIC Initial ClientHello SNI=localhost ALPN=h3');
    expect(labels(f[3])[0]).toBe('server quic:0 QUIC Initial ServerHello');
    expect(fieldColumn(f[1], 'quic.retry_integrity_tag')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('Version Negotiation answers the greased version', () => {
    const f = dissectFile(join(DIR, 'quic-vn.pcap')).frames;
    expect(labels(f[1])).toEqual(['server quic:0 QUIC Version Negotiation']);
    expect(fieldColumn(f[0], 'quic.version')).toBe('0x1a2a3a4a');
    expect(fieldColumn(f[1], 'quic.supported_version').split(',')).toContain('0x00000001');
  });
});

describe('the QUIC v2 draft connection (0x709a50c4), which tshark 4.0 leaves as data', () => {
  it('is data without decode-as, as in tshark 4.0 (an unknown version on no QUIC port)', () => {
    const plain = dissectFile(join(DIR, 'quic-v2draft.pcap')).frames;
    expect(plain[0].protocols.join(':')).toBe('frame:eth:ethertype:ip:udp:data');
  });
  const f = dissectFile(join(DIR, 'quic-v2draft.pcap'), { decodeAs: [['udp.port', 443, 'quic']] }).frames;
  it('with decode-as: QUIC, with v2 packet type codes, and stays protected (no known salt)', () => {
    expect(f[0].protocols.join(':')).toBe('frame:eth:ethertype:ip:udp:quic');
    expect(fieldColumn(f[0], 'quic.version')).toBe('0x709a50c4');
    expect(fieldColumn(f[0], 'quic.long.packet_type_v2')).toBe('1');
    expect(fieldColumn(f[0], 'quic.payload')).toBe('');
    expect(fieldColumn(f[0], 'quic.remaining_payload').length).toBeGreaterThan(2000);
    expect(fieldColumn(f[0], '_ws.expert.message')).toContain('no Initial salt known for version 0x709a50c4');
    expect(labels(f[0])).toEqual(['client quic:0 QUIC Initial']);
  });
});

// ---- crafted packets ---------------------------------------------------------------------

function run(payloads: Uint8Array[], port = 443): Dissection[] {
  const engine = createEngine();
  const session = new Session();
  const frames = payloads.map((pl, i) => {
    const fromClient = i % 2 === 0 || pl[0] === 0xc3 || (pl[0] & 0xf0) === 0xc0;
    const [s, d] = fromClient
      ? [
          [10, 0, 0, 1],
          [10, 0, 0, 2],
        ]
      : [
          [10, 0, 0, 2],
          [10, 0, 0, 1],
        ];
    const [sp, dp] = fromClient ? [50000, port] : [port, 50000];
    return v4Frame(17, udp(s, d, sp, dp, pl), s, d);
  });
  const meta = (n: number, len: number): FrameMeta => ({
    number: n,
    tsSec: n,
    tsNsec: 0,
    caplen: len,
    origlen: len,
    linktype: 1,
    ifid: 0,
  });
  frames.forEach((f, i) => {
    engine.dissect(f, meta(i + 1, f.length), session, false, false);
    session.lastVisited = i + 1;
  });
  return frames.map((f, i) => engine.dissect(f, meta(i + 1, f.length), session, true, true));
}

/** A client Initial protected with the RFC 9001 A keys: `frames` padded to 1162 bytes, PN `pn`. */
function clientInitial(frames: Uint8Array, pn: number): Uint8Array {
  const keys = initialKeys(versionCrypto(QUIC_V1)!, hex(vec.DCID)).client;
  const plain = new Uint8Array(1162);
  plain.set(frames);
  const header = hex('c300000001088394c8f03e5157080000449e00000000');
  header[header.length - 1] = pn;
  const nonce = keys.iv.slice();
  nonce[11] ^= pn;
  const sealed = gcm(keys.key, nonce, header).encrypt(plain);
  const pkt = new Uint8Array(header.length + sealed.length);
  pkt.set(header);
  pkt.set(sealed, header.length);
  const mask = ecb(keys.hp, { disablePadding: true }).encrypt(pkt.subarray(22, 38));
  pkt[0] ^= mask[0] & 0x0f;
  for (let i = 0; i < 4; i++) pkt[18 + i] ^= mask[1 + i];
  return pkt;
}

describe('crafted Initial packets', () => {
  const hello = hex(vec.CLIENT_PLAIN_PAYLOAD).subarray(0, 245); // CRYPTO frame: 4 + 241 bytes
  const data = hello.subarray(4);

  it('a ClientHello split over two Initials is reassembled and dissected on the second', () => {
    const cut = 100;
    const a = new Uint8Array([0x06, 0x00, 0x40, cut, ...data.subarray(0, cut)]);
    const rest = data.subarray(cut);
    const b = new Uint8Array([0x06, 0x40, cut, 0x40 | (rest.length >> 8), rest.length & 0xff, ...rest]);
    const f = run([clientInitial(a, 0), clientInitial(b, 1)]);
    expect(labels(f[0])).toEqual(['client quic:0 QUIC Initial']);
    expect(labels(f[1])).toEqual(['client quic:0 QUIC Initial ClientHello SNI=example.com ALPN=alpn']);
    expect(fieldColumn(f[1], 'quic.crypto.offset')).toBe(String(cut));
    expect(f[1].sources.map((s) => s.name)).toContain('Reassembled QUIC CRYPTO (241 bytes)');
  });

  it('the same two halves out of order: completed when the first arrives', () => {
    const cut = 100;
    const a = new Uint8Array([0x06, 0x00, 0x40, cut, ...data.subarray(0, cut)]);
    const rest = data.subarray(cut);
    const b = new Uint8Array([0x06, 0x40, cut, 0x40 | (rest.length >> 8), rest.length & 0xff, ...rest]);
    const f = run([clientInitial(b, 1), clientInitial(a, 0)]);
    expect(labels(f[0])).toEqual(['client quic:0 QUIC Initial']);
    expect(labels(f[1])[0]).toBe('client quic:0 QUIC Initial ClientHello SNI=example.com ALPN=alpn');
  });

  it('a damaged payload fails authentication: marked, nothing invented, no exception', () => {
    const pkt = clientInitial(hello, 0);
    pkt[600] ^= 0x40;
    const [d] = run([pkt]);
    const quic = d.layers.find((l) => l.proto === 'quic')!;
    expect(quic.malformed).toBe(false);
    expect(fieldColumn(d, 'quic.decryption_failed')).toBe('1');
    expect(fieldColumn(d, 'quic.frame')).toBe('');
    expect(labels(d)).toEqual(['client quic:0 QUIC Initial']);
  });

  it('a capture cut short (snaplen) marks the layer truncated', () => {
    const pkt = v4Frame(
      17,
      udp([10, 0, 0, 1], [10, 0, 0, 2], 50000, 443, hex(vec.V1.clientProtected)),
      [10, 0, 0, 1],
      [10, 0, 0, 2],
    );
    const engine = createEngine();
    const cut = pkt.subarray(0, 60);
    const d = engine.dissect(
      cut,
      { number: 1, tsSec: 0, tsNsec: 0, caplen: 60, origlen: pkt.length, linktype: 1, ifid: 0 },
      new Session(),
      true,
      true,
    );
    const quic = d.layers.find((l) => l.proto === 'quic')!;
    expect(quic.truncated).toBe(true);
    expect(quic.malformed).toBe(false);
  });
});

describe('heuristic', () => {
  it('finds an Initial on an odd port, and not random bytes there', () => {
    const f = run([hex(vec.V1.clientProtected)], 7777);
    expect(f[0].protocols).toContain('quic');
    expect(run([new Uint8Array(40).fill(0x55)], 7777)[0].protocols).not.toContain('quic');
  });

  it('takes a short header between endpoints that carried QUIC for QUIC, as the conversation in Wireshark does', () => {
    const f = run([hex(vec.V1.clientProtected), new Uint8Array(40).fill(0x55)], 7777);
    expect(f[1].protocols).toContain('quic');
  });
});
