// gRPC end to end on the grpc-js captures: TCP → HTTP/2 (found by its preface, no decode-as) →
// gRPC → protobuf, with the project's protos/ and the fixture's chat.proto, as the CLI and the
// app dissect them. Held to tshark 4.0 (which needs `-d tcp.port==N,http2` and the same .proto
// files in its protobuf_search_paths) cell by cell, and to what the calls were.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_PROTOS, useProjectProtos } from '../../electron/protos/load-protos';
import { createReader } from '../../shared/capture/reader';
import { SEVERITY_RANK } from '../../shared/dissect/engine';
import { Session } from '../../shared/dissect/packet';
import { createEngine } from '../../shared/dissectors';
import { metaOf } from '../support/dissect-file';
import { fieldColumn } from '../../shared/dissect/query';
import type { Dissection, Item } from '../../shared/dissect/types';
import { tsharkFields, tsharkMissing, tsharkPath } from '../support/tshark';
import { dissectWithProtos } from './dissect-with-protos';

const DIR = join(import.meta.dirname, '../fixtures/grpc');

function withProtoConfig<T>(fn: () => T): T {
  const home = mkdtempSync(join(tmpdir(), 'wirescope-grpc-'));
  mkdirSync(join(home, 'wireshark'));
  writeFileSync(
    join(home, 'wireshark', 'protobuf_search_paths'),
    `"${PROJECT_PROTOS}","TRUE"\n"${DIR}","TRUE"\n`,
  );
  const prev = process.env.XDG_CONFIG_HOME;
  process.env.XDG_CONFIG_HOME = home;
  try {
    return fn();
  } finally {
    if (prev === undefined) delete process.env.XDG_CONFIG_HOME;
    else process.env.XDG_CONFIG_HOME = prev;
  }
}

const FIELDS = [
  '_ws.col.Protocol',
  'grpc.frame_type',
  'grpc.compressed_flag',
  'grpc.message_length',
  'grpc.message_data',
  'protobuf.message.name',
  'protobuf.field.name',
  'protobuf.field.type',
  'protobuf.field.number',
  'protobuf.field.wiretype',
  'protobuf.field.value.length',
  'protobuf.field.value',
  'protobuf.field.value.int64',
  'protobuf.field.value.uint64',
  'protobuf.field.value.int32',
  'protobuf.field.value.uint32',
  'protobuf.field.value.bool',
  'protobuf.field.value.string',
  'protobuf.field.value.double',
  'protobuf.field.value.float',
];

const FILES: [string, number][] = [
  ['grpc.pcapng', 50051],
  ['grpc-gzip.pcapng', 50052],
];

const cache = new Map<string, Dissection[]>();
function ours(file: string): Dissection[] {
  let d = cache.get(file);
  if (!d) cache.set(file, (d = dissectWithProtos(join(DIR, file), [DIR])));
  return d;
}

describe.skipIf(!!tsharkMissing)('gRPC captures vs tshark 4.0', () => {
  for (const [file, port] of FILES) {
    it(`${file}: every frame's grpc.* and protobuf.* cells`, () => {
      const ds = ours(file);
      // grpc.message_data: tshark shows a compressed message's data decompressed.
      const fields = file.includes('gzip') ? FIELDS.filter((f) => f !== 'grpc.message_data') : FIELDS;
      const theirs = withProtoConfig(() =>
        tsharkFields(join(DIR, file), fields, ['-d', `tcp.port==${port},http2`]),
      );
      expect(theirs).toHaveLength(ds.length);
      const diffs: string[] = [];
      let grpcFrames = 0;
      theirs.forEach((row, i) => {
        if (row[fields.indexOf('grpc.message_length')]) grpcFrames++;
        fields.forEach((f, j) => {
          const mine = f === '_ws.col.Protocol' ? ds[i].columns.protocol : fieldColumn(ds[i], f);
          // Protocol column: only frames where either side says gRPC (TCP/HTTP2 columns are theirs).
          if (f === '_ws.col.Protocol' && mine !== 'GRPC' && row[j] !== 'GRPC') return;
          if (mine !== row[j])
            diffs.push(`frame ${i + 1} ${f}: ours "${mine.slice(0, 100)}" tshark "${row[j].slice(0, 100)}"`);
        });
      });
      expect(diffs).toEqual([]);
      expect(grpcFrames).toBeGreaterThan(file.includes('gzip') ? 3 : 19);
    });
  }
});

describe('gRPC captures: calls and messages', () => {
  it('grpc.pcapng: the call of each stream, its type and its messages', () => {
    const ds = ours('grpc.pcapng');
    const calls = new Map<string, { method: string; types: Set<string>; labels: string[] }>();
    for (const d of ds) {
      const svc = fieldColumn(d, 'grpc.service').split(',');
      const meth = fieldColumn(d, 'grpc.method').split(',');
      const type = fieldColumn(d, 'grpc.call_type').split(',');
      for (const m of d.messages ?? []) {
        if (m.proto !== 'grpc') continue;
        const key = `${d.frame < 50 || d.frame > 62 ? 0 : 1}:${m.substream}`;
        const c = calls.get(key) ?? { method: `${svc[0]}/${meth[0]}`, types: new Set<string>(), labels: [] };
        type.forEach((t) => t && c.types.add(t));
        c.labels.push(`${m.role} ${m.label}`);
        calls.set(key, c);
      }
    }
    const summary = [...calls.entries()].map(([k, c]) => [
      k,
      c.method,
      [...c.types].join('|'),
      c.labels.length,
    ]);
    expect(summary).toEqual([
      // Each call's count includes its status message (from the trailers).
      ['0:h2:1', 'user.UserService/GetUser', 'unary', 3],
      ['0:h2:3', 'user.UserService/CreateUser', 'unary', 3],
      ['0:h2:5', 'user.UserService/ListUsers', 'server streaming', 5],
      ['0:h2:7', 'chat.Chat/Upload', 'client streaming', 5],
      ['0:h2:9', 'chat.Chat/Talk', 'bidirectional streaming', 5],
      ['0:h2:11', 'user.UserService/GetUser', 'unary', 2],
      ['0:h2:13', 'user.UserService/GetUser', 'unary', 1],
      ['1:h2:1', 'user.UserService/GetUser', 'unary', 2],
      ['0:h2:15', 'user.UserService/GetUser', 'unary', 3],
    ]);
    expect(calls.get('0:h2:5')!.labels).toEqual([
      'client gRPC user.UserService/ListUsers',
      'server gRPC response User{id: 1, name: "Ada", email: "ada@exampl…',
      'server gRPC response User{id: 2, name: "Grace", email: "grace@ex…',
      'server gRPC response User{id: 3, name: "Linus", email: "linus@ex…',
      'server gRPC status 0 OK',
    ]);
    // Numbered within the call as on the first pass, though these are later visits.
    const details = ds.flatMap((d) =>
      (d.messages ?? []).filter((m) => m.proto === 'grpc' && m.substream === 'h2:5'),
    );
    expect(details.map((m) => m.detail!.split(':')[0])).toEqual([
      '/user.UserService/ListUsers request',
      '/user.UserService/ListUsers response',
      '/user.UserService/ListUsers response #2',
      '/user.UserService/ListUsers response #3',
      '/user.UserService/ListUsers',
    ]);
    expect(calls.get('0:h2:15')!.labels[1]).toBe(
      'server gRPC response User{id: 2, name: "Big", avatar: <40000 byt…',
    );
  });

  it('grpc.pcapng: the 40 kB response is one message, dissected once, on the frame that completes it', () => {
    const ds = ours('grpc.pcapng');
    const big = ds.filter((d) => fieldColumn(d, 'grpc.message_length') === '40011');
    expect(big).toHaveLength(1);
    const src = big[0].sources.map((s) => s.name);
    expect(src.some((n) => /Reassembled HTTP\/2 body/.test(n))).toBe(true);
    expect(fieldColumn(big[0], 'protobuf.field.name')).toBe('id,name,avatar');
  });

  it('grpc.pcapng: the grpc-timeout of the deadline calls', () => {
    const ds = ours('grpc.pcapng');
    const timeouts = ds.map((d) => fieldColumn(d, 'grpc.timeout')).filter((t) => t);
    expect(timeouts).toEqual(['0.149000000', '0.100000000']);
  });

  it('grpc-gzip.pcapng: compressed requests inflated and decoded', () => {
    const ds = ours('grpc-gzip.pcapng');
    const compressed = ds.filter((d) => fieldColumn(d, 'grpc.compressed_flag') === '1');
    expect(compressed).toHaveLength(2);
    for (const d of compressed) {
      expect(fieldColumn(d, 'grpc.encoding')).toBe('gzip');
      expect(d.sources.some((s) => s.name.startsWith('Decompressed gRPC message'))).toBe(true);
    }
    expect(fieldColumn(compressed[1], 'protobuf.field.value.string')).toBe(
      `Zip,${'zip'.repeat(20)}@example.com,a,b`,
    );
  });

  it('grpc.pcapng: status from the trailers (NOT_FOUND, DEADLINE_EXCEEDED, OK)', () => {
    const ds = ours('grpc.pcapng');
    const labels = ds.flatMap((d) =>
      (d.messages ?? []).filter((m) => m.proto === 'grpc').map((m) => m.label),
    );
    // HTTP/2 hands trailers HEADERS on as a headers-only payload (Http2Context.headersOnly).
    expect(labels.filter((l) => l.startsWith('gRPC status'))).toEqual([
      'gRPC status 0 OK',
      'gRPC status 0 OK',
      'gRPC status 0 OK',
      'gRPC status 0 OK',
      'gRPC status 0 OK',
      'gRPC status 5 NOT_FOUND "user 404 not found"',
      'gRPC status 4 DEADLINE_EXCEEDED "Deadline exceeded"',
      'gRPC status 0 OK',
    ]);
  });
});

/** tshark -V's GRPC and Protocol Buffers blocks, per frame (top-level line and indented lines under it). */
function tsharkBlocks(file: string, port: number): Map<number, string[]> {
  const out = withProtoConfig(() =>
    execFileSync(
      tsharkPath,
      ['-n', '-r', file, '-d', `tcp.port==${port},http2`, '-Y', 'grpc', '-O', 'grpc,protobuf', '-V'],
      {
        encoding: 'utf8',
        env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' },
        maxBuffer: 64 * 1024 * 1024,
      },
    ),
  );
  const blocks = new Map<number, string[]>();
  let frame = 0;
  let keep = false;
  for (const line of out.split('\n')) {
    const m = /^Frame (\d+):/.exec(line);
    if (m) frame = Number(m[1]);
    if (!line.startsWith(' ')) keep = /^(GRPC Message|Protocol Buffers)/.test(line);
    if (keep && line) blocks.set(frame, [...(blocks.get(frame) ?? []), line]);
  }
  return blocks;
}

/** Wirescope-only generated lines (see known-differences.ts), left out of the comparison. */
const OURS_ONLY = /^\s*\[(Service|Method|Call Type|Timeout|Message Encoding): /;

function ourBlocks(d: Dissection): string[] {
  const lines = (items: Item[], depth: number): string[] =>
    items.flatMap((i) =>
      i.hidden || OURS_ONLY.test(i.label)
        ? []
        : [`${'    '.repeat(depth)}${i.label}`, ...lines(i.children ?? [], depth + 1)],
    );
  return d.layers
    .filter((l) => l.proto === 'grpc' || l.proto === 'protobuf')
    .flatMap((l) => [l.summary, ...lines(l.items, 1)]);
}

describe.skipIf(!!tsharkMissing)('gRPC captures: tree lines vs tshark 4.0 -V', () => {
  for (const [file, port] of FILES) {
    it(`${file}: the GRPC and Protocol Buffers trees, line by line`, () => {
      const ds = ours(file);
      const theirs = tsharkBlocks(join(DIR, file), port);
      expect(theirs.size).toBeGreaterThan(3);
      for (const [frame, lines] of theirs) expect(ourBlocks(ds[frame - 1]), `frame ${frame}`).toEqual(lines);
    });
  }
});

describe('gRPC captures: the index pass', () => {
  it('index() and the first full dissection agree on every frame (protocols, severity, malformed)', () => {
    for (const [file] of FILES) {
      const bytes = new Uint8Array(readFileSync(join(DIR, file)));
      const run = (fast: boolean): string[] => {
        const engine = createEngine();
        useProjectProtos(engine, [DIR]);
        const session = new Session();
        const out: string[] = [];
        const reader = createReader({
          packet(p) {
            const meta = metaOf(p);
            if (fast) {
              const r = engine.index(p.data, meta, session);
              out.push(`${meta.number} ${r.protos.slice(0, r.depth).join(':')} ${r.severity} ${r.malformed}`);
            } else {
              const d = engine.dissect(p.data, meta, session, false, false);
              let sev = 0;
              for (const l of d.layers)
                for (const e of l.experts) sev = Math.max(sev, SEVERITY_RANK[e.severity]);
              out.push(
                `${meta.number} ${d.layers.map((l) => l.proto).join(':')} ${sev} ${d.layers.some((l) => l.malformed)}`,
              );
            }
            session.lastVisited = meta.number;
          },
          info() {},
          iface() {},
          warning() {},
        });
        reader.push(bytes);
        reader.end();
        return out;
      };
      const fast = run(true);
      expect(fast.some((l) => l.includes(':grpc:protobuf'))).toBe(true);
      expect(fast, file).toEqual(run(false));
    }
  });
});
