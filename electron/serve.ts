// `npm run serve -- [FILE…] [--port N]`: serve mode's command line. Starts the backend behind a
// WebSocket on 127.0.0.1 with the renderer bundle, and prints one line to open in a browser:
//   Wirescope at http://127.0.0.1:PORT/#token=…
// Bundled by scripts/serve.mjs into out/serve/serve.mjs (with the index worker beside it).
import { existsSync, realpathSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fileError } from './files/file-errors';
import { startServe } from './serve/server';

declare const __WIRESCOPE_VERSION__: string | undefined;

export const SERVE_USAGE = `Usage: npm run serve -- [FILE…] [--port N] [--root DIR]

Serves Wirescope to a browser on this machine (127.0.0.1 only) and prints the address to open.
  FILE        pcap or pcapng capture(s) every page opens at once
  --port N    listen on port N (default: any free port)
  --root DIR  the renderer bundle to serve (default: the one built beside this script)`;

export interface ServeArgs {
  files: string[];
  port: number;
  root: string | null;
  help: boolean;
}

export function parseServeArgs(argv: readonly string[]): ServeArgs | { error: string } {
  const out: ServeArgs = { files: [], port: 0, root: null, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') out.help = true;
    else if (a === '--port' || a.startsWith('--port=')) {
      const v = a.includes('=') ? a.slice(7) : argv[++i];
      if (v === undefined || !/^\d{1,5}$/.test(v) || Number(v) > 65535)
        return {
          error: `--port needs a number from 0 to 65535, not ${v === undefined ? 'nothing' : JSON.stringify(v)}`,
        };
      out.port = Number(v);
    } else if (a === '--root' || a.startsWith('--root=')) {
      const v = a.includes('=') ? a.slice(7) : argv[++i];
      if (!v) return { error: '--root needs a folder' };
      out.root = v;
    } else if (a.startsWith('-') && a !== '-') return { error: `unknown option ${a}` };
    else out.files.push(a);
  }
  return out;
}

function defaultRoot(): string {
  const here = import.meta.url;
  return fileURLToPath(here.endsWith('.ts') ? new URL('../out/web/', here) : new URL('../web/', here));
}

export async function main(argv: readonly string[]): Promise<number> {
  const args = parseServeArgs(argv);
  if ('error' in args) {
    console.error(`wirescope serve: ${args.error}\n\n${SERVE_USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(SERVE_USAGE);
    return 0;
  }
  for (const f of args.files) {
    try {
      const st = statSync(f);
      if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      if (!st.isFile()) throw new Error('not a regular file');
    } catch (e) {
      console.error(`wirescope serve: ${fileError(f, e, 'open the capture').message}`);
      return 2;
    }
  }
  const root = args.root ?? defaultRoot();
  if (!existsSync(`${root}/index.html`)) {
    console.error(
      `wirescope serve: no renderer bundle in ${root} (index.html missing); \`npm run serve\` builds it`,
    );
    return 2;
  }
  let handle;
  try {
    handle = await startServe({
      root,
      port: args.port,
      files: args.files,
      version: typeof __WIRESCOPE_VERSION__ === 'string' ? __WIRESCOPE_VERSION__ : 'dev',
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    console.error(
      `wirescope serve: cannot listen on 127.0.0.1:${args.port}: ${code === 'EADDRINUSE' ? 'the port is in use (try another --port, or 0 for any)' : (e as Error).message}`,
    );
    return 1;
  }
  const h = handle;
  // Listening for the signals before the line is printed: whoever reads the line may stop us at once.
  const stop = new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
  });
  console.log(`Wirescope at ${handle.url}`);
  await stop;
  await h.close();
  return 0;
}

// Run when executed (the bundle, or `tsx electron/serve.ts`), not when imported by tests.
// Exits explicitly: index workers of pages that never disconnected would keep the process alive.
if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  process.exit(await main(process.argv.slice(2)));
}
