// The single pass `wirescope messages --level application` runs (messages made during the
// application pass, shared/messages/single-pass.ts) against the two passes the views run (the
// first pass, then each conversation's frames dissected again, shared/messages/messages.ts), on
// every capture of the fixtures and of tcpdump's corpus: the same messages, in the same order,
// with the same frames, roles and text.
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { indexFile, frameReader } from '../../electron/backend/index-file';
import { engineWith } from '../../electron/cli/follow';
import { messagesOfFile } from '../../electron/backend/message-share';
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
