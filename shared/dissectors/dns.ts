// DNS: RFC 1035 (message format §4.1, name compression §4.1.4), RFC 1034, RFC 2181 §8 (TTL high
// bit), RFC 6891 (EDNS(0) OPT), RFC 7766 (DNS over TCP: 2-byte length prefix, several messages in
// one segment), RFC 6762 (mDNS: QU and cache-flush bits, UDP port 5353), RFC 4795 (LLMNR, UDP
// port 5355), and the RDATA formats named at each type below.
//
// Field names, tree labels, the Info column, the matching of queries and responses
// (dns.response_in/response_to/time, retransmissions within 5 s, unsolicited responses) and the
// UDP heuristic follow Wireshark 4.0 (packet-dns.c) with its default preferences, as tshark 4.0.17
// shows them, quirks included: a pointer landing exactly two bytes past its own end is reported as
// a loop; names of more than 253 characters print as `<Name too long>`; extended label types
// (0x40) and the reserved 0x80 are malformed; Info shows only the last message of a TCP segment.
//
// Deliberate differences from Wireshark:
// - DNS over TCP is cut into messages by TCP reassembly (shared/reassembly, with `framing`: the
//   2-byte length prefix), as Wireshark's tcp_dissect_pdus does: each message is dissected once,
//   on the segment that completes it (from a "Reassembled TCP (N bytes)" data source when it
//   spans segments), several in one segment each as a layer of its own. Only a message TCP could
//   not reassemble (inside an ICMP error) is shown cut short, with its length and a note.
// - RDATA of these types is decoded field by field: A, NS, MD, MF, CNAME, SOA, MB, MG, MR, NULL,
//   PTR, HINFO, MINFO, MX, TXT, AAAA, SRV, NAPTR, DNAME, OPT (every option Wireshark 4.0 decodes),
//   DS/CDS/DLV, SSHFP, RRSIG/SIG, NSEC, DNSKEY/CDNSKEY, NSEC3, NSEC3PARAM, TLSA, SPF, CAA. Any other
//   type is shown as raw `dns.data` with Wireshark's "not implemented" note. Wireshark decodes more
//   types (WKS, KEY, LOC, TKEY, TSIG, SVCB/HTTPS, APL…) and keeps that note for the rest.
// - Each DNS-over-TCP message's size (`tcp.pdu.size`, length prefix included) is a generated
//   item of its DNS layer: Wireshark's TCP PDU framework puts it in the TCP tree, which this
//   dissector cannot reach; filters and -T fields find it either way.
// - Wireshark registers `dns.rr.udp_payload_size` twice (mDNS: hex, masked 0x7fff). The registry
//   holds plain DNS's decimal one, so -T fields prints an mDNS OPT's size in decimal (the tree
//   line follows Wireshark's mDNS form).
// - A malformed message's note says what was wrong where (engine style), not Wireshark's
//   "Exception occurred"; a message too short for its flags still gets a (malformed) DNS layer,
//   where Wireshark has no DNS tree item.
import { Cursor, ShortRead } from '../dissect/cursor';
import type { Dissector, DissectResult, NextHint } from '../dissect/engine';
import { defineFields } from '../dissect/fields';
import { bitPicture, bytesHex, ipv4Text, ipv6Text } from '../dissect/format';
import { emitMessage, type PacketInfo } from '../dissect/packet';
import type { FieldDef, Item, Timestamp } from '../dissect/types';
import { expertItem, expertLabel, gen } from './l4-support';
import type { PduFraming } from '../reassembly/pdu-stream';

const PLACE = { osi: 7, tcpip: 'application' } as const;

// ---- value strings (packet-dns.c) ------------------------------------------------------------

const OPCODES: Record<number, string> = {
  0: 'Standard query',
  1: 'Inverse query',
  2: 'Server status request',
  4: 'Zone change notification',
  5: 'Dynamic update',
  6: 'DNS Stateful operations (DSO)',
};

const RCODES: Record<number, string> = {
  0: 'No error',
  1: 'Format error',
  2: 'Server failure',
  3: 'No such name',
  4: 'Not implemented',
  5: 'Refused',
  6: 'Name exists',
  7: 'RRset exists',
  8: 'RRset does not exist',
  9: 'Not authoritative',
  10: 'Name out of zone',
  11: 'DSO-Type not implemented',
  16: 'Bad OPT Version or TSIG Signature Failure',
  17: 'Key not recognized',
  18: 'Signature out of time window',
  19: 'Bad TKEY Mode',
  20: 'Duplicate key name',
  21: 'Algorithm not supported',
  22: 'Bad Truncation',
  23: 'Bad/missing Server Cookie',
};

/** Short type names (Info column, subtree lines). 253 and 254 are swapped as in Wireshark 4.0. */
const TYPES: Record<number, string> = {
  0: 'Unused',
  1: 'A',
  2: 'NS',
  3: 'MD',
  4: 'MF',
  5: 'CNAME',
  6: 'SOA',
  7: 'MB',
  8: 'MG',
  9: 'MR',
  10: 'NULL',
  11: 'WKS',
  12: 'PTR',
  13: 'HINFO',
  14: 'MINFO',
  15: 'MX',
  16: 'TXT',
  17: 'RP',
  18: 'AFSDB',
  19: 'X25',
  20: 'ISDN',
  21: 'RT',
  22: 'NSAP',
  23: 'NSAP-PTR',
  24: 'SIG',
  25: 'KEY',
  26: 'PX',
  27: 'GPOS',
  28: 'AAAA',
  29: 'LOC',
  30: 'NXT',
  31: 'EID',
  32: 'NIMLOC',
  33: 'SRV',
  34: 'ATMA',
  35: 'NAPTR',
  36: 'KX',
  37: 'CERT',
  38: 'A6',
  39: 'DNAME',
  40: 'SINK',
  41: 'OPT',
  42: 'APL',
  43: 'DS',
  44: 'SSHFP',
  45: 'IPSECKEY',
  46: 'RRSIG',
  47: 'NSEC',
  48: 'DNSKEY',
  49: 'DHCID',
  50: 'NSEC3',
  51: 'NSEC3PARAM',
  52: 'TLSA',
  55: 'HIP',
  57: 'RKEY',
  58: 'TALINK',
  59: 'CDS',
  60: 'CDNSKEY',
  61: 'OPENPGPKEY',
  62: 'CSYNC',
  63: 'ZONEMD',
  64: 'SVCB',
  65: 'HTTPS',
  99: 'SPF',
  100: 'UINFO',
  101: 'UID',
  102: 'GID',
  103: 'UNSPEC',
  104: 'NID',
  105: 'L32',
  106: 'L64',
  107: 'LP',
  108: 'EUI48',
  109: 'EUI64',
  249: 'TKEY',
  250: 'TSIG',
  251: 'IXFR',
  252: 'AXFR',
  253: 'MAILA',
  254: 'MAILB',
  255: 'ANY',
  256: 'URI',
  257: 'CAA',
  32768: 'TA',
  32769: 'DLV',
  65281: 'WINS',
  65282: 'WINS-R',
  65422: 'XPF',
};

/** Long type names (the Type fields' value strings). */
const TYPE_DESCRIPTIONS: Record<number, string> = {
  0: 'Unused',
  1: 'A (Host Address)',
  2: 'NS (authoritative Name Server)',
  3: 'MD (Mail Destination)',
  4: 'MF (Mail Forwarder)',
  5: 'CNAME (Canonical NAME for an alias)',
  6: 'SOA (Start Of a zone of Authority)',
  7: 'MB (MailBox domain name)',
  8: 'MG (Mail Group member)',
  9: 'MR (Mail Rename domain)',
  10: 'NULL RR',
  11: 'WKS (Well Known Service)',
  12: 'PTR (domain name PoinTeR)',
  13: 'HINFO (host information)',
  14: 'MINFO (Mailbox or mail list information)',
  15: 'MX (Mail eXchange)',
  16: 'TXT (Text strings)',
  17: 'RP (Responsible Person)',
  18: 'AFSDB (AFS Data Base location)',
  19: 'X25 (XX.25 PSDN address)',
  20: 'ISDN (ISDN address)',
  21: 'RT (Route Through)',
  22: 'NSAP (NSAP address)',
  23: 'NSAP-PTR (NSAP domain name pointer)',
  24: 'SIG (security signature)',
  25: 'KEY (security key)',
  26: 'PX (X.400 mail mapping information)',
  27: 'GPOS (Geographical Position)',
  28: 'AAAA (IPv6 Address)',
  29: 'LOC (Location Information)',
  30: 'NXT (Next Domain)',
  31: 'EID (Endpoint Identifier)',
  32: 'NIMLOC (Nimrod Locator)',
  33: 'SRV (Server Selection)',
  34: 'ATMA (ATM Address)',
  35: 'NAPTR (Naming Authority Pointer)',
  36: 'KX (Key Exchanger)',
  37: 'CERT',
  38: 'A6 (OBSOLETE - use AAAA)',
  39: 'DNAME',
  40: 'SINK',
  41: 'OPT',
  42: 'APL',
  43: 'DS (Delegation Signer)',
  44: 'SSHFP (SSH Key Fingerprint)',
  45: 'IPSECKEY',
  46: 'RRSIG (Resource Record Signature)',
  47: 'NSEC (Next Secure)',
  48: 'DNSKEY (DNS Public Key)',
  49: 'DHCID',
  50: 'NSEC3',
  51: 'NSEC3PARAM',
  52: 'TLSA',
  55: 'HIP (Host Identity Protocol)',
  57: 'RKEY',
  58: 'TALINK (Trust Anchor LINK)',
  59: 'CDS (Child DS)',
  60: 'CDNSKEY (DNSKEY(s) the Child wants reflected in DS)',
  61: 'OPENPGPKEY (OpenPGP Key)',
  62: 'CSYNC (Child-to-Parent Synchronization)',
  63: 'ZONEMD',
  64: 'SVCB (General Purpose Service Endpoints)',
  65: 'HTTPS (HTTPS Specific Service Endpoints)',
  99: 'SPF',
  100: 'UINFO',
  101: 'UID',
  102: 'GID',
  103: 'UNSPEC',
  104: 'NID (NodeID)',
  105: 'L32 (Locator32)',
  106: 'L64 (Locator64)',
  107: 'LP (Locator FQDN)',
  108: 'EUI48',
  109: 'EUI64',
  249: 'TKEY (Transaction Key)',
  250: 'TSIG (Transaction Signature)',
  251: 'IXFR (incremental transfer)',
  252: 'AXFR (transfer of an entire zone)',
  253: 'MAILB (mailbox-related RRs)',
  254: 'MAILA (mail agent RRs)',
  255: '* (A request for all records the server/cache has available)',
  256: 'URI',
  257: 'CAA (Certification Authority Restriction)',
  32768: 'TA (DNSSEC Trust Authorities)',
  32769: 'DLV (DNSSEC Lookaside Validation)',
  65281: 'WINS',
  65282: 'WINS-R',
  65422: 'XPF',
};

const CLASSES: Record<number, string> = { 1: 'IN', 2: 'CS', 3: 'CH', 4: 'HS', 254: 'NONE', 255: 'ANY' };

const OPT_CODES: Record<number, string> = {
  0: 'Reserved',
  1: 'LLQ - Long-lived query',
  2: 'UL - Update lease',
  3: 'NSID - Name Server Identifier',
  4: 'Owner (reserved)',
  5: 'DAU - DNSSEC Algorithm Understood (RFC6975)',
  6: 'DHU - DS Hash Understood (RFC6975)',
  7: 'N3U - NSEC3 Hash Understood (RFC6975)',
  0x50fa: 'Experimental - CSUBNET - Client subnet',
  8: 'CSUBNET - Client subnet',
  9: 'EDNS EXPIRE (RFC7314)',
  10: 'COOKIE',
  11: 'EDNS TCP Keepalive',
  12: 'PADDING',
  13: 'CHAIN',
  15: 'Extended DNS Error',
};

const DNSSEC_ALGOS: Record<number, string> = {
  1: 'RSA/MD5',
  2: 'Diffie-Hellman',
  3: 'DSA',
  4: 'Elliptic curve crypto',
  5: 'RSA/SHA1',
  6: 'DSA + NSEC3/SHA1',
  7: 'RSA/SHA1 + NSEC3/SHA1',
  8: 'RSA/SHA-256',
  10: 'RSA/SHA-512',
  12: 'GOST R 34.10-2001',
  13: 'ECDSA Curve P-256 with SHA-256',
  14: 'ECDSA Curve P-386 with SHA-386',
  15: 'Ed25519',
  16: 'Ed448',
  157: 'HMAC/MD5',
  252: 'Indirect key',
  253: 'Private, domain name',
  254: 'Private, OID',
};
const DS_DIGESTS: Record<number, string> = {
  0: 'Reserved digest',
  1: 'SHA-1',
  2: 'SHA-256',
  3: 'GOST R 34.11-94',
  4: 'SHA-384',
};
const SSHFP_ALGOS: Record<number, string> = {
  0: 'Reserved',
  1: 'RSA',
  2: 'DSA',
  3: 'ECDSA',
  4: 'Ed25519',
  5: 'XMSS',
};
const SSHFP_TYPES: Record<number, string> = { 0: 'Reserved', 1: 'SHA1', 2: 'SHA256' };
const NSEC3_HASHES: Record<number, string> = { 0: 'Reserved', 1: 'SHA-1' };
const TLSA_USAGES: Record<number, string> = {
  0: 'CA constraint (PKIX-TA)',
  1: 'Service certificate constraint (PKIX-EE)',
  2: 'Trust anchor assertion (DANE-TA)',
  3: 'Domain-issued certificate (DANE-EE)',
};
const TLSA_SELECTORS: Record<number, string> = {
  0: 'Full certificate (Cert)',
  1: 'SubjectPublicKeyInfo (SPKI)',
};
const TLSA_MATCHING: Record<number, string> = {
  0: 'No Hash Used (Full)',
  1: '256 bit hash by SHA2 (SHA2-256)',
  2: '512 bit hash by SHA2 (SHA2-512)',
};
const AFAMILIES: Record<number, string> = { 1: 'IPv4', 2: 'IPv6' };

/** Wireshark's ext-error info codes (a range string: 25–49151 unassigned, the rest private). */
const EXT_ERRORS = [
  'Other Error',
  'Unsupported DNSKEY Algorithm',
  'Unsupported DS Digest Type',
  'Stale Answer',
  'Forged Answer',
  'DNSSEC Indeterminate',
  'DNSSEC Bogus',
  'Signature Expired',
  'Signature Not Yet Valid',
  'DNSKEY Missing',
  'RRSIGs Missing',
  'No Zone Key Bit Set',
  'NSEC Missing',
  'Cached Error',
  'Not Ready',
  'Blocked',
  'Censored',
  'Filtered',
  'Prohibited',
  'Stale NXDomain Answer',
  'Not Authoritative',
  'Not Supported',
  'No Reachable Authority',
  'Network Error',
  'Invalid Data',
];

// ---- fields ------------------------------------------------------------------------------------

export const fields = defineFields('dns', 'Domain Name System', PLACE, {
  length: { name: 'Length', type: 'u16' },
  flags: { name: 'Flags', type: 'u16', base: 'hex' },
  'flags.response': {
    name: 'Response',
    type: 'bool',
    mask: 0x8000,
    tf: ['Message is a response', 'Message is a query'],
  },
  'flags.opcode': { name: 'Opcode', type: 'u16', mask: 0x7800, vals: OPCODES },
  'flags.authoritative': {
    name: 'Authoritative',
    type: 'bool',
    mask: 0x400,
    tf: ['Server is an authority for domain', 'Server is not an authority for domain'],
  },
  'flags.conflict': {
    name: 'Conflict',
    type: 'bool',
    mask: 0x400,
    tf: ['The sender received multiple responses', 'None'],
  },
  'flags.truncated': {
    name: 'Truncated',
    type: 'bool',
    mask: 0x200,
    tf: ['Message is truncated', 'Message is not truncated'],
  },
  'flags.recdesired': {
    name: 'Recursion desired',
    type: 'bool',
    mask: 0x100,
    tf: ['Do query recursively', "Don't do query recursively"],
  },
  'flags.tentative': { name: 'Tentative', type: 'bool', mask: 0x100, tf: ['Tentative', 'Not tentative'] },
  'flags.recavail': {
    name: 'Recursion available',
    type: 'bool',
    mask: 0x80,
    tf: ['Server can do recursive queries', "Server can't do recursive queries"],
  },
  'flags.z': { name: 'Z', type: 'bool', mask: 0x40, tf: ['reserved - incorrect!', 'reserved (0)'] },
  'flags.authenticated': {
    name: 'Answer authenticated',
    type: 'bool',
    mask: 0x20,
    tf: [
      'Answer/authority portion was authenticated by the server',
      'Answer/authority portion was not authenticated by the server',
    ],
  },
  'flags.checkdisable': {
    name: 'Non-authenticated data',
    type: 'bool',
    mask: 0x10,
    tf: ['Acceptable', 'Unacceptable'],
  },
  'flags.rcode': { name: 'Reply code', type: 'u16', mask: 0xf, vals: RCODES },
  id: { name: 'Transaction ID', type: 'u16', base: 'hex' },
  'count.queries': { name: 'Questions', type: 'u16' },
  'count.zones': { name: 'Zones', type: 'u16' },
  'count.answers': { name: 'Answer RRs', type: 'u16' },
  'count.prerequisites': { name: 'Prerequisites', type: 'u16' },
  'count.auth_rr': { name: 'Authority RRs', type: 'u16' },
  'count.updates': { name: 'Updates', type: 'u16' },
  'count.add_rr': { name: 'Additional RRs', type: 'u16' },
  'qry.name': { name: 'Name', type: 'string' },
  'qry.name.len': { name: 'Name Length', type: 'u16' },
  'count.labels': { name: 'Label Count', type: 'u16' },
  'qry.type': { name: 'Type', type: 'u16', vals: TYPE_DESCRIPTIONS },
  'qry.class': { name: 'Class', type: 'u16', base: 'hex', vals: CLASSES },
  'qry.qu': { name: '"QU" question', type: 'bool', mask: 0x8000 },
  'resp.name': { name: 'Name', type: 'string' },
  'resp.type': { name: 'Type', type: 'u16', vals: TYPE_DESCRIPTIONS },
  'resp.class': { name: 'Class', type: 'u16', base: 'hex', vals: CLASSES },
  'resp.cache_flush': { name: 'Cache flush', type: 'bool', mask: 0x8000 },
  'resp.ext_rcode': { name: 'Higher bits in extended RCODE', type: 'u8', base: 'hex' },
  'resp.edns0_version': { name: 'EDNS0 version', type: 'u8' },
  'resp.z': { name: 'Z', type: 'u16', base: 'hex' },
  'resp.z.do': {
    name: 'DO bit',
    type: 'bool',
    mask: 0x8000,
    tf: ['Accepts DNSSEC security RRs', 'Cannot handle DNSSEC security RRs'],
  },
  'resp.z.reserved': { name: 'Reserved', type: 'u16', base: 'hex', mask: 0x7fff },
  'resp.ttl': { name: 'Time to live', type: 'u32' },
  'resp.len': { name: 'Data length', type: 'u16' },
  'rr.udp_payload_size': { name: 'UDP payload size', type: 'u16' },
  'srv.service': { name: 'Service', type: 'string' },
  'srv.proto': { name: 'Protocol', type: 'string' },
  'srv.name': { name: 'Name', type: 'string' },
  'srv.priority': { name: 'Priority', type: 'u16' },
  'srv.weight': { name: 'Weight', type: 'u16' },
  'srv.port': { name: 'Port', type: 'u16' },
  'srv.target': { name: 'Target', type: 'string' },
  'naptr.order': { name: 'Order', type: 'u16' },
  'naptr.preference': { name: 'Preference', type: 'u16' },
  'naptr.flags_length': { name: 'Flags Length', type: 'u8' },
  'naptr.flags': { name: 'Flags', type: 'string' },
  'naptr.service_length': { name: 'Service Length', type: 'u8' },
  'naptr.service': { name: 'Service', type: 'string' },
  'naptr.regex_length': { name: 'Regex Length', type: 'u8' },
  'naptr.regex': { name: 'Regex', type: 'string' },
  'naptr.replacement_length': { name: 'Replacement Length', type: 'u8' },
  'naptr.replacement': { name: 'Replacement', type: 'string' },
  a: { name: 'Address', type: 'ipv4' },
  aaaa: { name: 'AAAA Address', type: 'ipv6' },
  md: { name: 'Mail Destination', type: 'string' },
  mf: { name: 'Mail Forwarder', type: 'string' },
  mb: { name: 'MailBox Domaine', type: 'string' },
  mg: { name: 'Mail Group member', type: 'string' },
  mr: { name: 'Mail Rename domaine', type: 'string' },
  null: { name: 'Null (data)', type: 'bytes' },
  cname: { name: 'CNAME', type: 'string' },
  dname: { name: 'Dname', type: 'string' },
  ns: { name: 'Name Server', type: 'string' },
  'soa.mname': { name: 'Primary name server', type: 'string' },
  'soa.rname': { name: "Responsible authority's mailbox", type: 'string' },
  'soa.serial_number': { name: 'Serial Number', type: 'u32' },
  'soa.refresh_interval': { name: 'Refresh Interval', type: 'u32' },
  'soa.retry_interval': { name: 'Retry Interval', type: 'u32' },
  'soa.expire_limit': { name: 'Expire limit', type: 'u32' },
  'soa.minimum_ttl': { name: 'Minimum TTL', type: 'u32' },
  'ptr.domain_name': { name: 'Domain Name', type: 'string' },
  'hinfo.cpu_length': { name: 'CPU Length', type: 'u8' },
  'hinfo.cpu': { name: 'CPU', type: 'string' },
  'hinfo.os_length': { name: 'OS Length', type: 'u8' },
  'hinfo.os': { name: 'OS', type: 'string' },
  'minfo.r': { name: 'Responsible Mailbox', type: 'string' },
  'minfo.e': { name: 'Error Mailbox', type: 'string' },
  'mx.preference': { name: 'Preference', type: 'u16' },
  'mx.mail_exchange': { name: 'Mail Exchange', type: 'string' },
  'txt.length': { name: 'TXT Length', type: 'u8' },
  txt: { name: 'TXT', type: 'string' },
  'spf.length': { name: 'SPF Length', type: 'u8' },
  spf: { name: 'SPF', type: 'string' },
  opt: { name: 'Option', type: 'none' },
  'opt.code': { name: 'Option Code', type: 'u16', vals: OPT_CODES },
  'opt.len': { name: 'Option Length', type: 'u16' },
  'opt.data': { name: 'Option Data', type: 'bytes' },
  'opt.dau': { name: 'DAU', type: 'u8', vals: DNSSEC_ALGOS },
  'opt.dhu': { name: 'DHU', type: 'u8', vals: DS_DIGESTS },
  'opt.n3u': { name: 'N3U', type: 'u8', vals: NSEC3_HASHES },
  'opt.client.family': { name: 'Family', type: 'u16', vals: AFAMILIES },
  'opt.client.netmask': { name: 'Source Netmask', type: 'u8' },
  'opt.client.scope': { name: 'Scope Netmask', type: 'u8' },
  'opt.client.addr': { name: 'Client Subnet', type: 'bytes' },
  'opt.client.addr4': { name: 'Client Subnet', type: 'ipv4' },
  'opt.client.addr6': { name: 'Client Subnet', type: 'ipv6' },
  'opt.cookie.client': { name: 'Client Cookie', type: 'bytes' },
  'opt.cookie.server': { name: 'Server Cookie', type: 'bytes' },
  'opt.edns_tcp_keepalive.timeout': { name: 'Timeout', type: 'u16' },
  'opt.padding': { name: 'Padding', type: 'bytes' },
  'opt.chain.fqdn': { name: 'Closest Trust Point', type: 'string' },
  'opt.ext_error.info_code': { name: 'Info Code', type: 'u16' },
  'opt.ext_error.extra_text': { name: 'Extra Text', type: 'string' },
  'ds.key_id': { name: 'Key id', type: 'u16', base: 'hex' },
  'ds.algorithm': { name: 'Algorithm', type: 'u8', vals: DNSSEC_ALGOS },
  'ds.digest_type': { name: 'Digest Type', type: 'u8', vals: DS_DIGESTS },
  'ds.digest': { name: 'Digest', type: 'bytes' },
  'sshfp.algorithm': { name: 'Algorithm', type: 'u8', vals: SSHFP_ALGOS },
  'sshfp.fingerprint.type': { name: 'Fingerprint type', type: 'u8', vals: SSHFP_TYPES },
  'sshfp.fingerprint': { name: 'Fingerprint', type: 'bytes' },
  'rrsig.type_covered': { name: 'Type Covered', type: 'u16', vals: TYPE_DESCRIPTIONS },
  'rrsig.algorithm': { name: 'Algorithm', type: 'u8', vals: DNSSEC_ALGOS },
  'rrsig.labels': { name: 'Labels', type: 'u8' },
  'rrsig.original_ttl': { name: 'Original TTL', type: 'u32' },
  'rrsig.signature_expiration': { name: 'Signature Expiration', type: 'abs_time', base: 'utc' },
  'rrsig.signature_inception': { name: 'Signature Inception', type: 'abs_time', base: 'utc' },
  'rrsig.key_tag': { name: 'Key Tag', type: 'u16' },
  'rrsig.signers_name': { name: "Signer's name", type: 'string' },
  'rrsig.signature': { name: 'Signature', type: 'bytes' },
  'nsec.next_domain_name': { name: 'Next Domain Name', type: 'string' },
  'dnskey.flags': { name: 'Flags', type: 'u16', base: 'hex' },
  'dnskey.flags.zone_key': {
    name: 'Zone Key',
    type: 'bool',
    mask: 0x100,
    tf: ['This is the zone key for specified zone', 'This it not a zone key'],
  },
  'dnskey.flags.key_revoked': { name: 'Key Revoked', type: 'bool', mask: 0x80, tf: ['Yes', 'No'] },
  'dnskey.flags.secure_entry_point': { name: 'Key Signing Key', type: 'bool', mask: 0x1, tf: ['Yes', 'No'] },
  'dnskey.flags.reserved': { name: 'Key Signing Key', type: 'u16', base: 'hex', mask: 0xfe7e },
  'dnskey.protocol': { name: 'Protocol', type: 'u8' },
  'dnskey.algorithm': { name: 'Algorithm', type: 'u8', vals: DNSSEC_ALGOS },
  'dnskey.key_id': { name: 'Key id', type: 'u16' },
  'dnskey.public_key': { name: 'Public Key', type: 'bytes' },
  'nsec3.algo': { name: 'Hash algorithm', type: 'u8', vals: NSEC3_HASHES },
  'nsec3.flags': { name: 'NSEC3 flags', type: 'u8' },
  'nsec3.flags.opt_out': {
    name: 'NSEC3 Opt-out flag',
    type: 'bool',
    mask: 0x1,
    tf: ['Additional insecure delegations allowed', 'Additional insecure delegations forbidden'],
  },
  'nsec3.iterations': { name: 'NSEC3 iterations', type: 'u16' },
  'nsec3.salt_length': { name: 'Salt length', type: 'u8' },
  'nsec3.salt_value': { name: 'Salt value', type: 'bytes' },
  'nsec3.hash_length': { name: 'Hash length', type: 'u8' },
  'nsec3.hash_value': { name: 'Next hashed owner', type: 'string' },
  'tlsa.certificate_usage': { name: 'Certificate Usage', type: 'u8', vals: TLSA_USAGES },
  'tlsa.selector': { name: 'Selector', type: 'u8', vals: TLSA_SELECTORS },
  'tlsa.matching_type': { name: 'Matching Type', type: 'u8', vals: TLSA_MATCHING },
  'tlsa.certificate_association_data': { name: 'Certificate Association Data', type: 'bytes' },
  'dhcid.rdata': { name: 'DHCID Data', type: 'bytes' },
  'caa.flags': { name: 'CAA Flags', type: 'u8', base: 'hex' },
  'caa.flags.issuer_critical': {
    name: 'Issuer Critical',
    type: 'bool',
    mask: 0x80,
    tf: ['Critical', 'Not critical'],
  },
  'caa.issue': { name: 'Issue', type: 'string' },
  'caa.issuewild': { name: 'Issue Wildcard', type: 'string' },
  'caa.iodef': { name: 'Report URL', type: 'string' },
  'caa.unknown': { name: 'Unknown tag', type: 'string' },
  'caa.tag_length': { name: 'Tag length', type: 'u8' },
  'caa.tag': { name: 'Tag', type: 'string' },
  'caa.value': { name: 'Value', type: 'string' },
  data: { name: 'Data', type: 'bytes' },
  'extraneous.data': { name: 'Extraneous Data Bytes', type: 'bytes' },
  'extraneous.length': { name: 'Extraneous Data Length', type: 'i32' },
  response_in: { name: 'Response In', type: 'framenum' },
  response_to: { name: 'Request In', type: 'framenum' },
  retransmission: { name: 'Retransmission', type: 'bool' },
  retransmit_request_in: { name: 'Retransmitted request. Original request in', type: 'framenum' },
  retransmit_response_in: { name: 'Retransmitted response. Original response in', type: 'framenum' },
  time: { name: 'Time', type: 'rel_time' },
  unsolicited: { name: 'Unsolicited', type: 'bool' },
  'rr.opt.bad_length': { name: 'Length too long for any type of IP address.', type: 'none' },
  'undecoded.type': { name: 'Undecoded option', type: 'none' },
  'depr.opc': { name: 'Deprecated opcode', type: 'none' },
  'ttl.high_bit_set': { name: 'The uppermost bit of the TTL is set (RFC 2181, section 8)', type: 'none' },
  key_id_buffer_too_short: { name: 'Buffer too short to compute a key id', type: 'none' },
  retransmit_request: { name: 'DNS query retransmission', type: 'none' },
  retransmit_response: { name: 'DNS response retransmission', type: 'none' },
  extraneous: { name: 'Extraneous data', type: 'none' },
  // Wireshark's tcp_dissect_pdus writes this into the TCP tree; see the header comment.
  '=tcp.pdu.size': { name: 'PDU Size', type: 'u32' },
});

const mdnsFields = defineFields('mdns', 'Multicast Domain Name System', PLACE, {});
const llmnrFields = defineFields('llmnr', 'Link-local Multicast Name Resolution', PLACE, {});

const F = fields;

/** Twins Wireshark registers under the same filter name with another label or mask. */
const AD_BIT: FieldDef = { ...F['flags.authenticated'], name: 'AD bit', tf: ['Set', 'Not set'] };
const CONFLICT_RESPONSE: FieldDef = {
  ...F['flags.conflict'],
  tf: ['The name is not considered unique', 'The name is considered unique'],
};
const QRY_CLASS_MDNS: FieldDef = { ...F['qry.class'], mask: 0x7fff };
const RESP_CLASS_MDNS: FieldDef = { ...F['resp.class'], mask: 0x7fff };
const PAYLOAD_SIZE_MDNS: FieldDef = { ...F['rr.udp_payload_size'], mask: 0x7fff, base: 'hex' };

// ---- constants -----------------------------------------------------------------------------------

const HDRLEN = 12;
/** Wireshark's MAX_DNAME_LEN: the name buffer, one byte of which the first label also takes. */
const MAX_DNAME = 255;
const F_RESPONSE = 0x8000;
const F_AUTHENTIC = 0x20;
const OPCODE_UPDATE = 5;
const T_OPT = 41;
/** Wireshark's COL_MAX_INFO_LEN, less its terminating NUL. */
const INFO_MAX = 4095;
/** Two requests with one id this close together (seconds) are a retransmission (Wireshark's default). */
const RETRANSMISSION_TIMER = 5;

// ---- names (RFC 1035 §3.1, §4.1.4) ---------------------------------------------------------------

/** Thrown for what Wireshark treats as a malformed message (its ReportedBoundsError). */
class Malformed extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

interface Name {
  /** Bytes the name takes where it starts (a pointer ends it). */
  used: number;
  /** The display text (format_text of the bytes), '' unless wanted. */
  text: string;
  /** Wireshark's name_len: characters of the expanded name, or of its placeholder. */
  len: number;
  /** Dots in the expanded name (for dns.count.labels). */
  dots: number;
}

const LOOPS = '<Name contains a pointer that loops>';
const TOO_LONG = '<Name too long>';
const ROOT = '<Root>';

/**
 * Reads a (possibly compressed) name at `at` the way Wireshark 4.0's get_dns_name does: labels
 * are copied into a 255-byte buffer (what does not fit makes the name `<Name too long>`); a
 * pointer is followed from the message start `msg`; a pointer to itself + 2 or more than 255
 * pointers is a loop (`<Name contains a pointer that loops>`); label types 0x40 and 0x80 are
 * malformed; reading past the message is a short read (truncated or malformed). `want` builds
 * the text; the walk and its errors are the same either way.
 */
function readName(c: Cursor, at: number, msg: number, want: boolean): Name {
  const start = at;
  let off = at;
  let len = -1;
  let pointers = 0;
  let maxname = MAX_DNAME;
  let written = 0;
  let dots = 0;
  let first = -1;
  const bytes: number[] | null = want ? [] : null;
  for (;;) {
    const comp = c.getU8(off);
    off++;
    if (comp === 0) break;
    switch (comp & 0xc0) {
      case 0x00: {
        if (written > 0) {
          if (maxname > 0) {
            bytes?.push(0x2e);
            written++;
            dots++;
            maxname--;
          }
        } else {
          maxname--;
        }
        let n = comp;
        c.check(off, n);
        while (n > 0) {
          if (maxname > 0) {
            const b = c.data[off];
            if (first < 0) first = b;
            if (b === 0x2e) dots++;
            bytes?.push(b);
            written++;
            maxname--;
          }
          n--;
          off++;
        }
        break;
      }
      case 0xc0: {
        const target = msg + (((comp & 0x3f) << 8) | c.getU8(off));
        off++;
        pointers++;
        if (len < 0) len = off - start;
        // Wireshark 4.0 checks `indir_offset == offset + 2` (two bytes past the pointer's end),
        // not a pointer to itself; other loops end after MAX_DNAME_LEN pointers.
        if (target === off + 2 || pointers > MAX_DNAME) {
          if (len < 1) throw new Malformed('name ends before it starts', start);
          return { used: len, text: LOOPS, len: LOOPS.length, dots: 0 };
        }
        off = target;
        break;
      }
      default:
        throw new Malformed(
          `label type 0x${(comp & 0xc0).toString(16)} at offset ${off - 1} (RFC 1035 §4.1.4 reserves it)`,
          off - 1,
        );
    }
  }
  if (len < 0) len = off - start;
  if (maxname <= 0) return { used: len, text: TOO_LONG, len: TOO_LONG.length, dots: 0 };
  // get_dns_name: an empty name (or one starting with a NUL byte) of at most 2 bytes is the root.
  if ((written === 0 || first === 0) && len <= 2) return { used: len, text: ROOT, len: ROOT.length, dots: 0 };
  if (len < 2 || (len > 2 && written === 0)) throw new Malformed('name is not terminated', start);
  return { used: len, text: bytes ? formatText(bytes) : '', len: written, dots };
}

/**
 * Wireshark's format_text: printable ASCII as it is, other ASCII as a C escape (`\n`, `\000`),
 * UTF-8 sequences decoded, each byte of an invalid one as U+FFFD.
 */
export function formatText(b: ArrayLike<number>, escape = true): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    const x = b[i];
    if ((x >= 0x20 && x < 0x7f) || (!escape && x < 0x80)) {
      s += String.fromCharCode(x);
    } else if (x < 0x80) {
      s += ESCAPES[x] ?? '\\' + x.toString(8).padStart(3, '0');
    } else {
      const n = x >= 0xf0 && x < 0xf5 ? 3 : x >= 0xe0 ? 2 : x >= 0xc2 && x < 0xe0 ? 1 : -1;
      let cp = n === 3 ? x & 0x07 : n === 2 ? x & 0x0f : x & 0x1f;
      let ok = n > 0 && i + n < b.length + 0;
      for (let k = 1; ok && k <= n; k++) {
        const y = b[i + k];
        if (y === undefined || (y & 0xc0) !== 0x80) ok = false;
        else cp = (cp << 6) | (y & 0x3f);
      }
      if (
        ok &&
        ((n === 2 && (cp < 0x800 || (cp >= 0xd800 && cp < 0xe000))) ||
          (n === 3 && (cp < 0x10000 || cp > 0x10ffff)))
      )
        ok = false;
      if (ok) {
        s += String.fromCodePoint(cp);
        i += n;
      } else {
        s += '\ufffd';
      }
    }
  }
  return s;
}
const ESCAPES: Record<number, string> = {
  7: '\\a',
  8: '\\b',
  9: '\\t',
  10: '\\n',
  11: '\\v',
  12: '\\f',
  13: '\\r',
};

/** format_text over a string already decoded: control characters escaped, the rest kept. */
export function formatString(s: string): string {
  if (!/[\x00-\x1f\x7f]/.test(s)) return s;
  let out = '';
  for (const ch of s) {
    const x = ch.charCodeAt(0);
    out += x < 0x20 || x === 0x7f ? (ESCAPES[x] ?? '\\' + x.toString(8).padStart(3, '0')) : ch;
  }
  return out;
}

/** An FT_STRING value: a C string, so it ends at the first NUL. */
function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

/** `1 day, 2 hours, 3 minutes, 4 seconds`, as Wireshark's unsigned_time_secs_to_str. */
export function secsText(t: number): string {
  if (t === 0) return '0 seconds';
  const parts: string[] = [];
  const secs = t % 60;
  let v = Math.floor(t / 60);
  const mins = v % 60;
  v = Math.floor(v / 60);
  const hours = v % 24;
  const days = Math.floor(v / 24);
  const add = (n: number, unit: string) => parts.push(`${n} ${unit}${n === 1 ? '' : 's'}`);
  if (days) add(days, 'day');
  if (hours) add(hours, 'hour');
  if (mins) add(mins, 'minute');
  if (secs) add(secs, 'second');
  return parts.join(', ');
}

function valText(vals: Readonly<Record<number, string>>, v: number, unknown = 'Unknown'): string {
  return vals[v] ?? `${unknown} (${v})`;
}

function hex(v: number, digits: number): string {
  return '0x' + v.toString(16).padStart(digits, '0');
}

// ---- per-capture state ---------------------------------------------------------------------------

interface Transaction {
  id: number;
  reqFrame: number;
  repFrame: number;
  reqSec: number;
  reqNsec: number;
  multiple: boolean;
}

interface DnsState {
  /** Transactions per conversation and id, in the order their requests were seen. */
  conversations: Map<string, Map<number, Transaction[]>>;
}

function dnsState(p: PacketInfo): DnsState {
  return p.session.state('dns', () => {
    const st: DnsState = { conversations: new Map() };
    p.session.onStreamClosed((tcp) => st.conversations.delete(`tcp${tcp}`));
    return st;
  });
}

/** Wireshark keys DNS transactions by conversation: the stream when there is one, else the addresses. */
function conversationKey(p: PacketInfo): string {
  if (p.stream >= 0 && p.ptype) return `${p.ptype}${p.stream}`;
  const a = p.netSrc ? bytesHex(p.netSrc) : '';
  const b = p.netDst ? bytesHex(p.netDst) : '';
  const x = `${a}:${p.srcport}`;
  const y = `${b}:${p.dstport}`;
  return x < y ? `${p.ptype}|${x}|${y}` : `${p.ptype}|${y}|${x}`;
}

/** The latest transaction with this id whose request came at or before `frame` (wmem_tree_lookup32_array_le). */
function lookup(list: Transaction[] | undefined, frame: number): Transaction | null {
  if (!list) return null;
  for (let i = list.length - 1; i >= 0; i--) if (list[i].reqFrame <= frame) return list[i];
  return null;
}

function deltaNs(sec: number, nsec: number, sec0: number, nsec0: number): number {
  return (sec - sec0) * 1e9 + (nsec - nsec0);
}

function timeOf(ns: number): Timestamp {
  const neg = ns < 0;
  const a = Math.abs(ns);
  const sec = Math.floor(a / 1e9);
  const nsec = Math.round(a - sec * 1e9);
  return neg ? { sec: -sec, nsec: -nsec } : { sec, nsec };
}

// ---- one message ---------------------------------------------------------------------------------

type Kind = 'dns' | 'mdns' | 'llmnr';

/** What one message's dissection needs besides the cursor. */
interface Ctx {
  c: Cursor;
  p: PacketInfo;
  /** Offset of the DNS header (after the TCP length prefix). */
  msg: number;
  mdns: boolean;
  /** Names and Info text are wanted (tree or columns). */
  want: boolean;
  cols: boolean;
  info: string;
}

function appendInfo(x: Ctx, s: string): void {
  if (x.cols && x.info.length < INFO_MAX) x.p.columns.info = x.info = (x.info + s).slice(0, INFO_MAX);
}

/** A bit field with Wireshark's label, `Unknown (n)` for values its value string lacks. */
function bitField(c: Cursor, f: FieldDef, raw: number, at: number, len: number, text?: string): number {
  let shift = 0;
  while (shift < 16 && ((f.mask >> shift) & 1) === 0) shift++;
  const v = (raw & f.mask) >>> shift;
  if (c.tree) {
    const shown =
      text ??
      (f.type === 'bool'
        ? f.tf
          ? v
            ? f.tf[0]
            : f.tf[1]
          : v
            ? 'True'
            : 'False'
        : f.vals
          ? `${f.vals[v] ?? 'Unknown'} (${v})`
          : f.base === 'hex'
            ? hex(v, Math.ceil(bitWidth(f.mask) / 4))
            : String(v));
    const it = c.add(
      f,
      at,
      len,
      f.type === 'bool' ? v !== 0 : v,
      `${bitPicture(raw, f.mask, len)} = ${f.name}: ${shown}`,
    );
    if (it) it.mask = f.mask;
  }
  return v;
}

function bitWidth(mask: number): number {
  let m = mask;
  while (m && (m & 1) === 0) m >>>= 1;
  let n = 0;
  while (m) {
    n++;
    m >>>= 1;
  }
  return n;
}

/** A numeric field with a value string, `Unknown (n)` when the value has no name. */
function numField(c: Cursor, f: FieldDef, at: number, len: number, v: number): Item | null {
  if (!c.tree) return null;
  const n = f.base === 'hex' ? hex(v, len * 2) : String(v);
  const label = f.vals ? `${f.name}: ${f.vals[v] ?? 'Unknown'} (${n})` : `${f.name}: ${n}`;
  return c.add(f, at, len, v, label);
}

/**
 * A bytes field read from the wire. tshark 4.0 shows a zero-length one added this way as
 * `<MISSING>` (tree and -T fields alike), so that is its value then.
 */
function bytesItem(c: Cursor, f: FieldDef, at: number, len: number): Item | null {
  if (len < 0)
    throw new Malformed(
      `${f.name} has a negative length (${len}): the record is shorter than its fixed part`,
      at,
    );
  c.check(at, len);
  if (!c.tree) return null;
  return len ? c.add(f, at, len, c.getBytes(at, len)) : c.add(f, at, 0, '<MISSING>', `${f.name}: <MISSING>`);
}

/** A string item; the tree shows it through format_text, as Wireshark labels FT_STRING. */
function strField(c: Cursor, f: FieldDef, at: number, len: number, v: string): Item | null {
  return c.tree ? c.add(f, at, len, v, fitLabel(`${f.name}: ${formatString(v)}`, f.name.length)) : null;
}

/**
 * Wireshark's tree lines hold ITEM_LABEL_LENGTH (240) bytes: a longer one is cut, with
 * " [truncated]" after the field name (label_mark_truncated), as tshark 4.0 shows it.
 */
function fitLabel(label: string, namePos: number): string {
  if (label.length < 240) return label;
  return (label.slice(0, namePos) + ' [truncated]' + label.slice(namePos)).slice(0, 238);
}

/** ASCII text of a character-string (Wireshark's ENC_ASCII: bytes above 0x7f become U+FFFD). */
function asciiAt(c: Cursor, at: number, n: number): string {
  const b = c.getBytes(at, n);
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i] < 0x80 ? String.fromCharCode(b[i]) : '\ufffd';
  return cString(s);
}

/** UTF-8 text (ENC_UTF_8: invalid bytes become U+FFFD), as an FT_STRING value. */
function utf8At(c: Cursor, at: number, n: number): string {
  return cString(formatText(c.getBytes(at, n), false));
}

function dissectQuery(x: Ctx, at: number): { used: number; multiple: boolean } {
  const c = x.c;
  const name = readName(c, at, x.msg, x.want);
  const nameEnd = at + name.used;
  const type = c.getU16(nameEnd);
  let cls = c.getU16(nameEnd + 2);
  let qu = 0;
  if (x.mdns) {
    qu = cls & 0x8000;
    cls &= 0x7fff;
  }
  const used = name.used + 4;
  if (x.want) {
    const typeName = valText(TYPES, type);
    appendInfo(x, ` ${typeName} ${name.text}`);
    if (x.mdns) appendInfo(x, `, "${qu ? 'QU' : 'QM'}" question`);
    if (c.tree) {
      const q = c.label(
        fitLabel(
          `${name.text}: type ${typeName}, class ${CLASSES[cls] ?? 'Unknown'}${x.mdns ? `, "${qu ? 'QU' : 'QM'}" question` : ''}`,
          0,
        ),
        at,
        used,
      );
      c.within(q, () => {
        strField(c, F['qry.name'], at, name.used, name.text);
        const l = name.len > 1 ? name.len : 0;
        gen(c.add(F['qry.name.len'], at, name.used, l, `Name Length: ${l}`));
        const labels = name.len > 1 ? name.dots + 1 : 0;
        gen(c.add(F['count.labels'], at, name.used, labels, `Label Count: ${labels}`));
        numField(c, F['qry.type'], nameEnd, 2, type);
        if (x.mdns) {
          bitField(
            c,
            QRY_CLASS_MDNS,
            cls | qu,
            nameEnd + 2,
            2,
            `${CLASSES[cls] ?? 'Unknown'} (${hex(cls, 4)})`,
          );
          bitField(c, F['qry.qu'], cls | qu, nameEnd + 2, 2);
        } else {
          numField(c, F['qry.class'], nameEnd + 2, 2, cls);
        }
      });
    }
  }
  return { used, multiple: type === 252 || type === 251 };
}

/** One resource record; returns the bytes it takes. */
function dissectRr(x: Ctx, at: number): number {
  const c = x.c;
  const want = x.want;
  const name = readName(c, at, x.msg, want);
  const nameEnd = at + name.used;
  const type = c.getU16(nameEnd);
  let cls = c.getU16(nameEnd + 2);
  const flush = x.mdns ? cls & 0x8000 : 0;
  if (x.mdns) cls &= 0x7fff;
  const dataLen = c.getU16(nameEnd + 8);
  const rdata = nameEnd + 10;
  const typeName = valText(TYPES, type);
  appendInfo(x, ` ${typeName}`);
  if (flush) appendInfo(x, ', cache flush');
  // Wireshark's RR subtree covers the whole record: one that runs past the message stops here.
  c.check(at, 10 + name.used + dataLen);
  let rr: Item | null = null;
  if (c.tree) {
    const summary =
      type === T_OPT
        ? `${name.text}: type ${typeName}`
        : `${name.text}: type ${typeName}, class ${CLASSES[cls] ?? 'Unknown'}`;
    rr = c.label(summary, at, 10 + name.used + dataLen);
    c.within(rr, () => (type === T_OPT ? optHeader(x, at, name, type) : rrHeader(x, at, name, type)));
    if (rr && flush) rr.label += ', cache flush';
  }
  if (dataLen === 0) {
    if (rr) rr.label = fitLabel(rr.label, 0);
    return name.used + 10;
  }
  try {
    c.within(rr, () => rdataOf(x, rr, type, name, rdata, dataLen));
  } finally {
    if (rr) rr.label = fitLabel(rr.label, 0);
  }
  return name.used + 10 + dataLen;
}

function rrHeader(x: Ctx, at: number, name: Name, type: number): void {
  const c = x.c;
  const nameEnd = at + name.used;
  if (type === 33 && name.text) {
    // Wireshark splits an SRV owner name in three at its first two dots (RFC 2782 _service._proto.name).
    const parts = name.text.split('.');
    const rest = parts.length > 2 ? parts.slice(2).join('.') : undefined;
    strField(c, F['srv.service'], at, name.used, parts[0]);
    if (parts.length > 1) {
      strField(c, F['srv.proto'], at, name.used, parts[1]);
      if (rest !== undefined) strField(c, F['srv.name'], at, name.used, rest);
    }
  } else {
    strField(c, F['resp.name'], at, name.used, name.text);
  }
  numField(c, F['resp.type'], nameEnd, 2, type);
  const raw = c.getU16(nameEnd + 2);
  if (x.mdns) {
    bitField(
      c,
      RESP_CLASS_MDNS,
      raw,
      nameEnd + 2,
      2,
      `${CLASSES[raw & 0x7fff] ?? 'Unknown'} (${hex(raw & 0x7fff, 4)})`,
    );
    bitField(c, F['resp.cache_flush'], raw, nameEnd + 2, 2);
  } else {
    numField(c, F['resp.class'], nameEnd + 2, 2, raw);
  }
  const ttl = c.getU32(nameEnd + 4);
  const ttlItem = c.add(F['resp.ttl'], nameEnd + 4, 4, ttl, `Time to live: ${ttl} (${secsText(ttl)})`);
  if (ttl & 0x80000000)
    c.within(ttlItem, () =>
      expertItem(
        c,
        F['ttl.high_bit_set'],
        'warn',
        'protocol',
        'The uppermost bit of the TTL is set (RFC 2181, section 8)',
        nameEnd + 4,
      ),
    );
  c.add(F['resp.len'], nameEnd + 8, 2, c.getU16(nameEnd + 8));
}

function optHeader(x: Ctx, at: number, name: Name, type: number): void {
  const c = x.c;
  const nameEnd = at + name.used;
  strField(c, F['resp.name'], at, name.used, name.text);
  numField(c, F['resp.type'], nameEnd, 2, type);
  const size = c.getU16(nameEnd + 2);
  if (x.mdns) {
    bitField(c, PAYLOAD_SIZE_MDNS, size, nameEnd + 2, 2);
    bitField(c, F['resp.cache_flush'], size, nameEnd + 2, 2);
  } else {
    c.add(F['rr.udp_payload_size'], nameEnd + 2, 2, size);
  }
  c.add(
    F['resp.ext_rcode'],
    nameEnd + 4,
    1,
    c.getU8(nameEnd + 4),
    `Higher bits in extended RCODE: ${hex(c.getU8(nameEnd + 4), 2)}`,
  );
  c.add(F['resp.edns0_version'], nameEnd + 5, 1, c.getU8(nameEnd + 5));
  const z = c.getU16(nameEnd + 6);
  const zi = c.add(F['resp.z'], nameEnd + 6, 2, z, `Z: ${hex(z, 4)}`);
  c.within(zi, () => {
    bitField(c, F['resp.z.do'], z, nameEnd + 6, 2);
    bitField(c, F['resp.z.reserved'], z, nameEnd + 6, 2, hex(z & 0x7fff, 4));
  });
  c.add(F['resp.len'], nameEnd + 8, 2, c.getU16(nameEnd + 8));
}

/** A domain name inside RDATA, as an item; returns the name. */
function nameItem(x: Ctx, f: FieldDef | null, at: number): Name {
  const n = readName(x.c, at, x.msg, x.want);
  if (f) strField(x.c, f, at, n.used, n.text);
  return n;
}

function rdataOf(x: Ctx, rr: Item | null, type: number, owner: Name, at: number, len: number): void {
  const c = x.c;
  const tree = c.tree;
  const append = (s: string) => {
    if (rr) rr.label += s;
  };
  let cur = at;
  switch (type) {
    case 1: {
      const b = c.getBytes(cur, 4);
      const t = x.want ? ipv4Text(b) : '';
      appendInfo(x, ` ${t}`);
      append(`, addr ${t}`);
      if (tree) c.add(F.a, cur, 4, b);
      break;
    }
    case 28: {
      const b = c.getBytes(cur, 16);
      const t = x.want ? ipv6Text(b) : '';
      appendInfo(x, ` ${t}`);
      append(`, addr ${t}`);
      if (tree) c.add(F.aaaa, cur, 16, b);
      break;
    }
    case 2:
    case 5:
    case 12:
    case 39: {
      const f = type === 2 ? F.ns : type === 5 ? F.cname : type === 12 ? F['ptr.domain_name'] : F.dname;
      const n = readName(c, cur, x.msg, x.want);
      appendInfo(x, ` ${n.text}`);
      append(
        type === 2
          ? `, ns ${n.text}`
          : type === 5
            ? `, cname ${n.text}`
            : type === 12
              ? `, ${n.text}`
              : `, dname ${n.text}`,
      );
      strField(c, f, cur, n.used, n.text);
      break;
    }
    case 3:
    case 4:
    case 7:
    case 8:
    case 9: {
      // Wireshark puts the owner name, not the RDATA name, in Info for these obsolete types.
      appendInfo(x, ` ${owner.text}`);
      const f = type === 3 ? F.md : type === 4 ? F.mf : type === 7 ? F.mb : type === 8 ? F.mg : F.mr;
      nameItem(x, f, cur);
      break;
    }
    case 6: {
      const m = nameItem(x, F['soa.mname'], cur);
      appendInfo(x, ` ${m.text}`);
      append(`, mname ${m.text}`);
      cur += m.used;
      cur += nameItem(x, F['soa.rname'], cur).used;
      c.add(F['soa.serial_number'], cur, 4, c.getU32(cur));
      cur += 4;
      for (const f of [
        F['soa.refresh_interval'],
        F['soa.retry_interval'],
        F['soa.expire_limit'],
        F['soa.minimum_ttl'],
      ]) {
        const v = c.getU32(cur);
        c.add(f, cur, 4, v, `${f.name}: ${v} (${secsText(v)})`);
        cur += 4;
      }
      break;
    }
    case 10:
      appendInfo(x, ` ${owner.text}`);
      bytesItem(c, F.null, cur, len);
      break;
    case 13: {
      const cpuLen = c.getU8(cur);
      const cpu = asciiAt(c, cur + 1, cpuLen);
      const osAt = cur + 1 + cpuLen;
      const osLen = c.getU8(osAt);
      const os = asciiAt(c, osAt + 1, osLen);
      appendInfo(x, ` ${cpu} ${os}`);
      append(`, CPU ${cpu}, OS ${os}`);
      c.add(F['hinfo.cpu_length'], cur, 1, cpuLen);
      strField(c, F['hinfo.cpu'], cur + 1, cpuLen, cpu);
      c.add(F['hinfo.os_length'], osAt, 1, osLen);
      strField(c, F['hinfo.os'], osAt + 1, osLen, os);
      break;
    }
    case 14: {
      appendInfo(x, ` ${owner.text}`);
      cur += nameItem(x, F['minfo.r'], cur).used;
      nameItem(x, F['minfo.e'], cur);
      break;
    }
    case 15: {
      const pref = c.getU16(cur);
      const n = readName(c, cur + 2, x.msg, x.want);
      appendInfo(x, ` ${pref} ${n.text}`);
      append(`, preference ${pref}, mx ${n.text}`);
      c.add(F['mx.preference'], cur, 2, pref);
      strField(c, F['mx.mail_exchange'], cur + 2, n.used, n.text);
      break;
    }
    case 16:
    case 99: {
      const [lf, tf] = type === 16 ? [F['txt.length'], F.txt] : [F['spf.length'], F.spf];
      let rem = len;
      while (rem !== 0) {
        const n = c.getU8(cur);
        c.add(lf, cur, 1, n);
        cur++;
        rem--;
        const s = x.mdns && type === 16 ? utf8At(c, cur, n) : asciiAt(c, cur, n);
        strField(c, tf, cur, n, s);
        cur += n;
        // RFC 1035 §3.3.14: the strings fill RDATA exactly. Like Wireshark, a string that
        // overruns it makes the walk read on (the count never returns to 0) until the message ends.
        rem -= n;
      }
      break;
    }
    case 33: {
      const pri = c.getU16(cur);
      const weight = c.getU16(cur + 2);
      const port = c.getU16(cur + 4);
      c.add(F['srv.priority'], cur, 2, pri);
      c.add(F['srv.weight'], cur + 2, 2, weight);
      c.add(F['srv.port'], cur + 4, 2, port);
      const n = nameItem(x, F['srv.target'], cur + 6);
      appendInfo(x, ` ${pri} ${weight} ${port} ${n.text}`);
      append(`, priority ${pri}, weight ${weight}, port ${port}, target ${n.text}`);
      break;
    }
    case 35: {
      const order = c.getU16(cur);
      const pref = c.getU16(cur + 2);
      c.add(F['naptr.order'], cur, 2, order);
      c.add(F['naptr.preference'], cur + 2, 2, pref);
      cur += 4;
      let flags = '';
      for (const [lf, sf] of [
        [F['naptr.flags_length'], F['naptr.flags']],
        [F['naptr.service_length'], F['naptr.service']],
        [F['naptr.regex_length'], F['naptr.regex']],
      ] as const) {
        const n = c.getU8(cur);
        c.add(lf, cur, 1, n);
        const s = asciiAt(c, cur + 1, n);
        if (sf === F['naptr.flags']) flags = s;
        strField(c, sf, cur + 1, n, s);
        cur += 1 + n;
      }
      const r = readName(c, cur, x.msg, x.want);
      gen(c.add(F['naptr.replacement_length'], cur, 0, r.len));
      strField(c, F['naptr.replacement'], cur, r.used, r.text);
      appendInfo(x, ` ${order} ${pref} ${flags}`);
      append(`, order ${order}, preference ${pref}, flags ${flags}`);
      break;
    }
    case T_OPT:
      optionsOf(x, cur, len);
      break;
    case 43:
    case 59:
    case 32769: {
      numField(c, F['ds.key_id'], cur, 2, c.getU16(cur));
      numField(c, F['ds.algorithm'], cur + 2, 1, c.getU8(cur + 2));
      numField(c, F['ds.digest_type'], cur + 3, 1, c.getU8(cur + 3));
      bytesItem(c, F['ds.digest'], cur + 4, len - 4);
      break;
    }
    case 44: {
      numField(c, F['sshfp.algorithm'], cur, 1, c.getU8(cur));
      numField(c, F['sshfp.fingerprint.type'], cur + 1, 1, c.getU8(cur + 1));
      if (len - 2 !== 0) {
        bytesItem(c, F['sshfp.fingerprint'], cur + 2, len - 2);
      }
      break;
    }
    case 24:
    case 46: {
      numField(c, F['rrsig.type_covered'], cur, 2, c.getU16(cur));
      numField(c, F['rrsig.algorithm'], cur + 2, 1, c.getU8(cur + 2));
      c.add(F['rrsig.labels'], cur + 3, 1, c.getU8(cur + 3));
      const ottl = c.getU32(cur + 4);
      c.add(F['rrsig.original_ttl'], cur + 4, 4, ottl, `Original TTL: ${ottl} (${secsText(ottl)})`);
      c.add(F['rrsig.signature_expiration'], cur + 8, 4, { sec: c.getU32(cur + 8), nsec: 0 });
      c.add(F['rrsig.signature_inception'], cur + 12, 4, { sec: c.getU32(cur + 12), nsec: 0 });
      c.add(F['rrsig.key_tag'], cur + 16, 2, c.getU16(cur + 16));
      const n = nameItem(x, F['rrsig.signers_name'], cur + 18);
      const rest = len - 18 - n.used;
      if (rest !== 0) {
        bytesItem(c, F['rrsig.signature'], cur + 18 + n.used, rest);
      }
      break;
    }
    case 47: {
      const n = nameItem(x, F['nsec.next_domain_name'], cur);
      appendInfo(x, ` ${n.text}`);
      append(`, next domain name ${n.text}`);
      typeBitmap(x, cur + n.used, len - n.used);
      break;
    }
    case 48:
    case 60: {
      const flags = c.getU16(cur);
      const fi = c.add(F['dnskey.flags'], cur, 2, flags, `Flags: ${hex(flags, 4)}`);
      c.within(fi, () => {
        bitField(c, F['dnskey.flags.zone_key'], flags, cur, 2);
        bitField(c, F['dnskey.flags.key_revoked'], flags, cur, 2);
        bitField(c, F['dnskey.flags.secure_entry_point'], flags, cur, 2);
        bitField(c, F['dnskey.flags.reserved'], flags, cur, 2, hex(flags & 0xfe7e, 4));
      });
      c.add(F['dnskey.protocol'], cur + 2, 1, c.getU8(cur + 2));
      const algo = c.getU8(cur + 3);
      numField(c, F['dnskey.algorithm'], cur + 3, 1, algo);
      keyId(x, cur, len, algo);
      bytesItem(c, F['dnskey.public_key'], cur + 4, len - 4);
      break;
    }
    case 49:
      appendInfo(x, ` ${owner.text}`);
      bytesItem(c, F['dhcid.rdata'], cur, len);
      break;
    case 50:
    case 51: {
      if (type === 51) appendInfo(x, ` ${owner.text}`);
      numField(c, F['nsec3.algo'], cur, 1, c.getU8(cur));
      const flags = c.getU8(cur + 1);
      const fl = c.add(F['nsec3.flags'], cur + 1, 1, flags);
      if (type === 50) c.within(fl, () => bitField(c, F['nsec3.flags.opt_out'], flags, cur + 1, 1));
      c.add(F['nsec3.iterations'], cur + 2, 2, c.getU16(cur + 2));
      const salt = c.getU8(cur + 4);
      c.add(F['nsec3.salt_length'], cur + 4, 1, salt);
      bytesItem(c, F['nsec3.salt_value'], cur + 5, salt);
      if (type === 51) break;
      cur += 5 + salt;
      const hashLen = c.getU8(cur);
      c.add(F['nsec3.hash_length'], cur, 1, hashLen);
      cur++;
      if (hashLen) {
        const h = c.getBytes(cur, hashLen);
        if (tree) gen(c.add(F['nsec3.hash_value'], cur, hashLen, base32hex(h)));
        cur += hashLen;
      }
      typeBitmap(x, cur, len - (cur - at));
      break;
    }
    case 52: {
      appendInfo(x, ` ${owner.text}`);
      numField(c, F['tlsa.certificate_usage'], cur, 1, c.getU8(cur));
      numField(c, F['tlsa.selector'], cur + 1, 1, c.getU8(cur + 1));
      numField(c, F['tlsa.matching_type'], cur + 2, 1, c.getU8(cur + 2));
      bytesItem(c, F['tlsa.certificate_association_data'], cur + 3, len - 3);
      break;
    }
    case 257: {
      const flags = c.getU8(cur);
      const fi = c.add(F['caa.flags'], cur, 1, flags, `CAA Flags: ${hex(flags, 2)}`);
      c.within(fi, () => bitField(c, F['caa.flags.issuer_critical'], flags, cur, 1));
      cur++;
      const tagLen = c.getU8(cur);
      const tag = asciiAt(c, cur + 1, tagLen);
      const valueLen = (len - (tagLen + 2)) & 0xffff;
      // ENC_ASCII (bytes above 0x7f replaced), then format_text over the value's byte length.
      const value = formatText(
        Array.from(c.getBytes(cur + 1 + tagLen, valueLen), (b) => (b < 0x80 ? b : 0xff)),
      );
      // strncmp over the tag's own length: a prefix of "issue" matches it, as in Wireshark.
      const is = (s: string) =>
        s.startsWith(tag.slice(0, Math.min(tag.length, s.length))) && tag.length <= s.length;
      const f = is('issue')
        ? F['caa.issue']
        : is('issuewild')
          ? F['caa.issuewild']
          : is('iodef')
            ? F['caa.iodef']
            : F['caa.unknown'];
      const vi = strField(c, f, cur, 1 + tagLen + valueLen, value);
      c.within(vi, () => {
        c.add(F['caa.tag_length'], cur, 1, tagLen);
        strField(c, F['caa.tag'], cur + 1, tagLen, tag);
        strField(c, F['caa.value'], cur + 1 + tagLen, valueLen, value);
      });
      break;
    }
    default: {
      if (tree)
        c.within(rr, () =>
          expertItem(
            c,
            F['undecoded.type'],
            'note',
            'undecoded',
            `Dissector for DNS Type (${type}) code not implemented, Contact Wireshark developers if you want this supported`,
            at,
          ),
        );
      bytesItem(c, F.data, cur, len);
    }
  }
}

/** RFC 4034 §4.1.2 type bit maps (NSEC, NSEC3): one item per type present. */
function typeBitmap(x: Ctx, at: number, len: number): void {
  const c = x.c;
  let cur = at;
  let rem = len;
  while (rem > 0) {
    const base = c.getU8(cur) * 256;
    let size = c.getU8(cur + 1);
    cur += 2;
    rem -= 2;
    let type = base;
    for (; size; size--) {
      const bits = c.getU8(cur);
      for (let i = 0, mask = 0x80; i < 8; i++, mask >>= 1, type++) {
        if (bits & mask && c.tree)
          c.add(F['resp.type'], cur, 1, type, `RR type in bit map: ${valText(TYPE_DESCRIPTIONS, type)}`);
      }
      cur++;
      rem--;
    }
  }
}

/** RFC 4034 Appendix B key tag (RSA/MD5: Appendix B.1). */
function keyId(x: Ctx, at: number, len: number, algo: number): void {
  const c = x.c;
  if (len < 4) {
    if (c.tree) {
      const it = c.label('Buffer too short to compute a key id', at, len);
      c.within(it, () =>
        expertItem(
          c,
          F.key_id_buffer_too_short,
          'warn',
          'protocol',
          'Buffer too short to compute a key id',
          at,
        ),
      );
      gen(it);
    }
    return;
  }
  let id: number;
  const b = c.getBytes(at, len);
  if (algo === 1) {
    id = (b[len - 3] << 8) + b[len - 2];
  } else {
    let ac = 0;
    let i = 0;
    for (; len - i > 1; i += 2) ac += (b[i] << 8) + b[i + 1];
    if (len - i > 0) ac += b[i] << 8;
    ac += (ac >>> 16) & 0xffff;
    id = ac & 0xffff;
  }
  gen(c.add(F['dnskey.key_id'], 0, 0, id));
}

function base32hex(b: Uint8Array): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuv';
  let s = '';
  for (let bit = 0; bit / 8 < b.length; bit += 5) {
    let v = 0;
    for (let k = 0; k < 5; k++) {
      const at = bit + k;
      const byte = b[at >> 3] ?? 0;
      v = (v << 1) | ((byte >> (7 - (at & 7))) & 1);
    }
    s += alphabet[v];
  }
  return s;
}

/** EDNS(0) options (RFC 6891 §6.1.2), as Wireshark 4.0 decodes each. */
function optionsOf(x: Ctx, at: number, len: number): void {
  const c = x.c;
  let cur = at;
  let rem = len;
  while (rem > 0) {
    const code = c.getU16(cur);
    rem -= 2;
    const optlen = c.getU16(cur + 2);
    rem -= 2;
    c.check(cur, 4 + optlen);
    const oi = c.tree ? c.add(F.opt, cur, 4 + optlen, null, `Option: ${valText(OPT_CODES, code)}`) : null;
    c.open(oi);
    try {
      const codeItem = numField(c, F['opt.code'], cur, 2, code);
      cur += 2;
      const lenItem = c.add(F['opt.len'], cur, 2, optlen);
      cur += 2;
      bytesItem(c, F['opt.data'], cur, optlen);
      switch (code) {
        case 5:
        case 6:
        case 7: {
          const f = code === 5 ? F['opt.dau'] : code === 6 ? F['opt.dhu'] : F['opt.n3u'];
          for (let n = optlen; n !== 0; n--) {
            numField(c, f, cur, 1, c.getU8(cur));
            cur++;
            rem--;
          }
          break;
        }
        case 0x50fa:
        case 8: {
          if (code === 0x50fa)
            c.within(codeItem, () =>
              expertItem(
                c,
                F['depr.opc'],
                'warn',
                'protocol',
                'Deprecated opcode. Client subnet OPT assigned as 8.',
                cur - 4,
              ),
            );
          const family = c.getU16(cur);
          numField(c, F['opt.client.family'], cur, 2, family);
          c.add(F['opt.client.netmask'], cur + 2, 1, c.getU8(cur + 2));
          c.add(F['opt.client.scope'], cur + 3, 1, c.getU8(cur + 3));
          cur += 4;
          let addrLen = (optlen - 4) & 0xffff;
          if (addrLen > 16) {
            c.within(lenItem, () =>
              expertItem(
                c,
                F['rr.opt.bad_length'],
                'error',
                'protocol',
                'Length too long for any type of IP address.',
                cur - 2,
              ),
            );
            addrLen = 16;
          }
          const raw = c.getBytes(cur, addrLen);
          if (family === 1) {
            const b = new Uint8Array(4);
            b.set(raw.subarray(0, 4));
            if (c.tree) c.add(F['opt.client.addr4'], cur, addrLen, b);
          } else if (family === 2) {
            const b = new Uint8Array(16);
            b.set(raw);
            if (c.tree) c.add(F['opt.client.addr6'], cur, addrLen, b);
          } else if (c.tree) {
            c.add(F['opt.client.addr'], cur, optlen - 4, c.getBytes(cur, optlen - 4));
          }
          cur += optlen - 4;
          rem -= optlen;
          break;
        }
        case 10: {
          bytesItem(c, F['opt.cookie.client'], cur, 8);
          cur += 8;
          rem -= 8;
          const n = optlen - 8;
          bytesItem(c, F['opt.cookie.server'], cur, n);
          cur += n;
          rem -= n;
          break;
        }
        case 11:
          if (optlen === 2) c.add(F['opt.edns_tcp_keepalive.timeout'], cur, 2, c.getU16(cur));
          cur += optlen;
          rem -= optlen;
          break;
        case 12:
          bytesItem(c, F['opt.padding'], cur, optlen);
          cur += optlen;
          rem -= optlen;
          break;
        case 13:
          if (optlen) strField(c, F['opt.chain.fqdn'], cur, optlen, asciiAt(c, cur, optlen));
          cur += optlen;
          rem -= optlen;
          break;
        case 15:
          if (optlen >= 2) {
            const info = c.getU16(cur);
            const name =
              info < EXT_ERRORS.length
                ? EXT_ERRORS[info]
                : info < 49152
                  ? 'Unassigned'
                  : 'Reserved for Private Use';
            if (c.tree) c.add(F['opt.ext_error.info_code'], cur, 2, info, `Info Code: ${name} (${info})`);
            cur += 2;
            rem -= 2;
            if (optlen > 2) {
              strField(c, F['opt.ext_error.extra_text'], cur, optlen - 2, utf8At(c, cur, optlen - 2));
              cur += optlen - 2;
              rem -= optlen - 2;
            }
          }
          break;
        default:
          cur += optlen;
          rem -= optlen;
      }
    } finally {
      c.close();
    }
  }
}

interface Message {
  /** Summary line of the layer, known once the flags are read. */
  summary: string;
}

/**
 * One DNS message at `at` (its length prefix first when `tcp`), Wireshark's dissect_dns_common.
 * Throws ShortRead past the message end, Malformed for bad names.
 */
function dissectMessage(
  c: Cursor,
  p: PacketInfo,
  kind: Kind,
  at: number,
  tcp: boolean,
  msgOut: Message,
): void {
  const tree = c.tree;
  const cols = p.cols && !p.inError;
  const want = tree || cols;
  const msg = tcp ? at + 2 : at;
  const x: Ctx = { c, p, msg, mdns: kind === 'mdns', want, cols, info: '' };
  // Wireshark clears Info before it reads anything: a message too short for its flags leaves it empty.
  if (cols) p.columns.info = '';
  const id = c.getU16(msg);
  const flags = c.getU16(msg + 2);
  const opcode = (flags >> 11) & 0xf;
  const rcode = flags & 0xf;
  const response = (flags & F_RESPONSE) !== 0;
  const longName =
    kind === 'llmnr'
      ? 'Link-local Multicast Name Resolution'
      : kind === 'mdns'
        ? 'Multicast Domain Name System'
        : 'Domain Name System';
  msgOut.summary = `${longName} (${response ? 'response' : 'query'})`;
  // Wireshark clears Info for each message, so a segment with several shows the last one.
  if (cols) {
    x.info = `${valText(OPCODES, opcode, 'Unknown operation')}${response ? ' response' : ''} ${hex(id, 4)}`;
    if (response && rcode !== 0) x.info += ` ${valText(RCODES, rcode, 'Unknown error')}`;
    p.columns.info = x.info;
  }

  // Matching (first pass records, later passes read back), skipped inside ICMP errors.
  let trans: Transaction | null = null;
  let retransmission = false;
  let state: DnsState | null = null;
  if (!p.inError) {
    state = dnsState(p);
    const conv = conversationKey(p);
    let byId = state.conversations.get(conv);
    if (!byId) state.conversations.set(conv, (byId = new Map()));
    const list = byId.get(id);
    const frame = p.frame.number;
    const t = lookup(list, frame);
    if (!p.visited) {
      if (!response) {
        let fresh = !t || t.repFrame > 0;
        if (t && !fresh) {
          if (deltaNs(p.frame.tsSec, p.frame.tsNsec, t.reqSec, t.reqNsec) / 1e9 < RETRANSMISSION_TIMER)
            retransmission = true;
          else fresh = true;
        }
        if (fresh) {
          trans = {
            id,
            reqFrame: frame,
            repFrame: 0,
            reqSec: p.frame.tsSec,
            reqNsec: p.frame.tsNsec,
            multiple: false,
          };
          if (list) list.push(trans);
          else byId.set(id, [trans]);
        } else {
          trans = t;
        }
      } else if (t) {
        trans = t;
        if (t.repFrame === 0) t.repFrame = frame;
        else if (!t.multiple) retransmission = true;
      }
    } else if (t) {
      trans = t;
      if (!response && t.reqFrame !== frame) {
        trans = { ...t, repFrame: 0, reqSec: p.frame.tsSec, reqNsec: p.frame.tsNsec };
        retransmission = true;
      } else if (response && t.repFrame !== frame && !t.multiple) {
        retransmission = true;
      }
    }
  }

  if (tcp && tree) {
    const size = c.getU16(at) + 2;
    gen(c.add(F['=tcp.pdu.size'], at, Math.min(size, c.end - at), size, `[PDU Size: ${size}]`));
    c.add(F.length, at, 2, c.getU16(at));
  }
  const idItem = tree ? c.add(F.id, msg, 2, id) : null;
  if (tree) {
    const fi = c.add(
      F.flags,
      msg + 2,
      2,
      flags,
      `Flags: ${hex(flags, 4)} ${OPCODES[opcode] ?? 'Unknown operation'}${response ? ` response, ${RCODES[rcode] ?? 'Unknown error'}` : ''}`,
    );
    c.within(fi, () => {
      const at2 = msg + 2;
      bitField(c, F['flags.response'], flags, at2, 2);
      bitField(c, F['flags.opcode'], flags, at2, 2);
      if (kind === 'llmnr') {
        bitField(c, response ? CONFLICT_RESPONSE : F['flags.conflict'], flags, at2, 2);
        bitField(c, F['flags.truncated'], flags, at2, 2);
        bitField(c, F['flags.tentative'], flags, at2, 2);
        if (response) bitField(c, F['flags.rcode'], flags, at2, 2);
      } else {
        if (response) bitField(c, F['flags.authoritative'], flags, at2, 2);
        bitField(c, F['flags.truncated'], flags, at2, 2);
        bitField(c, F['flags.recdesired'], flags, at2, 2);
        if (response) bitField(c, F['flags.recavail'], flags, at2, 2);
        bitField(c, F['flags.z'], flags, at2, 2);
        if (response) bitField(c, F['flags.authenticated'], flags, at2, 2);
        else if (flags & F_AUTHENTIC) bitField(c, AD_BIT, flags, at2, 2);
        bitField(c, F['flags.checkdisable'], flags, at2, 2);
        if (response) bitField(c, F['flags.rcode'], flags, at2, 2);
      }
    });
  }
  const update = opcode === OPCODE_UPDATE;
  const quest = c.getU16(msg + 4);
  const ans = c.getU16(msg + 6);
  const auth = c.getU16(msg + 8);
  const add = c.getU16(msg + 10);
  if (tree) {
    c.add(update ? F['count.zones'] : F['count.queries'], msg + 4, 2, quest);
    c.add(update ? F['count.prerequisites'] : F['count.answers'], msg + 6, 2, ans);
    c.add(update ? F['count.updates'] : F['count.auth_rr'], msg + 8, 2, auth);
    c.add(F['count.add_rr'], msg + 10, 2, add);
  }
  let cur = msg + HDRLEN;
  // RFC 8490 DSO messages (opcode 6, all counts 0) carry TLVs, not decoded here: their bytes show
  // as extraneous data below.
  {
    if (quest > 0) {
      const section = tree ? c.label(update ? 'Zone' : 'Queries', cur, 0) : null;
      const start = cur;
      let multiple = false;
      c.within(section, () => {
        for (let i = 0; i < quest; i++) {
          const q = dissectQuery(x, cur);
          if (q.multiple) multiple = true;
          cur += q.used;
        }
      });
      if (section) section.length = cur - start;
      if (trans && !p.visited) trans.multiple = multiple;
    }
    const sections: [number, string][] = [
      [ans, update ? 'Prerequisites' : 'Answers'],
      [auth, update ? 'Updates' : 'Authoritative nameservers'],
      [add, 'Additional records'],
    ];
    for (const [count, title] of sections) {
      if (count <= 0) continue;
      const section = tree ? c.label(title, cur, 0) : null;
      const start = cur;
      c.within(section, () => {
        for (let i = 0; i < count; i++) cur += dissectRr(x, cur);
      });
      if (section) section.length = cur - start;
    }
  }

  if (tree && !p.inError) {
    if (!response) {
      if (retransmission && trans && trans.reqFrame) {
        c.within(idItem, () =>
          expertItem(
            c,
            F.retransmit_request,
            'warn',
            'protocol',
            `DNS query retransmission. Original request in frame ${trans.reqFrame}`,
            msg,
          ),
        );
        gen(
          c.add(
            F.retransmit_request_in,
            0,
            0,
            trans.reqFrame,
            `[Retransmitted request. Original request in: ${trans.reqFrame}]`,
          ),
        );
        gen(c.add(F.retransmission, 0, 0, true, '[Retransmission: True]'));
      } else if (trans && trans.repFrame) {
        gen(c.add(F.response_in, 0, 0, trans.repFrame, `[Response In: ${trans.repFrame}]`));
      }
    } else if (trans && trans.reqFrame) {
      if (retransmission && trans.repFrame) {
        c.within(idItem, () =>
          expertItem(
            c,
            F.retransmit_response,
            'warn',
            'protocol',
            `DNS response retransmission. Original response in frame ${trans.repFrame}`,
            msg,
          ),
        );
        gen(
          c.add(
            F.retransmit_response_in,
            0,
            0,
            trans.repFrame,
            `[Retransmitted response. Original response in: ${trans.repFrame}]`,
          ),
        );
        gen(c.add(F.retransmission, 0, 0, true, '[Retransmission: True]'));
      } else {
        gen(c.add(F.response_to, 0, 0, trans.reqFrame, `[Request In: ${trans.reqFrame}]`));
        const ns = deltaNs(p.frame.tsSec, p.frame.tsNsec, trans.reqSec, trans.reqNsec);
        const t = timeOf(ns);
        gen(
          c.add(
            F.time,
            0,
            0,
            t,
            `[Time: ${ns < 0 ? '-' : ''}${Math.abs(t.sec)}.${String(Math.abs(t.nsec)).padStart(9, '0')} seconds]`,
          ),
        );
      }
    } else if (!retransmission) {
      gen(c.add(F.unsolicited, 0, 0, true, '[Unsolicited: True]'));
    }
  }

  if (want && !p.inError && (quest > 0 || response)) emitDnsMessage(x, response, rcode, quest, ans);

  // Anything after the last record (within the message) is extraneous.
  const extra = c.declaredEnd - cur;
  if (extra > 0) {
    c.check(cur, extra);
    if (tree) {
      const sub = c.label(`Extraneous Data (${extra} bytes)`, cur, extra);
      c.within(sub, () => {
        c.add(F['extraneous.data'], cur, extra, c.getBytes(cur, extra));
        gen(c.add(F['extraneous.length'], 0, 0, extra, `[Extraneous Data Length: ${extra}]`));
        expertLabel(c, F.extraneous, 'note', 'undecoded', 'Extraneous data', cur, extra);
      });
    }
  }
  c.pos = c.declaredEnd;
}

/**
 * The sequence-diagram message of a DNS message (AppMessage): `DNS query A example.com`,
 * `DNS response A example.com → 93.184.216.34` (the first question and the first answer), sent
 * by the client (query) or the resolver (response). Reads the message again from its start; a
 * part that cannot be read is left out of the label.
 */
function emitDnsMessage(x: Ctx, response: boolean, rcode: number, quest: number, ans: number): void {
  const c = x.c;
  const proto = x.mdns ? 'mdns' : 'dns';
  let question = '';
  let answer = '';
  try {
    let at = x.msg + HDRLEN;
    if (quest > 0) {
      const q = readName(c, at, x.msg, true);
      at += q.used;
      question = ` ${valText(TYPES, c.getU16(at))} ${q.text}`;
      at += 4;
      for (let i = 1; i < quest; i++) at += readName(c, at, x.msg, false).used + 4;
    }
    if (response && ans > 0) {
      at += readName(c, at, x.msg, false).used;
      const type = c.getU16(at);
      const rdlen = c.getU16(at + 8);
      const rd = at + 10;
      answer =
        type === 1 && rdlen === 4
          ? ipv4Text(c.getBytes(rd, 4))
          : type === 28 && rdlen === 16
            ? ipv6Text(c.getBytes(rd, 16))
            : type === 5 || type === 2 || type === 12
              ? `${valText(TYPES, type)} ${readName(c, rd, x.msg, true).text}`
              : valText(TYPES, type);
    }
  } catch {
    // A cut or malformed message: the label keeps what could be read.
  }
  const head = `${proto === 'mdns' ? 'MDNS' : 'DNS'} ${response ? 'response' : 'query'}${question}`;
  const tail = !response
    ? ''
    : rcode !== 0
      ? `: ${valText(RCODES, rcode, 'Unknown error')}`
      : answer
        ? ` \u2192 ${answer}`
        : '';
  const label = head + tail;
  emitMessage(x.p, {
    proto,
    label: label.length > 60 ? label.slice(0, 59) + '\u2026' : label,
    detail: x.info || label,
    ...(proto === 'dns' ? { role: response ? ('server' as const) : ('client' as const) } : {}),
  });
}

// ---- the dissectors --------------------------------------------------------------------------------

/** The first layer of DNS in this frame? (Later messages of one TCP segment are layers of their own.) */
function firstDnsLayer(p: PacketInfo): boolean {
  const n = p.protocols.length;
  return n < 2 || p.protocols[n - 2] !== 'dns';
}

/**
 * Ends a message that could not be read to its end, as the engine ends a layer on a short read
 * (same notes and texts), but keeping the layer's summary line, which the engine would lose.
 */
function failEnd(c: Cursor, p: PacketInfo, e: unknown, name: string): void {
  if (e instanceof ShortRead && e.kind === 'truncated') {
    c.truncated = true;
    if (c.tree)
      c.items.push({
        abbrev: '_ws.short',
        label: `[Packet size limited during capture: ${name} truncated]`,
        offset: Math.min(e.at, c.end),
        length: 0,
        value: null,
        generated: true,
      });
    if (p.cols) p.columns.info = (p.columns.info + '[Packet size limited during capture]').slice(0, INFO_MAX);
    return;
  }
  const why =
    e instanceof ShortRead
      ? `needed ${e.wanted} byte${e.wanted === 1 ? '' : 's'} at offset ${e.at}, layer ends at ${c.declaredEnd}`
      : (e as Malformed).message;
  c.expert(
    '_ws.malformed',
    'error',
    'malformed',
    `Malformed Packet: ${name} (${why})`,
    Math.min((e as Malformed | ShortRead).at, c.end),
    0,
  );
  p.protocols.push('_ws.malformed');
  if (p.cols) p.columns.info = (p.columns.info + '[Malformed Packet]').slice(0, INFO_MAX);
}

function dissectUdp(c: Cursor, p: PacketInfo, kind: Kind): DissectResult {
  if (p.cols && !p.inError)
    p.columns.protocol = kind === 'llmnr' ? 'LLMNR' : kind === 'mdns' ? 'MDNS' : 'DNS';
  const m: Message = { summary: '' };
  try {
    dissectMessage(c, p, kind, c.start, false, m);
  } catch (e) {
    // Before the flags are read there is no summary to keep: the engine reports it as usual.
    if (!m.summary || !(e instanceof Malformed || e instanceof ShortRead)) throw e;
    failEnd(c, p, e, kind.toUpperCase());
  }
  return { summary: m.summary || undefined, next: null };
}

/**
 * DNS over TCP (RFC 7766 §8): each message is preceded by its 2-byte length. TCP reassembly hands
 * over one whole message per layer (dnsTcpFraming); bytes that did not go through it (a segment
 * quoted by an ICMP error) may hold several messages or part of one.
 */
function dissectTcp(c: Cursor, p: PacketInfo): DissectResult {
  // Wireshark lists a protocol once however many of its PDUs a segment holds (frame.protocols `tcp:dns`).
  if (!firstDnsLayer(p)) p.protocols.pop();
  const segEnd = c.declaredEnd;
  const at = c.start;
  const avail = segEnd - at;
  const plen = avail >= 2 ? c.getU16(at) : -1;
  if (plen < 0 || 2 + plen > avail) return partial(c, p, at, plen, segEnd);

  if (p.cols && !p.inError) p.columns.protocol = 'DNS';
  const m: Message = { summary: '' };
  c.limit(at + 2 + plen);
  try {
    dissectMessage(c, p, 'dns', at, true, m);
  } catch (e) {
    if (!m.summary || !(e instanceof Malformed || e instanceof ShortRead)) throw e;
    // Wireshark's tcp_dissect_pdus shows the exception and goes on with the next message.
    failEnd(c, p, e, 'DNS');
  }
  const after = at + 2 + plen;
  const next: NextHint | null = after < segEnd ? { proto: 'dns', offset: after, end: segEnd } : null;
  return { summary: m.summary, next, headerLength: 2 + plen };
}

/** A message cut short where TCP could not reassemble it: its length and a note. */
function partial(c: Cursor, p: PacketInfo, at: number, plen: number, segEnd: number): DissectResult {
  const here = segEnd - at;
  const need = plen < 0 ? -1 : plen + 2;
  if (plen >= 0 && c.tree) c.add(F.length, at, 2, plen);
  if (c.tree)
    c.label(
      `[DNS message continues beyond these bytes: ${here} of ${need < 0 ? 'at least 2' : need} bytes here]`,
      at,
      here,
    );
  c.pos = Math.min(segEnd, c.end);
  return { summary: 'Domain Name System (TCP segment of a reassembled PDU)', next: null, headerLength: here };
}

/** DNS over TCP cut into messages by the length prefix (RFC 7766 §8). */
const dnsTcpFraming: PduFraming = {
  minLength: 2,
  pduLength: (data, offset) => dnsTcpPduLength(data, offset),
};

/**
 * Wireshark's dissect_dns_heur for UDP: more than a header, opcode 0, a query with one question
 * and no answers or authority records, or a response with at most one question, 100 answers and
 * 10 authority records; at most 10 additional records.
 */
function heuristic(data: Uint8Array, offset: number, end: number): boolean {
  if (end - offset <= HDRLEN) return false;
  const flags = (data[offset + 2] << 8) | data[offset + 3];
  if (flags & 0x7800) return false;
  const u16 = (k: number) => (data[offset + k] << 8) | data[offset + k + 1];
  const quest = u16(4);
  const ans = u16(6);
  const auth = u16(8);
  if (!(flags & F_RESPONSE)) {
    if (quest !== 1 || ans !== 0 || auth !== 0) return false;
  } else if (quest > 1 || ans > 100 || auth > 10) {
    return false;
  }
  return u16(10) <= 10;
}

export const dissectors: readonly Dissector[] = [
  {
    fields: F,
    pdu: 'message',
    in: { 'udp.port': 53, 'tcp.port': [53, 5353] },
    heuristicIn: ['udp.port'],
    heuristic: (data, offset, end, p) => p.ptype === 'udp' && heuristic(data, offset, end),
    framing: dnsTcpFraming,
    dissect(c, p) {
      return p.ptype === 'tcp' ? dissectTcp(c, p) : dissectUdp(c, p, 'dns');
    },
  },
  {
    fields: mdnsFields,
    pdu: 'message',
    in: { 'udp.port': 5353 },
    dissect: (c, p) => dissectUdp(c, p, 'mdns'),
  },
  {
    fields: llmnrFields,
    pdu: 'message',
    in: { 'udp.port': 5355 },
    dissect: (c, p) => dissectUdp(c, p, 'llmnr'),
  },
];

/** The length of the DNS-over-TCP message at `offset` (prefix included), for a TCP reassembler. */
export function dnsTcpPduLength(data: Uint8Array, offset: number): number {
  return (((data[offset] << 8) | data[offset + 1]) + 2) >>> 0;
}
