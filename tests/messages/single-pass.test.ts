// The single pass `wirescope messages --level application` runs (messages made during the
// application pass, shared/messages/single-pass.ts) against the two passes the views run (the
// first pass, then each conversation's frames dissected again, shared/messages/messages.ts), on
// every capture of the fixtures and of tcpdump's corpus: the same messages, in the same order,
// with the same frames, roles and text.
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { indexFile, frameReader } from '../../electron/backend/index-file';
import { engineWith } from '../../electron/cli/engine';
import { messagesOfFile } from '../../electron/backend/message-share';
import { Session } from '../../shared/dissect/packet';
import type { TcpState } from '../../shared/conversations/tcp-analysis';
import type { TcpReassembly } from '../../shared/reassembly/tcp-stream';
import { FrameSource } from '../../shared/index/columns';
import { buildMessages, type Message } from '../../shared/messages/messages';
import { capturesUnder, corpusDir, repoRoot } from '../support/captures';

async function singlePass(path: string): Promise<Message[]> {
  const out: Message[] = [];
  await messagesOfFile(path, engineWith([]), (m) => out.push(m));
  return out;
}

async function twoPasses(path: string): Promise<Message[]> {
  const cap = await indexFile(path, { engine: engineWith([]) });
  const ff = frameReader(path, cap.index);
  try {
    const src = new FrameSource(cap.engine, cap.session, cap.index, ff.read);
    return buildMessages(src, { levels: ['application'] }).messages;
  } finally {
    ff.close();
  }
}

describe('application messages in a single pass', () => {
  it('equal those of the two passes on every capture', async () => {
    let compared = 0;
    let messages = 0;
    for (const path of [...capturesUnder(join(repoRoot, 'tests/fixtures')), ...capturesUnder(corpusDir)]) {
      let two: Message[];
      try {
        two = await twoPasses(path);
      } catch {
        // Not a capture the reader accepts: the single pass must refuse it too.
        await expect(singlePass(path), basename(path)).rejects.toThrow();
        continue;
      }
      const one = await singlePass(path);
      expect(one, basename(path)).toEqual(two);
      compared++;
      messages += one.length;
    }
    expect(compared).toBeGreaterThan(100);
    // The fixtures alone hold about a thousand application messages (HTTP, TLS, HTTP/2, gRPC, DNS…).
    expect(messages).toBeGreaterThan(800);
  }, 600_000);
});

describe('a pass without later visits', () => {
  // Captures whose every TCP connection ends (FIN both ways or RST) within the capture.
  const closing = [
    'http/http-basic.pcap',
    'websocket/ws-basic.pcap',
    'tls/tls13.pcap',
    'http2/h2c-node.pcapng',
    'dns/dns-tcp.pcap',
    'captures/lo-http4.pcap',
  ];

  async function stateAfter(file: string, revisits: boolean) {
    const session = new Session();
    session.revisits = revisits;
    await indexFile(join(repoRoot, 'tests/fixtures', file), { engine: engineWith([]), session });
    const tcp = session.peek<TcpState>('tcp')!;
    const ra = session.peek<TcpReassembly>('tcp.reassembly')!;
    return {
      streams: tcp.table.count,
      conns: tcp.convs.filter(Boolean).length,
      reassembling: ra.streams.size,
      http: session.peek<{ convs: Map<number, unknown> }>('http')?.convs.size ?? 0,
    };
  }

  it('keeps no state for a connection once both its directions ended', async () => {
    for (const f of closing) {
      const kept = await stateAfter(f, true);
      expect(kept.streams, f).toBeGreaterThan(0);
      // With later visits every connection's state stays for them…
      expect(kept.conns, f).toBe(kept.streams);
      expect(kept.reassembling, f).toBe(kept.streams);
      // …without, none is left once the connections ended (even after their last ACKs).
      expect(await stateAfter(f, false), f).toEqual({
        streams: kept.streams,
        conns: 0,
        reassembling: 0,
        http: 0,
      });
    }
  });
});
