// A small DER (X.690) reader and the X.509 certificate fields TLS shows (RFC 5280 §4.1), with
// Wireshark 4.0's names (x509af.*, x509if.*, x509sat.*, x509ce.*, pkcs1.*). Not a dissector: TLS
// calls `dissectCertificate` on each certificate of a Certificate message.
//
// The reader never throws and never loops: every length is checked against the end of its
// parent, indefinite lengths (BER only, not DER) and lengths past the parent's end stop the walk,
// and each step moves forward by at least the header's bytes. A certificate that does not parse
// keeps the items read so far and gets an expert note, as Wireshark's BER dissector does.
//
// Departures from Wireshark, deliberately:
// - Only the fields listed below are decoded; other extensions show as an Extension with its id
//   and critical flag (Wireshark decodes every extension it knows: CRL distribution points, AIA,
//   certificate policies, SCT lists…).
// - Tree labels for names are `id-at-commonName=…` joined by commas, close to Wireshark's but
//   without the object-id registry's full list of names (unknown attribute ids show as dotted).
// - frame.protocols: Wireshark adds an x509sat/x509ce entry per attribute or extension decoded
//   through its BER registry; Wirescope adds none (the fields are part of the TLS layer).
import type { Cursor } from '../dissect/cursor';
import { defineFields } from '../dissect/fields';
import type { FieldDef, Item } from '../dissect/types';

const PLACE = { osi: 6, tcpip: 'application' } as const;

export const X509AF = defineFields('x509af', 'X.509 Authentication Framework', PLACE, {
  signedCertificate_element: { name: 'signedCertificate', type: 'none' },
  version: { name: 'version', type: 'i32', vals: { 0: 'v1', 1: 'v2', 2: 'v3' } },
  serialNumber: { name: 'serialNumber', type: 'bytes' },
  signature_element: { name: 'signature', type: 'none' },
  'algorithm.id': { name: 'Algorithm Id', type: 'oid' },
  algorithmIdentifier_element: { name: 'algorithmIdentifier', type: 'none' },
  algorithm_element: { name: 'algorithm', type: 'none' },
  issuer: { name: 'issuer', type: 'u32', vals: { 0: 'rdnSequence' } },
  rdnSequence: { name: 'rdnSequence', type: 'u32' },
  validity_element: { name: 'validity', type: 'none' },
  notBefore: { name: 'notBefore', type: 'u32', vals: { 0: 'utcTime', 1: 'generalizedTime' } },
  notAfter: { name: 'notAfter', type: 'u32', vals: { 0: 'utcTime', 1: 'generalizedTime' } },
  utcTime: { name: 'utcTime', type: 'string' },
  generalizedTime: { name: 'generalizedTime', type: 'abs_time', base: 'utc' },
  subject: { name: 'subject', type: 'u32', vals: { 0: 'rdnSequence' } },
  subjectPublicKeyInfo_element: { name: 'subjectPublicKeyInfo', type: 'none' },
  subjectPublicKey: { name: 'subjectPublicKey', type: 'bytes' },
  extensions: { name: 'extensions', type: 'u32' },
  Extension_element: { name: 'Extension', type: 'none' },
  'extension.id': { name: 'Extension Id', type: 'oid' },
  critical: { name: 'critical', type: 'bool' },
  encrypted: { name: 'encrypted', type: 'bytes' },
});

export const X509IF = defineFields('x509if', 'X.509 Information Framework', PLACE, {
  RDNSequence_item: { name: 'RDNSequence item', type: 'u32' },
  RelativeDistinguishedName_item_element: { name: 'RelativeDistinguishedName item', type: 'none' },
  oid: { name: 'Object Id', type: 'oid' },
  rdnSequence: { name: 'rdnSequence', type: 'u32' },
});

export const X509SAT = defineFields('x509sat', 'X.509 Selected Attribute Types', PLACE, {
  CountryName: { name: 'CountryName', type: 'string' },
  DirectoryString: { name: 'DirectoryString', type: 'u32' },
  uTF8String: { name: 'uTF8String', type: 'string' },
  printableString: { name: 'printableString', type: 'string' },
  teletexString: { name: 'teletexString', type: 'string' },
  universalString: { name: 'universalString', type: 'string' },
  bmpString: { name: 'bmpString', type: 'string' },
  IA5String: { name: 'IA5String', type: 'string' },
});

export const X509CE = defineFields('x509ce', 'X.509 Certificate Extensions', PLACE, {
  GeneralNames: { name: 'GeneralNames', type: 'u32' },
  GeneralName: { name: 'GeneralName', type: 'u32' },
  dNSName: { name: 'dNSName', type: 'string' },
  'IPAddress.ipv4': { name: 'iPAddress', type: 'ipv4' },
  'IPAddress.ipv6': { name: 'iPAddress', type: 'ipv6' },
  rfc822Name: { name: 'rfc822Name', type: 'string' },
  uniformResourceIdentifier: { name: 'uniformResourceIdentifier', type: 'string' },
  KeyUsage: { name: 'KeyUsage', type: 'bytes' },
  'KeyUsage.digitalSignature': { name: 'digitalSignature', type: 'bool', mask: 0x80 },
  'KeyUsage.contentCommitment': { name: 'contentCommitment', type: 'bool', mask: 0x40 },
  'KeyUsage.keyEncipherment': { name: 'keyEncipherment', type: 'bool', mask: 0x20 },
  'KeyUsage.dataEncipherment': { name: 'dataEncipherment', type: 'bool', mask: 0x10 },
  'KeyUsage.keyAgreement': { name: 'keyAgreement', type: 'bool', mask: 0x8 },
  'KeyUsage.keyCertSign': { name: 'keyCertSign', type: 'bool', mask: 0x4 },
  'KeyUsage.cRLSign': { name: 'cRLSign', type: 'bool', mask: 0x2 },
  'KeyUsage.encipherOnly': { name: 'encipherOnly', type: 'bool', mask: 0x1 },
  'KeyUsage.decipherOnly': { name: 'decipherOnly', type: 'bool', mask: 0x80 },

  BasicConstraintsSyntax_element: { name: 'BasicConstraintsSyntax', type: 'none' },
  cA: { name: 'cA', type: 'bool' },
  SubjectKeyIdentifier: { name: 'SubjectKeyIdentifier', type: 'bytes' },
  AuthorityKeyIdentifier_element: { name: 'AuthorityKeyIdentifier', type: 'none' },
  keyIdentifier: { name: 'keyIdentifier', type: 'bytes' },
  KeyPurposeIDs: { name: 'KeyPurposeIDs', type: 'u32' },
  KeyPurposeId: { name: 'KeyPurposeId', type: 'oid' },
});

export const PKCS1 = defineFields('pkcs1', 'PKCS#1', PLACE, {
  modulus: { name: 'modulus', type: 'bytes' },
  publicExponent: { name: 'publicExponent', type: 'i32' },
});

// ---- DER ----------------------------------------------------------------------------------------

/** One DER element: identifier, where its header and contents lie. */
export interface Der {
  /** Class bits (0 universal, 1 application, 2 context, 3 private). */
  cls: number;
  constructed: boolean;
  /** Tag number (low-tag-number form, or the high-tag-number form up to 2^28). */
  tag: number;
  /** Offset of the identifier octet. */
  at: number;
  /** Offset of the contents. */
  body: number;
  /** End of the contents (exclusive). */
  end: number;
}

/**
 * The element at data[at] inside [at, limit), or null when its header is cut short, its length
 * is indefinite or reaches past `limit`. Never throws.
 */
export function readDer(data: Uint8Array, at: number, limit: number): Der | null {
  const lim = Math.min(limit, data.length);
  let p = at;
  if (p < 0 || p + 2 > lim) return null;
  const id = data[p++];
  let tag = id & 0x1f;
  if (tag === 0x1f) {
    tag = 0;
    for (let i = 0; ; i++) {
      if (p >= lim || i >= 4) return null;
      const b = data[p++];
      tag = tag * 128 + (b & 0x7f);
      if (!(b & 0x80)) break;
    }
  }
  if (p >= lim) return null;
  let len = data[p++];
  if (len & 0x80) {
    const n = len & 0x7f;
    // 0x80 is BER's indefinite length; more than 4 length octets cannot fit any capture.
    if (n === 0 || n > 4 || p + n > lim) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + data[p++];
  }
  if (p + len > lim) return null;
  return { cls: id >> 6, constructed: (id & 0x20) !== 0, tag, at, body: p, end: p + len };
}

/** The children of a constructed element, in order; stops at the first that does not parse. */
export function derChildren(data: Uint8Array, parent: Der): Der[] {
  const out: Der[] = [];
  let p = parent.body;
  while (p < parent.end) {
    const d = readDer(data, p, parent.end);
    if (!d) break;
    out.push(d);
    p = d.end;
  }
  return out;
}

/** Dotted text of an OBJECT IDENTIFIER's contents (X.690 §8.19); '' when malformed. */
export function oidText(data: Uint8Array, body: number, end: number): string {
  if (end <= body) return '';
  const parts: string[] = [];
  let v = 0;
  let first = true;
  for (let i = body; i < end; i++) {
    const b = data[i];
    // Arcs past 2^53 cannot be held; such OIDs do not occur in certificates.
    if (v > 2 ** 45) return '';
    v = v * 128 + (b & 0x7f);
    if (b & 0x80) continue;
    if (first) {
      const a = v < 40 ? 0 : v < 80 ? 1 : 2;
      parts.push(String(a), String(v - a * 40));
      first = false;
    } else parts.push(String(v));
    v = 0;
  }
  if (data[end - 1] & 0x80) return '';
  return parts.join('.');
}

const OID_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'id-at-commonName',
  '2.5.4.4': 'id-at-surname',
  '2.5.4.5': 'id-at-serialNumber',
  '2.5.4.6': 'id-at-countryName',
  '2.5.4.7': 'id-at-localityName',
  '2.5.4.8': 'id-at-stateOrProvinceName',
  '2.5.4.9': 'id-at-streetAddress',
  '2.5.4.10': 'id-at-organizationName',
  '2.5.4.11': 'id-at-organizationalUnitName',
  '2.5.4.12': 'id-at-title',
  '2.5.4.42': 'id-at-givenName',
  '1.2.840.113549.1.9.1': 'pkcs-9-at-emailAddress',
  '1.2.840.113549.1.1.1': 'rsaEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'id-RSASSA-PSS',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.10045.2.1': 'id-ecPublicKey',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'id-Ed25519',
  '1.3.101.113': 'id-Ed448',
  '2.5.29.14': 'id-ce-subjectKeyIdentifier',
  '2.5.29.15': 'id-ce-keyUsage',
  '2.5.29.17': 'id-ce-subjectAltName',
  '2.5.29.19': 'id-ce-basicConstraints',
  '2.5.29.31': 'id-ce-cRLDistributionPoints',
  '2.5.29.32': 'id-ce-certificatePolicies',
  '2.5.29.35': 'id-ce-authorityKeyIdentifier',
  '2.5.29.37': 'id-ce-extKeyUsage',
  '1.3.6.1.5.5.7.1.1': 'id-pe-authorityInfoAccess',
  '1.3.6.1.5.5.7.3.1': 'id-kp-serverAuth',
  '1.3.6.1.5.5.7.3.2': 'id-kp-clientAuth',
};

/** The registered name of an OID, or the dotted text. */
export function oidName(oid: string): string {
  return OID_NAMES[oid] ?? oid;
}

// ---- the certificate ----------------------------------------------------------------------------

/** What a certificate says, for Info, messages and tests. */
export interface CertSummary {
  /** `CN=localhost, O=…` in the certificate's order reversed (most specific first, RFC 4514). */
  subject: string;
  issuer: string;
  /** The subject's common name, '' when none. */
  cn: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  signatureAlgorithm: string;
  publicKeyAlgorithm: string;
  /** subjectAltName DNS names and IP addresses, in order. */
  altNames: string[];
  /** Every element parsed as RFC 5280 says. */
  complete: boolean;
}

const SHORT: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
};

function latin1(data: Uint8Array, at: number, end: number): string {
  let s = '';
  for (let i = at; i < end; i++) s += String.fromCharCode(data[i]);
  return s;
}
/** UTF-8 text (X.690 UTF8String); a malformed sequence becomes U+FFFD, as TextDecoder does. */
function utf8(data: Uint8Array, at: number, end: number): string {
  let s = '';
  let i = at;
  while (i < end) {
    const b = data[i];
    let n = 0;
    let cp = 0;
    if (b < 0x80) {
      s += String.fromCharCode(b);
      i++;
      continue;
    } else if (b >= 0xc2 && b < 0xe0) {
      n = 1;
      cp = b & 0x1f;
    } else if (b >= 0xe0 && b < 0xf0) {
      n = 2;
      cp = b & 0x0f;
    } else if (b >= 0xf0 && b < 0xf5) {
      n = 3;
      cp = b & 0x07;
    } else {
      s += '\ufffd';
      i++;
      continue;
    }
    let j = 1;
    for (; j <= n && i + j < end; j++) {
      const x = data[i + j];
      if ((x & 0xc0) !== 0x80) break;
      cp = (cp << 6) | (x & 0x3f);
    }
    if (j <= n) {
      s += '\ufffd';
      i += j;
      continue;
    }
    s += String.fromCodePoint(cp);
    i += n + 1;
  }
  return s;
}
function stringValue(data: Uint8Array, d: Der): string {
  if (d.tag === 12) return utf8(data, d.body, d.end);
  if (d.tag === 30) {
    let s = '';
    for (let i = d.body; i + 1 < d.end; i += 2) s += String.fromCharCode((data[i] << 8) | data[i + 1]);
    return s;
  }
  return latin1(data, d.body, d.end);
}

function hex(data: Uint8Array, at: number, end: number): string {
  let s = '';
  for (let i = at; i < end; i++) s += data[i].toString(16).padStart(2, '0');
  return s;
}

/** `YYMMDDHHMMSSZ` (UTCTime, RFC 5280 §4.1.2.5.1: 50–99 → 19xx) as Wireshark shows it. */
function utcTimeText(s: string): string {
  const m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?Z$/.exec(s);
  if (!m) return s;
  const y = Number(m[1]) >= 50 ? `19${m[1]}` : `20${m[1]}`;
  return `${y}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6] ?? '00'} (UTC)`;
}

function generalizedTime(s: string): { sec: number; nsec: number } | null {
  const m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s);
  if (!m) return null;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return Number.isFinite(ms) ? { sec: ms / 1000, nsec: 0 } : null;
}

class CertReader {
  complete = true;
  constructor(
    readonly c: Cursor,
    readonly data: Uint8Array,
  ) {}

  add(f: FieldDef, d: Der | { at: number; end: number }, value: Item['value'], label?: string): Item | null {
    return this.c.add(f, d.at, d.end - d.at, value, label);
  }

  /** The children of `d`, or null (and the certificate marked incomplete) when `d` is not a SEQUENCE/SET. */
  seq(d: Der | undefined, tag = 16): Der[] | null {
    if (!d || d.cls !== 0 || !d.constructed || d.tag !== tag) {
      this.complete = false;
      return null;
    }
    return derChildren(this.data, d);
  }

  oid(d: Der | undefined): string {
    if (!d || d.cls !== 0 || d.tag !== 6) {
      this.complete = false;
      return '';
    }
    return oidText(this.data, d.body, d.end);
  }

  algorithm(d: Der | undefined, f: FieldDef): string {
    const parts = this.seq(d);
    if (!parts || !d) return '';
    const oid = this.oid(parts[0]);
    const it = this.add(f, d, null, `${f.name} (${oidName(oid)})`);
    this.c.within(it, () => {
      if (parts[0]) this.add(X509AF['algorithm.id'], parts[0], oid, `Algorithm Id: ${oid} (${oidName(oid)})`);
    });
    return oid;
  }

  /** A Name (RFC 5280 §4.1.2.4): RDNSequence of SETs of AttributeTypeAndValue. */
  name(d: Der | undefined, top: FieldDef, seqField: FieldDef): { text: string; cn: string } {
    const rdns = this.seq(d);
    if (!rdns || !d) return { text: '', cn: '' };
    const parts: { k: string; v: string; oid: string }[] = [];
    const it = this.add(top, d, 0, `${top.name}: rdnSequence (0)`);
    const seqItem = this.c.within(it, () => this.add(seqField, d, rdns.length));
    this.c.within(seqItem, () => {
      for (const rdn of rdns) {
        const atvs = this.seq(rdn, 17);
        if (!atvs) continue;
        const rdnItem = this.add(X509IF.RDNSequence_item, rdn, atvs.length);
        this.c.within(rdnItem, () => {
          for (const atv of atvs) {
            const kv = this.seq(atv);
            if (!kv) continue;
            const oid = this.oid(kv[0]);
            const v = kv[1];
            const text = v ? stringValue(this.data, v) : '';
            parts.push({ k: SHORT[oid] ?? oid, v: text, oid });
            const atvItem = this.add(
              X509IF.RelativeDistinguishedName_item_element,
              atv,
              null,
              `RelativeDistinguishedName item (${oidName(oid)}=${text})`,
            );
            this.c.within(atvItem, () => {
              if (kv[0]) this.add(X509IF.oid, kv[0], oid, `Object Id: ${oid} (${oidName(oid)})`);
              if (!v) return;
              if (oid === '2.5.4.6') this.add(X509SAT.CountryName, v, text);
              else this.directoryString(v, text);
            });
          }
        });
        if (rdnItem && rdnItem.children?.length === 1)
          rdnItem.label = `RDNSequence item: 1 item (${rdnItem.children[0].label.replace(/^RelativeDistinguishedName item \((.*)\)$/, '$1')})`;
      }
    });
    const text = parts
      .slice()
      .reverse()
      .map((p) => `${p.k}=${p.v}`)
      .join(', ');
    if (seqItem)
      seqItem.label = `rdnSequence: ${rdns.length} item${rdns.length === 1 ? '' : 's'} (${parts
        .map((p) => `${oidName(p.oid)}=${p.v}`)
        .reverse()
        .join(',')})`;
    const cn = parts.filter((p) => p.oid === '2.5.4.3').pop()?.v ?? '';
    return { text, cn };
  }

  directoryString(v: Der, text: string): void {
    const choice: Record<number, [number, FieldDef]> = {
      20: [0, X509SAT.teletexString],
      19: [1, X509SAT.printableString],
      28: [2, X509SAT.universalString],
      30: [3, X509SAT.bmpString],
      12: [4, X509SAT.uTF8String],
    };
    const ch = choice[v.tag];
    if (v.cls === 0 && v.tag === 22) {
      this.add(X509SAT.IA5String, v, text);
      return;
    }
    if (!ch) return;
    const it = this.add(X509SAT.DirectoryString, v, ch[0], `DirectoryString: ${ch[1].name} (${ch[0]})`);
    this.c.within(it, () => this.add(ch[1], v, text));
  }

  time(d: Der | undefined, f: FieldDef): string {
    if (!d || d.cls !== 0 || (d.tag !== 23 && d.tag !== 24)) {
      this.complete = false;
      return '';
    }
    const s = latin1(this.data, d.body, d.end);
    if (d.tag === 23) {
      const text = utcTimeText(s);
      const it = this.add(f, d, 0, `${f.name}: utcTime (0)`);
      this.c.within(it, () => this.add(X509AF.utcTime, d, text));
      return text;
    }
    const t = generalizedTime(s);
    const it = this.add(f, d, 1, `${f.name}: generalizedTime (1)`);
    this.c.within(it, () => {
      if (t) this.add(X509AF.generalizedTime, d, t);
    });
    return s;
  }

  extension(ext: Der, out: CertSummary): void {
    const parts = this.seq(ext);
    if (!parts) return;
    const oid = this.oid(parts[0]);
    const it = this.add(X509AF.Extension_element, ext, null, `Extension (${oidName(oid)})`);
    this.c.within(it, () => {
      if (parts[0]) this.add(X509AF['extension.id'], parts[0], oid, `Extension Id: ${oid} (${oidName(oid)})`);
      let i = 1;
      if (parts[i] && parts[i].cls === 0 && parts[i].tag === 1) {
        const v = parts[i].end > parts[i].body && this.data[parts[i].body] !== 0;
        this.add(X509AF.critical, parts[i], v);
        i++;
      }
      const os = parts[i];
      if (!os || os.cls !== 0 || os.tag !== 4) {
        this.complete = false;
        return;
      }
      const inner = readDer(this.data, os.body, os.end);
      if (!inner) return;
      switch (oid) {
        case '2.5.29.17':
          this.generalNames(inner, out);
          break;
        case '2.5.29.15':
          this.keyUsage(inner);
          break;
        case '2.5.29.19': {
          const kids = this.seq(inner) ?? [];
          const bc = this.add(X509CE.BasicConstraintsSyntax_element, inner, null);
          this.c.within(bc, () => {
            const ca = kids[0];
            if (ca && ca.cls === 0 && ca.tag === 1)
              this.add(X509CE.cA, ca, ca.end > ca.body && this.data[ca.body] !== 0);
          });
          break;
        }
        case '2.5.29.14':
          if (inner.tag === 4)
            this.add(X509CE.SubjectKeyIdentifier, inner, this.data.slice(inner.body, inner.end));
          break;
        case '2.5.29.35': {
          const kids = this.seq(inner) ?? [];
          const ak = this.add(X509CE.AuthorityKeyIdentifier_element, inner, null);
          this.c.within(ak, () => {
            for (const k of kids)
              if (k.cls === 2 && k.tag === 0)
                this.add(X509CE.keyIdentifier, k, this.data.slice(k.body, k.end));
          });
          break;
        }
        case '2.5.29.37': {
          const kids = this.seq(inner) ?? [];
          const ku = this.add(
            X509CE.KeyPurposeIDs,
            inner,
            kids.length,
            `KeyPurposeIDs: ${kids.length} item${kids.length === 1 ? '' : 's'}`,
          );
          this.c.within(ku, () => {
            for (const k of kids) {
              const o = this.oid(k);
              this.add(X509CE.KeyPurposeId, k, o, `KeyPurposeId: ${o} (${oidName(o)})`);
            }
          });
          break;
        }
        default:
          break;
      }
    });
  }

  generalNames(d: Der, out: CertSummary): void {
    const names = this.seq(d);
    if (!names) return;
    const it = this.add(
      X509CE.GeneralNames,
      d,
      names.length,
      `GeneralNames: ${names.length} item${names.length === 1 ? '' : 's'}`,
    );
    this.c.within(it, () => {
      for (const n of names) {
        if (n.cls !== 2) continue;
        const g = this.add(X509CE.GeneralName, n, n.tag);
        this.c.within(g, () => {
          if (n.tag === 2) {
            const s = latin1(this.data, n.body, n.end);
            out.altNames.push(s);
            this.add(X509CE.dNSName, n, s);
          } else if (n.tag === 1) this.add(X509CE.rfc822Name, n, latin1(this.data, n.body, n.end));
          else if (n.tag === 6)
            this.add(X509CE.uniformResourceIdentifier, n, latin1(this.data, n.body, n.end));
          else if (n.tag === 7 && n.end - n.body === 4) {
            const b = this.data.slice(n.body, n.end);
            out.altNames.push(`${b[0]}.${b[1]}.${b[2]}.${b[3]}`);
            this.add(X509CE['IPAddress.ipv4'], n, b);
          } else if (n.tag === 7 && n.end - n.body === 16)
            this.add(X509CE['IPAddress.ipv6'], n, this.data.slice(n.body, n.end));
        });
      }
    });
  }

  keyUsage(d: Der): void {
    if (d.cls !== 0 || d.tag !== 3 || d.end <= d.body) return;
    const bits = this.data.slice(d.body + 1, d.end);
    const it = this.c.add(X509CE.KeyUsage, d.body + 1, d.end - d.body - 1, bits);
    this.c.within(it, () => {
      const b0 = bits.length ? bits[0] : 0;
      for (const k of [
        'KeyUsage.digitalSignature',
        'KeyUsage.contentCommitment',
        'KeyUsage.keyEncipherment',
        'KeyUsage.dataEncipherment',
        'KeyUsage.keyAgreement',
        'KeyUsage.keyCertSign',
        'KeyUsage.cRLSign',
        'KeyUsage.encipherOnly',
      ] as const)
        if (bits.length) this.c.bits(X509CE[k], b0, d.body + 1, 1);
      // decipherOnly is bit 8, in a second byte DER leaves out when it is clear (X.690 §11.2.2).
      if (bits.length)
        this.c.bits(X509CE['KeyUsage.decipherOnly'], bits.length > 1 ? bits[1] : 0, d.body + 1, 1);
    });
  }
}

/**
 * Adds the X.509 fields of the certificate in c.data[at, end) under the cursor's current item and
 * returns what it says. Never throws: a certificate that does not parse keeps the fields read up
 * to the fault, `complete` false.
 */
export function dissectCertificate(c: Cursor, at: number, end: number): CertSummary {
  const data = c.data;
  const out: CertSummary = {
    subject: '',
    issuer: '',
    cn: '',
    serial: '',
    notBefore: '',
    notAfter: '',
    signatureAlgorithm: '',
    publicKeyAlgorithm: '',
    altNames: [],
    complete: true,
  };
  const r = new CertReader(c, data);
  try {
    const cert = readDer(data, at, end);
    const top = r.seq(cert ?? undefined);
    if (!top || !cert) {
      out.complete = false;
      return out;
    }
    const tbs = top[0];
    const tbsParts = r.seq(tbs);
    if (tbsParts && tbs) {
      const it = r.add(X509AF.signedCertificate_element, tbs, null);
      c.within(it, () => {
        let i = 0;
        const v = tbsParts[0];
        if (v && v.cls === 2 && v.tag === 0) {
          const inner = readDer(data, v.body, v.end);
          if (inner && inner.tag === 2 && inner.end - inner.body === 1)
            r.add(X509AF.version, inner, data[inner.body]);
          i++;
        }
        const sn = tbsParts[i++];
        if (sn && sn.cls === 0 && sn.tag === 2) {
          out.serial = hex(data, sn.body, sn.end);
          r.add(X509AF.serialNumber, sn, data.slice(sn.body, sn.end));
        } else r.complete = false;
        r.algorithm(tbsParts[i++], X509AF.signature_element);
        const iss = r.name(tbsParts[i++], X509AF.issuer, X509IF.rdnSequence);
        out.issuer = iss.text;
        const val = tbsParts[i++];
        const vparts = r.seq(val);
        if (vparts && val) {
          const vi = r.add(X509AF.validity_element, val, null);
          c.within(vi, () => {
            out.notBefore = r.time(vparts[0], X509AF.notBefore);
            out.notAfter = r.time(vparts[1], X509AF.notAfter);
          });
        }
        const sub = r.name(tbsParts[i++], X509AF.subject, X509AF.rdnSequence);
        out.subject = sub.text;
        out.cn = sub.cn;
        const spki = tbsParts[i++];
        const sp = r.seq(spki);
        if (sp && spki) {
          const si = r.add(X509AF.subjectPublicKeyInfo_element, spki, null);
          c.within(si, () => {
            out.publicKeyAlgorithm = r.algorithm(sp[0], X509AF.algorithm_element);
            const key = sp[1];
            if (key && key.cls === 0 && key.tag === 3 && key.end > key.body) {
              const ki = c.add(
                X509AF.subjectPublicKey,
                key.body + 1,
                key.end - key.body - 1,
                data.slice(key.body + 1, key.end),
              );
              if (out.publicKeyAlgorithm === '1.2.840.113549.1.1.1') {
                c.within(ki, () => {
                  const rsa = readDer(data, key.body + 1, key.end);
                  const kids = rsa && rsa.tag === 16 ? derChildren(data, rsa) : [];
                  if (kids[0]?.tag === 2)
                    r.add(PKCS1.modulus, kids[0], data.slice(kids[0].body, kids[0].end));
                  const e = kids[1];
                  if (e?.tag === 2 && e.end - e.body <= 4) {
                    let n = 0;
                    for (let k = e.body; k < e.end; k++) n = n * 256 + data[k];
                    r.add(PKCS1.publicExponent, e, n);
                  }
                });
              }
            }
          });
        }
        for (; i < tbsParts.length; i++) {
          const x = tbsParts[i];
          if (x.cls !== 2 || x.tag !== 3) continue;
          const list = readDer(data, x.body, x.end);
          const exts = r.seq(list ?? undefined);
          if (!exts || !list) continue;
          const ei = r.add(
            X509AF.extensions,
            list,
            exts.length,
            `extensions: ${exts.length} item${exts.length === 1 ? '' : 's'}`,
          );
          c.within(ei, () => {
            for (const e of exts) r.extension(e, out);
          });
        }
      });
    }
    out.signatureAlgorithm = r.algorithm(top[1], X509AF.algorithmIdentifier_element);
    const sig = top[2];
    if (sig && sig.cls === 0 && sig.tag === 3 && sig.end > sig.body)
      c.add(X509AF.encrypted, sig.body + 1, sig.end - sig.body - 1, data.slice(sig.body + 1, sig.end));
    else r.complete = false;
  } catch {
    // The cursor's own reads are bounded by the layer; anything thrown here is a certificate
    // this reader could not follow, which stops it like a parse fault.
    r.complete = false;
  }
  out.complete = r.complete;
  return out;
}
