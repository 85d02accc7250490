// The index pass over a capture file, in the calling thread: the file streamed through the reader
// into the first-pass indexer. The CLI runs it directly; the index worker runs the same code in a
// worker thread (electron/workers/index-worker.ts).
import { closeSync, openSync, readSync } from 'node:fs';
import type { CapturePacket, CaptureSink } from '../../shared/capture/types';
import type { Engine, FirstPass } from '../../shared/dissect/engine';
import type { Dissection } from '../../shared/dissect/types';
import { Session } from '../../shared/dissect/packet';
import { createEngine } from '../../shared/dissectors';
import type { FrameReader } from '../../shared/index/columns';
import { Indexer, type CaptureSummary } from '../../shared/index/indexer';
import { PacketIndex } from '../../shared/index/packet-index';
import { readCaptureFile } from '../files/capture-file';
import { createReader } from '../../shared/capture/reader';
import { openRandomAccess } from '../files/random-access';

export interface IndexFileOptions {
  engine?: Engine;
  session?: Session;
  index?: PacketIndex;
  /**
   * Build the tree and/or the columns on the first pass (tshark's single pass), for callers that
   * print as they read; the dissection goes to `onPacket`. Both off by default (the index pass).
   */
  tree?: boolean;
  cols?: boolean;
  /** Called after each packet's first pass (its record is written; `p.data` still valid). */
  onPacket?: (p: CapturePacket, i: number, d: Dissection) => void;
  onProgress?: (bytes: number, total: number) => void;
  /** Each record once written, with the frame's application messages (Indexer.afterRecord). */
  afterRecord?: (i: number, pass: FirstPass) => void;
  signal?: AbortSignal;
  chunkSize?: number;
}

export interface IndexedCapture {
  path: string;
  engine: Engine;
  session: Session;
  index: PacketIndex;
  summary: CaptureSummary;
}

/** Reads the whole file once, building the index and the session. Rejects with the reader's errors. */
export async function indexFile(path: string, opts: IndexFileOptions = {}): Promise<IndexedCapture> {
  const engine = opts.engine ?? createEngine();
  const session = opts.session ?? new Session();
  const indexer = new Indexer(engine, session, opts.index ?? new PacketIndex());
  if (opts.afterRecord) indexer.afterRecord = opts.afterRecord;
  const onPacket = opts.onPacket;
  const tree = opts.tree ?? false;
  const cols = opts.cols ?? false;
  const sink: CaptureSink = onPacket
    ? indexer.sink((p) => {
        const d = indexer.packet(p, tree, cols);
        onPacket(p, indexer.index.count - 1, d);
      })
    : { ...indexer.sink(), packetAt: (s) => indexer.indexSlot(s) };
  try {
    await readCaptureFile(path, sink, {
      chunkSize: opts.chunkSize,
      onProgress: opts.onProgress,
      signal: opts.signal,
    });
  } catch (e) {
    // A caller that stops the pass on purpose (`list -c N`) keeps what was indexed so far.
    if (!opts.signal?.aborted) throw e;
  }
  return { path, engine, session, index: indexer.index, summary: indexer.finish() };
}

/** A live index pass: the stream's chunks are pushed as they arrive instead of read from a file. */
export interface LiveIndexPass {
  /** The next bytes of the stream; throws the reader's CaptureError on a damaged stream. */
  push(chunk: Uint8Array): void;
  /** The stream ended: a cut last packet becomes a warning; the summary of everything indexed. */
  end(): CaptureSummary;
}

export function liveIndexPass(
  path: string,
  opts: Pick<IndexFileOptions, 'engine' | 'session' | 'index'> = {},
): LiveIndexPass {
  const engine = opts.engine ?? createEngine();
  const session = opts.session ?? new Session();
  const indexer = new Indexer(engine, session, opts.index ?? new PacketIndex());
  const reader = createReader(indexer.sink(), { name: path });
  return {
    push: (chunk) => reader.push(chunk),
    end: () => {
      reader.end();
      return indexer.finish();
    },
  };
}

export interface FrameFile {
  /** Bytes of record i, or null when they cannot be read (see `lastError`). */
  read: FrameReader;
  /** Why the latest failed read failed (file gone, shortened since the pass…). */
  lastError: string | null;
  close(): void;
}

/** Random access to indexed packets' bytes by their file offsets; the file opens on first read. */
export function frameReader(path: string, index: PacketIndex): FrameFile {
  let file: ReturnType<typeof openRandomAccess> | null = null;
  const ff: FrameFile = {
    lastError: null,
    read: (i) => {
      if (i < 0 || i >= index.count) return null;
      try {
        file ??= openRandomAccess(path);
        return file.read(index.dataOffset(i), index.caplen(i));
      } catch (e) {
        ff.lastError = e instanceof Error ? e.message : String(e);
        return null;
      }
    },
    close: () => {
      file?.close();
      file = null;
    },
  };
  return ff;
}

/** Bytes read from the file at a time: frames are asked for in frame order, so one read serves
 * hundreds of them instead of one system call per frame (the application pass over a 1M-frame
 * capture spent about half its time in those reads; a display filter runs in frame order too). */
const WINDOW = 4 * 1024 * 1024;
/** Windows kept: reassembled PDUs read back earlier frames of their stream. */
const WINDOWS = 4;

/**
 * A FrameReader for passes that read most frames in order: the file is read in WINDOW-byte
 * windows, the last WINDOWS kept for frames asked for again. Each frame's bytes are copied out of
 * its window, so callers may keep them (views were measured no faster, and would keep whole
 * windows alive). Anything unusual (a frame larger than half a window, a read error) goes to
 * `fallback`, the plain one-read-per-frame reader.
 */
export function windowedReader(
  path: string,
  index: PacketIndex,
  fallback: FrameReader,
): { read: FrameReader; close(): void } {
  let fd = -1;
  try {
    fd = openSync(path, 'r');
  } catch {
    return { read: fallback, close: () => {} };
  }
  const windows: { start: number; end: number; bytes: Uint8Array }[] = [];
  const load = (offset: number): { start: number; end: number; bytes: Uint8Array } | null => {
    const bytes = windows.length === WINDOWS ? windows.pop()!.bytes : new Uint8Array(WINDOW);
    let got = 0;
    try {
      while (got < WINDOW) {
        const n = readSync(fd, bytes, got, WINDOW - got, offset + got);
        if (n === 0) break;
        got += n;
      }
    } catch {
      return null;
    }
    const w = { start: offset, end: offset + got, bytes };
    windows.unshift(w);
    return w;
  };
  const read: FrameReader = (i) => {
    if (i < 0 || i >= index.count || fd < 0) return fallback(i);
    const at = index.dataOffset(i);
    const n = index.caplen(i);
    if (n > WINDOW / 2) return fallback(i);
    let w: { start: number; end: number; bytes: Uint8Array } | null = null;
    for (let k = 0; k < windows.length; k++) {
      const x = windows[k];
      if (at >= x.start && at + n <= x.end) {
        w = x;
        break;
      }
    }
    // Frames go forward: a new window starts at the frame asked for.
    w ??= load(at);
    if (!w || at + n > w.end) return fallback(i);
    return w.bytes.slice(at - w.start, at - w.start + n);
  };
  return {
    read,
    close: () => {
      if (fd >= 0) closeSync(fd);
      fd = -1;
      windows.length = 0;
    },
  };
}
