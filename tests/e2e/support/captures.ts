// Captures the e2e tests need beyond the fixtures: a large one (to see the list grow, scroll a
// virtualised list and stop an index pass) and damaged ones. Made from real fixture packets with
// the fixture tools' own pcap writer (independent of the readers under test).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parsePcap, serializePcap, type PcapRecord } from '../../fixtures/tools/pcap-io';

export const fixtures = resolve(import.meta.dirname, '../../fixtures');
/** ICMP, ICMPv6, UDP and TCP over IPv4 and IPv6, 32 packets: every protocol in it is one Wirescope dissects. */
export const mixedPcap = join(fixtures, 'captures/lo-mixed.pcap');
/** Two HTTP exchanges, UDP, ICMP: 36 packets, pcapng with nanosecond timestamps. */
export const webPcapng = join(fixtures, 'cli/web.pcapng');
/** IPv4 and IPv6 fragments reassembled: packets with a second byte tab. */
export const fragPcap = join(fixtures, 'captures/lo-frag.pcap');
/** A pcap whose last record is cut short (23 whole packets). */
export const cutShortPcap = join(fixtures, 'readers/cut-short.pcap');

export class TempDir {
  readonly path = mkdtempSync(join(tmpdir(), 'wirescope-e2e-'));
  file(name: string): string {
    return join(this.path, name);
  }
  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** `count` packets cycling through the records of `src`, 10 µs apart: a big capture of real frames. */
export function repeatCapture(src: string, count: number, out: string): void {
  const f = parsePcap(readFileSync(src), src);
  const records: PcapRecord[] = [];
  const unit = f.nano ? 1_000_000_000 : 1_000_000;
  const step = f.nano ? 10_000 : 10;
  const base = f.records[0];
  let frac = base.tsFrac;
  let sec = base.tsSec;
  for (let i = 0; i < count; i++) {
    const r = f.records[i % f.records.length];
    records.push({ tsSec: sec, tsFrac: frac, origlen: r.origlen, data: r.data });
    frac += step;
    if (frac >= unit) {
      frac -= unit;
      sec++;
    }
  }
  writeFileSync(out, serializePcap({ ...f, records }));
}

/**
 * A copy of `src` whose record `index` (0-based) claims an absurd captured length: a reader must
 * stop there with a message naming the offset, and keep the packets before it.
 */
export function corruptRecordLength(src: string, index: number, out: string): { offset: number } {
  const buf = new Uint8Array(readFileSync(src));
  const f = parsePcap(buf, src);
  const le = f.littleEndian;
  let at = 24;
  for (let i = 0; i < index; i++) at += 16 + f.records[i].data.length;
  new DataView(buf.buffer).setUint32(at + 8, 0x7fff_fff0, le);
  writeFileSync(out, buf);
  return { offset: at };
}
