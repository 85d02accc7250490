// The WebSocket lab's server: a real `ws` server on 127.0.0.1 at /chat. It echoes every message
// back as it came (text stays text, binary stays binary), answers pings with pongs by itself (as
// `ws` does, RFC 6455 §5.5.2) and reports what it receives so the lab can caption it.
import { createServer, type Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { listenFree, rawBuffer } from '../net';

export const CHAT_PATH = '/chat';
/** Tried first so the capture reads like the chapter's examples; taken → any free port. */
export const PREFERRED_WS_PORT = 8080;

export interface ChatServerEvents {
  connected(key: string): void;
  message(data: Buffer, binary: boolean): void;
  ping(data: Buffer): void;
  closed(code: number, reason: string): void;
}

export interface ChatServer {
  port: number;
  close(): Promise<void>;
}

export async function startChatServer(
  on: ChatServerEvents,
  preferredPort = PREFERRED_WS_PORT,
): Promise<ChatServer> {
  const http: Server = createServer((_req, res) => {
    res.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket' });
    res.end(`This is the Wirescope WebSocket lab: connect with a WebSocket to ${CHAT_PATH}.\n`);
  });
  // No permessage-deflate: the lab shows frames whose payload a class can read in the capture.
  const wss = new WebSocketServer({ server: http, path: CHAT_PATH, perMessageDeflate: false });
  const sockets = new Set<WebSocket>();
  wss.on('connection', (ws, req) => {
    sockets.add(ws);
    on.connected(String(req.headers['sec-websocket-key'] ?? ''));
    ws.on('message', (data, isBinary) => {
      const buf = rawBuffer(data);
      on.message(buf, isBinary);
      if (ws.readyState === ws.OPEN) ws.send(buf, { binary: isBinary });
    });
    ws.on('ping', (data) => on.ping(data));
    ws.on('close', (code, reason) => {
      sockets.delete(ws);
      on.closed(code, reason.toString('utf8'));
    });
    ws.on('error', () => undefined);
  });
  wss.on('error', () => undefined);
  const port = await listenFree(http, preferredPort);
  let closing: Promise<void> | null = null;
  return {
    port,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        for (const s of sockets) s.terminate();
        wss.close(() => http.close(() => resolve()));
        http.closeAllConnections();
      })),
  };
}
