// The benchmarks' serve mode: out/serve/serve.mjs started as a child on a free port, and the
// address (with its token) it prints once it listens.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** Starts serve mode from `root` with these captures open; `url` resolves to the page address. */
export function startServe(root, files = []) {
  const child = spawn(process.execPath, [join(root, 'out/serve/serve.mjs'), ...files, '--port', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = new Promise((res, rej) => {
    const on = (b) => {
      out += b;
      const m = /Wirescope at (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(out);
      if (m) res(m[1]);
    };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
    child.once('exit', (code) => rej(new Error(`serve exited (${code}): ${out}`)));
  });
  return { child, url };
}
