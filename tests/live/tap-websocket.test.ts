// The tap under a real `ws` server and a real `ws` client talking through tap.tcpRelay: the
// written pcapng must read, in tshark and in our engine, as one clean TCP stream carrying the
// WebSocket handshake, every frame (client frames masked) and the close — with no TCP analysis
// warnings, good checksums, the exact bytes each side sent, and the tap comment on every frame.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { TAP_COMMENT, isTapComment } from '../../shared/capture/tap-comment';
import { fieldColumn } from '../../shared/dissect/query';
import { Tap } from '../../electron/live/tap';
import { dissectFile } from '../support/dissect-file';
import { tsharkFields, tsharkMissing } from '../support/tshark';
import { checkTcp, collector, followRaw, parsePacket, readCapture, recorder, until } from './tap-helpers';

const dir = mkdtempSync(join(tmpdir(), 'tap-ws-'));
const file = join(dir, 'ws.pcapng');
let serverPort = 0;
let sent: Buffer;
let received: Buffer;
const serverGot: string[] = [];
let clientGot: string[] = [];
let ends: (string | null)[] = [];

const CK = ['-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE'];

beforeAll(async () => {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/chat', perMessageDeflate: false });
  await new Promise((r) => wss.once('listening', r));
  serverPort = (wss.address() as AddressInfo).port;
  wss.on('connection', (s) => {
    s.send('welcome');
    s.on('message', (d, binary) => {
      serverGot.push(`${binary ? 'bin' : 'text'} ${binary ? (d as Buffer).toString('hex') : d.toString()}`);
      s.send(d as Buffer, { binary });
    });
  });
  const tap = new Tap();
  const sink = collector();
  await tap.start(sink);
  const relay = await tap.tcpRelay({ host: '127.0.0.1', port: serverPort });
  // The recorder stands between the client and the relay: what it logs is exactly what the
  // client sent and received.
  const rec = await recorder({ host: relay.host, port: relay.port });
  const ws = new WebSocket(`ws://127.0.0.1:${rec.port}/chat`, { perMessageDeflate: false });
  const got: string[] = [];
  ws.on('message', (d, binary) =>
    got.push(`${binary ? 'bin' : 'text'} ${binary ? (d as Buffer).toString('hex') : d.toString()}`),
  );
  let pongs = 0;
  ws.on('pong', () => pongs++);
  await new Promise((r, j) => {
    ws.once('open', r);
    ws.once('error', j);
  });
  await until(() => got.length === 1, 5000, 'welcome');
  ws.send('hello, tap');
  await until(() => got.length === 2, 5000, 'echo 1');
  ws.send(Buffer.from([0, 1, 2, 0xfe, 0xff]), { binary: true });
  await until(() => got.length === 3, 5000, 'echo 2');
  ws.send('first half, ', { fin: false });
  ws.send('second half', { fin: true });
  await until(() => got.length === 4, 5000, 'echo 3');
  ws.ping('are you there');
  await until(() => pongs === 1, 5000, 'pong');
  ws.close(1000, 'done');
  await new Promise((r) => ws.once('close', r));
  // The teardown goes on after the client's close event: wait for both FINs and the last ACK.
  await until(
    () => {
      const ps = readCapture(sink.bytes()).packets.map((p) => parsePacket(p.data));
      return ps.filter((p) => p.flags & 1).length === 2 && ps[ps.length - 1].flags === 0x10;
    },
    5000,
    'both FINs and the last ACK',
  );
  clientGot = got;
  await tap.stop();
  ends = sink.ends;
  await rec.close();
  await new Promise((r) => wss.close(r));
  sent = Buffer.concat(rec.sent);
  received = Buffer.concat(rec.received);
  writeFileSync(file, sink.bytes());
}, 30_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tap: WebSocket through tcpRelay', () => {
  it('the application saw every message both ways; the tap ended once, without a problem', () => {
    expect(clientGot).toEqual([
      'text welcome',
      'text hello, tap',
      'bin 000102feff',
      'text first half, second half',
    ]);
    expect(serverGot).toEqual(['text hello, tap', 'bin 000102feff', 'text first half, second half']);
    expect(ends).toEqual([null]);
  });

  it('our reader: one raw-IP interface, every packet commented, a clean TCP stream with the exact bytes', () => {
    const { packets, ifaces, warnings } = readCapture(new Uint8Array(readFileSync(file)));
    expect(warnings).toEqual([]);
    expect(ifaces).toHaveLength(1);
    expect(ifaces[0].linktype).toBe(101);
    expect(ifaces[0].name).toBe('tap');
    expect(
      packets.every(
        (p) => p.comments.length === 1 && p.comments[0] === TAP_COMMENT && isTapComment(p.comments[0]),
      ),
    ).toBe(true);
    const parsed = packets.map((p) => parsePacket(p.data));
    const { problems, bytes } = checkTcp(parsed);
    expect(problems).toEqual([]);
    const c = parsed[0];
    expect(c.dport).toBe(serverPort);
    expect(bytes.get(`${c.src}:${c.sport}>${c.dst}:${c.dport}`)?.equals(sent)).toBe(true);
    expect(bytes.get(`${c.dst}:${c.dport}>${c.src}:${c.sport}`)?.equals(received)).toBe(true);
    // IPv4 header as specified: TTL 64, DF, IDs incrementing by one, total length = the bytes.
    for (const [i, p] of parsed.entries()) {
      expect([p.ttl, p.df, p.ipTotal]).toEqual([64, true, packets[i].data.length]);
      if (i) expect(p.ipId).toBe((parsed[i - 1].ipId + 1) & 0xffff);
    }
    // Timestamps are real and in order.
    const ts = packets.map((p) => p.tsSec * 1e9 + p.tsNsec);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    expect(Math.abs(ts[0] / 1e6 - Date.now())).toBeLessThan(60_000);
  });

  describe.skipIf(!!tsharkMissing)('tshark', () => {
    it('handshake: SYN, SYN-ACK, ACK of one stream, then GET /chat with Upgrade: websocket and 101', () => {
      const rows = tsharkFields(file, [
        'tcp.stream',
        'tcp.flags.str',
        'tcp.srcport',
        'http.request.method',
        'http.request.uri',
        'http.upgrade',
        'http.response.code',
      ]);
      expect(new Set(rows.map((r) => r[0]))).toEqual(new Set(['0']));
      expect(rows.slice(0, 3).map((r) => r[1])).toEqual(['··········S·', '·······A··S·', '·······A····']);
      const get = rows.find((r) => r[3] === 'GET');
      expect(get?.slice(4, 6)).toEqual(['/chat', 'websocket']);
      expect(rows.filter((r) => r[6] === '101')).toHaveLength(1);
    });

    it('every WebSocket frame, client frames masked, server frames not, and the close both ways', () => {
      const rows = tsharkFields(
        file,
        [
          'tcp.dstport',
          'websocket.opcode',
          'websocket.fin',
          'websocket.mask',
          'websocket.payload.close.status_code',
        ],
        ['-Y', 'websocket'],
      );
      const frames = rows.flatMap((r) => {
        const ops = r[1].split(','),
          fins = r[2].split(','),
          masks = r[3].split(',');
        return ops.map((op, i) => ({
          toServer: r[0] === String(serverPort),
          op: Number(op),
          fin: fins[i],
          mask: masks[i],
        }));
      });
      const client = frames.filter((f) => f.toServer);
      const server = frames.filter((f) => !f.toServer);
      expect(client.map((f) => `${f.op}/${f.fin}`)).toEqual(['1/1', '2/1', '1/0', '0/1', '9/1', '8/1']);
      expect(client.every((f) => f.mask === '1')).toBe(true);
      expect(server.map((f) => `${f.op}/${f.fin}`)).toEqual(['1/1', '1/1', '2/1', '1/1', '10/1', '8/1']);
      expect(server.every((f) => f.mask === '0')).toBe(true);
      expect(rows.filter((r) => r[4] === '1000')).toHaveLength(2);
    });

    it('no TCP analysis flags at all (window updates included), checksums good', () => {
      expect(
        tsharkFields(file, ['frame.number', 'tcp.analysis.flags'], ['-Y', 'tcp.analysis.flags']),
      ).toEqual([]);
      const ck = tsharkFields(file, ['ip.checksum.status', 'tcp.checksum.status'], CK);
      expect(ck.length).toBeGreaterThan(10);
      expect(new Set(ck.map((r) => r.join(' ')))).toEqual(new Set(['1 1']));
    });

    it('follow,tcp,raw: exactly the bytes the client sent and received', () => {
      const f = followRaw(file);
      expect(f.node0.equals(sent)).toBe(true);
      expect(f.node1.equals(received)).toBe(true);
    });

    it('every frame carries the tap comment', () => {
      const rows = tsharkFields(file, ['frame.comment']);
      expect(rows.length).toBeGreaterThan(10);
      expect(new Set(rows.map((r) => r[0]))).toEqual(new Set([TAP_COMMENT]));
    });

    it('our engine decodes the same frames, with the websocket layer where tshark has it', () => {
      const ts = tsharkFields(file, [
        'frame.protocols',
        'websocket.opcode',
        'websocket.mask',
        'tcp.seq',
        'tcp.ack',
        'tcp.len',
      ]);
      const { frames, warnings } = dissectFile(file);
      expect(warnings).toEqual([]);
      expect(frames).toHaveLength(ts.length);
      frames.forEach((d, i) => {
        const hasWs = ts[i][0].split(':').includes('websocket');
        expect(d.protocols.includes('websocket'), `frame ${i + 1}`).toBe(hasWs);
        expect(fieldColumn(d, 'websocket.opcode'), `frame ${i + 1}`).toBe(ts[i][1]);
        expect(fieldColumn(d, 'websocket.mask'), `frame ${i + 1}`).toBe(ts[i][2]);
        expect(
          [fieldColumn(d, 'tcp.seq'), fieldColumn(d, 'tcp.ack'), fieldColumn(d, 'tcp.len')],
          `frame ${i + 1}`,
        ).toEqual(ts[i].slice(3, 6));
        expect(fieldColumn(d, 'frame.comment')).toBe(TAP_COMMENT);
      });
    });
  });
});
