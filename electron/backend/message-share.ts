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
import { aroundStream, messageJson, messageLine } from '../cli/message-format';
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
  const format = o.json ? messageJson : messageLine;
  let batch = new BatchWriter(o.share);
  const messages = new SinglePassMessages(index, session, (m) => {
    const [head, tail] = aroundStream(format(m), m, o.json);
    // "tcp:N" or "udp:N".
    const n = Number(m.stream.slice(4));
    batch.message(m.frame, m.stream.startsWith('tcp:') ? n : -1 - n, head, tail);
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
    const b = batch.batch(processed, Math.min(processed, messages.pendingFrom() - 1), done);
    if (error) b.error = error;
    batch = new BatchWriter(o.share, b.text.length);
    send(b);
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

/** A batch being filled: its messages' numbers and their text, encoded as they come. */
class BatchWriter {
  readonly created: number[] = [];
  private messages = new Int32Array(1024);
  private count = 0;
  private text: Buffer;
  private length = 0;

  /** `textSize`: the last batch's text length, which the next one is sized for. */
  constructor(
    private readonly share: number,
    textSize = 0,
  ) {
    // Its own memory (not the pool's): the batch's text is transferred to the merging thread.
    this.text = Buffer.allocUnsafeSlow(Math.max(64 * 1024, textSize + (textSize >> 2)));
  }

  message(frame: number, conv: number, head: string, tail: string): void {
    if (4 * this.count + 4 > this.messages.length) {
      const grown = new Int32Array(2 * this.messages.length);
      grown.set(this.messages);
      this.messages = grown;
    }
    const m = this.messages;
    const k = 4 * this.count++;
    m[k] = frame;
    m[k + 1] = conv;
    m[k + 2] = this.put(head);
    m[k + 3] = this.put(tail);
  }

  batch(processed: number, settled: number, done: boolean): ShareBatch {
    return {
      share: this.share,
      created: this.created,
      messages: this.messages.slice(0, 4 * this.count),
      text: this.text.subarray(0, this.length),
      processed,
      settled,
      done,
    };
  }

  /** Appends `s` as UTF-8; returns where it ends. */
  private put(s: string): number {
    // UTF-8 takes at most three bytes per UTF-16 unit.
    const need = this.length + 3 * s.length;
    if (need > this.text.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(need, 2 * this.text.length));
      this.text.copy(grown, 0, 0, this.length);
      this.text = grown;
    }
    this.length += this.text.write(s, this.length);
    return this.length;
  }
}
