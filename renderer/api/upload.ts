// Streams a File (file picker or drop) to the backend in chunks: the page holds at most two
// chunks at a time (the one on the wire and the next one being read), never the whole file, so a
// multi-gigabyte capture uploads with flat memory.
import { ApiCallError, type ApiClient, type CaptureInfo } from '../../shared/contract/api';

export interface UploadOptions {
  /** Bytes acknowledged by the backend so far, of the file's size. */
  onProgress?: (sent: number, total: number) => void;
  /** Aborting stops after the chunk in flight and removes what was uploaded. */
  signal?: AbortSignal;
}

/** The parts of a File the upload uses (a Blob with a name), so tests can pass their own. */
export interface UploadSource {
  readonly name: string;
  readonly size: number;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

export async function uploadFile(
  client: ApiClient,
  file: UploadSource,
  opts: UploadOptions = {},
): Promise<CaptureInfo> {
  const { upload, chunkSize } = await client.call('upload.begin', {
    name: file.name || 'capture',
    size: file.size,
  });
  const read = (at: number) =>
    at < file.size ? file.slice(at, Math.min(file.size, at + chunkSize)).arrayBuffer() : null;
  try {
    let next = read(0);
    for (let at = 0; next;) {
      const buf = await next;
      if (opts.signal?.aborted)
        throw new ApiCallError('upload.chunk', {
          code: 'internal',
          message: `Upload of ${file.name} cancelled.`,
        });
      next = read(at + buf.byteLength);
      const { received } = await client.call('upload.chunk', {
        upload,
        offset: at,
        bytes: new Uint8Array(buf),
      });
      at = received;
      opts.onProgress?.(at, file.size);
    }
    return await client.call('upload.finish', { upload });
  } catch (e) {
    await client.call('upload.abort', { upload }).catch(() => undefined);
    throw e;
  }
}
