// Test support without Node built-ins (engine tests under shared/ use it): one frame dissected
// as the app would, first pass then tree and columns.
import { Session } from '../../shared/dissect/packet';
import type { Dissection } from '../../shared/dissect/types';
import { createEngine } from '../../shared/dissectors';

/** One Ethernet frame's bytes, first pass then tree and columns: what a filter or rule tests. */
export function dissectOneFrame(data: Uint8Array): { d: Dissection; frame: Uint8Array } {
  const engine = createEngine();
  const session = new Session();
  const meta = {
    number: 1,
    tsSec: 0,
    tsNsec: 0,
    caplen: data.length,
    origlen: data.length,
    linktype: 1,
    ifid: 0,
  };
  engine.index(data, meta, session);
  session.lastVisited = 1;
  return { d: engine.dissect(data, meta, session, true, true), frame: data };
}
