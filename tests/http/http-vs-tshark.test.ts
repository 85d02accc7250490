// HTTP/1.x and its bodies against tshark 4.0 (-2) on real traffic: the captures in
// tests/fixtures/http (node:http, ws and node:http2 servers, curl and raw clients, see its README).
// Every -T fields cell of http.*, json.*, urlencoded-form.*, media.*, the body protocols,
// frame.protocols, the Protocol and Info columns, on every frame. The odd-port capture is compared
// with tshark told `-d tcp.port==8123,http` (Wirescope finds HTTP there by its heuristic). What
// differs is listed below with its reason; anything else fails.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dissectFile } from '../support/dissect-file';
import { tsharkFields, tsharkMissing } from '../support/tshark';
import { diffFile, expandFields, ourCell, type Mismatch } from '../tshark/diff-lib';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'http');
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.pcap') && f !== 'http-odd-port.pcap')
  .sort();

const EXCUSED: readonly { file: RegExp; frames?: readonly number[]; field: RegExp; reason: string }[] = [
  {
    file: /^http-pipeline\.pcap$/,
    frames: [4, 6, 8, 10],
    field:
      /^http\.(request_number|response_number|response_in|request_in|time|prev_request_in|next_request_in|prev_response_in|next_response_in|response_for\.uri)$/,
    reason:
      'Three pipelined requests in one segment: Wireshark 4.0 keeps its request/response data per frame, so all three requests of frame 4 read back as the last one (request 3/3, response in 6 for each) and the responses match only one of them; Wirescope keeps each message (`frame:index`) and matches them in order (RFC 9112 §9.3.2).',
  },
  {
    file: /^(http-pipeline|http-h2-prior)\.pcap$/,
    field: /^frame\.protocols$/,
    reason:
      'Several PDUs in one segment: the engine lists a protocol once per layer (`http:http:http`, `http2:http2`), Wireshark once per frame; and on the prior-knowledge connection Wireshark lists the `http` that handed the preface to HTTP/2, where Wirescope hands the bytes over before any HTTP layer.',
  },
  {
    file: /^http-h2-prior\.pcap$/,
    field: /^_ws\.col\.Info$/,
    reason: "HTTP/2's Info column (the DATA body's media type): shared/dissectors/http2.ts, not HTTP/1.x.",
  },
  {
    file: /^http-continue\.pcap$/,
    frames: [6, 10],
    field: /^http\.(response_for\.uri|next_request_in|next_response_in|request_number)$/,
    reason:
      "100-continue: the request head (frame 4) waits for its body (frame 10), so in Wirescope the 100 Continue (frame 6) comes before any request of the connection and answers none. Wireshark's first pass dissects the head alone in frame 4 as request 1 before reassembling it with the body as request 2, and links the 100 to it.",
  },
  {
    file: /^http-websocket\.pcap$/,
    field: /^frame\.protocols$/,
    reason:
      "WebSocket frames after the 101: Wireshark reaches the websocket dissector through http (`tcp:http:websocket`); Wirescope's TCP switches the stream to WebSocket itself (side.switchTo), so there is no http layer in those frames.",
  },
  {
    file: /^http-sse\.pcap$/,
    field: /^(frame\.protocols|media|media\.type)$/,
    reason:
      'text/event-stream: Wireshark 4.0 has no SSE dissector and shows Media Type; Wirescope decodes the events (`sse`).',
  },
  {
    file: /^http-graphql\.pcap$/,
    field: /^frame\.protocols$/,
    reason:
      'GraphQL over HTTP: a `graphql` layer after the JSON (or the URL of the GET form) that Wireshark 4.0 does not have.',
  },
  {
    file: /^http-snaplen\.pcap$/,
    field: /./,
    reason:
      'Segments cut by the snaplen: TCP reassembly drops a PDU it cannot complete, so the captured part of a cut response gets no HTTP layer; Wireshark dissects it as far as captured. Reported in /work/briefs/bugs-http.md; the requests (whole) are compared, see the snaplen test below.',
  },
];

function excused(file: string, m: Mismatch): boolean {
  return EXCUSED.some(
    (e) => e.file.test(file) && e.field.test(m.field) && (!e.frames || e.frames.includes(m.frame)),
  );
}

const FIELDS = [
  'http.*',
  'http',
  'json.*',
  'json',
  'urlencoded-form.*',
  'urlencoded-form',
  'data-text-lines',
  'media',
  'media.type',
  'frame.protocols',
  '_ws.col.Protocol',
  '_ws.col.Info',
];

describe.skipIf(!!tsharkMissing)(`HTTP against tshark -2 on real captures ${tsharkMissing}`, () => {
  const fields = tsharkMissing ? [] : expandFields(FIELDS).fields;

  it('has the captures', () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
  });

  it.each(files.map((f) => [f, join(DIR, f)]))('%s: -T fields cells', (name, path) => {
    const d = diffFile(path, fields);
    expect(d.errors).toEqual([]);
    const bad = d.mismatches
      .filter((m) => !excused(name, m))
      .slice(0, 20)
      .map(
        (m) =>
          `frame ${m.frame} ${m.field}: ours ${JSON.stringify(m.ours)} tshark ${JSON.stringify(m.tshark)}`,
      );
    expect(bad).toEqual([]);
    // The comparison saw HTTP: every file has HTTP cells on both sides.
    expect(d.frames).toBeGreaterThan(0);
  });

  it('http-odd-port.pcap: port 8123 found by the heuristic, tshark with -d tcp.port==8123,http', () => {
    const path = join(DIR, 'http-odd-port.pcap');
    const ours = dissectFile(path).frames;
    const theirs = tsharkFields(path, fields, ['-2', '-d', 'tcp.port==8123,http']);
    expect(ours.length).toBe(theirs.length);
    const bad: string[] = [];
    let httpFrames = 0;
    ours.forEach((d, i) => {
      if (d.protocols.includes('http')) httpFrames++;
      fields.forEach((f, j) => {
        const o = ourCell(d, f);
        if (o !== (theirs[i][j] ?? ''))
          bad.push(`frame ${i + 1} ${f}: ours ${JSON.stringify(o)} tshark ${JSON.stringify(theirs[i][j])}`);
      });
    });
    expect(bad).toEqual([]);
    expect(httpFrames).toBe(4);
  });

  it('http-snaplen.pcap: whole requests match tshark; cut responses invent nothing', () => {
    const path = join(DIR, 'http-snaplen.pcap');
    const ours = dissectFile(path).frames;
    const req = expandFields([
      'http.request.method',
      'http.request.uri',
      'http.host',
      'http.request.full_uri',
    ]).fields;
    const theirs = tsharkFields(path, ['http.request', 'http.file_data', ...req], ['-2']);
    let requests = 0;
    ours.forEach((d, i) => {
      const [isReq, , ...cells] = theirs[i];
      if (isReq === '1') {
        requests++;
        expect(req.map((f) => ourCell(d, f))).toEqual(cells);
      }
      // Never a body longer than what the frames hold (nothing invented).
      const body = ourCell(d, 'http.file_data');
      expect(body.length).toBeLessThanOrEqual(d.layers.reduce((n, l) => Math.max(n, l.length), 0));
    });
    expect(requests).toBe(3);
  });
});
