// Test support for the link- and network-layer dissectors: an engine made of exactly those
// dissectors (so these tests do not depend on the state of upper-layer work), and a two-pass
// dissection of a capture file with the project's reader, as the app runs it.
import { readFileSync } from 'node:fs';
import { createReader } from '../../shared/capture/reader';
import { Engine, type Dissector } from '../../shared/dissect/engine';
import { Session, type FrameMeta } from '../../shared/dissect/packet';
import type { Dissection } from '../../shared/dissect/types';
import * as arp from '../../shared/dissectors/arp';
import * as eth from '../../shared/dissectors/eth';
import * as ip from '../../shared/dissectors/ip';
import * as ipv6 from '../../shared/dissectors/ipv6';
import * as nul from '../../shared/dissectors/null';
import * as raw from '../../shared/dissectors/raw';
import * as sll from '../../shared/dissectors/sll';
import * as vlan from '../../shared/dissectors/vlan';

export const l2l3Dissectors: readonly Dissector[] = [
  ...eth.dissectors,
  ...vlan.dissectors,
  ...sll.dissectors,
  ...nul.dissectors,
  ...raw.dissectors,
  ...arp.dissectors,
  ...ip.dissectors,
  ...ipv6.dissectors,
];

export function l2l3Engine(): Engine {
  return new Engine(l2l3Dissectors);
}

export interface Frame {
  meta: FrameMeta;
  data: Uint8Array;
}

export function readFrames(path: string): Frame[] {
  const frames: Frame[] = [];
  const reader = createReader({
    packet(p) {
      frames.push({
        meta: {
          number: p.index + 1,
          tsSec: p.tsSec,
          tsNsec: p.tsNsec,
          caplen: p.caplen,
          origlen: p.origlen,
          linktype: p.linktype,
          ifid: p.ifid,
        },
        data: p.data.slice(),
      });
    },
  });
  reader.push(new Uint8Array(readFileSync(path)));
  reader.end();
  return frames;
}

/** First pass without tree or columns, then every frame with both, sharing one session. */
export function dissectFrames(frames: Frame[], engine = l2l3Engine()): Dissection[] {
  const session = new Session();
  session.frameBytes = (n) => frames[n - 1]?.data ?? null;
  session.prevTs = (n) => (n > 1 ? [frames[n - 2].meta.tsSec, frames[n - 2].meta.tsNsec] : null);
  for (const f of frames) {
    engine.dissect(f.data, f.meta, session, false, false);
    session.lastVisited = f.meta.number;
  }
  return frames.map((f) => engine.dissect(f.data, f.meta, session, true, true));
}

/** One frame dissected on its own (a first visit with tree and columns). */
export function dissectOne(
  data: Uint8Array,
  linktype: number,
  engine = l2l3Engine(),
  origlen = data.length,
): Dissection {
  const meta: FrameMeta = { number: 1, tsSec: 0, tsNsec: 0, caplen: data.length, origlen, linktype, ifid: 0 };
  return engine.dissect(data, meta, new Session(), true, true);
}

export function hex(s: string): Uint8Array {
  const clean = s.replace(/[^0-9a-f]/gi, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}
