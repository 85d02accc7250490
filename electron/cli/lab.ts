// `wirescope lab websocket|tcp-udp …`: a lab run headless, its application messages printed as
// they happen, its capture written with -w.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabEvent, LabKind, LabStart } from '../../shared/contract/api';
import { checkLabUrl, createLab, type LabSources } from '../labs/lab';
import { realSources } from '../labs/sources';
import { reportTable } from '../labs/tcp-udp/report';
import { websocketScript } from '../labs/websocket/lab';
import { checkAccess } from '../live/privileges';
import { pcapngFileSink } from '../live/sinks';
import type { LiveAccess } from '../../shared/contract/api';
import type { Io } from './out';

export const LAB_USAGE = `Usage: wirescope lab websocket [--url URL] [--messages N] [--tap] [--pace MS] [-w FILE]
       wirescope lab tcp-udp [--messages N] [--loss P] [--tap] [--pace MS] [-w FILE]

Runs a lab headless: real servers and clients on 127.0.0.1 (or the URL you give), the traffic
captured live, the application messages printed as they happen.

  websocket          a ws client talks to a ws server at /chat: TCP handshake, HTTP upgrade
                     (the Sec-WebSocket-Accept computation shown), then N text messages (every
                     second one in 3 fragments), a binary message, a ping, and a close with 1000
  tcp-udp            the same N messages over TCP (one connection) and over UDP, each echoed;
                     then the measured counts side by side (packets, bytes, headers, round trips)

Options:
  --url URL          websocket: talk to this ws:// or wss:// URL instead of the local server
  --messages N       websocket: text messages (default 2); tcp-udp: messages each side (default 10)
  --loss P           tcp-udp: a relay drops P percent (0-90) of the UDP datagrams (simulated loss)
  --tap              capture through the tap (no privileges; IP/TCP/UDP headers reconstructed)
                     instead of the capture helper (dumpcap or tcpdump on lo)
  --pace MS          milliseconds between the lab's steps (default 0), so a class can follow
  -w FILE            write the capture as pcapng

Exit status: 0 the lab completed, 1 it could not run or failed, 2 usage error.`;

interface LabArgs {
  kind: LabKind;
  start: LabStart;
  write: string;
  help: boolean;
}

class LabUsageError extends Error {}

function intArg(name: string, v: string | undefined, min: number, max: number): number {
  if (v === undefined) throw new LabUsageError(`${name} needs a value`);
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max)
    throw new LabUsageError(`${name} ${v}: expected a whole number from ${min} to ${max}`);
  return n;
}

export function parseLabArgs(argv: readonly string[]): LabArgs {
  if (argv.includes('--help') || argv.includes('-h'))
    return { kind: 'websocket', start: { lab: 'websocket', mode: 'tap' }, write: '', help: true };
  const kind = argv[0];
  if (kind !== 'websocket' && kind !== 'tcp-udp')
    throw new LabUsageError(
      kind ? `unknown lab "${kind}": choose websocket or tcp-udp` : 'which lab? websocket or tcp-udp',
    );
  const start: LabStart = { lab: kind, mode: 'capture' };
  let write = '';
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const value = () => argv[++i];
    switch (a) {
      case '--url':
        if (kind !== 'websocket') throw new LabUsageError('--url is for the websocket lab');
        start.url = value();
        if (start.url === undefined) throw new LabUsageError('--url needs a value');
        {
          const bad = checkLabUrl(start.url);
          if (bad) throw new LabUsageError(bad);
        }
        break;
      case '--messages':
        start.messages = intArg('--messages', value(), 1, 1000);
        break;
      case '--loss':
        if (kind !== 'tcp-udp') throw new LabUsageError('--loss is for the tcp-udp lab');
        start.loss = intArg('--loss', value(), 0, 90);
        break;
      case '--pace':
        start.paceMs = intArg('--pace', value(), 0, 10_000);
        break;
      case '--tap':
        start.mode = 'tap';
        break;
      case '-w':
        write = value() ?? '';
        if (!write) throw new LabUsageError('-w needs a file name');
        break;
      default:
        throw new LabUsageError(`unknown option "${a}"`);
    }
  }
  return { kind, start, write, help: false };
}

/** One printed line per lab event: seconds since the lab started, then the text. */
export function eventLine(e: LabEvent, t0: number): string {
  const mark =
    e.kind === 'sent' || e.kind === 'received'
      ? '  '
      : e.kind === 'step'
        ? '· '
        : e.kind === 'done'
          ? '✓ '
          : '✗ ';
  return `${((e.at - t0) / 1000).toFixed(3).padStart(8)}  ${mark}${e.text}`;
}

export interface RunLabOptions {
  sources?: LabSources;
  access?: () => Promise<LiveAccess>;
}

export async function runLab(argv: readonly string[], io: Io, opts: RunLabOptions = {}): Promise<number> {
  let args: LabArgs;
  try {
    args = parseLabArgs(argv);
  } catch (e) {
    if (!(e instanceof LabUsageError)) throw e;
    io.err.write(`wirescope lab: ${e.message}\n\n${LAB_USAGE}\n`);
    return 2;
  }
  if (args.help) {
    io.out.write(`${LAB_USAGE}\n`);
    return 0;
  }
  const { start } = args;
  if (start.mode === 'capture') {
    const access = await (opts.access ?? (() => checkAccess()))();
    if (!access.permitted) {
      const grant = access.grant.length
        ? `\nTo allow it:\n${access.grant.map((g) => `  ${g}`).join('\n')}`
        : '';
      io.err.write(
        `wirescope lab: live capture is not permitted here. ${access.message ?? ''}${grant}\nOr run the lab through the tap, which needs no privileges: add --tap.\n`,
      );
      return 1;
    }
  }

  const temp = args.write ? null : mkdtempSync(join(tmpdir(), 'wirescope-lab-'));
  const file = args.write || join(temp!, 'lab.pcapng');
  let t0 = 0;
  let failed = false;
  try {
    let sink: ReturnType<typeof pcapngFileSink> | null = null;
    const lab = await createLab(start, {
      id: `${args.kind}-lab`,
      sources: opts.sources ?? realSources,
      script: args.kind === 'websocket' ? websocketScript(start.messages ?? 2) : undefined,
      emit: (e) => {
        t0 ||= e.at;
        if (e.kind === 'error') failed = true;
        const line = eventLine(e, t0);
        io.out.write(`${line}\n`);
        if (e.report) io.out.write(`\n${reportTable(e.report)}\n`);
      },
      captureFile: async () => {
        const r = await sink!.finished;
        if (r.problem) io.err.write(`wirescope lab: the capture: ${r.problem}\n`);
        return file;
      },
    });
    sink = pcapngFileSink(file, {
      iface: lab.live.iface,
      filter: lab.live.filter,
      helper: lab.live.helper,
      comment: `${lab.name}: ${lab.target}`,
    });
    const capturing = sink;
    try {
      await lab.source.start(capturing);
    } catch (e) {
      await lab.stop();
      io.err.write(
        `wirescope lab: cannot start the capture: ${e instanceof Error ? e.message : String(e)}\n`,
      );
      if (start.mode === 'capture') io.err.write('Run the lab through the tap instead: add --tap.\n');
      return 1;
    }
    io.out.write(
      `${lab.name}: ${lab.target}${start.mode === 'capture' ? ` (capture filter: ${lab.live.filter})` : ''}\n`,
    );
    const onSignal = () => void lab.stop();
    process.once('SIGINT', onSignal);
    let ok: boolean;
    try {
      ok = await lab.run();
    } finally {
      process.off('SIGINT', onSignal);
      await lab.stop();
    }
    const written = await capturing.finished;
    if (args.write) {
      if (written.written) io.out.write(`\n${written.packets} packets written to ${args.write}\n`);
      else io.err.write(`wirescope lab: no packets were captured, so ${args.write} was not written.\n`);
    }
    return ok && !failed ? 0 : 1;
  } catch (e) {
    io.err.write(`wirescope lab: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
}
