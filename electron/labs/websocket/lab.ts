// The WebSocket lab: a real `ws` client talking to the lab's own `ws` server on 127.0.0.1 (or to a
// ws:// / wss:// URL the user gives), one caption per step of RFC 6455's opening handshake, then
// the messages the user (or the CLI's script) sends, each echoed by the server.
import { lookup } from 'node:dns/promises';
import { isIP, type Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { LabAction, LabStart } from '../../../shared/contract/api';
import type { LabContext, PreparedLab } from '../lab';
import { hexPreview, LAB_HOST, preview, rawBuffer } from '../net';
import { acceptOf, checkCloseCode, connectClient, parseHex, splitPayload, WS_GUID, type Via } from './client';
import { CHAT_PATH, PREFERRED_WS_PORT, startChatServer, type ChatServer } from './server';

/** How long the script waits for an echo or pong before going on anyway. */
const SCRIPT_REPLY_WAIT_MS = 3000;

function describe(data: Uint8Array, binary: boolean): string {
  return binary
    ? `binary ${hexPreview(data)} (${data.length} byte${data.length === 1 ? '' : 's'})`
    : `text “${preview(Buffer.from(data).toString('utf8'))}” (${data.length} byte${data.length === 1 ? '' : 's'})`;
}

function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1';
}

export async function prepareWebSocketLab(start: LabStart, ctx: LabContext): Promise<PreparedLab> {
  let server: ChatServer | null = null;
  let url: URL;
  let host: string;
  let port: number;
  if (start.url) {
    url = new URL(start.url);
    const name = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    host = isIP(name)
      ? name
      : (
          await lookup(name).catch((e: Error) => {
            throw new Error(`Cannot find the address of ${name}: ${e.message}`);
          })
        ).address;
    port = Number(url.port) || (url.protocol === 'wss:' ? 443 : 80);
  } else {
    server = await startChatServer(
      {
        connected: () => ctx.step('The server accepts the connection on /chat.'),
        message: (data, binary) => ctx.received(`server ← ${describe(data, binary)}; it echoes it back`),
        ping: (data) =>
          ctx.received(
            `server ← ping${data.length ? ` “${preview(data.toString('utf8'))}”` : ''}; ws answers with a pong by itself`,
          ),
        closed: (code, reason) =>
          ctx.step(
            `The server sees the close (code ${code}${reason ? `, “${preview(reason)}”` : ''}) and closes its TCP side.`,
          ),
      },
      ctx.opts.preferredPorts?.websocket ?? PREFERRED_WS_PORT,
    );
    host = LAB_HOST;
    port = server.port;
    url = new URL(`ws://${LAB_HOST}:${port}${CHAT_PATH}`);
  }
  const iface = isLoopback(host) ? 'lo' : 'any';
  const filter = iface === 'lo' ? `host ${host} and tcp port ${port}` : `host ${host} and port ${port}`;

  let ws: WebSocket | null = null;
  /** The client's TCP socket (under TLS for wss): the connection is over when it has closed. */
  let raw: Socket | null = null;
  let closed: Promise<string> | null = null;
  const closers: Array<() => void> = [];

  const act = async (a: LabAction): Promise<void> => {
    if (!ws || ws.readyState !== ws.OPEN)
      throw new Error(
        ws ? 'The WebSocket is closed or closing: start the lab again.' : 'The WebSocket is not open yet.',
      );
    const sock = ws;
    const send = (data: Uint8Array | string, opts: { binary: boolean; fin: boolean }) =>
      new Promise<void>((resolve, reject) => sock.send(data, opts, (e) => (e ? reject(e) : resolve())));
    switch (a.action) {
      case 'text':
      case 'binary': {
        const bytes = a.action === 'text' ? new TextEncoder().encode(a.text) : parseHex(a.hex);
        const binary = a.action === 'binary';
        const parts = splitPayload(bytes, a.fragments ?? 1);
        ctx.sent(
          `client → ${describe(bytes, binary)}${parts.length > 1 ? ` in ${parts.length} frames (FIN=0 … FIN=1)` : ''}, masked`,
        );
        // RFC 6455 §5.4: the first frame carries the opcode, the rest are continuations; FIN on the last.
        for (let i = 0; i < parts.length; i++) await send(parts[i], { binary, fin: i === parts.length - 1 });
        return;
      }
      case 'ping': {
        const text = a.text ?? '';
        ctx.sent(`client → ping${text ? ` “${preview(text)}”` : ''}`);
        await new Promise<void>((resolve, reject) =>
          sock.ping(text, true, (e) => (e ? reject(e) : resolve())),
        );
        return;
      }
      case 'close': {
        const bad = checkCloseCode(a.code);
        if (bad) throw new Error(bad);
        if (a.reason && Buffer.byteLength(a.reason) > 123)
          throw new Error('A close reason holds at most 123 bytes.');
        ctx.sent(`client → close ${a.code}${a.reason ? ` “${preview(a.reason)}”` : ''}`);
        sock.close(a.code, a.reason);
        return;
      }
    }
  };

  return {
    target: start.url ? url.toString() : `${LAB_HOST}:${port}`,
    iface,
    filter,
    act,
    async run() {
      let via: Via = { host, port };
      if (ctx.mode === 'tap') {
        const relay = await ctx.tap().tcpRelay({ host, port });
        closers.push(() => void relay.close());
        via = { host: relay.host, port: relay.port };
      }
      let key = '';
      const conn = await connectClient(
        url,
        via,
        {
          tcp: (to) =>
            ctx.step(
              ctx.mode === 'tap'
                ? `The client opens a TCP connection to ${host}:${port} through the tap's relay (${to}): SYN, SYN-ACK, ACK.`
                : `The client opens a TCP connection to ${host}:${port}: SYN, SYN-ACK, ACK.`,
            ),
          tcpOpen: () => ctx.step('The TCP connection is open (three-way handshake done).'),
          tls: (name) =>
            ctx.step(`TLS handshake with ${name}: from here on the capture shows encrypted TLS records.`),
          tlsOpen: (p) => ctx.step(`TLS is up (${p}).`),
          request: (path, hostHeader, k) => {
            key = k;
            ctx.step(
              `The client asks to upgrade: GET ${path} HTTP/1.1 with Host: ${hostHeader}, Upgrade: websocket, Connection: Upgrade and Sec-WebSocket-Key: ${k} (16 random bytes in base64).`,
            );
          },
          upgrade: (status, accept) => {
            const mine = acceptOf(key);
            ctx.step(
              `The server agrees: ${status} Switching Protocols, Sec-WebSocket-Accept = base64(SHA-1(“${key}” + “${WS_GUID}”)) = ${mine}` +
                (accept === mine
                  ? ' (the value the server sent: the handshake checks out).'
                  : `, but the server sent ${accept}.`),
            );
          },
          pace: () => ctx.pace(),
        },
        ctx.signal,
      );
      ws = conn.ws;
      raw = conn.raw;
      const sock = ws;
      sock.on('error', () => undefined);
      // The script waits for each answer (echo, pong) before the next action, so the capture reads
      // as request/reply pairs rather than everything in one burst.
      let answered: (() => void) | null = null;
      const answer = () => {
        const a = answered;
        answered = null;
        a?.();
      };
      sock.on('message', (data, isBinary) => {
        const buf = rawBuffer(data);
        ctx.received(`client ← ${describe(buf, isBinary)}`);
        answer();
      });
      sock.on('pong', (data) => {
        ctx.received(`client ← pong${data.length ? ` “${preview(data.toString('utf8'))}”` : ''}`);
        answer();
      });
      closed = new Promise<string>((resolve) => {
        sock.once('close', (code, reason) => {
          const r = reason.toString('utf8');
          const text = `The WebSocket is closed (code ${code}${r ? `, “${preview(r)}”` : ''}) and the TCP connection torn down: FIN, ACK each way.`;
          ctx.step(text);
          resolve(text);
        });
      });
      ctx.step(
        'Upgraded: from now on both sides send WebSocket frames (the client’s masked, the server’s not).',
      );
      for (const a of ctx.opts.script ?? []) {
        await ctx.pace();
        if (ctx.stopping()) break;
        const reply =
          a.action === 'close'
            ? null
            : new Promise<void>((resolve) => {
                const t = setTimeout(resolve, SCRIPT_REPLY_WAIT_MS);
                answered = () => {
                  clearTimeout(t);
                  resolve();
                };
              });
        await act(a);
        await reply;
      }
      const summary = await closed;
      return { summary: `WebSocket lab finished. ${summary}` };
    },
    async close() {
      if (ws && ws.readyState !== ws.CLOSED) {
        const sock = ws;
        // A lab stopped while open closes politely when it can (1001 Going away), then for sure.
        if (sock.readyState === sock.OPEN) sock.close(1001, 'lab stopped');
        await Promise.race([closed, new Promise((r) => setTimeout(r, 500))]);
        sock.terminate();
      }
      // The tap's relay is closed only once the connection has ended by itself: a relay closed
      // with bytes still in flight (TLS close_notify after the WebSocket close) would cut them.
      const r = raw;
      if (r && !r.destroyed) {
        await Promise.race([
          new Promise((res) => r.once('close', res)),
          new Promise((res) => setTimeout(res, 1000)),
        ]);
        r.destroy();
      }
      if (closers.length) await new Promise((res) => setTimeout(res, 50));
      for (const c of closers.splice(0)) c();
      await server?.close();
    },
  };
}

/** `n` text messages, every second one in 3 fragments (what a lab started with `messages` sends by itself). */
export function textScript(n: number): LabAction[] {
  const script: LabAction[] = [];
  for (let i = 1; i <= n; i++)
    script.push(
      i % 2 === 0
        ? { action: 'text', text: `Message ${i}, sent in three fragments`, fragments: 3 }
        : { action: 'text', text: `Hello, WebSocket! (message ${i})` },
    );
  return script;
}

/**
 * The CLI's (and the samples') scripted run: `n` texts (textScript), a binary message, a ping,
 * and a close with 1000 (normal closure).
 */
export function websocketScript(n = 2): LabAction[] {
  return [
    ...textScript(n),
    { action: 'binary', hex: 'de ad be ef 00 01 02 03' },
    { action: 'ping', text: 'are you there?' },
    { action: 'close', code: 1000, reason: 'lab done' },
  ];
}
