// Application messages from the protocol fixtures: HTTP requests and responses, the WebSocket
// upgrade and messages, HTTP/2 frames with their stream, TLS handshakes, each from the right
// endpoint and role; a PDU that spans segments lists every frame it came from, the same frames
// tshark's reassembly names (tcp.segment).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildMessages, type Message } from '../../shared/messages/messages';
import { tsharkFields, tsharkMissing } from '../support/tshark';
import { openSource, repoRoot } from '../follow/support';

const fixture = (p: string) => join(repoRoot, 'tests/fixtures', p);

async function appMessages(path: string): Promise<Message[]> {
  const { src, close } = await openSource(path);
  try {
    return buildMessages(src, { levels: ['application'] }).messages;
  } finally {
    close();
  }
}

const row = (m: Message) => [m.frame, m.fromRole, m.toRole, m.protocol, m.label];

describe('application messages', () => {
  it('http-websocket.pcap: the upgrade, then WebSocket messages, client and server named', async () => {
    const m = await appMessages(fixture('http/http-websocket.pcap'));
    expect(m.map(row)).toEqual([
      [4, 'Client', 'Server', 'HTTP', 'GET /chat (Upgrade: websocket)'],
      [6, 'Server', 'Client', 'HTTP', '101 Switching Protocols'],
      [8, 'Client', 'Server', 'WebSocket', 'WS text "Hello!"'],
      [9, 'Server', 'Client', 'WebSocket', 'WS text "echo: Hello!"'],
      [10, 'Client', 'Server', 'WebSocket', 'WS close 1000 "bye"'],
      [11, 'Server', 'Client', 'WebSocket', 'WS close 1000 "bye"'],
    ]);
    expect(m[0].from.port).not.toBe(8080);
    expect(m[0].to.text).toBe('127.0.0.1:8080');
  });

  it('http-large.pcap: the 40000-byte response lists its 28 segments', async () => {
    const m = await appMessages(fixture('http/http-large.pcap'));
    const resp = m.find((x) => x.label.startsWith('200'))!;
    expect(resp.frame).toBe(53);
    expect(resp.frames).toHaveLength(28);
    expect(resp.frames[0]).toBe(6);
    expect(resp.frames.at(-1)).toBe(53);
  });

  it('h2c-node.pcapng: HTTP/2 frames with their stream as substream', async () => {
    const m = await appMessages(fixture('http2/h2c-node.pcapng'));
    const headers = m.filter((x) => x.label.startsWith('HEADERS stream 3'));
    expect(headers.length).toBeGreaterThanOrEqual(2);
    expect(headers.every((x) => x.substream === 'h2:3' && x.protocol === 'HTTP2')).toBe(true);
    expect(headers[0]).toMatchObject({ fromRole: 'Client', toRole: 'Server' });
    expect(m.find((x) => x.label.startsWith('Magic'))).toMatchObject({ fromRole: 'Client' });
  });

  it('tls13.pcap: the ClientHello from the client, with SNI and ALPN', async () => {
    const m = await appMessages(fixture('tls/tls13.pcap'));
    expect(m[0]).toMatchObject({ protocol: 'TLS', fromRole: 'Client', toRole: 'Server' });
    expect(m[0].label).toMatch(/^ClientHello SNI=\S+ ALPN=/);
    expect(m.some((x) => x.label.startsWith('ServerHello') && x.fromRole === 'Server')).toBe(true);
  });

  it('ids are unique and messages come in frame order', async () => {
    const m = await appMessages(fixture('http2/h2c-node.pcapng'));
    expect(new Set(m.map((x) => x.id)).size).toBe(m.length);
    for (let i = 1; i < m.length; i++) expect(m[i].frame).toBeGreaterThanOrEqual(m[i - 1].frame);
  });
});

describe.skipIf(tsharkMissing)('frames of reassembled PDUs agree with tshark’s tcp.segment', () => {
  const files = ['http', 'tls', 'websocket', 'http2'].flatMap((d) =>
    readdirSync(fixture(d))
      .filter((f) => /\.pcap(ng)?$/.test(f))
      .map((f) => join(d, f)),
  );
  for (const f of files) {
    it(f, async () => {
      const path = fixture(f);
      const rows = tsharkFields(path, ['frame.number', 'tcp.segment']);
      const m = await appMessages(path);
      let compared = 0;
      for (const [n, segs] of rows) {
        if (!segs) continue;
        const spanning = m.filter((x) => x.frame === Number(n) && x.frames.length > 1);
        if (!spanning.length) continue;
        const ours = [...new Set(spanning.flatMap((x) => x.frames))].sort((a, b) => a - b);
        expect(ours, `frame ${n}`).toEqual(segs.split(',').map(Number));
        compared++;
      }
      // Every capture whose PDUs tshark reassembled at all gets compared somewhere.
      if (rows.some((r) => r[1]) && m.some((x) => x.frames.length > 1)) expect(compared).toBeGreaterThan(0);
    });
  }
});
