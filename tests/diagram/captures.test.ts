// The Mermaid text of the project's real captures: every arrow where the messages say it goes,
// the notes where the traffic puts them, and text that Mermaid's sequenceDiagram grammar accepts
// (mermaid-grammar.ts; and the mermaid package itself, in Chromium, where it can be found).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caption, layoutDiagram, toMermaid, type DiagramLevel } from '../../shared/diagram';
import { buildMessages, type Message } from '../../shared/messages/messages';
import { parseStreamRef } from '../../shared/messages/source';
import { withSource } from '../../electron/cli/follow';
import { checkMermaid } from './mermaid-grammar';

const fx = join(import.meta.dirname, '../fixtures');
const CAPTURES = [
  'captures/lo-http4.pcap',
  'captures/lo-tcp-rst.pcap',
  'captures/tcp-analysis-edited.pcap',
  ...['dns', 'websocket', 'http', 'tls']
    .flatMap((d) => readdirSync(join(fx, d)).map((f) => `${d}/${f}`))
    .filter((f) => /\.pcapng?$/.test(f)),
  'grpc/grpc.pcapng',
];

async function messagesOf(file: string, streams: string[] = []): Promise<Message[]> {
  return withSource(
    join(fx, file),
    [],
    (src) => buildMessages(src, { streams: streams.map((s) => parseStreamRef(s)!) }).messages,
  );
}

async function mermaid(file: string, streams: string[], level: DiagramLevel): Promise<string[]> {
  const ms = await messagesOf(file, streams);
  return toMermaid(layoutDiagram(ms, { level })).trimEnd().split('\n');
}

describe('Mermaid text of the real captures', () => {
  it.each(CAPTURES)(
    '%s: parses under the grammar, one arrow per message, each the right way',
    async (file) => {
      const ms = await messagesOf(file);
      for (const level of ['transport', 'application', 'both'] as const) {
        const d = layoutDiagram(ms, { level });
        const text = toMermaid(d);
        expect(checkMermaid(text), `${file} ${level}`).toEqual([]);
        const arrows = text.split('\n').filter((l) => /^ {4}P\d+(->>|-->>|-x)P\d+:/.test(l));
        const shown = ms.filter((m) => level === 'both' || m.level === level);
        expect(arrows.length, `${file} ${level}`).toBe(shown.length);
        const ids = new Map(d.lifelines.map((l, i) => [l.id, `P${i + 1}`]));
        arrows.forEach((a, i) => {
          const [, from, to] = /^ {4}(P\d+)(?:->>|-->>|-x)(P\d+):/.exec(a)!;
          expect([from, to], `${file} ${level} arrow ${i + 1}`).toEqual([
            ids.get(shown[i].from.text),
            ids.get(shown[i].to.text),
          ]);
        });
      }
    },
  );

  it('HTTP/1.1 over TCP (lo-http4): the chapter’s handshake, request, response and termination', async () => {
    const t = await mermaid('captures/lo-http4.pcap', ['tcp:0'], 'transport');
    expect(t.slice(0, 9)).toEqual([
      'sequenceDiagram',
      '    participant P1 as Client 127.0.0.1:54682',
      '    participant P2 as Server 127.0.0.1:8080',
      '    Note over P1,P2: TCP 3-way handshake',
      '    P1->>P2: SYN (seq=0)',
      '    P2->>P1: SYN-ACK (seq=0, ack=1)',
      '    P1-->>P2: ACK (seq=1, ack=1)',
      '    Note over P1,P2: Connection established',
      '    P1->>P2: Data 86 bytes (seq=1, ack=1)',
    ]);
    expect(t.slice(-4)).toEqual([
      '    Note over P1,P2: Connection termination',
      '    P1->>P2: FIN-ACK (seq=87, ack=3489)',
      '    P2->>P1: FIN-ACK (seq=3489, ack=88)',
      '    P1-->>P2: ACK (seq=88, ack=3490)',
    ]);
    const a = await mermaid('captures/lo-http4.pcap', ['tcp:0'], 'application');
    expect(a.slice(3)).toEqual([
      '    Note over P1,P2: Connection established',
      '    P1->>P2: GET /page.txt',
      '    P2->>P1: 200 OK (text/plain)',
    ]);
  });

  it('DNS over UDP: the client asks the resolver, no handshake', async () => {
    const t = await mermaid('dns/dns-udp.pcap', ['udp:0', 'udp:1'], 'application');
    expect(t).toEqual([
      'sequenceDiagram',
      '    participant P1 as Client 127.0.0.1:52670',
      '    participant P2 as Client 127.0.0.1:52070',
      '    participant P3 as Resolver 127.0.0.1:53',
      '    P1->>P3: DNS query A example.com',
      '    P3->>P1: DNS response A example.com → 192.0.2.10',
      '    P2->>P3: DNS query AAAA example.com',
      '    P3->>P2: DNS response AAAA example.com → 2001:db8::10',
    ]);
  });

  it('WebSocket: the upgrade request, 101, "WebSocket connection established", then frames', async () => {
    const t = await mermaid('websocket/ws-basic.pcap', ['tcp:0'], 'application');
    expect(t.slice(3, 11)).toEqual([
      '    Note over P1,P2: Connection established',
      '    Note over P1,P2: HTTP upgrade request',
      '    P1->>P2: GET /chat (Upgrade: websocket)',
      '    P2->>P1: 101 Switching Protocols',
      '    Note over P1,P2: WebSocket connection established',
      '    P1->>P2: WS text "Hello!"',
      '    P2->>P1: WS text "Hello!"',
      '    P1->>P2: WS binary 12 bytes',
    ]);
    expect(t).toContain('    P1->>P2: WS close 1000 "bye"');
  });

  it('TLS 1.2 and 1.3: "TLS handshake" before ClientHello, "Encrypted communication" once the handshake is over', async () => {
    const t12 = await mermaid('tls/tls12.pcap', ['tcp:0'], 'application');
    const hello = t12.indexOf('    Note over P1,P2: TLS handshake');
    expect(t12[hello + 1]).toMatch(/^ {4}P1->>P2: ClientHello SNI=example\.com/);
    const enc = t12.indexOf('    Note over P1,P2: Encrypted communication');
    expect(t12[enc - 1]).toBe('    P2->>P1: Encrypted Handshake Message');
    expect(t12[enc + 1]).toBe('    P1->>P2: Application Data 30 bytes');
    const t13 = await mermaid('tls/tls13.pcap', ['tcp:0'], 'application');
    const enc13 = t13.indexOf('    Note over P1,P2: Encrypted communication');
    // TLS 1.3: the client's ChangeCipherSpec and Finished (an encrypted record) end the handshake.
    expect(t13.slice(enc13 - 2, enc13 + 2)).toEqual([
      '    P1->>P2: ChangeCipherSpec',
      '    P1->>P2: Application Data 69 bytes',
      '    Note over P1,P2: Encrypted communication',
      '    P2->>P1: Application Data 250 bytes',
    ]);
  });

  it('a refused connection is a crossed reset; retransmissions and dup ACKs are marked', async () => {
    const rst = await mermaid('captures/lo-tcp-rst.pcap', ['tcp:0'], 'transport');
    expect(rst.slice(-3)).toEqual([
      '    P1->>P2: SYN (seq=0)',
      '    Note over P1,P2: Connection reset',
      '    P2-xP1: RST-ACK (seq=1, ack=1)',
    ]);
    const bad = await mermaid('captures/tcp-analysis-edited.pcap', ['tcp:0'], 'transport');
    expect(bad).toContain('    P2->>P1: Data 1448 bytes (seq=8878, ack=87) [Retransmission]');
    expect(bad.filter((l) => l.endsWith('[Dup ACK]')).length).toBeGreaterThan(0);
  });
});

describe('per-stream lifelines', () => {
  it('gRPC over HTTP/2: the server side split per stream, connection frames on the socket', async () => {
    const ms = await messagesOf('grpc/grpc.pcapng', ['tcp:0']);
    const d = layoutDiagram(ms, { level: 'application', mode: 'stream' });
    const heads = d.lifelines.map((l) => `${l.title} ${l.address}`);
    expect(heads[0]).toMatch(/^Client 127\.0\.0\.1:\d+$/);
    expect(heads[1]).toMatch(/^Server 127\.0\.0\.1:50051$/);
    expect(heads.slice(2).every((h) => /^Server 127\.0\.0\.1:50051 h2:\d+$/.test(h))).toBe(true);
    expect(heads.length).toBeGreaterThan(3);
    const text = toMermaid(d);
    expect(checkMermaid(text)).toEqual([]);
    // The first call goes to stream 1's lifeline, SETTINGS to the connection's.
    const lines = text.split('\n');
    const s1 = `P${d.lifelines.findIndex((l) => l.id.endsWith(' h2:1')) + 1}`;
    expect(lines).toContain(`    P1->>${s1}: gRPC user.UserService/GetUser`);
    expect(lines.find((l) => l.endsWith(': SETTINGS'))).toMatch(/^ {4}P[12]->>P[12]: SETTINGS$/);
  });
});

describe('captions of real messages', () => {
  const first = (ms: Message[], pred: (m: Message) => boolean) => caption(ms.find(pred)!);

  it('say what each step means, from the roles and what the protocol said', async () => {
    const grpc = await messagesOf('grpc/grpc.pcapng', ['tcp:0']);
    expect(first(grpc, (m) => m.protocol === 'gRPC')).toBe(
      'The client calls user.UserService/GetUser (gRPC: a protobuf message in an HTTP/2 stream).',
    );
    expect(first(grpc, (m) => m.label.startsWith('Magic'))).toBe(
      'The client opens HTTP/2 with the connection preface ("PRI * HTTP/2.0"), then its settings.',
    );
    expect(first(grpc, (m) => m.label.startsWith('DATA stream 1 '))).toBe(
      'The client sends 7 bytes on stream 1, and ends stream 1; other streams share the same connection.',
    );
    expect(first(grpc, (m) => /^gRPC status/.test(m.label))).toMatch(
      /^The server ends the call: status 0 OK/,
    );
    const ws = await messagesOf('websocket/ws-basic.pcap', ['tcp:0']);
    expect(first(ws, (m) => m.label === 'WS ping')).toBe(
      'The client pings; the server must answer with a pong.',
    );
    expect(first(ws, (m) => m.label.startsWith('WS close'))).toBe(
      'The client closes the WebSocket: Normal Closure (1000): bye.',
    );
    expect(first(ws, (m) => m.level === 'transport')).toBe(
      'The client opens a connection to the server: SYN with its initial sequence number 0 (relative); it proposes a maximum segment size of 1460 bytes, window scaling ×1024 and selective acknowledgments.',
    );
    const http = await messagesOf('http/http-basic.pcap', ['tcp:0']);
    expect(first(http, (m) => m.level === 'application')).toBe(
      'The client sends an HTTP GET request for /page.html.',
    );
  });
});
