// gRPC and protobuf on the real grpc-js captures (tests/fixtures/grpc), message by message.
//
// Until the HTTP/2 dissector hands DATA on, each frame's gRPC bytes are taken from tshark
// (http2.data.data, or the reassembled body of a message spanning DATA frames) and given to
// Wirescope's gRPC dissector with the context HTTP/2 will give (stream, direction, headers).
// Compared with:
// - tshark 4.0's grpc.* and protobuf.* cells, tshark given the same .proto files through its
//   protobuf_search_paths table (a private config folder), so both decode by schema;
// - the values the fixture client really sent and received (expected.json), field by field.
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProtoFolders, PROJECT_PROTOS } from '../../electron/protos/load-protos';
import { Engine, type Dissector } from '../../shared/dissect/engine';
import { defineFields } from '../../shared/dissect/fields';
import { fieldsText } from '../../shared/dissect/format';
import { Session, type FrameMeta } from '../../shared/dissect/packet';
import { findItems } from '../../shared/dissect/query';
import type { Dissection } from '../../shared/dissect/types';
import type { GrpcContext } from '../../shared/dissectors/grpc';
import { allDissectors } from '../../shared/dissectors/index';
import { decodeMessage, type DecodedMessage } from '../../shared/protobuf/decode';
import type { ProtoRegistry } from '../../shared/protobuf/registry';
import { useProtos } from '../../shared/protobuf/use-protos';
import { tsharkFields, tsharkMissing } from '../support/tshark';

const DIR = join(import.meta.dirname, '../fixtures/grpc');
const PROTO_DIRS = [PROJECT_PROTOS, DIR];

/** tshark with the same .proto folders, loaded whole ("TRUE"), in a config folder of its own. */
function tsharkConfig(): string {
  const home = mkdtempSync(join(tmpdir(), 'wirescope-grpc-'));
  mkdirSync(join(home, 'wireshark'));
  writeFileSync(
    join(home, 'wireshark', 'protobuf_search_paths'),
    PROTO_DIRS.map((d) => `"${d}","TRUE"\n`).join(''),
  );
  return home;
}

const LINK = 147;
const linkFields = defineFields('grpcfixture', 'gRPC fixture link', null, {});

interface Harness {
  engine: Engine;
  registry: ProtoRegistry;
  ctx: { current: GrpcContext | null; key: string };
}

function harness(withProtos = true): Harness {
  const ctx = { current: null as GrpcContext | null, key: 'application/grpc' };
  const link: Dissector = {
    fields: linkFields,
    in: { link: LINK },
    dissect: () => ({ next: { table: 'media_type', key: ctx.key, offset: 0, context: ctx.current } }),
  };
  const engine = new Engine([...allDissectors, link]);
  const registry = useProtos(engine, withProtos ? loadProtoFolders(PROTO_DIRS) : []);
  return { engine, registry, ctx };
}

const FIELDS = [
  'frame.number',
  'tcp.stream',
  'tcp.srcport',
  'http2.type',
  'http2.streamid',
  'http2.data.data',
  'http2.body.reassembled.data',
  'http2.headers.path',
  'http2.header.name',
  'http2.header.value',
];
const COMPARED = [
  'grpc.compressed_flag',
  'grpc.message_length',
  'protobuf.message.name',
  'protobuf.field.name',
  'protobuf.field.type',
  'protobuf.field.number',
  'protobuf.field.wiretype',
  'protobuf.field.value.length',
  'protobuf.field.value.int64',
  'protobuf.field.value.uint64',
  'protobuf.field.value.int32',
  'protobuf.field.value.uint32',
  'protobuf.field.value.bool',
  'protobuf.field.value.string',
  'protobuf.field.value.double',
  'protobuf.field.value.float',
  'protobuf.field.value',
];

function hexBytes(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < s.length; i += 2) out.push(parseInt(s.slice(i, i + 2), 16));
  return out;
}

interface GrpcFrame {
  frame: number;
  /** Each whole gRPC message (prefix included) carried in the frame, with its call's context. */
  messages: { bytes: Uint8Array; ctx: GrpcContext }[];
}

/**
 * The gRPC messages of each frame as HTTP/2 will hand them on: the DATA bytes of the frame (a
 * reassembled body where tshark reassembled one), cut at the 5-byte prefixes, with the stream's
 * headers seen so far.
 */
function grpcFrames(file: string, port: number): GrpcFrame[] {
  const rows = tsharkFields(file, FIELDS, ['-d', `tcp.port==${port},http2`]);
  const req = new Map<string, { name: string; value: string }[]>();
  const res = new Map<string, { name: string; value: string }[]>();
  const out: GrpcFrame[] = [];
  for (const r of rows) {
    const [frame, stream, srcport, types, sids, data, reassembled, , names, values] = r;
    const typeList = types.split(',');
    const sidList = sids.split(',');
    const fromClient = Number(srcport) !== port;
    // Headers of the frame in order (one HEADERS block per frame in these captures).
    if (typeList.includes('1')) {
      const sid = sidList[typeList.indexOf('1')];
      const key = `${stream}:${sid}`;
      const nl = names.split(',');
      // Values may hold commas (dates); the first value of each name is all the calls need.
      const vl = values.split(',');
      const hs = nl.map((name, i) => ({ name, value: vl[i] ?? '' }));
      (fromClient ? req : res).set(key, [...((fromClient ? req : res).get(key) ?? []), ...hs]);
    }
    const dataSids = sidList.filter((_, i) => typeList[i] === '0');
    if (!dataSids.length) continue;
    const sid = dataSids[dataSids.length - 1];
    const key = `${stream}:${sid}`;
    const bytes = new Uint8Array(hexBytes(reassembled || data.split(',').join('')));
    const ctx: GrpcContext = {
      tcpStream: Number(stream),
      streamId: Number(sid),
      dir: fromClient ? 0 : 1,
      fromClient,
      requestHeaders: req.get(key) ?? [],
      responseHeaders: res.get(key) ?? [],
      trailers: [],
      endStream: false,
    };
    const messages: GrpcFrame['messages'] = [];
    for (let at = 0; at + 5 <= bytes.length;) {
      const len =
        ((bytes[at + 1] << 24) | (bytes[at + 2] << 16) | (bytes[at + 3] << 8) | bytes[at + 4]) >>> 0;
      if (at + 5 + len > bytes.length) break;
      messages.push({ bytes: bytes.subarray(at, at + 5 + len), ctx });
      at += 5 + len;
    }
    if (messages.length) out.push({ frame: Number(frame), messages });
  }
  return out;
}

function dissectMessages(h: Harness, frames: GrpcFrame[]): Map<number, Dissection[]> {
  const session = new Session();
  const out = new Map<number, Dissection[]>();
  let n = 0;
  for (const f of frames) {
    const ds: Dissection[] = [];
    for (const m of f.messages) {
      h.ctx.current = m.ctx;
      const meta: FrameMeta = {
        number: ++n,
        tsSec: 0,
        tsNsec: 0,
        caplen: m.bytes.length,
        origlen: m.bytes.length,
        linktype: LINK,
        ifid: 0,
      };
      ds.push(h.engine.dissect(m.bytes, meta, session, true, true));
      session.lastVisited = n;
    }
    out.set(f.frame, ds);
  }
  return out;
}

function ourCell(ds: Dissection[], field: string): string {
  const parts: string[] = [];
  for (const d of ds)
    for (const it of findItems(d, field)) {
      const def = allDissectors.flatMap((x) => Object.values(x.fields)).find((fd) => fd.abbrev === field)!;
      parts.push(fieldsText(def, it.value));
    }
  return parts.join(',');
}

const FILES: [string, number][] = [
  ['grpc.pcapng', 50051],
  ['grpc-gzip.pcapng', 50052],
];

describe.skipIf(!!tsharkMissing)('gRPC messages vs tshark 4.0 (same .proto files)', () => {
  for (const [file, port] of FILES) {
    it(`${file}: grpc.* and protobuf.* cells, frame by frame`, () => {
      const path = join(DIR, file);
      const frames = grpcFrames(path, port);
      expect(frames.length).toBeGreaterThan(file.includes('gzip') ? 3 : 15);
      const ours = dissectMessages(harness(), frames);
      const home = tsharkConfig();
      const prev = process.env.XDG_CONFIG_HOME;
      process.env.XDG_CONFIG_HOME = home;
      let theirs: string[][];
      try {
        theirs = tsharkFields(
          path,
          ['frame.number', ...COMPARED],
          ['-d', `tcp.port==${port},http2`, '-Y', 'grpc'],
        );
      } finally {
        if (prev === undefined) delete process.env.XDG_CONFIG_HOME;
        else process.env.XDG_CONFIG_HOME = prev;
      }
      const diffs: string[] = [];
      let compared = 0;
      for (const row of theirs) {
        const frame = Number(row[0]);
        const ds = ours.get(frame);
        if (!ds) {
          diffs.push(`frame ${frame}: tshark has gRPC, the test found no message`);
          continue;
        }
        COMPARED.forEach((f, i) => {
          const mine = ourCell(ds, f);
          compared++;
          if (mine !== row[i + 1]) {
            const a = mine.split(',');
            const b = row[i + 1].split(',');
            let k = 0;
            while (k < a.length && a[k] === b[k]) k++;
            diffs.push(
              `frame ${frame} ${f} from item ${k}: ours "${a
                .slice(k, k + 3)
                .join(',')
                .slice(0, 160)}" tshark "${b
                .slice(k, k + 3)
                .join(',')
                .slice(0, 160)}"`,
            );
          }
        });
      }
      expect(diffs).toEqual([]);
      expect(theirs.length).toBe(frames.length);
      expect(compared).toBe(theirs.length * COMPARED.length);
    });
  }
});

describe.skipIf(!!tsharkMissing)('protobuf without a schema vs tshark 4.0 without .proto files', () => {
  for (const [file, port] of FILES) {
    it(`${file}: raw field numbers, wire types and values`, () => {
      const path = join(DIR, file);
      const frames = grpcFrames(path, port);
      const ours = dissectMessages(harness(false), frames);
      const prev = process.env.XDG_CONFIG_HOME;
      // An empty config folder: no protobuf_search_paths a user may have.
      process.env.XDG_CONFIG_HOME = mkdtempSync(join(tmpdir(), 'wirescope-grpc-raw-'));
      const raw = COMPARED.filter((f) => f !== 'protobuf.field.name' && f !== 'protobuf.field.type');
      let theirs: string[][];
      try {
        theirs = tsharkFields(
          path,
          ['frame.number', ...raw],
          ['-d', `tcp.port==${port},http2`, '-Y', 'grpc'],
        );
      } finally {
        if (prev === undefined) delete process.env.XDG_CONFIG_HOME;
        else process.env.XDG_CONFIG_HOME = prev;
      }
      const diffs: string[] = [];
      for (const row of theirs) {
        const ds = ours.get(Number(row[0]))!;
        raw.forEach((f, i) => {
          const mine = ourCell(ds, f);
          if (mine !== row[i + 1])
            diffs.push(
              `frame ${row[0]} ${f}: ours "${mine.slice(0, 160)}" tshark "${row[i + 1].slice(0, 160)}"`,
            );
        });
      }
      expect(theirs.length).toBe(frames.length);
      expect(diffs).toEqual([]);
    });
  }
});

/** A decoded message in proto-loader's JSON form (longs as strings, enums by name, oneofs named). */
function asLoaderJson(m: DecodedMessage, registry: ProtoRegistry): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const f of m.fields) {
    const def = f.def;
    if (!def) {
      o[`#${f.number}`] = f.value;
      continue;
    }
    let v: unknown;
    const long = (x: unknown) => (/64/.test(def.type) ? String(x) : x);
    if (def.map && f.message) {
      const e = asLoaderJson(f.message, registry) as { key: string; value: unknown };
      o[def.name] = { ...((o[def.name] as object) ?? {}), [e.key]: e.value };
      continue;
    }
    if (f.message) v = asLoaderJson(f.message, registry);
    else if (f.packed) v = f.packed.map((p) => p.enumName ?? long(p.value));
    else if (f.enumName) v = f.enumName;
    else if (f.value instanceof Uint8Array)
      v = { bytes: f.value.length, sum: f.value.reduce((a, b) => a + b, 0) };
    else v = long(f.value);
    if (def.repeated)
      o[def.name] = [...((o[def.name] as unknown[]) ?? []), ...(f.packed ? (v as unknown[]) : [v])];
    else o[def.name] = v;
    if (def.oneof) o[def.oneof] = def.name;
  }
  return o;
}

interface Call {
  method: string;
  raw?: boolean;
  request?: Record<string, unknown>;
  requests?: Record<string, unknown>[];
  response?: Record<string, unknown> | null;
  responses?: Record<string, unknown>[];
  status: number;
}

describe.skipIf(!!tsharkMissing)('gRPC messages vs what the fixture client sent and received', () => {
  for (const [file, port, json] of [
    ['grpc.pcapng', 50051, 'expected.json'],
    ['grpc-gzip.pcapng', 50052, 'expected-gzip.json'],
  ] as const) {
    it(`${file}: every request and response decodes to the client's values`, () => {
      const calls = JSON.parse(readFileSync(join(DIR, json), 'utf8')) as Call[];
      const h = harness();
      expect(h.registry.errors).toEqual([]);
      const frames = grpcFrames(join(DIR, file), port);
      // Per call (tcp stream, stream id), in order: its requests and responses as decoded.
      const byCall = new Map<string, { path: string; req: unknown[]; res: unknown[] }>();
      const ds = dissectMessages(h, frames);
      for (const f of frames) {
        f.messages.forEach((m, i) => {
          const key = `${m.ctx.tcpStream}:${m.ctx.streamId}`;
          const path = m.ctx.requestHeaders!.find((x) => x.name === ':path')!.value;
          const c = byCall.get(key) ?? { path, req: [], res: [] };
          byCall.set(key, c);
          const d = ds.get(f.frame)![i];
          const src = d.sources.length ? d.sources[d.sources.length - 1].bytes : m.bytes.subarray(5);
          const method = h.registry.method(path)!;
          const type = m.ctx.fromClient ? method.requestType : method.responseType;
          const dm = decodeMessage(src, 0, src.length, h.registry.message(type)!, h.registry);
          (m.ctx.fromClient ? c.req : c.res).push(asLoaderJson(dm, h.registry));
        });
      }
      // Calls in the order the client made them: stream ids ascending on connection 0, then 1.
      const seen = [...byCall.entries()].sort(([a], [b]) => {
        const [sa, ia] = a.split(':').map(Number);
        const [sb, ib] = b.split(':').map(Number);
        return sa - sb || ia - ib;
      });
      const ordered = [...calls.filter((c) => !c.raw), ...calls.filter((c) => c.raw)];
      expect(seen.map(([, c]) => c.path.slice(1))).toEqual(ordered.map((c) => c.method));
      seen.forEach(([, got], i) => {
        const want = ordered[i];
        const reqs = want.requests ?? [want.request];
        const ress = want.responses ?? (want.response ? [want.response] : []);
        if (want.method === 'chat.Chat/Upload')
          expect(
            got.req.map((r) => ({
              seq: (r as { seq: number }).seq,
              len: (r as { data: { bytes: number } }).data.bytes,
            })),
          ).toEqual(reqs);
        else expect(got.req).toEqual(reqs);
        expect(got.res, `${want.method} responses`).toEqual(ress);
      });
    });
  }
});

describe.skipIf(!!tsharkMissing)('gRPC application messages on the fixture', () => {
  it('labels: requests by method, responses by preview', () => {
    const h = harness();
    const frames = grpcFrames(join(DIR, 'grpc.pcapng'), 50051);
    const ds = dissectMessages(h, frames);
    const labels = [...ds.values()]
      .flat()
      .flatMap((d) => d.messages ?? [])
      .map((m) => m.label);
    expect(labels.slice(0, 4)).toEqual([
      'gRPC user.UserService/GetUser',
      'gRPC response User{id: 1, name: "Ada", email: "ada@exampl…',
      'gRPC user.UserService/CreateUser',
      'gRPC response User{id: 42, name: "Bob", email: "bob@examp…',
    ]);
    expect(labels).toContain('gRPC chat.Chat/Talk');
    expect(labels.every((l) => l.length <= 60)).toBe(true);
  });
});
