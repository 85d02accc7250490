// Properties of the transport dissectors on arbitrary input: whatever the bytes after a valid IP
// header (and whatever a capture cut off), dissection never throws out of the frame, every item's
// byte range lies inside the frame, and a frame dissected again later shows what it showed in the
// first pass. Sequences of random segments on one 4-tuple exercise the TCP analysis state.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Session, type FrameMeta } from '../dissect/packet';
import type { Dissection, Item } from '../dissect/types';
import { createEngine } from './index';
import * as b from '../../tests/fixtures/l4/craft';

const engine = createEngine();

function meta(n: number, data: Uint8Array, origlen = data.length): FrameMeta {
  return {
    number: n,
    tsSec: 1000 + n,
    tsNsec: (n * 7919) % 1e9,
    caplen: data.length,
    origlen,
    linktype: 1,
    ifid: 0,
  };
}

function rangesInside(d: Dissection, len: number): string[] {
  const bad: string[] = [];
  const walk = (items: readonly Item[], proto: string) => {
    for (const it of items) {
      // The engine's own notes for a layer that ran off its end sit where the read was attempted,
      // which can be past the frame (reported to the engine's owner).
      if (it.expert?.id === '_ws.malformed' || it.abbrev === '_ws.short') continue;
      if (!it.source && (it.offset < 0 || it.length < 0 || it.offset + it.length > len))
        bad.push(`${proto} ${it.abbrev} @${it.offset}+${it.length} (frame ${len})`);
      if (it.children) walk(it.children, proto);
    }
  };
  for (const l of d.layers) {
    if (!l.source && (l.offset < 0 || l.offset + l.length > Math.max(len, l.offset)))
      bad.push(`${l.proto} layer @${l.offset}+${l.length}`);
    walk(l.items, l.proto);
  }
  return bad;
}

/** First pass over all frames (no tree), then each again with tree and columns. */
function twoPasses(frames: { data: Uint8Array; origlen: number }[]): {
  first: Dissection[];
  later: Dissection[];
} {
  const s = new Session();
  const first: Dissection[] = [];
  frames.forEach((f, i) => {
    first.push(engine.dissect(f.data, meta(i + 1, f.data, f.origlen), s, true, true));
    s.lastVisited = i + 1;
  });
  const later = frames.map((f, i) => engine.dissect(f.data, meta(i + 1, f.data, f.origlen), s, true, true));
  return { first, later };
}

const payload = fc.uint8Array({ minLength: 0, maxLength: 120 });
const proto = fc.constantFrom(6, 17, 1, 58);
const cut = fc.nat({ max: 40 });

describe('transport dissectors on arbitrary bytes', () => {
  it('never throw and keep every range inside the frame (IPv4 and IPv6, cut or whole)', () => {
    fc.assert(
      fc.property(fc.boolean(), proto, payload, cut, (v6, p, bytes, drop) => {
        const whole = v6 ? b.ether(b.ipv6(b.V6_A, b.V6_B, p, bytes), 0x86dd) : b.v4Frame(p, bytes);
        const data = whole.subarray(0, Math.max(14, whole.length - drop));
        const s = new Session();
        let d: Dissection | undefined;
        expect(() => (d = engine.dissect(data, meta(1, data, whole.length), s, true, true))).not.toThrow();
        expect(rangesInside(d!, data.length)).toEqual([]);
      }),
      { numRuns: 3000 },
    );
  });

  it('an ICMP or ICMPv6 error quoting arbitrary bytes stays inside the frame and leaves the columns to ICMP', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.constantFrom(3, 4, 5, 11, 12), payload, (v6, type, bytes) => {
        const frame = v6
          ? b.v6Frame(
              58,
              b.icmpv6(
                b.V6_A,
                b.V6_B,
                type === 12 ? 4 : type === 11 ? 3 : 1,
                0,
                b.bytes([0, 0, 0, 0], b.ipv6(b.V6_B, b.V6_A, 6, bytes)),
              ),
            )
          : b.v4Frame(1, b.icmp(type, 0, [0, 0, 0, 0], b.ipv4(b.V4_B, b.V4_A, 17, bytes)));
        const d = engine.dissect(frame, meta(1, frame), new Session(), true, true);
        expect(rangesInside(d, frame.length)).toEqual([]);
        expect(d.columns.protocol).toBe(v6 ? 'ICMPv6' : 'ICMP');
      }),
      { numRuns: 1500 },
    );
  });

  it('random TCP segments on one connection: same result dissected in order and again later', () => {
    const segment = fc.record({
      fromA: fc.boolean(),
      seq: fc.integer({ min: 0, max: 0xffffffff }),
      ack: fc.integer({ min: 0, max: 0xffffffff }),
      flags: fc.integer({ min: 0, max: 0xfff }),
      win: fc.integer({ min: 0, max: 0xffff }),
      options: fc
        .uint8Array({ maxLength: 40 })
        .map((o) => Array.from(o.subarray(0, o.length - (o.length % 4)))),
      data: fc.uint8Array({ maxLength: 30 }),
      hlen: fc.option(
        fc.integer({ min: 0, max: 15 }).map((x) => x * 4),
        { nil: undefined },
      ),
    });
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 25 }), (segs) => {
        const frames = segs.map((g) => {
          const [src, dst, sport, dport] = g.fromA
            ? [b.V4_A, b.V4_B, 40000, 80]
            : [b.V4_B, b.V4_A, 80, 40000];
          const data = b.v4Frame(
            6,
            b.tcp(src, dst, {
              sport,
              dport,
              seq: g.seq,
              ack: g.ack,
              flags: g.flags,
              win: g.win,
              options: g.options,
              payload: g.data,
              hlen: g.hlen,
            }),
            src,
            dst,
          );
          return { data, origlen: data.length };
        });
        const { first, later } = twoPasses(frames);
        first.forEach((d, i) => expect(rangesInside(d, frames[i].data.length)).toEqual([]));
        // Stream numbers and analysis recorded on the first pass are shown the same way later.
        const pick = (d: Dissection) =>
          d.layers
            .filter((l) => l.proto === 'tcp')
            .flatMap((l) =>
              l.items
                .filter((it) => ['tcp.stream', 'tcp.seq', 'tcp.ack', 'tcp.len'].includes(it.abbrev))
                .map((it) => `${it.abbrev}=${String(it.value)}`),
            );
        later.forEach((d, i) =>
          expect(pick(d).filter((x) => !x.startsWith('tcp.seq') && !x.startsWith('tcp.ack'))).toEqual(
            pick(first[i]).filter((x) => !x.startsWith('tcp.seq') && !x.startsWith('tcp.ack')),
          ),
        );
      }),
      { numRuns: 400 },
    );
  });
});
