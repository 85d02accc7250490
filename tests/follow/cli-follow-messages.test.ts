// The `follow` and `messages` commands through the built CLI, as a user runs them: follow prints
// exactly what `tshark -q -z follow,…` prints; messages one readable line (or one JSON object)
// per message; -d decode-as works for both; bad input is one line on stderr and exit status 2
// (1 when the file cannot be read).
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, lines, runCli } from '../cli/cli-support';
import { tsharkMissing, tsharkPath } from '../support/tshark';
import { execFileSync } from 'node:child_process';
import { repoRoot } from './support';

const fx = (p: string) => join(repoRoot, 'tests/fixtures', p);

function tshark(args: string[]): string {
  return execFileSync(tsharkPath, ['-n', ...args], {
    encoding: 'latin1',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

describe('wirescope follow', () => {
  beforeAll(() => {
    buildCli();
  });

  it.skipIf(tsharkMissing)('prints tshark’s follow output for TCP and UDP, in every format', () => {
    for (const [file, kind, n] of [
      ['captures/tcp-analysis-edited.pcap', 'tcp', 0],
      ['captures/lo-http6.pcapng', 'tcp', 0],
      ['dns/dns-udp.pcap', 'udp', 3],
    ] as const) {
      for (const format of ['ascii', 'hex', 'raw']) {
        const r = runCli(['follow', fx(file), `--${kind}`, String(n), '--format', format]);
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        expect(Buffer.from(r.stdout, 'utf8').toString('latin1')).toBe(
          tshark(['-q', '-r', fx(file), '-z', `follow,${kind},${format},${n}`]),
        );
      }
    }
  });

  it('ascii is the default; --http2 N:S and --websocket N follow inside a TCP stream', () => {
    const a = runCli(['follow', fx('captures/lo-http4.pcap'), '--tcp=0']);
    expect(a.status).toBe(0);
    expect(lines(a.stdout)[2]).toBe('Follow: tcp,ascii');
    const h = runCli(['follow', fx('http2/h2c-node.pcapng'), '--http2', '0:1']);
    expect(h.status).toBe(0);
    expect(lines(h.stdout).slice(2, 4)).toEqual([
      'Follow: http2,ascii',
      'Filter: tcp.stream eq 0 and http2.streamid eq 1',
    ]);
    expect(h.stdout).toContain('\t19\n<h1>hello h2c</h1>\n');
    const w = runCli(['follow', fx('http/http-websocket.pcap'), '--websocket', '0']);
    expect(w.status).toBe(0);
    expect(w.stdout).toContain('\n6\nHello!\n\t12\necho: Hello!\n');
  });

  it('-d decode-as: WebSocket on a port only decode-as reveals (ws-midstream.pcap)', () => {
    const without = runCli(['follow', fx('websocket/ws-midstream.pcap'), '--websocket', '0']);
    expect(without.status).toBe(2);
    expect(lines(without.stderr)).toEqual([
      `wirescope: follow: ${fx('websocket/ws-midstream.pcap')}: TCP stream 0 carries no WebSocket frames`,
    ]);
    const r = runCli([
      'follow',
      fx('websocket/ws-midstream.pcap'),
      '--websocket',
      '0',
      '-d',
      'tcp.port==8080,websocket',
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('\none\n');
  });

  it('bad input: one line naming the problem, exit status 2 (1 for an unreadable file)', () => {
    const file = fx('captures/lo-http4.pcap');
    const cases: [string[], RegExp, number][] = [
      [['follow', file, '--tcp', '7'], /there is no TCP stream 7: the capture has 1 TCP stream \(0–0\)/, 2],
      [['follow', file, '--udp', '0'], /there is no UDP stream 0: the capture has 0 UDP streams/, 2],
      [['follow', file, '--tcp', 'x'], /--tcp "x": expected a stream number/, 2],
      [['follow', file], /say which stream: --tcp N, --udp N, --http2 N:S or --websocket N/, 2],
      [['follow', file, '--tcp', '0', '--udp', '0'], /one stream at a time/, 2],
      [['follow', file, '--http2', '0'], /--http2 "0": expected TCP-STREAM:HTTP2-STREAM/, 2],
      [['follow', file, '--tcp', '0', '--format', 'bin'], /--format "bin": expected ascii, hex or raw/, 2],
      [['follow', file, '--tcp', '0', '-d', 'tcp.port==80,nosuch'], /no dissector named "nosuch"/, 2],
      [['follow', fx('no-such.pcap'), '--tcp', '0'], /no-such\.pcap: cannot open: no such file/, 1],
    ];
    for (const [args, message, status] of cases) {
      const r = runCli(args);
      expect(r.status, args.join(' ')).toBe(status);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(lines(r.stderr), args.join(' ')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  });
});

describe('wirescope messages', () => {
  beforeAll(() => {
    buildCli();
  });

  it('one line per message: frame, time, stream, roles and endpoints, protocol, label', () => {
    const r = runCli(['messages', fx('captures/lo-http4.pcap')]);
    expect(r.status).toBe(0);
    const out = lines(r.stdout);
    expect(out[0]).toBe(
      '    1   0.000000  tcp:0  Client 127.0.0.1:54682 \u2192 Server 127.0.0.1:8080  TCP  [SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=31882267 TSecr=0 WS=1024',
    );
    expect(out).toContain(
      '   10   0.003423  tcp:0  Server 127.0.0.1:8080 \u2192 Client 127.0.0.1:54682  HTTP  200 OK (text/plain)  [frames 6,8,9,10]',
    );
    // 16 segments and 2 HTTP messages.
    expect(out).toHaveLength(18);
  });

  it('--stream and --level choose; --json gives every field', () => {
    const r = runCli([
      'messages',
      fx('dns/dns-udp.pcap'),
      '--stream',
      'udp:1',
      '--level',
      'application',
      '--json',
    ]);
    expect(r.status).toBe(0);
    const ms = lines(r.stdout).map((l) => JSON.parse(l));
    expect(ms.map((m) => [m.frame, m.fromRole, m.toRole, m.protocol, m.label])).toEqual([
      [3, 'Client', 'Resolver', 'DNS', 'DNS query AAAA example.com'],
      [4, 'Resolver', 'Client', 'DNS', 'DNS response AAAA example.com \u2192 2001:db8::10'],
    ]);
    expect(Object.keys(ms[0]).sort()).toEqual(
      [
        'detail',
        'direction',
        'frame',
        'frames',
        'from',
        'fromRole',
        'id',
        'label',
        'level',
        'protocol',
        'relative',
        'stream',
        'time',
        'to',
        'toRole',
      ].sort(),
    );
    const t = runCli([
      'messages',
      fx('dns/dns-udp.pcap'),
      '--stream=udp:1',
      '--stream=udp:2',
      '--level=transport',
    ]);
    expect(lines(t.stdout).map((l) => l.split(/\s+/)[1])).toEqual(['3', '4', '5', '6']);
    expect(t.stdout).toMatch(/UDP {2}Len=\d+/);
  });

  it('-d decode-as reaches the dissectors', () => {
    const plain = runCli(['messages', fx('http/http-odd-port.pcap'), '--level', 'application']);
    const decoded = runCli([
      'messages',
      fx('http/http-odd-port.pcap'),
      '--level',
      'application',
      '-d',
      'tcp.port==8123,data',
    ]);
    expect(plain.stdout).toContain('HTTP  GET /page.html');
    // Decoded as raw data, the HTTP messages are gone.
    expect(decoded.status).toBe(0);
    expect(decoded.stdout).toBe('');
  });

  it('-Y keeps the messages of the frames a display filter selects, roles from the whole stream', () => {
    const r = runCli([
      'messages',
      fx('http/http-basic.pcap'),
      '--level',
      'application',
      '-Y',
      'http.request.method == "POST" or http.response.code == 204',
    ]);
    expect(r.status).toBe(0);
    expect(lines(r.stdout).map((l) => l.replace(/^.*?tcp:\d+ {2}/, ''))).toEqual([
      expect.stringMatching(
        /^Client 127\.0\.0\.1:\d+ \u2192 Server 127\.0\.0\.1:8080 {2}HTTP {2}POST \/form$/,
      ),
      expect.stringMatching(
        /^Server 127\.0\.0\.1:8080 \u2192 Client 127\.0\.0\.1:\d+ {2}HTTP {2}204 No Content$/,
      ),
    ]);
    const bad = runCli(['messages', fx('http/http-basic.pcap'), '-Y', 'http.request.method ==']);
    expect(bad.status).toBe(2);
    expect(lines(bad.stderr)).toHaveLength(1);
    expect(bad.stderr).toMatch(/-Y "http\.request\.method ==": .* \(at character \d+\)/);
  });

  it('bad input: one line naming the problem', () => {
    const file = fx('captures/lo-http4.pcap');
    const cases: [string[], RegExp][] = [
      [['messages', file, '--stream', 'tcp:7'], /messages: .*lo-http4\.pcap: there is no TCP stream 7/],
      [['messages', file, '--stream', 'sctp:1'], /--stream "sctp:1": expected tcp:N or udp:N/],
      [['messages', file, '--level', 'session'], /--level "session": expected transport or application/],
      [['messages', file, '--frobnicate'], /unknown option "--frobnicate"/],
      [['messages'], /no capture file given/],
    ];
    for (const [args, message] of cases) {
      const r = runCli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(lines(r.stderr), args.join(' ')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  });
});
