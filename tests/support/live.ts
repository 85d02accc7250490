// Test support for live captures on loopback: the skip reasons, bounded waits, and an echo server
// with whole TCP conversations against it. Every server and socket is tracked so a test file's
// afterAll can end them; no wait is unbounded.
import { mkdirSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateHelper, type HelperName } from '../../electron/live/capture-helper';

export const root = process.getuid?.() === 0;
export const notRoot = root
  ? ''
  : 'not root: capturing on lo needs capture rights (run the tests as root, as CI does)';

/** '' when `helper` is installed, else a skip reason naming the package that brings it. */
export function helperMissing(helper: HelperName): string {
  return locateHelper(helper)
    ? ''
    : `${helper} is not installed (apt-get install ${helper === 'dumpcap' ? 'tshark' : 'tcpdump'})`;
}

/** `p`, or a rejection naming `what` after `ms`. */
export function bounded<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(t)),
    new Promise<T>((_, rej) => (t = setTimeout(() => rej(new Error(`${what}: not within ${ms} ms`)), ms))),
  ]);
}

/** Resolves when `cond()` holds (polled every 10 ms), rejects naming `what` after `ms`. */
export async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface Loopback {
  /** An echo server on 127.0.0.1, a free port. */
  echoServer(): Promise<number>;
  /** Connect, send `text`, read its echo, close: one whole TCP conversation. */
  exchange(port: number, text: string): Promise<void>;
  /** Destroys every socket still open and closes every server. */
  close(): Promise<void>;
}

export function loopback(): Loopback {
  const servers: net.Server[] = [];
  const sockets = new Set<net.Socket>();
  return {
    async echoServer() {
      const srv = net.createServer((s) => {
        sockets.add(s);
        s.on('data', (d) => s.write(d));
        s.on('end', () => s.end());
        s.on('close', () => sockets.delete(s));
      });
      servers.push(srv);
      await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
      return (srv.address() as net.AddressInfo).port;
    },
    async exchange(port, text) {
      const c = net.connect(port, '127.0.0.1');
      sockets.add(c);
      await bounded(new Promise((r) => c.once('connect', r)), 3000, 'connect');
      c.write(text);
      await bounded(new Promise((r) => c.once('data', r)), 3000, 'echo');
      c.end();
      await bounded(new Promise((r) => c.once('close', r)), 3000, 'close');
      sockets.delete(c);
    },
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    },
  };
}

/**
 * Runs `fn` while no other test process runs a capture-mode lab (a lock directory in the temp
 * folder; mkdir is atomic), so two labs' helpers never compete for the CPU. Their captures once
 * lacked packets under a loaded run: tcpdump in immediate mode had libpcap's default 2 MiB ring,
 * only 8 snaplen-sized slots; it now asks for 32 MiB, and any kernel drop ends the capture with a
 * problem naming it. A lock older than two minutes is taken over (a crashed run).
 */
export async function oneCaptureLabAtATime<T>(fn: () => Promise<T>): Promise<T> {
  const lock = join(tmpdir(), 'wirescope-capture-lab.lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // Gone meanwhile: try again.
      }
      if (Date.now() > deadline) throw new Error(`another test held ${lock} for two minutes`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
