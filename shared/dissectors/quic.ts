// QUIC: RFC 9000 (transport: packets, frames, connection IDs), RFC 9001 (Initial packet
// protection: shared/dissectors/quic-crypto.ts), RFC 9369 (QUIC v2: its packet type codes and
// salt), RFC 8999 (version-independent long/short header, Version Negotiation).
//
// Names, values, tree lines and the Info column follow Wireshark 4.0 (packet-quic.c) without
// TLS secrets: Initial packets are decrypted with keys derived from the client's first
// Destination Connection ID (again from the new one after a Retry); Handshake, 0-RTT and 1-RTT
// packets are shown protected, as tshark shows them ("Failed to create decryption context:
// Secrets are not available" on Handshake packets and on the first 1-RTT packet of a connection).
// The CRYPTO stream of the Initial level is reassembled by offset per direction (a ClientHello may
// span two Initials) and its TLS handshake messages are dissected by tls.ts (dissectHandshake). Connections are numbered in order of appearance (quic.connection.number) and found by
// their connection IDs (short headers: by the IDs seen in long headers) or, for zero-length IDs,
// by the UDP address/port pair.
//
// Deliberate differences from Wireshark 4.0:
// - Found, as in tshark 4.0, by its heuristic only (no port: Google QUIC and other UDP on 443
//   must not be taken for IETF QUIC), and then by the UDP conversation. The heuristic accepts what
//   Wireshark's accepts (a long header with a known version and CID lengths ≤ 20, a short header
//   whose DCID is known) and, standing in for Wireshark's conversation dissector, any datagram
//   between two endpoints that already carried a QUIC connection (a Version Negotiation reply).
// - Coalesced packets (RFC 9000 §12.2) are one layer each (DissectResult.more), so frame.protocols
//   lists `quic` once per packet where tshark lists it once per datagram.
// - The TLS handshake in CRYPTO frames is shown inside the QUIC layer (with tls.* fields), not as
//   a `tls` layer of its own: frame.protocols has no `:tls`.
// - No CRYPTO/STREAM fragment trees (quic.crypto.fragment*): a message completed from several
//   frames is shown from a "Reassembled QUIC CRYPTO" data source with the frames it came from.
import { Cursor, ShortRead, severityName } from '../dissect/cursor';
import type { Dissector, DissectResult, NextHint } from '../dissect/engine';
import { defineFields } from '../dissect/fields';
import { emitMessage, type PacketInfo } from '../dissect/packet';
import type { Expert, ExpertGroup, Item, Severity } from '../dissect/types';
import {
  draftNumber,
  initialKeys,
  isV2,
  openPayload,
  QUIC_V1,
  QUIC_V2,
  QUIC_V2_DRAFT,
  removeHeaderProtection,
  retryTagValid,
  versionCrypto,
  type InitialKeys,
} from './quic-crypto';
import { dissectHandshake } from './tls';

const LONG_TYPES = { 0: 'Initial', 1: '0-RTT', 2: 'Handshake', 3: 'Retry' };
const LONG_TYPES_V2 = { 0: 'Retry', 1: 'Initial', 2: '0-RTT', 3: 'Handshake' };

export const fields = defineFields(
  'quic',
  'QUIC IETF',
  { osi: 4, tcpip: 'transport' },
  {
    'connection.number': { name: 'Connection Number', type: 'u32' },
    packet_length: { name: 'Packet Length', type: 'u32' },
    header_form: {
      name: 'Header Form',
      type: 'u8',
      mask: 0x80,
      vals: { 0: 'Short Header', 1: 'Long Header' },
    },
    'long.packet_type': { name: 'Packet Type', type: 'u8', mask: 0x30, vals: LONG_TYPES },
    'long.packet_type_v2': { name: 'Packet Type', type: 'u8', mask: 0x30, vals: LONG_TYPES_V2 },
    'long.reserved': { name: 'Reserved', type: 'u8', mask: 0x0c },
    packet_number_length: {
      name: 'Packet Number Length',
      type: 'u8',
      mask: 0x03,
      vals: { 0: '1 bytes', 1: '2 bytes', 2: '3 bytes', 3: '4 bytes' },
    },
    dcid: { name: 'Destination Connection ID', type: 'bytes' },
    scid: { name: 'Source Connection ID', type: 'bytes' },
    dcil: { name: 'Destination Connection ID Length', type: 'u8' },
    scil: { name: 'Source Connection ID Length', type: 'u8' },
    token_length: { name: 'Token Length', type: 'u64' },
    token: { name: 'Token', type: 'bytes' },
    length: { name: 'Length', type: 'u64' },
    packet_number: { name: 'Packet Number', type: 'u64' },
    version: { name: 'Version', type: 'u32', base: 'hex' },
    supported_version: { name: 'Supported Version', type: 'u32', base: 'hex' },
    'vn.unused': { name: 'Unused', type: 'u8', base: 'hex', mask: 0x7f },
    short: { name: 'QUIC Short Header', type: 'none' },
    fixed_bit: { name: 'Fixed Bit', type: 'bool', mask: 0x40 },
    spin_bit: { name: 'Spin Bit', type: 'bool', mask: 0x20 },
    'short.reserved': { name: 'Reserved', type: 'u8', mask: 0x18 },
    key_phase: { name: 'Key Phase Bit', type: 'bool', mask: 0x04 },
    payload: { name: 'Payload', type: 'bytes' },
    protected_payload: { name: 'Protected Payload', type: 'bytes' },
    remaining_payload: { name: 'Remaining Payload', type: 'bytes' },
    retry_token: { name: 'Retry Token', type: 'bytes' },
    retry_integrity_tag: { name: 'Retry Integrity Tag', type: 'bytes' },
    frame: { name: 'Frame', type: 'none' },
    frame_type: { name: 'Frame Type', type: 'u64', base: 'hex' },
    padding_length: { name: 'Padding Length', type: 'u32' },
    'ack.largest_acknowledged': { name: 'Largest Acknowledged', type: 'u64' },
    'ack.ack_delay': { name: 'ACK Delay', type: 'u64' },
    'ack.ack_range_count': { name: 'ACK Range Count', type: 'u64' },
    'ack.first_ack_range': { name: 'First ACK Range', type: 'u64' },
    'ack.gap': { name: 'Gap', type: 'u64' },
    'ack.ack_range': { name: 'ACK Range', type: 'u64' },
    'ack.ect0_count': { name: 'ECT(0) Count', type: 'u64' },
    'ack.ect1_count': { name: 'ECT(1) Count', type: 'u64' },
    'ack.ecn_ce_count': { name: 'ECN-CE Count', type: 'u64' },
    'crypto.offset': { name: 'Offset', type: 'u64' },
    'crypto.length': { name: 'Length', type: 'u64' },
    'crypto.crypto_data': { name: 'Crypto Data', type: 'none' },
    'nt.length': { name: '(Token) Length', type: 'u64' },
    'nt.token': { name: 'Token', type: 'bytes' },
    'cc.error_code': { name: 'Error code', type: 'u64' },
    'cc.error_code.app': { name: 'Application Error code', type: 'u64' },
    'cc.frame_type': { name: 'Frame Type', type: 'u64' },
    'cc.reason_phrase.length': { name: 'Reason phrase Length', type: 'u64' },
    'cc.reason_phrase': { name: 'Reason phrase', type: 'string' },
    'connection.unknown': {
      name: 'Unknown QUIC connection. Missing Initial Packet or migrated connection?',
      type: 'none',
    },
    'ft.unknown': { name: 'Unknown Frame Type', type: 'none' },
    decryption_failed: { name: 'Failed to decrypt handshake', type: 'none' },
    bad_retry: { name: 'Retry Integrity Tag verification failure', type: 'none' },
    coalesced_padding_data: { name: 'Coalesced Padding Data', type: 'none' },
    retransmission: {
      name: 'This QUIC frame has a reused stream offset (retransmission?)',
      type: 'none',
    },
  },
);

const F = fields;

/** Wireshark's names for versions (quic_version_vals); others are "Unknown". */
export function versionName(v: number): string {
  if (v === 0) return 'Version Negotiation';
  if (v === QUIC_V1) return '1';
  if (v === QUIC_V2) return '2';
  if (v === QUIC_V2_DRAFT) return 'v2-draft-01';
  const d = draftNumber(v);
  if (d) return `draft-${String(d).padStart(2, '0')}`;
  if (v === 0xfaceb001) return 'Facebook mvfst (draft-22)';
  if (v === 0xfaceb002) return 'Facebook mvfst (draft-27)';
  if (v === 0xfaceb00e) return 'Facebook mvfst (Experimental)';
  return 'Unknown';
}

const isForcingVn = (v: number) => (v & 0x0f0f0f0f) === 0x0a0a0a0a;

/**
 * Wireshark 4.0's quic_draft_version: which draft a version behaves like (0: not QUIC as far as
 * the heuristic is concerned). v2 drafts under the provisional number are not included, as there.
 */
function draftLike(v: number): number {
  const d = draftNumber(v);
  if (d) return d;
  if (v === 0xfaceb001) return 22;
  if (v === 0xfaceb002 || v === 0xfaceb00e) return 27;
  if (v === 0x51303530 || v === 0x54303530 || v === 0x54303531) return 27;
  if (isForcingVn(v)) return 29;
  if (v === QUIC_V1) return 34;
  if (v === QUIC_V2) return 100;
  return 0;
}

/** Long header packet type in v1 terms: 0 Initial, 1 0-RTT, 2 Handshake, 3 Retry. */
function longType(first: number, version: number): number {
  const t = (first & 0x30) >> 4;
  return isV2(version) ? (t + 3) % 4 : t;
}

const FRAME_NAMES: Readonly<Record<number, string>> = {
  0x00: 'PADDING',
  0x01: 'PING',
  0x02: 'ACK',
  0x03: 'ACK',
  0x04: 'RESET_STREAM',
  0x05: 'STOP_SENDING',
  0x06: 'CRYPTO',
  0x07: 'NEW_TOKEN',
  0x10: 'MAX_DATA',
  0x11: 'MAX_STREAM_DATA',
  0x12: 'MAX_STREAMS (BIDI)',
  0x13: 'MAX_STREAMS (UNI)',
  0x14: 'DATA_BLOCKED',
  0x15: 'STREAM_DATA_BLOCKED',
  0x16: 'STREAMS_BLOCKED (BIDI)',
  0x17: 'STREAMS_BLOCKED (UNI)',
  0x18: 'NEW_CONNECTION_ID',
  0x19: 'RETIRE_CONNECTION_ID',
  0x1a: 'PATH_CHALLENGE',
  0x1b: 'PATH_RESPONSE',
  0x1c: 'CONNECTION_CLOSE',
  0x1d: 'CONNECTION_CLOSE',
  0x1e: 'HANDSHAKE_DONE',
};

const HANDSHAKE_NAMES: Readonly<Record<number, string>> = {
  1: 'Client Hello',
  2: 'Server Hello',
  4: 'New Session Ticket',
  8: 'Encrypted Extensions',
  11: 'Certificate',
  13: 'Certificate Request',
  15: 'Certificate Verify',
  20: 'Finished',
};

// ---- connection state (first pass), read back on later visits ------------------------------

/** The CRYPTO stream of one direction at the Initial encryption level. */
interface CryptoStream {
  /** Bytes from offset 0 up to `have` (contiguous), in a buffer that grows. */
  buf: Uint8Array;
  have: number;
  /** Chunks beyond a hole, by offset, until the hole is filled. */
  pending: Map<number, Uint8Array>;
  /** Where the next handshake message starts. */
  next: number;
  /** Frame number that supplied each byte range: [start, end, frame]. */
  origin: [number, number, number][];
}

interface Conn {
  number: number;
  version: number;
  /** The client's endpoint (address bytes + port): tells the direction of every packet. */
  client: string;
  /** The DCID Initial keys come from: the client's first, or its first after a Retry. */
  initialDcid: Uint8Array | null;
  /** The client's original DCID, for the Retry integrity tag. */
  odcid: Uint8Array | null;
  keys: InitialKeys | null;
  clientCidLen: number;
  serverCidLen: number;
  /** Wireshark gives up on 1-RTT after the first attempt without secrets (skip_decryption). */
  oneRttTried: boolean;
  crypto: [CryptoStream, CryptoStream];
  largestPn: [number, number];
}

/** A TLS handshake message completed by a CRYPTO frame. */
interface HandshakeMsg {
  type: number;
  /** The whole message (4-byte header included). */
  bytes: Uint8Array;
  /** Offset of the message in the CRYPTO frame's data, or -1 when it came from several frames. */
  inFrame: number;
  frames: number[];
}

interface CryptoNote {
  retransmission: boolean;
  messages: HandshakeMsg[];
}

/** What the first pass learned about one QUIC packet of a datagram. */
interface PacketRecord {
  conn: number;
  fromServer: boolean;
  firstByte: number;
  pnLength: number;
  pn: number;
  plain: Uint8Array | null;
  /** Why the packet could not be opened ("Secrets are not available"…), shown as an expert. */
  error: string | null;
  /** Decryption (AEAD) failed though keys existed. */
  authFailed: boolean;
  crypto: CryptoNote[];
  retry: 'verified' | 'failed' | 'unknown' | null;
  /** The Info label's SNI / ALPN (ClientHello) for the application message. */
  hello: string | null;
}

interface QuicState {
  conns: Conn[];
  byCid: Map<string, Conn>;
  cidLens: number[];
  /** Connections by the unordered pair of UDP endpoints, the latest first. */
  byPair: Map<string, Conn>;
  frames: Map<number, PacketRecord[]>;
}

const newState = (): QuicState => ({
  conns: [],
  byCid: new Map(),
  cidLens: [],
  byPair: new Map(),
  frames: new Map(),
});

const stateOf = (p: PacketInfo) => p.session.state<QuicState>('quic', newState);

function hexKey(b: Uint8Array, at = 0, len = b.length): string {
  let s = '';
  for (let i = at; i < at + len; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return s;
}

function endpoint(addr: Uint8Array | null, port: number): string {
  return addr ? `${hexKey(addr)}/${port}` : `?/${port}`;
}

function pairKey(p: PacketInfo): string {
  const a = endpoint(p.netSrc, p.srcport);
  const b = endpoint(p.netDst, p.dstport);
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

function addCid(st: QuicState, conn: Conn, cid: Uint8Array): void {
  if (!cid.length) return;
  st.byCid.set(hexKey(cid), conn);
  if (!st.cidLens.includes(cid.length)) st.cidLens.push(cid.length);
}

/** A connection whose ID starts the short header at `at` (DCID length unknown: try each seen). */
function connByShortDcid(st: QuicState, data: Uint8Array, at: number, end: number): Conn | undefined {
  for (const n of st.cidLens) {
    if (at + n > end) continue;
    const c = st.byCid.get(hexKey(data, at, n));
    if (c) return c;
  }
  return undefined;
}

function newCrypto(): CryptoStream {
  return { buf: new Uint8Array(1536), have: 0, pending: new Map(), next: 0, origin: [] };
}

/** A QUIC variable-length integer (RFC 9000 §16) at `at`: [value, length]; null past `end`. */
function varintAt(d: Uint8Array, at: number, end: number): [number, number] | null {
  if (at >= end) return null;
  const len = 1 << (d[at] >> 6);
  if (at + len > end) return null;
  let v = d[at] & 0x3f;
  for (let i = 1; i < len; i++) v = v * 256 + d[at + i];
  return [v, len];
}

/** A varint read through the cursor (short reads are the engine's to report). */
function varint(c: Cursor, at: number): [number, number] {
  const first = c.getU8(at);
  const len = 1 << (first >> 6);
  c.check(at, len);
  let v = first & 0x3f;
  for (let i = 1; i < len; i++) v = v * 256 + c.data[at + i];
  return [v, len];
}

/** The value for a u64 field: exact as a bigint beyond 2^53. */
const u64 = (v: number): number | bigint => (Number.isSafeInteger(v) ? v : BigInt(Math.round(v)));

// ---- the header: where things are, before any state ---------------------------------------

interface Header {
  long: boolean;
  first: number;
  version: number;
  type: number;
  dcid: Uint8Array;
  scid: Uint8Array;
  /** Long headers: token (Initial), the Length field and where the packet number starts. */
  tokenAt: number;
  tokenLen: number;
  lengthAt: number;
  lengthLen: number;
  length: number;
  pnAt: number;
  /** End of this packet in the datagram (the Length field's end, or the datagram's). */
  end: number;
}

/** Reads a long header's layout from raw bytes; null when it does not hold together. */
function longHeader(d: Uint8Array, at: number, end: number): Header | null {
  if (at + 7 > end) return null;
  const first = d[at];
  const version = ((d[at + 1] << 24) | (d[at + 2] << 16) | (d[at + 3] << 8) | d[at + 4]) >>> 0;
  let o = at + 5;
  const dcil = d[o++];
  if (o + dcil + 1 > end) return null;
  const dcid = d.subarray(o, o + dcil);
  o += dcil;
  const scil = d[o++];
  if (o + scil > end) return null;
  const scid = d.subarray(o, o + scil);
  o += scil;
  const h: Header = {
    long: true,
    first,
    version,
    type: version === 0 ? -1 : longType(first, version),
    dcid,
    scid,
    tokenAt: -1,
    tokenLen: 0,
    lengthAt: -1,
    lengthLen: 0,
    length: 0,
    pnAt: -1,
    end,
  };
  if (version === 0 || h.type === 3) return h;
  if (h.type === 0) {
    const t = varintAt(d, o, end);
    if (!t) return h;
    h.tokenAt = o + t[1];
    h.tokenLen = t[0];
    o += t[1] + t[0];
  }
  const l = varintAt(d, o, end);
  if (!l) return h;
  h.lengthAt = o;
  h.lengthLen = l[1];
  h.length = l[0];
  h.pnAt = o + l[1];
  // A later coalesced packet starts where Length says this one ends (RFC 9000 §12.2); a Length
  // beyond the datagram is the display's to report (truncated or malformed).
  h.end = h.pnAt + h.length;
  return h;
}

// ---- first pass: connections, keys, decryption, CRYPTO reassembly -------------------------

function findConn(
  st: QuicState,
  h: Header,
  d: Uint8Array,
  at: number,
  end: number,
  p: PacketInfo,
): Conn | undefined {
  let conn: Conn | undefined;
  if (h.long) conn = h.dcid.length ? st.byCid.get(hexKey(h.dcid)) : undefined;
  else conn = connByShortDcid(st, d, at + 1, end);
  // An ID reused by another client (the RFC test vectors all use one) is another connection.
  if (conn && conn.client !== endpoint(p.netSrc, p.srcport) && conn.client !== endpoint(p.netDst, p.dstport))
    conn = undefined;
  return conn ?? st.byPair.get(pairKey(p));
}

function newConn(st: QuicState, h: Header, p: PacketInfo): Conn {
  const conn: Conn = {
    number: st.conns.length,
    version: h.version,
    client: endpoint(p.netSrc, p.srcport),
    initialDcid: h.dcid.slice(),
    odcid: h.dcid.slice(),
    keys: null,
    clientCidLen: h.scid.length,
    serverCidLen: h.dcid.length,
    oneRttTried: false,
    crypto: [newCrypto(), newCrypto()],
    largestPn: [-1, -1],
  };
  st.conns.push(conn);
  addCid(st, conn, h.dcid);
  return conn;
}

/** RFC 9000 §A.3: the full packet number from its truncated form and the largest seen. */
function fullPn(largest: number, truncated: number, bytes: number): number {
  const expected = largest + 1;
  const win = 2 ** (bytes * 8);
  const half = win / 2;
  const candidate = Math.floor(expected / win) * win + truncated;
  if (candidate <= expected - half && candidate < 2 ** 62 - win) return candidate + win;
  if (candidate > expected + half && candidate >= win) return candidate - win;
  return candidate;
}

function firstPass(
  st: QuicState,
  h: Header,
  d: Uint8Array,
  at: number,
  p: PacketInfo,
  first: boolean,
  capEnd: number,
): PacketRecord {
  const rec: PacketRecord = {
    conn: -1,
    fromServer: false,
    firstByte: h.first,
    pnLength: 0,
    pn: 0,
    plain: null,
    error: null,
    authFailed: false,
    crypto: [],
    retry: null,
    hello: null,
  };
  let conn = findConn(st, h, d, at, h.end, p);
  if (!conn && h.long && h.version !== 0 && (h.type === 0 || h.type === 1)) conn = newConn(st, h, p);
  if (!conn) return rec;
  if (first) st.byPair.set(pairKey(p), conn);
  rec.conn = conn.number;
  const fromServer = endpoint(p.netSrc, p.srcport) !== conn.client;
  rec.fromServer = fromServer;
  if (!h.long) {
    if (!conn.oneRttTried) {
      conn.oneRttTried = true;
      rec.error = 'Secrets are not available';
    }
    return rec;
  }
  if (h.version !== 0) {
    addCid(st, conn, h.scid);
    if (fromServer) conn.serverCidLen = h.scid.length;
    else conn.clientCidLen = h.scid.length;
  }
  if (h.type === 3) {
    const vc = versionCrypto(h.version) ?? versionCrypto(QUIC_V1)!;
    const pkt = d.subarray(at, h.end);
    rec.retry = conn.odcid ? (retryTagValid(vc, conn.odcid, pkt) ? 'verified' : 'failed') : 'unknown';
    // The client's next Initial goes to the server's new ID, and keys come from it (RFC 9001 §5.2).
    conn.initialDcid = null;
    conn.keys = null;
    return rec;
  }
  if (h.version === 0 || h.type === 2 || h.type === 1) {
    if (h.type === 2 || (h.type === 1 && !fromServer)) rec.error = 'Secrets are not available';
    return rec;
  }
  // An Initial: keys from the client's (first, or first after Retry) DCID; a server Initial in
  // another version than the connection's (compatible version negotiation) re-derives them.
  if (!fromServer && !conn.initialDcid) conn.initialDcid = h.dcid.slice();
  if (!fromServer && conn.initialDcid && keyEq(h.dcid, conn.initialDcid) && !conn.keys) {
    conn.version = h.version;
    conn.keys = deriveKeys(h.version, conn.initialDcid);
  } else if (fromServer && h.version !== conn.version && conn.initialDcid) {
    conn.version = h.version;
    conn.keys = deriveKeys(h.version, conn.initialDcid);
  }
  if (!conn.keys) {
    rec.error = `no Initial salt known for version 0x${h.version.toString(16).padStart(8, '0')}`;
    return rec;
  }
  if (h.pnAt < 0) {
    rec.error = 'Header deprotection failed';
    return rec;
  }
  if (h.end > capEnd) {
    // Cut by the snaplen, or longer than its datagram: nothing to authenticate, nothing decrypted.
    return rec;
  }
  const dir = fromServer ? conn.keys.server : conn.keys.client;
  const pkt = d.subarray(at, h.end);
  const u = removeHeaderProtection(dir.hp, pkt, h.pnAt - at);
  if (!u) {
    rec.error = 'Header deprotection failed';
    return rec;
  }
  rec.firstByte = u.firstByte;
  rec.pnLength = u.pnLength;
  const side = fromServer ? 1 : 0;
  rec.pn = fullPn(conn.largestPn[side], u.packetNumber, u.pnLength);
  const ct = pkt.subarray(h.pnAt - at + u.pnLength);
  const plain = openPayload(dir, rec.pn, u.header, ct);
  if (!plain) {
    rec.authFailed = true;
    return rec;
  }
  if (rec.pn > conn.largestPn[side]) conn.largestPn[side] = rec.pn;
  rec.plain = plain;
  collectCrypto(conn.crypto[side], plain, rec, p.frame.number);
  return rec;
}

function keyEq(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Null for a version whose Initial salt is unknown: its packets stay protected. */
function deriveKeys(version: number, dcid: Uint8Array): InitialKeys | null {
  const vc = versionCrypto(version);
  return vc ? initialKeys(vc, dcid) : null;
}

/** Walks the decrypted frames for CRYPTO data and feeds the stream (first pass only). */
function collectCrypto(s: CryptoStream, plain: Uint8Array, rec: PacketRecord, frame: number): void {
  let o = 0;
  const end = plain.length;
  while (o < end) {
    const t = varintAt(plain, o, end);
    if (!t) return;
    const type = t[0];
    o += t[1];
    if (type === 0x00 || type === 0x01 || type === 0x1e) continue;
    if (type === 0x02 || type === 0x03) {
      const la = varintAt(plain, o, end);
      if (!la) return;
      o += la[1];
      const delay = varintAt(plain, o, end);
      if (!delay) return;
      o += delay[1];
      const count = varintAt(plain, o, end);
      if (!count) return;
      o += count[1];
      const n = 1 + count[0] * 2 + (type === 0x03 ? 3 : 0);
      for (let i = 0; i < n; i++) {
        const v = varintAt(plain, o, end);
        if (!v) return;
        o += v[1];
      }
      continue;
    }
    if (type === 0x06) {
      const off = varintAt(plain, o, end);
      if (!off) return;
      o += off[1];
      const len = varintAt(plain, o, end);
      if (!len) return;
      o += len[1];
      if (o + len[0] > end) return;
      rec.crypto.push(feedCrypto(s, off[0], plain.subarray(o, o + len[0]), frame));
      o += len[0];
      continue;
    }
    // Anything else ends the walk; the display pass reports it.
    return;
  }
}

function feedCrypto(s: CryptoStream, off: number, data: Uint8Array, frame: number): CryptoNote {
  const note: CryptoNote = { retransmission: false, messages: [] };
  if (off + data.length <= s.have) {
    note.retransmission = true;
    // A ClientHello sent again (after a Retry, or lost): named for the message label only; the
    // tree shows it as Wireshark does, as a retransmission, not as TLS again.
    if (off === 0 && data.length >= 4) {
      const len = (data[1] << 16) | (data[2] << 8) | data[3];
      if (4 + len <= data.length)
        note.messages.push({ type: data[0], bytes: data.slice(0, 4 + len), inFrame: 0, frames: [frame] });
    }
    return note;
  }
  if (off > s.have) {
    // Beyond a hole: kept until the bytes before it arrive.
    if (!s.pending.has(off)) s.pending.set(off, data.slice());
    s.origin.push([off, off + data.length, frame]);
    return note;
  }
  const frameStart = off;
  append(s, off, data, frame);
  for (let again = true; again;) {
    again = false;
    for (const [o, chunk] of s.pending) {
      if (o <= s.have) {
        s.pending.delete(o);
        if (o + chunk.length > s.have) append(s, o, chunk, frame);
        again = true;
      }
    }
  }
  // Every handshake message now complete (RFC 8446 §4: type, 24-bit length, body).
  while (s.next + 4 <= s.have) {
    const b = s.buf;
    const len = (b[s.next + 1] << 16) | (b[s.next + 2] << 8) | b[s.next + 3];
    if (s.next + 4 + len > s.have) break;
    const start = s.next;
    const stop = start + 4 + len;
    const frames: number[] = [];
    for (const [a, z, f] of s.origin) if (a < stop && z > start && !frames.includes(f)) frames.push(f);
    const inside = start >= frameStart && stop <= off + data.length && frames.length === 1;
    note.messages.push({
      type: b[start],
      bytes: b.slice(start, stop),
      inFrame: inside ? start - frameStart : -1,
      frames,
    });
    s.next = stop;
  }
  return note;
}

function append(s: CryptoStream, off: number, data: Uint8Array, frame: number): void {
  const from = s.have - off;
  const need = off + data.length;
  if (need > s.buf.length) {
    const grown = new Uint8Array(Math.max(need, s.buf.length * 2));
    grown.set(s.buf.subarray(0, s.have));
    s.buf = grown;
  }
  s.buf.set(data.subarray(from), s.have);
  s.origin.push([s.have, need, frame]);
  s.have = need;
}

// ---- TLS handshake messages, as far as the labels need -------------------------------------

interface Hello {
  sni: string | null;
  alpn: string[];
}

/** SNI and ALPN of a ClientHello (RFC 8446 §4.1.2, RFC 6066 §3, RFC 7301 §3.1); null if odd. */
export function clientHelloInfo(m: Uint8Array): Hello | null {
  try {
    let o = 4 + 2 + 32;
    o += 1 + m[o];
    o += 2 + ((m[o] << 8) | m[o + 1]);
    o += 1 + m[o];
    const extEnd = Math.min(m.length, o + 2 + ((m[o] << 8) | m[o + 1]));
    o += 2;
    const out: Hello = { sni: null, alpn: [] };
    while (o + 4 <= extEnd) {
      const type = (m[o] << 8) | m[o + 1];
      const len = (m[o + 2] << 8) | m[o + 3];
      const body = o + 4;
      if (body + len > extEnd) break;
      if (type === 0 && len >= 5) {
        const n = (m[body + 3] << 8) | m[body + 4];
        if (m[body + 2] === 0 && body + 5 + n <= body + len) out.sni = latin1(m, body + 5, n);
      } else if (type === 16 && len >= 2) {
        const lend = Math.min(body + 2 + ((m[body] << 8) | m[body + 1]), body + len);
        for (let a = body + 2; a < lend;) {
          const n = m[a];
          if (a + 1 + n > lend) break;
          out.alpn.push(latin1(m, a + 1, n));
          a += 1 + n;
        }
      }
      o = body + len;
    }
    return out;
  } catch {
    return null;
  }
}

function latin1(b: Uint8Array, at: number, n: number): string {
  let s = '';
  for (let i = at; i < at + n && i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}

/**
 * One handshake message under its CRYPTO frame, dissected by TLS (tls.ts dissectHandshake:
 * tls.handshake.* fields) inside a "TLSv1.3 Record Layer" line as Wireshark draws it. A message
 * whose body is shorter than its own fields ends there (marked), the QUIC layer goes on.
 */
function handshakeItems(d: Cursor, p: PacketInfo, m: HandshakeMsg, at: number): void {
  const name = HANDSHAKE_NAMES[m.type] ?? `Unknown (${m.type})`;
  const top = d.label(`TLSv1.3 Record Layer: Handshake Protocol: ${name}`, at, m.bytes.length);
  d.within(top, () => {
    if (m.frames.length > 1 || m.inFrame < 0)
      d.label(`[Reassembled from the CRYPTO frames of frames ${m.frames.join(', ')}]`, at, 0);
    try {
      dissectHandshake(d, p, at, at + m.bytes.length, { quic: true, version: 0x0304 });
    } catch (e) {
      if (!(e instanceof ShortRead)) throw e;
      note(
        d,
        F['ft.unknown'],
        'error',
        'malformed',
        `Malformed TLS handshake message (${name}) at offset ${e.at}`,
        at,
        0,
      );
    }
  });
}

// ---- display --------------------------------------------------------------------------------

interface QuicContext {
  quicPacket: number;
  firstDcid: string | null;
}

function isQuicContext(x: unknown): x is QuicContext {
  return typeof x === 'object' && x !== null && 'quicPacket' in x;
}

function versionLabel(name: string, v: number, suffix = ''): string {
  return `${name}: ${versionName(v)} (0x${v.toString(16).padStart(8, '0')})${suffix}`;
}

/** DCID/SCID lengths and values, as dissect_quic_long_header_common. */
function commonLong(c: Cursor, p: PacketInfo, h: Header, at: number): void {
  const sfx = isForcingVn(h.version) ? ' (Forcing Version Negotiation)' : '';
  c.add(F.version, at + 1, 4, h.version, versionLabel('Version', h.version, sfx));
  let o = at + 5;
  c.add(F.dcil, o, 1, h.dcid.length);
  o += 1;
  if (h.dcid.length) c.add(F.dcid, o, h.dcid.length, h.dcid);
  o += h.dcid.length;
  c.add(F.scil, o, 1, h.scid.length);
  o += 1;
  if (h.scid.length) c.add(F.scid, o, h.scid.length, h.scid);
  if (p.cols) {
    if (h.dcid.length) p.columns.info += `, DCID=${hexKey(h.dcid)}`;
    if (h.scid.length) p.columns.info += `, SCID=${hexKey(h.scid)}`;
  }
}

/**
 * An expert note with its own filter field under it, as Wireshark's expert_add_info (so
 * `quic.decryption_failed` is a field as well as a note). Wireshark files decryption notes
 * under PI_DECRYPTION (the `decryption` group).
 */
function note(
  c: Cursor,
  f: typeof F.decryption_failed,
  severity: Severity,
  group: ExpertGroup,
  message: string,
  at: number,
  len = 0,
): void {
  const e: Expert = { id: f.abbrev, severity, group, message, offset: at, length: len };
  c.experts.push(e);
  if (group === 'malformed') c.malformed = true;
  if (!c.tree) return;
  const it = c.label(
    `[Expert Info (${severityName(severity)}/${group[0].toUpperCase()}${group.slice(1)}): ${message}]`,
    at,
    len,
  );
  if (!it) return;
  it.abbrev = '_ws.expert';
  it.expert = e;
  it.generated = true;
  c.within(it, () => {
    const g = c.add(f, at, 0, null, `[${message}]`);
    if (g) g.generated = true;
  });
}

/** The frames of a decrypted payload (RFC 9000 §19), in a cursor over the plaintext. */
function dissectFrames(d: Cursor, p: PacketInfo, rec: PacketRecord): void {
  const end = d.end;
  let cryptoIndex = 0;
  while (d.pos < end) {
    const at = d.pos;
    const [type, tlen] = varint(d, at);
    const name = FRAME_NAMES[type] ?? ((type & ~7) === 0x08 ? 'STREAM' : undefined);
    if (name === undefined) {
      const it = d.add(F.frame, at, end - at, null, `Unknown Frame Type`);
      d.within(it, () => {
        d.add(
          F.frame_type,
          at,
          tlen,
          u64(type),
          `Frame Type: Unknown (0x${type.toString(16).padStart(16, '0')})`,
        );
        note(d, F['ft.unknown'], 'note', 'undecoded', 'Unknown Frame Type', at, tlen);
      });
      if (p.cols) p.columns.info += ', Unknown Frame Type';
      d.pos = end;
      return;
    }
    if (type === 0) {
      // Consecutive PADDING frames are one item, as Wireshark shows them.
      let n = 0;
      while (at + n < end && d.data[at + n] === 0) n++;
      const it = d.add(F.frame, at, n, null, `PADDING Length: ${n}`);
      d.within(it, () => {
        d.add(F.frame_type, at, 1, 0, frameTypeLabel('PADDING', 0));
        const g = d.add(F.padding_length, at + 1, 0, n, `[Padding Length: ${n}]`);
        if (g) g.generated = true;
      });
      if (p.cols) p.columns.info += ', PADDING';
      d.pos = at + n;
      continue;
    }
    const it = d.add(F.frame, at, 0, null, name);
    if (p.cols) p.columns.info += `, ${name}`;
    d.pos = at;
    d.within(it, () => {
      d.add(F.frame_type, at, tlen, u64(type), frameTypeLabel(name, type));
      d.pos = at + tlen;
      frameBody(d, type, rec, cryptoIndex, p);
    });
    if (type === 0x06) cryptoIndex++;
    if (it) it.length = d.pos - at;
  }
}

function frameTypeLabel(name: string, type: number): string {
  return `Frame Type: ${name} (0x${type.toString(16).padStart(16, '0')})`;
}

/** Reads a varint field at the cursor, adding it as `f`. */
function vfield(d: Cursor, f: typeof F.length): number {
  const [v, n] = varint(d, d.pos);
  d.add(f, d.pos, n, u64(v));
  d.pos += n;
  return v;
}

function frameBody(d: Cursor, type: number, rec: PacketRecord, cryptoIndex: number, p: PacketInfo): void {
  switch (type) {
    case 0x01:
    case 0x1e:
      return;
    case 0x02:
    case 0x03: {
      vfield(d, F['ack.largest_acknowledged']);
      vfield(d, F['ack.ack_delay']);
      const count = vfield(d, F['ack.ack_range_count']);
      vfield(d, F['ack.first_ack_range']);
      for (let i = 0; i < count; i++) {
        vfield(d, F['ack.gap']);
        vfield(d, F['ack.ack_range']);
      }
      if (type === 0x03) {
        vfield(d, F['ack.ect0_count']);
        vfield(d, F['ack.ect1_count']);
        vfield(d, F['ack.ecn_ce_count']);
      }
      return;
    }
    case 0x06: {
      const off = vfield(d, F['crypto.offset']);
      const len = vfield(d, F['crypto.length']);
      const dataAt = d.pos;
      d.check(dataAt, len);
      d.add(F['crypto.crypto_data'], dataAt, len, null);
      const cn = rec.crypto[cryptoIndex];
      if (cn?.retransmission) {
        note(
          d,
          F.retransmission,
          'note',
          'sequence',
          'This QUIC frame has a reused stream offset (retransmission?)',
          dataAt,
          len,
        );
      }
      for (const m of cn && !cn.retransmission ? cn.messages : []) {
        if (m.inFrame >= 0) handshakeItems(d, p, m, dataAt + m.inFrame);
        else if (d.tree) {
          // A message from several frames: its own data source, as Wireshark's reassembled tab.
          p.sources.push({ name: `Reassembled QUIC CRYPTO (${m.bytes.length} bytes)`, bytes: m.bytes });
          const r = new Cursor(m.bytes, 0, m.bytes.length, true, p.sources.length);
          handshakeItems(r, p, m, 0);
          const host = d.label(
            `[${m.frames.length} QUIC CRYPTO frames reassembled, offset ${off}]`,
            dataAt,
            0,
          );
          if (host) host.children = r.items;
        }
      }
      d.pos = dataAt + len;
      return;
    }
    case 0x07: {
      const n = vfield(d, F['nt.length']);
      d.bytes(n, F['nt.token']);
      return;
    }
    case 0x1c:
    case 0x1d: {
      vfield(d, type === 0x1c ? F['cc.error_code'] : F['cc.error_code.app']);
      if (type === 0x1c) vfield(d, F['cc.frame_type']);
      const n = vfield(d, F['cc.reason_phrase.length']);
      d.text(n, F['cc.reason_phrase']);
      return;
    }
    default: {
      // Frames not allowed at the Initial level (RFC 9000 §12.4) are not expected here: the rest
      // of the payload is left undecoded rather than guessed at.
      note(
        d,
        F['ft.unknown'],
        'note',
        'undecoded',
        `Frame not decoded at this level: 0x${type.toString(16)}`,
        d.pos,
        0,
      );
      d.pos = d.end;
    }
  }
}

/** One QUIC packet of a datagram: [at, h.end). */
function dissectPacket(c: Cursor, p: PacketInfo): DissectResult {
  const at = c.start;
  const data = c.data;
  const ctxIn = isQuicContext(p.context) ? p.context : null;
  const index = ctxIn?.quicPacket ?? 0;
  const firstInDatagram = index === 0;
  if (p.cols) {
    p.columns.protocol = 'QUIC';
  }
  const first = c.getU8(at);
  const long = (first & 0x80) !== 0;
  let h: Header | null;
  if (long) {
    // Needs the version and both CID lengths: a short read past them is the engine's to report.
    c.check(at, 6);
    h = longHeader(data, at, c.end);
    if (!h) {
      c.check(at, c.end - at + 1);
      h = null;
    }
  } else {
    h = {
      long: false,
      first,
      version: 0,
      type: -1,
      dcid: new Uint8Array(0),
      scid: new Uint8Array(0),
      tokenAt: -1,
      tokenLen: 0,
      lengthAt: -1,
      lengthLen: 0,
      length: 0,
      pnAt: -1,
      end: c.end,
    };
  }
  const hdr = h!;
  const st = stateOf(p);
  const frameNo = p.frame.number;

  // Coalesced packets must share the first packet's DCID; anything else is padding (§12.2).
  if (!firstInDatagram && hdr.long && ctxIn?.firstDcid !== null && ctxIn?.firstDcid !== hexKey(hdr.dcid)) {
    note(
      c,
      F.coalesced_padding_data,
      'note',
      'protocol',
      '(Random) padding data appended to the datagram',
      at,
      0,
    );
    c.pos = c.end;
    return { summary: 'QUIC IETF', next: null };
  }

  let rec: PacketRecord | undefined;
  if (p.inError) rec = undefined;
  else if (!p.visited) {
    rec = firstPass(st, hdr, data, at, p, firstInDatagram, c.end);
    let list = st.frames.get(frameNo);
    if (!list) st.frames.set(frameNo, (list = []));
    list[index] = rec;
  } else rec = st.frames.get(frameNo)?.[index];
  const conn = rec && rec.conn >= 0 ? st.conns[rec.conn] : undefined;

  if (firstInDatagram) {
    const info = c.label('QUIC Connection information', at, 0);
    c.within(info, () => {
      if (conn) {
        const g = c.add(F['connection.number'], at, 0, conn.number, `[Connection Number: ${conn.number}]`);
        if (g) g.generated = true;
      } else
        note(
          c,
          F['connection.unknown'],
          'note',
          'protocol',
          'Unknown QUIC connection. Missing Initial Packet or migrated connection?',
          at,
          0,
        );
    });
  }
  const plen = hdr.end - at;
  const pl = c.add(F.packet_length, at, 0, plen, `[Packet Length: ${plen}]`);
  if (pl) pl.generated = true;

  let label: string;
  if (hdr.long && hdr.version === 0) label = versionNegotiation(c, p, hdr, at);
  else if (hdr.long && hdr.type === 3) label = retry(c, p, hdr, at, rec);
  else if (hdr.long) label = longPacket(c, p, hdr, at, rec, conn);
  else label = shortPacket(c, p, hdr, at, rec, conn);

  if (rec && conn) {
    emitMessage(p, {
      proto: 'quic',
      label,
      role: rec.fromServer ? 'server' : 'client',
      substream: `quic:${conn.number}`,
      detail: hdr.long
        ? `${versionName(hdr.version)} DCID=${hexKey(hdr.dcid) || '(empty)'} SCID=${hexKey(hdr.scid) || '(empty)'}`
        : undefined,
    });
  }

  c.pos = Math.max(c.pos, hdr.end);
  let more: NextHint[] | null = null;
  if (hdr.end < c.end && hdr.long && hdr.version !== 0 && hdr.type !== 3) {
    more = [
      {
        proto: 'quic',
        offset: hdr.end,
        end: c.declaredEnd,
        context: { quicPacket: index + 1, firstDcid: ctxIn?.firstDcid ?? hexKey(hdr.dcid) },
      },
    ];
  }
  return { summary: 'QUIC IETF', next: null, headerLength: hdr.end - at, more };
}

function versionNegotiation(c: Cursor, p: PacketInfo, h: Header, at: number): string {
  if (p.cols) p.columns.info = 'Version Negotiation';
  c.bits(F.header_form, h.first, at, 1);
  c.bits(F['vn.unused'], h.first, at, 1);
  commonLong(c, p, h, at);
  let o = at + 7 + h.dcid.length + h.scid.length;
  while (o < c.declaredEnd) {
    const v = c.getU32(o);
    c.add(
      F.supported_version,
      o,
      4,
      v,
      versionLabel('Supported Version', v, isForcingVn(v) ? ' (GREASE)' : ''),
    );
    o += 4;
  }
  c.pos = o;
  return 'QUIC Version Negotiation';
}

function retry(c: Cursor, p: PacketInfo, h: Header, at: number, rec: PacketRecord | undefined): string {
  c.bits(F.header_form, h.first, at, 1);
  c.bits(isV2(h.version) ? F['long.packet_type_v2'] : F['long.packet_type'], h.first, at, 1);
  if (p.cols) p.columns.info = 'Retry';
  commonLong(c, p, h, at);
  const tokenAt = at + 7 + h.dcid.length + h.scid.length;
  const end = c.declaredEnd;
  let tokenLen = end - tokenAt;
  if (tokenLen >= 16) tokenLen -= 16;
  c.add(F.retry_token, tokenAt, tokenLen, c.getBytes(tokenAt, tokenLen));
  const tagAt = tokenAt + tokenLen;
  const tag = c.getBytes(tagAt, 16);
  const verdict = rec?.retry ?? 'unknown';
  const it = c.add(
    F.retry_integrity_tag,
    tagAt,
    16,
    tag,
    `Retry Integrity Tag: ${hexKey(tag)}${verdict === 'verified' ? ' [verified]' : ''}`,
  );
  if (verdict !== 'verified')
    c.within(it, () =>
      note(
        c,
        F.bad_retry,
        'warn',
        'protocol',
        verdict === 'failed'
          ? 'Retry Integrity Tag verification failure'
          : 'Cannot verify Retry Packet due to unknown ODCID',
        tagAt,
        16,
      ),
    );
  c.pos = tagAt + 16;
  return 'QUIC Retry';
}

function longPacket(
  c: Cursor,
  p: PacketInfo,
  h: Header,
  at: number,
  rec: PacketRecord | undefined,
  conn: Conn | undefined,
): string {
  const typeName = LONG_TYPES[h.type as 0 | 1 | 2];
  c.bits(F.header_form, h.first, at, 1);
  c.bits(F.fixed_bit, h.first, at, 1);
  c.bits(isV2(h.version) ? F['long.packet_type_v2'] : F['long.packet_type'], h.first, at, 1);
  const pnKnown = !!rec && rec.pnLength > 0;
  if (pnKnown) {
    c.bits(F['long.reserved'], rec!.firstByte, at, 1);
    c.bits(F.packet_number_length, rec!.firstByte, at, 1);
  }
  if (p.cols) p.columns.info = typeName;
  commonLong(c, p, h, at);
  const tokenLenAt = at + 7 + h.dcid.length + h.scid.length;
  if (h.type === 0) {
    const [tl, tn] = varint(c, tokenLenAt);
    c.add(F.token_length, tokenLenAt, tn, u64(tl));
    if (tl) c.add(F.token, tokenLenAt + tn, tl, c.getBytes(tokenLenAt + tn, tl));
  }
  if (h.lengthAt < 0) {
    // The Length field is cut off: read it through the cursor so the engine says where.
    varint(c, h.tokenAt >= 0 ? h.tokenAt + h.tokenLen : tokenLenAt);
    c.check(c.end, 1);
  }
  c.add(F.length, h.lengthAt, h.lengthLen, u64(h.length));
  c.pos = h.pnAt;
  const plain = typeName === 'Initial' ? 'QUIC Initial' : `QUIC ${typeName} (protected)`;
  if (rec?.error) {
    note(
      c,
      F.decryption_failed,
      'warn',
      'decryption',
      `Failed to create decryption context: ${rec.error}`,
      at,
      0,
    );
    remaining(c, h.pnAt, h.end);
    return plain;
  }
  if (!conn || !pnKnown) {
    note(c, F.decryption_failed, 'warn', 'decryption', 'Failed to decrypt packet number', at, 0);
    remaining(c, h.pnAt, h.end);
    return plain;
  }
  const r = rec!;
  c.add(F.packet_number, h.pnAt, r.pnLength, u64(r.pn));
  if (p.cols) p.columns.info += `, PKN: ${r.pn}`;
  const payAt = h.pnAt + r.pnLength;
  c.check(payAt, h.end - payAt);
  c.add(F.payload, payAt, h.end - payAt, c.getBytes(payAt, h.end - payAt));
  c.pos = h.end;
  if (!r.plain) {
    note(
      c,
      F.decryption_failed,
      'warn',
      'decryption',
      'Decryption failed: the AEAD tag did not verify',
      payAt,
      h.end - payAt,
    );
    return plain;
  }
  let source = c.source;
  if (c.tree) {
    p.sources.push({ name: `Decrypted QUIC (${r.plain.length} bytes)`, bytes: r.plain });
    source = p.sources.length;
  }
  const d = new Cursor(r.plain, 0, r.plain.length, c.tree, source);
  try {
    dissectFrames(d, p, r);
  } finally {
    adopt(c, d);
  }
  return typeName === 'Initial' ? initialLabel(r) : plain;
}

/** The frames' items and notes become the layer's (the cursor over the plaintext ends here). */
function adopt(c: Cursor, d: Cursor): void {
  if (c.tree) for (const it of d.items) c.items.push(it as Item);
  for (const e of d.experts) c.experts.push(e);
  if (d.malformed) c.malformed = true;
}

function initialLabel(r: PacketRecord): string {
  for (const n of r.crypto) {
    for (const m of n.messages) {
      if (m.type === 1) {
        const h = clientHelloInfo(m.bytes);
        let s = 'QUIC Initial ClientHello';
        if (h?.sni) s += ` SNI=${h.sni}`;
        if (h?.alpn.length) s += ` ALPN=${h.alpn.join(',')}`;
        return s;
      }
      if (m.type === 2) return 'QUIC Initial ServerHello';
    }
  }
  return 'QUIC Initial';
}

function remaining(c: Cursor, from: number, end: number): void {
  // A packet longer than what was captured (or than the datagram) stops here, marked by the engine.
  c.check(from, end - from);
  if (end > from) c.add(F.remaining_payload, from, end - from, c.getBytes(from, end - from));
  c.pos = Math.max(c.pos, end);
}

function shortPacket(
  c: Cursor,
  p: PacketInfo,
  h: Header,
  at: number,
  rec: PacketRecord | undefined,
  conn: Conn | undefined,
): string {
  const dcidLen = conn && rec ? (rec.fromServer ? conn.clientCidLen : conn.serverCidLen) : 0;
  const dcid = c.getBytes(at + 1, Math.min(dcidLen, Math.max(0, c.end - at - 1)));
  const hex = hexKey(dcid);
  const sh = c.add(F.short, at, c.end - at, null, `QUIC Short Header${dcidLen ? ` DCID=${hex}` : ''}`);
  c.within(sh, () => {
    c.bits(F.header_form, h.first, at, 1);
    c.bits(F.fixed_bit, h.first, at, 1);
    c.bits(F.spin_bit, h.first, at, 1);
    if (dcidLen) c.add(F.dcid, at + 1, dcidLen, dcid);
  });
  if (p.cols) p.columns.info = `Protected Payload (KP0)${dcidLen ? `, DCID=${hex}` : ''}`;
  if (rec?.error)
    note(
      c,
      F.decryption_failed,
      'warn',
      'decryption',
      `Failed to create decryption context: ${rec.error}`,
      at,
      0,
    );
  remaining(c, at + 1 + dcid.length, c.end);
  return 'QUIC 1-RTT (protected)';
}

// ---- the heuristic ---------------------------------------------------------------------------

/**
 * Strict: a long header with a version Wireshark 4.0 knows (or a Version Negotiation packet
 * between endpoints that carried QUIC already) and CID lengths within RFC 9000's 20 bytes; a
 * short header only when its DCID belongs to a connection seen in long headers.
 */
export function looksLikeQuic(data: Uint8Array, offset: number, end: number, p: PacketInfo): boolean {
  if (end - offset < 13) {
    return false;
  }
  const first = data[offset];
  const st = p.session.peek<QuicState>('quic');
  if ((first & 0x80) === 0) {
    if (!st || end - offset < 1 + 1 + 1 + 16) return false;
    // A zero-length DCID (clients may choose one) names no connection: the endpoints do, as
    // Wireshark's UDP conversation does.
    return connByShortDcid(st, data, offset + 1, end) !== undefined || st.byPair.has(pairKey(p));
  }
  const version =
    ((data[offset + 1] << 24) | (data[offset + 2] << 16) | (data[offset + 3] << 8) | data[offset + 4]) >>> 0;
  const dcil = data[offset + 5];
  if (dcil > 20 || offset + 6 + dcil >= end) return false;
  if (data[offset + 6 + dcil] > 20) return false;
  if (draftLike(version) >= 11) return true;
  return !!st && st.byPair.has(pairKey(p));
}

export const dissectors: readonly Dissector[] = [
  {
    fields: F,
    pdu: 'packet',
    heuristicIn: ['udp.port'],
    heuristic: looksLikeQuic,
    dissect: dissectPacket,
  },
];
