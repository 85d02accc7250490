// Test support for the tap: collect its stream, read it back with our own reader, parse the
// reconstructed IP/TCP/UDP headers independently of the code that built them (checksums verified
// by summing the whole header to 0xffff, not by recomputing the builder's way), tshark's
// `follow,tcp,raw`, and a byte-recording proxy. (The seeded random source is the labs' own
// seededRandom, electron/labs/tcp-udp/udp-relay.ts.)
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { createReader } from '../../shared/capture/reader';
import type { CapturePacket, InterfaceInfo } from '../../shared/capture/types';
import type { LiveSink } from '../../electron/live/source';
import { tsharkPath } from '../support/tshark';

export interface Collector extends LiveSink {
  chunks: Uint8Array[];
  ends: (string | null)[];
  bytes(): Uint8Array;
}

export function collector(): Collector {
  const chunks: Uint8Array[] = [];
  const ends: (string | null)[] = [];
  return {
    chunks,
    ends,
    data: (c) => chunks.push(c.slice()),
    end: (p) => ends.push(p),
    bytes: () => Buffer.concat(chunks),
  };
}

export interface ReadPacket {
  tsSec: number;
  tsNsec: number;
  comments: string[];
  data: Uint8Array;
  linktype: number;
}

export function readCapture(bytes: Uint8Array): {
  packets: ReadPacket[];
  ifaces: InterfaceInfo[];
  warnings: string[];
} {
  const packets: ReadPacket[] = [];
  const ifaces: InterfaceInfo[] = [];
  const warnings: string[] = [];
  const r = createReader({
    packet: (p: CapturePacket) =>
      packets.push({
        tsSec: p.tsSec,
        tsNsec: p.tsNsec,
        comments: p.comments ?? (p.comment ? [p.comment] : []),
        data: p.data.slice(),
        linktype: p.linktype,
      }),
    info: () => undefined,
    iface: (i) => ifaces.push(i),
    warning: (w) => warnings.push(`${w.offset}: ${w.message}`),
  });
  r.push(bytes);
  r.end();
  return { packets, ifaces, warnings };
}

export interface Parsed {
  v6: boolean;
  src: string;
  dst: string;
  proto: number;
  ipTotal: number;
  ipId: number;
  ttl: number;
  df: boolean;
  ipChecksumOk: boolean;
  sport: number;
  dport: number;
  /** TCP only. */
  seq: number;
  ack: number;
  flags: number;
  window: number;
  mss?: number;
  /** UDP only. */
  udpLength: number;
  l4ChecksumOk: boolean;
  payload: Uint8Array;
}

function ones(bytes: Uint8Array, sum = 0): number {
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i] << 8) | (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

function addr(b: Uint8Array): string {
  if (b.length === 4) return b.join('.');
  return ipv6(b);
}

function ipv6(b: Uint8Array): string {
  const g: string[] = [];
  for (let i = 0; i < 16; i += 2) g.push(((b[i] << 8) | b[i + 1]).toString(16));
  return g.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

export function parsePacket(d: Uint8Array): Parsed {
  const dv = new DataView(d.buffer, d.byteOffset, d.byteLength);
  const v6 = d[0] >> 4 === 6;
  let hl: number,
    proto: number,
    src: Uint8Array,
    dst: Uint8Array,
    ipTotal: number,
    ipId = 0,
    ttl: number,
    df = false;
  let ipChecksumOk = true;
  if (v6) {
    hl = 40;
    ipTotal = 40 + dv.getUint16(4);
    proto = d[6];
    ttl = d[7];
    src = d.subarray(8, 24);
    dst = d.subarray(24, 40);
  } else {
    hl = (d[0] & 15) * 4;
    ipTotal = dv.getUint16(2);
    ipId = dv.getUint16(4);
    df = (dv.getUint16(6) & 0x4000) !== 0;
    ttl = d[8];
    proto = d[9];
    src = d.subarray(12, 16);
    dst = d.subarray(16, 20);
    ipChecksumOk = ones(d.subarray(0, hl)) === 0xffff;
  }
  const l4 = d.subarray(hl, ipTotal);
  const pseudo = new Uint8Array(src.length * 2 + 4);
  pseudo.set(src, 0);
  pseudo.set(dst, src.length);
  new DataView(pseudo.buffer).setUint16(src.length * 2, proto);
  new DataView(pseudo.buffer).setUint16(src.length * 2 + 2, l4.length);
  const l4ChecksumOk = ones(l4, ones(pseudo)) === 0xffff;
  const l4v = new DataView(l4.buffer, l4.byteOffset, l4.byteLength);
  const base = {
    v6,
    src: addr(src),
    dst: addr(dst),
    proto,
    ipTotal,
    ipId,
    ttl,
    df,
    ipChecksumOk,
    sport: l4v.getUint16(0),
    dport: l4v.getUint16(2),
    l4ChecksumOk,
  };
  if (proto === 6) {
    const off = (l4[12] >> 4) * 4;
    let mss: number | undefined;
    for (let i = 20; i < off;) {
      if (l4[i] === 0) break;
      if (l4[i] === 1) {
        i++;
        continue;
      }
      if (l4[i] === 2) mss = l4v.getUint16(i + 2);
      i += l4[i + 1];
    }
    return {
      ...base,
      seq: l4v.getUint32(4),
      ack: l4v.getUint32(8),
      flags: l4[13],
      window: l4v.getUint16(14),
      mss,
      udpLength: 0,
      payload: l4.subarray(off),
    };
  }
  return {
    ...base,
    seq: 0,
    ack: 0,
    flags: 0,
    window: 0,
    udpLength: l4v.getUint16(4),
    payload: l4.subarray(8),
  };
}

/** `tshark -z follow,tcp,raw,N`: the bytes each way (node 0 = the side that sent first). */
export function followRaw(file: string, stream = 0): { node0: Buffer; node1: Buffer; nodes: string[] } {
  const out = execFileSync(tsharkPath, ['-n', '-r', file, '-q', '-z', `follow,tcp,raw,${stream}`], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const nodes: string[] = [];
  const a: string[] = [];
  const b: string[] = [];
  let inBody = false;
  for (const line of out.split('\n')) {
    const m = /^Node (\d): (.*)$/.exec(line);
    if (m) {
      nodes[Number(m[1])] = m[2];
      inBody = true;
      continue;
    }
    if (!inBody || line.startsWith('===') || !line.trim()) continue;
    if (line.startsWith('\t')) b.push(line.trim());
    else a.push(line.trim());
  }
  return { node0: Buffer.from(a.join(''), 'hex'), node1: Buffer.from(b.join(''), 'hex'), nodes };
}

/** A proxy that records the exact bytes its clients sent and received (what the client saw). */
export interface Recorder {
  port: number;
  sent: Buffer[];
  received: Buffer[];
  close(): Promise<void>;
}

export async function recorder(target: { host: string; port: number }): Promise<Recorder> {
  const sent: Buffer[] = [];
  const received: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (c) => {
    const u = net.connect({ host: target.host, port: target.port, allowHalfOpen: true });
    sockets.add(c).add(u);
    c.on('data', (d) => {
      sent.push(d);
      u.write(d);
    });
    u.on('data', (d) => {
      received.push(d);
      c.write(d);
    });
    c.on('end', () => u.end());
    u.on('end', () => c.end());
    c.on('error', () => u.destroy());
    u.on('error', () => c.destroy());
    c.on('close', () => sockets.delete(c));
    u.on('close', () => sockets.delete(u));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    sent,
    received,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

export const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves when `cond()` holds (polled), rejects after `ms`. */
export async function until(cond: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await delay(5);
  }
}

/** A TCP port nothing listens on (bound then closed). */
export async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Checks a capture's TCP segments the way tshark's analysis would, with our own reader. */
export interface StreamCheck {
  problems: string[];
  /** Payload bytes per direction keyed "src:port>dst:port". */
  bytes: Map<string, Buffer>;
}

export function checkTcp(packets: readonly Parsed[], window = 65535): StreamCheck {
  const problems: string[] = [];
  const chunks = new Map<string, Buffer[]>();
  interface Dir {
    isn?: number;
    next?: number;
    lastAck?: number;
  }
  const dirs = new Map<string, Dir>();
  const key = (p: Parsed, rev = false) =>
    rev ? `${p.dst}:${p.dport}>${p.src}:${p.sport}` : `${p.src}:${p.sport}>${p.dst}:${p.dport}`;
  packets.forEach((p, i) => {
    if (p.proto !== 6) return;
    const n = `#${i + 1}`;
    if (!p.ipChecksumOk) problems.push(`${n}: bad IP checksum`);
    if (!p.l4ChecksumOk) problems.push(`${n}: bad TCP checksum`);
    const k = key(p);
    const me = dirs.get(k) ?? {};
    dirs.set(k, me);
    const peer = dirs.get(key(p, true)) ?? {};
    dirs.set(key(p, true), peer);
    const syn = p.flags & 2 ? 1 : 0;
    const fin = p.flags & 1 ? 1 : 0;
    const rst = p.flags & 4;
    if (rst && !(p.flags & 0x10) && me.next === undefined) return;
    if (syn) {
      me.isn = p.seq;
      me.next = p.seq;
    }
    if (me.next === undefined) {
      if (rst) return;
      problems.push(`${n}: segment before SYN`);
      return;
    }
    if (p.seq !== me.next)
      problems.push(`${n}: seq ${p.seq - (me.isn ?? 0)} but next expected ${me.next - (me.isn ?? 0)}`);
    if (p.flags & 0x10) {
      if (peer.next === undefined) problems.push(`${n}: ACK before the peer's SYN`);
      else {
        const rel = (p.ack - peer.next) | 0;
        if (rel > 0) problems.push(`${n}: acknowledges ${rel} bytes the peer has not sent`);
      }
      if (me.lastAck !== undefined && ((p.ack - me.lastAck) | 0) < 0)
        problems.push(`${n}: ack went backwards`);
      if (!rst && !syn && !fin && !p.payload.length && me.lastAck === p.ack)
        problems.push(`${n}: duplicate ACK`);
      me.lastAck = p.ack;
    }
    if (p.payload.length) {
      const acked = peer.lastAck ?? (me.isn ?? 0) + 1;
      const inFlight = ((p.seq + p.payload.length - acked) | 0) >>> 0;
      if (inFlight >= window) problems.push(`${n}: ${inFlight} bytes in flight, window ${window}`);
      chunks.set(k, [...(chunks.get(k) ?? []), Buffer.from(p.payload)]);
    }
    if (!rst) me.next = (p.seq + syn + p.payload.length + fin) >>> 0;
  });
  const bytes = new Map<string, Buffer>();
  for (const [k, v] of chunks) bytes.set(k, Buffer.concat(v));
  return { problems, bytes };
}
