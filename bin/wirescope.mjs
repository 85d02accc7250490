#!/usr/bin/env node
// Runs the bundled CLI (out/cli/wirescope.mjs, built by `npm run build:cli` and at `npm install`),
// or the TypeScript source through tsx when the bundle is missing (a fresh checkout before the
// first build).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bundle = fileURLToPath(new URL('../out/cli/wirescope.mjs', import.meta.url));
if (existsSync(bundle)) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../electron/cli.ts', import.meta.url).href);
}
