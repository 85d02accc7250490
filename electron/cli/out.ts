// What every `wirescope` command writes through: the streams, batched output and warnings.

export interface Io {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

/** Batches lines into ~64 KiB writes (stdout to a pipe or file is synchronous on POSIX). */
export class Out {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly stream: NodeJS.WritableStream) {}
  line(s: string): void {
    this.parts.push(s, '\n');
    this.size += s.length + 1;
    if (this.size >= 65536) this.flush();
  }
  text(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    this.flush();
  }
  flush(): void {
    if (!this.parts.length) return;
    this.stream.write(this.parts.join(''));
    this.parts = [];
    this.size = 0;
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
