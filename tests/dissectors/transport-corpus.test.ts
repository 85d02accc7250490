// TCP, UDP, ICMP and ICMPv6 against tshark 4.0 (-2) on every capture of tcpdump's regression corpus
// (/work/shared/corpus/tcpdump: many deliberately malformed, cut or fuzzed): every `-T fields` cell
// of every field of the four protocols on every frame, and the Protocol and Info columns of the
// frames that carry one of them. What differs for a reason outside these dissectors, or by a
// documented choice, is listed below per file with the reason; anything else fails.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dissectFile } from '../support/dissect-file';
import { tsharkMissing } from '../support/tshark';
import { diffFile, expandFields, type Mismatch } from '../tshark/diff-lib';
import { unexcused } from '../fixtures/l4/excused';

const CORPUS = '/work/shared/corpus/tcpdump';
const files = existsSync(CORPUS)
  ? readdirSync(CORPUS)
      .filter((f) => /\.(pcap|pcapng)$/.test(f))
      .sort()
  : [];

const L4 = ['tcp', 'udp', 'icmp', 'icmpv6'];
const COLUMNS = ['_ws.col.Protocol', '_ws.col.Info'];

/** Per file: the fields (all when absent) whose cells may differ, and why. */
const CORPUS_EXCUSED: readonly { file: RegExp; field?: RegExp; reason: string }[] = [
  // Below the transport layer: link or network layers the engine reads differently or not at all.
  {
    file: /^(icmp-cksum-oobr-[24]\.pcap(ng)?|icmp-rfc5837\.pcap|icmp_inft_name_length_zero\.pcap)$/,
    reason:
      'PPP link layer (linktype 9): the engine has no PPP dissector, so nothing above it is dissected. (These are ICMP errors with RFC 4884/5837 extensions, which the ICMP dissector does not decode either: see below.)',
  },
  {
    file: /^icmp-icmp_print-oobr-2\.pcap$/,
    reason: 'Frame Relay link layer (linktype 107): no dissector in the engine.',
  },
  { file: /^e1000g\.pcap$/, reason: 'Solaris IPNET link layer (linktype 226): no dissector in the engine.' },
  {
    file: /^icmp-rfc8335-missing-bytes\.pcap$/,
    reason: 'MACsec (802.1AE) under IP: no dissector in the engine.',
  },
  {
    file: /^(bigtcp-ipv6\.pcap|icmpv6-length-zero\.pcapng)$/,
    reason:
      'IPv6 payload length 0 without a jumbo option: the IPv6 dissector takes it as TSO and hands the rest of the frame on; tshark 4.0 (ipv6.tso_support off) hands on an empty payload, so its TCP/ICMPv6 is only a malformed stub.',
  },
  {
    file: /^icmp-icmp_print-oobr-1\.pcap$/,
    field: /^_ws\.col\./,
    reason:
      'Columns set by other layers: Ethernet trailer handling of a frame whose wire length exceeds the capture (tshark appends "[Packet size limited during capture]"), and VRRP (IP protocol 112), which the engine does not dissect.',
  },
  {
    file: /^(ip_ts_opts_asan|ipv6-bad-version)\.pcap$/,
    field: /^_ws\.col\./,
    reason: 'Columns written by the IPv4/IPv6 dissectors for a bad header (fragment note, bogus version).',
  },
  {
    file: /^timestamp_invalid_(micro|nano)\.pcap$/,
    field: /^tcp\.(time_relative|time_delta|analysis\.(ack_rtt|initial_rtt))$/,
    reason:
      "Frame 3's timestamp has an out-of-range fraction: the capture reader's frame time differs from wiretap's, and the TCP times are computed from the frame times.",
  },
  // Deliberate differences of these dissectors.
  {
    file: /^mptcp-/,
    field: /^(tcp\.option_kind|tcp\.option_len|tcp\.options\.unknown(\.payload)?|tcp\.options\.mptcp\..*)$/,
    reason:
      'Multipath TCP (RFC 8684, option kind 30) is a protocol of its own in Wireshark (mptcp.*, with its own stream and sequence analysis) and is not part of this dissector: the option is shown raw as an unknown option (kind, length, payload).',
  },
  {
    file: /^(icmp-rfc8335|icmp6-rfc8335|icmp_ext_oob_poc)\.pcap$/,
    field: /^(icmp\.|icmpv6\.|_ws\.col\.Info$)/,
    reason:
      'RFC 8335 extended echo (PROBE: ICMP types 42/43, ICMPv6 160/161) and the RFC 4884 extension objects (RFC 5837 interface information, RFC 8335 interface identification) are not decoded: the message is shown by type and code with its data.',
  },
  {
    file: /^(icmpv6-RFC2894-RR|icmpv6-ni-flags|icmpv6_nodeinfo_.*|icmp6_mobileprefix_asan)\.pcap$/,
    field: /^(icmpv6\.|_ws\.col\.Info$)/,
    reason:
      'ICMPv6 router renumbering (RFC 2894, type 138), node information queries and replies (RFC 4620, types 139/140) and mobile prefix solicitation/advertisement (RFC 6275, types 146/147) are not decoded: shown as an undecoded type with its data.',
  },
  {
    file: /^tfo-5c1fa7f9ae91\.pcap$/,
    field: /^(tcp\.segment_data|_ws\.col\.Info)$/,
    reason:
      'Frame 13: a heuristic dissector of tshark takes the SYN\'s data (0xdeadbeef) for the start of a PDU and asks TCP for more ("[TCP segment of a reassembled PDU]"); reassembly and those heuristics are outside these dissectors, which hand the data on as it is.',
  },
  {
    file: /^quic_handshake_truncated\.pcap$/,
    field: /^_ws\.col\.Info$/,
    reason:
      'QUIC packets longer than the snaplen kept are marked "[Packet size limited during capture]" (the engine\'s note for a truncated layer); tshark 4.0 shows the captured part as protected payload without the note.',
  },
  {
    file: /^quic_vn\.pcap$/,
    field: /^_ws\.col\.Info$/,
    reason:
      'The client Initials here use a reserved (0x?a?a?a?a) version: Wirescope removes their header protection with the draft-29 salt (quic.ts) and shows the packet number in Info (`, PKN: …`), which tshark 4.0 leaves out.',
  },
];

function corpusExcused(file: string, m: Mismatch): boolean {
  return CORPUS_EXCUSED.some((e) => e.file.test(file) && (!e.field || e.field.test(m.field)));
}

describe.skipIf(!!tsharkMissing || files.length === 0)(
  `transport layers against tshark -2 on the tcpdump corpus ${tsharkMissing}`,
  () => {
    const fields = tsharkMissing ? [] : expandFields([...L4.map((p) => `${p}.*`), ...COLUMNS]).fields;

    it.each(files)('%s', (file) => {
      const path = join(CORPUS, file);
      const d = diffFile(path, fields);
      // The columns belong to whichever layer is on top: compared on frames with a transport layer.
      const transport = new Set<number>();
      dissectFile(path).frames.forEach((f, i) => {
        if (f.layers.some((l) => L4.includes(l.proto))) transport.add(i + 1);
      });
      for (const m of d.mismatches)
        if (!m.field.startsWith('_ws.col.') && m.tshark !== '') transport.add(m.frame);
      const bad = unexcused(d.mismatches).filter(
        (m) => (!m.field.startsWith('_ws.col.') || transport.has(m.frame)) && !corpusExcused(file, m),
      );
      expect(
        bad
          .slice(0, 20)
          .map(
            (m) =>
              `frame ${m.frame} ${m.field}: ours ${JSON.stringify(m.ours)} tshark ${JSON.stringify(m.tshark)}`,
          ),
      ).toEqual([]);
    });
  },
);
