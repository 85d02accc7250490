// Follow on a real stream cut up again: the server's 20 KB response of lo-http4-bulk.pcap re-sent
// as random segments that overlap, repeat and arrive out of order (headers of the real segments,
// sequence numbers and lengths rewritten), written as a capture. Every byte comes once, in order:
// follow gives back the original payload exactly, and tshark 4.0 prints the same as we do.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { directionBytes, followTcp, formatFollow } from '../../shared/follow/follow';
import { tsharkMissing, tsharkPath } from '../support/tshark';
import { openSource, repoRoot } from './support';

interface Rec {
  hdr: Buffer;
  data: Buffer;
}

/** Classic little-endian pcap records. */
function readPcap(path: string): { head: Buffer; recs: Rec[] } {
  const b = readFileSync(path);
  const recs: Rec[] = [];
  for (let at = 24; at + 16 <= b.length;) {
    const len = b.readUInt32LE(at + 8);
    recs.push({ hdr: b.subarray(at, at + 16), data: b.subarray(at + 16, at + 16 + len) });
    at += 16 + len;
  }
  return { head: b.subarray(0, 24), recs };
}

function writePcap(path: string, head: Buffer, recs: Rec[]): void {
  const parts: Buffer[] = [head];
  for (const r of recs) {
    const h = Buffer.from(r.hdr);
    h.writeUInt32LE(r.data.length, 8);
    h.writeUInt32LE(r.data.length, 12);
    parts.push(h, r.data);
  }
  writeFileSync(path, Buffer.concat(parts));
}

const ETH = 14;
const ipHdr = (d: Buffer) => (d[ETH] & 15) * 4;
const tcpAt = (d: Buffer) => ETH + ipHdr(d);
const tcpHdr = (d: Buffer) => (d[tcpAt(d) + 12] >> 4) * 4;
const srcPort = (d: Buffer) => d.readUInt16BE(tcpAt(d));
const payloadOf = (d: Buffer) => d.subarray(tcpAt(d) + tcpHdr(d), ETH + d.readUInt16BE(ETH + 2));

function ipChecksum(d: Buffer): void {
  d.writeUInt16BE(0, ETH + 10);
  let sum = 0;
  for (let i = 0; i < ipHdr(d); i += 2) sum += d.readUInt16BE(ETH + i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  d.writeUInt16BE(~sum & 0xffff, ETH + 10);
}

/** A server segment carrying stream bytes [from, to) (offsets from its first payload byte). */
function segment(template: Rec, seq0: number, body: Buffer, from: number, to: number): Rec {
  const h = template.data.subarray(0, tcpAt(template.data) + tcpHdr(template.data));
  const d = Buffer.concat([h, body.subarray(from, to)]);
  d.writeUInt16BE(d.length - ETH, ETH + 2);
  d.writeUInt32BE((seq0 + from) >>> 0, tcpAt(d) + 4);
  ipChecksum(d);
  return { hdr: template.hdr, data: d };
}

const source = join(repoRoot, 'tests/fixtures/captures/lo-http4-bulk.pcap');
const { head, recs } = readPcap(source);
const server = recs.filter((r) => srcPort(r.data) === 8080 && payloadOf(r.data).length > 0);
const body = Buffer.concat(server.map((r) => payloadOf(r.data)));
const seq0 = server[0].data.readUInt32BE(tcpAt(server[0].data) + 4);
const before = recs.slice(0, recs.indexOf(server[0])).filter((r) => !server.includes(r));
const after = recs.slice(recs.indexOf(server[0])).filter((r) => !server.includes(r));

/** Pieces covering the body, some overlapping their predecessor, some sent twice, locally shuffled. */
const layout = fc
  .record({
    cuts: fc.uniqueArray(fc.integer({ min: 1, max: body.length - 1 }), { minLength: 5, maxLength: 40 }),
    overlaps: fc.array(fc.integer({ min: 0, max: 900 }), { minLength: 41, maxLength: 41 }),
    repeats: fc.array(fc.boolean(), { minLength: 41, maxLength: 41 }),
    swaps: fc.array(fc.nat(60), { maxLength: 12 }),
  })
  .map(({ cuts, overlaps, repeats, swaps }) => {
    const edges = [0, ...cuts.sort((a, b) => a - b), body.length];
    const pieces: [number, number][] = [];
    for (let i = 0; i + 1 < edges.length; i++) {
      const p: [number, number] = [Math.max(0, edges[i] - overlaps[i]), edges[i + 1]];
      pieces.push(p);
      if (repeats[i]) pieces.push(p);
    }
    for (const s of swaps) {
      const i = s % (pieces.length - 1);
      [pieces[i], pieces[i + 1]] = [pieces[i + 1], pieces[i]];
    }
    return pieces;
  });

const dir = mkdtempSync(join(tmpdir(), 'wirescope-follow-'));

describe('follow on overlapping, repeated and reordered segments of a real stream', () => {
  it('gives back the original bytes, each once, and prints what tshark prints', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(layout, async (pieces) => {
        const file = join(dir, `shuffled-${n++}.pcap`);
        // The client's acknowledgments come after all the data: no hole is ever declared lost.
        writePcap(file, head, [
          ...before,
          ...pieces.map(([a, b]) => segment(server[0], seq0, body, a, b)),
          ...after,
        ]);
        const { src, close } = await openSource(file);
        try {
          const r = followTcp(src, 0);
          const [, fromServer] = directionBytes(r);
          expect(Buffer.from(fromServer).equals(body)).toBe(true);
          expect(r.chunks.some((c) => c.missing)).toBe(false);
          if (!tsharkMissing) {
            const theirs = execFileSync(tsharkPath, ['-n', '-q', '-r', file, '-z', 'follow,tcp,raw,0'], {
              encoding: 'latin1',
              stdio: ['ignore', 'pipe', 'ignore'],
            });
            expect(formatFollow(r, 'raw')).toBe(theirs);
          }
        } finally {
          close();
        }
      }),
      { numRuns: 12, seed: 20261124 },
    );
  }, 300_000);
});
