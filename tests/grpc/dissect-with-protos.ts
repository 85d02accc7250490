// Test support: a capture dissected as the app and the CLI dissect it, with the project's .proto
// files (and extra folders) given to the engine: a first in-order pass without tree, then every
// frame with tree and columns.
import { readFileSync } from 'node:fs';
import { useProjectProtos } from '../../electron/protos/load-protos';
import { createReader } from '../../shared/capture/reader';
import type { CapturePacket } from '../../shared/capture/types';
import { Session, type FrameMeta } from '../../shared/dissect/packet';
import type { Dissection } from '../../shared/dissect/types';
import { createEngine } from '../../shared/dissectors';
import { metaOf } from '../support/dissect-file';

export function dissectWithProtos(path: string, extraProtoDirs: readonly string[] = []): Dissection[] {
  const engine = createEngine();
  useProjectProtos(engine, extraProtoDirs);
  const session = new Session();
  const packets: { meta: FrameMeta; data: Uint8Array }[] = [];
  const reader = createReader({
    packet(p: CapturePacket) {
      packets.push({ meta: metaOf(p), data: p.data.slice() });
    },
    info(i) {
      session.interfaceIds = i.format === 'pcapng';
    },
    iface() {},
    warning() {},
  });
  reader.push(new Uint8Array(readFileSync(path)));
  reader.end();
  session.prevTs = (n) => (n > 1 ? [packets[n - 2].meta.tsSec, packets[n - 2].meta.tsNsec] : null);
  session.frameBytes = (n) => packets[n - 1]?.data ?? null;
  for (const p of packets) {
    engine.index(p.data, p.meta, session);
    session.lastVisited = p.meta.number;
  }
  return packets.map((p) => engine.dissect(p.data, p.meta, session, true, true));
}
