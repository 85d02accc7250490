// What HTTP/1.x makes of the real captures beyond tshark's fields: reassembly (the body in the
// frame that completes it, with its segment list), decoded bodies as new data sources, the
// WebSocket handshake check, application messages (REST, GraphQL, SSE, long polling).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findItems } from '../../shared/dissect/query';
import type { Dissection } from '../../shared/dissect/types';
import { dissectFile } from '../support/dissect-file';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'http');
const frames = (f: string) => dissectFile(join(DIR, f)).frames;
const messages = (ds: Dissection[], proto = 'http') =>
  ds.flatMap((d) => (d.messages ?? []).filter((m) => m.proto === proto).map((m) => `${d.frame} ${m.label}`));
const values = (d: Dissection, abbrev: string) => findItems(d, abbrev).map((it) => it.value);

describe('HTTP on real captures', () => {
  it('REST over keep-alive: one message per request and response, labels as the issue spells them', () => {
    expect(messages(frames('http-basic.pcap'))).toEqual([
      '4 GET /page.html',
      '6 200 OK (text/html)',
      '8 GET /api/users/42',
      '9 200 OK (application/json)',
      '10 GET /nosuch',
      '11 404 Not Found (text/plain)',
      '18 HEAD /page.html',
      '20 200 OK',
      '28 POST /form',
      '30 200 OK (text/plain)',
      '38 PUT /api/users/42',
      '40 200 OK (application/json)',
      '48 DELETE /api/users/42',
      '50 204 No Content',
    ]);
  });

  it('a body spanning many segments is dissected once, in the frame completing it, from reassembled data', () => {
    const ds = frames('http-large.pcap');
    const withBody = ds.filter((d) => findItems(d, 'http.file_data').length);
    expect(withBody).toHaveLength(1);
    const d = withBody[0];
    expect(d.sources.some((s) => /^Reassembled TCP \(\d+ bytes\)$/.test(s.name))).toBe(true);
    const segs = findItems(d, 'tcp.segment').map((it) => it.value as number);
    expect(segs.length).toBeGreaterThan(20);
    // Every other segment of the response points at this frame.
    for (const n of segs.filter((n) => n !== d.frame))
      expect(values(ds[n - 1], 'tcp.reassembled_in')).toEqual([d.frame]);
    expect((values(d, 'http.file_data')[0] as string).length).toBe(40000);
  });

  it('chunked: de-chunked body as its own data source, trailer shown', () => {
    const d = frames('http-chunked.pcap').find((x) => findItems(x, 'http.chunk_size').length)!;
    expect(values(d, 'http.chunk_size')).toEqual([12, 3000, 11, 0]);
    expect(values(d, 'http.chunked_trailer_part')).toEqual(['X-Checksum: abc123\r\nX-Count: 3\r\n']);
    expect(d.sources.map((s) => s.name)).toContain('De-chunked entity body (3023 bytes)');
  });

  it('gzip, deflate (zlib and raw) and br bodies decoded into "Uncompressed entity body"', () => {
    const ds = frames('http-encodings.pcap').filter((d) => findItems(d, 'http.content_encoding').length);
    expect(ds).toHaveLength(4);
    for (const d of ds) {
      expect(d.sources.some((s) => /^Uncompressed entity body \(\d+ bytes\)$/.test(s.name))).toBe(true);
      expect(d.protocols).toContain('json');
      expect(JSON.parse(values(d, 'http.file_data')[0] as string).items).toHaveLength(40);
    }
  });

  it('HTTP/1.0 response read until close: completed by the FIN', () => {
    const ds = frames('http10-close.pcap');
    const d = ds.find((x) => findItems(x, 'http.response.code').length)!;
    expect((values(d, 'http.file_data')[0] as string).startsWith('read until close\n')).toBe(true);
    expect(values(d, 'http.content_length')).toEqual([]);
  });

  it('WebSocket handshake: Sec-WebSocket-Accept computed from the key and found matching', () => {
    const ds = frames('http-websocket.pcap');
    expect(messages(ds)).toEqual(['4 GET /chat (Upgrade: websocket)', '6 101 Switching Protocols']);
    const d = ds[5];
    expect(values(d, 'http.sec_websocket_accept.valid')).toEqual([true]);
    expect(values(d, 'http.sec_websocket_accept.expected')).toEqual(values(d, 'http.sec_websocket_accept'));
    expect(
      d.layers.some(
        (l) => l.experts.length && l.proto === 'http' && l.experts.some((e) => e.severity === 'warn'),
      ),
    ).toBe(false);
  });

  it('GraphQL: operation in the request label, data and errors in the response layer', () => {
    const ds = frames('http-graphql.pcap');
    expect(messages(ds).filter((m) => / (POST|GET) /.test(m))).toEqual([
      '4 POST /graphql query GetUser',
      '14 GET /graphql query GetUser',
      '24 POST /graphql query',
      '34 POST /graphql mutation Rename',
    ]);
    const get = ds[13];
    expect(values(get, 'graphql.operation_name')).toEqual(['GetUser']);
    expect(values(get, 'graphql.variables')).toEqual(['{"id":"7"}']);
    expect(values(ds[25], 'graphql.errors')).toEqual([1]);
    expect(values(ds[25], 'graphql.error.message')).toEqual([
      'Cannot query field "nosuchfield" on type "User".',
    ]);
  });

  it('SSE: each event a message, fields decoded', () => {
    const ds = frames('http-sse.pcap');
    expect(messages(ds, 'sse')).toEqual([
      '14 SSE greeting #1 "hello"',
      '14 SSE message #2 "{"n":2}"',
      '14 SSE multi #3 "line one\\nline two"',
    ]);
    const d = ds[13];
    expect(values(d, 'sse.retry')).toEqual([3000]);
    expect(values(d, 'sse.comment')).toEqual(['a comment line']);
  });

  it('long polling: every held GET answered after ≥ 1 s from the second of the series on is noted', () => {
    // Three GETs each held over a second: the first is one slow answer; from the second on the
    // pattern is there. Only earlier requests count, so the first pass says the same.
    const ds = frames('http-longpoll.pcap');
    const notes = ds.flatMap((d) => findItems(d, 'http.long_poll').map(() => d.frame));
    expect(notes).toHaveLength(2);
    const details = ds.flatMap((d) =>
      (d.messages ?? []).filter((m) => m.role === 'server').map((m) => m.detail ?? ''),
    );
    expect(details).toHaveLength(3);
    expect(details[0].startsWith('HTTP/1.1 200')).toBe(true);
    expect(details.slice(1).every((t) => t.startsWith('long poll: held 1.'))).toBe(true);
  });

  it('pipelining: three requests in one segment, three HTTP layers, matched in order', () => {
    const ds = frames('http-pipeline.pcap');
    expect(ds[3].layers.filter((l) => l.proto === 'http')).toHaveLength(3);
    expect(values(ds[3], 'http.response_in')).toEqual([6, 8, 10]);
    expect(values(ds[9], 'http.request_in')).toEqual([4]);
    expect(ds[3].columns.info).toBe('GET /a.txt HTTP/1.1 GET /b.txt HTTP/1.1 GET /c.txt HTTP/1.1 ');
  });

  it('HTTP/2 prior knowledge on an HTTP port (8088) is handed to HTTP/2', () => {
    const ds = frames('http-h2-prior.pcap');
    expect(ds.filter((d) => d.protocols.includes('http2')).length).toBeGreaterThanOrEqual(4);
    expect(ds.some((d) => d.protocols.includes('http'))).toBe(false);
  });
});
