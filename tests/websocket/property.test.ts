// Properties of the WebSocket dissector on arbitrary bytes: random byte streams decoded as
// WebSocket, and random frames (any opcode, RSV bits, masking, lengths that lie) after a real
// handshake that negotiated permessage-deflate, so that random "compressed" payloads reach the
// inflater; both cut into random segments, both directions, in both passes. Dissection never
// throws, no layer reports a dissector error, every item lies inside its data source, and the
// framing's pduLength answers every prefix of any bytes without throwing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Dissection, Item } from '../../shared/dissect/types';
import { NEED_MORE, NOT_MINE, type StreamSide } from '../../shared/reassembly/pdu-stream';
import { framing } from '../../shared/dissectors/websocket';
import * as b from '../fixtures/l4/craft';
import { connectionFrames, craftedMeta, dissectPackets } from './dissect';
import { engineWithStub } from './stub-http';

const PORT = 8080;

function problems(ds: Dissection[], raw: Uint8Array[]): string[] {
  const bad: string[] = [];
  ds.forEach((d, i) => {
    const walk = (items: Item[], src: number) => {
      for (const it of items) {
        const s = it.source ?? src;
        const limit = s === 0 ? raw[i].length : (d.sources[s - 1]?.bytes.length ?? -1);
        if (it.offset < 0 || it.length < 0 || it.offset + it.length > limit)
          bad.push(
            `frame ${i + 1}: ${it.abbrev || it.label} @${it.offset}+${it.length} (source ${s}, ${limit} bytes)`,
          );
        if (it.children) walk(it.children, s);
      }
    };
    for (const l of d.layers) {
      walk(l.items, l.source ?? 0);
      for (const e of l.experts)
        if (/dissector error/.test(e.message)) bad.push(`frame ${i + 1} ${l.proto}: ${e.message}`);
    }
  });
  return bad;
}

function run(segments: { fromClient: boolean; data: Uint8Array }[], decodeAs: boolean): string[] {
  const raw = connectionFrames(segments, PORT, false);
  const packets = raw.map((data, i) => ({ meta: craftedMeta(i + 1, data), data }));
  const ds = dissectPackets(
    packets,
    decodeAs ? [{ table: 'tcp.port', key: PORT, proto: 'websocket' }] : [],
    false,
    engineWithStub(),
  );
  return problems(ds, raw);
}

/** Cuts a byte stream at random points into segments of one direction. */
function cut(stream: Uint8Array, points: number[], fromClient: boolean) {
  const at = [...new Set(points.map((p) => p % (stream.length + 1)))].sort((x, y) => x - y);
  const out: { fromClient: boolean; data: Uint8Array }[] = [];
  let from = 0;
  for (const p of [...at, stream.length]) {
    if (p > from) out.push({ fromClient, data: stream.subarray(from, p) });
    from = Math.max(from, p);
  }
  return out;
}

const frameArb = fc
  .record({
    b0: fc.nat(255),
    masked: fc.boolean(),
    key: fc.uint8Array({ minLength: 4, maxLength: 4 }),
    payload: fc.uint8Array({ maxLength: 300 }),
    form: fc.constantFrom(7, 16, 64),
    lie: fc.integer({ min: -3, max: 3 }),
  })
  .map(({ b0, masked, key, payload, form, lie }) => {
    const n = Math.max(0, payload.length + lie);
    const m = masked ? 0x80 : 0;
    const head =
      form === 64 || n > 0xffff
        ? [b0, m | 127, 0, 0, 0, 0, ...b.u32(n)]
        : form === 16 || n > 125
          ? [b0, m | 126, ...b.u16(n)]
          : [b0, m | n];
    return b.bytes(head, masked ? key : [], payload);
  });

const HANDSHAKE_REQ = new TextEncoder().encode(
  'GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n',
);
const HANDSHAKE_RES = new TextEncoder().encode(
  'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=10\r\n\r\n',
);

describe('WebSocket on arbitrary bytes', () => {
  it('random byte streams decoded as WebSocket, cut anywhere, both directions', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }),
        fc.uint8Array({ maxLength: 400 }),
        fc.array(fc.nat(1000), { maxLength: 5 }),
        (up, down, points) => {
          const segs = [...cut(up, points, true), ...cut(down, points, false)];
          expect(run(segs, true)).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('random frames after a permessage-deflate handshake, cut anywhere, interleaved', () => {
    fc.assert(
      fc.property(
        fc.array(frameArb, { maxLength: 8 }),
        fc.array(frameArb, { maxLength: 8 }),
        fc.array(fc.nat(3000), { maxLength: 6 }),
        (ups, downs, points) => {
          const segs = [
            { fromClient: true, data: HANDSHAKE_REQ },
            { fromClient: false, data: HANDSHAKE_RES },
            ...cut(b.bytes(...ups), points, true),
            ...cut(b.bytes(...downs), points, false),
          ];
          expect(run(segs, false)).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('pduLength on any prefix of any bytes: a length, NEED_MORE or NOT_MINE, never a throw', () => {
    const side = { key: 'tcp:0', dir: 0, frame: 1, closed: false } as unknown as StreamSide;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20 }), fc.nat(20), (bytes, k) => {
        const end = Math.min(k, bytes.length);
        const n = framing.pduLength(bytes, 0, end, side);
        expect(n === NEED_MORE || n === NOT_MINE || n >= 2).toBe(true);
        if (end >= 10) expect(n).not.toBe(NEED_MORE);
      }),
      { numRuns: 2000 },
    );
  });
});
