// Streams a capture file through the reader in ~1 MiB reads: the file is never held in memory,
// so files bigger than RAM open. Two buffers alternate so the next read is in flight while the
// reader parses the current chunk (the reader keeps no reference to a chunk after push returns).
import { open, type FileHandle } from 'node:fs/promises';
import { createReader } from '../../shared/capture/reader';
import type { CaptureSink } from '../../shared/capture/types';
import { fileError } from './file-errors';

export interface ReadCaptureOptions {
  /** Bytes per read (default 1 MiB). */
  chunkSize?: number;
  /** After each chunk: bytes read so far and the file size (0 when unknown, e.g. a pipe). */
  onProgress?(bytes: number, total: number): void;
  /** Aborting stops between two chunks; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Name to start reader messages with (default: the path). */
  name?: string;
}

export const DEFAULT_CHUNK_SIZE = 1 << 20;
/** Two buffers of this size at most are allocated, whatever chunkSize asks for. */
export const MAX_CHUNK_SIZE = 64 << 20;

/**
 * Reads `path` to the end, calling `sink` for every packet. Rejects with a CaptureError for a
 * file that is not (or stops being) a capture, and with an Error naming the path and the OS
 * reason for a file that cannot be opened or read.
 */
export async function readCaptureFile(
  path: string,
  sink: CaptureSink,
  opts: ReadCaptureOptions = {},
): Promise<void> {
  const chunkSize = Math.min(MAX_CHUNK_SIZE, Math.max(1, Math.floor(opts.chunkSize ?? DEFAULT_CHUNK_SIZE)));
  opts.signal?.throwIfAborted();
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw fileError(path, e, 'open');
  }
  try {
    let total = 0;
    try {
      const st = await fh.stat();
      if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      total = st.isFile() ? st.size : 0;
    } catch (e) {
      throw fileError(path, e, 'open');
    }
    const reader = createReader(sink, { name: opts.name ?? path });
    const bufs = [new Uint8Array(chunkSize), new Uint8Array(chunkSize)];
    let which = 0;
    let done = 0;
    const readInto = (buf: Uint8Array, at: number) =>
      fh.read(buf, 0, buf.length, null).catch((e: unknown) => {
        throw fileError(path, e, `read at offset ${at}`);
      });
    let pending = readInto(bufs[0], 0);
    for (;;) {
      const { bytesRead } = await pending;
      if (bytesRead === 0) break;
      const buf = bufs[which];
      done += bytesRead;
      opts.signal?.throwIfAborted();
      which ^= 1;
      pending = readInto(bufs[which], done);
      try {
        reader.push(buf.subarray(0, bytesRead));
        opts.onProgress?.(done, total);
      } catch (e) {
        // Let the read in flight finish (and swallow its outcome) before the handle closes.
        await pending.catch(() => undefined);
        throw e;
      }
    }
    reader.end();
  } finally {
    await fh.close();
  }
}
