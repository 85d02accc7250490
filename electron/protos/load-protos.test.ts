// Loading .proto folders from disk: the project's protos/, nested folders named as imports name
// them, unreadable folders reported, the first folder winning a name clash, and the engine hook.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../shared/dissectors';
import { buildRegistry } from '../../shared/protobuf/registry';
import {
  envProtoFolders,
  loadProtoFolders,
  loadProtoFoldersReporting,
  PROJECT_PROTOS,
  useProjectProtos,
} from './load-protos';

describe('loadProtoFolders', () => {
  it("finds the project's protos/user.proto with user.UserService", () => {
    const files = loadProtoFolders([PROJECT_PROTOS]);
    expect(files.map((f) => f.name)).toContain('user.proto');
    const r = buildRegistry(files);
    expect(r.errors).toEqual([]);
    expect(r.method('/user.UserService/GetUser')).toMatchObject({
      requestType: 'user.GetUserRequest',
      responseType: 'user.User',
    });
    expect(r.method('/user.UserService/CreateUser')).toMatchObject({
      requestType: 'user.CreateUserRequest',
      responseStream: false,
    });
    expect(r.method('/user.UserService/ListUsers')).toMatchObject({
      requestType: 'user.ListUsersRequest',
      responseStream: true,
    });
    expect([...r.messages.keys()]).toEqual(
      expect.arrayContaining([
        'user.User',
        'user.GetUserRequest',
        'user.CreateUserRequest',
        'user.ListUsersRequest',
      ]),
    );
  });

  it('names nested files as imports do, so imports resolve; skips hidden folders and non-proto files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wirescope-protos-'));
    mkdirSync(join(dir, 'acme', 'types'), { recursive: true });
    mkdirSync(join(dir, '.git'));
    writeFileSync(
      join(dir, 'acme', 'types', 'money.proto'),
      'syntax = "proto3"; package acme.types; message Money { int64 units = 1; }',
    );
    writeFileSync(
      join(dir, 'shop.proto'),
      'syntax = "proto3"; package shop; import "acme/types/money.proto"; message Order { acme.types.Money total = 1; }',
    );
    writeFileSync(join(dir, '.git', 'x.proto'), 'not a proto');
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    const files = loadProtoFolders([dir]);
    expect(files.map((f) => f.name)).toEqual(['acme/types/money.proto', 'shop.proto']);
    const r = buildRegistry(files);
    expect(r.errors).toEqual([]);
    expect(r.message('shop.Order')?.fields.get(1)?.typeName).toBe('acme.types.Money');
  });

  it('reports folders that are missing or not folders, keeps going', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wirescope-protos-'));
    writeFileSync(join(dir, 'a.proto'), 'syntax = "proto3"; message A {}');
    const r = loadProtoFoldersReporting(['/nonexistent/protos', join(dir, 'a.proto'), dir]);
    expect(r.files.map((f) => f.name)).toEqual(['a.proto']);
    expect(r.problems).toHaveLength(2);
    expect(r.problems[0]).toMatch(/^\/nonexistent\/protos: ENOENT/);
    expect(r.problems[1]).toMatch(/not a folder$/);
  });

  it('the first folder wins a name both have', () => {
    const a = mkdtempSync(join(tmpdir(), 'wirescope-protos-'));
    const b = mkdtempSync(join(tmpdir(), 'wirescope-protos-'));
    writeFileSync(join(a, 'x.proto'), 'syntax = "proto3"; message FromA {}');
    writeFileSync(join(b, 'x.proto'), 'syntax = "proto3"; message FromB {}');
    expect(loadProtoFolders([a, b]).map((f) => f.text)).toEqual(['syntax = "proto3"; message FromA {}']);
  });

  it('WIRESCOPE_PROTOS is a path list; the hook gives an engine the registry', () => {
    expect(envProtoFolders({ WIRESCOPE_PROTOS: '/a:/b::' })).toEqual(['/a', '/b']);
    expect(envProtoFolders({})).toEqual([]);
    const engine = createEngine();
    const before = engine.dissector('grpc');
    const r = useProjectProtos(engine, [join(import.meta.dirname, '../../tests/fixtures/grpc')]);
    expect(engine.dissector('grpc')).not.toBe(before);
    expect(r.method('/chat.Chat/Talk')).toMatchObject({ requestStream: true, responseStream: true });
    expect(r.method('/user.UserService/GetUser')).toBeDefined();
    expect(r.problems).toEqual([]);
  });
});
