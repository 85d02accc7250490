// The main side of a parallel application pass (docs/decisions/parallel-messages.md): each share
// (shared/messages/partition.ts) numbers its own conversations and sends its message lines in
// frame order; this merges them into the single pass's order and gives every conversation the
// number a single pass would (tcp.stream is the order conversations were created in, so the
// global number is a conversation's rank by the frame that created it, across all shares).

/** What a share sends, in order; the last batch has `done`. */
export interface ShareBatch {
  share: number;
  /** Conversations the share created, oldest first: [kind (0 TCP, 1 UDP), its own number, frame]… */
  created: number[];
  /**
   * Its messages, in frame order, four numbers each: frame, conversation (TCP n as n, UDP n as
   * -1 - n), and where the text before and after the conversation's name end in `text`.
   */
  messages: Int32Array;
  /**
   * The messages' text around their conversation's names, UTF-8, one after another (the text
   * before the first name starts at 0). Bytes, not strings: the merge holds a share's lines until
   * the others catch up, and strings held that long were the main thread's garbage collection.
   */
  text: Uint8Array;
  /** Every frame up to `processed` was read; every message of a frame up to `settled` was sent. */
  processed: number;
  settled: number;
  done: boolean;
  /** On the last batch of a share whose read failed (a damaged capture): why, as a worker posts it. */
  error?: { name: string; message: string; offset?: number };
}

/** One merged line: text[from, mid), then the conversation's name, then text[mid, to). */
export type MergedLine = (text: Uint8Array, from: number, mid: number, name: string, to: number) => void;

class ShareQueue {
  created: number[] = [];
  createdAt = 0;
  /** Batches with messages not yet written, oldest first; `at` is the next message of the first. */
  batches: ShareBatch[] = [];
  first = 0;
  at = 0;
  processed = 0;
  settled = 0;
  /** Global number of each of the share's conversations, by kind and its own number. */
  readonly global: [number[], number[]] = [[], []];

  take(b: ShareBatch): void {
    // Consumed entries are dropped when a batch comes: the array stays about a batch long.
    if (this.createdAt) {
      this.created = this.created.slice(this.createdAt);
      this.createdAt = 0;
    }
    for (const x of b.created) this.created.push(x);
    if (this.first) {
      this.batches = this.batches.slice(this.first);
      this.first = 0;
    }
    if (b.messages.length) this.batches.push(b);
    this.processed = b.done ? Infinity : b.processed;
    this.settled = b.done ? Infinity : b.settled;
  }

  /** Frame of the next message to write (Infinity when none has come). */
  nextFrame(): number {
    return this.first < this.batches.length ? this.batches[this.first].messages[4 * this.at] : Infinity;
  }

  /** The next message is written: on to the one after it. */
  advance(): void {
    if (4 * ++this.at < this.batches[this.first].messages.length) return;
    this.at = 0;
    this.first++;
  }
}

export class ShareMerger {
  private readonly queues: ShareQueue[] = [];
  /** Next global number of each kind. */
  private readonly next = [0, 0];

  constructor(
    shares: number,
    private readonly line: MergedLine,
  ) {
    for (let s = 0; s < shares; s++) this.queues.push(new ShareQueue());
  }

  add(b: ShareBatch): void {
    this.queues[b.share].take(b);
    this.drain();
  }

  private drain(): void {
    const qs = this.queues;
    for (;;) {
      // The earliest message not yet written; a frame belongs to one share only.
      let share = -1;
      let frame = Infinity;
      for (let s = 0; s < qs.length; s++) {
        const f = qs[s].nextFrame();
        if (f < frame) {
          frame = f;
          share = s;
        }
      }
      if (share < 0) return;
      // Every other share must have sent its messages before `frame`, and told of every
      // conversation it created up to it.
      for (let s = 0; s < qs.length; s++)
        if (s !== share && (qs[s].settled < frame - 1 || qs[s].processed < frame)) return;
      this.number(frame);
      const q = qs[share];
      const b = q.batches[q.first];
      const m = b.messages;
      const k = 4 * q.at;
      const c = m[k + 1];
      const name = c >= 0 ? `tcp:${q.global[0][c]}` : `udp:${q.global[1][-1 - c]}`;
      this.line(b.text, k ? m[k - 1] : 0, m[k + 2], name, m[k + 3]);
      q.advance();
    }
  }

  /** Numbers every conversation created at or before `frame`, in creation order. */
  private number(frame: number): void {
    const qs = this.queues;
    for (;;) {
      let share = -1;
      let at = Infinity;
      for (let s = 0; s < qs.length; s++) {
        const q = qs[s];
        if (q.createdAt < q.created.length && q.created[q.createdAt + 2] < at) {
          at = q.created[q.createdAt + 2];
          share = s;
        }
      }
      if (share < 0 || at > frame) return;
      const q = qs[share];
      const kind = q.created[q.createdAt];
      q.global[kind][q.created[q.createdAt + 1]] = this.next[kind]++;
      q.createdAt += 3;
    }
  }
}
