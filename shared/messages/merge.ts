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
  /** Its messages, in frame order: frame, conversation (TCP n as n, UDP n as -1 - n), text around its name. */
  frames: number[];
  convs: number[];
  heads: string[];
  tails: string[];
  /** Every frame up to `processed` was read; every message of a frame up to `settled` was sent. */
  processed: number;
  settled: number;
  done: boolean;
  /** On the last batch of a share whose read failed (a damaged capture): why, as a worker posts it. */
  error?: { name: string; message: string; offset?: number };
}

class ShareQueue {
  created: number[] = [];
  createdAt = 0;
  frames: number[] = [];
  convs: number[] = [];
  heads: string[] = [];
  tails: string[] = [];
  at = 0;
  processed = 0;
  settled = 0;
  /** Global number of each of the share's conversations, by kind and its own number. */
  readonly global: [number[], number[]] = [[], []];

  take(b: ShareBatch): void {
    // Consumed entries are dropped when a batch comes: the arrays stay about a batch long.
    if (this.createdAt) {
      this.created = this.created.slice(this.createdAt);
      this.createdAt = 0;
    }
    if (this.at) {
      this.frames = this.frames.slice(this.at);
      this.convs = this.convs.slice(this.at);
      this.heads = this.heads.slice(this.at);
      this.tails = this.tails.slice(this.at);
      this.at = 0;
    }
    for (const x of b.created) this.created.push(x);
    for (let k = 0; k < b.frames.length; k++) {
      this.frames.push(b.frames[k]);
      this.convs.push(b.convs[k]);
      this.heads.push(b.heads[k]);
      this.tails.push(b.tails[k]);
    }
    this.processed = b.done ? Infinity : b.processed;
    this.settled = b.done ? Infinity : b.settled;
  }
}

export class ShareMerger {
  private readonly queues: ShareQueue[] = [];
  /** Next global number of each kind. */
  private readonly next = [0, 0];

  constructor(
    shares: number,
    private readonly line: (text: string) => void,
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
        const q = qs[s];
        if (q.at < q.frames.length && q.frames[q.at] < frame) {
          frame = q.frames[q.at];
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
      const c = q.convs[q.at];
      const name = c >= 0 ? `tcp:${q.global[0][c]}` : `udp:${q.global[1][-1 - c]}`;
      this.line(q.heads[q.at] + name + q.tails[q.at]);
      q.at++;
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
