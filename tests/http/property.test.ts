// Random bytes on HTTP's ports and through its heuristic never throw and never hang; pduLength on
// random prefixes of real and random streams never throws and answers a sane length.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Session, type FrameMeta } from '../../shared/dissect/packet';
import { createEngine } from '../../shared/dissectors';
import { dissectors } from '../../shared/dissectors/http';
import type { StreamSide } from '../../shared/reassembly/pdu-stream';
import * as b from '../fixtures/l4/craft';

const framing = dissectors[0].framing!;

function side(dir: 0 | 1, closed: boolean): StreamSide {
  const conv = new Map<string, unknown>();
  return {
    key: 'tcp:0',
    dir,
    frame: 1,
    closed,
    convState<T>(k: string, make: () => T): T {
      if (!conv.has(k)) conv.set(k, make());
      return conv.get(k) as T;
    },
    switchTo() {},
    switchPeer() {},
    handOver() {},
  };
}

/** A client → server segment stream on `port`, each payload one frame, seq numbers in order. */
function frames(payloads: Uint8Array[], port: number, fromServer: boolean[]): Uint8Array[] {
  const seq = [1000, 5000];
  return payloads.map((p, i) => {
    const s = fromServer[i] ? 1 : 0;
    const [src, dst, sport, dport] = s ? [b.V4_B, b.V4_A, port, 40001] : [b.V4_A, b.V4_B, 40001, port];
    const f = b.v4Frame(
      6,
      b.tcp(src, dst, { sport, dport, seq: seq[s], ack: seq[1 - s], flags: 0x018, payload: p }),
      src,
      dst,
    );
    seq[s] += p.length;
    return f;
  });
}

function dissectAll(list: Uint8Array[]): void {
  const engine = createEngine();
  const session = new Session();
  session.interfaceIds = false;
  session.frameBytes = (n) => list[n - 1] ?? null;
  const metas: FrameMeta[] = list.map((d, i) => ({
    number: i + 1,
    tsSec: 1000 + i,
    tsNsec: 0,
    caplen: d.length,
    origlen: d.length,
    linktype: 1,
    ifid: 0,
  }));
  metas.forEach((m, i) => {
    engine.dissect(list[i], m, session, false, false);
    session.lastVisited = m.number;
  });
  metas.forEach((m, i) => {
    const d = engine.dissect(list[i], m, session, true, true);
    for (const l of d.layers) for (const e of l.experts) expect(e.message).not.toMatch(/dissector error/);
  });
}

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
const httpish = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc
    .tuple(
      fc.constantFrom(
        'GET / HTTP/1.1\r\n',
        'HTTP/1.1 200 OK\r\n',
        'POST /x HTTP/1.0\r\n',
        'HTTP/1.1 101 Switching Protocols\r\n',
        'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
      ),
      fc.array(
        fc.constantFrom(
          'Content-Length: 5\r\n',
          'Content-Length: -1\r\n',
          'Transfer-Encoding: chunked\r\n',
          'Content-Encoding: gzip\r\n',
          'Content-Encoding: br\r\n',
          'Content-Type: application/json\r\n',
          'Content-Type: text/event-stream\r\n',
          'Upgrade: websocket\r\n',
          'Sec-WebSocket-Key: x\r\n',
          'Sec-WebSocket-Accept: y\r\n',
          '\r\n',
          '5\r\nhello\r\n',
          '0\r\n\r\n',
          'zz\r\n',
          '{"a":[1,{"b":null}],"query":"query Q { a }"}',
          'data: x\n\n',
        ),
        { maxLength: 8 },
      ),
      fc.uint8Array({ maxLength: 40 }),
    )
    .map(([l, hs, tail]) => {
      const a = enc(l + hs.join(''));
      const out = new Uint8Array(a.length + tail.length);
      out.set(a);
      out.set(tail, a.length);
      return out;
    }),
);

describe('HTTP on arbitrary bytes', () => {
  it('segments on port 80 and on an odd port (heuristic): never throw', () => {
    fc.assert(
      fc.property(
        fc.array(httpish, { minLength: 1, maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        fc.constantFrom(80, 8123),
        (ps, dirs, port) => {
          dissectAll(frames(ps, port, dirs));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('pduLength on every prefix never throws and tells NEED_MORE, NOT_MINE or a length ≥ 1', () => {
    fc.assert(
      fc.property(httpish, fc.boolean(), fc.constantFrom(0, 1), (bytes, closed, dir) => {
        const s = side(dir as 0 | 1, closed);
        for (let n = 1; n <= bytes.length; n++) {
          const r = framing.pduLength(bytes, 0, n, s);
          expect(Number.isInteger(r) && r >= -1).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
