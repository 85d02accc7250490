// Command-line parsing for `wirescope`. Options follow tshark's where tshark has one (-e, -E,
// -d, -c, -2), so a command line can be tried against both.
import { parseStreamRef, type StreamRef } from '../../shared/messages/source';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type CommandName = 'info' | 'list' | 'fields' | 'detail' | 'help' | 'version';

export interface Command {
  name: CommandName;
  file: string;
  json: boolean;
  /** fields: -e FIELD, in order. */
  fields: string[];
  /** -d table==key,proto (tshark's "decode as"). */
  decodeAs: DecodeAs[];
  header: boolean;
  separator: string;
  aggregator: string;
  occurrence: 'a' | 'f' | 'l';
  /** detail: --frame N. */
  frame: number;
  /** list/fields: -c N stops after N packets (0 = all). */
  count: number;
  /** list/fields: -2 runs the whole first pass before printing (tshark -2). */
  twoPass: boolean;
  /** list/fields: -Y FILTER, a display filter (empty: every packet). */
  filter: string;
}

export interface DecodeAs {
  table: string;
  keys: number[];
  proto: string;
}

export const USAGE = `Usage: wirescope <command> FILE [options]

Commands:
  info FILE [--json]             capture summary (format, interfaces, packets, times, streams)
  list FILE [-Y FILTER] [-c N] [-2]
                                 one summary line per packet, as \`tshark -r FILE\` prints them
  fields FILE -e FIELD [-e FIELD ...] [-E header=y] [-E separator=/t|/s|C]
                [-E aggregator=C] [-E occurrence=a|f|l] [-Y FILTER] [-c N] [-2]
                                 tab-separated field values per packet, as \`tshark -T fields\`
  detail FILE --frame N [--json] the layer tree of frame N with byte ranges and model places
  messages FILE [--stream tcp:N|udp:N]... [--level transport|application] [--json]
                                 the messages of a sequence diagram, one a line
  follow FILE --tcp N|--udp N|--http2 N:S|--websocket N [--format ascii|hex|raw]
                                 a conversation's payload, as \`tshark -q -z follow,tcp,ascii,N\`
  diagram FILE [--stream tcp:N|udp:N]... [--level transport|application|both]
               [--spacing time|even] [--format mermaid|svg]
                                 the sequence diagram as Mermaid sequenceDiagram text (or SVG)
  stats FILE -z STAT [-z STAT]... [-Y FILTER]
                                 statistics as \`tshark -q -z STAT\`: io,phs, conv,TYPE, endpoints,TYPE,
                                 io,stat,INTERVAL[,FILTER]..., expert (TYPE: eth, ip, ipv6, tcp, udp)
  export FILE -w OUT.pcapng [--stream tcp:N|udp:N]... [-Y FILTER]
                                 the chosen conversations, the filtered frames or the whole capture
                                 as pcapng (original timestamps and packet comments kept)
  capture [-i IFACE] [-f FILTER] [-w FILE] [--duration S | --count N] [-D]
                                 live capture through dumpcap (else tcpdump), a line per packet
                                 as it arrives; \`wirescope capture --help\` for every option
  lab websocket|tcp-udp [--tap] [--url URL] [--messages N] [--loss P] [-w FILE]
                                 a lab run headless; \`wirescope lab --help\`

Options for list, fields, detail, messages, follow and diagram:
  -d TABLE==PORT[-PORT|:COUNT],PROTO   decode as (e.g. -d tcp.port==8081,http2)
  -Y FILTER                      only packets the display filter selects (Wireshark syntax,
                                 e.g. -Y 'tcp.port == 80 and ip.addr == 10.0.0.0/8')
  -c N                           stop after N packets
  -2                             finish the first pass over the whole file before printing

Exit status: 0 done (a truncated last record is a warning), 1 the file could not be read,
2 usage error.`;

function defaults(name: CommandName): Command {
  return {
    name,
    file: '',
    json: false,
    fields: [],
    decodeAs: [],
    header: false,
    separator: '\t',
    aggregator: ',',
    occurrence: 'a',
    frame: 0,
    count: 0,
    twoPass: false,
    filter: '',
  };
}

function positiveInt(text: string | undefined, what: string): number {
  if (text === undefined || !/^\d+$/.test(text) || Number(text) < 1)
    throw new UsageError(
      `${what} needs a positive whole number, got ${text === undefined ? 'nothing' : `"${text}"`}`,
    );
  return Number(text);
}

/** `tcp.port==8081,http2`, `udp.port==5000-5002,rtp`, `tcp.port==8080:3,http`. */
export function parseDecodeAs(spec: string): DecodeAs {
  const m = /^([A-Za-z0-9_.-]+)==(\d+)(?:([-:])(\d+))?,([A-Za-z0-9_.-]+)$/.exec(spec.trim());
  if (!m) throw new UsageError(`-d "${spec}": expected TABLE==VALUE,PROTOCOL, e.g. tcp.port==8081,http2`);
  const first = Number(m[2]);
  let last = first;
  if (m[3] === '-') last = Number(m[4]);
  else if (m[3] === ':') last = first + Number(m[4]) - 1;
  if (last < first || last - first > 65535)
    throw new UsageError(`-d "${spec}": the range ${m[2]}${m[3]}${m[4]} is empty or too large`);
  const keys: number[] = [];
  for (let k = first; k <= last; k++) keys.push(k);
  return { table: m[1], keys, proto: m[5] };
}

/** One option of a command line, as readCommandArgs hands it over. */
export interface CommandOption {
  /** `--level` of `--level=both`, `-d` of `-dtcp.port==80,http`. */
  readonly name: string;
  /** The argument as given. */
  readonly arg: string;
  /** Its value: the attached part, else the next argument (taken); undefined when there is none. */
  next(): string | undefined;
  /** As next(), but a missing value is the usage error `COMMAND: OPTION needs a value`. */
  value(): string;
}

/**
 * The argument loop of the one-file commands (diagram, follow, stats, messages, export): every
 * argument not starting with `-` (and `-` itself) is the capture file, exactly one; `--name=VALUE`
 * or `--name VALUE`; a single-letter option listed in `attached` also takes its value joined to it
 * (`-dtcp.port==80,http`). `each` reads every option, its value only when it takes one, and throws
 * for one it does not know. Returns the file.
 */
export function readCommandArgs(
  command: string,
  argv: readonly string[],
  attached: string,
  each: (o: CommandOption) => void,
): string {
  const files: string[] = [];
  const joined = attached ? new RegExp(`^-[${attached}].`) : null;
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    if (!a.startsWith('-') || a === '-') {
      files.push(a);
      continue;
    }
    let name = a;
    let inline: string | undefined;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0) {
      name = a.slice(0, eq);
      inline = a.slice(eq + 1);
    } else if (joined?.test(a)) {
      name = a.slice(0, 2);
      inline = a.slice(2);
    }
    const next = (): string | undefined => inline ?? argv[++k];
    each({
      name,
      arg: a,
      next,
      value: () => {
        const v = next();
        if (v === undefined) throw new UsageError(`${command}: ${name} needs a value`);
        return v;
      },
    });
  }
  if (files.length === 0) throw new UsageError(`${command}: no capture file given`);
  if (files.length > 1) throw new UsageError(`${command}: one capture file at a time (got ${files.length})`);
  return files[0];
}

/** Where a command keeps the shared options it accepts; a field it lacks means it does not take that option. */
export interface SharedOptions {
  streams?: StreamRef[];
  decodeAs?: DecodeAs[];
  filter?: string;
}

/**
 * The options several commands share: `--stream tcp:N|udp:N` (repeatable), `-d TABLE==…,PROTO`
 * (repeatable) and `-Y FILTER`, each read into `cmd` when it has a place for it. False for any
 * other option, so the command goes on to its own.
 */
export function sharedOption(command: string, o: CommandOption, cmd: SharedOptions): boolean {
  switch (o.name) {
    case '--stream': {
      if (!cmd.streams) return false;
      const v = o.value();
      const ref = parseStreamRef(v);
      if (!ref) throw new UsageError(`${command}: --stream "${v}": expected tcp:N or udp:N, e.g. tcp:0`);
      cmd.streams.push(ref);
      return true;
    }
    case '-d':
      if (!cmd.decodeAs) return false;
      cmd.decodeAs.push(parseDecodeAs(o.value()));
      return true;
    case '-Y':
      if (cmd.filter === undefined) return false;
      cmd.filter = o.value();
      return true;
    default:
      return false;
  }
}

function parseE(cmd: Command, spec: string): void {
  const eq = spec.indexOf('=');
  const key = eq < 0 ? spec : spec.slice(0, eq);
  const val = eq < 0 ? '' : spec.slice(eq + 1);
  switch (key) {
    case 'header':
      if (val !== 'y' && val !== 'n') throw new UsageError(`-E header=${val}: expected y or n`);
      cmd.header = val === 'y';
      return;
    case 'separator':
      cmd.separator = val === '/t' ? '\t' : val === '/s' ? ' ' : val;
      if (!cmd.separator) throw new UsageError('-E separator= needs a character (or /t, /s)');
      return;
    case 'aggregator':
      cmd.aggregator = val === '/s' ? ' ' : val;
      return;
    case 'occurrence':
      if (val !== 'a' && val !== 'f' && val !== 'l')
        throw new UsageError(`-E occurrence=${val}: expected a, f or l`);
      cmd.occurrence = val;
      return;
    default:
      throw new UsageError(`-E ${spec}: unknown option (header, separator, aggregator, occurrence)`);
  }
}

export function parseArgs(argv: readonly string[]): Command {
  if (argv.length === 0) throw new UsageError('no command given');
  const first = argv[0];
  if (first === '-h' || first === '--help' || first === 'help') return defaults('help');
  if (first === '-v' || first === '--version' || first === 'version') return defaults('version');
  if (!['info', 'list', 'fields', 'detail'].includes(first))
    throw new UsageError(`unknown command "${first}"`);
  const cmd = defaults(first as CommandName);
  const files: string[] = [];
  const allowed: Record<string, readonly string[]> = {
    info: ['--json'],
    list: ['-c', '-2', '-d', '-Y'],
    fields: ['-e', '-E', '-c', '-2', '-d', '-Y'],
    detail: ['--frame', '--json', '-d'],
  };
  for (let k = 1; k < argv.length; k++) {
    const a = argv[k];
    if (a === '-h' || a === '--help') return defaults('help');
    if (a === '--') {
      files.push(...argv.slice(k + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      files.push(a);
      continue;
    }
    // --frame=7 and -efield are accepted too.
    let opt = a;
    let inline: string | undefined;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0) {
      opt = a.slice(0, eq);
      inline = a.slice(eq + 1);
    } else if (/^-[ecEdY]./.test(a)) {
      opt = a.slice(0, 2);
      inline = a.slice(2);
    }
    if (!allowed[cmd.name].includes(opt)) throw new UsageError(`${cmd.name}: unknown option "${opt}"`);
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++k];
      if (v === undefined) throw new UsageError(`${opt} needs a value`);
      return v;
    };
    switch (opt) {
      case '--json':
        cmd.json = true;
        break;
      case '-2':
        cmd.twoPass = true;
        break;
      case '-c':
        cmd.count = positiveInt(value(), '-c');
        break;
      case '--frame':
        cmd.frame = positiveInt(value(), '--frame');
        break;
      case '-e':
        cmd.fields.push(value());
        break;
      case '-E':
        parseE(cmd, value());
        break;
      case '-d':
        cmd.decodeAs.push(parseDecodeAs(value()));
        break;
      case '-Y':
        cmd.filter = value();
        break;
    }
  }
  if (files.length === 0) throw new UsageError(`${cmd.name}: no capture file given`);
  if (files.length > 1) throw new UsageError(`${cmd.name}: one capture file at a time (got ${files.length})`);
  cmd.file = files[0];
  if (cmd.name === 'fields' && cmd.fields.length === 0)
    throw new UsageError('fields: give at least one -e FIELD');
  if (cmd.name === 'detail' && !cmd.frame) throw new UsageError('detail: give --frame N');
  return cmd;
}
