// The parallel `messages --level application` pass (docs/decisions/parallel-messages.md) against
// the single pass, on every capture of the fixtures and of tcpdump's corpus: each share run in
// this thread with small batches, their batches merged in a round-robin interleaving, must print
// exactly the single pass's lines (order, stream numbers, roles, text), readable and JSON. Then
// the built CLI with real worker threads against itself on one thread.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { messagesOfFile, runShare } from '../../electron/backend/message-share';
import { messageJson, messageLine } from '../../electron/cli/message-format';
import { engineWith } from '../../electron/cli/engine';
import { ShareMerger, type ShareBatch } from '../../shared/messages/merge';
import { capturesUnder, corpusDir, repoRoot } from '../support/captures';
import { buildCli, lines, runCli } from '../cli/cli-support';

async function singlePass(path: string, json: boolean): Promise<string[]> {
  const out: string[] = [];
  await messagesOfFile(path, engineWith([]), (m) => out.push(json ? messageJson(m) : messageLine(m)));
  return out;
}

/** The shares one after another in this thread, then merged; also which shares sent messages. */
async function parallel(
  path: string,
  shares: number,
  json: boolean,
): Promise<{ out: string[]; busy: number }> {
  const batches: ShareBatch[][] = [];
  let busy = 0;
  for (let share = 0; share < shares; share++) {
    const bs: ShareBatch[] = [];
    await runShare({ path, engine: engineWith([]), shares, share, json, batchFrames: 5 }, (b) => bs.push(b));
    if (bs.some((b) => b.messages.length)) busy++;
    batches.push(bs);
  }
  const out: string[] = [];
  const utf8 = new TextDecoder();
  const merger = new ShareMerger(shares, (text, from, mid, name, to) =>
    out.push(utf8.decode(text.subarray(from, mid)) + name + utf8.decode(text.subarray(mid, to))),
  );
  for (let k = 0; batches.some((bs) => k < bs.length); k++)
    for (const bs of batches) if (k < bs.length) merger.add(bs[k]);
  return { out, busy };
}

describe('application messages on several threads', () => {
  it('merge into the single pass’s lines on every capture', async () => {
    let compared = 0;
    let spread = 0;
    for (const path of [...capturesUnder(join(repoRoot, 'tests/fixtures')), ...capturesUnder(corpusDir)]) {
      let one: string[];
      try {
        one = await singlePass(path, false);
      } catch {
        continue; // Not a capture the reader accepts (the CLI test below covers the error).
      }
      const shares = 2 + (compared % 2);
      const r = await parallel(path, shares, false);
      expect(r.out, `${basename(path)}, ${shares} shares`).toEqual(one);
      if (r.busy > 1) spread++;
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
    // Most fixtures are one address pair (loopback), so mostly one share is busy: the grown
    // captures below split for real.
    expect(spread).toBeGreaterThan(0);
  }, 600_000);

  it('merge JSON lines the same way, the stream field renumbered', async () => {
    for (const f of ['captures/lo-http4.pcap', 'dns/dns-udp.pcap', 'grpc/grpc.pcapng']) {
      const path = join(repoRoot, 'tests/fixtures', f);
      const one = await singlePass(path, true);
      expect((await parallel(path, 2, true)).out, f).toEqual(one);
    }
  });
});

/**
 * Fixtures grown into captures with many address pairs (../shared/bench/make-big-capture.py: each
 * replica shifts every IPv4 address), so the shares really split them; empty without the script.
 */
function grown(): string[] {
  if (!existsSync(grow)) return [];
  const dir = mkdtempSync(join(tmpdir(), 'wirescope-grown-'));
  const out: string[] = [];
  for (const f of GROWN) {
    const base = join(repoRoot, 'tests/fixtures', f);
    const packets = 7 * Number(execFileSync('python3', ['-c', COUNT, base], { encoding: 'utf8' }));
    const to = join(dir, basename(f));
    execFileSync('python3', [grow, base, to, '-n', String(packets)], { stdio: 'ignore' });
    out.push(to);
  }
  return out;
}

const grow = join(repoRoot, '../shared/bench/make-big-capture.py');
const GROWN = [
  'http/http-basic.pcap',
  'http/http-pipeline.pcap',
  'http/http-websocket.pcap',
  'http/http-longpoll.pcap',
  'websocket/ws-basic.pcap',
  'websocket/ws-deflate.pcap',
  'dns/dns-udp.pcap',
  'dns/dns-tcp.pcap',
  'captures/lo-http4.pcap',
];
/** Packets of a little-endian or big-endian classic pcap (records walked, 16-byte headers). */
const COUNT = `import sys,struct
b=open(sys.argv[1],'rb').read()
e='<' if b[:4] in (b'\\xd4\\xc3\\xb2\\xa1', b'\\x4d\\x3c\\xb2\\xa1') else '>'
o=24;n=0
while o+16<=len(b):
  o+=16+struct.unpack(e+'I',b[o+8:o+12])[0];n+=1
print(n)`;

describe('application messages on several threads, many address pairs', () => {
  const files = grown();
  it.skipIf(!files.length)(
    'merge into the single pass’s lines with every share busy (needs ../shared/bench/make-big-capture.py)',
    async () => {
      for (const path of files) {
        const one = await singlePass(path, false);
        for (const shares of [2, 3]) {
          const r = await parallel(path, shares, false);
          // UDP stays in share 0 (QUIC connections move between address pairs).
          const udpOnly = basename(path) === 'dns-udp.pcap';
          expect(r.busy, `${basename(path)}, ${shares} shares`).toBe(udpOnly ? 1 : shares);
          expect(r.out, `${basename(path)}, ${shares} shares`).toEqual(one);
        }
        const json = await singlePass(path, true);
        expect((await parallel(path, 2, true)).out, basename(path)).toEqual(json);
      }
    },
    600_000,
  );

  it.skipIf(!files.length)(
    'through the built CLI with worker threads, as on one thread',
    () => {
      buildCli();
      for (const path of files) {
        const args = ['messages', path, '--level', 'application'];
        const one = runCli(args, { env: { WIRESCOPE_SHARES: '1' } });
        const two = runCli(args, { env: { WIRESCOPE_SHARES: '2' } });
        expect(one.status).toBe(0);
        expect(two.status, two.stderr).toBe(0);
        expect(lines(two.stdout), basename(path)).toEqual(lines(one.stdout));
        expect(lines(one.stdout).length).toBeGreaterThan(10);
      }
    },
    600_000,
  );
});

/** A copy of a classic little-endian pcap whose record `k` claims an impossible length. */
function damaged(path: string, k: number): string {
  const b = readFileSync(path);
  let o = 24;
  for (let i = 0; i < k; i++) o += 16 + b.readUInt32LE(o + 8);
  b.writeUInt32LE(0x7fffffff, o + 8);
  const to = `${path}.damaged.pcap`;
  writeFileSync(to, b);
  return to;
}

describe('a damaged capture on several threads', () => {
  const files = grown();
  it.skipIf(!files.length)(
    'prints the messages before the damage and the same error as one thread (needs ../shared/bench/make-big-capture.py)',
    () => {
      buildCli();
      const bad = damaged(
        files.find((f) => basename(f) === 'ws-basic.pcap')!,
        400,
      );
      const args = ['messages', bad, '--level', 'application'];
      const one = runCli(args, { env: { WIRESCOPE_SHARES: '1' } });
      const two = runCli(args, { env: { WIRESCOPE_SHARES: '2', WIRESCOPE_DEBUG: '1' } });
      expect(one.status).toBe(1);
      expect(one.stderr).toMatch(/bad packet record at offset \d+ \(packet 401\)/);
      expect(lines(one.stdout).length).toBeGreaterThan(20);
      expect(two.status).toBe(1);
      // WIRESCOPE_DEBUG also prints the error's stack after its line.
      expect(two.stderr.startsWith(`wirescope: messages: 2 threads\n${one.stderr}`)).toBe(true);
      expect(lines(two.stdout)).toEqual(lines(one.stdout));
    },
    600_000,
  );
});

describe('wirescope messages --level application with worker threads', () => {
  beforeAll(() => {
    buildCli();
  });

  it('prints what one thread prints', () => {
    const files = capturesUnder(join(repoRoot, 'tests/fixtures')).filter((f) =>
      /http|dns|ws-|grpc|tls/.test(basename(f)),
    );
    expect(files.length).toBeGreaterThan(10);
    for (const f of files.slice(0, 12)) {
      for (const extra of [[], ['--json']]) {
        const args = ['messages', f, '--level', 'application', ...extra];
        const one = runCli(args, { env: { WIRESCOPE_SHARES: '1' } });
        const two = runCli(args, { env: { WIRESCOPE_SHARES: '2' } });
        expect(two.status, `${basename(f)} ${two.stderr}`).toBe(one.status);
        expect(lines(two.stdout), basename(f)).toEqual(lines(one.stdout));
      }
    }
  });

  it('a file that is not a capture fails the same way', () => {
    const bad = join(repoRoot, 'package.json');
    const one = runCli(['messages', bad, '--level', 'application'], { env: { WIRESCOPE_SHARES: '1' } });
    const two = runCli(['messages', bad, '--level', 'application'], { env: { WIRESCOPE_SHARES: '2' } });
    expect(one.status).toBe(1);
    expect(two.status).toBe(1);
    expect(two.stderr).toBe(one.stderr);
  });
});
