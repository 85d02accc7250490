// The `wirescope` command: parse, open the capture, print, and turn every failure into one line
// and an exit status (0 done, 1 the file could not be read, 2 usage).
//
// Output is streamed: `list` and `fields` print each packet as the reader delivers it (the index
// pass and the printing run together, as tshark's single pass does), so memory holds the index
// and the protocol state, never the output.
import { compileFilter, describeError, type Filter } from '../../shared/filter/compile';
import { readFileSync, statSync } from 'node:fs';
import { CaptureError } from '../../shared/capture/types';
import type { Engine } from '../../shared/dissect/engine';
import { allFields, allProtocols, fieldByAbbrev, protocolInfo } from '../../shared/dissect/fields';
import { fieldsText } from '../../shared/dissect/format';
import { Session } from '../../shared/dissect/packet';
import { fieldColumn, findItems } from '../../shared/dissect/query';
import type { Dissection } from '../../shared/dissect/types';
import { createEngine } from '../../shared/dissectors';
import { FrameSource, rowOf, tsharkLine } from '../../shared/index/columns';
import { PacketIndex } from '../../shared/index/packet-index';
import { frameReader, indexFile, type IndexedCapture } from '../backend/index-file';
import { useProjectProtos } from '../protos/load-protos';
import { parseArgs, UsageError, USAGE, type Command } from './args';
import { detailJson, detailText } from './detail';
import { runFollow } from './follow';
import { infoJson, infoText } from './info';
import { runMessages } from './messages';
import { runDiagram } from './diagram';
import { runExport } from './export';
import { runStats } from './stats';
import { runCapture } from './capture';
import { runLab } from './lab';
import { closest } from './suggest';

export interface Io {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

/** Batches lines into ~64 KiB writes (stdout to a pipe or file is synchronous on POSIX). */
class Out {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly stream: NodeJS.WritableStream) {}
  line(s: string): void {
    this.parts.push(s, '\n');
    this.size += s.length + 1;
    if (this.size >= 65536) this.flush();
  }
  text(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    this.flush();
  }
  flush(): void {
    if (!this.parts.length) return;
    this.stream.write(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}

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

/** Fields must exist before the file is read: a typo is a usage error with a suggestion. */
function checkFields(names: readonly string[]): void {
  for (const f of names) {
    if (fieldByAbbrev(f) || protocolInfo(f)) continue;
    const known = [...allFields().map((d) => d.abbrev), ...allProtocols().map((p) => p.abbrev)];
    const near = closest(f, known);
    throw new UsageError(`fields: unknown field "${f}"${near ? ` (did you mean "${near}"?)` : ''}`);
  }
}

function engineFor(cmd: Command): Engine {
  const engine = createEngine();
  useProjectProtos(engine);
  for (const d of cmd.decodeAs) {
    if (!engine.dissector(d.proto)) {
      const near = closest(
        d.proto,
        allProtocols().map((p) => p.abbrev),
      );
      throw new UsageError(
        `-d ${d.table}==…,${d.proto}: no dissector named "${d.proto}"${near ? ` (did you mean "${near}"?)` : ''}`,
      );
    }
    for (const k of d.keys) engine.decodeAs(d.table, k, d.proto);
  }
  return engine;
}

function fieldCells(d: Dissection | null, cmd: Command): string {
  if (!d) return cmd.fields.map(() => '').join(cmd.separator);
  const cells: string[] = [];
  for (const f of cmd.fields) {
    if (cmd.occurrence === 'a') {
      cells.push(fieldColumn(d, f, cmd.aggregator));
      continue;
    }
    const items = findItems(d, f);
    const it = cmd.occurrence === 'f' ? items[0] : items[items.length - 1];
    const def = fieldByAbbrev(f);
    cells.push(it && def ? fieldsText(def, it.value) : '');
  }
  return cells.join(cmd.separator);
}

/**
 * Runs the index pass and prints as packets arrive, each packet dissected once, unvisited, with
 * tree or columns on (tshark's single pass); or, with -2, after the whole first pass, each frame
 * dissected again with what the pass learnt (tshark -2).
 */
async function streamPackets(
  cmd: Command,
  out: Out,
  wanted: { tree: boolean; cols: boolean },
  each: (frame: number, d: Dissection | null, index: PacketIndex) => void,
): Promise<IndexedCapture> {
  const filter = cmd.filter ? filterOf(cmd.filter) : null;
  // A display filter reads fields, so it needs the tree (as tshark's -Y does).
  const want = filter ? { tree: true, cols: wanted.cols } : wanted;
  const show = (frame: number, d: Dissection | null, bytes: Uint8Array | null, index: PacketIndex) => {
    if (filter && (!d || !bytes || !filter.test({ d, frame: bytes }))) return;
    each(frame, d, index);
  };
  const engine = engineFor(cmd);
  const session = new Session();
  const index = new PacketIndex();
  const file = frameReader(cmd.file, index);
  try {
    const src = new FrameSource(engine, session, index, file.read);
    const stop = new AbortController();
    const cap = await indexFile(cmd.file, {
      engine,
      session,
      index,
      signal: stop.signal,
      ...(cmd.twoPass
        ? {}
        : {
            ...want,
            onPacket: (p, i, d) => {
              // -c counts packets read, as tshark's does, whether or not the filter shows them.
              if (cmd.count && i >= cmd.count) {
                stop.abort();
                return;
              }
              show(i + 1, d, p.data, index);
            },
          }),
    });
    if (cmd.twoPass) {
      const last = cmd.count ? Math.min(cmd.count, index.count) : index.count;
      for (let f = 1; f <= last; f++) {
        const bytes = filter ? file.read(f - 1) : null;
        show(f, src.dissect(f, want.tree, want.cols, bytes ?? undefined), bytes, index);
      }
    }
    return cap;
  } finally {
    out.flush();
    file.close();
  }
}

/** The compiled -Y filter; a bad one is a usage error showing where, as tshark shows it. */
function filterOf(text: string): Filter {
  const c = compileFilter(text);
  if (!c.ok) throw new UsageError(`-Y: ${describeError(text, c.error).replace(/\n/g, '\n    ')}`);
  return c.filter;
}

function warn(io: Io, file: string, cap: IndexedCapture): void {
  const ws = cap.summary.warnings;
  for (const w of ws.slice(0, 5)) io.err.write(`wirescope: warning: ${named(file, w.message)}\n`);
  if (ws.length > 5) io.err.write(`wirescope: warning: ${file}: ${ws.length - 5} more warnings not shown\n`);
}

function named(file: string, message: string): string {
  return message.includes(file) ? message : `${file}: ${message}`;
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
    case 'info': {
      const cap = await indexFile(cmd.file);
      const j = infoJson(cmd.file, statSync(cmd.file).size, cap.summary);
      out.text(cmd.json ? JSON.stringify(j, null, 2) + '\n' : infoText(j));
      warn(io, cmd.file, cap);
      return 0;
    }
    case 'list': {
      const cap = await streamPackets(cmd, out, { tree: false, cols: true }, (f, d, index) =>
        out.line(tsharkLine(rowOf(index, f, d))),
      );
      warn(io, cmd.file, cap);
      return 0;
    }
    case 'fields': {
      checkFields(cmd.fields);
      if (cmd.header) out.line(cmd.fields.join(cmd.separator));
      const cap = await streamPackets(cmd, out, { tree: true, cols: false }, (_f, d) =>
        out.line(fieldCells(d, cmd)),
      );
      warn(io, cmd.file, cap);
      return 0;
    }
    case 'detail': {
      const engine = engineFor(cmd);
      const cap = await indexFile(cmd.file, { engine });
      if (cmd.frame > cap.index.count) {
        throw new UsageError(
          `detail: there is no frame ${cmd.frame}: ${cmd.file} has ${cap.index.count} packet${cap.index.count === 1 ? '' : 's'}`,
        );
      }
      const file = frameReader(cmd.file, cap.index);
      try {
        const src = new FrameSource(cap.engine, cap.session, cap.index, file.read);
        const bytes = file.read(cmd.frame - 1);
        const d = bytes ? src.dissect(cmd.frame, true, true, bytes) : null;
        if (!d || !bytes)
          throw new Error(
            file.lastError ??
              `${cmd.file}: the bytes of frame ${cmd.frame} could not be read back (offset ${cap.index.dataOffset(cmd.frame - 1)})`,
          );
        out.text(cmd.json ? JSON.stringify(detailJson(d, bytes), null, 2) + '\n' : detailText(d));
      } finally {
        file.close();
      }
      warn(io, cmd.file, cap);
      return 0;
    }
  }
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  if (argv[0] === 'diagram') return runDiagram(argv.slice(1), io);
  if (argv[0] === 'stats') return runStats(argv.slice(1), io);
  if (argv[0] === 'export') return runExport(argv.slice(1), io);
  if (argv[0] === 'capture') return runCapture(argv.slice(1), io);
  if (argv[0] === 'lab') return runLab(argv.slice(1), io);
  if (argv[0] === 'messages' || argv[0] === 'follow')
    return (argv[0] === 'messages' ? runMessages : runFollow)(argv.slice(1), io);
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
