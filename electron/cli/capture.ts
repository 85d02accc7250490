// `wirescope capture [-i IFACE] [-f FILTER] [-w FILE] [--duration S | --count N]`: live capture
// through the capture helper, a summary line per packet as it arrives (like tshark).
//
// The stream goes through the same reader and first pass as `list` (tshark's single pass: each
// packet dissected once, with columns, as it arrives); `-w` saves it as pcapng beside.
import { createReader } from '../../shared/capture/reader';
import { Session } from '../../shared/dissect/packet';
import { createEngine } from '../../shared/dissectors';
import { rowOf, tsharkLine } from '../../shared/index/columns';
import { Indexer } from '../../shared/index/indexer';
import { PacketIndex } from '../../shared/index/packet-index';
import {
  captureHelper,
  locateHelper,
  type CaptureHelperSource,
  type HelperName,
} from '../live/capture-helper';
import { defaultInterface, interfaceLabel } from '../live/interfaces';
import { checkAccess, listInterfaces } from '../live/privileges';
import { pcapngFileSink, teeSink, type PcapngFileSink } from '../live/sinks';
import type { LiveSink } from '../live/source';
import { useProjectProtos } from '../protos/load-protos';
import { UsageError } from './args';
import type { Io } from './out';

export const CAPTURE_USAGE = `Usage: wirescope capture [-i IFACE] [-f FILTER] [-w FILE] [--duration S | --count N] [--helper dumpcap|tcpdump]
  live capture through dumpcap (else tcpdump); one summary line per packet as it arrives, like tshark
  -i, --interface IFACE   interface to capture on (default: the first interface that is up and
                          not loopback, else the loopback; -D lists them)
  -f FILTER               capture filter in libpcap (BPF) syntax, e.g. "tcp port 443"
  -w FILE                 also save the capture as pcapng (interface name and filter kept)
  -c, --count N           stop after N packets
  -a duration:S, --duration S
                          stop after S seconds
  -s, --snaplen N         keep at most N bytes of each packet
  -q                      no summary lines (with -w: only save)
  -D, --list-interfaces   list the interfaces and exit
  --helper dumpcap|tcpdump
                          the capture helper to use (default: dumpcap, else tcpdump)
  Ctrl+C stops the capture and prints how many packets were captured.
  Capturing needs rights that the helper holds (wireshark group, setcap, ChmodBPF, Npcap); without
  them \`wirescope lab websocket --tap\` and \`wirescope lab tcp-udp --tap\` run labs with none.`;

export interface CaptureCommand {
  help: boolean;
  list: boolean;
  iface: string | null;
  filter: string;
  write: string | null;
  count: number | undefined;
  durationS: number | undefined;
  snaplen: number | undefined;
  quiet: boolean;
  helper: HelperName | undefined;
}

function wholeNumber(opt: string, v: string): number {
  if (!/^\d+$/.test(v) || Number(v) < 1 || !Number.isSafeInteger(Number(v)))
    throw new UsageError(`capture: ${opt} takes a whole number of at least 1, not "${v}"`);
  return Number(v);
}

export function parseCaptureArgs(argv: readonly string[]): CaptureCommand {
  const cmd: CaptureCommand = {
    help: false,
    list: false,
    iface: null,
    filter: '',
    write: null,
    count: undefined,
    durationS: undefined,
    snaplen: undefined,
    quiet: false,
    helper: undefined,
  };
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      const v = eq > 0 ? a.slice(eq + 1) : argv[++k];
      if (v === undefined) throw new UsageError(`capture: ${name} needs a value`);
      return v;
    };
    switch (name) {
      case '-h':
      case '--help':
        cmd.help = true;
        break;
      case '-D':
      case '--list-interfaces':
        cmd.list = true;
        break;
      case '-q':
        cmd.quiet = true;
        break;
      case '-i':
      case '--interface':
        cmd.iface = value();
        break;
      case '-f':
        cmd.filter = value();
        break;
      case '-w':
        cmd.write = value();
        break;
      case '-c':
      case '--count':
        cmd.count = wholeNumber(name, value());
        break;
      case '--duration':
        cmd.durationS = wholeNumber(name, value());
        break;
      case '-a': {
        const v = value();
        const m = /^duration:(.*)$/.exec(v);
        if (!m) throw new UsageError(`capture: -a takes duration:S (seconds), not "${v}"`);
        cmd.durationS = wholeNumber('-a duration', m[1]);
        break;
      }
      case '-s':
      case '--snaplen':
        cmd.snaplen = wholeNumber(name, value());
        break;
      case '--helper': {
        const v = value();
        if (v !== 'dumpcap' && v !== 'tcpdump')
          throw new UsageError(`capture: --helper is dumpcap or tcpdump, not "${v}"`);
        cmd.helper = v;
        break;
      }
      default:
        throw new UsageError(
          a.startsWith('-')
            ? `capture: unknown option "${a}"`
            : `capture: unexpected "${a}" (a filter goes after -f)`,
        );
    }
  }
  if (cmd.write === '') throw new UsageError('capture: -w needs a file name');
  return cmd;
}

export interface CaptureRunOptions {
  /** Stops the capture as Ctrl+C does (tests, embedding). */
  signal?: AbortSignal;
  /** Check rights and capture as this user (root only): tests of the not-permitted path. */
  user?: { uid: number; gid: number };
}

/** Prints each packet's tshark-like line as the stream arrives, one write per chunk. */
function printingSink(
  io: Io,
  name: string,
  quiet: boolean,
): LiveSink & { packets(): number; problem(): string | null } {
  const engine = createEngine();
  useProjectProtos(engine);
  const index = new PacketIndex();
  const indexer = new Indexer(engine, new Session(), index);
  let lines: string[] = [];
  let problem: string | null = null;
  const reader = createReader(
    indexer.sink((p) => {
      const d = indexer.packet(p, false, !quiet);
      if (!quiet) lines.push(tsharkLine(rowOf(index, index.count, d)), '\n');
    }),
    { name },
  );
  const flush = () => {
    if (!lines.length) return;
    io.out.write(lines.join(''));
    lines = [];
  };
  return {
    data(chunk) {
      if (problem) return;
      try {
        reader.push(chunk);
      } catch (e) {
        problem = e instanceof Error ? e.message : String(e);
      }
      flush();
    },
    end() {
      try {
        reader.end();
      } catch (e) {
        problem ??= e instanceof Error ? e.message : String(e);
      }
      flush();
    },
    packets: () => index.count,
    problem: () => problem,
  };
}

export async function runCapture(
  argv: readonly string[],
  io: Io,
  opts: CaptureRunOptions = {},
): Promise<number> {
  let cmd: CaptureCommand;
  try {
    cmd = parseCaptureArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err.write(`wirescope: ${e.message}\n\n${CAPTURE_USAGE}\n`);
    return 2;
  }
  if (cmd.help) {
    io.out.write(`${CAPTURE_USAGE}\n`);
    return 0;
  }
  const fail = (message: string) => {
    io.err.write(`wirescope: ${message}\n`);
    return 1;
  };

  const access = await checkAccess({ prefer: cmd.helper, user: opts.user, fresh: true });
  if (!access.helper) return fail(access.message ?? 'no capture helper is installed');
  if (cmd.helper && access.helper !== cmd.helper)
    return fail(`${cmd.helper} is not installed (${access.helper} is: drop --helper to use it)`);
  if (cmd.list) {
    access.interfaces.forEach((i, n) =>
      io.out.write(`${n + 1}. ${i.name}${i.description ? ` (${i.description})` : ''}\n`),
    );
    return 0;
  }
  if (!access.permitted) {
    const steps = access.grant.map((g) => `  ${g}\n`).join('');
    return fail(
      `cannot capture: ${access.message}\n${steps ? `To grant it:\n${steps}` : ''}Without capture rights: wirescope lab websocket --tap (or lab tcp-udp --tap).`,
    );
  }

  let iface = cmd.iface;
  if (!iface) {
    const { list } = await listInterfaces(
      { name: access.helper, path: locateHelper(access.helper) ?? access.helper },
      opts.user,
    );
    iface = defaultInterface(list)?.name ?? null;
    if (!iface) return fail(`${access.helper} lists no interface to capture on; name one with -i`);
  }
  const label = interfaceLabel(iface, access.interfaces);

  let source: CaptureHelperSource;
  let file: PcapngFileSink | null = null;
  try {
    source = captureHelper({
      iface,
      filter: cmd.filter,
      helper: access.helper,
      count: cmd.count,
      durationS: cmd.durationS,
      snaplen: cmd.snaplen,
      label,
      user: opts.user,
    });
    if (cmd.write) file = pcapngFileSink(cmd.write, { iface, filter: cmd.filter, helper: access.helper });
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }

  const printer = printingSink(io, label, cmd.quiet);
  let ended!: (problem: string | null) => void;
  const end = new Promise<string | null>((r) => (ended = r));
  const sink = teeSink(printer, ...(file ? [file] : []), { data: () => undefined, end: (p) => ended(p) });

  // Ctrl+C (and a polite kill) stop the helper; the lines and the file are finished first.
  const stop = () => void source.stop();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  opts.signal?.addEventListener('abort', stop);
  try {
    try {
      await source.start(sink);
    } catch (e) {
      file?.end(null);
      await file?.finished.catch(() => undefined);
      return fail(e instanceof Error ? e.message : String(e));
    }
    io.err.write(`Capturing on '${label}'\n`);
    if (opts.signal?.aborted) stop();
    const problem = await end;
    const n = printer.packets();
    io.err.write(`${n} packet${n === 1 ? '' : 's'} captured\n`);
    let status = 0;
    if (problem) status = fail(problem);
    if (printer.problem()) status = fail(printer.problem()!);
    if (file) {
      try {
        const r = await file.finished;
        if (r.problem) status = fail(`${cmd.write}: ${r.problem}`);
      } catch (e) {
        status = fail(e instanceof Error ? e.message : String(e));
      }
    }
    return status;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    opts.signal?.removeEventListener('abort', stop);
  }
}
