// Starts serve mode the way a person does (`npm run serve -- [FILE…] --port 0`, i.e.
// scripts/serve.mjs: it builds the renderer bundle and the server when sources changed, then runs
// them) and waits for the one line it prints: `Wirescope at http://127.0.0.1:PORT/#token=…`.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../../..');

export interface Served {
  /** The address serve printed, token included. */
  url: string;
  origin: string;
  /** Everything serve wrote so far (stdout and stderr), for failure messages. */
  output(): string;
  close(): Promise<void>;
}

/** How long the first start may take: it may build the renderer bundle and the server. */
const START_TIMEOUT_MS = 240_000;

export async function startServe(files: string[] = [], extraArgs: string[] = []): Promise<Served> {
  const child: ChildProcess = spawn(
    process.execPath,
    [resolve(repoRoot, 'scripts/serve.mjs'), ...files, '--port', '0', ...extraArgs],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TZ: 'UTC' },
    },
  );
  let out = '';
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      rej(new Error(`serve did not print its address within ${START_TIMEOUT_MS / 1000} s:\n${out}`));
    }, START_TIMEOUT_MS);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /Wirescope at (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      rej(new Error(`serve exited (${signal ?? code}) before printing its address:\n${out}`));
    });
  });
  const exited = new Promise<void>((res) => {
    if (child.exitCode !== null || child.signalCode !== null) res();
    else child.once('exit', () => res());
  });
  return {
    url,
    origin: new URL(url).origin,
    output: () => out,
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}
