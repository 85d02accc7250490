// The push machinery both readers share. A format reader only knows how to parse whole units
// (a file header, a record, a block) out of one contiguous buffer; this class feeds it chunks as
// they come, parsing straight out of each chunk and keeping a carry buffer only for the one unit
// that a chunk boundary splits. The carry grows by doubling from what has actually arrived (never
// from what a length field claims), so a damaged length cannot make us allocate more than about
// twice the bytes we were given.
import { CaptureError, type CaptureReader, type CaptureSink } from './types';

export interface FramerOptions {
  /** File name to start every message with. */
  name?: string;
}

const KEEP_CARRY = 1 << 20;

export abstract class Framer implements CaptureReader {
  protected readonly sink: CaptureSink;
  protected readonly prefix: string;
  /**
   * Set by parse() when it stops at a unit it cannot finish: the bytes that unit needs, counted
   * from its start (a header size while the length is unknown, then the whole unit).
   */
  protected want = 0;
  private carry: Uint8Array = new Uint8Array(0);
  private carryLen = 0;
  /** File offset of the first byte not yet parsed (the carry's first byte when it holds any). */
  private next = 0;
  private pushed = 0;
  /** The first error out of push/end (ours, or one a sink callback threw): the reader is dead. */
  private failure: unknown = null;
  private ended = false;

  constructor(sink: CaptureSink, opts: FramerOptions = {}) {
    this.sink = sink;
    this.prefix = opts.name ? `${opts.name}: ` : '';
  }

  get consumed(): number {
    return this.pushed;
  }

  /** Bytes the reader holds on to between pushes (its carry buffer), for memory-bound checks. */
  get retained(): number {
    return this.carry.length;
  }

  /**
   * Parses as many whole units as buf[pos, end) holds; `base` is the file offset of buf[0].
   * Returns the position of the first unit it could not finish (setting `want`), or `end`.
   */
  protected abstract parse(buf: Uint8Array, pos: number, end: number, base: number): number;

  /** End of input with `left` unparsed bytes starting at file offset `at` (`want` is still set). */
  protected abstract finish(left: number, at: number): void;

  push(chunk: Uint8Array): void {
    if (this.failure !== null) throw this.failure;
    if (this.ended) throw this.fail(this.pushed, `data pushed after end of input, at offset ${this.pushed}`);
    try {
      this.feed(chunk);
    } catch (e) {
      this.failure = e;
      throw e;
    }
  }

  end(): void {
    if (this.failure !== null || this.ended) return;
    this.ended = true;
    try {
      this.finish(this.carryLen, this.next);
    } catch (e) {
      this.failure = e;
      throw e;
    }
    this.carry = new Uint8Array(0);
    this.carryLen = 0;
  }

  protected fail(offset: number, message: string): CaptureError {
    return new CaptureError(this.prefix + message, offset);
  }

  protected warn(offset: number, message: string): void {
    this.sink.warning?.({ offset, message: this.prefix + message });
  }

  private feed(chunk: Uint8Array): void {
    this.pushed += chunk.length;
    let off = 0;
    if (this.carryLen > 0) {
      for (;;) {
        const take = Math.min(this.want - this.carryLen, chunk.length - off);
        this.append(chunk, off, take);
        off += take;
        if (this.carryLen < this.want) return;
        const used = this.parse(this.carry, 0, this.carryLen, this.next);
        if (used === this.carryLen) {
          this.next += used;
          this.carryLen = 0;
          if (this.carry.length > KEEP_CARRY) this.carry = new Uint8Array(0);
          break;
        }
        // The carry holds exactly one unit, so a parse either finishes it or learns its length.
        if (used !== 0 || this.want <= this.carryLen) {
          throw this.fail(
            this.next,
            `internal error: reader stalled at offset ${this.next} (wanted ${this.want} bytes, had ${this.carryLen})`,
          );
        }
      }
    }
    if (off === chunk.length) return;
    const used = this.parse(chunk, off, chunk.length, this.next - off);
    this.next += used - off;
    if (used < chunk.length) {
      if (this.want <= chunk.length - used) {
        throw this.fail(
          this.next,
          `internal error: reader stalled at offset ${this.next} (wanted ${this.want} bytes, had ${chunk.length - used})`,
        );
      }
      this.append(chunk, used, chunk.length - used);
    }
  }

  private append(src: Uint8Array, off: number, n: number): void {
    const need = this.carryLen + n;
    if (need > this.carry.length) {
      const grown = new Uint8Array(Math.min(this.want, Math.max(need, this.carry.length * 2, 64)));
      grown.set(this.carry.subarray(0, this.carryLen));
      this.carry = grown;
    }
    this.carry.set(src.subarray(off, off + n), this.carryLen);
    this.carryLen = need;
  }
}

/** `3c 21 44 4f` */
export function hexBytes(b: Uint8Array, start: number, end: number): string {
  const out: string[] = [];
  for (let i = start; i < end; i++) out.push(b[i].toString(16).padStart(2, '0'));
  return out.join(' ');
}

/** `"<!DO"` with non-printable bytes as `.`. */
export function asciiBytes(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += b[i] >= 0x20 && b[i] < 0x7f ? String.fromCharCode(b[i]) : '.';
  return JSON.stringify(s);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
