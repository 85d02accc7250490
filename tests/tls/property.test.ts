// Properties of the TLS dissector on arbitrary bytes, in both passes: random bytes and random
// record-shaped data on port 443 and on an odd port (through the heuristic) never make a layer
// report a dissector error and keep every item inside its data source; a real TLS 1.2 handshake
// cut into segments at random points gives the same records, Info and messages as uncut.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Session, type FrameMeta } from '../../shared/dissect/packet';
import type { Dissection, Item } from '../../shared/dissect/types';
import { createEngine } from '../../shared/dissectors';
import * as b from '../fixtures/l4/craft';

function seg(payload: Uint8Array, seq: number, ack: number, fromClient: boolean, port: number): Uint8Array {
  const [src, dst, sport, dport] = fromClient ? [b.V4_A, b.V4_B, 40001, port] : [b.V4_B, b.V4_A, port, 40001];
  return b.v4Frame(6, b.tcp(src, dst, { sport, dport, seq, ack, flags: 0x018, payload }), src, dst);
}

function handshake(port: number): Uint8Array[] {
  return [
    b.v4Frame(6, b.tcp(b.V4_A, b.V4_B, { sport: 40001, dport: port, seq: 999, flags: 0x002 })),
    b.v4Frame(
      6,
      b.tcp(b.V4_B, b.V4_A, { sport: port, dport: 40001, seq: 4999, ack: 1000, flags: 0x012 }),
      b.V4_B,
      b.V4_A,
    ),
    b.v4Frame(6, b.tcp(b.V4_A, b.V4_B, { sport: 40001, dport: port, seq: 1000, ack: 5000, flags: 0x010 })),
  ];
}

/** Frames carrying `client` then `server` bytes, each cut at `cuts`. */
function conversation(port: number, client: Uint8Array, server: Uint8Array, cuts: number[]): Uint8Array[] {
  const pieces = (s: Uint8Array) => {
    const pts = [...new Set(cuts.map((c) => c % (s.length + 1)))].sort((x, y) => x - y);
    const out: Uint8Array[] = [];
    let from = 0;
    for (const p of [...pts, s.length]) {
      if (p > from) out.push(s.subarray(from, p));
      from = Math.max(from, p);
    }
    return out;
  };
  const frames = handshake(port);
  let cseq = 1000;
  let sseq = 5000;
  for (const p of pieces(client)) {
    frames.push(seg(p, cseq, sseq, true, port));
    cseq += p.length;
  }
  for (const p of pieces(server)) {
    frames.push(seg(p, sseq, cseq, false, port));
    sseq += p.length;
  }
  return frames;
}

function checkRanges(d: Dissection, frameLen: number): string[] {
  const bad: string[] = [];
  const walk = (items: Item[], source: number) => {
    for (const it of items) {
      const src = it.source ?? source;
      const limit = src === 0 ? frameLen : (d.sources[src - 1]?.bytes.length ?? -1);
      if (it.offset < 0 || it.length < 0 || it.offset + it.length > limit)
        bad.push(`${it.abbrev || it.label} @${it.offset}+${it.length} (source ${src}, ${limit} bytes)`);
      if (it.children) walk(it.children, src);
    }
  };
  for (const l of d.layers) {
    walk(l.items, l.source ?? 0);
    for (const e of l.experts) if (/dissector error/.test(e.message)) bad.push(`${l.proto}: ${e.message}`);
  }
  return bad;
}

function run(frames: Uint8Array[]): { bad: string[]; dissections: Dissection[] } {
  const engine = createEngine();
  const session = new Session();
  session.interfaceIds = false;
  const metas: FrameMeta[] = frames.map((f, i) => ({
    number: i + 1,
    tsSec: 1000,
    tsNsec: i * 1000,
    caplen: f.length,
    origlen: f.length,
    linktype: 1,
    ifid: 0,
  }));
  session.frameBytes = (n) => frames[n - 1] ?? null;
  metas.forEach((m, i) => {
    engine.dissect(frames[i], m, session, false, false);
    session.lastVisited = m.number;
  });
  const bad: string[] = [];
  const dissections = metas.map((m, i) => {
    const d = engine.dissect(frames[i], m, session, true, true);
    bad.push(...checkRanges(d, frames[i].length).map((s) => `frame ${i + 1}: ${s}`));
    return d;
  });
  return { bad, dissections };
}

const recordArb = fc
  .record({
    ct: fc.integer({ min: 19, max: 25 }),
    minor: fc.integer({ min: 0, max: 5 }),
    body: fc.oneof(
      fc.uint8Array({ maxLength: 120 }),
      // A handshake-shaped body: a type and a length that may lie.
      fc
        .record({
          t: fc.constantFrom(1, 2, 4, 8, 11, 12, 13, 14, 15, 16, 20, 24, 99),
          lie: fc.integer({ min: -8, max: 8 }),
          rest: fc.uint8Array({ maxLength: 120 }),
        })
        .map(({ t, lie, rest }) => {
          const n = Math.max(0, rest.length + lie);
          return b.bytes([t, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff], rest);
        }),
    ),
    lie: fc.integer({ min: -3, max: 3 }),
  })
  .map(({ ct, minor, body, lie }) => b.bytes([ct, 3, minor, ...b.u16(Math.max(0, body.length + lie))], body));

describe('TLS on arbitrary bytes', () => {
  it('random bytes and record-shaped data on 443 and an odd port: no dissector error, ranges inside', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(recordArb, fc.uint8Array({ maxLength: 200 })), { minLength: 1, maxLength: 5 }),
        fc.array(recordArb, { maxLength: 3 }),
        fc.array(fc.nat(600), { maxLength: 4 }),
        fc.constantFrom(443, 4433, 8443, 5555),
        (c, s, cuts, port) => {
          const frames = conversation(port, b.bytes(...c), b.bytes(...s), cuts);
          expect(run(frames).bad).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the heuristic takes no random noise that is not record-shaped', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 5, maxLength: 64 }), (noise) => {
        const ct = noise[0];
        const ok = ct >= 20 && ct <= 24 && noise[1] === 3 && noise[2] <= 4;
        const frames = conversation(5555, noise, new Uint8Array(0), []);
        const d = run(frames).dissections[3];
        if (!ok) expect(d.protocols).not.toContain('tls');
      }),
      { numRuns: 500 },
    );
  });
});

describe('TLS across segment boundaries', () => {
  // The client and server flights of the first connection of tls12.pcap (real OpenSSL bytes),
  // taken from the capture by TCP stream 0.
  const flights = (() => {
    const engine = createEngine();
    const session = new Session();
    const raw = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'tls', 'tls12.pcap'));
    // Classic pcap, little-endian, Ethernet: walk the records by hand (no reader needed here).
    const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    let off = 24;
    const c: number[] = [];
    const s: number[] = [];
    let n = 0;
    while (off + 16 <= raw.length) {
      const cap = dv.getUint32(off + 8, true);
      const frame = raw.subarray(off + 16, off + 16 + cap);
      off += 16 + cap;
      n++;
      engine.dissect(
        frame,
        { number: n, tsSec: 0, tsNsec: 0, caplen: cap, origlen: cap, linktype: 1, ifid: 0 },
        session,
        false,
        false,
      );
      const info = engine.lastInfo!;
      if (info.stream !== 0 || n > 16) continue;
      const ihl = (frame[14] & 15) * 4;
      const thl = (frame[14 + ihl + 12] >> 4) * 4;
      const payload = frame.subarray(14 + ihl + thl);
      if (!payload.length) continue;
      (info.dstport === 443 ? c : s).push(...payload);
    }
    return { client: Uint8Array.from(c), server: Uint8Array.from(s) };
  })();

  const summary = (ds: Dissection[]) => ({
    info: ds
      .map((d) => d.columns.info)
      .filter((i) => !/^\d+ → |\[TCP segment/.test(i) && i !== '')
      .join(', '),
    messages: ds.flatMap((d) => (d.messages ?? []).filter((m) => m.proto === 'tls').map((m) => m.label)),
  });

  it('has both flights', () => {
    expect(flights.client.length).toBeGreaterThan(300);
    expect(flights.server.length).toBeGreaterThan(2000);
  });

  it('cut anywhere: the same records, Info and messages as in one segment each', () => {
    const whole = summary(run(conversation(443, flights.client, flights.server, [])).dissections);
    expect(whole.messages).toContain('Certificate CN=localhost');
    fc.assert(
      fc.property(fc.array(fc.nat(5000), { maxLength: 8 }), (cuts) => {
        const r = run(conversation(443, flights.client, flights.server, cuts));
        expect(r.bad).toEqual([]);
        expect(summary(r.dissections).messages).toEqual(whole.messages);
      }),
      { numRuns: 60 },
    );
  });
});
