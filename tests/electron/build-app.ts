// Builds the desktop app (electron.vite.config.ts) into a fresh temporary folder, laid out as the
// packaged app is: package.json at the top, main/, preload/, renderer/ under it. Tests never build
// into out/, which `npm run build` and other tests may be using at the same time.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'electron-vite';

export const repoRoot = resolve(import.meta.dirname, '..', '..');

export async function buildDesktopApp(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'wirescope-build-'));
  await build({
    root: repoRoot,
    configFile: join(repoRoot, 'electron.vite.config.ts'),
    logLevel: 'silent',
    build: { outDir: dir },
  });
  // The main bundle is ESM in a .js file: like the repository's package.json, this one says so.
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'wirescope', private: true, type: 'module', main: 'main/main.js' }),
  );
  return dir;
}
