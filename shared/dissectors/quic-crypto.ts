// QUIC Initial packet protection (RFC 9001 §5; QUIC v2: RFC 9369 §3.3), pure JS (@noble), so
// that the engine needs no Node crypto.
//
// Initial secrets: HKDF-Extract(salt of the version, client's first DCID), then
// HKDF-Expand-Label("client in" / "server in"), then per direction "quic key" (16 bytes),
// "quic iv" (12), "quic hp" (16) — "quicv2 …" for QUIC v2. Header protection (§5.4): AES-128-ECB
// of a 16-byte sample taken 4 bytes after the start of the packet number field; payload
// protection (§5.3): AES-128-GCM with the IV XORed with the packet number, the header as AAD.
import { ecb, gcm } from '@noble/ciphers/aes.js';
import { expand, extract } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';

/** What a version changes in packet protection. */
export interface VersionCrypto {
  salt: Uint8Array;
  /** HKDF label prefix for key/iv/hp: `quic ` (v1, drafts) or `quicv2 ` (v2). */
  labelPrefix: string;
  /** Retry integrity AEAD key and nonce (RFC 9001 §5.8, RFC 9369 §3.3.3). */
  retryKey: Uint8Array;
  retryNonce: Uint8Array;
}

export interface DirectionKeys {
  key: Uint8Array;
  iv: Uint8Array;
  hp: Uint8Array;
}

export interface InitialKeys {
  client: DirectionKeys;
  server: DirectionKeys;
}

export function hex(s: string): Uint8Array {
  const out = new Uint8Array(s.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.substr(i * 2, 2), 16);
  return out;
}

const V1: VersionCrypto = {
  salt: hex('38762cf7f55934b34d179ae6a4c80cadccbb7f0a'),
  labelPrefix: 'quic ',
  retryKey: hex('be0c690b9f66575a1d766b54e368c84e'),
  retryNonce: hex('461599d35d632bf2239825bb'),
};
const V2: VersionCrypto = {
  salt: hex('0dede3def700a6db819381be6e269dcbf9bd2ed9'),
  labelPrefix: 'quicv2 ',
  retryKey: hex('8fb4b01b56ac48e260fbcbcead7ccc92'),
  retryNonce: hex('d86969bc2d7c6d9990efb04a'),
};
// draft-ietf-quic-tls-29 §5.2 (drafts 29–32) and -23 §5.2 (drafts 23–28).
const DRAFT29: VersionCrypto = {
  salt: hex('afbfec289993d24c9e9786f19c6111e04390a899'),
  labelPrefix: 'quic ',
  retryKey: hex('ccce187ed09a09d05728155a6cb96be1'),
  retryNonce: hex('e54930f97f2136f0530a8c1c'),
};
const DRAFT23: VersionCrypto = {
  salt: hex('c3eef712c72ebb5a11a7d2432bb46365bef9f502'),
  labelPrefix: 'quic ',
  retryKey: hex('4d32ecdb2a2133c841e4043df27d4430'),
  retryNonce: hex('4d1611d05513a552c587d575'),
};

export const QUIC_V1 = 0x00000001;
export const QUIC_V2 = 0x6b3343cf;
/** The provisional number QUIC v2 drafts used (draft-ietf-quic-v2-01 … -10). */
export const QUIC_V2_DRAFT = 0x709a50c4;

/** The IETF draft number of a draft version (0xff0000NN), 0 otherwise. */
export function draftNumber(version: number): number {
  return version >>> 8 === 0xff0000 ? version & 0xff : 0;
}

/** Whether a version uses QUIC v2's long header packet type codes (RFC 9369 §3.2). */
export function isV2(version: number): boolean {
  return version === QUIC_V2 || version === QUIC_V2_DRAFT;
}

/** Packet protection parameters of a version, or null when Initial packets cannot be opened. */
export function versionCrypto(version: number): VersionCrypto | null {
  if (version === QUIC_V1) return V1;
  // Not the provisional v2 draft number: its drafts changed the salt, and the one ngtcp2 0.12
  // uses under it is none of the published ones (tried: drafts -01 and -05, v1, draft-29).
  if (version === QUIC_V2) return V2;
  const d = draftNumber(version);
  if (d >= 33) return V1;
  if (d >= 29) return DRAFT29;
  if (d >= 23) return DRAFT23;
  // Greased versions that force version negotiation (RFC 9000 §15): Wireshark 4.0 treats them
  // as draft-29, and ngtcp2 protects an Initial sent with one that way too.
  if ((version & 0x0f0f0f0f) === 0x0a0a0a0a) return DRAFT29;
  return null;
}

/** HKDF-Expand-Label (RFC 8446 §7.1) with an empty context, over SHA-256. */
export function expandLabel(secret: Uint8Array, label: string, length: number): Uint8Array {
  // Labels are ASCII; no TextEncoder (shared/ has no DOM or Node globals).
  const text = `tls13 ${label}`;
  const l = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) l[i] = text.charCodeAt(i);
  const info = new Uint8Array(2 + 1 + l.length + 1);
  info[0] = length >> 8;
  info[1] = length & 0xff;
  info[2] = l.length;
  info.set(l, 3);
  return expand(sha256, secret, info, length);
}

function directionKeys(secret: Uint8Array, prefix: string): DirectionKeys {
  return {
    key: expandLabel(secret, `${prefix}key`, 16),
    iv: expandLabel(secret, `${prefix}iv`, 12),
    hp: expandLabel(secret, `${prefix}hp`, 16),
  };
}

/** Both directions' Initial keys for the client's first Destination Connection ID. */
export function initialKeys(vc: VersionCrypto, clientDcid: Uint8Array): InitialKeys {
  const initial = extract(sha256, clientDcid, vc.salt);
  return {
    client: directionKeys(expandLabel(initial, 'client in', 32), vc.labelPrefix),
    server: directionKeys(expandLabel(initial, 'server in', 32), vc.labelPrefix),
  };
}

/** The 5-byte header protection mask for a 16-byte sample (RFC 9001 §5.4.3). */
export function headerMask(hp: Uint8Array, sample: Uint8Array): Uint8Array {
  return ecb(hp, { disablePadding: true }).encrypt(sample).subarray(0, 5);
}

/** A long header packet with its header protection removed. */
export interface Unprotected {
  /** The first byte with its protected bits (reserved, packet number length) revealed. */
  firstByte: number;
  pnLength: number;
  /** The truncated packet number as sent (no reconstruction: each Initial space starts at 0). */
  packetNumber: number;
  /** The header as the AEAD's associated data: first byte and packet number unprotected. */
  header: Uint8Array;
}

/**
 * Removes header protection of the packet `pkt` whose packet number field starts at `pnOffset`.
 * Null when the packet is too short to hold the 16-byte sample (RFC 9001 §5.4.2).
 */
export function removeHeaderProtection(
  hp: Uint8Array,
  pkt: Uint8Array,
  pnOffset: number,
): Unprotected | null {
  if (pnOffset + 4 + 16 > pkt.length) return null;
  const mask = headerMask(hp, pkt.subarray(pnOffset + 4, pnOffset + 20));
  const long = (pkt[0] & 0x80) !== 0;
  const firstByte = pkt[0] ^ (mask[0] & (long ? 0x0f : 0x1f));
  const pnLength = (firstByte & 0x03) + 1;
  const header = pkt.slice(0, pnOffset + pnLength);
  header[0] = firstByte;
  let pn = 0;
  for (let i = 0; i < pnLength; i++) {
    header[pnOffset + i] ^= mask[1 + i];
    pn = pn * 256 + header[pnOffset + i];
  }
  return { firstByte, pnLength, packetNumber: pn, header };
}

/**
 * Opens an AEAD_AES_128_GCM protected payload (`ciphertext` includes the 16-byte tag). Null when
 * authentication fails: wrong keys, a damaged packet, or not QUIC at all.
 */
export function openPayload(
  keys: DirectionKeys,
  packetNumber: number,
  header: Uint8Array,
  ciphertext: Uint8Array,
): Uint8Array | null {
  if (ciphertext.length < 16) return null;
  const nonce = keys.iv.slice();
  // The packet number (at most 62 bits; here at most 32 as sent) XORed into the IV's low bytes.
  let pn = packetNumber;
  for (let i = 11; i >= 4 && pn > 0; i--) {
    nonce[i] ^= pn % 256;
    pn = Math.floor(pn / 256);
  }
  try {
    return gcm(keys.key, nonce, header).decrypt(ciphertext);
  } catch {
    return null;
  }
}

/**
 * Checks a Retry packet's integrity tag (RFC 9001 §5.8): AES-128-GCM over the Retry
 * pseudo-packet (ODCID length, ODCID, then the Retry packet without its tag), empty plaintext.
 */
export function retryTagValid(vc: VersionCrypto, odcid: Uint8Array, retry: Uint8Array): boolean {
  if (retry.length < 16) return false;
  const body = retry.subarray(0, retry.length - 16);
  const pseudo = new Uint8Array(1 + odcid.length + body.length);
  pseudo[0] = odcid.length;
  pseudo.set(odcid, 1);
  pseudo.set(body, 1 + odcid.length);
  const tag = gcm(vc.retryKey, vc.retryNonce, pseudo).encrypt(new Uint8Array(0));
  const want = retry.subarray(retry.length - 16);
  let diff = 0;
  for (let i = 0; i < 16; i++) diff |= tag[i] ^ want[i];
  return diff === 0;
}
