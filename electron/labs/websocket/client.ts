// The WebSocket lab's client: a real `ws` client whose TCP connection the lab opens itself, so
// the connection, the TLS handshake (wss) and the HTTP upgrade can be paced as separate steps, and
// so it can go through the tap's relay while the Host header and the TLS server name stay the
// URL's host. Also the pure pieces the captions show: the Sec-WebSocket-Accept computation, the
// split of a message into frames, hex parsing.
import { createHash } from 'node:crypto';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';

/** RFC 6455 §1.3: the GUID appended to the key before hashing. */
export const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Sec-WebSocket-Accept for a Sec-WebSocket-Key: base64(SHA-1(key + GUID)) (RFC 6455 §4.2.2). */
export function acceptOf(key: string): string {
  return createHash('sha1')
    .update(key + WS_GUID)
    .digest('base64');
}

/**
 * A message's bytes cut into `n` frames' payloads of near-equal size (the first ones one byte
 * longer). Never more frames than bytes, except that an empty message is one empty frame.
 */
export function splitPayload(bytes: Uint8Array, n: number): Uint8Array[] {
  const k = Math.max(1, Math.min(Math.floor(n), bytes.length || 1));
  const out: Uint8Array[] = [];
  const base = Math.floor(bytes.length / k);
  let extra = bytes.length % k;
  let at = 0;
  for (let i = 0; i < k; i++) {
    const len = base + (extra > 0 ? 1 : 0);
    if (extra > 0) extra--;
    out.push(bytes.subarray(at, at + len));
    at += len;
  }
  return out;
}

/** Hex text (`de ad be ef`, `0xdeadbeef`, `de:ad`) as bytes; throws a plain-words Error otherwise. */
export function parseHex(text: string): Uint8Array {
  const clean = text.replace(/0x/gi, '').replace(/[\s:,-]/g, '');
  if (!/^[0-9a-fA-F]*$/.test(clean))
    throw new Error(`“${text}” is not hex bytes: use pairs of 0-9 and a-f, e.g. de ad be ef.`);
  if (clean.length % 2) throw new Error(`“${text}” has an odd number of hex digits: every byte takes two.`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Close codes an endpoint may send (RFC 6455 §7.4: 1005, 1006 and 1015 never go on the wire). */
export function checkCloseCode(code: number): string | null {
  if (!Number.isInteger(code)) return `Close code ${code} is not a whole number.`;
  if (code >= 3000 && code <= 4999) return null;
  if ([1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014].includes(code)) return null;
  return `Close code ${code} may not be sent: use 1000 (normal), 1001 (going away), another 1000–1014 code except 1004–1006, or 3000–4999.`;
}

export interface ConnectSteps {
  /** The TCP connection is about to open (`to` = where the socket goes, relay or server). */
  tcp(to: string): void;
  /** Connected: the handshake is done. */
  tcpOpen(): void;
  /** wss: the TLS handshake is about to start, then is done. */
  tls?(serverName: string): void;
  tlsOpen?(protocol: string): void;
  /** The upgrade request is about to go out. */
  request(path: string, host: string, key: string): void;
  /** The 101 response arrived. */
  upgrade(status: number, accept: string): void;
  /** Between the steps (the lab's pacing). */
  pace(): Promise<void>;
}

/** Where the client's TCP connection goes (the server, or the tap's relay in front of it). */
export interface Via {
  host: string;
  port: number;
}

/**
 * Opens the connection in steps and resolves with an OPEN WebSocket. `url` is what the request
 * names (path, Host header, TLS server name); `via` is where the bytes go.
 */
export async function connectClient(
  url: URL,
  via: Via,
  steps: ConnectSteps,
  signal: AbortSignal,
): Promise<{ ws: WebSocket; raw: Socket }> {
  const secure = url.protocol === 'wss:';
  steps.tcp(`${via.host}:${via.port}`);
  const raw = await new Promise<Socket>((resolve, reject) => {
    const s = netConnect({ host: via.host, port: via.port });
    const fail = (e: Error) => reject(new Error(`Cannot connect to ${via.host}:${via.port}: ${e.message}`));
    s.once('error', fail);
    s.once('connect', () => {
      s.off('error', fail);
      resolve(s);
    });
    signal.addEventListener('abort', () => s.destroy(new Error('the lab was stopped')), { once: true });
  });
  raw.on('error', () => undefined);
  steps.tcpOpen();
  await steps.pace();
  let sock: Socket | TLSSocket = raw;
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (secure) {
    steps.tls?.(hostname);
    sock = await new Promise<TLSSocket>((resolve, reject) => {
      // The server name is the URL's host even through a relay: the certificate is checked against it.
      const t = tlsConnect({ socket: raw, servername: /^[\d.]+$|:/.test(hostname) ? undefined : hostname });
      t.once('error', (e) => reject(new Error(`TLS with ${hostname} failed: ${e.message}`)));
      t.once('secureConnect', () => resolve(t));
    });
    sock.on('error', () => undefined);
    steps.tlsOpen?.((sock as TLSSocket).getProtocol() ?? 'TLS');
    await steps.pace();
  }
  if (signal.aborted) {
    sock.destroy();
    throw new Error('The lab was stopped.');
  }
  return new Promise<{ ws: WebSocket; raw: Socket }>((resolve, reject) => {
    let key = '';
    const ws = new WebSocket(url, {
      // The lab's own socket: already connected (to the server or the relay), TLS done for wss.
      createConnection: () => sock,
      perMessageDeflate: false,
      handshakeTimeout: 15_000,
      finishRequest: (req: ClientRequest) => {
        key = String(req.getHeader('sec-websocket-key') ?? '');
        steps.request(req.path, String(req.getHeader('host') ?? url.host), key);
        req.end();
      },
    });
    ws.once('upgrade', (res: IncomingMessage) => {
      steps.upgrade(res.statusCode ?? 0, String(res.headers['sec-websocket-accept'] ?? ''));
    });
    ws.once('unexpected-response', (_req, res: IncomingMessage) => {
      res.resume();
      ws.terminate();
      reject(
        new Error(
          `The server did not agree to upgrade: it answered ${res.statusCode} ${res.statusMessage ?? ''}`.trim(),
        ),
      );
    });
    ws.once('open', () => resolve({ ws, raw }));
    ws.once('error', (e) => reject(new Error(`WebSocket handshake failed: ${e.message}`)));
    signal.addEventListener('abort', () => ws.terminate(), { once: true });
  });
}
