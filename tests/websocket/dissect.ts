// Test support for WebSocket: a capture dissected in two passes as the app does (first pass,
// then every frame with tree and columns), with optional decode-as rules (tshark's `-d`).
import { readFileSync } from 'node:fs';
import { createReader } from '../../shared/capture/reader';
import type { CapturePacket } from '../../shared/capture/types';
import { Session, type FrameMeta } from '../../shared/dissect/packet';
import type { Dissection } from '../../shared/dissect/types';
import type { Engine } from '../../shared/dissect/engine';
import { createEngine } from '../../shared/dissectors';
import { metaOf } from '../support/dissect-file';
import * as b from '../fixtures/l4/craft';

export interface DecodeAs {
  table: string;
  key: number;
  proto: string;
}

export function dissectCapture(
  path: string,
  decodeAs: readonly DecodeAs[] = [],
  engine: Engine = createEngine(),
): Dissection[] {
  const packets: { meta: FrameMeta; data: Uint8Array }[] = [];
  let pcapng = false;
  const reader = createReader({
    packet(p: CapturePacket) {
      packets.push({ meta: metaOf(p), data: p.data.slice() });
    },
    info(i) {
      pcapng = i.format === 'pcapng';
    },
    iface() {},
    warning() {},
  });
  reader.push(new Uint8Array(readFileSync(path)));
  reader.end();
  return dissectPackets(packets, decodeAs, pcapng, engine);
}

export function dissectPackets(
  packets: readonly { meta: FrameMeta; data: Uint8Array }[],
  decodeAs: readonly DecodeAs[] = [],
  pcapng = false,
  engine: Engine = createEngine(),
): Dissection[] {
  for (const d of decodeAs) engine.decodeAs(d.table, d.key, d.proto);
  const session = new Session();
  session.interfaceIds = pcapng;
  session.prevTs = (n) => (n > 1 ? [packets[n - 2].meta.tsSec, packets[n - 2].meta.tsNsec] : null);
  session.frameBytes = (n) => packets[n - 1]?.data ?? null;
  for (const p of packets) {
    engine.index(p.data, p.meta, session);
    session.lastVisited = p.meta.number;
  }
  return packets.map((p) => engine.dissect(p.data, p.meta, session, true, true));
}

/** A crafted frame's metadata: frame `number`, a microsecond apart, Ethernet. */
export function craftedMeta(number: number, data: Uint8Array): FrameMeta {
  return {
    number,
    tsSec: 1000,
    tsNsec: number * 1000,
    caplen: data.length,
    origlen: data.length,
    linktype: 1,
    ifid: 0,
  };
}

/**
 * One crafted TCP connection from port 40001 to `port`: SYN, SYN/ACK (and the handshake's last
 * ACK when `ack`), then each segment from the client or the server, as Ethernet frames.
 */
export function connectionFrames(
  segments: { fromClient: boolean; data: Uint8Array }[],
  port: number,
  ack: boolean,
): Uint8Array[] {
  const A = b.V4_A;
  const B = b.V4_B;
  let cseq = 1000;
  let sseq = 5000;
  const out = [
    b.v4Frame(6, b.tcp(A, B, { sport: 40001, dport: port, seq: 999, flags: 0x002 })),
    b.v4Frame(6, b.tcp(B, A, { sport: port, dport: 40001, seq: 4999, ack: 1000, flags: 0x012 }), B, A),
  ];
  if (ack)
    out.push(b.v4Frame(6, b.tcp(A, B, { sport: 40001, dport: port, seq: 1000, ack: 5000, flags: 0x010 })));
  for (const s of segments) {
    if (s.fromClient) {
      const seg = { sport: 40001, dport: port, seq: cseq, ack: sseq, flags: 0x018, payload: s.data };
      out.push(b.v4Frame(6, b.tcp(A, B, seg)));
      cseq += s.data.length;
    } else {
      const seg = { sport: port, dport: 40001, seq: sseq, ack: cseq, flags: 0x018, payload: s.data };
      out.push(b.v4Frame(6, b.tcp(B, A, seg), B, A));
      sseq += s.data.length;
    }
  }
  return out;
}
