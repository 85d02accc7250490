import { describe, expect, it } from 'vitest';
import { ApiCallError, type ApiResult } from '../../shared/contract/api';
import type { DesktopBridge } from '../../shared/contract/bridge';
import { bridgeClient, connectApi, socketUrl } from './client';
import { uploadFile } from './upload';

function fakeBridge(
  answers: Record<string, (input: unknown) => ApiResult<unknown>>,
  dropped: ApiResult<unknown>,
) {
  const calls: [string, unknown][] = [];
  const listeners = new Set<(p: unknown) => void>();
  const api = Object.fromEntries(
    Object.entries(answers).map(([verb, fn]) => [
      verb,
      (input?: unknown) => {
        calls.push([verb, input]);
        return Promise.resolve(fn(input));
      },
    ]),
  );
  const bridge = {
    shell: 'electron',
    versions: { electron: '45', chrome: '142' },
    api,
    on: {
      'capture.progress': (fn: (p: unknown) => void) => {
        listeners.add(fn);
        return () => void listeners.delete(fn);
      },
    },
    openDroppedFile: () => Promise.resolve(dropped),
  } as unknown as DesktopBridge;
  return { bridge, calls, emit: (p: unknown) => listeners.forEach((fn) => fn(p)) };
}

const blobFile = (name: string, bytes: Uint8Array) => {
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>]);
  return { name, size: blob.size, slice: (a: number, b: number) => blob.slice(a, b) };
};

describe('renderer api client over the desktop bridge', () => {
  it('resolves values, rejects typed errors, and unsubscribes', async () => {
    const { bridge, emit } = fakeBridge(
      {
        'app.hello': () => ({ ok: true, value: { shell: 'electron' } }),
        'packets.rows': () => ({
          ok: false,
          error: { code: 'bad-input', message: 'packets.rows: input.from must be…' },
        }),
      },
      { ok: false, error: { code: 'unsupported', message: '' } },
    );
    const api = bridgeClient(bridge);
    expect(api.shell).toBe('electron');
    expect(await api.call('app.hello')).toEqual({ shell: 'electron' });
    const err = await api.call('packets.rows', { capture: 'c1', from: 0, count: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiCallError);
    expect(err).toMatchObject({
      code: 'bad-input',
      verb: 'packets.rows',
      message: 'packets.rows: input.from must be…',
    });
    await expect(api.call('recent.list')).rejects.toMatchObject({ code: 'unknown-verb' });
    const heard: unknown[] = [];
    const off = api.on('capture.progress', (p) => heard.push(p));
    emit(1);
    off();
    emit(2);
    expect(heard).toEqual([1]);
    expect(api.on('capture.closed', () => undefined)).toBeTypeOf('function');
  });

  it('opens a dropped file by path, and uploads a File that has none', async () => {
    const info = { id: 'c1', name: 'a.pcap', size: 3, origin: 'drop' };
    const byPath = fakeBridge({}, { ok: true, value: info });
    expect(await bridgeClient(byPath.bridge).openFile({} as File)).toEqual(info);

    let received = 0;
    const { bridge, calls } = fakeBridge(
      {
        'upload.begin': () => ({ ok: true, value: { upload: 'u1', chunkSize: 4 } }),
        'upload.chunk': (i) => {
          received += (i as { bytes: Uint8Array }).bytes.length;
          return { ok: true, value: { received } };
        },
        'upload.finish': () => ({ ok: true, value: { ...info, origin: 'upload' } }),
        'upload.abort': () => ({ ok: true, value: undefined }),
      },
      { ok: false, error: { code: 'unsupported', message: 'no path' } },
    );
    const opened = await bridgeClient(bridge).openFile(
      blobFile('made.pcap', new Uint8Array(10)) as unknown as File,
    );
    expect(opened.origin).toBe('upload');
    expect(
      calls.map(([v, i]) =>
        v === 'upload.chunk'
          ? `${v}@${(i as { offset: number }).offset}+${(i as { bytes: Uint8Array }).bytes.length}`
          : v,
      ),
    ).toEqual(['upload.begin', 'upload.chunk@0+4', 'upload.chunk@4+4', 'upload.chunk@8+2', 'upload.finish']);
  });

  it('aborts the upload on the backend when a chunk fails or the caller cancels', async () => {
    const { bridge, calls } = fakeBridge(
      {
        'upload.begin': () => ({ ok: true, value: { upload: 'u1', chunkSize: 4 } }),
        'upload.chunk': () => ({ ok: false, error: { code: 'io', message: 'disk full' } }),
        'upload.abort': () => ({ ok: true, value: undefined }),
      },
      { ok: false, error: { code: 'unsupported', message: '' } },
    );
    const api = bridgeClient(bridge);
    await expect(uploadFile(api, blobFile('x.pcap', new Uint8Array(10)))).rejects.toMatchObject({
      message: 'disk full',
    });
    expect(calls.map((c) => c[0])).toEqual(['upload.begin', 'upload.chunk', 'upload.abort']);
    const stop = new AbortController();
    stop.abort();
    calls.length = 0;
    await expect(
      uploadFile(api, blobFile('x.pcap', new Uint8Array(10)), { signal: stop.signal }),
    ).rejects.toMatchObject({ message: 'Upload of x.pcap cancelled.' });
    expect(calls.map((c) => c[0])).toEqual(['upload.begin', 'upload.abort']);
  });
});

describe('choosing the transport', () => {
  it('uses the bridge when the preload put one there, else the socket of the page origin with its token', () => {
    expect(connectApi({ wirescope: fakeBridge({}, { ok: true, value: null }).bridge }).shell).toBe(
      'electron',
    );
    expect(socketUrl({ protocol: 'http:', host: '127.0.0.1:5000', hash: '#token=abc_-1' })).toBe(
      'ws://127.0.0.1:5000/api?token=abc_-1',
    );
    expect(socketUrl({ protocol: 'https:', host: 'h', hash: '' })).toBe('wss://h/api?token=');
    expect(() => connectApi({})).toThrow(/no desktop bridge/);
  });
});
