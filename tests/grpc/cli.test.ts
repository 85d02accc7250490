// The CLI decodes gRPC with the project's protos/ (user.proto) and the folders in
// WIRESCOPE_PROTOS, in-process through its run() as `wirescope fields` and `messages`.
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../electron/cli/run';

const DIR = join(import.meta.dirname, '../fixtures/grpc');
const FILE = join(DIR, 'grpc.pcapng');

async function cli(args: string[]): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (f: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, cb) {
        f(String(chunk));
        cb();
      },
    });
  const status = await run(args, { out: sink((s) => (out += s)), err: sink((s) => (err += s)) });
  return { status, out, err };
}

const saved = process.env.WIRESCOPE_PROTOS;
afterEach(() => {
  if (saved === undefined) delete process.env.WIRESCOPE_PROTOS;
  else process.env.WIRESCOPE_PROTOS = saved;
});

describe('CLI with .proto files', () => {
  it('fields: user.proto messages by name; chat.proto only with WIRESCOPE_PROTOS', async () => {
    delete process.env.WIRESCOPE_PROTOS;
    const a = await cli([
      'fields',
      FILE,
      '-e',
      'frame.number',
      '-e',
      'protobuf.message.name',
      '-Y',
      'protobuf',
    ]);
    expect(a.status).toBe(0);
    const names = a.out
      .trim()
      .split('\n')
      .map((l) => l.split('\t')[1].split(',')[0]);
    expect(names.slice(0, 2)).toEqual(['user.GetUserRequest', 'user.User']);
    expect(names).toContain('<UNKNOWN> Message Type');
    process.env.WIRESCOPE_PROTOS = DIR;
    const b = await cli(['fields', FILE, '-e', 'protobuf.message.name', '-Y', 'protobuf']);
    expect(b.out).toContain('chat.Chunk');
    expect(b.out).not.toContain('<UNKNOWN>');
  });

  it('messages: gRPC calls and previews by field name', async () => {
    process.env.WIRESCOPE_PROTOS = DIR;
    const r = await cli(['messages', FILE, '--stream', 'tcp:0', '--level', 'application']);
    expect(r.status).toBe(0);
    expect(r.out).toContain('gRPC user.UserService/GetUser');
    expect(r.out).toContain('gRPC response User{id: 1, name: "Ada"');
    expect(r.out).toContain('gRPC chat.Chat/Talk');
  });
});
