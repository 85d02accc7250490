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
