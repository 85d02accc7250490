// capture.export / export.read: pcapng of a capture, chosen conversations or a filter's packets.
// The export is built into a temp file by the same code as the CLI's `export` (export-pcapng.ts:
// two passes over the capture's file) and handed to the page in pieces of at most
// MAX_EXPORT_READ; the temp file goes after its last byte is read, when the page goes away, or
// when a newer export replaces it (one page keeps a few at most).
//
// A live capture's file grows while it is exported: it is copied first (the packets so far), so
// both passes see the same packets; a record the helper was still writing is cut off there and
// left out with a warning, as a reader does at the end of a file.
import { copyFileSync, mkdirSync, mkdtempSync, openSync, readSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_EXPORT_READ, type ExportTicket } from '../../shared/contract/api';
import { createEngine } from '../../shared/dissectors';
import { parseStreamRef, type StreamRef } from '../../shared/messages/source';
import { useProjectProtos } from '../protos/load-protos';
import { ApiFailure } from './backend';
import { ExportRefused, writePcapngExport } from './export-pcapng';
import type { HandlersFor } from './handler-types';
import type { PageHost } from './page-host';

/** Exports one page may hold unread at once; the oldest is dropped past this. */
const MAX_OPEN_EXPORTS = 4;

interface OpenExport {
  ticket: ExportTicket;
  folder: string;
  path: string;
  fd: number;
}

let nextExport = 1;

function exportName(captureName: string, streams: readonly string[], filter: boolean): string {
  const base = captureName.replace(/\.(pcapng|pcap|cap)$/i, '') || 'capture';
  const what = streams.length ? `-${streams.join('-').replace(/:/g, '')}` : filter ? '-filtered' : '';
  return `${base}${what}.pcapng`.replace(/[^\w.-]+/g, '_');
}

export function exportHandlers(host: PageHost): HandlersFor<'capture.export' | 'export.read'> {
  const open = new Map<string, OpenExport>();

  const release = (id: string) => {
    const e = open.get(id);
    if (!e) return;
    open.delete(id);
    closeSync(e.fd);
    rmSync(e.folder, { recursive: true, force: true });
  };
  host.onDispose(() => {
    for (const id of [...open.keys()]) release(id);
  });

  return {
    async 'capture.export'({ capture, streams = [], filter }) {
      const c = host.capture(capture);
      const refs: StreamRef[] = [];
      for (const s of streams) {
        const r = parseStreamRef(s);
        if (!r) throw new ApiFailure('bad-input', `"${s}" is not a conversation: expected tcp:N or udp:N.`);
        refs.push(r);
      }
      const base = host.options.uploadDir ?? tmpdir();
      mkdirSync(base, { recursive: true });
      const folder = mkdtempSync(join(base, 'wirescope-export-'));
      const out = join(folder, 'export.pcapng');
      let source = c.path;
      try {
        if (c.state().live?.running) {
          source = join(folder, 'snapshot');
          copyFileSync(c.path, source);
        }
        const engine = createEngine();
        useProjectProtos(engine);
        const r = await writePcapngExport({ file: source, out, streams: refs, filter: filter ?? '', engine });
        if (source !== c.path) rmSync(source, { force: true });
        const id = `x${nextExport++}`;
        const ticket: ExportTicket = {
          export: id,
          name: exportName(c.info.name, streams, !!filter),
          size: r.size,
          packets: r.packets,
        };
        open.set(id, { ticket, folder, path: out, fd: openSync(out, 'r') });
        while (open.size > MAX_OPEN_EXPORTS) release(open.keys().next().value!);
        return ticket;
      } catch (e) {
        rmSync(folder, { recursive: true, force: true });
        if (e instanceof ExportRefused) throw new ApiFailure('bad-input', e.message);
        if (e instanceof ApiFailure) throw e;
        const msg = (e instanceof Error ? e.message : String(e)).split(source).join(c.info.name);
        throw new ApiFailure('io', `${c.info.name} could not be exported: ${msg}`);
      }
    },

    'export.read'({ export: id, offset, length }) {
      const e = open.get(id);
      if (!e)
        throw new ApiFailure(
          'not-found',
          'This export is no longer available (read to the end, or the page was reloaded).',
        );
      const { size } = e.ticket;
      if (offset > size)
        throw new ApiFailure('bad-input', `Offset ${offset} is past the export's ${size} bytes.`);
      const n = Math.min(length, MAX_EXPORT_READ, size - offset);
      const buf = new Uint8Array(n);
      let got = 0;
      while (got < n) {
        const k = readSync(e.fd, buf, got, n - got, offset + got);
        if (k === 0) break;
        got += k;
      }
      if (offset + got >= size) release(id);
      return got === n ? buf : buf.subarray(0, got);
    },
  };
}
