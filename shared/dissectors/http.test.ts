// HTTP/1.x framing (what TCP reassembly asks of it) and the conversation state it leaves for the
// WebSocket and HTTP/2 dissectors, on crafted byte streams with a StreamSide of our own.
import { describe, expect, it } from 'vitest';
import { NEED_MORE, NOT_MINE, type StreamSide } from '../reassembly/pdu-stream';
import { dissectors, testing, websocketAccept, type H2cUpgrade, type WebSocketHandshake } from './http';

const framing = dissectors[0].framing!;
const enc = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0));

class Side implements StreamSide {
  readonly key = 'tcp:0';
  frame = 1;
  closed = false;
  switched: string | null = null;
  peer: string | null = null;
  handed: string | null = null;
  constructor(
    readonly dir: 0 | 1,
    readonly conv = new Map<string, unknown>(),
  ) {}
  convState<T>(key: string, make: () => T): T {
    if (!this.conv.has(key)) this.conv.set(key, make());
    return this.conv.get(key) as T;
  }
  switchTo(p: string) {
    this.switched = p;
  }
  switchPeer(p: string) {
    this.peer = p;
  }
  handOver(p: string) {
    this.handed = p;
  }
}

/** A client and a server side sharing one conversation. */
function conn(): [Side, Side] {
  const conv = new Map<string, unknown>();
  return [new Side(0, conv), new Side(1, conv)];
}

function len(s: string | Uint8Array, side: Side): number {
  const b = typeof s === 'string' ? enc(s) : s;
  return framing.pduLength(b, 0, b.length, side);
}

function pdu(s: string, side: Side): void {
  const b = enc(s);
  framing.onPdu!(b, 0, b.length, side);
}

describe('HTTP framing (pduLength)', () => {
  const [cli, srv] = conn();
  it('a request head without body; prefixes wait, other bytes are not HTTP', () => {
    const r = 'GET / HTTP/1.1\r\nHost: a\r\n\r\n';
    expect(len(r, cli)).toBe(r.length);
    expect(len(r + 'GET /2 HTTP/1.1\r\n', cli)).toBe(r.length);
    for (let i = 1; i < r.length; i++) expect(len(r.slice(0, i), cli)).toBe(NEED_MORE);
    expect(len('HELLO WORLD\r\n', cli)).toBe(NOT_MINE);
    expect(len('GET /x HTTP/2.0\r\n\r\n', cli)).toBe(NOT_MINE);
    expect(len('\x16\x03\x01\x00\x05hello', cli)).toBe(NOT_MINE);
  });
  it('Content-Length bodies, told before the body has arrived', () => {
    const h = 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n';
    expect(len(h, srv)).toBe(h.length + 10);
    expect(len(`${h}0123456789`, srv)).toBe(h.length + 10);
    const post = 'POST /f HTTP/1.1\r\nContent-Length: 3\r\n\r\n';
    expect(len(`${post}abc`, cli)).toBe(post.length + 3);
  });
  it('chunked with trailers: NEED_MORE until the last chunk and the trailer section end', () => {
    const m =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3;ext=1\r\nabc\r\n0\r\nX-Sum: 1\r\n\r\n';
    expect(len(m, srv)).toBe(m.length);
    for (let i = 1; i < m.length; i++) expect(len(m.slice(0, i), srv)).toBe(NEED_MORE);
    const ch = testing.walkChunks(enc(m), m.indexOf('5\r\n'), m.length, true);
    expect(ch !== null && ch !== 'bad' && ch.bodyLength).toBe(8);
  });
  it('big chunked bodies are measured quickly (each chunk skipped, not scanned)', () => {
    const parts = ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'];
    for (let i = 0; i < 2000; i++) parts.push(`400\r\n${'x'.repeat(1024)}\r\n`);
    parts.push('0\r\n\r\n');
    const b = enc(parts.join(''));
    const t0 = performance.now();
    for (let i = 0; i < 50; i++) expect(framing.pduLength(b, 0, b.length, srv)).toBe(b.length);
    // Not a timing assertion on the machine: a bound generous enough to catch a per-byte rescan.
    expect(performance.now() - t0).toBeLessThan(5000);
  });
  it('no body for 1xx, 204, 304 and a HEAD response; read until close without a length', () => {
    const [c, s] = conn();
    for (const h of [
      'HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n',
      'HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n',
      'HTTP/1.1 100 Continue\r\n\r\n',
    ])
      expect(len(`${h}hello`, s)).toBe(h.length);
    pdu('HEAD /p HTTP/1.1\r\nHost: a\r\n\r\n', c);
    const head = 'HTTP/1.1 200 OK\r\nContent-Length: 93\r\n\r\n';
    expect(len(head, s)).toBe(head.length);
    pdu(head, s);
    pdu('GET /close HTTP/1.0\r\n\r\n', c);
    const open = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nsome body';
    expect(len(open, s)).toBe(NEED_MORE);
    s.closed = true;
    expect(len(open, s)).toBe(open.length);
  });
  it('the HTTP/2 connection preface is handed over to http2, both directions', () => {
    const [c] = conn();
    const pre = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00';
    expect(len(pre.slice(0, 10), c)).toBe(NEED_MORE);
    expect(c.handed).toBeNull();
    expect(len(pre, c)).toBe(NOT_MINE);
    expect(c.handed).toBe('http2');
    expect(c.peer).toBe('http2');
  });
});

describe('HTTP upgrade state (onPdu)', () => {
  it('WebSocket: the handshake for the websocket dissector, both directions switched', () => {
    const [c, s] = conn();
    c.frame = 4;
    pdu(
      'GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      c,
    );
    expect(c.switched).toBeNull();
    s.frame = 6;
    pdu(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover\r\nSec-WebSocket-Protocol: chat\r\n\r\n',
      s,
    );
    expect(s.switched).toBe('websocket');
    expect(s.peer).toBe('websocket');
    expect(s.conv.get('websocket.handshake')).toEqual({
      key: 'dGhlIHNhbXBsZSBub25jZQ==',
      path: '/chat',
      requestFrame: 4,
      accept: 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=',
      extensions: 'permessage-deflate; client_no_context_takeover',
      protocol: 'chat',
      responseFrame: 6,
    } satisfies WebSocketHandshake);
  });
  it('h2c: the upgrade request recorded for HTTP/2 stream 1, both directions switched', () => {
    const [c, s] = conn();
    c.frame = 4;
    pdu(
      'GET /x HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n',
      c,
    );
    s.frame = 6;
    pdu('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n', s);
    expect(s.switched).toBe('http2');
    expect(s.peer).toBe('http2');
    expect(s.conv.get('http2.upgrade')).toEqual({
      method: 'GET',
      path: '/x',
      authority: 'h',
      headers: [
        ['Host', 'h'],
        ['Connection', 'Upgrade, HTTP2-Settings'],
        ['Upgrade', 'h2c'],
        ['HTTP2-Settings', 'AAMAAABkAAQAoAAAAAIAAAAA'],
      ],
      settings: 'AAMAAABkAAQAoAAAAAIAAAAA',
      requestFrame: 4,
      responseFrame: 6,
    } satisfies H2cUpgrade);
  });
  it('a 101 without an Upgrade the dissector knows switches nothing', () => {
    const [c, s] = conn();
    pdu('GET / HTTP/1.1\r\nUpgrade: foo\r\n\r\n', c);
    pdu('HTTP/1.1 101 Switching Protocols\r\nUpgrade: foo\r\n\r\n', s);
    expect(s.switched).toBeNull();
  });
});

describe('Sec-WebSocket-Accept', () => {
  it('RFC 6455 §1.3 example', () => {
    const a = websocketAccept('dGhlIHNhbXBsZSBub25jZQ==');
    expect(a.accept).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
    expect(a.input).toBe('dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11');
    expect(Array.from(a.digest, (b) => b.toString(16).padStart(2, '0')).join('')).toBe(
      'b37a4f2cc0624f1690f64606cf385945b2bec4ea',
    );
  });
});

describe('first line (the port heuristic)', () => {
  it('strict: known method, target, HTTP/1.x; or HTTP/1.x and three digits', () => {
    const k = (s: string) => testing.firstLineKind(enc(s), 0, s.length);
    expect(k('GET / HTTP/1.1\r\n')).toBe('request');
    expect(k('M-SEARCH * HTTP/1.1\r\n')).toBe('request');
    expect(k('HTTP/1.0 404 Not Found\r\n')).toBe('response');
    expect(k('FOO / HTTP/1.1\r\n')).toBe('no');
    expect(k('get / HTTP/1.1\r\n')).toBe('no');
    expect(k('GET  HTTP/1.1\r\n')).toBe('no');
    expect(k('HTTP/1.1 20 OK\r\n')).toBe('no');
    expect(k('GET / HTT')).toBe('partial');
  });
});

describe('HTTP framing scan (scanHead) = the parsed head', () => {
  // pduLength reads a head with scanHead, the dissector with parseHead: both must find the same
  // body start and the same first Transfer-Encoding and Content-Length values.
  const names = [
    'Content-Length',
    'content-length',
    'CONTENT-LENGTH',
    'Content-Lengt',
    'Content-Length ',
    'Transfer-Encoding',
    'transfer-encoding',
    'TrAnSfEr-EnCoDiNg',
    'Host',
    'X-\u00c0',
    'content\rlength',
  ];
  const values = ['42', ' 7 ', '', 'chunked', 'gzip, chunked', '1, 1', '\t3\t', 'x\u00ff'];
  function randomHead(rnd: () => number): Uint8Array {
    const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)];
    const eol = () => pick(['\r\n', '\n']);
    let s = pick(['GET / HTTP/1.1', 'HTTP/1.1 200 OK']) + eol();
    const n = Math.floor(rnd() * 6);
    for (let i = 0; i < n; i++) {
      const kind = rnd();
      if (kind < 0.15)
        s += pick([' ', '\t']) + pick(values) + eol(); // obs-fold
      else if (kind < 0.25)
        s += pick(names) + eol(); // no colon
      else s += pick(names) + ':' + pick(values) + eol();
    }
    if (rnd() < 0.9) s += eol();
    s += 'body';
    return Uint8Array.from(s, (ch) => ch.charCodeAt(0) & 0xff);
  }
  it('on random heads', () => {
    let seed = 12345;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    let found = 0;
    for (let k = 0; k < 3000; k++) {
      const d = randomHead(rnd);
      const end = rnd() < 0.2 ? Math.floor(rnd() * d.length) : d.length;
      const head = testing.parseHead(d, 0, end, 'request');
      const scan = testing.scanHead(d, 0, end);
      if (!head) {
        expect(scan).toBeNull();
        continue;
      }
      found++;
      const value = (key: string) => head.headers.find((h) => h.key === key)?.value;
      expect({ ...scan }).toEqual({
        bodyAt: head.bodyAt,
        te: value('transfer-encoding'),
        cl: value('content-length'),
      });
    }
    expect(found).toBeGreaterThan(1000);
  });
});
