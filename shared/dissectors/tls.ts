// TLS 1.0–1.3 and SSL 3.0 records and handshake messages (RFC 5246, RFC 8446, RFC 6066, RFC 7301),
// with Wireshark 4.0's names and values (packet-tls.c, packet-tls-utils.c; the value strings in
// tls-values.ts are generated from tshark's own tables by tests/tls/gen-values.sh).
//
// Framing (TCP reassembly): a PDU is a RUN OF WHOLE RECORDS. pduLength answers, for the bytes at
// hand, the length of every complete record that follows the first one back to back; when the
// first record is not complete yet it answers that record's length alone (the stream waits for
// it). So the records of one segment form one TLS layer, as Wireshark's one "Transport Layer
// Security" tree per segment; a record completed by a segment is one layer (from the reassembled
// bytes) and the whole records after it in that segment another: tshark's `tcp:tls:tls`.
//
// A handshake message spanning records is reassembled (RFC 8446 §5.1 allows any fragmentation):
// the fragments wait in per-direction state and the message is dissected from a new data source
// "Reassembled Handshake Message (N bytes)" on the record that completes it.
//
// Per-connection state (the version, whether a direction sent ChangeCipherSpec, pending handshake
// fragments) follows the stream on the first pass; each change is recorded keyed by (frame, layer
// in frame), so a later visit of any frame starts from the state its layer saw.
//
// Version and Protocol column as Wireshark: a record's version names it while the session version
// is unknown; the first non-ClientHello record fixes the session version, and a ServerHello's
// supported_versions (RFC 8446 §4.2.1) sets it to TLS 1.3. The ServerHello record itself is still
// labelled with the version seen before it (`TLSv1.2 Record Layer: Handshake Protocol: Server
// Hello`); the column shows the session version after the last record of the frame.
//
// Departures from Wireshark 4.0, deliberately:
// - No decryption (no key log), so no JA3/JA3S, and `tls.app_data_proto` only from a cleartext
//   ALPN or port 443 (Wireshark asks its `tls.port` table and heuristics).
// - frame.protocols has one `tls` per layer; Wireshark also lists the x509 BER protocols of each
//   certificate and a `tls` for a record left waiting at the end of a segment.
// - SSLv2-format ClientHellos are not decoded (the heuristic does not take them).
import { Cursor } from '../dissect/cursor';
import type { Dissector, DissectResult } from '../dissect/engine';
import { defineFields } from '../dissect/fields';
import { emitMessage, type PacketInfo } from '../dissect/packet';
import type { Item } from '../dissect/types';
import { NEED_MORE, NOT_MINE, type PduFraming } from '../reassembly/pdu-stream';
import * as V from './tls-values';
import { dissectCertificate, type CertSummary } from './x509';

const PLACE = { osi: 6, tcpip: 'application' } as const;

export const F = defineFields('tls', 'Transport Layer Security', PLACE, {
  record: { name: 'Record Layer', type: 'none' },
  'record.content_type': { name: 'Content Type', type: 'u8', vals: V.CONTENT_TYPES },
  'record.opaque_type': { name: 'Opaque Type', type: 'u8', vals: V.CONTENT_TYPES },
  'record.version': { name: 'Version', type: 'u16', base: 'hex', vals: V.VERSIONS },
  'record.length': { name: 'Length', type: 'u16' },
  app_data: { name: 'Encrypted Application Data', type: 'bytes' },
  app_data_proto: { name: 'Application Data Protocol', type: 'string' },
  alert_message: { name: 'Alert Message', type: 'none' },
  'alert_message.level': { name: 'Level', type: 'u8', vals: V.ALERT_LEVELS },
  'alert_message.desc': { name: 'Description', type: 'u8', vals: V.ALERT_DESCS },
  change_cipher_spec: { name: 'Change Cipher Spec Message', type: 'none' },
  heartbeat_message: { name: 'Heartbeat Message', type: 'none' },
  'heartbeat_message.type': { name: 'Type', type: 'u8', vals: V.HEARTBEAT_TYPES },
  'heartbeat_message.payload_length': { name: 'Payload Length', type: 'u16' },
  'heartbeat_message.payload': { name: 'Payload Length', type: 'bytes' },
  'heartbeat_message.padding': { name: 'Payload Length', type: 'bytes' },
  handshake: { name: 'Handshake Protocol', type: 'none' },
  'handshake.type': { name: 'Handshake Message Type', type: 'u8', vals: V.HANDSHAKE_TYPES },
  'handshake.length': { name: 'Length', type: 'u24' },
  'handshake.version': { name: 'Version', type: 'u16', base: 'hex', vals: V.VERSIONS },
  'handshake.random': { name: 'Random', type: 'bytes' },
  'handshake.random_time': { name: 'GMT Unix Time', type: 'abs_time', base: 'utc' },
  'handshake.random_bytes': { name: 'Random Bytes', type: 'bytes' },
  'handshake.session_id_length': { name: 'Session ID Length', type: 'u16' },
  'handshake.session_id': { name: 'Session ID', type: 'bytes' },
  'handshake.cipher_suites_length': { name: 'Cipher Suites Length', type: 'u16' },
  'handshake.ciphersuites': { name: 'Cipher Suites', type: 'none' },
  'handshake.ciphersuite': { name: 'Cipher Suite', type: 'u16', base: 'hex', vals: V.CIPHER_SUITES },
  'handshake.comp_methods_length': { name: 'Compression Methods Length', type: 'u8' },
  'handshake.comp_methods': { name: 'Compression Methods', type: 'none' },
  'handshake.comp_method': { name: 'Compression Method', type: 'u8', vals: V.COMP_METHODS },
  'handshake.extensions_length': { name: 'Extensions Length', type: 'u16' },
  'handshake.extension.type': { name: 'Type', type: 'u16', vals: V.EXTENSION_TYPES },
  'handshake.extension.len': { name: 'Length', type: 'u16' },
  'handshake.extension.data': { name: 'Data', type: 'bytes' },
  'handshake.extensions_server_name_list_len': { name: 'Server Name list length', type: 'u16' },
  'handshake.extensions_server_name_type': {
    name: 'Server Name Type',
    type: 'u8',
    vals: V.SERVER_NAME_TYPES,
  },
  'handshake.extensions_server_name_len': { name: 'Server Name length', type: 'u16' },
  'handshake.extensions_server_name': { name: 'Server Name', type: 'string' },
  'handshake.extensions_supported_groups_length': { name: 'Supported Groups List Length', type: 'u16' },
  'handshake.extensions_supported_groups': { name: 'Supported Groups List', type: 'none' },
  'handshake.extensions_supported_group': {
    name: 'Supported Group',
    type: 'u16',
    base: 'hex',
    vals: V.GROUPS,
  },
  'handshake.extensions_ec_point_formats_length': { name: 'EC point formats Length', type: 'u8' },
  'handshake.extensions_ec_point_formats': { name: 'EC point formats', type: 'none' },
  'handshake.extensions_ec_point_format': { name: 'EC point format', type: 'u8', vals: V.EC_POINT_FORMATS },
  'handshake.extensions_alpn_len': { name: 'ALPN Extension Length', type: 'u16' },
  'handshake.extensions_alpn_list': { name: 'ALPN Protocol', type: 'none' },
  'handshake.extensions_alpn_str_len': { name: 'ALPN string length', type: 'u8' },
  'handshake.extensions_alpn_str': { name: 'ALPN Next Protocol', type: 'string' },
  'handshake.extensions_reneg_info_len': { name: 'Renegotiation info extension length', type: 'u8' },
  'handshake.extensions_reneg_info': { name: 'Renegotiation info', type: 'bytes' },
  'handshake.extensions_key_share_client_length': { name: 'Client Key Share Length', type: 'u16' },
  'handshake.extensions_key_share_group': { name: 'Group', type: 'u16', vals: V.GROUPS },
  'handshake.extensions_key_share_key_exchange_length': { name: 'Key Exchange Length', type: 'u16' },
  'handshake.extensions_key_share_key_exchange': { name: 'Key Exchange', type: 'bytes' },
  'handshake.extensions_key_share_selected_group': { name: 'Selected Group', type: 'u16', vals: V.GROUPS },
  'handshake.extensions.psk.identities.length': { name: 'Identities Length', type: 'u16' },
  'handshake.extensions.psk.identity.identity_length': { name: 'Identity Length', type: 'u16' },
  'handshake.extensions.psk.identity.identity': { name: 'Identity', type: 'bytes' },
  'handshake.extensions.psk.identity.obfuscated_ticket_age': { name: 'Obfuscated Ticket Age', type: 'u32' },
  'handshake.extensions.psk.binders_len': { name: 'PSK Binders length', type: 'u16' },
  'handshake.extensions.psk.binders': { name: 'PSK Binders', type: 'none' },
  'handshake.extensions.psk.identity.selected': { name: 'Selected Identity', type: 'u16' },
  'handshake.extensions.supported_versions_len': { name: 'Supported Versions length', type: 'u8' },
  'handshake.extensions.supported_version': {
    name: 'Supported Version',
    type: 'u16',
    base: 'hex',
    vals: V.VERSIONS,
  },
  'handshake.extensions.cookie_len': { name: 'Cookie length', type: 'u16' },
  'handshake.extensions.cookie': { name: 'Cookie', type: 'bytes' },
  'handshake.extensions_padding_data': { name: 'Padding Data', type: 'bytes' },
  'handshake.extensions_status_request_type': {
    name: 'Certificate Status Type',
    type: 'u8',
    vals: V.STATUS_REQUEST_TYPES,
  },
  'handshake.extensions_status_request_responder_ids_len': { name: 'Responder ID list Length', type: 'u16' },
  'handshake.extensions_status_request_exts_len': { name: 'Request Extensions Length', type: 'u16' },
  'handshake.sig_hash_alg_len': { name: 'Signature Hash Algorithms Length', type: 'u16' },
  'handshake.sig_hash_algs': { name: 'Signature Algorithms', type: 'none' },
  'handshake.sig_hash_alg': { name: 'Signature Algorithm', type: 'u16', base: 'hex', vals: V.SIG_ALGS },
  'handshake.sig_hash_hash': { name: 'Signature Hash Algorithm Hash', type: 'u8', vals: V.SIG_HASH_HASH },
  'handshake.sig_hash_sig': { name: 'Signature Hash Algorithm Signature', type: 'u8', vals: V.SIG_HASH_SIG },
  'handshake.extension.heartbeat.mode': { name: 'Mode', type: 'u8', vals: V.HEARTBEAT_MODES },
  'handshake.max_fragment_length': { name: 'Maximum Fragment Length', type: 'u8' },
  'extension.psk_ke_modes_length': { name: 'PSK Key Exchange Modes Length', type: 'u8' },
  'extension.psk_ke_mode': { name: 'PSK Key Exchange Mode', type: 'u8', vals: V.PSK_KE_MODES },
  'handshake.epms_len': { name: 'Encrypted PreMaster length', type: 'u16' },
  'handshake.epms': { name: 'Encrypted PreMaster', type: 'bytes' },
  'handshake.sig_len': { name: 'Signature Length', type: 'u16' },
  'handshake.sig': { name: 'Signature', type: 'bytes' },
  'handshake.p_len': { name: 'p Length', type: 'u16' },
  'handshake.g_len': { name: 'g Length', type: 'u16' },
  'handshake.ys_len': { name: 'Pubkey Length', type: 'u16' },
  'handshake.yc_len': { name: 'Pubkey Length', type: 'u16' },
  'handshake.p': { name: 'p', type: 'bytes' },
  'handshake.g': { name: 'g', type: 'bytes' },
  'handshake.ys': { name: 'Pubkey', type: 'bytes' },
  'handshake.yc': { name: 'Pubkey', type: 'bytes' },
  'handshake.client_point_len': { name: 'Pubkey Length', type: 'u8' },
  'handshake.server_point_len': { name: 'Pubkey Length', type: 'u8' },
  'handshake.server_curve_type': { name: 'Curve Type', type: 'u8', base: 'hex', vals: V.CURVE_TYPES },
  'handshake.server_named_curve': { name: 'Named Curve', type: 'u16', base: 'hex', vals: V.GROUPS },
  'handshake.server_point': { name: 'Pubkey', type: 'bytes' },
  'handshake.client_point': { name: 'Pubkey', type: 'bytes' },
  'handshake.certificates_length': { name: 'Certificates Length', type: 'u24' },
  'handshake.certificates': { name: 'Certificates', type: 'none' },
  'handshake.certificate': { name: 'Certificate', type: 'bytes' },
  'handshake.certificate_length': { name: 'Certificate Length', type: 'u24' },
  'handshake.cert_types_count': { name: 'Certificate types count', type: 'u8' },
  'handshake.cert_types': { name: 'Certificate types', type: 'none' },
  'handshake.cert_type': { name: 'Certificate Type', type: 'u8', vals: V.CERT_TYPES },
  'handshake.dnames_len': { name: 'Distinguished Names Length', type: 'u16' },
  'handshake.dnames': { name: 'Distinguished Names', type: 'none' },
  'handshake.dname_len': { name: 'Distinguished Name Length', type: 'u16' },
  'handshake.dname': { name: 'Distinguished Name', type: 'none' },
  'handshake.session_ticket_lifetime_hint': { name: 'Session Ticket Lifetime Hint', type: 'u32' },
  'handshake.session_ticket_age_add': { name: 'Session Ticket Age Add', type: 'u32' },
  'handshake.session_ticket_nonce_length': { name: 'Session Ticket Nonce Length', type: 'u8' },
  'handshake.session_ticket_nonce': { name: 'Session Ticket Nonce', type: 'bytes' },
  'handshake.session_ticket_length': { name: 'Session Ticket Length', type: 'u16' },
  'handshake.session_ticket': { name: 'Session Ticket', type: 'bytes' },
  'handshake.verify_data': { name: 'Verify Data', type: 'none' },
  'handshake.certificate_request_context_length': { name: 'Certificate Request Context Length', type: 'u8' },
  'handshake.certificate_request_context': { name: 'Certificate Request Context', type: 'bytes' },
  'handshake.key_update.request_update': { name: 'Key Update Request', type: 'u8' },
  'handshake.fragment.count': { name: 'Handshake Fragment count', type: 'u32' },
  'handshake.fragment': { name: 'Handshake Fragment', type: 'framenum' },
  'handshake.fragments': { name: 'Reassembled Handshake Fragments', type: 'none' },
  'record.length.invalid': { name: 'Record fragment length is too small or too large', type: 'none' },
  'malformed.vector_length': { name: 'Variable vector length is outside the permitted range', type: 'none' },
  'malformed.trailing_data': { name: 'Undecoded trailing data is present', type: 'none' },
  unexpected_message: { name: 'Unexpected message', type: 'none' },
  ignored_unknown_record: { name: 'Ignored Unknown Record', type: 'none' },
  resumed: { name: 'This session reuses previously negotiated keys (Session resumption)', type: 'none' },
  'handshake.reassembled_in': { name: 'Reassembled Handshake Message in frame', type: 'framenum' },
});

/** RFC 8446 §4.1.3: the ServerHello random that makes it a HelloRetryRequest. */
const HRR_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';
/** RFC 8446 §5.1: 2^14 plus what compression (1.2) or expansion may add. */
const MAX_RECORD = 16384 + 2048;
const CT_CCS = 20;
const CT_ALERT = 21;
const CT_HANDSHAKE = 22;
const CT_APPDATA = 23;
const CT_HEARTBEAT = 24;
const VERSION_SHORT: Readonly<Record<number, string>> = {
  0x0300: 'SSLv3',
  0x0301: 'TLSv1',
  0x0302: 'TLSv1.1',
  0x0303: 'TLSv1.2',
  0x0304: 'TLSv1.3',
};
const WELL_KNOWN_PORTS = [443, 465, 563, 585, 614, 636, 853, 989, 990, 992, 993, 994, 995, 5061, 8443];

/** A record header that could start a TLS record: content type, SSL 3.0–TLS 1.3, sane length. */
export function plausibleRecord(data: Uint8Array, at: number, end: number): boolean {
  if (at + 5 > end) return false;
  const ct = data[at];
  if (ct < CT_CCS || ct > CT_HEARTBEAT) return false;
  if (data[at + 1] !== 3 || data[at + 2] > 4) return false;
  const len = (data[at + 3] << 8) | data[at + 4];
  return len > 0 && len <= MAX_RECORD;
}

/** The length of the run of whole records at data[offset, end) (see the header comment). */
function runLength(data: Uint8Array, offset: number, end: number): number {
  if (end - offset < 5) return NEED_MORE;
  if (!plausibleRecord(data, offset, end)) return NOT_MINE;
  const first = 5 + ((data[offset + 3] << 8) | data[offset + 4]);
  if (offset + first > end) return first;
  let pos = offset + first;
  while (pos + 5 <= end && plausibleRecord(data, pos, end)) {
    const n = 5 + ((data[pos + 3] << 8) | data[pos + 4]);
    if (pos + n > end) break;
    pos += n;
  }
  return pos - offset;
}

const framing: PduFraming = {
  minLength: 5,
  pduLength: (data, offset, end) => runLength(data, offset, end),
};

/**
 * The strict heuristic for odd ports: a plausible record header, and for the record types with a
 * fixed shape, that shape (a handshake starts with a known message type, ChangeCipherSpec is
 * one byte of 1).
 */
function heuristic(data: Uint8Array, offset: number, end: number): boolean {
  if (!plausibleRecord(data, offset, end)) return false;
  const ct = data[offset];
  const len = (data[offset + 3] << 8) | data[offset + 4];
  if (ct === CT_CCS) return len === 1 && (offset + 5 >= end || data[offset + 5] === 1);
  if (ct === CT_HANDSHAKE && offset + 5 < end) {
    const t = data[offset + 5];
    // The first handshake of a connection is in the clear: ClientHello or ServerHello.
    if (t !== 1 && t !== 2 && !(t in V.HANDSHAKE_TYPES)) return false;
    if (offset + 9 <= end && (t === 1 || t === 2)) {
      const hl = (data[offset + 6] << 16) | (data[offset + 7] << 8) | data[offset + 8];
      if (hl + 4 > len && len < 16384) return false;
      if (offset + 10 < end && data[offset + 9] !== 3) return false;
    }
    return true;
  }
  return ct !== CT_HEARTBEAT;
}

// ---- connection state --------------------------------------------------------------------------

/** What the dissection of a layer needs to know of the connection before it. */
interface ConnState {
  /** Session version (0: not known yet). */
  version: number;
  /** Per direction (0: the client's, the side that sent the first ClientHello): ChangeCipherSpec seen. */
  ccs: [boolean, boolean];
  /** Per direction: handshake bytes waiting for the rest of their message, and their frames. */
  pend: [Uint8Array | null, Uint8Array | null];
  pendFrames: [number[], number[]];
  /** Client's port and address text, to tell the directions apart. */
  clientPort: number;
  clientAddr: string;
  /** ALPN the server chose in the clear. */
  alpn: string;
  /** The server sent Certificate, ServerKeyExchange or ServerHelloDone: a full handshake. */
  full: boolean;
}

function newConn(): ConnState {
  return {
    version: 0,
    ccs: [false, false],
    pend: [null, null],
    pendFrames: [[], []],
    clientPort: -1,
    clientAddr: '',
    alpn: '',
    full: false,
  };
}

function copyConn(s: ConnState): ConnState {
  return {
    version: s.version,
    ccs: [s.ccs[0], s.ccs[1]],
    pend: [s.pend[0], s.pend[1]],
    pendFrames: [s.pendFrames[0].slice(), s.pendFrames[1].slice()],
    clientPort: s.clientPort,
    clientAddr: s.clientAddr,
    alpn: s.alpn,
    full: s.full,
  };
}

function sameConn(a: ConnState, b: ConnState): boolean {
  return (
    a.version === b.version &&
    a.ccs[0] === b.ccs[0] &&
    a.ccs[1] === b.ccs[1] &&
    a.pend[0] === b.pend[0] &&
    a.pend[1] === b.pend[1] &&
    a.clientPort === b.clientPort &&
    a.alpn === b.alpn &&
    a.full === b.full
  );
}

/** One stream's states after each layer that changed something, keyed by frame * 64 + layer. */
interface StreamHistory {
  live: ConnState;
  keys: number[];
  states: ConnState[];
}

interface TlsSession {
  streams: Map<number, StreamHistory>;
  /** Frame of a handshake fragment → frame whose record completed its message. */
  reassembledIn: Map<number, number>;
}

function tlsSession(p: PacketInfo): TlsSession {
  return p.session.state('tls', () => {
    const st: TlsSession = {
      streams: new Map<number, StreamHistory>(),
      reassembledIn: new Map<number, number>(),
    };
    p.session.onStreamClosed((stream) => st.streams.delete(stream));
    return st;
  });
}

/** The state the layer `key` of `stream` starts from (a copy, to be changed freely). */
function stateBefore(h: StreamHistory, key: number): ConnState {
  const k = h.keys;
  let lo = 0;
  let hi = k.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (k[mid] < key) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 ? newConn() : copyConn(h.states[found]);
}

function addrText(p: PacketInfo): string {
  const a = p.netSrc;
  if (!a) return '';
  let s = '';
  for (let i = 0; i < a.length; i++) s += a[i].toString(16).padStart(2, '0');
  return s;
}

// ---- handshake messages -------------------------------------------------------------------------

/** Options of dissectHandshake. */
export interface HandshakeOptions {
  /** The session version known before these messages (0: unknown); TLS 1.3 changes some forms. */
  version?: number;
  /** Carried in QUIC CRYPTO frames (RFC 9001 §4): no records, no ChangeCipherSpec. */
  quic?: boolean;
}

/** What dissectHandshake found. */
export interface HandshakeSummary {
  /** Handshake types, in order, of the messages dissected whole. */
  types: number[];
  /** Their Info names (`Client Hello`, `Hello Retry Request`…). */
  names: string[];
  /** server_name (SNI) of a ClientHello. */
  sni?: string;
  /** ALPN protocols offered (ClientHello) or chosen (ServerHello, EncryptedExtensions). */
  alpn?: string[];
  /** The version a ServerHello chose (supported_versions, else its legacy version). */
  serverVersion?: number;
  /** The cipher suite a ServerHello chose. */
  cipherSuite?: number;
  /** A HelloRetryRequest was among them, and the group it asks for. */
  hrr?: boolean;
  selectedGroup?: number;
  /** Certificates of a Certificate message, first (the sender's own) first. */
  certificates?: CertSummary[];
  /** Offset where an incomplete message starts (its bytes end past `end`); -1 when none. */
  partialAt: number;
  /** One-line texts for sequence diagrams, one per message. */
  labels: string[];
}

interface Ctx {
  c: Cursor;
  p: PacketInfo;
  version: number;
  quic: boolean;
  out: HandshakeSummary;
}

function lenItem(c: Cursor, f: (typeof F)[keyof typeof F], bytes: 1 | 2 | 3): number {
  const at = c.pos;
  const v = bytes === 1 ? c.getU8(at) : bytes === 2 ? c.getU16(at) : c.getU24(at);
  c.add(f, at, bytes, v);
  c.pos += bytes;
  return v;
}

/** A subtree over the next `n` bytes, which must be there (a length that lies stops here). */
function box(c: Cursor, f: (typeof F)[keyof typeof F], n: number, label?: string): Item | null {
  c.check(c.pos, n);
  return c.add(f, c.pos, n, null, label);
}

function hexOf(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i].toString(16).padStart(2, '0');
  return s;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Dissects the handshake messages in c.data[at, end) (RFC 8446 §4: type, 24-bit length, body)
 * under the cursor's current item: each message gets a `Handshake Protocol: <name>` subtree
 * with the tls.handshake.* fields. A message whose body reaches past `end` is not dissected:
 * `partialAt` says where it starts, for the caller to reassemble. Reads go through the cursor,
 * so a body shorter than its own fields stops with the cursor's malformed/truncated short read.
 *
 * For QUIC (CRYPTO frames): `dissectHandshake(c, p, at, end, { quic: true, version: 0x0304 })`,
 * then read `sni`, `alpn`, `names`.
 */
export function dissectHandshake(
  c: Cursor,
  p: PacketInfo,
  at: number,
  end: number,
  opts: HandshakeOptions = {},
): HandshakeSummary {
  const out: HandshakeSummary = { types: [], names: [], partialAt: -1, labels: [] };
  const x: Ctx = { c, p, version: opts.version ?? 0, quic: opts.quic ?? false, out };
  let pos = at;
  while (pos < end) {
    if (end - pos < 4) {
      out.partialAt = pos;
      break;
    }
    const type = c.getU8(pos);
    const len = c.getU24(pos + 1);
    if (pos + 4 + len > end) {
      out.partialAt = pos;
      break;
    }
    message(x, pos, type, len);
    pos += 4 + len;
  }
  return out;
}

function message(x: Ctx, at: number, type: number, len: number): void {
  const { c, out } = x;
  let name = V.HANDSHAKE_TYPES[type] ?? `Unknown (${type})`;
  if (type === 2 && len >= 38 && hexOf(c.getBytes(at + 6, 32)) === HRR_RANDOM) name = 'Hello Retry Request';
  out.types.push(type);
  out.names.push(name);
  const it = c.add(F.handshake, at, 4 + len, null, `Handshake Protocol: ${name}`);
  c.within(it, () => {
    c.pos = at;
    c.u8(F['handshake.type']);
    c.u24(F['handshake.length']);
    const save = c.declaredEnd;
    const body = at + 4;
    const bend = body + len;
    try {
      switch (type) {
        case 1:
          clientHello(x, bend);
          break;
        case 2:
          serverHello(x, bend, name === 'Hello Retry Request');
          break;
        case 4:
          newSessionTicket(x, bend);
          break;
        case 8:
          extensions(x, bend, 8);
          out.labels.push('EncryptedExtensions');
          break;
        case 11:
          certificate(x, bend);
          break;
        case 12:
          serverKeyExchange(x, bend);
          break;
        case 13:
          certificateRequest(x, bend);
          break;
        case 14:
          out.labels.push('ServerHelloDone');
          break;
        case 15:
          if (x.version !== 0x0300) signature(x, bend, true);
          out.labels.push('CertificateVerify');
          break;
        case 16:
          clientKeyExchange(x, bend);
          break;
        case 20:
          c.add(F['handshake.verify_data'], body, len, null, 'Verify Data');
          out.labels.push('Finished');
          break;
        case 24:
          if (len >= 1) c.u8(F['handshake.key_update.request_update']);
          out.labels.push('KeyUpdate');
          break;
        default:
          out.labels.push(name.replace(/ /g, ''));
          break;
      }
    } finally {
      c.declaredEnd = save;
    }
    c.pos = bend;
  });
}

function random(x: Ctx, withTime: boolean): Uint8Array {
  const { c } = x;
  const at = c.pos;
  const r = c.bytes(32);
  const it = c.add(F['handshake.random'], at, 32, r, undefined);
  if (it && hexOf(r) === HRR_RANDOM) it.label += ' (HelloRetryRequest magic)';
  if (withTime)
    c.within(it, () => {
      const t = c.getU32(at);
      c.add(F['handshake.random_time'], at, 4, { sec: t, nsec: 0 });
      c.add(F['handshake.random_bytes'], at + 4, 28, c.getBytes(at + 4, 28));
    });
  return r;
}

function sessionId(x: Ctx): void {
  const { c } = x;
  const n = lenItem(c, F['handshake.session_id_length'], 1);
  if (n) c.bytes(n, F['handshake.session_id']);
}

function clientHello(x: Ctx, bend: number): void {
  const { c, out } = x;
  c.u16(F['handshake.version']);
  random(x, x.version !== 0x0304);
  sessionId(x);
  const csLen = c.u16(F['handshake.cipher_suites_length']);
  const cs = box(
    c,
    F['handshake.ciphersuites'],
    csLen,
    `Cipher Suites (${plural(csLen >> 1, 'suite', 'suites')})`,
  );
  c.within(cs, () => {
    const e = c.pos + csLen;
    while (c.pos + 2 <= e) c.u16(F['handshake.ciphersuite']);
    c.pos = e;
  });
  const cmLen = c.u8(F['handshake.comp_methods_length']);
  const cm = box(
    c,
    F['handshake.comp_methods'],
    cmLen,
    `Compression Methods (${plural(cmLen, 'method', 'methods')})`,
  );
  c.within(cm, () => {
    for (let i = 0; i < cmLen; i++) c.u8(F['handshake.comp_method']);
  });
  if (c.pos < bend) extensions(x, bend, 1);
  let label = 'ClientHello';
  if (out.sni) label += ` SNI=${out.sni}`;
  if (out.alpn?.length) label += ` ALPN=${out.alpn.join(',')}`;
  out.labels.push(label);
}

function serverHello(x: Ctx, bend: number, hrr: boolean): void {
  const { c, out } = x;
  const legacy = c.u16(F['handshake.version']);
  // Wireshark shows the GMT time unless the session is TLS 1.3 (RFC 8446 §4.1.3: all random).
  random(x, x.version !== 0x0304);
  sessionId(x);
  const suite = c.u16(F['handshake.ciphersuite']);
  c.u8(F['handshake.comp_method']);
  out.cipherSuite = suite;
  out.serverVersion = legacy;
  if (hrr) out.hrr = true;
  if (c.pos < bend) extensions(x, bend, hrr ? 6 : 2);
  if (hrr) {
    const g = out.selectedGroup;
    out.labels.push(`HelloRetryRequest${g !== undefined ? ` group=${V.GROUPS[g] ?? g}` : ''}`);
  } else {
    const v = out.serverVersion ?? legacy;
    const vn = (V.VERSIONS[v] ?? `0x${v.toString(16)}`).replace(/ \(.*\)$/, '');
    out.labels.push(
      `ServerHello ${vn} ${V.CIPHER_SUITES[suite] ?? `0x${suite.toString(16).padStart(4, '0')}`}`,
    );
  }
}

function newSessionTicket(x: Ctx, bend: number): void {
  const { c, out } = x;
  const tls13 = x.version === 0x0304;
  const tk = c.label('TLS Session Ticket', c.pos, bend - c.pos);
  c.within(tk, () => {
    c.u32(F['handshake.session_ticket_lifetime_hint']);
    if (tls13) {
      c.u32(F['handshake.session_ticket_age_add']);
      const nl = c.u8(F['handshake.session_ticket_nonce_length']);
      c.bytes(nl, F['handshake.session_ticket_nonce']);
    }
    const tl = c.u16(F['handshake.session_ticket_length']);
    c.bytes(tl, F['handshake.session_ticket']);
    if (tls13 && c.pos < bend) extensions(x, bend, 4);
  });
  out.labels.push('NewSessionTicket');
}

function certificate(x: Ctx, bend: number): void {
  const { c, out } = x;
  if (x.version === 0x0304) {
    const n = c.u8(F['handshake.certificate_request_context_length']);
    if (n) c.bytes(n, F['handshake.certificate_request_context']);
  }
  const total = c.u24(F['handshake.certificates_length']);
  const end = Math.min(c.pos + total, bend);
  const list = box(c, F['handshake.certificates'], total, `Certificates (${total} bytes)`);
  const certs: CertSummary[] = [];
  c.within(list, () => {
    while (c.pos + 3 <= end) {
      const n = c.u24(F['handshake.certificate_length']);
      const at = c.pos;
      const b = c.bytes(n);
      const it = c.add(F['handshake.certificate'], at, n, b);
      const s = c.within(it, () => dissectCertificate(c, at, at + n));
      if (it && s.subject)
        it.label = `Certificate [truncated]: ${s.subject.split(', ').reverse().join(',')}`.replace(
          /^Certificate \[truncated\]: /,
          'Certificate: ',
        );
      certs.push(s);
      if (x.version === 0x0304 && c.pos + 2 <= end) {
        const el = c.u16(F['handshake.extensions_length']);
        c.skip(el);
      }
    }
  });
  c.pos = end;
  out.certificates = certs;
  const cn = certs[0]?.cn;
  out.labels.push(cn ? `Certificate CN=${cn}` : 'Certificate');
}

function signature(x: Ctx, bend: number, withAlg: boolean): void {
  const { c } = x;
  if (withAlg && x.version >= 0x0303 && bend - c.pos >= 4) sigAlg(c);
  const n = c.u16(F['handshake.sig_len']);
  c.bytes(n, F['handshake.sig']);
}

function sigAlg(c: Cursor): void {
  const at = c.pos;
  const v = c.u16();
  const it = c.add(F['handshake.sig_hash_alg'], at, 2, v);
  c.within(it, () => {
    c.add(F['handshake.sig_hash_hash'], at, 1, v >> 8);
    c.add(F['handshake.sig_hash_sig'], at + 1, 1, v & 0xff);
  });
}

function serverKeyExchange(x: Ctx, bend: number): void {
  const { c, out } = x;
  const ct = c.pos;
  // ECDHE (RFC 8422 §5.4): curve type 3 = named_curve; else DHE (RFC 5246 §7.4.3); RSA-export
  // and PSK forms are shown as raw bytes.
  const first = c.getU8(ct);
  if (first === 3 && bend - ct >= 4) {
    const it = c.label('EC Diffie-Hellman Server Params', ct, bend - ct);
    c.within(it, () => {
      c.u8(F['handshake.server_curve_type']);
      c.u16(F['handshake.server_named_curve']);
      const n = c.u8(F['handshake.server_point_len']);
      c.bytes(n, F['handshake.server_point']);
      if (c.pos < bend) signature(x, bend, true);
    });
  } else {
    const it = c.label('Diffie-Hellman Server Params', ct, bend - ct);
    c.within(it, () => {
      const pl = c.u16(F['handshake.p_len']);
      c.bytes(pl, F['handshake.p']);
      const gl = c.u16(F['handshake.g_len']);
      c.bytes(gl, F['handshake.g']);
      const yl = c.u16(F['handshake.ys_len']);
      c.bytes(yl, F['handshake.ys']);
      if (c.pos < bend) signature(x, bend, true);
    });
  }
  out.labels.push('ServerKeyExchange');
}

function clientKeyExchange(x: Ctx, bend: number): void {
  const { c, out } = x;
  const len = bend - c.pos;
  const first = c.getU8(c.pos);
  if (len >= 2 && first === len - 1) {
    // ECDHE: a one-byte point length (RFC 8422 §5.7).
    const it = c.label('EC Diffie-Hellman Client Params', c.pos, len);
    c.within(it, () => {
      const n = c.u8(F['handshake.client_point_len']);
      c.bytes(n, F['handshake.client_point']);
    });
  } else if (len >= 2 && c.getU16(c.pos) === len - 2) {
    // RSA (RFC 5246 §7.4.7.1) or DHE (§7.4.7.2): both a two-byte length; the cipher suite tells
    // which, and Wireshark shows RSA's field unless it knows the suite is DHE.
    const it = c.label('RSA Encrypted PreMaster Secret', c.pos, len);
    c.within(it, () => {
      const n = c.u16(F['handshake.epms_len']);
      c.bytes(n, F['handshake.epms']);
    });
  } else if (len > 0) {
    c.add(F['handshake.epms'], c.pos, len, c.getBytes(c.pos, len));
  }
  out.labels.push('ClientKeyExchange');
}

function certificateRequest(x: Ctx, bend: number): void {
  const { c, out } = x;
  if (x.version === 0x0304) {
    const n = c.u8(F['handshake.certificate_request_context_length']);
    if (n) c.bytes(n, F['handshake.certificate_request_context']);
    extensions(x, bend, 13);
  } else {
    const n = c.u8(F['handshake.cert_types_count']);
    const it = box(c, F['handshake.cert_types'], n, `Certificate types (${plural(n, 'type', 'types')})`);
    c.within(it, () => {
      for (let i = 0; i < n; i++) c.u8(F['handshake.cert_type']);
    });
    if (x.version >= 0x0303) sigAlgList(x);
    const dl = c.u16(F['handshake.dnames_len']);
    const e = c.pos + dl;
    const dn = box(c, F['handshake.dnames'], dl, `Distinguished Names (${dl} bytes)`);
    c.within(dn, () => {
      while (c.pos + 2 <= e) {
        const n1 = c.u16(F['handshake.dname_len']);
        box(c, F['handshake.dname'], n1);
        c.skip(n1);
      }
    });
  }
  out.labels.push('CertificateRequest');
}

function sigAlgList(x: Ctx): void {
  const { c } = x;
  const n = c.u16(F['handshake.sig_hash_alg_len']);
  const e = c.pos + n;
  const it = box(
    c,
    F['handshake.sig_hash_algs'],
    n,
    `Signature Hash Algorithms (${plural(n >> 1, 'algorithm', 'algorithms')})`,
  );
  c.within(it, () => {
    while (c.pos + 2 <= e) {
      const at = c.pos;
      const v = c.u16();
      const a = c.add(F['handshake.sig_hash_alg'], at, 2, v);
      c.within(a, () => {
        c.add(F['handshake.sig_hash_hash'], at, 1, v >> 8);
        c.add(F['handshake.sig_hash_sig'], at + 1, 1, v & 0xff);
      });
    }
  });
  c.pos = e;
}

// ---- extensions ---------------------------------------------------------------------------------

/** The extensions block of a message of handshake type `hs` (which decides some forms). */
function extensions(x: Ctx, bend: number, hs: number): void {
  const { c } = x;
  const total = c.u16(F['handshake.extensions_length']);
  const end = Math.min(c.pos + total, bend);
  while (c.pos + 4 <= end) {
    const at = c.pos;
    const type = c.getU16(at);
    const len = c.getU16(at + 2);
    const name = V.EXTENSION_TYPES[type] ?? 'Unknown';
    c.check(at, 4 + len);
    const it = c.label(`Extension: ${name} (len=${len})`, at, 4 + len);
    c.within(it, () => {
      c.u16(F['handshake.extension.type']);
      c.u16(F['handshake.extension.len']);
      const e = c.pos + len;
      c.check(c.pos, len);
      extension(x, type, e, hs);
      c.pos = e;
    });
  }
  c.pos = end;
}

function extension(x: Ctx, type: number, e: number, hs: number): void {
  const { c, out } = x;
  const len = e - c.pos;
  switch (type) {
    case 0: {
      // server_name (RFC 6066 §3); a ServerHello's is empty.
      if (!len) return;
      const it = c.label('Server Name Indication extension', c.pos, len);
      c.within(it, () => {
        const ll = c.u16(F['handshake.extensions_server_name_list_len']);
        const le = c.pos + ll;
        while (c.pos + 3 <= le) {
          c.u8(F['handshake.extensions_server_name_type']);
          const n = c.u16(F['handshake.extensions_server_name_len']);
          const s = c.text(n, F['handshake.extensions_server_name']);
          if (out.sni === undefined) out.sni = s;
        }
      });
      return;
    }
    case 10: {
      const n = c.u16(F['handshake.extensions_supported_groups_length']);
      const it = box(
        c,
        F['handshake.extensions_supported_groups'],
        n,
        `Supported Groups (${plural(n >> 1, 'group', 'groups')})`,
      );
      c.within(it, () => {
        const ge = c.pos + n;
        while (c.pos + 2 <= ge) c.u16(F['handshake.extensions_supported_group']);
      });
      return;
    }
    case 11: {
      const n = c.u8(F['handshake.extensions_ec_point_formats_length']);
      const it = box(
        c,
        F['handshake.extensions_ec_point_formats'],
        n,
        `Elliptic curves point formats (${n})`,
      );
      c.within(it, () => {
        for (let i = 0; i < n; i++) c.u8(F['handshake.extensions_ec_point_format']);
      });
      return;
    }
    case 13:
    case 50:
      sigAlgList(x);
      return;
    case 16: {
      const n = c.u16(F['handshake.extensions_alpn_len']);
      const it = box(c, F['handshake.extensions_alpn_list'], n, 'ALPN Protocol');
      const list: string[] = [];
      c.within(it, () => {
        const ae = c.pos + n;
        while (c.pos + 1 <= ae) {
          const sl = c.u8(F['handshake.extensions_alpn_str_len']);
          list.push(c.text(sl, F['handshake.extensions_alpn_str']));
        }
      });
      out.alpn = list;
      return;
    }
    case 5: {
      if (!len) return;
      c.u8(F['handshake.extensions_status_request_type']);
      c.skip(c.u16(F['handshake.extensions_status_request_responder_ids_len']));
      c.skip(c.u16(F['handshake.extensions_status_request_exts_len']));
      return;
    }
    case 15:
      c.u8(F['handshake.extension.heartbeat.mode']);
      return;
    case 1:
      c.u8(F['handshake.max_fragment_length']);
      return;
    case 21:
      c.bytes(len, F['handshake.extensions_padding_data']);
      return;
    case 35:
      if (len) c.bytes(len, F['handshake.extension.data']);
      // tshark 4.0 prints an empty FT_BYTES as `<MISSING>` in -T fields.
      else c.add(F['handshake.extension.data'], c.pos, 0, '<MISSING>', 'Data (0 bytes)');
      return;
    case 43: {
      if (hs === 1) {
        const n = c.u8(F['handshake.extensions.supported_versions_len']);
        const ve = c.pos + n;
        while (c.pos + 2 <= ve) c.u16(F['handshake.extensions.supported_version']);
      } else {
        const v = c.u16(F['handshake.extensions.supported_version']);
        out.serverVersion = v;
      }
      return;
    }
    case 44: {
      const n = c.u16(F['handshake.extensions.cookie_len']);
      c.bytes(n, F['handshake.extensions.cookie']);
      return;
    }
    case 45: {
      const n = c.u8(F['extension.psk_ke_modes_length']);
      for (let i = 0; i < n; i++) c.u8(F['extension.psk_ke_mode']);
      return;
    }
    case 41: {
      if (hs !== 1) {
        c.u16(F['handshake.extensions.psk.identity.selected']);
        return;
      }
      const it = c.label('Pre-Shared Key extension', c.pos, len);
      c.within(it, () => {
        const il = c.u16(F['handshake.extensions.psk.identities.length']);
        const ie = c.pos + il;
        while (c.pos + 2 <= ie) {
          const idl = c.u16(F['handshake.extensions.psk.identity.identity_length']);
          c.bytes(idl, F['handshake.extensions.psk.identity.identity']);
          c.u32(F['handshake.extensions.psk.identity.obfuscated_ticket_age']);
        }
        c.pos = ie;
        const bl = c.u16(F['handshake.extensions.psk.binders_len']);
        box(c, F['handshake.extensions.psk.binders'], bl, `PSK Binders`);
        c.skip(bl);
      });
      return;
    }
    case 51: {
      const it = c.label('Key Share extension', c.pos, len);
      c.within(it, () => {
        if (hs === 6) {
          const g = c.u16(F['handshake.extensions_key_share_selected_group']);
          out.selectedGroup = g;
          return;
        }
        let ke = e;
        if (hs === 1) {
          const n = c.u16(F['handshake.extensions_key_share_client_length']);
          ke = c.pos + n;
        }
        while (c.pos + 4 <= ke) {
          const at = c.pos;
          const g = c.getU16(at);
          const kl = c.getU16(at + 2);
          c.check(at, 4 + kl);
          const entry = c.label(
            `Key Share Entry: Group: ${V.GROUPS[g] ?? 'Unknown'}, Key Exchange length: ${kl}`,
            at,
            4 + kl,
          );
          c.within(entry, () => {
            c.u16(F['handshake.extensions_key_share_group']);
            c.u16(F['handshake.extensions_key_share_key_exchange_length']);
            c.bytes(kl, F['handshake.extensions_key_share_key_exchange']);
          });
        }
      });
      return;
    }
    case 65281: {
      const n = c.u8(F['handshake.extensions_reneg_info_len']);
      if (n) c.bytes(n, F['handshake.extensions_reneg_info']);
      return;
    }
    default:
      // Extensions Wireshark shows with no body fields (encrypt_then_mac, extended_master_secret,
      // post_handshake_auth…) have none here either; the others' bytes as data.
      if (len && type !== 22 && type !== 23 && type !== 49) c.bytes(len, F['handshake.extension.data']);
      return;
  }
}

// ---- records ------------------------------------------------------------------------------------

/** Application protocol of encrypted data, as far as the capture tells it. */
function appProto(conn: ConnState, p: PacketInfo): string {
  if (conn.alpn === 'h2') return 'HyperText Transfer Protocol 2';
  if (conn.alpn.startsWith('http/1')) return 'Hypertext Transfer Protocol';
  if (p.srcport === 443 || p.dstport === 443) return 'Hypertext Transfer Protocol';
  return '';
}

function dissect(c: Cursor, p: PacketInfo): DissectResult {
  const start = c.start;
  const end = c.end;
  // Layers of this frame before this one: the index of this layer within the frame.
  let idx = 0;
  for (let i = 0; i < p.protocols.length - 1; i++) if (p.protocols[i] === 'tls') idx++;
  const cols = p.cols;
  if (cols && idx === 0) p.columns.info = '';

  const stream = p.stream;
  const tracked = stream >= 0 && !p.inError;
  const key = p.frame.number * 64 + Math.min(idx, 63);
  let hist: StreamHistory | undefined;
  let conn: ConnState;
  if (tracked) {
    const ts = tlsSession(p);
    hist = ts.streams.get(stream);
    if (!hist) ts.streams.set(stream, (hist = { live: newConn(), keys: [], states: [] }));
    conn = p.visited ? stateBefore(hist, key) : hist.live;
  } else conn = newConn();
  const before = tracked && !p.visited ? copyConn(conn) : null;
  // A later visit sees the session as tshark's second pass (-2) and Wireshark's list do: its
  // version is the one the whole connection settled on, from its first record.
  const finalVersion = p.visited && hist ? hist.live.version : 0;

  const port = p.srcport;
  const addr = p.netSrc ? addrText(p) : '';
  let dir: 0 | 1 =
    conn.clientPort < 0
      ? 0
      : port === conn.clientPort && (!conn.clientAddr || addr === conn.clientAddr)
        ? 0
        : 1;

  const infos: string[] = [];
  let pos = start;
  let records = 0;
  try {
    while (pos < end) {
      if (end - pos < 5) {
        c.pos = pos;
        c.check(pos, 5);
      }
      if (!plausibleRecord(c.data, pos, c.declaredEnd)) {
        const n = end - pos;
        c.expert('tls.ignored_unknown_record', 'warn', 'protocol', 'Ignored Unknown Record', pos, n);
        if (!records) infos.push('Ignored Unknown Record');
        c.pos = end;
        break;
      }
      const ct = c.getU8(pos);
      const rver = c.getU16(pos + 1);
      const rlen = c.getU16(pos + 3);
      const hsType = ct === CT_HANDSHAKE && rlen > 0 && pos + 5 < end ? c.getU8(pos + 5) : -1;
      if (ct === CT_HANDSHAKE && hsType === 1 && conn.clientPort < 0) {
        conn.clientPort = port;
        conn.clientAddr = addr;
        dir = 0;
      }
      const encHs = ct === CT_HANDSHAKE && conn.ccs[dir] && conn.version !== 0x0304 && !conn.pend[dir];
      if (conn.version === 0 && ct !== CT_HANDSHAKE) conn.version = rver;
      else if (conn.version === 0 && ct === CT_HANDSHAKE && hsType !== 1 && hsType !== 2 && !encHs)
        conn.version = rver;
      const labelVersion = finalVersion || conn.version || rver;
      const vname = VERSION_SHORT[labelVersion] ?? 'TLS';
      const recEnd = pos + 5 + rlen;
      const tls13 = (finalVersion || conn.version) === 0x0304;
      // A record cut by the snaplen is shown over the bytes that are there.
      const rec = c.add(F.record, pos, Math.min(5 + rlen, end - pos), null, `${vname} Record Layer`);
      records++;
      c.within(rec, () => {
        c.pos = pos;
        const opaque = tls13 && ct === CT_APPDATA;
        c.u8(opaque ? F['record.opaque_type'] : F['record.content_type']);
        c.u16(F['record.version']);
        c.u16(F['record.length']);
        c.check(pos + 5, rlen);
        switch (ct) {
          case CT_CCS: {
            c.add(F.change_cipher_spec, pos + 5, rlen, null);
            infos.push('Change Cipher Spec');
            if (rec) rec.label += ': Change Cipher Spec Protocol: Change Cipher Spec';
            // RFC 5246 §7.3: a server that goes from ServerHello straight to ChangeCipherSpec
            // resumed a session (by session id or ticket), as Wireshark notes.
            if (dir === 1 && !conn.full && !conn.ccs[1] && (finalVersion || conn.version) !== 0x0304)
              c.generated(F.resumed, null);
            if (conn.version !== 0x0304) conn.ccs[dir] = true;
            emitMessage(p, {
              proto: 'tls',
              label: 'ChangeCipherSpec',
              role: dir === 0 ? 'client' : 'server',
            });
            break;
          }
          case CT_ALERT: {
            if (rlen === 2 && !(conn.ccs[dir] && conn.version !== 0x0304)) {
              const level = c.getU8(pos + 5);
              const desc = c.getU8(pos + 6);
              const ln = V.ALERT_LEVELS[level] ?? `Unknown (${level})`;
              const dn = V.ALERT_DESCS[desc] ?? `Unknown (${desc})`;
              const text = `Alert (Level: ${ln}, Description: ${dn})`;
              const am = c.add(F.alert_message, pos + 5, 2, null, `Alert Message`);
              c.within(am, () => {
                c.u8(F['alert_message.level']);
                c.u8(F['alert_message.desc']);
              });
              infos.push(text);
              if (rec) rec.label += `: ${text}`;
              emitMessage(p, {
                proto: 'tls',
                label: `Alert ${ln.toLowerCase()} ${alertSnake(dn)}`,
                detail: text,
                role: dir === 0 ? 'client' : 'server',
              });
            } else {
              c.add(F.alert_message, pos + 5, rlen, null, 'Alert Message');
              infos.push('Encrypted Alert');
              if (rec) rec.label += ': Encrypted Alert';
              emitMessage(p, {
                proto: 'tls',
                label: 'Encrypted Alert',
                role: dir === 0 ? 'client' : 'server',
              });
            }
            break;
          }
          case CT_HANDSHAKE: {
            if (encHs) {
              c.add(F.handshake, pos + 5, rlen, null, 'Handshake Protocol: Encrypted Handshake Message');
              infos.push('Encrypted Handshake Message');
              if (rec) rec.label += ': Handshake Protocol: Encrypted Handshake Message';
              emitMessage(p, {
                proto: 'tls',
                label: 'Encrypted Handshake Message',
                role: dir === 0 ? 'client' : 'server',
              });
              break;
            }
            handshakeRecord(c, p, conn, dir, pos + 5, recEnd, rec, infos, vname, finalVersion);
            break;
          }
          case CT_APPDATA: {
            const ap = appProto(conn, p);
            c.add(F.app_data, pos + 5, rlen, c.getBytes(pos + 5, rlen));
            if (ap) c.generated(F.app_data_proto, ap);
            infos.push('Application Data');
            if (rec) rec.label += `: Application Data Protocol: ${ap || 'Application Data'}`;
            emitMessage(p, {
              proto: 'tls',
              label: `Application Data ${rlen} bytes`,
              role: dir === 0 ? 'client' : 'server',
            });
            break;
          }
          case CT_HEARTBEAT: {
            const hb = c.add(F.heartbeat_message, pos + 5, rlen, null, 'Heartbeat Message');
            if (conn.ccs[dir] || rlen < 3) {
              infos.push('Encrypted Heartbeat');
              if (rec) rec.label += ': Encrypted Heartbeat';
              break;
            }
            c.within(hb, () => {
              const t = c.u8(F['heartbeat_message.type']);
              const pl = c.u16(F['heartbeat_message.payload_length']);
              const n = Math.min(pl, recEnd - c.pos);
              c.bytes(n, F['heartbeat_message.payload']);
              if (c.pos < recEnd) c.bytes(recEnd - c.pos, F['heartbeat_message.padding']);
              const tn = V.HEARTBEAT_TYPES[t] ?? `Unknown (${t})`;
              infos.push(`Heartbeat ${tn}`);
              if (rec) rec.label += `: Heartbeat ${tn}`;
            });
            break;
          }
        }
      });
      if (cols) p.columns.protocol = VERSION_SHORT[finalVersion || conn.version || rver] ?? 'TLS';
      pos = recEnd;
      c.pos = pos;
    }
  } finally {
    if (cols && infos.length) {
      const joined = infos.join(', ');
      p.columns.info = p.columns.info ? `${p.columns.info}, ${joined}` : joined;
    }
    if (hist && before && !sameConn(before, conn)) {
      hist.keys.push(key);
      hist.states.push(copyConn(conn));
    }
  }
  return { summary: 'Transport Layer Security', headerLength: 0 };
}

function alertSnake(desc: string): string {
  return desc.toLowerCase().replace(/ /g, '_');
}

/** A Handshake record: whole messages, fragments kept for later, a message completed here. */
function handshakeRecord(
  c: Cursor,
  p: PacketInfo,
  conn: ConnState,
  dir: 0 | 1,
  body: number,
  end: number,
  rec: Item | null,
  infos: string[],
  vname: string,
  finalVersion: number,
): void {
  const version = finalVersion || conn.version;

  const role = dir === 0 ? 'client' : 'server';
  const pend = conn.pend[dir];
  const names: string[] = [];
  let summary: HandshakeSummary;
  if (pend) {
    // The message started in an earlier record: complete it from this one's bytes.
    const need = 4 + ((pend[1] << 16) | (pend[2] << 8) | pend[3]);
    const have = pend.length;
    const take = Math.min(need - have, end - body);
    const joined = new Uint8Array(have + take);
    joined.set(pend);
    joined.set(c.getBytes(body, take), have);
    if (have + take < need) {
      conn.pend[dir] = joined;
      conn.pendFrames[dir].push(p.frame.number);
      const n = V.HANDSHAKE_TYPES[pend[0]] ?? 'Unknown';
      infos.push(`[${n} Fragment]`);
      if (rec) rec.label += `: Handshake Protocol: ${n} (fragment)`;
      const it = c.add(F.handshake, body, end - body, null, `Handshake Protocol: ${n} (fragment)`);
      c.within(it, () => reassembledIn(c, p));
      return;
    }
    conn.pend[dir] = null;
    const frames = [...conn.pendFrames[dir], p.frame.number];
    if (!p.visited && p.stream >= 0) {
      const ri = tlsSession(p).reassembledIn;
      for (const f of frames) if (f !== p.frame.number) ri.set(f, p.frame.number);
    }

    conn.pendFrames[dir] = [];
    c.add(
      F.handshake,
      body,
      take,
      null,
      `Handshake Protocol: ${V.HANDSHAKE_TYPES[pend[0]] ?? 'Unknown'} (last fragment)`,
    );
    p.sources.push({ name: `Reassembled Handshake Message (${need} bytes)`, bytes: joined });
    const sub = new Cursor(joined, 0, joined.length, c.tree, p.sources.length);
    const frag = c.add(
      F['handshake.fragments'],
      body,
      0,
      null,
      `${frames.length} Reassembled Handshake Fragments (${need} bytes): ${frames.map((f) => `#${f}`).join(', ')}`,
    );
    c.within(frag, () => {
      for (const f of frames) c.generated(F['handshake.fragment'], f, `Frame: ${f}`);
      c.generated(F['handshake.fragment.count'], frames.length);
    });
    summary = dissectHandshake(sub, p, 0, joined.length, { version });
    if (rec) {
      rec.children ??= [];
      rec.children.push(...sub.items);
    }
    for (const e of sub.experts) c.expert(e.id, e.severity, e.group, e.message, body, 0);
    afterMessages(conn, summary, names);
    if (body + take < end) {
      const rest = dissectHandshake(c, p, body + take, end, { version });
      afterMessages(conn, rest, names);
      keepPartial(c, p, conn, dir, rest, end, names);
      mergeLabels(summary, rest);
    }
  } else {
    summary = dissectHandshake(c, p, body, end, { version });
    afterMessages(conn, summary, names);
    keepPartial(c, p, conn, dir, summary, end, names);
  }
  for (const n of names) infos.push(n);
  if (rec) {
    const what = names.length > 1 ? 'Multiple Handshake Messages' : (names[0] ?? 'Handshake');
    rec.label = `${vname} Record Layer: Handshake Protocol: ${what}`;
  }
  for (let i = 0; i < summary.labels.length; i++)
    emitMessage(p, {
      proto: 'tls',
      label: summary.labels[i],
      detail: certDetail(summary, summary.labels[i]),
      role,
    });
}

function mergeLabels(a: HandshakeSummary, b: HandshakeSummary): void {
  a.labels.push(...b.labels);
  a.names.push(...b.names);
  a.types.push(...b.types);
}

function certDetail(s: HandshakeSummary, label: string): string | undefined {
  if (!label.startsWith('Certificate') || !s.certificates) return undefined;
  return s.certificates
    .map((x) => `${x.subject} (issuer ${x.issuer}; valid ${x.notBefore} to ${x.notAfter})`)
    .join('\n');
}

/** Session state a message changes: ServerHello's version, ALPN. */
function afterMessages(conn: ConnState, s: HandshakeSummary, names: string[]): void {
  for (const n of s.names) names.push(n);
  if (s.types.some((t) => t === 11 || t === 12 || t === 14)) conn.full = true;

  if (s.serverVersion !== undefined && s.types.includes(2)) {
    conn.version = s.serverVersion;
    if (s.alpn?.length) conn.alpn = s.alpn[0];
  }
}

function keepPartial(
  c: Cursor,
  p: PacketInfo,
  conn: ConnState,
  dir: 0 | 1,
  s: HandshakeSummary,
  end: number,
  names: string[],
): void {
  if (s.partialAt < 0) return;
  const at = s.partialAt;
  conn.pend[dir] = c.getBytes(at, end - at).slice();
  conn.pendFrames[dir] = [p.frame.number];
  const t = c.getU8(at);
  const n = V.HANDSHAKE_TYPES[t] ?? 'Unknown';
  const it = c.add(F.handshake, at, end - at, null, `Handshake Protocol: ${n} (fragment)`);
  c.within(it, () => reassembledIn(c, p));
  names.push(`[${n} Fragment]`);
}

/** `[Reassembled Handshake Message in frame: N]` on a fragment's frame (known after the first pass). */
function reassembledIn(c: Cursor, p: PacketInfo): void {
  if (!c.tree || p.stream < 0) return;
  const f = tlsSession(p).reassembledIn.get(p.frame.number);
  if (f !== undefined)
    c.generated(F['handshake.reassembled_in'], f, `[Reassembled Handshake Message in frame: ${f}]`);
}

export const dissectors: readonly Dissector[] = [
  {
    fields: F,
    pdu: 'record',
    in: { 'tcp.port': WELL_KNOWN_PORTS },
    heuristicIn: ['tcp.port'],
    heuristic,
    framing,
    dissect,
  },
];
