// The DER reader and the X.509 fields on a real certificate (made with `openssl req -x509 -newkey ec
// -pkeyopt ec_paramgen_curve:P-256 -subj '/C=DE/O=Test Org/CN=test.example' -addext
// 'subjectAltName=DNS:test.example,IP:192.0.2.1'`), and on arbitrary bytes: never throws, never
// loops, items stay inside the bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cursor } from '../dissect/cursor';
import type { Item } from '../dissect/types';
import { derChildren, dissectCertificate, oidText, readDer } from './x509';

const CERT_B64 =
  'MIIB4jCCAYigAwIBAgIUIpZ2Nl8rSBRGXDQ6xsrRl/QeFxEwCgYIKoZIzj0EAwIwNzELMAkGA1UEBhMCREUxETAPBgNVBAoMCFRlc3QgT3JnMRUwEwYDVQQDDAx0ZXN0LmV4YW1wbGUwHhcNMjYxMTI0MTAzMDAyWhcNMjYxMjI0MTAzMDAyWjA3MQswCQYDVQQGEwJERTERMA8GA1UECgwIVGVzdCBPcmcxFTATBgNVBAMMDHRlc3QuZXhhbXBsZTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABKi8uH3FCzYo0IQSi4PM1v4bXZqjVR573knNLuvMzxPyJtYSOsfMdpHDsI9ODAVdMD+iCiZAGldESAaFoGkAaiqjcjBwMB0GA1UdDgQWBBSpJH1/gWoHHkFXpH7s+SciOxrxjjAfBgNVHSMEGDAWgBSpJH1/gWoHHkFXpH7s+SciOxrxjjAPBgNVHRMBAf8EBTADAQH/MB0GA1UdEQQWMBSCDHRlc3QuZXhhbXBsZYcEwAACATAKBggqhkjOPQQDAgNIADBFAiEA43AgqDAU+Jd3geqnolm4TP0BceKh8WfEeeCUQGPk5SsCIFPdf+fkgpiitCYgwzEo5Il1SwVqttSkvRI3nvMhZP5k';

function fromB64(s: string): Uint8Array {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const ch of s) {
    if (ch === '=') break;
    acc = (acc << 6) | abc.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

const CERT = fromB64(CERT_B64);

function flat(items: Item[], out: Item[] = []): Item[] {
  for (const i of items) {
    out.push(i);
    if (i.children) flat(i.children, out);
  }
  return out;
}

describe('DER reader', () => {
  it('reads lengths in short and long form and refuses indefinite or overlong ones', () => {
    expect(readDer(Uint8Array.from([0x30, 0x03, 2, 1, 5]), 0, 5)).toMatchObject({
      tag: 16,
      constructed: true,
      body: 2,
      end: 5,
    });
    expect(readDer(Uint8Array.from([0x04, 0x81, 0x01, 9]), 0, 4)).toMatchObject({ tag: 4, body: 3, end: 4 });
    expect(readDer(Uint8Array.from([0x30, 0x80, 0, 0]), 0, 4)).toBeNull();
    expect(readDer(Uint8Array.from([0x04, 0x05, 1]), 0, 3)).toBeNull();
    expect(readDer(Uint8Array.from([0x04]), 0, 1)).toBeNull();
  });

  it('OIDs as dotted text', () => {
    const sha256rsa = Uint8Array.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]);
    expect(oidText(sha256rsa, 0, sha256rsa.length)).toBe('1.2.840.113549.1.1.11');
    expect(oidText(Uint8Array.from([0x55, 0x04, 0x03]), 0, 3)).toBe('2.5.4.3');
    expect(oidText(Uint8Array.from([0x55, 0x84]), 0, 2)).toBe('');
  });

  it('never throws and always moves forward on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), (b, at) => {
        const d = readDer(b, at, b.length);
        if (d) {
          expect(d.end).toBeLessThanOrEqual(b.length);
          expect(d.body).toBeGreaterThan(at);
          if (d.constructed) for (const k of derChildren(b, d)) expect(k.end).toBeLessThanOrEqual(d.end);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('X.509 certificate', () => {
  it('subject, issuer, validity, serial, algorithms and subjectAltName of a real certificate', () => {
    const c = new Cursor(CERT, 0, CERT.length, true);
    const s = dissectCertificate(c, 0, CERT.length);
    expect(s.complete).toBe(true);
    expect(s.subject).toBe('CN=test.example, O=Test Org, C=DE');
    expect(s.issuer).toBe(s.subject);
    expect(s.cn).toBe('test.example');
    expect(s.serial).toBe('229676365f2b4814465c343ac6cad197f41e1711'.padStart(s.serial.length, '0'));
    expect(s.signatureAlgorithm).toBe('1.2.840.10045.4.3.2');
    expect(s.publicKeyAlgorithm).toBe('1.2.840.10045.2.1');
    expect(s.altNames).toEqual(['test.example', '192.0.2.1']);
    expect(s.notBefore).toMatch(/^20\d\d-\d\d-\d\d \d\d:\d\d:\d\d \(UTC\)$/);
    const items = flat(c.items);
    expect(items.filter((i) => i.abbrev === 'x509ce.dNSName').map((i) => i.value)).toEqual(['test.example']);
    expect(items.find((i) => i.abbrev === 'x509af.version')?.value).toBe(2);
  });

  it('cut or corrupted certificates: no throw, items inside the bytes, incomplete', () => {
    fc.assert(
      fc.property(
        fc.nat(CERT.length),
        fc.array(fc.tuple(fc.nat(CERT.length - 1), fc.nat(255)), { maxLength: 6 }),
        (cut, flips) => {
          const b = CERT.slice(0, cut);
          for (const [i, v] of flips) if (i < b.length) b[i] = v;
          const c = new Cursor(b, 0, b.length, true);
          const s = dissectCertificate(c, 0, b.length);
          if (cut < CERT.length) expect(s.complete).toBe(false);
          for (const it of flat(c.items)) expect(it.offset + it.length).toBeLessThanOrEqual(b.length);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
