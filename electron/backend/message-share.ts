// `messages --level application` over a whole file on this thread, and one share of a parallel
// `messages --level application` pass (docs/decisions/parallel-messages.md):
// the whole capture is read, the packets of this share (shared/messages/partition.ts) go through
// the application pass and SinglePassMessages, the others are only counted (so frame numbers are
// the capture's), and the messages go out as batches of formatted text for ShareMerger. A worker
// thread runs it (electron/workers/messages-worker.ts); tests run it in their own thread.
import type { CapturePacket, CaptureSink, PacketSlot } from '../../shared/capture/types';
import type { Engine } from '../../shared/dissect/engine';
import { Session } from '../../shared/dissect/packet';
import type { TcpState } from '../../shared/conversations/tcp-analysis';
import type { UdpState } from '../../shared/conversations/udp-streams';
import { Indexer } from '../../shared/index/indexer';
import { PacketIndex } from '../../shared/index/packet-index';
import type { ShareBatch } from '../../shared/messages/merge';
import { Partition } from '../../shared/messages/partition';
import { SinglePassMessages } from '../../shared/messages/single-pass';
import { aroundStream } from '../cli/message-format';
import { readCaptureFile } from '../files/capture-file';
import { workerFailure, type WorkerFailure } from '../workers/index-protocol';
import type { Message } from '../../shared/messages/messages';
import { indexFile } from './index-file';

/**
 * Every application message of a capture file, on this thread, handed to `each` as the pass
 * makes them (shared/messages/single-pass.ts): nothing is kept for later visits.
 */
export async function messagesOfFile(
  path: string,
  engine: Engine,
  each: (m: Message) => void,
): Promise<void> {
  const session = new Session();
  session.revisits = false;
  const index = new PacketIndex();
  const messages = new SinglePassMessages(index, session, each);
  try {
    await indexFile(path, {
      engine,
      session,
      index,
      afterRecord: (i, pass) => {
        messages.frame(i, pass);
        // Records are read once, as they are made: the blocks behind are reused.
        if ((i & 0x3fff) === 0) index.release(i);
      },
    });
  } finally {
    // A capture damaged part way: the messages of the packets before the damage still go out.
    messages.end();
  }
}

export interface ShareOptions {
  path: string;
  engine: Engine;
  shares: number;
  share: number;
  json: boolean;
  /** Frames between batches (BATCH_FRAMES); tests make it small to exercise the merge. */
  batchFrames?: number;
  /** Stops the read between two chunks (another share failed: this one's work is not wanted). */
  signal?: AbortSignal;
}

/** Frames between batches: small enough to keep the merge moving, large enough to be cheap. */
const BATCH_FRAMES = 8192;

export async function runShare(o: ShareOptions, send: (b: ShareBatch) => void): Promise<void> {
  const session = new Session();
  session.revisits = false;
  // Records are read once, as they are made: the blocks behind are reused (PacketIndex.release).
  const index = new PacketIndex();
  const indexer = new Indexer(o.engine, session, index);
  const partition = new Partition(o.shares);
  let batch = newBatch(o.share);
  const messages = new SinglePassMessages(index, session, (m) => {
    const [head, tail] = aroundStream(m, o.json);
    // "tcp:N" or "udp:N".
    const n = Number(m.stream.slice(4));
    batch.frames.push(m.frame);
    batch.convs.push(m.stream.startsWith('tcp:') ? n : -1 - n);
    batch.heads.push(head);
    batch.tails.push(tail);
  });
  indexer.afterRecord = (i, pass) => messages.frame(i, pass);
  const created = [0, 0];
  const noteCreated = (frame: number) => {
    const tcp = session.peek<TcpState>('tcp')?.table.count ?? 0;
    const udp = session.peek<UdpState>('udp')?.table.count ?? 0;
    for (; created[0] < tcp; created[0]++) batch.created.push(0, created[0], frame);
    for (; created[1] < udp; created[1]++) batch.created.push(1, created[1], frame);
  };
  const flush = (done: boolean, error?: WorkerFailure) => {
    const processed = index.count;
    batch.processed = processed;
    batch.settled = Math.min(processed, messages.pendingFrom() - 1);
    batch.done = done;
    if (error) batch.error = error;
    send(batch);
    batch = newBatch(o.share);
    index.release(processed - 1);
  };
  const every = o.batchFrames ?? BATCH_FRAMES;
  const after = () => {
    if (index.count % every === 0) flush(false);
  };
  const mine = (p: CapturePacket) => {
    if (partition.shareOf(p.data, 0, p.caplen, p.linktype) === o.share) {
      indexer.indexPacket(p);
      noteCreated(index.count);
    } else indexer.skipPacket(p);
    after();
  };
  const sink: CaptureSink = {
    ...indexer.sink(mine),
    packetAt: (s: PacketSlot) => {
      if (partition.shareOf(s.buf, s.at, s.caplen, s.linktype) === o.share) {
        indexer.indexSlot(s);
        noteCreated(index.count);
      } else indexer.skipPacket(s);
      after();
    },
  };
  let error: WorkerFailure | undefined;
  try {
    await readCaptureFile(o.path, sink, { signal: o.signal });
  } catch (e) {
    // Every share meets the same damage at the same place: each ends with the messages before
    // it and says why it stopped; the merge writes them all, then the error.
    if (o.signal?.aborted) throw e;
    error = workerFailure(e);
  }
  messages.end();
  flush(true, error);
}

function newBatch(share: number): ShareBatch {
  return {
    share,
    created: [],
    frames: [],
    convs: [],
    heads: [],
    tails: [],
    processed: 0,
    settled: 0,
    done: false,
  };
}
