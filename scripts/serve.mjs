// `npm run serve -- [FILE…] [--port N]`: builds what serve mode needs, then runs it.
//  - the renderer bundle (vite.config.ts → out/web), rebuilt only when renderer/ or shared/ changed
//    since the last build (or with --rebuild);
//  - the server and the index worker (esbuild → out/serve/serve.mjs, index-worker.mjs), a second.
// Then `node out/serve/serve.mjs …` in this process's terminal; it prints the address to open.
//   --no-build     skip both builds (tests that built once already)
//   --build-only   build, then exit without serving (a test suite's one-time setup)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const noBuild = argv.includes('--no-build');
const rebuild = argv.includes('--rebuild');
const buildOnly = argv.includes('--build-only');
const passOn = argv.filter((a) => a !== '--no-build' && a !== '--rebuild' && a !== '--build-only');
const outWeb = join(root, 'out/web');
const outServe = join(root, 'out/serve');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (!/\.test\.tsx?$/.test(e.name)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

if (!noBuild) {
  const started = Date.now();
  const built = existsSync(join(outWeb, 'index.html')) ? statSync(join(outWeb, 'index.html')).mtimeMs : 0;
  const sources = Math.max(
    newest(join(root, 'renderer')),
    newest(join(root, 'shared')),
    statSync(join(root, 'vite.config.ts')).mtimeMs,
  );
  if (rebuild || sources > built) {
    // The bundle is the product: React's production build whatever NODE_ENV the caller has
    // (vitest sets NODE_ENV=test, which made Vite inline React's development build, several times
    // slower, into out/web for every later serve and benchmark).
    process.env.NODE_ENV = 'production';
    const { build } = await import('vite');
    try {
      await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
    } catch (err) {
      console.error(
        `wirescope serve: the renderer build failed: ${err instanceof Error ? err.message : String(err)}`,
      );
      process.exit(1);
    }
  }
  const { build } = await import('esbuild');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  mkdirSync(outServe, { recursive: true });
  await build({
    entryPoints: {
      serve: join(root, 'electron/serve.ts'),
      'index-worker': join(root, 'electron/workers/index-worker.ts'),
    },
    outdir: outServe,
    outExtension: { '.js': '.mjs' },
    define: { __WIRESCOPE_VERSION__: JSON.stringify(version) },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    // ws has optional native helpers (bufferutil, utf-8-validate) it loads only when installed.
    external: ['bufferutil', 'utf-8-validate'],
    banner: {
      js: "import { createRequire as __wsCreateRequire } from 'node:module'; const require = __wsCreateRequire(import.meta.url);",
    },
  });
  if (process.env.WIRESCOPE_SERVE_VERBOSE)
    console.error(`wirescope serve: built in ${Date.now() - started} ms`);
}

if (buildOnly) process.exit(0);

// npm runs scripts from the package folder; relative capture paths mean the caller's folder.
const child = spawn(process.execPath, [join(outServe, 'serve.mjs'), ...passOn], {
  stdio: 'inherit',
  cwd: process.env.INIT_CWD ?? process.cwd(),
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
