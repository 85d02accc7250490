// Small socket helpers the labs share: listening on a preferred port or any free one, and waits
// that a stopped lab cuts short.
import type { Server } from 'node:net';
import type { Socket as UdpSocket } from 'node:dgram';

/** Where the labs' servers listen: loopback only (the labs never talk to other hosts by themselves). */
export const LAB_HOST = '127.0.0.1';

function isInUse(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return code === 'EADDRINUSE' || code === 'EACCES';
}

function listenOnce(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => {
      server.off('listening', onListening);
      reject(e);
    };
    const onListening = () => {
      server.off('error', onError);
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, LAB_HOST);
  });
}

/**
 * Listens on 127.0.0.1 at `preferred` (a port a class recognises, 8080) when it is free, else on a
 * free port the kernel picks; resolves with the port. Other failures reject.
 */
export async function listenFree(server: Server, preferred = 0): Promise<number> {
  if (preferred > 0) {
    try {
      return await listenOnce(server, preferred);
    } catch (e) {
      if (!isInUse(e)) throw e;
    }
  }
  return listenOnce(server, 0);
}

function bindOnce(socket: UdpSocket, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => {
      socket.off('listening', onListening);
      reject(e);
    };
    const onListening = () => {
      socket.off('error', onError);
      resolve(socket.address().port);
    };
    socket.once('error', onError);
    socket.once('listening', onListening);
    socket.bind(port, LAB_HOST);
  });
}

/** The UDP counterpart of listenFree. A socket whose bind failed cannot bind again: `make` gives a new one. */
export async function bindFree(
  make: () => UdpSocket,
  preferred = 0,
): Promise<{ socket: UdpSocket; port: number }> {
  if (preferred > 0) {
    const socket = make();
    try {
      return { socket, port: await bindOnce(socket, preferred) };
    } catch (e) {
      socket.close();
      if (!isInUse(e)) throw e;
    }
  }
  const socket = make();
  return { socket, port: await bindOnce(socket, 0) };
}

/** Resolves after `ms`, or at once when `signal` aborts (a stopped lab does not sit out its pacing). */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** A short printable preview of a message for captions (control characters shown as ·). */
export function preview(text: string, max = 40): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '·');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** Bytes as spaced hex, cut after `max` bytes. */
export function hexPreview(bytes: Uint8Array, max = 16): string {
  const parts: string[] = [];
  for (let i = 0; i < Math.min(bytes.length, max); i++) parts.push(bytes[i].toString(16).padStart(2, '0'));
  return parts.join(' ') + (bytes.length > max ? ' …' : '');
}

/** A `ws` message (Buffer, ArrayBuffer or fragments) as one Buffer. */
export function rawBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.isBuffer(data) ? data : Buffer.from(new Uint8Array(data));
}
