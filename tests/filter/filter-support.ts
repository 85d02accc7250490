// Test support: the frames of a capture that a display filter selects, by Wirescope and by tshark.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createReader } from '../../shared/capture/reader';
import type { CapturePacket, CaptureSink, InterfaceInfo } from '../../shared/capture/types';
import { Session, type FrameMeta } from '../../shared/dissect/packet';
import { createEngine } from '../../shared/dissectors';
import type { FilterTarget } from '../../shared/filter/compile';
import { Indexer } from '../../shared/index/indexer';
import { PacketIndex } from '../../shared/index/packet-index';
import { metaOf } from '../support/dissect-file';
import { tsharkPath } from '../support/tshark';

export interface IndexedTargets {
  targets: FilterTarget[];
  index: PacketIndex;
}

const cache = new Map<string, IndexedTargets>();

/**
 * Every frame of `path` indexed (the app's index pass, with its packet index) and then dissected
 * with tree, with its bytes; cached per file.
 */
export function indexed(path: string): IndexedTargets {
  const hit = cache.get(path);
  if (hit) return hit;
  const engine = createEngine();
  const session = new Session();
  const index = new PacketIndex();
  const ix = new Indexer(engine, session, index);
  const packets: { meta: FrameMeta; data: Uint8Array }[] = [];
  const ifaces = new Map<string, InterfaceInfo>();
  const sink: CaptureSink = {
    ...ix.sink((p: CapturePacket) => {
      packets.push({ meta: metaOf(p, ifaces.get(`${p.section ?? 0}:${p.ifid}`)), data: p.data.slice() });
      ix.indexPacket(p);
    }),
    info: (i) => {
      ix.info(i);
      session.interfaceIds = i.format === 'pcapng';
    },
    iface: (i) => {
      ix.iface(i);
      ifaces.set(`${i.section}:${i.id}`, i);
    },
  };
  const reader = createReader(sink);
  reader.push(new Uint8Array(readFileSync(path)));
  reader.end();
  session.frameBytes = (n) => packets[n - 1]?.data ?? null;
  const targets = packets.map((p) => ({
    d: engine.dissect(p.data, p.meta, session, true, true),
    frame: p.data,
  }));
  const out = { targets, index };
  cache.set(path, out);
  return out;
}

/** Every frame of `path` dissected with tree (two passes, as the app), with its bytes. */
export function targets(path: string): FilterTarget[] {
  return indexed(path).targets;
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
