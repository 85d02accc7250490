// The main side of an open capture: starts the index worker, mirrors its index (the blocks are
// shared memory; the worker announces how many records are final), and forwards row and detail
// requests to the worker, which owns the engine and the session (docs/decisions/index-worker.md).
//
// Rows can be asked for as soon as the first progress message has arrived: the worker answers
// between reader chunks, for every frame its first pass has already covered.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { CaptureError } from '../../shared/capture/types';
import type {
  DnsStats,
  EndpointStats,
  ExpertStats,
  HttpStats,
  FilterValues,
  IoLine,
  IoStats,
  PhsStats,
  StatsKind,
  TcpGraphStats,
} from '../../shared/contract/api';
import type { Dissection } from '../../shared/dissect/types';
import type { Row } from '../../shared/index/columns';
import type { CaptureSummary } from '../../shared/index/indexer';
import { PacketIndex } from '../../shared/index/packet-index';
import type { MessageLevel, MessagesResult } from '../../shared/messages/messages';
import type { StreamRef } from '../../shared/messages/source';
import type { DecodeAs } from '../cli/args';
import type { FromWorker, IndexWorkerData, ToWorker, WorkerFailure } from '../workers/index-protocol';
import type { ColoredRows, ConversationTables, FindKind, TextColumn } from './worker-requests';

export interface IndexProgress {
  bytes: number;
  total: number;
  packets: number;
}

export interface OpenCaptureOptions {
  chunkSize?: number;
  decodeAs?: DecodeAs[];
  /** The worker script; by default the bundled index-worker.mjs beside this module, or the TypeScript source through tsx. */
  worker?: URL;
  /** Live capture: bytes come through `push` and `end`, not by reading the file (IndexWorkerData.live). */
  live?: boolean;
  onProgress?: (p: IndexProgress) => void;
}

export interface FrameDetail {
  dissection: Dissection;
  bytes: Uint8Array;
}

/** Where the worker script is: next to the bundle, or the source file when running from source. */
export function defaultWorker(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts')
    ? new URL('../workers/index-worker.ts', here)
    : new URL('./index-worker.mjs', here);
}

/** tsx's ESM API entry (`tsx/esm/api` under the import condition, which require.resolve cannot pick). */
function tsxEsmApi(): string {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  return pathToFileURL(join(dirname(pkgPath), pkg.exports['./esm/api'].import.default)).href;
}

/**
 * Starts a worker on a script; a TypeScript source (tests, `tsx` runs) is loaded through tsx,
 * registered inside the worker first (execArgv `--import` does not reach a worker's entry).
 */
export function startWorker(url: URL, workerData: unknown, opts: WorkerOptions = {}): Worker {
  if (!url.href.endsWith('.ts')) return new Worker(url, { ...opts, workerData });
  const boot = `import(${JSON.stringify(tsxEsmApi())}).then((t) => { t.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { ...opts, eval: true, workerData });
}

export function toError(f: WorkerFailure): Error {
  if (f.name === 'CaptureError') return new CaptureError(f.message, f.offset ?? 0);
  const e = new Error(f.message);
  e.name = f.name;
  return e;
}

export class CaptureIndex {
  /** The index as far as the worker has published it (shared blocks, read-only on this side). */
  readonly index = new PacketIndex();
  /** Resolves when the pass is over (the summary), rejects with the reader's error. */
  readonly done: Promise<CaptureSummary>;
  /** Resolves once the first records are visible (or the pass ended without any). */
  readonly firstRows: Promise<number>;
  progress: IndexProgress = { bytes: 0, total: 0, packets: 0 };
  /** The pass was stopped by `cancel()` before the end of the file. */
  cancelled = false;
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: never) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private closed = false;

  constructor(
    readonly path: string,
    opts: OpenCaptureOptions = {},
  ) {
    const data: IndexWorkerData = {
      path,
      chunkSize: opts.chunkSize,
      decodeAs: opts.decodeAs,
      live: opts.live,
    };
    this.worker = startWorker(opts.worker ?? defaultWorker(), data);
    let resolveDone!: (s: CaptureSummary) => void;
    let rejectDone!: (e: Error) => void;
    let resolveFirst!: (n: number) => void;
    this.done = new Promise((res, rej) => {
      resolveDone = res;
      rejectDone = rej;
    });
    this.firstRows = new Promise((res) => (resolveFirst = res));
    // Callers that only await `firstRows` must not see an unhandled rejection from `done`.
    this.done.catch(() => undefined);

    this.worker.on('message', (m: FromWorker) => {
      switch (m.type) {
        case 'block':
          this.index.adoptBlock(m.index, m.buffer);
          break;
        case 'progress':
          this.index.applyDelta(m.tables);
          this.index.publish(m.count);
          this.progress = { bytes: m.bytes, total: m.total, packets: m.count };
          if (m.count > 0) resolveFirst(m.count);
          opts.onProgress?.(this.progress);
          break;
        case 'done':
          this.index.applyDelta(m.tables);
          this.index.publish(m.count);
          this.progress = {
            ...this.progress,
            packets: m.count,
            bytes: this.progress.total || this.progress.bytes,
          };
          this.cancelled = m.cancelled;
          resolveFirst(m.count);
          resolveDone(m.summary);
          break;
        case 'failed':
          this.index.applyDelta(m.tables);
          this.index.publish(m.count);
          resolveFirst(m.count);
          rejectDone(toError(m.error));
          break;
        case 'rows':
        case 'detail': {
          const p = this.pending.get(m.id);
          this.pending.delete(m.id);
          p?.resolve(
            (m.type === 'rows'
              ? m.rows
              : m.dissection && m.bytes
                ? { dissection: m.dissection, bytes: m.bytes }
                : null) as never,
          );
          break;
        }
        case 'colored-rows':
        case 'conversations':
        case 'messages':
        case 'stats':
        case 'values':
        case 'sort':
        case 'filter': {
          const p = this.pending.get(m.id);
          this.pending.delete(m.id);
          p?.resolve((m.type === 'sort' ? m.order : m.type === 'filter' ? m.frames : m.result) as never);
          break;
        }
        case 'find': {
          const p = this.pending.get(m.id);
          this.pending.delete(m.id);
          p?.resolve(m.frame as never);
          break;
        }
        case 'reply-error': {
          const p = this.pending.get(m.id);
          this.pending.delete(m.id);
          p?.reject(toError(m.error));
          break;
        }
      }
    });
    this.worker.on('error', (e) => {
      rejectDone(e);
      resolveFirst(this.index.count);
      this.failPending(e);
    });
    this.worker.on('exit', () => {
      rejectDone(new Error(`${path}: the index worker stopped`));
      resolveFirst(this.index.count);
      this.failPending(new Error(`${path}: the capture is closed`));
    });
  }

  /** Packets indexed so far. */
  get count(): number {
    return this.index.count;
  }

  /** Summary rows for frames [from, from + count) among those indexed so far. */
  rows(from: number, count: number): Promise<Row[]> {
    return this.request({ type: 'rows', id: 0, from, count });
  }

  /** The full tree of one frame (null when the frame is not indexed or its bytes are gone). */
  detail(frame: number): Promise<FrameDetail | null> {
    return this.request({ type: 'detail', id: 0, frame });
  }

  /** Rows for these frame numbers (any order) with the colouring filter each matches first. */
  coloredRows(frames: number[], coloring?: string[]): Promise<ColoredRows> {
    return this.request({ type: 'colored-rows', id: 0, frames, ...(coloring ? { coloring } : {}) });
  }

  /** Frames 1..count ordered by a text column (ascending, stable). */
  sortByText(column: TextColumn, count: number): Promise<Uint32Array> {
    return this.request({ type: 'sort', id: 0, column, count });
  }

  /** Frames 1..count a display filter selects, in frame order. */
  filter(text: string, count: number): Promise<Uint32Array> {
    return this.request({ type: 'filter', id: 0, text, count });
  }

  /** The next frame after `from` (wrapping) that matches, 0 when none (Find packet). */
  find(kind: FindKind, text: string, from: number, count: number, within?: string): Promise<number> {
    return this.request({ type: 'find', id: 0, kind, text, from, count, within });
  }

  /** TCP and UDP conversations seen so far. */
  conversations(): Promise<ConversationTables> {
    return this.request({ type: 'conversations', id: 0 });
  }

  /** The Statistics views' figures over the frames indexed so far (interval in microseconds). */
  stats(
    kind: StatsKind,
    interval: number,
    stream?: number,
    lines?: IoLine[],
  ): Promise<PhsStats | ExpertStats | IoStats | EndpointStats | TcpGraphStats | HttpStats | DnsStats> {
    return this.request({ type: 'stats', id: 0, kind, interval, stream, lines });
  }

  /** Values a field takes in the capture (filter completion), from a bounded scan. */
  values(field: string, prefix?: string): Promise<FilterValues> {
    return this.request({ type: 'values', id: 0, field, prefix });
  }

  /** The sequence diagram's messages of these conversations (all when empty), at these levels. */
  messages(streams: StreamRef[], levels: MessageLevel[], after?: number): Promise<MessagesResult> {
    return this.request({ type: 'messages', id: 0, streams, levels, after });
  }

  /**
   * Live capture: the next bytes of the stream, already written to `path` at the same offset (the
   * worker reads packets back from the file for details). The chunk is transferred.
   */
  push(chunk: Uint8Array): void {
    if (this.closed) return;
    // A copy unless the view owns its whole buffer (a Node Buffer's slice shares its pool).
    const own =
      chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength && !(chunk instanceof Buffer)
        ? chunk
        : Uint8Array.prototype.slice.call(chunk);
    this.worker.postMessage({ type: 'chunk', bytes: own } satisfies ToWorker, [own.buffer as ArrayBuffer]);
  }

  /** Live capture: the stream ended; the pass finishes (`done` resolves) with what arrived. */
  end(): void {
    if (!this.closed) this.send({ type: 'end' });
  }

  /** Stops the index pass; the frames indexed so far stay available. */
  cancel(): void {
    if (!this.closed) this.send({ type: 'cancel' });
  }

  /** Ends the worker and releases the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const exited = new Promise<void>((res) => this.worker.once('exit', () => res()));
    this.send({ type: 'close' });
    // A worker stuck in a long synchronous stretch is stopped rather than waited for.
    const timer = setTimeout(() => void this.worker.terminate(), 2000);
    await exited;
    clearTimeout(timer);
  }

  private request<T>(m: Extract<ToWorker, { id: number }>): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`${this.path}: the capture is closed`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: never) => void, reject });
      this.send({ ...m, id } as ToWorker);
    });
  }

  private send(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  private failPending(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}

/** Opens a capture: the index pass starts at once in a worker thread. */
export function openCaptureIndex(path: string, opts: OpenCaptureOptions = {}): CaptureIndex {
  return new CaptureIndex(path, opts);
}
