// `list`, `fields` and `detail`: the commands that dissect every packet with the full engine
// (the application pass), printing as the reader delivers packets, as tshark's single pass does.
// Loaded by run.ts only when one of them is asked for.
import { compileFilter, describeError, type Filter } from '../../shared/filter/compile';
import { allFields, allProtocols, fieldByAbbrev, protocolInfo } from '../../shared/dissect/fields';
import { fieldsText } from '../../shared/dissect/format';
import { Session } from '../../shared/dissect/packet';
import { fieldColumn, findItems } from '../../shared/dissect/query';
import type { Dissection } from '../../shared/dissect/types';
import { FrameSource, rowOf, tsharkLine } from '../../shared/index/columns';
import { PacketIndex } from '../../shared/index/packet-index';
import { frameReader, indexFile, type IndexedCapture } from '../backend/index-file';
import { UsageError, type Command } from './args';
import { detailJson, detailText } from './detail';
import { type Io, type Out, warn } from './out';
import { engineWith } from './engine';
import { closest } from './suggest';

/** Fields must exist before the file is read: a typo is a usage error with a suggestion. */
function checkFields(names: readonly string[]): void {
  for (const f of names) {
    if (fieldByAbbrev(f) || protocolInfo(f)) continue;
    const known = [...allFields().map((d) => d.abbrev), ...allProtocols().map((p) => p.abbrev)];
    const near = closest(f, known);
    throw new UsageError(`fields: unknown field "${f}"${near ? ` (did you mean "${near}"?)` : ''}`);
  }
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
  const engine = engineWith(cmd.decodeAs);
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

/** Runs `list`, `fields` or `detail`; throws UsageError and the reader's errors for run.ts to report. */
export async function runPackets(cmd: Command, out: Out, io: Io): Promise<number> {
  switch (cmd.name) {
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
      const engine = engineWith(cmd.decodeAs);
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
  throw new Error(`runPackets: not a packet command: ${cmd.name}`);
}
