// Packet N's bytes read back by file offset (the packet index keeps dataOffset and caplen), for
// detail views and later passes. Synchronous on purpose: one small pread per request.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { fileError } from './file-errors';

export interface RandomAccessFile {
  /** A fresh buffer with exactly `length` bytes from `offset`; throws if the file is shorter. */
  read(offset: number, length: number): Uint8Array;
  /** File size when opened. */
  readonly size: number;
  close(): void;
}

export function openRandomAccess(path: string): RandomAccessFile {
  let fd: number;
  let size: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw fileError(path, e, 'open');
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    size = st.size;
  } catch (e) {
    closeSync(fd);
    throw fileError(path, e, 'open');
  }
  return {
    size,
    read(offset: number, length: number): Uint8Array {
      if (fd < 0) throw new Error(`${path}: read after close`);
      if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
        throw new RangeError(`${path}: bad read request: offset ${offset}, length ${length}`);
      }
      const out = new Uint8Array(length);
      let got = 0;
      while (got < length) {
        let n: number;
        try {
          n = readSync(fd, out, got, length - got, offset + got);
        } catch (e) {
          throw fileError(path, e, `read ${length} bytes at offset ${offset}`);
        }
        if (n === 0) break;
        got += n;
      }
      if (got < length) {
        throw new Error(
          `${path}: cannot read ${length} bytes at offset ${offset}: the file ends after ${got} of them (was it truncated or replaced since it was opened?)`,
        );
      }
      return out;
    },
    close(): void {
      if (fd >= 0) closeSync(fd);
      fd = -1;
    },
  };
}
