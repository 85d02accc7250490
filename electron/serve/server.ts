// Serve mode: the same backend as the desktop app behind a WebSocket on 127.0.0.1, and the same
// renderer bundle over HTTP, for any browser (end-to-end tests in Chromium, classroom viewers).
//
// Guards, since any web page the user visits can try to reach a local port:
// - the server binds to 127.0.0.1 only;
// - every request must name this server in its Host header (127.0.0.1:PORT or localhost:PORT), so a
//   DNS-rebinding page cannot reach it under another name;
// - the socket opens only with the random token printed at start (constant-time comparison) AND an
//   Origin of this server, so another origin's page cannot open it even with a guessed port;
// - the renderer gets the same strict CSP as the app:// protocol, and only GET/HEAD of bundle files.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_UPLOAD_CHUNK } from '../../shared/contract/api';
import {
  decodeMessage,
  encodeMessage,
  isClientMessage,
  type ServerMessage,
} from '../../shared/contract/wire';
import { appResponseHeaders, resolveUnder } from '../app-protocol';
import { Backend, type BackendOptions } from '../backend/backend';

export const SERVE_HOST = '127.0.0.1';
export const API_PATH = '/api';

export interface ServeOptions {
  /** The renderer bundle (out/web). */
  root: string;
  /** 0 or absent: any free port. */
  port?: number;
  /** Captures every page sees open when it connects (the command line). */
  files?: string[];
  version: string;
  /** Fixed token (tests); random otherwise. */
  token?: string;
  /** Backend settings (worker URL, chunk size, upload folder). */
  backend?: Omit<BackendOptions, 'shell' | 'version'>;
}

export interface ServeHandle {
  /** What to open: `http://127.0.0.1:PORT/#token=…`. */
  url: string;
  origin: string;
  port: number;
  token: string;
  /** The socket address a client uses (token included). */
  socketUrl: string;
  backend: Backend;
  close(): Promise<void>;
}

/** Largest WebSocket message: one upload chunk plus its envelope. */
const MAX_MESSAGE = MAX_UPLOAD_CHUNK + (64 << 10);

export async function startServe(opts: ServeOptions): Promise<ServeHandle> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const backend = new Backend({ ...opts.backend, shell: 'serve', version: opts.version });
  let port = 0;
  const hosts = () => [`${SERVE_HOST}:${port}`, `localhost:${port}`];
  const origins = () => hosts().map((h) => `http://${h}`);

  const server = createServer((req, res) => {
    if (!hosts().includes(req.headers.host ?? ''))
      return refuse(res, 421, 'Misdirected request: this server answers only as 127.0.0.1.');
    serveFile(opts.root, req, res);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE, clientTracking: true });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const deny = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://${SERVE_HOST}`);
    } catch {
      return deny(400, 'Bad Request');
    }
    if (url.pathname !== API_PATH) return deny(404, 'Not Found');
    if (!hosts().includes(req.headers.host ?? '')) return deny(421, 'Misdirected Request');
    if (!origins().includes(req.headers.origin ?? '')) return deny(403, 'Forbidden');
    const given = Buffer.from(url.searchParams.get('token') ?? '');
    if (given.length !== tokenBytes.length || !timingSafeEqual(given, tokenBytes))
      return deny(403, 'Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => connection(ws));
  });

  function connection(ws: WebSocket): void {
    const send = (m: ServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(encodeMessage(m));
    };
    const page = backend.connect((name, payload) => send({ t: 'event', name, payload }));
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return ws.close(1003, 'binary messages only');
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      let m: unknown;
      try {
        m = decodeMessage(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
      } catch (e) {
        return ws.close(1007, (e as Error).message.slice(0, 120));
      }
      if (!isClientMessage(m)) return ws.close(1008, 'not a call');
      void page.dispatch(m.verb, m.input).then((result) => send({ t: 'result', id: m.id, result }));
    });
    ws.on('close', () => void page.dispose());
    // The first page takes over the captures opened at launch (their rows are ready by the time
    // it asks); every later page opens its own. A file gone since launch becomes a notice.
    if (!page.adoptParked()) for (const f of opts.files ?? []) page.openOrNotice(f, 'command-line');
  }

  // Indexing starts now, while the person opens the address.
  for (const f of opts.files ?? []) backend.park(f);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, SERVE_HOST, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://${SERVE_HOST}:${port}`;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    socketUrl: `ws://${SERVE_HOST}:${port}${API_PATH}?token=${token}`,
    backend,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await backend.close();
    },
  };
}

function refuse(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end(text);
}

function serveFile(root: string, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed.');
  let path: string;
  try {
    path = decodeURIComponent(new URL(req.url ?? '/', `http://${SERVE_HOST}`).pathname);
  } catch {
    return refuse(res, 400, 'Bad request.');
  }
  const file = resolveUnder(root, path);
  let size = -1;
  try {
    if (file) {
      const st = statSync(file);
      if (st.isFile()) size = st.size;
    }
  } catch {
    size = -1;
  }
  if (!file || size < 0) return refuse(res, 404, 'Not found.');
  res.writeHead(200, {
    ...appResponseHeaders(file),
    'Content-Length': String(size),
    'Cache-Control': 'no-cache',
  });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file).pipe(res);
}
