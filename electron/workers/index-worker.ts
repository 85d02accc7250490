// The index worker: owns the engine and the session of one open capture. It runs the index pass
// (reader + first pass) off the main thread, shares the index blocks as it fills them, and
// answers row and detail requests by dissecting frames again from the file (random access),
// because the per-frame state those dissections read back (TCP analysis, stream ids,
// reassembly) lives in this thread's session. See docs/decisions/index-worker.md.
import { parentPort, workerData } from 'node:worker_threads';
import { Session } from '../../shared/dissect/packet';
import { createEngine } from '../../shared/dissectors';
import { useProjectProtos } from '../protos/load-protos';
import { FrameSource } from '../../shared/index/columns';
import { PacketIndex, sharedBuffers, type DeltaMark } from '../../shared/index/packet-index';
import { buildMessages } from '../../shared/messages/messages';
import type { StreamSource } from '../../shared/messages/source';
import type { Dissection } from '../../shared/dissect/types';
import { frameReader, indexFile, liveIndexPass, windowedReader } from '../backend/index-file';
import {
  coloredRows,
  conversationTables,
  fieldValues,
  filterFrames,
  findFrame,
  sortByText,
  statsOf,
} from '../backend/worker-requests';
import { workerFailure, type FromWorker, type IndexWorkerData, type ToWorker } from './index-protocol';

const port = parentPort;
if (!port) throw new Error('index-worker.ts runs as a worker thread (new Worker), not as a script');
const data = workerData as IndexWorkerData;

const engine = createEngine();
// The project's protos/ (and WIRESCOPE_PROTOS folders) name gRPC messages' fields.
useProjectProtos(engine);
for (const d of data.decodeAs ?? []) for (const k of d.keys) engine.decodeAs(d.table, k, d.proto);
const session = new Session();
const index = new PacketIndex(sharedBuffers);
const mark: DeltaMark = { addresses: 0, protocols: 0, links: 0, comments: 0 };
const file = frameReader(data.path, index);
const frames = new FrameSource(engine, session, index, file.read);
const stop = new AbortController();

const statsCache = new Map<string, { key: string; result: ReturnType<typeof statsOf> }>();

// A live diagram asks for the same conversations' messages again each time packets arrive: the
// frames already seen are not dissected again. What messages read of a dissection (the layers'
// protocols, the transport layer's tree, the application messages) is kept per final frame
// (up to session.lastVisited), the rest of the tree dropped. Measured on 1,000 frames of a
// WebSocket session (both levels): making the messages took 210–280 ms before, 15–45 ms after;
// the whole messages.list round trip (worker, copy to the main thread) 1,120 ms cold, 75–130 ms
// warm. A live refresh also passes `after` (the newest frame it has), so only newer messages are
// copied to the main thread and the page.
const MESSAGE_CACHE_FRAMES = 200_000;
const messageCache = new Map<number, { tree: boolean; d: Dissection }>();
const messageFrames: StreamSource = {
  index,
  session,
  read: file.read,
  dissect(f, tree, cols) {
    const hit = messageCache.get(f);
    if (hit && (hit.tree || !tree)) return hit.d;
    const d = frames.dissect(f, tree, cols);
    if (!d || f > session.lastVisited) return d;
    if (messageCache.size >= MESSAGE_CACHE_FRAMES) messageCache.clear();
    const layers = d.layers.map((l) => (l.proto === 'tcp' || l.proto === 'udp' ? l : { ...l, items: [] }));
    messageCache.set(f, { tree, d: { ...d, layers } });
    return d;
  },
};

const post = (m: FromWorker) => port.postMessage(m);
index.onBlock = (block, at) => post({ type: 'block', index: at, buffer: block.buffer as SharedArrayBuffer });

const failure = workerFailure;

// Requests are answered between reader chunks while the pass runs: frames up to
// session.lastVisited are final and can be dissected again at any time.
port.on('message', (m: ToWorker) => {
  if (m.type === 'chunk' || m.type === 'end') {
    live?.(m);
    return;
  }
  if (m.type === 'cancel' || m.type === 'close') {
    stop.abort();
    if (m.type === 'close') {
      file.close();
      port.close();
    }
    return;
  }
  try {
    if (m.type === 'rows') {
      post({ type: 'rows', id: m.id, rows: frames.rows(m.from, m.count) });
    } else if (m.type === 'colored-rows') {
      post({ type: 'colored-rows', id: m.id, result: coloredRows(frames, m.frames, m.coloring) });
    } else if (m.type === 'sort') {
      sortByText(frames, m.count, m.column).then(
        (order) =>
          port.postMessage({ type: 'sort', id: m.id, order } satisfies FromWorker, [
            order.buffer as ArrayBuffer,
          ]),
        (e: unknown) => post({ type: 'reply-error', id: m.id, error: failure(e) }),
      );
    } else if (m.type === 'filter') {
      // The pass reads frames in order: through file windows, not a read per frame.
      const win = windowedReader(data.path, index, file.read);
      filterFrames(frames, m.count, m.text, win.read)
        .finally(() => win.close())
        .then(
          (out) =>
            port.postMessage({ type: 'filter', id: m.id, frames: out } satisfies FromWorker, [
              out.buffer as ArrayBuffer,
            ]),
          (e: unknown) => post({ type: 'reply-error', id: m.id, error: failure(e) }),
        );
    } else if (m.type === 'values') {
      post({ type: 'values', id: m.id, result: fieldValues(frames, m.field, m.prefix) });
    } else if (m.type === 'find') {
      findFrame(frames, m.count, m.from, m.kind, m.text, m.within).then(
        (frame) => post({ type: 'find', id: m.id, frame }),
        (e: unknown) => post({ type: 'reply-error', id: m.id, error: failure(e) }),
      );
    } else if (m.type === 'stats') {
      // Frames up to lastVisited are final, so a result over the same frames is the same: the
      // slow ones (a dissection of every frame) are kept until the pass adds frames.
      const key = `${m.interval}:${m.stream ?? ''}:${Math.min(index.count, session.lastVisited)}`;
      const kept = m.kind === 'io' ? undefined : statsCache.get(m.kind);
      const run =
        kept && kept.key === key
          ? kept
          : { key, result: statsOf(frames, m.kind, m.interval, m.stream, m.lines) };
      if (m.kind !== 'io') statsCache.set(m.kind, run);
      run.result.then(
        (result) => post({ type: 'stats', id: m.id, result }),
        (e: unknown) => {
          if (statsCache.get(m.kind) === run) statsCache.delete(m.kind);
          post({ type: 'reply-error', id: m.id, error: failure(e) });
        },
      );
    } else if (m.type === 'conversations') {
      post({ type: 'conversations', id: m.id, result: conversationTables(frames) });
    } else if (m.type === 'messages') {
      const result = buildMessages(messageFrames, { streams: m.streams, levels: m.levels, after: m.after });
      post({ type: 'messages', id: m.id, result });
    } else {
      const ok = m.frame >= 1 && m.frame <= session.lastVisited;
      const bytes = ok ? file.read(m.frame - 1) : null;
      const dissection = bytes ? frames.dissect(m.frame, true, true, bytes) : null;
      post({ type: 'detail', id: m.id, dissection, bytes });
    }
  } catch (e) {
    post({ type: 'reply-error', id: m.id, error: failure(e) });
  }
});

let lastPost = 0;
let live: ((m: Extract<ToWorker, { type: 'chunk' | 'end' }>) => void) | null = null;

const progress = (bytes: number, total: number) =>
  post({ type: 'progress', bytes, total, count: index.count, tables: index.tablesDelta(mark) });

if (data.live) {
  // Live: every chunk is indexed as it arrives and announced at once, unless the last
  // announcement is under 15 ms old (then a trailing one follows): packets reach the views within
  // a frame or two of arriving, without a message per packet on a busy interface.
  const pass = liveIndexPass(data.path, { engine, session, index });
  let received = 0;
  let failed = false;
  let trailing: ReturnType<typeof setTimeout> | null = null;
  const announce = () => {
    trailing = null;
    lastPost = Date.now();
    progress(received, 0);
  };
  live = (m) => {
    if (failed) return;
    try {
      if (m.type === 'chunk') {
        received += m.bytes.byteLength;
        pass.push(m.bytes);
        if (Date.now() - lastPost >= 15) announce();
        else trailing ??= setTimeout(announce, 15);
      } else {
        if (trailing) clearTimeout(trailing);
        const summary = pass.end();
        post({
          type: 'done',
          count: index.count,
          tables: index.tablesDelta(mark),
          summary,
          cancelled: false,
        });
      }
    } catch (e) {
      failed = true;
      if (trailing) clearTimeout(trailing);
      post({ type: 'failed', count: index.count, tables: index.tablesDelta(mark), error: failure(e) });
    }
  };
} else {
  try {
    const cap = await indexFile(data.path, {
      engine,
      session,
      index,
      signal: stop.signal,
      chunkSize: data.chunkSize,
      onProgress: (bytes, total) => {
        const now = Date.now();
        // The first chunk is announced at once (first rows early); later ones about 20 times a second.
        if (lastPost && now - lastPost < 50) return;
        lastPost = now;
        post({ type: 'progress', bytes, total, count: index.count, tables: index.tablesDelta(mark) });
      },
    });
    post({
      type: 'done',
      count: index.count,
      tables: index.tablesDelta(mark),
      summary: cap.summary,
      cancelled: stop.signal.aborted,
    });
  } catch (e) {
    post({ type: 'failed', count: index.count, tables: index.tablesDelta(mark), error: failure(e) });
  }
}
