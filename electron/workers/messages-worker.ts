// A share of a parallel `wirescope messages --level application` pass, in a worker thread
// (electron/backend/message-share.ts; the main side is electron/backend/parallel-messages.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { runShare } from '../backend/message-share';
import type { DecodeAs } from '../cli/args';
import { engineWith } from '../cli/engine';
import { workerFailure } from './index-protocol';

export interface MessagesWorkerData {
  path: string;
  decodeAs: DecodeAs[];
  shares: number;
  share: number;
  json: boolean;
}

const port = parentPort;
if (!port) throw new Error('messages-worker.ts runs as a worker thread (new Worker), not as a script');
const data = workerData as MessagesWorkerData;

runShare({ ...data, engine: engineWith(data.decodeAs) }, (b) =>
  // The batch's text and numbers are this share's no longer: moved, not copied.
  port.postMessage(b, [b.text.buffer as ArrayBuffer, b.messages.buffer as ArrayBuffer]),
).catch((e: unknown) => port.postMessage({ failure: workerFailure(e) }));
