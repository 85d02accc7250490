// Properties of the QUIC dissector on arbitrary input: random UDP payloads on port 443 and on an
// odd port (through the heuristic), long headers with random versions, CID lengths and Length
// fields, and random ciphertext under a real v1 Initial header (authentication must fail
// cleanly). Both passes; nothing throws, no layer reports a dissector error, every item's range
// lies inside its data source, and no frame is ever shown decrypted from random bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Session, type FrameMeta } from '../../shared/dissect/packet';
import type { Dissection, Item } from '../../shared/dissect/types';
import { createEngine } from '../../shared/dissectors';
import { hex } from '../../shared/dissectors/quic-crypto';
import { udp, v4Frame } from '../fixtures/l4/craft';
import { V1 } from '../fixtures/quic/rfc-vectors';

const A = [10, 0, 0, 1];
const B = [10, 0, 0, 2];

function dissectAll(payloads: Uint8Array[], port: number): Dissection[] {
  const engine = createEngine();
  const session = new Session();
  const frames = payloads.map((pl, i) =>
    i % 2 ? v4Frame(17, udp(B, A, port, 40000, pl), B, A) : v4Frame(17, udp(A, B, 40000, port, pl), A, B),
  );
  const meta = (n: number, len: number): FrameMeta => ({
    number: n,
    tsSec: n,
    tsNsec: 0,
    caplen: len,
    origlen: len,
    linktype: 1,
    ifid: 0,
  });
  frames.forEach((f, i) => {
    engine.index(f, meta(i + 1, f.length), session);
    session.lastVisited = i + 1;
  });
  return frames.map((f, i) => engine.dissect(f, meta(i + 1, f.length), session, true, true));
}

function check(ds: Dissection[]): void {
  for (const d of ds) {
    for (const l of d.layers) {
      for (const e of l.experts) expect(e.message).not.toMatch(/dissector error/);
      const size = (src: number | undefined) => (src ? d.sources[src - 1].bytes.length : Infinity);
      const walk = (items: Item[]) => {
        for (const it of items) {
          expect(it.offset).toBeGreaterThanOrEqual(0);
          if (it.source) expect(it.offset + it.length).toBeLessThanOrEqual(size(it.source));
          if (it.children) walk(it.children);
        }
      };
      walk(l.items);
    }
  }
}

const longHeader = fc
  .record({
    first: fc.integer({ min: 0x80, max: 0xff }),
    version: fc.constantFrom(0, 1, 0x6b3343cf, 0x709a50c4, 0xff00001d, 0x1a2a3a4a, 0xdeadbeef),
    dcid: fc.uint8Array({ maxLength: 24 }),
    scid: fc.uint8Array({ maxLength: 24 }),
    rest: fc.uint8Array({ maxLength: 300 }),
  })
  .map(({ first, version, dcid, scid, rest }) => {
    const v = [version >>> 24, (version >>> 16) & 0xff, (version >>> 8) & 0xff, version & 0xff];
    return new Uint8Array([first, ...v, dcid.length, ...dcid, scid.length, ...scid, ...rest]);
  });
const payload = fc.oneof(fc.uint8Array({ maxLength: 400 }), longHeader);

describe('QUIC on arbitrary bytes', () => {
  it('never throws on port 443 or through the heuristic, in both passes', () => {
    fc.assert(
      fc.property(
        fc.array(payload, { minLength: 1, maxLength: 6 }),
        fc.constantFrom(443, 4433),
        (pls, port) => {
          check(dissectAll(pls, port));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('random ciphertext under a real Initial header fails authentication, marked, nothing decrypted', () => {
    const real = hex(V1.clientProtected);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1178, maxLength: 1178 }), (junk) => {
        const pkt = real.slice();
        pkt.set(junk, 22);
        const [d] = dissectAll([pkt], 443);
        check([d]);
        const quic = d.layers.find((l) => l.proto === 'quic')!;
        expect(quic.malformed).toBe(false);
        expect(quic.experts.map((e) => e.id)).toContain('quic.decryption_failed');
        expect(d.sources).toEqual([]);
        expect((d.messages ?? []).map((m) => m.label)).toEqual(['QUIC Initial']);
      }),
      { numRuns: 40 },
    );
  });
});
