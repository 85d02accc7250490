// The one implementation of the API contract (shared/contract/api.ts), in plain Node. The desktop
// (electron/ipc) and serve mode (electron/serve) are only transports in front of it: each page
// that connects gets a `PageSession`, whose `dispatch` is the single place where a verb's input is
// checked against its guard, and whose events go to that page alone.
//
// A capture belongs to the page that opened it and closes with it. Captures are indexed by the
// index worker (capture-index.ts); the views the packet list asks for (sorted, filtered to one
// conversation) map row positions to frame numbers here, over the index the worker shares.
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { CaptureError } from '../../shared/capture/types';
import {
  api,
  explainRefusal,
  isVerb,
  UPLOAD_CHUNK,
  type ApiError,
  type ApiErrorCode,
  type ApiResult,
  type AppCommand,
  type CaptureId,
  type CaptureInfo,
  type CaptureOrigin,
  type CaptureState,
  type Conversation,
  type ConversationList,
  type FilterCheck,
  type FilterField,
  type FilterValues,
  type EventName,
  type Hello,
  type InputOf,
  type LiveSourceInfo,
  type LiveState,
  type MessageList,
  type OutputOf,
  type PacketDetail,
  type PacketRow,
  type PayloadOf,
  type RowBatch,
  type Shell,
  type StatsResult,
  type UploadTicket,
  type Verb,
  type ViewSpec,
} from '../../shared/contract/api';
import { ipv4Text, ipv6Text } from '../../shared/dissect/format';
import { allFields } from '../../shared/dissect/fields';
import '../../shared/dissectors';
import { compileFilter } from '../../shared/filter/compile';
import type { ConversationInfo } from '../../shared/conversations';
import { parseStreamRef, type StreamRef } from '../../shared/messages/source';
import { PacketFlag, SEVERITY_MASK, SEVERITY_SHIFT } from '../../shared/index/packet-index';
import { fileError } from '../files/file-errors';
import { openCaptureIndex, type CaptureIndex, type OpenCaptureOptions } from './capture-index';
import type { RecentFiles } from './recent-files';
import { fieldFilter, parseHexBytes } from './worker-requests';
import type { LiveSource } from '../live/source';
import { exportHandlers } from './export-handlers';
import { labHandlers } from './lab-handlers';
import { liveHandlers } from './live-handlers';
import type { HostedCapture, PageHost } from './page-host';

/** A failure a handler reports on purpose, with the code the page sees. */
export class ApiFailure extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly offset?: number,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

/** Any thrown value as the typed error the page gets, in plain words. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiFailure)
    return e.offset === undefined
      ? { code: e.code, message: e.message }
      : { code: e.code, message: e.message, offset: e.offset };
  if (e instanceof CaptureError) return { code: 'capture-format', message: e.message, offset: e.offset };
  if (e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string')
    return { code: 'io', message: e.message };
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

function isApiError(e: unknown): e is ApiError {
  return (
    typeof e === 'object' &&
    e !== null &&
    !(e instanceof Error) &&
    typeof (e as ApiError).code === 'string' &&
    typeof (e as ApiError).message === 'string'
  );
}

export interface BackendOptions {
  shell: Shell;
  version: string;
  /** Desktop: shows the native open dialog for this page; null when the user cancels. */
  pickFile?: (page: PageSession) => Promise<string | null>;
  /** Desktop: projection on another display (`app.present`); the label of the display used, or null. */
  present?: (page: PageSession, on: boolean) => Promise<string | null>;
  /** Desktop: the recent-files list. Absent in serve mode. */
  recent?: RecentFiles;
  /** Accept `capture.openDropped` (desktop, where the preload derives the path from a dropped File). */
  acceptDroppedPaths?: boolean;
  /** Where uploads are written (a fresh folder under the OS temp folder by default). */
  uploadDir?: string;
  /** Index worker options (tests pass a worker URL, a chunk size). */
  capture?: Omit<OpenCaptureOptions, 'onProgress'>;
  now?: () => number;
}

export type EventSink = <E extends EventName>(name: E, payload: PayloadOf<E>) => void;

type Handlers = { [V in Verb]: (input: InputOf<V>) => Promise<OutputOf<V>> | OutputOf<V> };

const MAX_UPLOADS_PER_PAGE = 4;
/**
 * Reader chunk for the app's index passes. The worker answers row requests between chunks, so a
 * chunk is the longest a visible row waits while a file loads, and the first chunk decides when
 * the first rows appear. On the 1M-packet bench capture (2 busy cores) 256 KiB gave first rows in
 * 133 ms against 219 ms with 1 MiB, and the whole pass 5.6 s against 5.4 s (within run-to-run noise).
 */
export const APP_CHUNK_SIZE = 256 << 10;
/** While indexing, a sorted view is recomputed at most this often (a sort walks every packet). */
const RESORT_MS = 1500;

export class Backend {
  private nextCapture = 1;
  private nextUpload = 1;
  private readonly pages = new Set<PageSession>();
  private uploadRoot: string | null = null;
  private readonly parked: (OpenCapture | ApiError)[] = [];
  readonly now: () => number;

  constructor(readonly options: BackendOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /** A page connected (a window loaded, a socket opened): its own session and event sink. */
  connect(sink: EventSink): PageSession {
    const page = new PageSession(this, sink);
    this.pages.add(page);
    return page;
  }

  /** @internal */
  forget(page: PageSession): void {
    this.pages.delete(page);
  }

  /** @internal */
  captureId(): CaptureId {
    return `c${this.nextCapture++}`;
  }

  /** @internal */
  uploadId(): string {
    return `u${this.nextUpload++}`;
  }

  /** @internal A fresh folder for one upload (its file keeps the uploaded name for messages). */
  uploadFolder(): string {
    if (!this.uploadRoot) {
      const base = this.options.uploadDir ?? tmpdir();
      mkdirSync(base, { recursive: true });
      this.uploadRoot = mkdtempSync(join(base, 'wirescope-uploads-'));
    }
    return mkdtempSync(join(this.uploadRoot, 'u'));
  }

  /** @internal Opens a capture file (the index pass starts at once); its owner gets the events. */
  openCapture(
    path: string,
    origin: CaptureOrigin,
    shownName?: string,
    tempFolder: string | null = null,
    live?: LiveSourceInfo,
  ): OpenCapture {
    let size: number;
    try {
      const st = statSync(path);
      if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      // A FIFO or a device would block the reader or never end; captures are regular files here
      // (live capture has its own path through a capture helper).
      if (!st.isFile())
        throw new ApiFailure('io', `${shownName ?? path}: cannot open the capture: not a regular file`);
      size = st.size;
    } catch (e) {
      if (e instanceof ApiFailure) throw e;
      throw new ApiFailure('io', fileError(shownName ?? path, e, 'open the capture').message);
    }
    const id = this.captureId();
    const info: CaptureInfo = { id, name: shownName ?? basename(path), size, origin };
    if (origin !== 'upload' && !live) info.path = path;
    if (live) info.live = live;
    let cap: OpenCapture | null = null;
    const index = openCaptureIndex(path, {
      chunkSize: APP_CHUNK_SIZE,
      ...this.options.capture,
      live: !!live,
      onProgress: (p) => {
        if (cap?.phase === 'indexing')
          cap.owner?.emitFor(cap, 'capture.progress', {
            capture: id,
            bytes: p.bytes,
            total: p.total,
            packets: p.packets,
          });
      },
    });
    const c = new OpenCapture(
      info,
      index,
      path,
      this.now(),
      tempFolder,
      shownName && shownName !== path ? [path, shownName] : null,
    );
    cap = c;
    index.done
      .then(
        (summary) => {
          // Reader warnings name the path it read; an upload's temp path means nothing to the user.
          c.summary = {
            ...summary,
            warnings: summary.warnings.map((w) => ({ ...w, message: c.renamed(w.message) })),
          };
          c.phase = index.cancelled ? 'cancelled' : 'done';
        },
        (e: unknown) => {
          c.phase = 'failed';
          c.error = c.cleanMessage(toApiError(e));
        },
      )
      .finally(() => {
        c.loadMs = Math.round(this.now() - c.startedAt);
        c.views.clear();
        c.textOrders.clear();
        c.owner?.emitFor(c, 'capture.finished', c.state());
      });
    return c;
  }

  /**
   * Opens a capture before any page has connected (serve mode's command line); the first page
   * to connect adopts it (`PageSession.adoptParked`). A file that cannot be opened is kept as the
   * notice that page will get.
   */
  park(path: string, origin: CaptureOrigin = 'command-line'): void {
    try {
      this.parked.push(this.openCapture(path, origin));
    } catch (e) {
      this.parked.push(toApiError(e));
    }
  }

  /** @internal */
  takeParked(): (OpenCapture | ApiError)[] {
    return this.parked.splice(0);
  }

  /** Closes every page's captures and removes uploaded files. */
  async close(): Promise<void> {
    // Uploaded files go first, synchronously: an app quitting may not wait for the workers to end
    // (on POSIX an open file can be unlinked; where it cannot, the second attempt gets it).
    this.removeUploads();
    await Promise.all([
      ...[...this.pages].map((p) => p.dispose()),
      ...this.takeParked().map((p) => (p instanceof OpenCapture ? p.index.close() : undefined)),
    ]);
    this.removeUploads();
    this.uploadRoot = null;
  }

  private removeUploads(): void {
    if (!this.uploadRoot) return;
    try {
      rmSync(this.uploadRoot, { recursive: true, force: true });
    } catch {
      // A file still open elsewhere (Windows); removed on the next attempt or by the OS temp cleaner.
    }
  }
}

interface Upload {
  name: string;
  size: number;
  received: number;
  folder: string;
  path: string;
  fh: FileHandle;
  /** Chunks are written one after another even if a client sends the next before the reply. */
  writing: Promise<unknown>;
}

interface CachedView {
  count: number;
  at: number;
  frames: Uint32Array;
}

/** A live capture's source and the temp file its stream is written to. */
interface LiveFeed {
  source: LiveSource;
  state: LiveState;
  /** The temp file's descriptor while the source runs; -1 once closed. */
  fd: number;
}

class OpenCapture implements HostedCapture {
  /** The page it belongs to; null while parked (opened before any page connected). */
  owner: PageSession | null = null;
  /** Set for live captures. */
  feed: LiveFeed | null = null;
  phase: CaptureState['phase'] = 'indexing';
  loadMs: number | null = null;
  summary: CaptureState['summary'] = null;
  error: ApiError | null = null;
  /** Frames of one conversation, scanned incrementally over the growing index. */
  readonly streams = new Map<string, { scanned: number; frames: number[] }>();
  readonly views = new Map<string, CachedView>();
  /** Frames a display filter selects (the worker's filter pass), by filter text. */
  readonly filtered = new Map<string, Promise<CachedView>>();
  /** Whole-capture orders by a text column (the worker's slow sort), shared by every view. */
  readonly textOrders = new Map<string, Promise<CachedView>>();

  constructor(
    readonly info: CaptureInfo,
    readonly index: CaptureIndex,
    /** The file the index reads (a live capture's temp file). */
    readonly path: string,
    readonly startedAt: number,
    /** An uploaded file's folder, removed on close. */
    readonly tempFolder: string | null,
    /** The path in reader messages, and the name to show instead (uploads). */
    readonly rename: [string, string] | null,
  ) {}

  state(): CaptureState {
    const p = this.index.progress;
    return {
      info: this.info,
      phase: this.phase,
      progress: { bytes: p.bytes, total: p.total, packets: this.index.count },
      loadMs: this.loadMs,
      summary: this.summary,
      error: this.error,
      ...(this.feed ? { live: { ...this.feed.state } } : {}),
    };
  }

  cleanMessage(e: ApiError): ApiError {
    return this.rename ? { ...e, message: this.renamed(e.message) } : e;
  }

  renamed(message: string): string {
    return this.rename ? message.split(this.rename[0]).join(this.rename[1]) : message;
  }
}

export class PageSession implements PageHost {
  private readonly captures = new Map<CaptureId, OpenCapture>();
  private readonly disposers: (() => Promise<void> | void)[] = [];
  private readonly uploads = new Map<string, Upload>();
  private disposed = false;
  /** Notices kept until the page says hello (events sent before it listens would be lost). */
  private notices: ApiError[] | null = [];
  private readonly handlers: Handlers;

  constructor(
    private readonly backend: Backend,
    private readonly sink: EventSink,
  ) {
    const opts = backend.options;
    this.handlers = {
      ...liveHandlers(this),
      ...labHandlers(this),
      ...exportHandlers(this),
      'app.hello': (): Hello => {
        const notices = this.notices ?? [];
        this.notices = null;
        return {
          shell: opts.shell,
          version: opts.version,
          canPick: !!opts.pickFile,
          canOpenPaths: !!opts.acceptDroppedPaths,
          canPresent: !!opts.present,
          captures: [...this.captures.values()].map((c) => c.state()),
          recent: opts.recent?.list() ?? [],
          notices,
        };
      },
      'app.present': async ({ on }) => {
        if (!opts.present)
          throw new ApiFailure('unsupported', 'Only the desktop app can move the window to another display.');
        return { display: await opts.present(this, on) };
      },
      'capture.pick': async () => {
        if (!opts.pickFile)
          throw new ApiFailure(
            'unsupported',
            'This view has no file dialog: drop a file on the window or use the file picker.',
          );
        const path = await opts.pickFile(this);
        return path ? this.openPath(path, 'dialog') : null;
      },
      'capture.openDropped': ({ path }) => {
        if (!opts.acceptDroppedPaths)
          throw new ApiFailure('forbidden', 'Files cannot be opened by path here; upload them instead.');
        return this.openPath(path, 'drop');
      },
      'capture.openRecent': ({ path }) => {
        if (!opts.recent) throw new ApiFailure('unsupported', 'There is no recent-files list here.');
        if (!opts.recent.has(path))
          throw new ApiFailure('forbidden', `${path} is not on the recent-files list.`);
        return this.openPath(path, 'recent');
      },
      'capture.state': ({ capture }) => this.capture(capture).state(),
      'capture.cancel': ({ capture }) => this.capture(capture).index.cancel(),
      'capture.close': ({ capture }) => this.closeCapture(capture),

      'upload.begin': (input) => this.beginUpload(input.name, input.size),
      'upload.chunk': (input) => this.uploadChunk(input.upload, input.offset, input.bytes),
      'upload.finish': ({ upload }) => this.finishUpload(upload),
      'upload.abort': ({ upload }) => this.abortUpload(upload),

      'packets.rows': (input) =>
        this.rows(input.capture, input.from, input.count, input.view, input.coloring),
      'packets.position': async ({ capture, frame, view }) => {
        const c = this.capture(capture);
        const frames = await this.viewFrames(c, view);
        if (!frames) return frame <= c.index.count ? frame - 1 : -1;
        return frames.indexOf(frame);
      },
      'packets.detail': async ({ capture, frame }): Promise<PacketDetail | null> => {
        const d = await this.capture(capture).index.detail(frame);
        return d ? { capture, frame, dissection: d.dissection, bytes: d.bytes } : null;
      },

      'filter.check': async ({ text }): Promise<FilterCheck> => {
        const c = compileFilter(text);
        return c.ok ? { ok: true, fields: [...c.filter.fields] } : { ok: false, ...c.error };
      },
      'filter.fields': async (): Promise<FilterField[]> => filterFields(),
      'filter.values': async ({ capture, field, prefix }): Promise<FilterValues> =>
        this.capture(capture).index.values(field, prefix),
      'filter.forField': async ({ capture, frame, layer, path }) => {
        const d = await this.capture(capture).index.detail(frame);
        return d ? fieldFilter(d.dissection, layer, path) : null;
      },
      'packets.find': async ({ capture, from, kind, text, within }) => {
        const c = this.capture(capture);
        for (const f of [kind === 'filter' ? text : '', within ?? '']) {
          const check = f ? compileFilter(f) : null;
          if (check && !check.ok) throw new ApiFailure('bad-input', `Display filter: ${check.error.message}`);
        }
        if (kind === 'hex' && !parseHexBytes(text)) {
          throw new ApiFailure('bad-input', `Not hex bytes: “${text}” (e.g. 47 45 54)`);
        }
        return c.index.find(kind, text, from, c.index.count, within);
      },
      'conversations.list': async ({ capture, kind }): Promise<ConversationList> => {
        const c = this.capture(capture);
        const complete = c.phase !== 'indexing';
        const t = await c.index.conversations();
        const idx = c.index.index;
        const first = idx.count > 0 ? [idx.tsSec(0), idx.tsNsec(0)] : [0, 0];
        const out: Conversation[] = [];
        if (kind !== 'udp') for (const x of t.tcp) out.push(conversation('tcp', x, first[0], first[1]));
        if (kind !== 'tcp') for (const x of t.udp) out.push(conversation('udp', x, first[0], first[1]));
        return { capture, conversations: out, complete };
      },

      'messages.list': async ({ capture, streams, level, after }): Promise<MessageList> => {
        const c = this.capture(capture);
        const refs: StreamRef[] = [];
        for (const text of streams) {
          const ref = parseStreamRef(text);
          if (!ref)
            throw new ApiFailure('bad-input', `"${text}" is not a conversation: expected tcp:N or udp:N.`);
          refs.push(ref);
        }
        const complete = c.phase !== 'indexing';
        const r = await c.index.messages(refs, level ? [level] : [], after);
        return { capture, ...r, complete };
      },

      'stats.get': async ({ capture, kind, interval, stream, lines }): Promise<StatsResult> => {
        const c = this.capture(capture);
        const complete = c.phase !== 'indexing';
        const r = await c.index.stats(kind, interval ?? 1_000_000, stream, lines);
        return { capture, complete, ...r };
      },

      'recent.list': () => opts.recent?.list() ?? [],
      'recent.clear': () => {
        opts.recent?.clear();
        this.sink('recent.changed', []);
      },
    };
  }

  /**
   * Runs one verb for this page. The only entry point for calls from a page: the verb must be in
   * the contract and its input must pass the contract's guard before any handler runs; every
   * failure comes back as a typed result, never as an exception across the transport.
   */
  async dispatch(verb: unknown, input: unknown): Promise<ApiResult<unknown>> {
    if (!isVerb(verb))
      return {
        ok: false,
        error: {
          code: 'unknown-verb',
          message: `Unknown call ${JSON.stringify(String(verb)).slice(0, 80)}.`,
        },
      };
    if (this.disposed) return { ok: false, error: { code: 'not-found', message: 'This page is closed.' } };
    const refusal = explainRefusal(api[verb].input, input);
    if (refusal)
      return {
        ok: false,
        error: { code: 'bad-input', message: `${verb}: ${refusal.path} must be ${refusal.expected}.` },
      };
    try {
      const handler = this.handlers[verb] as (i: unknown) => unknown;
      return { ok: true, value: await handler(input) };
    } catch (e) {
      return { ok: false, error: toApiError(e) };
    }
  }

  /** Tells the page about a problem outside any call (kept until it says hello). */
  notice(e: unknown): void {
    const err = isApiError(e) ? e : toApiError(e);
    if (this.notices) this.notices.push(err);
    else this.sink('app.notice', err);
  }

  /** Opens a file for the page, or tells it in plain words why it cannot (command line, OS). */
  openOrNotice(path: string, origin: CaptureOrigin): CaptureInfo | null {
    try {
      return this.openPath(path, origin);
    } catch (e) {
      this.notice(e);
      return null;
    }
  }

  get options(): BackendOptions {
    return this.backend.options;
  }

  readonly emit: EventSink = (name, payload) => this.sink(name, payload);

  onDispose(fn: () => Promise<void> | void): void {
    this.disposers.push(fn);
  }

  async openLive(source: LiveSource, name: string, live: LiveSourceInfo): Promise<CaptureInfo> {
    if (this.disposed) throw new ApiFailure('not-found', 'This page is closed.');
    const folder = this.backend.uploadFolder();
    const path = join(folder, 'live-capture');
    const fd = openSync(path, 'w');
    let c: OpenCapture;
    try {
      c = this.backend.openCapture(path, 'live', name, folder, live);
    } catch (e) {
      closeSync(fd);
      rmSync(folder, { recursive: true, force: true });
      throw e;
    }
    const feed: LiveFeed = { source, state: { running: true, problem: null }, fd };
    c.feed = feed;
    let started = false;
    let ended = false;
    const finish = (problem: string | null) => {
      if (ended) return;
      ended = true;
      if (feed.fd >= 0) closeSync(feed.fd);
      feed.fd = -1;
      feed.state = { running: false, problem };
      c.index.end();
      if (started) this.emitFor(c, 'live.changed', { capture: c.info.id, ...feed.state });
    };
    try {
      await source.start({
        data: (chunk) => {
          if (ended || feed.fd < 0) return;
          // Written before the worker hears of it: its detail requests read packets back from the file.
          let done = 0;
          while (done < chunk.byteLength) done += writeSync(feed.fd, chunk, done, chunk.byteLength - done);
          c.info.size += chunk.byteLength;
          c.index.push(chunk);
        },
        end: finish,
      });
    } catch (e) {
      finish(null);
      await c.index.close();
      rmSync(folder, { recursive: true, force: true });
      throw e instanceof ApiFailure
        ? e
        : new ApiFailure('forbidden', e instanceof Error ? e.message : String(e));
    }
    started = true;
    this.attach(c);
    return c.info;
  }

  async stopLive(capture: CaptureId): Promise<void> {
    const c = this.capture(capture);
    if (!c.feed) throw new ApiFailure('bad-input', `${c.info.name} is not a live capture.`);
    if (c.feed.state.running) await c.feed.source.stop();
  }

  /** Sends a native menu command to this page. */
  command(command: AppCommand): void {
    this.sink('app.command', { command });
  }

  /**
   * Opens a capture file for this page (dialog, drop, recent, command line, file association):
   * the index pass starts at once in a worker, and events follow.
   */
  openPath(
    path: string,
    origin: CaptureOrigin,
    shownName?: string,
    tempFolder: string | null = null,
  ): CaptureInfo {
    if (this.disposed) throw new ApiFailure('not-found', 'This page is closed.');
    const c = this.backend.openCapture(path, origin, shownName, tempFolder);
    this.attach(c);
    const recent = this.backend.options.recent;
    if (origin !== 'upload' && recent) {
      recent.add(path);
      this.sink('recent.changed', recent.list());
    }
    return c.info;
  }

  /**
   * Takes over the captures the backend opened before any page connected (serve mode's command
   * line: indexing starts at launch, so the first page finds its rows ready). Only the first page
   * gets them; returns whether there were any.
   */
  adoptParked(): boolean {
    const parked = this.backend.takeParked();
    for (const p of parked) {
      if (p instanceof OpenCapture) this.attach(p);
      else this.notice(p);
    }
    return parked.length > 0;
  }

  /** @internal An event about one of this page's captures (not one it has closed). */
  emitFor<E extends EventName>(c: OpenCapture, name: E, payload: PayloadOf<E>): void {
    if (this.captures.get(c.info.id) === c) this.sink(name, payload);
  }

  private attach(c: OpenCapture): void {
    c.owner = this;
    this.captures.set(c.info.id, c);
    this.sink('capture.opened', c.info);
  }

  /** Closes every capture and upload of this page (the page went away). */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.backend.forget(this);
    for (const fn of this.disposers.splice(0)) await Promise.resolve(fn()).catch(() => undefined);
    await Promise.all([...this.uploads.keys()].map((u) => this.abortUpload(u)));
    await Promise.all([...this.captures.keys()].map((c) => this.closeCapture(c, false)));
  }

  capture(id: CaptureId): OpenCapture {
    const c = this.captures.get(id);
    if (!c) throw new ApiFailure('not-found', `No open capture ${id} (it was closed, or never opened here).`);
    return c;
  }

  private async closeCapture(id: CaptureId, notify = true): Promise<void> {
    const c = this.capture(id);
    this.captures.delete(id);
    if (c.feed?.state.running) await c.feed.source.stop().catch(() => undefined);
    await c.index.close();
    if (c.tempFolder) rmSync(c.tempFolder, { recursive: true, force: true });
    if (notify) this.sink('capture.closed', { capture: id });
  }

  // Rows -----------------------------------------------------------------------------------

  private async rows(
    capture: CaptureId,
    from: number,
    count: number,
    view?: ViewSpec,
    coloring?: string[],
  ): Promise<RowBatch> {
    const c = this.capture(capture);
    // The first request usually arrives before the worker has indexed anything: wait for the
    // first rows (or the end of the pass) rather than answer with an empty list.
    // (Not for a live capture: its first packet may be minutes away.)
    if (c.index.count === 0 && c.phase === 'indexing' && !c.feed) await c.index.firstRows;
    const frames = await this.viewFrames(c, view);
    const total = frames ? frames.length : c.index.count;
    const end = Math.min(total, from + count);
    const list: number[] = [];
    for (let p = from; p < end; p++) list.push(frames ? frames[p] : p + 1);
    const complete = c.phase !== 'indexing';
    if (list.length === 0) return { capture, from, rows: [], total, complete };
    const { rows, colors } = await c.index.coloredRows(list, coloring);
    const idx = c.index.index;
    const out: PacketRow[] = rows.map((r, k) => {
      const i = r.number - 1;
      const flags = idx.flags(i);
      const sev = (flags & SEVERITY_MASK) >> SEVERITY_SHIFT;
      const kind = flags & PacketFlag.tcp ? 'tcp' : flags & PacketFlag.udp ? 'udp' : null;
      const stream = idx.stream(i);
      return {
        ...r,
        color: colors[k],
        severity: SEVERITIES[sev] ?? null,
        malformed: (flags & PacketFlag.malformed) !== 0,
        truncated: (flags & PacketFlag.truncated) !== 0,
        stream: kind && stream >= 0 ? { kind, stream } : null,
      };
    });
    return { capture, from, rows: out, total, complete };
  }

  /** Frame numbers of a view in order, or null for the plain view (position p = frame p + 1). */
  private async viewFrames(c: OpenCapture, view?: ViewSpec): Promise<Uint32Array | number[] | null> {
    const conv = view?.conversation;
    const sort = view?.sort;
    const filter = view?.filter;
    if (filter) {
      const check = compileFilter(filter);
      if (!check.ok) throw new ApiFailure('bad-input', `Display filter: ${check.error.message}`);
    }
    if (!conv && !filter && (!sort || (sort.column === 'number' && !sort.descending))) return null;
    let base = conv ? this.streamFrames(c, conv.kind, conv.stream) : null;
    if (filter) base = intersect(await this.filterFrames(c, filter), base);
    if (!sort || (sort.column === 'number' && !sort.descending)) return base;
    const key = JSON.stringify({ sort, conv: conv ?? null, filter: filter ?? null });
    const n = c.index.count;
    const cached = c.views.get(key);
    if (
      cached &&
      (cached.count === n || (c.phase === 'indexing' && this.backend.now() - cached.at < RESORT_MS))
    )
      return cached.frames;
    const frames = await this.sorted(c, sort.column, base, n);
    if (sort.descending) frames.reverse();
    c.views.set(key, { count: n, at: this.backend.now(), frames });
    return frames;
  }

  /** Frames the filter selects, re-asked while indexing at most every RESORT_MS. */
  private async filterFrames(c: OpenCapture, text: string): Promise<Uint32Array> {
    const n = c.index.count;
    let pending = c.filtered.get(text);
    const now = this.backend.now();
    if (!pending || (await pending).count !== n) {
      const prev = pending ? await pending : null;
      if (!prev || c.phase !== 'indexing' || now - prev.at >= RESORT_MS) {
        pending = c.index.filter(text, n).then((frames) => ({ count: n, at: now, frames }));
        c.filtered.set(text, pending);
        pending.catch(() => c.filtered.delete(text));
      }
    }
    return (await pending!).frames;
  }

  private streamFrames(c: OpenCapture, kind: 'tcp' | 'udp', stream: number): number[] {
    const key = `${kind}:${stream}`;
    let s = c.streams.get(key);
    if (!s) c.streams.set(key, (s = { scanned: 0, frames: [] }));
    const idx = c.index.index;
    const bit = kind === 'tcp' ? PacketFlag.tcp : PacketFlag.udp;
    const n = idx.count;
    for (let i = s.scanned; i < n; i++)
      if (idx.stream(i) === stream && idx.flags(i) & bit) s.frames.push(i + 1);
    s.scanned = n;
    return s.frames;
  }

  private async sorted(
    c: OpenCapture,
    column: NonNullable<ViewSpec['sort']>['column'],
    base: number[] | null,
    n: number,
  ): Promise<Uint32Array> {
    const idx = c.index.index;
    if (column === 'number' || column === 'time' || column === 'length') {
      const frames = base ? Uint32Array.from(base) : Uint32Array.from({ length: n }, (_, i) => i + 1);
      if (column === 'time')
        frames.sort(
          (a, b) => idx.tsSec(a - 1) - idx.tsSec(b - 1) || idx.tsNsec(a - 1) - idx.tsNsec(b - 1) || a - b,
        );
      else if (column === 'length') frames.sort((a, b) => idx.origlen(a - 1) - idx.origlen(b - 1) || a - b);
      return frames;
    }
    let pending = c.textOrders.get(column);
    const now = this.backend.now();
    if (!pending || (await pending).count !== n) {
      const prev = pending ? await pending : null;
      if (!prev || c.phase !== 'indexing' || now - prev.at >= RESORT_MS) {
        pending = c.index.sortByText(column, n).then((frames) => ({ count: n, at: now, frames }));
        c.textOrders.set(column, pending);
        pending.catch(() => c.textOrders.delete(column));
      }
    }
    const order = (await pending!).frames;
    if (!base) return order.slice();
    const member = new Uint8Array(n + 1);
    for (const f of base) if (f <= n) member[f] = 1;
    return order.filter((f) => member[f] === 1);
  }

  // Uploads --------------------------------------------------------------------------------

  private async beginUpload(name: string, size: number): Promise<UploadTicket> {
    if (this.uploads.size >= MAX_UPLOADS_PER_PAGE)
      throw new ApiFailure('forbidden', `At most ${MAX_UPLOADS_PER_PAGE} uploads at a time.`);
    // Only the last path component is kept: the name is for display, never a path on this side.
    const shown = name.split(/[\\/]/).pop()?.replace(/^\.+/, '') || 'capture';
    const folder = this.backend.uploadFolder();
    const path = join(folder, shown);
    const fh = await open(path, 'wx');
    const upload = this.backend.uploadId();
    this.uploads.set(upload, {
      name: shown,
      size,
      received: 0,
      folder,
      path,
      fh,
      writing: Promise.resolve(),
    });
    return { upload, chunkSize: UPLOAD_CHUNK };
  }

  private upload(id: string): Upload {
    const u = this.uploads.get(id);
    if (!u) throw new ApiFailure('not-found', `No upload ${id} in progress.`);
    return u;
  }

  private async uploadChunk(id: string, offset: number, bytes: Uint8Array): Promise<{ received: number }> {
    const u = this.upload(id);
    const write = u.writing.then(async () => {
      if (offset !== u.received)
        throw new ApiFailure(
          'bad-input',
          `Upload of ${u.name}: chunk at byte ${offset}, expected byte ${u.received}.`,
        );
      if (u.received + bytes.byteLength > u.size)
        throw new ApiFailure('bad-input', `Upload of ${u.name}: more bytes than the ${u.size} announced.`);
      let done = 0;
      while (done < bytes.byteLength)
        done += (await u.fh.write(bytes, done, bytes.byteLength - done, offset + done)).bytesWritten;
      u.received += bytes.byteLength;
      return { received: u.received };
    });
    u.writing = write.catch(() => undefined);
    return write;
  }

  private async finishUpload(id: string): Promise<CaptureInfo> {
    const u = this.upload(id);
    await u.writing;
    if (u.received !== u.size)
      throw new ApiFailure('bad-input', `Upload of ${u.name}: ${u.received} of ${u.size} bytes received.`);
    this.uploads.delete(id);
    await u.fh.close();
    try {
      return this.openPath(u.path, 'upload', u.name, u.folder);
    } catch (e) {
      rmSync(u.folder, { recursive: true, force: true });
      throw e;
    }
  }

  private async abortUpload(id: string): Promise<void> {
    const u = this.upload(id);
    this.uploads.delete(id);
    await u.writing;
    await u.fh.close().catch(() => undefined);
    rmSync(u.folder, { recursive: true, force: true });
  }
}

const SEVERITIES = [null, 'comment', 'chat', 'note', 'warn', 'error'] as const;

/** Frames in both lists (each ascending); `base` null means every frame. */
function intersect(frames: Uint32Array, base: number[] | null): number[] {
  if (!base) return Array.from(frames);
  const out: number[] = [];
  let i = 0;
  for (const f of base) {
    while (i < frames.length && frames[i] < f) i++;
    if (frames[i] === f) out.push(f);
  }
  return out;
}

let fieldList: FilterField[] | null = null;

/** Every registered name, protocols first, then fields, each alphabetically (computed once). */
function filterFields(): FilterField[] {
  if (!fieldList) {
    const all = allFields();
    const protos = all.filter((f) => f.type === 'protocol');
    const rest = all.filter((f) => f.type !== 'protocol');
    const by = (a: { abbrev: string }, b: { abbrev: string }) =>
      a.abbrev < b.abbrev ? -1 : a.abbrev > b.abbrev ? 1 : 0;
    fieldList = [...protos.sort(by), ...rest.sort(by)].map((f) => ({ name: f.abbrev, title: f.name }));
  }
  return fieldList;
}

function conversation(
  kind: 'tcp' | 'udp',
  c: ConversationInfo,
  firstSec: number,
  firstNsec: number,
): Conversation {
  const text = (b: Uint8Array) =>
    b.length === 4
      ? ipv4Text(b)
      : b.length === 16
        ? ipv6Text(b)
        : Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(':');
  const rel = (sec: number, nsec: number) => sec - firstSec + (nsec - firstNsec) / 1e9;
  return {
    kind,
    stream: c.stream,
    addressA: text(c.addressA),
    portA: c.portA,
    addressB: text(c.addressB),
    portB: c.portB,
    packets: c.packetsAB + c.packetsBA,
    packetsAB: c.packetsAB,
    packetsBA: c.packetsBA,
    bytes: c.bytesAB + c.bytesBA,
    bytesAB: c.bytesAB,
    bytesBA: c.bytesBA,
    firstFrame: c.firstFrame,
    lastFrame: c.lastFrame,
    relStart: rel(c.startSec, c.startNsec),
    duration: c.endSec - c.startSec + (c.endNsec - c.startNsec) / 1e9,
  };
}
