// TLS against tshark 4.0 (-2) on real traffic: the captures in tests/fixtures/tls (openssl
// s_server/s_client on loopback, see its README): every -T fields cell of every tls.*, x509*.* and
// pkcs1.* field tshark knows, and the Protocol and Info columns, on every frame. The odd-port
// capture is compared with tshark told `-d tcp.port==4433,tls` (Wirescope finds it by heuristic).
// Then what the dissector says for sequence diagrams (application messages) on the same captures.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fieldColumn } from '../../shared/dissect/query';
import { dissectFile } from '../support/dissect-file';
import { tsharkFields, tsharkMissing } from '../support/tshark';
import { diffFile, expandFields, type Mismatch } from '../tshark/diff-lib';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'tls');
const FILES = ['tls12.pcap', 'tls13.pcap', 'tls-alerts.pcap', 'tls-bigchain.pcap', 'tls-old.pcap'];

/** Cells that differ, each with its reason; anything else fails. */
const EXCUSED: readonly { field: RegExp; reason: string }[] = [
  {
    field: /^tls\.handshake\.ja3s?(_full)?$/,
    reason: 'JA3/JA3S fingerprints are not computed (tls.ts header: not part of the assignment).',
  },
];

const excused = (m: Mismatch) => EXCUSED.some((e) => e.field.test(m.field));

describe.skipIf(!!tsharkMissing)(`TLS against tshark -2 on real captures ${tsharkMissing}`, () => {
  const fields = tsharkMissing
    ? []
    : expandFields([
        'tls.*',
        'x509af.*',
        'x509if.*',
        'x509sat.*',
        'x509ce.*',
        'pkcs1.*',
        '_ws.col.Protocol',
        '_ws.col.Info',
      ]).fields;

  it.each(FILES)('%s: -T fields cells', (name) => {
    const d = diffFile(join(DIR, name), fields);
    expect(d.errors).toEqual([]);
    expect(d.frames).toBeGreaterThan(20);
    const bad = d.mismatches
      .filter((m) => !excused(m))
      .slice(0, 20)
      .map(
        (m) =>
          `frame ${m.frame} ${m.field}: ours ${JSON.stringify(m.ours)} tshark ${JSON.stringify(m.tshark)}`,
      );
    expect(bad).toEqual([]);
  });

  it('tls-odd-port.pcap: found by the heuristic, the same cells as tshark with decode-as', () => {
    const path = join(DIR, 'tls-odd-port.pcap');
    const list = [
      'tls.record.content_type',
      'tls.record.opaque_type',
      'tls.record.version',
      'tls.record.length',
      'tls.handshake.type',
      'tls.handshake.extensions_server_name',
      'tls.handshake.extensions_alpn_str',
      'tls.handshake.ciphersuite',
      'tls.handshake.extensions.supported_version',
      'tls.handshake.extensions_key_share_group',
      'x509sat.uTF8String',
      '_ws.col.Protocol',
      '_ws.col.Info',
    ];
    const theirs = tsharkFields(path, list, ['-2', '-d', 'tcp.port==4433,tls']);
    const ours = dissectFile(path, { tree: true, cols: true }).frames;
    expect(ours.length).toBe(theirs.length);
    const bad: string[] = [];
    let tlsFrames = 0;
    ours.forEach((d, i) => {
      if (d.protocols.includes('tls')) tlsFrames++;
      list.forEach((f, k) => {
        const a =
          f === '_ws.col.Protocol'
            ? d.columns.protocol
            : f === '_ws.col.Info'
              ? d.columns.info
              : fieldColumn(d, f);
        if (a !== theirs[i][k])
          bad.push(`frame ${i + 1} ${f}: ours ${JSON.stringify(a)} tshark ${JSON.stringify(theirs[i][k])}`);
      });
    });
    expect(tlsFrames).toBeGreaterThan(10);
    expect(bad.slice(0, 20)).toEqual([]);
  });
});

describe('TLS application messages on the real captures', () => {
  const labels = (name: string) =>
    dissectFile(join(DIR, name)).frames.flatMap((d) =>
      (d.messages ?? []).filter((m) => m.proto === 'tls').map((m) => `${d.frame} ${m.role} ${m.label}`),
    );

  it('TLS 1.3: ClientHello with SNI and ALPN, ServerHello with version and suite, HelloRetryRequest', () => {
    const l = labels('tls13.pcap');
    expect(l).toContain('4 client ClientHello SNI=example.com ALPN=h2,http/1.1');
    expect(l.some((x) => /^6 server ServerHello TLS 1\.3 TLS_AES_256_GCM_SHA384$/.test(x))).toBe(true);
    expect(l.some((x) => / server HelloRetryRequest group=secp256r1$/.test(x))).toBe(true);
    expect(l.some((x) => / server Application Data \d+ bytes$/.test(x))).toBe(true);
    expect(l.some((x) => / server ServerHello TLS 1\.3 TLS_CHACHA20_POLY1305_SHA256$/.test(x))).toBe(true);
  });

  it('TLS 1.2: the certificate names its subject; alerts name level and description', () => {
    expect(labels('tls12.pcap')).toContain('7 server Certificate CN=localhost');
    const a = labels('tls-alerts.pcap');
    expect(a.some((x) => / client Alert fatal unknown_ca$/.test(x))).toBe(true);
    expect(a.some((x) => / server Alert fatal protocol_version$/.test(x))).toBe(true);
  });

  it('a Certificate message over two records and many segments is reassembled and decoded', () => {
    const frames = dissectFile(join(DIR, 'tls-bigchain.pcap')).frames;
    const cert = frames.find((d) => (d.messages ?? []).some((m) => m.label === 'Certificate CN=localhost'));
    expect(cert).toBeDefined();
    expect(cert!.sources.some((s) => /^Reassembled Handshake Message \(\d+ bytes\)$/.test(s.name))).toBe(
      true,
    );
    expect(fieldColumn(cert!, 'x509ce.dNSName').split(',')).toHaveLength(301);
  });
});
