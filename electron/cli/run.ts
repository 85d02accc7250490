// The `wirescope` command: parse, open the capture, print, and turn every failure into one line
// and an exit status (0 done, 1 the file could not be read, 2 usage).
//
// Output is streamed: `list` and `fields` print each packet as the reader delivers it (the index
// pass and the printing run together, as tshark's single pass does), so memory holds the index
// and the protocol state, never the output.
//
// Each command's code is loaded when it is asked for (the CLI bundle is split, scripts/build-cli.mjs):
// `info` runs the index pass only and loads no application dissector.
import { readFileSync } from 'node:fs';
import { CaptureError } from '../../shared/capture/types';
import { parseArgs, UsageError, USAGE, type Command } from './args';
import { named, Out, type Io } from './out';

export type { Io } from './out';

/** Set by scripts/build-cli.mjs in the bundle; from source, package.json is read instead. */
declare const __WIRESCOPE_VERSION__: string | undefined;

function version(): string {
  if (typeof __WIRESCOPE_VERSION__ === 'string') return __WIRESCOPE_VERSION__;
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

async function command(cmd: Command, io: Io): Promise<number> {
  const out = new Out(io.out);
  switch (cmd.name) {
    case 'help':
      out.text(USAGE + '\n');
      return 0;
    case 'version':
      out.text(`wirescope ${version()}\n`);
      return 0;
    case 'info':
      return (await import('./info-command')).runInfo(cmd, out, io);
    default:
      return (await import('./packets')).runPackets(cmd, out, io);
  }
}

type SubCommand = (argv: string[], io: Io) => Promise<number>;

/** Commands that parse their own arguments, loaded on use. */
const SUBCOMMANDS: Record<string, () => Promise<SubCommand>> = {
  diagram: async () => (await import('./diagram')).runDiagram,
  stats: async () => (await import('./stats')).runStats,
  export: async () => (await import('./export')).runExport,
  capture: async () => (await import('./capture')).runCapture,
  lab: async () => (await import('./lab')).runLab,
  messages: async () => (await import('./messages')).runMessages,
  follow: async () => (await import('./follow')).runFollow,
};

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const sub = Object.hasOwn(SUBCOMMANDS, argv[0] ?? '') ? SUBCOMMANDS[argv[0]] : undefined;
  if (sub) return (await sub())(argv.slice(1), io);
  let cmd: Command;
  try {
    cmd = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err.write(`wirescope: ${e.message}\n\n${USAGE}\n`);
    return 2;
  }
  try {
    return await command(cmd, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err.write(`wirescope: ${e.message}\n`);
      return 2;
    }
    if (e instanceof CaptureError) {
      io.err.write(`wirescope: ${named(cmd.file, e.message)}\n`);
      return 1;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    io.err.write(`wirescope: ${named(cmd.file, err.message.split('\n')[0])}\n`);
    if (process.env.WIRESCOPE_DEBUG) io.err.write(`${err.stack}\n`);
    return 1;
  }
}
