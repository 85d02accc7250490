// The conversations API (shared/conversations/index.ts) against tshark's `-z conv,tcp` and
// `-z conv,udp` tables on real traffic: endpoints, frames and bytes per direction, relative start
// and duration; stream lookups per frame against tcp.stream / udp.stream; and the
// direction-independent key.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createReader } from '../../shared/capture/reader';
import { Session } from '../../shared/dissect/packet';
import { ipv4Text, ipv6Text } from '../../shared/dissect/format';
import { createEngine } from '../../shared/dissectors/index';
import { metaOf } from '../support/dissect-file';
import { tsharkFields, tsharkMissing, tsharkPath } from '../support/tshark';
import {
  conversationKey,
  tcpConversation,
  tcpConversations,
  tcpStreamCount,
  tcpStreamOfFrame,
  udpConversations,
  udpStreamCount,
  udpStreamOfFrame,
  type ConversationInfo,
} from '../../shared/conversations/index';

const FIXTURES = join(__dirname, '../../tests/fixtures/l4');
const files = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.pcap'))
  .map((f) => join(FIXTURES, f));

/** The index pass over a file (tree and columns off), as the app opens it. */
function firstPass(file: string): { session: Session; frames: number; t0: [number, number] } {
  const engine = createEngine();
  const session = new Session();
  let frames = 0;
  let t0: [number, number] = [0, 0];
  const reader = createReader({
    packet(p) {
      const meta = metaOf(p);
      if (meta.number === 1) t0 = [meta.tsSec, meta.tsNsec];
      engine.dissect(p.data, meta, session, false, false);
      session.lastVisited = meta.number;
      frames++;
    },
  });
  reader.push(new Uint8Array(readFileSync(file)));
  reader.end();
  return { session, frames, t0 };
}

function endpoint(c: ConversationInfo, which: 0 | 1): string {
  const a = which === 0 ? c.addressA : c.addressB;
  const port = which === 0 ? c.portA : c.portB;
  return `${c.netType === 4 ? ipv4Text(a) : ipv6Text(a)}:${port}`;
}

/** Byte counts as tshark's tables print them (format_size, SI units from 10 000 on). */
function size(n: number): string {
  if (n < 10000) return `${n} bytes`;
  if (n < 10000000) return `${Math.floor(n / 1000)} kB`;
  return `${Math.floor(n / 1000000)} MB`;
}

/** One row as tshark prints it (endpoints, frames and bytes each way, relative start, duration). */
function row(c: ConversationInfo, t0: [number, number]): string {
  const rel = (c.startSec - t0[0]) * 1e9 + (c.startNsec - t0[1]);
  const dur = (c.endSec - c.startSec) * 1e9 + (c.endNsec - c.startNsec);
  return [
    endpoint(c, 0),
    endpoint(c, 1),
    c.packetsBA,
    size(c.bytesBA),
    c.packetsAB,
    size(c.bytesAB),
    (rel / 1e9).toFixed(9),
    (dur / 1e9).toFixed(4),
  ].join(' ');
}

function tsharkConv(file: string, kind: 'tcp' | 'udp'): string[] {
  const out = execFileSync(tsharkPath, ['-n', '-q', '-r', file, '-z', `conv,${kind}`], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out
    .split('\n')
    .filter((l) => l.includes('<->'))
    .map((l) => {
      const m =
        /^(\S+)\s+<->\s+(\S+)\s+(\d+)\s+(\d+ \w+)\s+(\d+)\s+(\d+ \w+)\s+\d+\s+\d+ \w+\s+(\S+)\s+(\S+)/.exec(
          l.trim(),
        );
      if (!m) throw new Error(`cannot read tshark row: ${l}`);
      return m.slice(1, 9).join(' ');
    })
    .sort();
}

describe.skipIf(!!tsharkMissing)(`conversations against tshark -z conv ${tsharkMissing}`, () => {
  it.each(files.map((f) => [f.split('/').pop()!, f]))('%s: TCP and UDP conversation tables', (_n, file) => {
    const { session, t0 } = firstPass(file);
    for (const [kind, list] of [
      ['tcp', tcpConversations(session)],
      ['udp', udpConversations(session)],
    ] as const) {
      const ours = list
        .filter((c) => c.packetsAB + c.packetsBA > 0)
        .map((c) => row(c, t0))
        .sort();
      expect(ours, `${kind} conversations`).toEqual(tsharkConv(file, kind));
    }
  });

  it.each(files.map((f) => [f.split('/').pop()!, f]))(
    '%s: stream of every frame and stream counts',
    (_n, file) => {
      const { session, frames } = firstPass(file);
      const t = tsharkFields(file, ['tcp.stream', 'udp.stream'], ['-2']);
      const tcp: string[] = [];
      const udp: string[] = [];
      for (let n = 1; n <= frames; n++) {
        const s = tcpStreamOfFrame(session, n);
        const u = udpStreamOfFrame(session, n);
        tcp.push(s < 0 ? '' : String(s));
        udp.push(u < 0 ? '' : String(u));
      }
      // A quoted packet inside an ICMP error has a second tcp/udp layer only when it is the first one.
      expect(tcp).toEqual(t.map((r) => r[0].split(',')[0]));
      expect(udp).toEqual(t.map((r) => r[1].split(',')[0]));
      const maxTcp = Math.max(-1, ...t.flatMap((r) => r[0].split(',').filter(Boolean).map(Number)));
      const maxUdp = Math.max(-1, ...t.flatMap((r) => r[1].split(',').filter(Boolean).map(Number)));
      expect(tcpStreamCount(session)).toBe(maxTcp + 1);
      expect(udpStreamCount(session)).toBe(maxUdp + 1);
    },
  );
});

describe('conversation keys', () => {
  const a = new Uint8Array([10, 0, 0, 1]);
  const b = new Uint8Array([10, 0, 0, 2]);
  it('are the same in both directions, with the direction beside', () => {
    const ab = conversationKey('tcp', a, 40000, b, 80);
    const ba = conversationKey('tcp', b, 80, a, 40000);
    expect(ab.key).toBe(ba.key);
    expect(ab.dir).not.toBe(ba.dir);
    expect(conversationKey('udp', a, 40000, b, 80).key).not.toBe(ab.key);
    expect(conversationKey('tcp', a, 40001, b, 80).key).not.toBe(ab.key);
  });
  it('order equal addresses by port', () => {
    const x = conversationKey('tcp', a, 2, a, 1);
    const y = conversationKey('tcp', a, 1, a, 2);
    expect(x.key).toBe(y.key);
    expect([x.dir, y.dir].sort()).toEqual([0, 1]);
  });
  it('an unknown stream has no conversation', () => {
    expect(tcpConversation(new Session(), 0)).toBeNull();
  });
});
