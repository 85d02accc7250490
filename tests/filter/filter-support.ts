// Test support: the frames of a capture that a display filter selects, by Wirescope and by tshark.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createReader } from '../../shared/capture/reader';
import type { CapturePacket, InterfaceInfo } from '../../shared/capture/types';
import { Session, type FrameMeta } from '../../shared/dissect/packet';
import { createEngine } from '../../shared/dissectors';
import type { FilterTarget } from '../../shared/filter/compile';
import { metaOf } from '../support/dissect-file';
import { tsharkPath } from '../support/tshark';

const cache = new Map<string, FilterTarget[]>();

/** Every frame of `path` dissected with tree (two passes, as the app), with its bytes; cached. */
export function targets(path: string): FilterTarget[] {
  const hit = cache.get(path);
  if (hit) return hit;
  const engine = createEngine();
  const session = new Session();
  const packets: { meta: FrameMeta; data: Uint8Array }[] = [];
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
  });
  reader.push(new Uint8Array(readFileSync(path)));
  reader.end();
  session.prevTs = (n) => (n > 1 ? [packets[n - 2].meta.tsSec, packets[n - 2].meta.tsNsec] : null);
  session.frameBytes = (n) => packets[n - 1]?.data ?? null;
  for (const p of packets) {
    engine.index(p.data, p.meta, session);
    session.lastVisited = p.meta.number;
  }
  const out = packets.map((p) => ({ d: engine.dissect(p.data, p.meta, session, true, true), frame: p.data }));
  cache.set(path, out);
  return out;
}

/** tshark's verdict: the selected frame numbers, or the error text when the filter is invalid. */
export function tsharkSelect(path: string, filter: string): { frames: number[] } | { error: string } {
  try {
    const out = execFileSync(
      tsharkPath!,
      ['-n', '-2', '-r', path, '-Y', filter, '-T', 'fields', '-e', 'frame.number'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, TZ: 'UTC' },
        maxBuffer: 64 << 20,
      },
    );
    return { frames: out.split('\n').filter(Boolean).map(Number) };
  } catch (e) {
    const err = e as { stderr?: string; status?: number };
    return { error: String(err.stderr ?? '').trim() || `exit ${err.status}` };
  }
}
