// Test support: run bytes through a reader and keep everything it reported, packet bytes copied
// (a packet's data is only valid during its callback). Product code does not import this file.
import { createReader } from './reader';
import type {
  CaptureInfo,
  CapturePacket,
  CaptureWarning,
  InterfaceInfo,
  InterfaceStats,
  NameRecord,
  SecretsRecord,
} from './types';

export interface Collected {
  packets: CapturePacket[];
  infos: CaptureInfo[];
  ifaces: InterfaceInfo[];
  names: NameRecord[][];
  stats: InterfaceStats[];
  secrets: SecretsRecord[];
  warnings: CaptureWarning[];
  error: Error | null;
  /** Order of callbacks, e.g. ['info', 'iface', 'packet', …]. */
  events: string[];
}

/** Splits `bytes` into chunks: a number = fixed size, an array = chunk sizes (cycled). */
export type Split = number | readonly number[];

export function collect(bytes: Uint8Array, split: Split = bytes.length || 1, name?: string): Collected {
  const c: Collected = {
    packets: [],
    infos: [],
    ifaces: [],
    names: [],
    stats: [],
    secrets: [],
    warnings: [],
    error: null,
    events: [],
  };
  const r = createReader(
    {
      info: (i) => (c.infos.push(i), c.events.push('info')),
      iface: (i) => (c.ifaces.push(i), c.events.push('iface')),
      packet: (p) => (c.packets.push({ ...p, data: p.data.slice() }), c.events.push('packet')),
      names: (n) => (c.names.push(n), c.events.push('names')),
      stats: (s) => (c.stats.push(s), c.events.push('stats')),
      secrets: (s) => (c.secrets.push(s), c.events.push('secrets')),
      warning: (w) => (c.warnings.push(w), c.events.push('warning')),
    },
    name ? { name } : {},
  );
  try {
    const sizes =
      typeof split === 'number' ? [Math.max(1, split)] : split.length ? split : [bytes.length || 1];
    let k = 0;
    for (let o = 0; o < bytes.length;) {
      const n = Math.max(1, sizes[k++ % sizes.length]);
      r.push(bytes.subarray(o, o + n));
      o += n;
    }
    r.end();
  } catch (e) {
    c.error = e as Error;
  }
  return c;
}
