// gRPC on crafted payloads, as HTTP/2 hands them on (a media_type hint with an Http2Context):
// framing, compressed messages, several messages in one payload, a message cut short,
// trailers and their status, call classification by the schema and by what is seen, messages
// for sequence diagrams, and random bytes that must never throw.
import fc from 'fast-check';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { Engine, type Dissector } from '../dissect/engine';
import { defineFields } from '../dissect/fields';
import { Session, type FrameMeta } from '../dissect/packet';
import { findItems } from '../dissect/query';
import type { Dissection } from '../dissect/types';
import { useProtos } from '../protobuf/use-protos';
import { NEED_MORE, NOT_MINE } from '../reassembly/pdu-stream';
import {
  classify,
  decodeStatusMessage,
  grpcFraming,
  parseTimeout,
  splitPath,
  type GrpcContext,
} from './grpc';
import { allDissectors } from './index';

const USER_PROTO = `syntax = "proto3"; package user;
service UserService {
  rpc GetUser(GetUserRequest) returns (User);
  rpc ListUsers(ListUsersRequest) returns (stream User);
}
message GetUserRequest { int64 id = 1; }
message ListUsersRequest { int32 page_size = 1; }
message User { int64 id = 1; string name = 2; }`;

const LINK = 147; // LINKTYPE_USER0: the test's own link layer, handing the payload to media_type.
const testFields = defineFields('grpctest', 'gRPC test link', null, {});

/** An engine whose link layer hands the whole frame to `media_type` with the context given. */
function engineWith(ctx: { current: GrpcContext | null; key: string }, protos = true): Engine {
  const link: Dissector = {
    fields: testFields,
    in: { link: LINK },
    dissect: () => ({ next: { table: 'media_type', key: ctx.key, offset: 0, context: ctx.current } }),
  };
  const e = new Engine([...allDissectors, link]);
  if (protos) useProtos(e, [{ name: 'user.proto', text: USER_PROTO }]);
  return e;
}

function frame(n: number, len: number): FrameMeta {
  return { number: n, tsSec: n, tsNsec: 0, caplen: len, origlen: len, linktype: LINK, ifid: 0 };
}

function msg(payload: number[] | Uint8Array, flag = 0): number[] {
  const n = payload.length;
  return [flag, (n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255, ...payload];
}

const h = (name: string, value: string) => ({ name, value });
const REQ = [
  h(':method', 'POST'),
  h(':path', '/user.UserService/GetUser'),
  h('content-type', 'application/grpc'),
  h('grpc-timeout', '150m'),
];
const RES = [h(':status', '200'), h('content-type', 'application/grpc+proto')];

interface Run {
  d: Dissection;
  cell: (f: string) => string[];
}

function runner(protos = true) {
  const ctx = { current: null as GrpcContext | null, key: 'application/grpc' };
  const engine = engineWith(ctx, protos);
  const session = new Session();
  let n = 0;
  return (bytes: number[], c: GrpcContext, key = 'application/grpc'): Run => {
    ctx.current = c;
    ctx.key = key;
    const data = new Uint8Array(bytes);
    const d = engine.dissect(data, frame(++n, data.length), session, true, true);
    session.lastVisited = n;
    return { d, cell: (f) => findItems(d, f).map((i) => String(i.value)) };
  };
}

const req = (extra: Partial<GrpcContext> = {}): GrpcContext => ({
  tcpStream: 0,
  streamId: 1,
  dir: 0,
  fromClient: true,
  requestHeaders: REQ,
  responseHeaders: [],
  trailers: [],
  endStream: true,
  ...extra,
});
const res = (extra: Partial<GrpcContext> = {}): GrpcContext => ({
  ...req(),
  dir: 1,
  fromClient: false,
  responseHeaders: RES,
  endStream: false,
  ...extra,
});

describe('gRPC framing', () => {
  const side = null as never;
  it('asks for 5 bytes, then tells the whole length', () => {
    expect(grpcFraming.pduLength(new Uint8Array([0, 0, 0]), 0, 3, side)).toBe(NEED_MORE);
    expect(grpcFraming.pduLength(new Uint8Array(msg([8, 1])), 0, 7, side)).toBe(7);
    expect(grpcFraming.pduLength(new Uint8Array([1, 0, 1, 0, 0]), 0, 5, side)).toBe(5 + 65536);
    expect(grpcFraming.pduLength(new Uint8Array([0x80, 0, 0, 0, 0]), 0, 5, side)).toBe(5);
  });
  it('refuses flag bytes no gRPC sender writes', () => {
    expect(grpcFraming.pduLength(new Uint8Array([2, 0, 0, 0, 0]), 0, 5, side)).toBe(NOT_MINE);
    expect(grpcFraming.pduLength(new Uint8Array([0x47, 0x45, 0x54, 0x20, 0x2f]), 0, 5, side)).toBe(NOT_MINE);
  });
  it('cuts any sequence of messages, arriving in any pieces, back into the same messages', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.uint8Array({ maxLength: 40 }), fc.boolean()), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 20 }),
        (msgs, pieces) => {
          const stream = msgs.flatMap(([b, z]) => msg(b, z ? 1 : 0));
          const data = new Uint8Array(stream);
          // Bytes arrive piece by piece; a PDU is cut as soon as pduLength's answer is all there.
          const cut: number[][] = [];
          let start = 0;
          let have = 0;
          let k = 0;
          while (have < data.length) {
            have = Math.min(data.length, have + pieces[k++ % pieces.length]);
            for (;;) {
              const n = grpcFraming.pduLength(data, start, have, side);
              if (n === NEED_MORE || start + n > have) break;
              expect(n).toBeGreaterThan(0);
              cut.push([...data.subarray(start, start + n)]);
              start += n;
            }
          }
          expect(cut).toEqual(msgs.map(([b, z]) => msg(b, z ? 1 : 0)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never answers more than MAX_PDU', () => {
    expect(grpcFraming.pduLength(new Uint8Array([0, 0xff, 0xff, 0xff, 0xff]), 0, 5, side)).toBe(NOT_MINE);
  });
});

describe('gRPC helpers', () => {
  it('splits :path, parses grpc-timeout, decodes grpc-message', () => {
    expect(splitPath('/user.UserService/GetUser')).toEqual({
      service: 'user.UserService',
      method: 'GetUser',
    });
    expect(splitPath('/nope')).toBeNull();
    expect(parseTimeout('150m')).toEqual({ sec: 0, nsec: 150e6 });
    expect(parseTimeout('2H')).toEqual({ sec: 7200, nsec: 0 });
    expect(parseTimeout('123456789S')).toBeNull();
    expect(parseTimeout('5x')).toBeNull();
    expect(decodeStatusMessage('user%20404%20not%20found')).toBe('user 404 not found');
    expect(decodeStatusMessage('100%')).toBe('100%');
    expect(classify(1, 1)).toBe('unary');
    expect(classify(1, 3)).toBe('server streaming');
    expect(classify(3, 1)).toBe('client streaming');
    expect(classify(2, 2)).toBe('bidirectional streaming');
  });
});

describe('gRPC messages', () => {
  it('a request: flag, length, data, protobuf by the method type, message and columns', () => {
    const r = runner()(msg([0x08, 0x01]), req());
    expect(r.cell('grpc.compressed_flag')).toEqual(['0']);
    expect(r.cell('grpc.frame_type')).toEqual(['0']);
    expect(r.cell('grpc.message_length')).toEqual(['2']);
    expect(r.cell('grpc.service')).toEqual(['user.UserService']);
    expect(r.cell('grpc.method')).toEqual(['GetUser']);
    expect(r.cell('grpc.call_type')).toEqual(['unary']);
    expect(r.cell('grpc.timeout')).toHaveLength(1);
    expect(r.cell('protobuf.message.name')).toEqual(['user.GetUserRequest']);
    expect(r.cell('protobuf.field.name')).toEqual(['id']);
    expect(r.cell('protobuf.field.value.int64')).toEqual(['1']);
    const layer = r.d.layers.find((l) => l.proto === 'grpc')!;
    expect(layer.summary).toBe('GRPC Message: /user.UserService/GetUser, Request');
    expect(r.d.layers.find((l) => l.proto === 'protobuf')!.summary).toBe(
      'Protocol Buffers: /user.UserService/GetUser,request',
    );
    expect(r.d.columns.protocol).toBe('GRPC');
    expect(r.d.columns.info).toBe(' (GRPC) (PROTOBUF)');
    expect(r.d.messages?.map((m) => [m.label, m.role, m.substream])).toEqual([
      ['gRPC user.UserService/GetUser', 'client', 'h2:1'],
    ]);
  });

  it('a response: a preview of the decoded message', () => {
    const ada = [0x08, 0x01, 0x12, 0x03, 0x41, 0x64, 0x61];
    const r = runner()(msg(ada), res());
    expect(r.d.messages?.[0].label).toBe('gRPC response User{id: 1, name: "Ada"}');
    expect(r.d.messages?.[0].role).toBe('server');
    expect(r.cell('protobuf.field.value.string')).toEqual(['Ada']);
  });

  it('gzip-compressed: inflated into a new data source and decoded', () => {
    const inner = new Uint8Array([0x08, 0x2a]);
    const z = gzipSync(inner);
    const r = runner()(msg(z, 1), req({ requestHeaders: [...REQ, h('grpc-encoding', 'gzip')] }));
    expect(r.cell('grpc.compressed_flag')).toEqual(['1']);
    expect(r.cell('grpc.message_length')).toEqual([String(z.length)]);
    expect(r.cell('grpc.encoding')).toEqual(['gzip']);
    expect(r.cell('protobuf.field.value.int64')).toEqual(['42']);
    expect(r.d.sources.map((s) => s.name)).toEqual(['Decompressed gRPC message (2 bytes)']);
  });

  it('a compressed flag that cannot be inflated: noted, nothing invented', () => {
    const r = runner()(msg([1, 2, 3, 4], 1), req({ requestHeaders: [...REQ, h('grpc-encoding', 'gzip')] }));
    expect(findItems(r.d, 'grpc.body_decompression_failed')).toHaveLength(1);
    expect(r.d.layers.some((l) => l.proto === 'protobuf')).toBe(false);
    const ex = r.d.layers.flatMap((l) => l.experts).map((e) => e.id);
    expect(ex).toContain('grpc.body_decompression_failed');
    const r2 = runner()(msg([1, 2, 3, 4], 1), req());
    expect(findItems(r2.d, 'grpc.body_decompression_failed')[0].label).toMatch(/grpc-encoding is identity/);
  });

  it('several messages in one payload become sibling layers, each with its protobuf', () => {
    const r = runner()(
      [...msg([0x08, 0x01]), ...msg([0x08, 0x02])],
      res({ requestHeaders: [...REQ.slice(0, 1), h(':path', '/user.UserService/ListUsers')] }),
    );
    expect(r.d.layers.filter((l) => l.proto === 'grpc')).toHaveLength(2);
    expect(r.cell('protobuf.field.value.int64')).toEqual(['1', '2']);
    expect(r.cell('grpc.call_type')).toEqual(['server streaming', 'server streaming']);
  });

  it('a message longer than its payload: what is there, and a note', () => {
    const r = runner()([0, 0, 0, 0, 9, 8, 1], req());
    expect(findItems(r.d, 'grpc.message_data')[0].label).toBe(
      'Message Data: 2 of 9 bytes (the rest is not in this payload)',
    );
    expect(r.d.layers.some((l) => l.proto === 'protobuf')).toBe(false);
    expect(r.d.layers.some((l) => l.malformed)).toBe(false);
  });

  it('a payload shorter than the 5-byte prefix is malformed, not an exception', () => {
    const r = runner()([0, 0], req());
    expect(r.d.layers.find((l) => l.proto === 'grpc')!.malformed).toBe(true);
  });

  it('trailers handed on headers-only: status, message, expert', () => {
    const run = runner();
    const r = run(
      [0x88, 0x40],
      res({
        headersOnly: true,
        endStream: true,
        trailers: [h('grpc-status', '5'), h('grpc-message', 'user%20404%20not%20found')],
      }),
    );
    expect(r.cell('grpc.status')).toEqual(['5']);
    expect(r.cell('grpc.status_message')).toEqual(['user 404 not found']);
    expect(r.d.messages?.[0].label).toBe('gRPC status 5 NOT_FOUND "user 404 not found"');
    expect(r.d.layers.flatMap((l) => l.experts).map((e) => e.message)).toContain(
      'gRPC status 5 NOT_FOUND: user 404 not found',
    );
    expect(r.d.columns.info).toBe('');
    const bad = run([0x88], res({ headersOnly: true, trailers: [h('grpc-status', 'oops')] }));
    expect(bad.cell('grpc.status')).toEqual([]);
    expect(bad.d.layers.flatMap((l) => l.experts).map((e) => e.message)).toEqual([
      'grpc-status "oops" is not a status code',
    ]);
    const ok = run([0x88], res({ headersOnly: true, trailers: [h('grpc-status', '0')] }));
    expect(ok.d.messages?.[0].label).toBe('gRPC status 0 OK');
    const dl = run(
      [0x88],
      res({ headersOnly: true, trailers: [h('grpc-status', '4'), h('grpc-message', 'Deadline%20exceeded')] }),
    );
    expect(dl.d.messages?.[0].label).toBe('gRPC status 4 DEADLINE_EXCEEDED "Deadline exceeded"');
    // The deadline (grpc-timeout) is the request's: shown with the call's messages, not its trailers.
    expect(dl.cell('grpc.timeout')).toHaveLength(0);
  });

  it('without a schema: classified from the messages seen, raw protobuf', () => {
    const run = runner(false);
    const path = [h(':path', '/x.Y/Z'), h('content-type', 'application/grpc')];
    const c = { requestHeaders: path, streamId: 3 };
    run(msg([0x08, 0x01]), req(c));
    run(msg([0x08, 0x02]), req(c));
    const r = run(msg([0x08, 0x03]), res(c));
    expect(r.cell('grpc.call_type')).toEqual(['client streaming']);
    expect(r.cell('protobuf.field.number')).toEqual(['1']);
    expect(r.cell('protobuf.field.value.uint32')).toEqual(['3']);
    expect(r.d.messages?.[0].label).toBe('gRPC response {1: 3}');
  });

  it('gRPC-Web trailers frame (flag 0x80) carries the status', () => {
    const t = [...'grpc-status:0\r\ngrpc-message:fine\r\n'].map((ch) => ch.charCodeAt(0));
    const r = runner()(
      msg(t, 0x80),
      res({ responseHeaders: [h(':status', '200'), h('content-type', 'application/grpc-web+proto')] }),
      'application/grpc-web+proto',
    );
    expect(r.cell('grpc.frame_type')).toEqual(['1']);
    expect(r.cell('grpc.status')).toEqual(['0']);
    expect(r.d.columns.protocol).toBe('GRPC-Web');
  });

  it('gRPC-Web over HTTP/1.1: the path from the request target, the status from the trailers frame', () => {
    const run = runner();
    const http = (request: boolean, headers: [string, string][]) =>
      ({
        proto: 'http',
        request,
        uri: '/user.UserService/GetUser',
        headers,
        stream: 4,
      }) as unknown as GrpcContext;
    const q = run(
      msg([0x08, 0x07]),
      http(true, [['Content-Type', 'application/grpc-web+proto']]),
      'application/grpc-web+proto',
    );
    expect(q.cell('grpc.method')).toEqual(['GetUser']);
    expect(q.cell('protobuf.message.name')).toEqual(['user.GetUserRequest']);
    expect(q.d.messages?.[0].label).toBe('gRPC user.UserService/GetUser');
    const t = [...'grpc-status: 5\r\ngrpc-message: nope\r\n'].map((ch) => ch.charCodeAt(0));
    const body = [...msg([0x08, 0x07, 0x12, 0x01, 0x78]), ...msg(t, 0x80)];
    const r = run(
      body,
      http(false, [['Content-Type', 'application/grpc-web+proto']]),
      'application/grpc-web+proto',
    );
    expect(r.cell('protobuf.message.name')).toEqual(['user.User']);
    expect(r.cell('grpc.status')).toEqual(['5']);
    expect(r.d.messages?.map((m) => m.label)).toEqual([
      'gRPC response User{id: 7, name: "x"}',
      'gRPC status 5 NOT_FOUND "nope"',
    ]);
  });

  it('a JSON message (grpc+json, or any body in braces as Wireshark detects it) goes to the JSON body dissector', () => {
    const run = runner();
    const j = [...'{"id":1}'].map((ch) => ch.charCodeAt(0));
    for (const [i, ct] of ['application/grpc+json', 'application/grpc'].entries()) {
      const headers = [h(':path', '/user.UserService/GetUser'), h('content-type', ct)];
      const r = run(msg(j), req({ requestHeaders: headers, streamId: 21 + 2 * i }), ct);
      const protos = r.d.layers.map((l) => l.proto);
      expect(protos).not.toContain('protobuf');
      expect(protos[protos.length - 1]).toBe('json');
      expect(r.d.messages?.[0].detail).toBe('/user.UserService/GetUser request: {"id":1}');
    }
  });

  it('random payloads never throw and never hang', () => {
    const run = runner();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), fc.boolean(), (b, fromClient, gz) => {
        const extra = gz ? [h('grpc-encoding', 'gzip')] : [];
        const ctx = fromClient
          ? req({ requestHeaders: [...REQ, ...extra] })
          : res({ responseHeaders: [...RES, ...extra] });
        const r = run([...b], ctx);
        expect(r.d.layers.length).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });
});
