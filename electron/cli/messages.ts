// `wirescope messages FILE [--stream tcp:N|udp:N]… [--level transport|application] [--json]
// [-d …] [-Y FILTER]`: the events a sequence diagram draws (shared/messages/messages.ts), one a line:
//
//     1   0.000000  tcp:0  Client 127.0.0.1:54682 → Server 127.0.0.1:8080  TCP  [SYN] Seq=0 Win=…
//    10   0.003423  tcp:0  Server 127.0.0.1:8080 → Client 127.0.0.1:54682  HTTP  200 OK (text/plain)  [frames 6,8,9,10]
//
// or, with --json, one JSON object a line with every field of the message. -Y FILTER keeps the
// messages of the frames a display filter selects (roles still come from whole conversations).
import type { Dissection } from '../../shared/dissect/types';
import { FrameSource } from '../../shared/index/columns';
import { compileFilter, type Filter } from '../../shared/filter/compile';
import { FollowError } from '../../shared/follow/follow';
import { forEachMessage, type Message, type MessageLevel } from '../../shared/messages/messages';
import { conversationOf, type StreamRef } from '../../shared/messages/source';
import { tcpStreamCount, udpStreamCount } from '../../shared/conversations';
import { readCommandArgs, sharedOption, UsageError, type DecodeAs } from './args';
import { windowedReader } from '../backend/index-file';
import { engineWith } from './engine';
import { guarded, withSource } from './follow';
import { parallelMessages } from '../backend/parallel-messages';
import { messagesOfFile } from '../backend/message-share';
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Out, type Io } from './out';
import { messageJson, messageLine } from './message-format';

export const MESSAGES_USAGE = `Usage: wirescope messages FILE [--stream tcp:N|udp:N]... [--level transport|application]
                          [--json] [-d TABLE==PORT,PROTO] [-Y FILTER]
  the messages of a sequence diagram (every segment/datagram, and what the protocols said), one a line`;

export interface MessagesCommand {
  file: string;
  streams: StreamRef[];
  levels: MessageLevel[];
  json: boolean;
  decodeAs: DecodeAs[];
  /** -Y: a display filter choosing the frames whose messages are shown. */
  filter: string;
}

export function parseMessagesArgs(argv: readonly string[]): MessagesCommand {
  const cmd: MessagesCommand = { file: '', streams: [], levels: [], json: false, decodeAs: [], filter: '' };
  cmd.file = readCommandArgs('messages', argv, 'dY', (o) => {
    if (sharedOption('messages', o, cmd)) return;
    switch (o.name) {
      case '--level': {
        const v = o.value();
        if (v !== 'transport' && v !== 'application')
          throw new UsageError(`messages: --level "${v}": expected transport or application`);
        if (!cmd.levels.includes(v)) cmd.levels.push(v);
        return;
      }
      case '--json':
        cmd.json = true;
        return;
      default:
        throw new UsageError(`messages: unknown option "${o.name}"`);
    }
  });
  return cmd;
}

/** The compiled -Y filter; a bad one is a usage error naming what and where. */
function displayFilter(text: string): Filter {
  const c = compileFilter(text);
  if (!c.ok) throw new UsageError(`-Y "${text}": ${c.error.message} (at character ${c.error.start + 1})`);
  return c.filter;
}

/** Lines printed as they come (a capture's messages can run to gigabytes). */
function lineWriter(
  io: Io,
  format: (m: Message) => string,
): { line: (m: Message) => void; flush: () => void } {
  const w = new Out(io.out);
  return { line: (m) => w.line(format(m)), flush: () => w.flush() };
}

/** Below this a capture is read on one thread: starting workers costs more than they save. */
const PARALLEL_FROM = 16 * 1024 * 1024;

/**
 * Threads for a whole-capture application pass: one per core up to four, for a capture of 16 MiB
 * or more. WIRESCOPE_SHARES=N sets it (1: one thread), for tests and comparisons.
 */
function sharesFor(file: string): number {
  const forced = Number(process.env.WIRESCOPE_SHARES);
  if (Number.isInteger(forced) && forced >= 1) return Math.min(forced, 16);
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    return 1; // The pass reports why the file cannot be read.
  }
  return size >= PARALLEL_FROM ? Math.min(4, availableParallelism()) : 1;
}

export async function runMessages(argv: readonly string[], io: Io): Promise<number> {
  return guarded('messages', io, async (at) => {
    if (argv.includes('-h') || argv.includes('--help')) {
      io.out.write(MESSAGES_USAGE + '\n');
      return 0;
    }
    const cmd = parseMessagesArgs(argv);
    at.file = cmd.file;
    const filter = cmd.filter ? displayFilter(cmd.filter) : null;
    const body = (src: FrameSource): void => {
      for (const s of cmd.streams) {
        if (conversationOf(src.session, s)) continue;
        const n = s.proto === 'tcp' ? tcpStreamCount(src.session) : udpStreamCount(src.session);
        const P = s.proto.toUpperCase();
        throw new FollowError(
          `there is no ${P} stream ${s.stream}: the capture has ${n} ${P} stream${n === 1 ? '' : 's'}${n ? ` (0–${n - 1})` : ''}`,
        );
      }
      const keep = filter
        ? (f: number, d: Dissection) => {
            const frame = src.read(f - 1);
            return frame !== null && filter.test({ d, frame });
          }
        : undefined;
      const out = lineWriter(io, cmd.json ? messageJson : messageLine);
      forEachMessage(src, { streams: cmd.streams, levels: cmd.levels, keep }, out.line);
      out.flush();
    };
    if (!filter && !cmd.streams.length && cmd.levels.length === 1 && cmd.levels[0] === 'application') {
      // Every conversation's application messages: made during the application pass itself, on
      // several threads for a large capture (docs/decisions/parallel-messages.md).
      const shares = sharesFor(cmd.file);
      if (shares > 1) {
        engineWith(cmd.decodeAs); // A bad -d is a usage error before any thread starts.
        if (process.env.WIRESCOPE_DEBUG) io.err.write(`wirescope: messages: ${shares} threads\n`);
        const out = new Out(io.out);
        try {
          await parallelMessages(
            { path: cmd.file, decodeAs: cmd.decodeAs, shares, json: cmd.json },
            out.around,
          );
        } finally {
          out.flush();
        }
        return 0;
      }
      const out = lineWriter(io, cmd.json ? messageJson : messageLine);
      try {
        await messagesOfFile(cmd.file, engineWith(cmd.decodeAs), out.line);
      } finally {
        out.flush();
      }
      return 0;
    }
    await withSource(cmd.file, cmd.decodeAs, (indexed) => {
      const win = windowedReader(cmd.file, indexed.index, indexed.read);
      // The same source, reading frames through windows of the file (see windowedReader).
      const src = new FrameSource(indexed.engine, indexed.session, indexed.index, win.read);
      try {
        body(src);
      } finally {
        win.close();
        // The session reads frames through the plain reader again (the constructor set ours).
        indexed.session.frameBytes = (n) => (n >= 1 && n <= indexed.index.count ? indexed.read(n - 1) : null);
      }
    });
    return 0;
  });
}
