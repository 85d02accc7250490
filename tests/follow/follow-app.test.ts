// Follow for HTTP/2 streams and WebSocket conversations, checked against what the fixture
// scripts sent (tests/fixtures/http2/h2-server.mjs and h2-client.mjs,
// tests/fixtures/websocket/ws-traffic.mjs): the bytes the applications wrote, per direction.
//
// tshark 4.0 does offer `-z follow,http2,hex,N,S`, but prints Wireshark internals rather than
// the stream's payload: each DATA frame whole (the 9-byte frame header and the padding included)
// and each HEADERS frame as its internal decoded-header list (length-prefixed names and values),
// with the nodes in the order its tap first saw them. So HTTP/2 follow here is held to the
// payload the server and client sent instead (FollowResult documents the departure).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  directionBytes,
  FollowError,
  followHttp2,
  followWebSocket,
  formatFollow,
} from '../../shared/follow/follow';
import type { FrameSource } from '../../shared/index/columns';
import { openSource, repoRoot } from './support';

const fixture = (p: string) => join(repoRoot, 'tests/fixtures', p);
const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

describe('follow HTTP/2 (h2c-node.pcapng: node:http2 client and server, padded frames)', () => {
  let src: FrameSource;
  let close = () => {};
  beforeAll(async () => {
    ({ src, close } = await openSource(fixture('http2/h2c-node.pcapng')));
  });
  afterAll(() => close());

  it('stream 1: the page body, server to client only', () => {
    const r = followHttp2(src, 0, 1);
    const [c, s] = directionBytes(r);
    expect(c.length).toBe(0);
    expect(text(s)).toBe('<h1>hello h2c</h1>\n');
    expect(r.filter).toBe('tcp.stream eq 0 and http2.streamid eq 1');
    expect(formatFollow(r, 'ascii').split('\n').slice(0, 7)).toEqual([
      '',
      '===================================================================',
      'Follow: http2,ascii',
      'Filter: tcp.stream eq 0 and http2.streamid eq 1',
      `Node 0: ${r.nodes[0].text}`,
      `Node 1: ${r.nodes[1].text}`,
      '\t19',
    ]);
  });

  it('stream 3: the ~100 KB body over many DATA frames and segments, exactly', () => {
    const [c, s] = directionBytes(followHttp2(src, 0, 3));
    expect(c.length).toBe(0);
    expect(text(s)).toBe('The quick brown fox jumps over the lazy dog. '.repeat(2300));
  });

  it('stream 7: the POSTed JSON one way and its echo the other', () => {
    const [c, s] = directionBytes(followHttp2(src, 0, 7));
    expect(text(c)).toBe(JSON.stringify({ name: 'Ada', id: 7 }));
    expect(text(s)).toBe(JSON.stringify({ name: 'Ada', id: 7 }));
  });

  it('a stream id the connection never used is an error naming it', () => {
    expect(() => followHttp2(src, 0, 999)).toThrow(new FollowError('TCP stream 0 has no HTTP/2 stream 999'));
  });
});

describe('follow HTTP/2 after Upgrade: h2c (h2c-upgrade.pcapng)', () => {
  it('stream 1 (the upgraded request) carries the page', async () => {
    const { src, close } = await openSource(fixture('http2/h2c-upgrade.pcapng'));
    try {
      expect(text(directionBytes(followHttp2(src, 0, 1))[1])).toBe('<h1>upgraded to h2c</h1>\n');
    } finally {
      close();
    }
  });
});

describe('follow WebSocket', () => {
  it('ws-basic.pcap: every data frame unmasked, in order, both ways (the server echoes)', async () => {
    const { src, close } = await openSource(fixture('websocket/ws-basic.pcap'));
    try {
      const r = followWebSocket(src, 0);
      const big = new Uint8Array(70000).map((_, i) => i & 0xff);
      const client = r.chunks.filter((c) => c.node === 0).map((c) => Buffer.from(c.bytes));
      const want = [
        Buffer.from('Hello!'),
        Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
        Buffer.from('x'.repeat(300)),
        Buffer.from(big),
        Buffer.from('Hel'),
        Buffer.from('lo, frag'),
        Buffer.from('ments!'),
        Buffer.from('one'),
        Buffer.from('two'),
        Buffer.from('three'),
        Buffer.from('héllo wörld ✓'),
      ];
      expect(client.map((b) => b.toString('hex'))).toEqual(want.map((b) => b.toString('hex')));
      // The server echoes each message (as one frame) but answers the 70000-byte one with "got it".
      const server = r.chunks.filter((c) => c.node === 1).map((c) => text(c.bytes));
      expect(server).toContain('got it');
      expect(server).toContain('Hello, fragments!');
      expect(server).not.toContain('are you there?');
    } finally {
      close();
    }
  });

  for (const file of ['ws-deflate.pcap', 'ws-nocontext.pcap']) {
    it(`${file}: permessage-deflate messages as the application got them`, async () => {
      const { src, close } = await openSource(fixture(`websocket/${file}`));
      try {
        const line = 'The quick brown fox jumps over the lazy dog. ';
        const r = followWebSocket(src, 0);
        const client = r.chunks.filter((c) => c.node === 0).map((c) => Buffer.from(c.bytes).toString('hex'));
        expect(client).toEqual(
          [
            Buffer.from(line + '1'),
            Buffer.from(line + '2'),
            Buffer.from(line + line + '3'),
            Buffer.alloc(2000, 7),
            Buffer.from('not compressed'),
            Buffer.from('Fragmented and compressed, three parts.'),
            Buffer.from(line + '4'),
          ].map((b) => b.toString('hex')),
        );
        expect(r.chunks.filter((c) => c.node === 1)).toHaveLength(7);
      } finally {
        close();
      }
    });
  }

  it('a TCP stream without WebSocket is an error naming it', async () => {
    const { src, close } = await openSource(join(repoRoot, 'tests/fixtures/captures/lo-http4.pcap'));
    try {
      expect(() => followWebSocket(src, 0)).toThrow('TCP stream 0 carries no WebSocket frames');
    } finally {
      close();
    }
  });
});
