// Indexing a capture's bytes the ways the tests compare, and an index's records as text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createReader } from '../../shared/capture/reader';
import type { CapturePacket, CaptureSink } from '../../shared/capture/types';
import { Session } from '../../shared/dissect/packet';
import { createEngine } from '../../shared/dissectors';
import { createTransportEngine } from '../../shared/dissectors/transport';
import { Indexer } from '../../shared/index/indexer';
import { parsePcap, serializePcap } from '../fixtures/tools/pcap-io';
import { relink } from '../fixtures/tools/relink';
import { repoRoot } from '../support/captures';

/**
 * The index pass: `fast` as `info` runs it (readers hand plain packets over in slots), `objects`
 * the same with every packet as a CapturePacket, `dissected` with no fast path. The application
 * pass: `application` (the engine's allocation-free `index`), `application-dissected` (`Engine.dissect`
 * with tree and columns off).
 */
export type IndexMode = 'fast' | 'objects' | 'dissected' | 'application' | 'application-dissected';

export function indexBytes(bytes: Uint8Array, mode: IndexMode): Indexer {
  const ix = new Indexer(
    mode.startsWith('application') ? createEngine() : createTransportEngine(),
    new Session(),
  );
  const packet: Record<IndexMode, ((p: CapturePacket) => void) | undefined> = {
    fast: undefined,
    objects: (p) => ix.transportPacket(p),
    dissected: (p) => ix.transportPacket(p, false),
    application: undefined,
    'application-dissected': (p) => void ix.packet(p),
  };
  const sink: CaptureSink = mode === 'fast' ? ix.transportSink() : ix.sink(packet[mode]);
  const reader = createReader(sink);
  try {
    reader.push(bytes);
    reader.end();
  } catch {
    // A file the reader rejects part-way still indexed what came before; every side alike.
  }
  ix.finish();
  return ix;
}

/**
 * One line per record: addresses as text, the chain through `chainOf`, the flags through
 * `flagMask`.
 */
export function records(
  ix: Indexer,
  chainOf: (chain: string) => string = (c) => c,
  flagMask = 0xffff,
): string[] {
  const x = ix.index;
  const out: string[] = [];
  for (let i = 0; i < x.count; i++) {
    out.push(
      [
        i + 1,
        x.addresses.text(x.src(i)),
        x.addresses.text(x.dst(i)),
        x.srcport(i),
        x.dstport(i),
        x.stream(i),
        chainOf(x.protocols.text(x.proto(i))),
        x.tcpFlags(i),
        x.flags(i) & flagMask,
      ].join(' '),
    );
  }
  return out;
}

/** The Ethernet loopback fixture lo-mixed.pcap as a capture of `linktype` (tools/relink.ts). */
export function relinkedMixed(linktype: number): Uint8Array {
  const file = parsePcap(
    new Uint8Array(readFileSync(join(repoRoot, 'tests/fixtures/captures/lo-mixed.pcap'))),
  );
  return serializePcap(relink(file, linktype));
}
