// Bundles the CLI, the index worker and the messages worker with esbuild into out/cli/ (plain Node ESM, no runtime
// dependencies). Runs at `npm install` (prepare) and as `npm run build:cli`.
//   --outdir DIR   build elsewhere (tests build their own copy, so parallel runs never share one)
//   --quiet        no summary line
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const at = process.argv.indexOf('--outdir');
const outdir = at > 0 && process.argv[at + 1] ? process.argv[at + 1] : `${root}out/cli`;
mkdirSync(outdir, { recursive: true });
// Chunk names carry a content hash: old ones would pile up beside the new.
rmSync(`${outdir}/chunks`, { recursive: true, force: true });

const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));

const common = {
  define: { __WIRESCOPE_VERSION__: JSON.stringify(version) },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  // Bundled ESM still needs `require` for the few CommonJS corners of dependencies.
  banner: {
    js: "import { createRequire as __wsCreateRequire } from 'node:module'; const require = __wsCreateRequire(import.meta.url);",
  },
};

const started = Date.now();
await build({
  ...common,
  entryPoints: {
    wirescope: `${root}electron/cli.ts`,
    'index-worker': `${root}electron/workers/index-worker.ts`,
    'messages-worker': `${root}electron/workers/messages-worker.ts`,
  },
  outdir,
  outExtension: { '.js': '.mjs' },
  // Split: each command's code is a chunk run.ts imports on use, so `wirescope info` (the index
  // pass) starts without compiling the application dissectors, labs or live capture.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});
if (!process.argv.includes('--quiet'))
  console.error(`built ${outdir}/wirescope.mjs and its workers in ${Date.now() - started} ms`);
