// WebSocket on crafted frames (built here byte by byte, independently of the dissector) in TCP
// segments of one connection, WebSocket by decode-as on the server's port: the framing's length
// rules, frames split across and packed into segments, every opcode, fragmented messages with a
// control frame between fragments, permessage-deflate's inflation, the application messages, and
// that later visits show what the first pass built.
import { deflateRawSync, constants } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fieldColumn } from '../../shared/dissect/query';
import type { Dissection, Item } from '../../shared/dissect/types';
import * as b from '../fixtures/l4/craft';
import { connectionFrames, craftedMeta, dissectPackets } from '../websocket/dissect';
import { NEED_MORE, NOT_MINE, type StreamSide } from '../../shared/reassembly/pdu-stream';
import { framing, inflateMessage, parseExtensions } from '../../shared/dissectors/websocket';

const PORT = 8080;

interface FrameSpec {
  fin?: boolean;
  rsv?: number;
  opcode: number;
  payload?: Uint8Array | string;
  key?: number[];
  /** Force the 16- or 64-bit length form for a short payload. */
  form?: 16 | 64;
}

const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

function wsFrame(f: FrameSpec): Uint8Array {
  const payload = typeof f.payload === 'string' ? utf8(f.payload) : (f.payload ?? new Uint8Array(0));
  const n = payload.length;
  const head = [((f.fin ?? true) ? 0x80 : 0) | ((f.rsv ?? 0) << 4) | f.opcode];
  const m = f.key ? 0x80 : 0;
  if (f.form === 64 || n > 0xffff) head.push(m | 127, 0, 0, 0, 0, ...b.u32(n));
  else if (f.form === 16 || n > 125) head.push(m | 126, ...b.u16(n));
  else head.push(m | n);
  if (f.key) head.push(...f.key);
  const body = f.key ? payload.map((x, i) => x ^ f.key![i & 3]) : payload;
  return b.bytes(head, body);
}

/** Client (masked) → server segments and back, one TCP connection, each frame a capture frame. */
function conversation(segments: { fromClient: boolean; data: Uint8Array }[]): Dissection[] {
  const frames = connectionFrames(segments, PORT, true);
  const packets = frames.map((data, i) => ({ meta: craftedMeta(i + 1, data), data }));
  return dissectPackets(packets, [{ table: 'tcp.port', key: PORT, proto: 'websocket' }]);
}

const KEY = [0x12, 0x34, 0x56, 0x78];
const client = (...f: FrameSpec[]) => ({
  fromClient: true,
  data: b.bytes(...f.map((x) => wsFrame({ key: KEY, ...x }))),
});
const server = (...f: FrameSpec[]) => ({ fromClient: false, data: b.bytes(...f.map(wsFrame)) });

function labels(d: Dissection): string[] {
  return (d.messages ?? []).map((m) => `${m.role} ${m.label}`);
}

function find(items: Item[], abbrev: string): Item | undefined {
  for (const it of items) {
    if (it.abbrev === abbrev) return it;
    const c = it.children && find(it.children, abbrev);
    if (c) return c;
  }
  return undefined;
}

function ws(d: Dissection) {
  return d.layers.filter((l) => l.proto === 'websocket');
}

const side = { key: 'tcp:0', dir: 0, frame: 1, closed: false } as unknown as StreamSide;

describe('framing.pduLength', () => {
  const len = (bytes: number[] | Uint8Array) =>
    framing.pduLength(Uint8Array.from(bytes), 0, bytes.length, side);
  it('7-, 16- and 64-bit lengths, with and without a masking key', () => {
    expect(len([0x81, 0x05])).toBe(7);
    expect(len([0x81, 0x85])).toBe(11);
    expect(len([0x82, 126, 0x01, 0x00])).toBe(4 + 256);
    expect(len([0x82, 0xfe, 0xff, 0xff])).toBe(4 + 4 + 65535);
    expect(len([0x82, 127, 0, 0, 0, 0, 0, 1, 0x11, 0x70])).toBe(10 + 70000);
    expect(len([0x82, 0xff, 0, 0, 0, 0, 0, 1, 0x11, 0x70])).toBe(14 + 70000);
    expect(len([0x89, 0x00])).toBe(2);
  });
  it('needs more bytes for a cut extended length', () => {
    expect(len([0x81])).toBe(NEED_MORE);
    expect(len([0x81, 126, 1])).toBe(NEED_MORE);
    expect(len([0x81, 127, 0, 0, 0, 0, 0, 0, 1])).toBe(NEED_MORE);
  });
  it('gives up on a 64-bit length no stream could hold', () => {
    expect(len([0x82, 127, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])).toBe(NOT_MINE);
  });
});

describe('parseExtensions', () => {
  it('reads permessage-deflate parameters as RFC 7692 §7.1 defines them', () => {
    expect(parseExtensions(undefined)).toBeNull();
    expect(parseExtensions('x-foo')).toBeNull();
    expect(parseExtensions('permessage-deflate')).toEqual({
      client: { noContext: false, windowBits: 15 },
      server: { noContext: false, windowBits: 15 },
    });
    expect(
      parseExtensions(
        'permessage-deflate; server_no_context_takeover; client_max_window_bits=9; server_max_window_bits=20',
      ),
    ).toEqual({ client: { noContext: false, windowBits: 9 }, server: { noContext: true, windowBits: 15 } });
  });
});

describe('inflateMessage', () => {
  const compressed = (s: string) => {
    const out = deflateRawSync(Buffer.from(s), { finishFlush: constants.Z_SYNC_FLUSH });
    expect([...out.subarray(-4)]).toEqual([0, 0, 0xff, 0xff]);
    return new Uint8Array(out.subarray(0, -4));
  };
  it('puts back the 00 00 ff ff tail (RFC 7692 §7.2.2)', () => {
    const r = inflateMessage(compressed('Hello, compressed world'), null);
    expect('data' in r && Buffer.from(r.data).toString()).toBe('Hello, compressed world');
  });
  it('says why when the bytes are no DEFLATE stream', () => {
    const r = inflateMessage(new Uint8Array([0xff, 0xff, 0xff, 0xff]), null);
    expect('error' in r).toBe(true);
  });
});

describe('frames in TCP segments', () => {
  it("several frames in one segment: a layer and a message each; Info is the last frame's", () => {
    const d = conversation([
      client({ opcode: 1, payload: 'one' }, { opcode: 2, payload: new Uint8Array(12) }, { opcode: 9 }),
    ]);
    const f = d[3];
    expect(ws(f).length).toBe(3);
    expect(fieldColumn(f, 'websocket.opcode')).toBe('1,2,9');
    expect(fieldColumn(f, 'websocket.payload.text')).toBe('one');
    expect(labels(f)).toEqual(['client WS text "one"', 'client WS binary 12 bytes', 'client WS ping']);
    expect(f.columns.info).toBe('WebSocket Ping [FIN] [MASKED]');
    expect(f.columns.protocol).toBe('WebSocket');
  });

  it('one frame over three segments, cut inside its 64-bit length: dissected once, where it completes', () => {
    const big = new Uint8Array(70000).map((_, i) => i * 7);
    const frame = wsFrame({ opcode: 2, payload: big, key: KEY });
    const d = conversation([
      { fromClient: true, data: frame.subarray(0, 5) },
      { fromClient: true, data: frame.subarray(5, 40000) },
      { fromClient: true, data: frame.subarray(40000) },
    ]);
    expect(ws(d[3]).length + ws(d[4]).length).toBe(0);
    const f = d[5];
    expect(fieldColumn(f, 'websocket.payload_length')).toBe('127');
    expect(fieldColumn(f, 'websocket.payload_length_ext_64')).toBe('70000');
    expect(fieldColumn(f, 'websocket.masking_key')).toBe('12345678');
    expect(f.sources.map((s) => s.name)).toEqual(['Reassembled TCP (70014 bytes)', 'Unmasked data']);
    expect(f.sources[1].bytes).toEqual(big);
    expect(labels(f)).toEqual(['client WS binary 70000 bytes']);
  });

  it('a 16-bit length on a short payload, and an empty text frame', () => {
    const d = conversation([server({ opcode: 1, payload: 'hi', form: 16 }, { opcode: 1 })]);
    expect(fieldColumn(d[3], 'websocket.payload_length')).toBe('126,0');
    expect(fieldColumn(d[3], 'websocket.payload_length_ext_16')).toBe('2');
    expect(fieldColumn(d[3], 'websocket.payload.text')).toBe('hi');
    expect(labels(d[3])).toEqual(['server WS text "hi"', 'server WS text ""']);
  });

  it('close with code and reason, with a code only, and without a body', () => {
    const d = conversation([
      client({ opcode: 8, payload: b.bytes(b.u16(1001), utf8('going away')) }),
      server({ opcode: 8, payload: Uint8Array.from(b.u16(4000)) }, { opcode: 8 }),
    ]);
    expect(fieldColumn(d[3], 'websocket.payload.close.status_code')).toBe('1001');
    expect(fieldColumn(d[3], 'websocket.payload.close.reason')).toBe('going away');
    expect(find(ws(d[3])[0].items, 'websocket.payload.close.status_code')?.label).toBe(
      'Status code: Going Away (1001)',
    );
    expect(labels(d[3])).toEqual(['client WS close 1001 "going away"']);
    expect(labels(d[4])).toEqual(['server WS close 4000', 'server WS close']);
  });

  it('ping and pong payloads', () => {
    const d = conversation([client({ opcode: 9, payload: 'abc' }), server({ opcode: 10, payload: 'abc' })]);
    expect(fieldColumn(d[3], 'websocket.payload.ping')).toBe('616263');
    expect(fieldColumn(d[4], 'websocket.payload.pong')).toBe('616263');
    expect(labels(d[4])).toEqual(['server WS pong']);
  });

  it("a reserved opcode: its payload as unknown, with Wireshark's note", () => {
    const d = conversation([server({ opcode: 3, payload: 'zz' }, { opcode: 0xb, payload: 'y' })]);
    expect(fieldColumn(d[3], 'websocket.payload.unknown')).toBe('7a7a,79');
    expect(d[3].columns.info).toBe('WebSocket Unknown Opcode [FIN] ');
    expect(ws(d[3])[0].experts.map((e) => e.id)).toEqual(['websocket.payload.unknown.expert']);
  });

  it('a fragmented message with a ping between fragments (RFC 6455 §5.4)', () => {
    const d = conversation([
      client({ opcode: 1, fin: false, payload: 'Hel' }),
      client({ opcode: 9, payload: 'p' }),
      client({ opcode: 0, fin: false, payload: 'lo, ' }),
      client({ opcode: 0, payload: 'world' }),
    ]);
    expect(labels(d[3])).toEqual(['client WS text fragment (1/3)']);
    expect(labels(d[4])).toEqual(['client WS ping']);
    expect(labels(d[5])).toEqual(['client WS continuation (2/3)']);
    expect(fieldColumn(d[5], 'websocket.payload.continue')).toBe('6c6f2c20');
    const last = d[6];
    expect(labels(last)).toEqual(['client WS text "Hello, world"']);
    expect(fieldColumn(last, 'websocket.payload.text')).toBe('Hello, world');
    expect(fieldColumn(last, 'websocket.fragment')).toBe('4,6,7');
    expect(fieldColumn(last, 'websocket.fragment.count')).toBe('3');
    expect(fieldColumn(last, 'websocket.reassembled.length')).toBe('12');
    expect(find(ws(last)[0].items, 'websocket.fragments')?.label).toBe(
      '[3 Reassembled websocket Fragments (12 bytes): #4(3), #6(4), #7(5)]',
    );
    expect(last.sources.map((s) => s.name)).toEqual(['Unmasked data', 'Reassembled Message']);
    expect(last.columns.info).toBe('WebSocket Continuation [FIN] [MASKED]');
    expect(d[3].columns.info).toBe('WebSocket Text[FRAGMENT]  [MASKED]');
  });

  it('a continuation without its first fragment (capture started mid-message)', () => {
    const d = conversation([server({ opcode: 0, payload: 'tail' })]);
    expect(labels(d[3])).toEqual(['server WS continuation']);
    expect(fieldColumn(d[3], 'websocket.payload.continue')).toBe('7461696c');
  });

  it('a long text: the label preview is cut with …, the detail keeps it', () => {
    const text = 'x'.repeat(100);
    const d = conversation([server({ opcode: 1, payload: text })]);
    const m = d[3].messages![0];
    expect(m.label).toBe(`WS text "${'x'.repeat(32)}…"`);
    expect(m.label.length).toBeLessThanOrEqual(60);
    expect(m.detail).toBe(text);
  });

  it('item ranges lie inside their data source', () => {
    const d = conversation([
      client(
        { opcode: 1, fin: false, payload: 'ab' },
        { opcode: 0, payload: 'cd' },
        { opcode: 8, payload: b.bytes(b.u16(1000), utf8('x')) },
      ),
    ]);
    const bad: string[] = [];
    const walk = (items: Item[], src: number, f: Dissection, frameLen: number) => {
      for (const it of items) {
        const s = it.source ?? src;
        const limit = s === 0 ? frameLen : f.sources[s - 1].bytes.length;
        if (it.offset < 0 || it.offset + it.length > limit)
          bad.push(`${it.abbrev} ${it.offset}+${it.length} in ${s}`);
        if (it.children) walk(it.children, s, f, frameLen);
      }
    };
    for (const f of d) for (const l of f.layers) walk(l.items, l.source ?? 0, f, f.layers[0].length);
    expect(bad).toEqual([]);
  });
});
