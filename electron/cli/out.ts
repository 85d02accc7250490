// What every `wirescope` command writes through: the streams, batched output and warnings.

export interface Io {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

/** Bytes per write. */
const CHUNK = 64 * 1024;

/**
 * Batches lines into ~64 KiB writes (stdout to a pipe or file is synchronous on POSIX). Each line
 * is encoded straight into the chunk: a million-line output (`messages`) is not joined into one
 * string per write first, which copied every line once more.
 */
export class Out {
  private buf = Buffer.allocUnsafe(CHUNK);
  private at = 0;
  constructor(private readonly stream: NodeJS.WritableStream) {}
  line(s: string): void {
    this.put(s);
    if (this.at === CHUNK) this.flush();
    this.buf[this.at++] = 0x0a;
  }
  /** One line of UTF-8 text[from, mid), then `name` (ASCII), then text[mid, to) (ShareMerger's lines). */
  readonly around = (text: Uint8Array, from: number, mid: number, name: string, to: number): void => {
    if (this.at + (to - from) + name.length + 1 > CHUNK) {
      this.flush();
      if (to - from + name.length + 1 > CHUNK) {
        this.stream.write(Buffer.from(text.subarray(from, mid)));
        this.stream.write(name);
        this.stream.write(Buffer.from(text.subarray(mid, to)));
        this.stream.write('\n');
        return;
      }
    }
    const buf = this.buf;
    buf.set(text.subarray(from, mid), this.at);
    this.at += mid - from;
    this.at += buf.write(name, this.at, 'latin1');
    buf.set(text.subarray(mid, to), this.at);
    this.at += to - mid;
    buf[this.at++] = 0x0a;
  };

  text(s: string): void {
    this.put(s);
    this.flush();
  }
  flush(): void {
    if (!this.at) return;
    // The stream may hold on to what it is given (a pipe that is not drained): a fresh chunk follows.
    this.stream.write(this.buf.subarray(0, this.at));
    this.buf = Buffer.allocUnsafe(CHUNK);
    this.at = 0;
  }
  private put(s: string): void {
    // UTF-8 takes at most three bytes per UTF-16 unit.
    if (this.at + 3 * s.length > CHUNK) {
      this.flush();
      if (3 * s.length > CHUNK) {
        this.stream.write(s);
        return;
      }
    }
    this.at += this.buf.write(s, this.at);
  }
}

/** The reader's warnings (at most five, then how many more), each naming the file. */
export function warn(io: Io, file: string, cap: { summary: { warnings: { message: string }[] } }): void {
  const ws = cap.summary.warnings;
  for (const w of ws.slice(0, 5)) io.err.write(`wirescope: warning: ${named(file, w.message)}\n`);
  if (ws.length > 5) io.err.write(`wirescope: warning: ${file}: ${ws.length - 5} more warnings not shown\n`);
}

export function named(file: string, message: string): string {
  return message.includes(file) ? message : `${file}: ${message}`;
}
