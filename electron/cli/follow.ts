// `wirescope follow FILE --tcp N|--udp N|--http2 N:S|--websocket N [--format ascii|hex|raw]
// [-d …]`: the payload of one conversation in tshark's `-q -z follow,…` layout
// (shared/follow/follow.ts). Exit 0 done, 1 the file could not be read, 2 usage or no such stream.
import {
  FollowError,
  followHttp2,
  followTcp,
  followUdp,
  followWebSocket,
  formatFollow,
  type FollowFormat,
  type FollowResult,
} from '../../shared/follow/follow';
import { FrameSource } from '../../shared/index/columns';
import type { Session } from '../../shared/dissect/packet';
import { tcpStreamCount, udpStreamCount } from '../../shared/conversations';
import { conversationOf, type StreamRef } from '../../shared/messages/source';
import { frameReader, indexFile } from '../backend/index-file';
import { readCommandArgs, sharedOption, UsageError, type DecodeAs } from './args';
import type { Io } from './out';
import { engineWith } from './engine';

export const FOLLOW_USAGE = `Usage: wirescope follow FILE (--tcp N | --udp N | --http2 N:S | --websocket N)
                        [--format ascii|hex|raw] [-d TABLE==PORT,PROTO]
  the payload of one conversation, per direction, as \`tshark -q -z follow,tcp,ascii,N\` prints it`;

export interface FollowCommand {
  file: string;
  kind: 'tcp' | 'udp' | 'http2' | 'websocket';
  stream: number;
  substream: number;
  format: FollowFormat;
  decodeAs: DecodeAs[];
}

function streamNumber(opt: string, text: string | undefined): number {
  if (text === undefined) throw new UsageError(`follow: ${opt} needs a stream number`);
  if (!/^\d{1,9}$/.test(text))
    throw new UsageError(`follow: ${opt} "${text}": expected a stream number (0, 1, …)`);
  return Number(text);
}

export function parseFollowArgs(argv: readonly string[]): FollowCommand {
  const cmd: FollowCommand = {
    file: '',
    kind: 'tcp',
    stream: -1,
    substream: -1,
    format: 'ascii',
    decodeAs: [],
  };
  let chosen = '';
  cmd.file = readCommandArgs('follow', argv, 'd', (o) => {
    if (sharedOption('follow', o, cmd)) return;
    switch (o.name) {
      case '--tcp':
      case '--udp':
      case '--websocket':
      case '--http2': {
        if (chosen) throw new UsageError(`follow: one stream at a time (${chosen} and ${o.name} given)`);
        chosen = o.name;
        cmd.kind = o.name.slice(2) as FollowCommand['kind'];
        const v = o.next();
        if (o.name === '--http2') {
          const m = v === undefined ? null : /^(\d{1,9}):(\d{1,10})$/.exec(v);
          if (!m)
            throw new UsageError(`follow: --http2 "${v ?? ''}": expected TCP-STREAM:HTTP2-STREAM, e.g. 0:1`);
          cmd.stream = Number(m[1]);
          cmd.substream = Number(m[2]);
        } else cmd.stream = streamNumber(o.name, v);
        return;
      }
      case '--format': {
        const v = o.next();
        if (v !== 'ascii' && v !== 'hex' && v !== 'raw')
          throw new UsageError(`follow: --format "${v ?? ''}": expected ascii, hex or raw`);
        cmd.format = v;
        return;
      }
      default:
        throw new UsageError(`follow: unknown option "${o.name}"`);
    }
  });
  if (!chosen)
    throw new UsageError('follow: say which stream: --tcp N, --udp N, --http2 N:S or --websocket N');
  return cmd;
}

/** Indexes `file` and hands `use` a FrameSource over it; the file is closed afterwards. */
export async function withSource<T>(
  file: string,
  decodeAs: readonly DecodeAs[],
  use: (src: FrameSource) => T,
): Promise<T> {
  const engine = engineWith(decodeAs);
  const cap = await indexFile(file, { engine });
  const ff = frameReader(file, cap.index);
  try {
    return use(new FrameSource(cap.engine, cap.session, cap.index, ff.read));
  } finally {
    ff.close();
  }
}

/** Every stream named on the command line is in the capture; else a FollowError naming the range. */
export function requireStreams(session: Session, streams: readonly StreamRef[]): void {
  for (const s of streams) {
    if (conversationOf(session, s)) continue;
    const n = s.proto === 'tcp' ? tcpStreamCount(session) : udpStreamCount(session);
    const P = s.proto.toUpperCase();
    throw new FollowError(
      `there is no ${P} stream ${s.stream}: the capture has ${n} ${P} stream${n === 1 ? '' : 's'}${n ? ` (0–${n - 1})` : ''}`,
    );
  }
}

/** Runs a sub-command body, turning failures into one line and an exit status. */
export async function guarded(
  name: string,
  io: Io,
  body: (at: { file: string }) => Promise<number>,
): Promise<number> {
  // The body names the file once its arguments are parsed, for the messages below.
  const at = { file: '' };
  try {
    return await body(at);
  } catch (e) {
    if (e instanceof UsageError) {
      // One line naming the problem; the command's usage is one `--help` away.
      io.err.write(`wirescope: ${e.message} (see wirescope ${name} --help)\n`);
      return 2;
    }
    if (e instanceof FollowError) {
      io.err.write(`wirescope: ${name}: ${at.file}: ${e.message}\n`);
      return 2;
    }
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    io.err.write(`wirescope: ${msg.includes(at.file) || !at.file ? msg : `${at.file}: ${msg}`}\n`);
    if (process.env.WIRESCOPE_DEBUG && e instanceof Error) io.err.write(`${e.stack}\n`);
    // A capture that cannot be read (CaptureError) or anything else that stopped the command.
    return 1;
  }
}

export async function runFollow(argv: readonly string[], io: Io): Promise<number> {
  return guarded('follow', io, async (at) => {
    if (argv.includes('-h') || argv.includes('--help')) {
      io.out.write(FOLLOW_USAGE + '\n');
      return 0;
    }
    const cmd = parseFollowArgs(argv);
    at.file = cmd.file;
    const text = await withSource(cmd.file, cmd.decodeAs, (src) => {
      let r: FollowResult;
      if (cmd.kind === 'tcp') r = followTcp(src, cmd.stream);
      else if (cmd.kind === 'udp') r = followUdp(src, cmd.stream);
      else if (cmd.kind === 'http2') r = followHttp2(src, cmd.stream, cmd.substream);
      else r = followWebSocket(src, cmd.stream);
      return formatFollow(r, cmd.format);
    });
    io.out.write(text);
    return 0;
  });
}
