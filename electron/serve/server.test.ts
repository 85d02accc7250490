import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { CaptureInfo, CaptureState, Hello, PacketDetail, RowBatch } from '../../shared/contract/api';
import { decodeMessage, encodeMessage } from '../../shared/contract/wire';
import { socketClient } from '../../renderer/api/client';
import { CONTENT_SECURITY_POLICY } from '../app-protocol';
import { startServe, type ServeHandle } from './server';

const root = resolve(import.meta.dirname, '../..');
const web = join(root, 'tests/fixtures/cli/web.pcapng');
const dir = mkdtempSync(join(tmpdir(), 'wirescope-serve-'));
const bundle = join(dir, 'web');
mkdirSync(bundle);
writeFileSync(
  join(bundle, 'index.html'),
  '<!doctype html><title>Wirescope</title><script type="module" src="./app.js"></script>',
);
writeFileSync(join(bundle, 'app.js'), 'export {};');
writeFileSync(join(dir, 'secret.txt'), 'not for the browser');

let serve: ServeHandle;
beforeAll(async () => {
  serve = await startServe({ root: bundle, files: [web], version: 'test', backend: { uploadDir: dir } });
});
afterAll(async () => {
  await serve?.close();
});

function get(
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((res, rej) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: serve.port,
        path,
        method,
        headers: { host: `127.0.0.1:${serve.port}`, ...headers },
      },
      (r) => {
        let body = '';
        r.on('data', (c: Buffer) => (body += c.toString()));
        r.on('end', () => res({ status: r.statusCode ?? 0, headers: r.headers, body }));
      },
    );
    req.on('error', rej);
    req.end();
  });
}

/** Opens the API socket as a browser page of `origin` would; resolves with the socket or the HTTP status that refused it. */
function socket(
  opts: { origin?: string; token?: string; path?: string; host?: string } = {},
): Promise<WebSocket | number> {
  const token = opts.token ?? serve.token;
  const url = `ws://127.0.0.1:${serve.port}${opts.path ?? '/api'}?token=${encodeURIComponent(token)}`;
  const headers: Record<string, string> = opts.host ? { host: opts.host } : {};
  const ws = new WebSocket(url, { origin: 'origin' in opts ? opts.origin : serve.origin, headers });
  return new Promise((res) => {
    ws.once('open', () => res(ws));
    ws.once('unexpected-response', (_req, r) => res(r.statusCode ?? 0));
    ws.once('error', () => res(-1));
  });
}

describe('serve mode: HTTP', () => {
  it('serves the bundle with the app CSP, and nothing outside it', async () => {
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.body).toContain('<title>Wirescope</title>');
    expect((await get('/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get('/../secret.txt')).status).toBe(404);
    expect((await get('/%2e%2e/secret.txt')).status).toBe(404);
    expect((await get('/nope.js')).status).toBe(404);
    expect((await get('/', {}, 'POST')).status).toBe(405);
    expect((await get('/', {}, 'HEAD')).status).toBe(200);
  });

  it('answers only under its own name (DNS rebinding)', async () => {
    expect((await get('/', { host: 'evil.example:80' })).status).toBe(421);
    expect((await get('/', { host: `localhost:${serve.port}` })).status).toBe(200);
  });
});

describe('serve mode: the API socket', () => {
  it('refuses a wrong token, a foreign or missing Origin, a wrong Host and a wrong path', async () => {
    expect(await socket({ token: 'guess' })).toBe(403);
    expect(await socket({ token: '' })).toBe(403);
    expect(await socket({ token: serve.token.slice(0, -1) + (serve.token.endsWith('A') ? 'B' : 'A') })).toBe(
      403,
    );
    expect(await socket({ origin: 'https://evil.example' })).toBe(403);
    expect(await socket({ origin: `http://127.0.0.1:${serve.port + 1}` })).toBe(403);
    expect(await socket({ origin: undefined })).toBe(403);
    expect(await socket({ host: `evil.example:${serve.port}` })).toBe(421);
    expect(await socket({ path: '/other' })).toBe(404);
  });

  it('closes the socket on text frames and on frames it cannot decode', async () => {
    const a = (await socket()) as WebSocket;
    const closedA = new Promise<number>((r) => a.once('close', (code) => r(code)));
    a.send('{"t":"call"}');
    expect(await closedA).toBe(1003);
    const b = (await socket()) as WebSocket;
    const closedB = new Promise<number>((r) => b.once('close', (code) => r(code)));
    b.send(new Uint8Array([255, 255, 255, 255, 1]));
    expect(await closedB).toBe(1007);
  });

  it('runs the contract through the renderer client: hello, rows, detail bytes, events, guards', async () => {
    class PageSocket extends WebSocket {
      constructor(url: string) {
        super(url, { origin: serve.origin });
      }
    }
    const api = socketClient(serve.socketUrl, PageSocket as unknown as typeof globalThis.WebSocket);
    const finished = new Promise<CaptureState>((r) => api.on('capture.finished', r));
    const hello: Hello = await api.call('app.hello');
    expect(hello).toMatchObject({ shell: 'serve', version: 'test', canPick: false, canOpenPaths: false });
    expect(hello.captures).toHaveLength(1);
    const cap = hello.captures[0].info;
    expect(cap).toMatchObject({ name: 'web.pcapng', origin: 'command-line' });
    const first: RowBatch = await api.call('packets.rows', { capture: cap.id, from: 0, count: 10 });
    expect(first.rows[0].number).toBe(1);
    const state =
      hello.captures[0].phase === 'indexing'
        ? await finished
        : await api.call('capture.state', { capture: cap.id });
    expect(state.phase).toBe('done');
    const detail = (await api.call('packets.detail', { capture: cap.id, frame: 1 })) as PacketDetail;
    expect(detail.bytes).toBeInstanceOf(Uint8Array);
    expect(detail.bytes.length).toBeGreaterThan(0);
    await expect(api.call('packets.rows', { capture: cap.id, from: -5, count: 1 })).rejects.toMatchObject({
      name: 'ApiCallError',
      code: 'bad-input',
    });
    await expect(api.call('capture.openDropped', { path: '/etc/passwd' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    api.close();
    await expect(api.call('app.hello')).rejects.toMatchObject({ code: 'internal' });
  });

  it('uploads a file in chunks over the socket and indexes it', async () => {
    class PageSocket extends WebSocket {
      constructor(url: string) {
        super(url, { origin: serve.origin });
      }
    }
    const api = socketClient(serve.socketUrl, PageSocket as unknown as typeof globalThis.WebSocket);
    const bytes = readFileSync(web);
    const blob = new Blob([bytes]);
    const progress: number[] = [];
    const finished = new Promise<CaptureState>((r) =>
      api.on('capture.finished', (s) => s.info.origin === 'upload' && r(s)),
    );
    const file = {
      name: 'upload.pcapng',
      size: blob.size,
      slice: (a: number, b: number) => blob.slice(a, b),
    };
    const { uploadFile } = await import('../../renderer/api/upload');
    const info: CaptureInfo = await uploadFile(api, file, { onProgress: (sent) => progress.push(sent) });
    expect(info).toMatchObject({ name: 'upload.pcapng', origin: 'upload', size: bytes.length });
    expect(progress.at(-1)).toBe(bytes.length);
    const st = await finished;
    expect(st.phase).toBe('done');
    const rows: RowBatch = await api.call('packets.rows', { capture: info.id, from: 0, count: 2000 });
    const hello: Hello = await api.call('app.hello');
    const cli = hello.captures.find((c) => c.info.origin === 'command-line')!;
    const cliRows: RowBatch = await api.call('packets.rows', { capture: cli.info.id, from: 0, count: 2000 });
    expect(rows.rows).toEqual(cliRows.rows);
    api.close();
  });

  it("closes a page's captures when its socket goes away", async () => {
    const ws = (await socket()) as WebSocket;
    const replies = new Map<number, unknown>();
    ws.on('message', (d: Buffer) => {
      const m = decodeMessage(new Uint8Array(d)) as { t: string; id: number; result: unknown };
      if (m.t === 'result') replies.set(m.id, m.result);
    });
    ws.send(encodeMessage({ t: 'call', id: 1, verb: 'app.hello', input: undefined }));
    await expect.poll(() => replies.get(1)).toBeTruthy();
    const pages = () => (serve.backend as unknown as { pages: Set<unknown> }).pages.size;
    const before = pages();
    ws.close();
    await expect.poll(pages).toBe(before - 1);
  });
});
