// Initial packet protection against the test vectors of RFC 9001 Appendix A (v1) and RFC 9369
// Appendix A (v2): key derivation, header protection removal, AEAD opening, Retry integrity tags.
import { describe, expect, it } from 'vitest';
import * as vec from '../../tests/fixtures/quic/rfc-vectors';
import {
  hex,
  initialKeys,
  openPayload,
  QUIC_V1,
  QUIC_V2,
  removeHeaderProtection,
  retryTagValid,
  versionCrypto,
} from './quic-crypto';

const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

describe.each([
  ['v1 (RFC 9001 A)', QUIC_V1, vec.V1],
  ['v2 (RFC 9369 A)', QUIC_V2, vec.V2],
])('QUIC %s', (_name, version, v) => {
  const vc = versionCrypto(version)!;
  const keys = initialKeys(vc, hex(vec.DCID));

  it('derives the client and server Initial key, iv and hp', () => {
    expect(toHex(keys.client.key)).toBe(v.clientKey);
    expect(toHex(keys.client.iv)).toBe(v.clientIv);
    expect(toHex(keys.client.hp)).toBe(v.clientHp);
    expect(toHex(keys.server.key)).toBe(v.serverKey);
    expect(toHex(keys.server.iv)).toBe(v.serverIv);
    expect(toHex(keys.server.hp)).toBe(v.serverHp);
  });

  it("opens the client's Initial (header protection, then AES-128-GCM)", () => {
    const pkt = hex(v.clientProtected);
    expect(pkt.length).toBe(1200);
    const u = removeHeaderProtection(keys.client.hp, pkt, 18)!;
    expect(u.packetNumber).toBe(2);
    expect(u.pnLength).toBe(4);
    expect(toHex(u.header)).toBe(v.clientPlainHeader);
    const plain = openPayload(keys.client, u.packetNumber, u.header, pkt.subarray(18 + u.pnLength))!;
    expect(toHex(plain)).toBe(vec.CLIENT_PLAIN_PAYLOAD);
  });

  it("opens the server's Initial", () => {
    const pkt = hex(v.serverProtected);
    const u = removeHeaderProtection(keys.server.hp, pkt, 18)!;
    expect(u.packetNumber).toBe(1);
    expect(u.pnLength).toBe(2);
    expect(toHex(u.header)).toBe(v.serverPlainHeader);
    const plain = openPayload(keys.server, u.packetNumber, u.header, pkt.subarray(18 + u.pnLength))!;
    expect(toHex(plain)).toBe(vec.SERVER_PLAIN_PAYLOAD);
  });

  it("refuses the server's Initial with the client's keys, or with one bit flipped", () => {
    const pkt = hex(v.serverProtected);
    const u = removeHeaderProtection(keys.server.hp, pkt, 18)!;
    expect(openPayload(keys.client, u.packetNumber, u.header, pkt.subarray(20))).toBeNull();
    const bad = pkt.slice();
    bad[bad.length - 1] ^= 1;
    expect(openPayload(keys.server, u.packetNumber, u.header, bad.subarray(20))).toBeNull();
  });

  it('checks the Retry integrity tag', () => {
    const retry = hex(v.retry);
    expect(retryTagValid(vc, hex(vec.DCID), retry)).toBe(true);
    expect(retryTagValid(vc, hex('0000000000000000'), retry)).toBe(false);
  });
});

describe('versions', () => {
  it('knows the salts of drafts 23 to 34, v1 and v2; greased versions as draft-29; not others', () => {
    expect(versionCrypto(0xff00001d)).not.toBeNull();
    expect(versionCrypto(0xff000017)).not.toBeNull();
    expect(versionCrypto(0xff000016)).toBeNull();
    expect(versionCrypto(0x1a2a3a4a)).toBe(versionCrypto(0xff00001d));
    expect(versionCrypto(0x709a50c4)).toBeNull();
    expect(versionCrypto(0xdeadbeef)).toBeNull();
    expect(versionCrypto(0xff000022)).toBe(versionCrypto(QUIC_V1));
  });
  it('has no sample for a packet shorter than pn offset + 20', () => {
    expect(removeHeaderProtection(new Uint8Array(16), new Uint8Array(30), 18)).toBeNull();
  });
});
