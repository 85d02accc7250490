// Test support: DNS messages built byte by byte (independently of the dissector), carried in
// UDP or TCP frames by the transport tests' crafting helpers, written as classic pcap files.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as b from '../fixtures/l4/craft';

export const { bytes, u16, u32 } = b;

/** Labels as uncompressed wire format, ending with the root. */
export function name(...labels: (string | number[])[]): number[] {
  const out: number[] = [];
  for (const l of labels) {
    const x = typeof l === 'string' ? [...Buffer.from(l)] : l;
    out.push(x.length, ...x);
  }
  out.push(0);
  return out;
}

export function header(id: number, flags: number, qd: number, an = 0, ns = 0, ar = 0): number[] {
  return [...u16(id), ...u16(flags), ...u16(qd), ...u16(an), ...u16(ns), ...u16(ar)];
}

export function question(n: number[], type = 1, cls = 1): number[] {
  return [...n, ...u16(type), ...u16(cls)];
}

export function rr(n: number[], type: number, data: number[], ttl = 300, cls = 1): number[] {
  return [...n, ...u16(type), ...u16(cls), ...u32(ttl), ...u16(data.length), ...data];
}

export const udpFrame = (msg: number[] | Uint8Array, sport = 40000, dport = 53): Uint8Array =>
  b.v4Frame(17, b.udp(b.V4_A, b.V4_B, sport, dport, Uint8Array.from(msg)));

export const udpReply = (msg: number[] | Uint8Array, sport = 53, dport = 40000): Uint8Array =>
  b.v4Frame(17, b.udp(b.V4_B, b.V4_A, sport, dport, Uint8Array.from(msg)), b.V4_B, b.V4_A);

/** A TCP segment (PSH/ACK) of an established connection carrying `payload`. */
export function tcpFrame(
  payload: number[] | Uint8Array,
  seq: number,
  ack: number,
  fromClient = true,
): Uint8Array {
  const [src, dst, sport, dport] = fromClient ? [b.V4_A, b.V4_B, 40001, 53] : [b.V4_B, b.V4_A, 53, 40001];
  return b.v4Frame(
    6,
    b.tcp(src, dst, { sport, dport, seq, ack, flags: 0x018, payload: Uint8Array.from(payload) }),
    src,
    dst,
  );
}

/** The three-way handshake of the connection tcpFrame uses (client ISN 1000, server 5000). */
export function handshake(): Uint8Array[] {
  return [
    b.v4Frame(6, b.tcp(b.V4_A, b.V4_B, { sport: 40001, dport: 53, seq: 999, flags: 0x002 })),
    b.v4Frame(
      6,
      b.tcp(b.V4_B, b.V4_A, { sport: 53, dport: 40001, seq: 4999, ack: 1000, flags: 0x012 }),
      b.V4_B,
      b.V4_A,
    ),
    b.v4Frame(6, b.tcp(b.V4_A, b.V4_B, { sport: 40001, dport: 53, seq: 1000, ack: 5000, flags: 0x010 })),
  ];
}

/** Writes frames (one every 10 ms, or as given) to a fresh temporary pcap; returns its path. */
export function pcap(nameOf: string, frames: (Uint8Array | b.Frame)[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'wirescope-dns-'));
  const timed = frames.map((f, i) => (f instanceof Uint8Array ? { sec: 1000, usec: i * 10000, data: f } : f));
  return b.writeFrames(join(dir, nameOf), timed);
}
