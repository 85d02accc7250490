// HTTP/2 on crafted connections (port 40080, found by the heuristic alone): frame types the
// fixtures lack, malformed frames and header blocks, frames split over and packed into segments,
// both passes agreeing; and a property test: random bytes after a preface never throw or hang.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Session, type FrameMeta } from '../../shared/dissect/packet';
import { fieldColumn } from '../../shared/dissect/query';
import type { Dissection, Item } from '../../shared/dissect/types';
import { createEngine } from '../../shared/dissectors';
import * as b from '../fixtures/l4/craft';

const PREFACE = [...new TextEncoder().encode('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n')];
const frame = (type: number, flags: number, stream: number, payload: number[] = []) => [
  (payload.length >> 16) & 255,
  (payload.length >> 8) & 255,
  payload.length & 255,
  type,
  flags,
  ...b.u32(stream),
  ...payload,
];

function conversation(client: Uint8Array[], server: Uint8Array[] = []): Uint8Array[] {
  const out: Uint8Array[] = [
    b.v4Frame(6, b.tcp(b.V4_A, b.V4_B, { sport: 50000, dport: 40080, seq: 999, flags: 0x002 })),
    b.v4Frame(
      6,
      b.tcp(b.V4_B, b.V4_A, { sport: 40080, dport: 50000, seq: 4999, ack: 1000, flags: 0x012 }),
      b.V4_B,
      b.V4_A,
    ),
  ];
  let cs = 1000;
  let ss = 5000;
  const n = Math.max(client.length, server.length);
  for (let i = 0; i < n; i++) {
    if (client[i]) {
      out.push(
        b.v4Frame(
          6,
          b.tcp(b.V4_A, b.V4_B, {
            sport: 50000,
            dport: 40080,
            seq: cs,
            ack: ss,
            flags: 0x018,
            payload: client[i],
          }),
        ),
      );
      cs += client[i].length;
    }
    if (server[i]) {
      out.push(
        b.v4Frame(
          6,
          b.tcp(b.V4_B, b.V4_A, {
            sport: 40080,
            dport: 50000,
            seq: ss,
            ack: cs,
            flags: 0x018,
            payload: server[i],
          }),
          b.V4_B,
          b.V4_A,
        ),
      );
      ss += server[i].length;
    }
  }
  return out;
}

function run(frames: Uint8Array[]): { first: Dissection[]; again: Dissection[] } {
  const engine = createEngine();
  const session = new Session();
  session.interfaceIds = false;
  session.frameBytes = (n) => frames[n - 1] ?? null;
  const metas: FrameMeta[] = frames.map((f, i) => ({
    number: i + 1,
    tsSec: 1,
    tsNsec: i,
    caplen: f.length,
    origlen: f.length,
    linktype: 1,
    ifid: 0,
  }));
  metas.forEach((m, i) => {
    engine.dissect(frames[i], m, session, false, false);
    session.lastVisited = m.number;
  });
  const first = metas.map((m, i) => engine.dissect(frames[i], m, session, true, true));
  const again = metas
    .map((m, i) => engine.dissect(frames[i], m, session, true, true))
    .reverse()
    .reverse();
  return { first, again };
}

function badRanges(d: Dissection): string[] {
  const bad: string[] = [];
  const walk = (items: Item[], source: number, len: number) => {
    for (const it of items) {
      const src = it.source ?? source;
      const limit = src === 0 ? len : (d.sources[src - 1]?.bytes.length ?? -1);
      if (it.offset < 0 || it.length < 0 || it.offset + it.length > limit)
        bad.push(`${it.abbrev || it.label} @${it.offset}+${it.length}`);
      if (it.children) walk(it.children, src, len);
    }
  };
  const frameLen = d.layers[0]?.length ?? 0;
  for (const l of d.layers) {
    walk(l.items, l.source ?? 0, frameLen);
    for (const e of l.experts) if (/dissector error/.test(e.message)) bad.push(`${l.proto}: ${e.message}`);
  }
  return bad;
}

const u8 = (a: number[]) => Uint8Array.from(a);

describe('HTTP/2 on crafted connections', () => {
  it('PRIORITY, RST_STREAM, GOAWAY with debug data, PING ACK, WINDOW_UPDATE, an unknown type', () => {
    const client = u8([
      ...PREFACE,
      ...frame(4, 0, 0, [0, 4, 0, 0, 0xff, 0xff]),
      ...frame(2, 0, 3, [0x80, 0, 0, 1, 15]),
      ...frame(3, 0, 3, [0, 0, 0, 8]),
      ...frame(6, 1, 0, [1, 2, 3, 4, 5, 6, 7, 8]),
      ...frame(8, 0, 0, [0, 1, 0, 0]),
      ...frame(0xfa, 0, 0, [9, 9]),
      ...frame(7, 0, 0, [0, 0, 0, 5, 0, 0, 0, 2, 0x68, 0x69]),
    ]);
    const { first } = run(conversation([client]));
    const d = first[2];
    expect(d.columns.info).toBe(
      'Magic, SETTINGS[0], PRIORITY[3], RST_STREAM[3], PING[0], WINDOW_UPDATE[0], Unknown type (250)[0], GOAWAY[0]',
    );
    expect(fieldColumn(d, 'http2.settings.initial_window_size')).toBe('65535');
    expect(fieldColumn(d, 'http2.exclusive')).toBe('1');
    expect(fieldColumn(d, 'http2.stream_dependency')).toBe('1');
    expect(fieldColumn(d, 'http2.headers.weight_real')).toBe('16');
    expect(fieldColumn(d, 'http2.rst_stream.error')).toBe('8');
    expect(fieldColumn(d, 'http2.pong')).toBe('0102030405060708');
    expect(fieldColumn(d, 'http2.window_update.window_size_increment')).toBe('65536');
    expect(fieldColumn(d, 'http2.unknown')).toBe('0909');
    expect(fieldColumn(d, 'http2.goaway.last_stream_id')).toBe('5');
    expect(fieldColumn(d, 'http2.goaway.error')).toBe('2');
    expect(fieldColumn(d, 'http2.goaway.addata')).toBe('6869');
    expect(d.messages?.map((m) => m.label)).toEqual([
      'Magic (connection preface)',
      'SETTINGS',
      'PRIORITY stream 3',
      'RST_STREAM stream 3 CANCEL',
      'PING ACK',
      'WINDOW_UPDATE stream 0 +65536',
      'Unknown type (250) stream 0',
      'GOAWAY',
    ]);
    expect(badRanges(d)).toEqual([]);
  });

  it('a header block over HEADERS + CONTINUATION split across segments, decoded once, same on every visit', () => {
    // :method GET, :path /x (literal, indexed name 4), custom literal with indexing (new name).
    const block = [0x82, 0x04, 0x02, 0x2f, 0x78, 0x40, 0x03, 0x61, 0x62, 0x63, 0x03, 0x64, 0x65, 0x66, 0x87];
    const stream = u8([
      ...PREFACE,
      ...frame(1, 0x01, 1, block.slice(0, 6)),
      ...frame(9, 0x04, 1, block.slice(6)),
      // A second request reuses the dynamic entry abc: def (index 62) → the table is per direction.
      ...frame(1, 0x05, 3, [0x82, 0x84, 0xbe]),
    ]);
    const cuts = [10, 33, 40, stream.length];
    const segs: Uint8Array[] = [];
    let from = 0;
    for (const c of cuts) {
      segs.push(stream.slice(from, c));
      from = c;
    }
    const { first, again } = run(conversation(segs));
    const names = first.map((d) => fieldColumn(d, 'http2.header.name')).filter(Boolean);
    // The CONTINUATION and the second HEADERS complete in the last segment: one cell, two blocks.
    expect(names).toEqual([':method,:path,abc,:scheme,:method,:path,abc']);
    expect(first.map((d) => fieldColumn(d, 'http2.header.value')).filter(Boolean)).toEqual([
      'GET,/x,def,https,GET,/,def',
    ]);
    expect(first.map((d) => fieldColumn(d, 'http2.header.repr')).filter(Boolean)[0]).toMatch(
      /Literal Header Field with Incremental Indexing - New Name,Indexed Header Field,Indexed Header Field,Indexed Header Field,Indexed Header Field$/,
    );
    expect(again.map((d) => d.columns.info)).toEqual(first.map((d) => d.columns.info));
    expect(first.some((d) => /CONTINUATION\[1\]: GET \/x/.test(d.columns.info))).toBe(true);
    for (const d of first) expect(badRanges(d)).toEqual([]);
  });

  it('malformed: pad length beyond the frame, bad HPACK, SETTINGS not a multiple of 6, CONTINUATION alone', () => {
    const client = u8([
      ...PREFACE,
      ...frame(0, 0x08, 1, [200, 1, 2]),
      ...frame(1, 0x04, 3, [0xbf]),
      ...frame(4, 0, 0, [0, 1, 0, 0]),
      ...frame(9, 0x04, 5, [0x82]),
    ]);
    const { first } = run(conversation([client]));
    const d = first[2];
    const experts = d.layers.flatMap((l) => l.experts.map((e) => e.id));
    expect(experts).toContain('http2.padding.too_long');
    expect(experts).toContain('http2.header.decompression_failed');
    expect(experts).toContain('http2.settings.length');
    expect(experts).toContain('http2.continuation.unexpected');
    expect(badRanges(d)).toEqual([]);
  });

  it('the server direction alone is recognised by its SETTINGS frame', () => {
    const server = u8([...frame(4, 0, 0, [0, 3, 0, 0, 0, 100]), ...frame(4, 1, 0)]);
    const { first } = run(conversation([u8([0x16, 3, 1])], [server]));
    const d = first[3];
    expect(d.columns.protocol).toBe('HTTP2');
    expect(d.columns.info).toBe('SETTINGS[0], SETTINGS[0]');
  });

  it('random bytes after a preface (and random frames) never throw, hang or point outside their data', () => {
    const frameArb = fc
      .record({
        type: fc.nat(12),
        flags: fc.nat(255),
        stream: fc.nat(9),
        body: fc.uint8Array({ maxLength: 60 }),
        lie: fc.integer({ min: -3, max: 3 }),
      })
      .map(({ type, flags, stream, body, lie }) => {
        const f = frame(type, flags, stream, [...body]);
        const len = Math.max(0, body.length + lie);
        f[0] = (len >> 16) & 255;
        f[1] = (len >> 8) & 255;
        f[2] = len & 255;
        return f;
      });
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            frameArb,
            fc.uint8Array({ maxLength: 80 }).map((x) => [...x]),
          ),
          { minLength: 1, maxLength: 6 },
        ),
        fc.array(fc.nat(400), { maxLength: 4 }),
        (parts, cuts) => {
          const stream = u8([...PREFACE, ...parts.flat()]);
          const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((x, y) => x - y);
          const segs: Uint8Array[] = [];
          let from = 0;
          for (const p of [...points, stream.length]) {
            if (p > from) segs.push(stream.slice(from, p));
            from = Math.max(from, p);
          }
          const { first } = run(
            conversation(
              segs,
              segs.map((s) => s.slice().reverse()),
            ),
          );
          for (const d of first) expect(badRanges(d)).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });
});
