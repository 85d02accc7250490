// `wirescope messages --level application` over a large capture, on several threads
// (docs/decisions/parallel-messages.md): every share reads the capture and runs the application
// pass on its part of the conversations, share 0 on this thread and the others on worker threads
// (electron/workers/messages-worker.ts); this thread merges their lines into the order and the
// stream numbers of a single pass (ShareMerger).
import type { Worker } from 'node:worker_threads';
import type { DecodeAs } from '../cli/args';
import { ShareMerger, type MergedLine, type ShareBatch } from '../../shared/messages/merge';
import type { WorkerFailure } from '../workers/index-protocol';
import type { MessagesWorkerData } from '../workers/messages-worker';
import { startWorker, toError } from './capture-index';
import { runShare } from './message-share';
import { engineWith } from '../cli/engine';

/** The worker script: bundled beside this module, or the TypeScript source (tests, tsx). */
export function messagesWorker(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL('../workers/messages-worker.ts', here);
  // The CLI bundle is split: this module may sit in chunks/, the worker beside the entry.
  return new URL(here.includes('/chunks/') ? '../messages-worker.mjs' : './messages-worker.mjs', here);
}

export interface ParallelMessagesOptions {
  path: string;
  decodeAs: DecodeAs[];
  shares: number;
  json: boolean;
  worker?: URL;
}

/**
 * Writes every application message of the capture through `line` (UTF-8 around its conversation's
 * name), in frame order, as the single pass would. A damaged capture stops every share at the
 * same place: the messages before it are all written, then this rejects with the reader's error.
 * A share that fails otherwise stops the others at once.
 */
export function parallelMessages(o: ParallelMessagesOptions, line: MergedLine): Promise<void> {
  const merger = new ShareMerger(o.shares, line);
  const workers: Worker[] = [];
  return new Promise<void>((resolve, reject) => {
    let running = o.shares;
    let failed = false;
    const stop = new AbortController();
    const fail = (e: Error) => {
      if (failed) return;
      failed = true;
      for (const w of workers) void w.terminate();
      // This thread's share stops too, or the command would exit only after reading the file.
      stop.abort(e);
      reject(e);
    };
    // Share 0 runs here, between this thread's file reads; the others on worker threads.
    for (let share = 1; share < o.shares; share++) {
      const data: MessagesWorkerData = {
        path: o.path,
        decodeAs: o.decodeAs,
        shares: o.shares,
        share,
        json: o.json,
      };
      const w = startWorker(o.worker ?? messagesWorker(), data, {
        // A smaller young generation than the default (48 MiB here): what a share allocates per
        // packet dies young anyway, and each isolate's young space counts in the process's
        // memory (measured: 316 MiB instead of 341 for two shares, no slower).
        resourceLimits: { maxYoungGenerationSizeMb: 12 },
      });
      workers.push(w);
      w.on('message', (m: ShareBatch | { failure: WorkerFailure }) => {
        if (failed) return;
        if ('failure' in m) return fail(toError(m.failure));
        try {
          merger.add(m);
        } catch (e) {
          return fail(e instanceof Error ? e : new Error(String(e)));
        }
        if (m.done) done(m);
      });
      w.on('error', (e) => fail(e));
      w.on('exit', (code) => {
        if (code !== 0 && running > 0) fail(new Error(`a messages worker stopped (exit ${code})`));
      });
    }
    let readError: Error | null = null;
    const done = (b: ShareBatch) => {
      if (b.error) readError ??= toError(b.error);
      if (--running === 0) {
        for (const x of workers) void x.terminate();
        if (readError) reject(readError);
        else resolve();
      }
    };
    runShare(
      {
        path: o.path,
        engine: engineWith(o.decodeAs),
        shares: o.shares,
        share: 0,
        json: o.json,
        signal: stop.signal,
      },
      (b) => {
        if (failed) return;
        merger.add(b);
        if (b.done) done(b);
      },
    ).catch((e: unknown) => fail(e instanceof Error ? e : new Error(String(e))));
  });
}
