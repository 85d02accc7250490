// Indexing a capture's bytes the ways the tests compare, and an index's records as text.
import { createReader } from '../../shared/capture/reader';
import { concat } from '../../shared/capture/testing';
import type { CapturePacket, CaptureSink } from '../../shared/capture/types';
import { Session } from '../../shared/dissect/packet';
import { createEngine } from '../../shared/dissectors';
import { createTransportEngine } from '../../shared/dissectors/transport';
import { Indexer } from '../../shared/index/indexer';

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

/** Where each packet's bytes start and how many there are, in a little-endian microsecond pcap. */
export function packetSpans(file: Uint8Array): [number, number][] {
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const spans: [number, number][] = [];
  for (let at = 24; at + 16 <= file.length;) {
    const caplen = dv.getUint32(at + 8, true);
    spans.push([at + 16, caplen]);
    at += 16 + caplen;
  }
  return spans;
}

/**
 * A little-endian pcap (`file`) whose packets are raw IP, rewritten to `linktype` with `header`
 * (given the IP version) in front of every packet: Linux cooked captures made from real traffic.
 */
export function relinked(
  file: Uint8Array,
  linktype: number,
  header: (version: number) => number[],
): Uint8Array {
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const parts: Uint8Array[] = [file.slice(0, 24)];
  new DataView(parts[0].buffer).setUint32(20, linktype, true);
  for (const [start, caplen] of packetSpans(file)) {
    const h = header(file[start] >> 4);
    const rec = new Uint8Array(16 + h.length + caplen);
    const out = new DataView(rec.buffer);
    rec.set(file.subarray(start - 16, start - 8));
    out.setUint32(8, caplen + h.length, true);
    out.setUint32(12, dv.getUint32(start - 4, true) + h.length, true);
    rec.set(h, 16);
    rec.set(file.subarray(start, start + caplen), 16 + h.length);
    parts.push(rec);
  }
  return concat(...parts);
}

const ethertype = (version: number) => (version === 6 ? [0x86, 0xdd] : [0x08, 0x00]);
const MAC = [0, 0, 0, 0, 0, 0, 0, 0];
/** SLL: packet type (outgoing), ARPHRD_LOOPBACK, address length 6, address, protocol. */
export const sll = (v: number) => [0, 4, 0x03, 0x04, 0, 6, ...MAC, ...ethertype(v)];
/** SLL2: protocol, reserved, interface 1, ARPHRD_LOOPBACK, packet type, address length, address. */
export const sll2 = (v: number) => [...ethertype(v), 0, 0, 0, 0, 0, 1, 0x03, 0x04, 4, 6, ...MAC];
