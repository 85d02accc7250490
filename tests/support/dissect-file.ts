// Test support: read a capture file with the project's own reader and dissect every frame in
// order, as the index pass and a later detail request would.
import { readFileSync } from 'node:fs';
import { createReader } from '../../shared/capture/reader';
import type { CapturePacket, CaptureWarning, InterfaceInfo } from '../../shared/capture/types';
import { Session, type FrameMeta } from '../../shared/dissect/packet';
import type { Dissection } from '../../shared/dissect/types';
import { createEngine } from '../../shared/dissectors';

export interface FileDissection {
  frames: Dissection[];
  warnings: CaptureWarning[];
}

/** Two passes, as the app runs them: a first in-order pass without tree, then each frame with tree. */
export function dissectFile(
  path: string,
  opts: { tree?: boolean; cols?: boolean; decodeAs?: [string, number, string][] } = {},
): FileDissection {
  const engine = createEngine();
  for (const [table, key, proto] of opts.decodeAs ?? []) engine.decodeAs(table, key, proto);
  const session = new Session();
  const packets: { meta: FrameMeta; data: Uint8Array }[] = [];
  const warnings: CaptureWarning[] = [];
  const ifaces = new Map<string, InterfaceInfo>();
  const reader = createReader({
    packet(p: CapturePacket) {
      packets.push({ meta: metaOf(p, ifaces.get(`${p.section ?? 0}:${p.ifid}`)), data: p.data.slice() });
    },
    info(i) {
      session.interfaceIds = i.format === 'pcapng';
    },
    iface(i) {
      ifaces.set(`${i.section}:${i.id}`, i);
    },
    warning(w) {
      warnings.push(w);
    },
  });
  reader.push(new Uint8Array(readFileSync(path)));
  reader.end();
  session.prevTs = (n) => (n > 1 ? [packets[n - 2].meta.tsSec, packets[n - 2].meta.tsNsec] : null);
  session.frameBytes = (n) => packets[n - 1]?.data ?? null;
  for (const p of packets) {
    engine.dissect(p.data, p.meta, session, false, false);
    session.lastVisited = p.meta.number;
  }
  const frames = packets.map((p) =>
    engine.dissect(p.data, p.meta, session, opts.tree ?? true, opts.cols ?? true),
  );
  return { frames, warnings };
}

export function metaOf(p: CapturePacket, iface?: InterfaceInfo): FrameMeta {
  return {
    section: p.section,
    ifname: iface?.name,
    ifdescription: iface?.description,
    number: p.index + 1,
    tsSec: p.tsSec,
    tsNsec: p.tsNsec,
    caplen: p.caplen,
    origlen: p.origlen,
    linktype: p.linktype,
    ifid: p.ifid,
    comment: p.comment,
    comments: p.comments,
  };
}
