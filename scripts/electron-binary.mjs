// Where the Electron executable is, WITHOUT require('electron'): since Electron 42 that require
// downloads the binary on first use, which on an offline machine fails after a network timeout.
// Mirrors node_modules/electron/index.js (path.txt names the executable inside dist/).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function electronPackageDir() {
  try {
    return dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/** @returns {{ path: string } | { missing: string }} */
export function findElectronBinary() {
  const pkgDir = electronPackageDir();
  if (!pkgDir) return { missing: 'the electron npm package is not installed (run npm install)' };
  const pathFile = join(pkgDir, 'path.txt');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  if (override) {
    const path = join(override, name || 'electron');
    return existsSync(path)
      ? { path }
      : { missing: `ELECTRON_OVERRIDE_DIST_PATH is set but ${path} does not exist` };
  }
  if (!name) return { missing: `the Electron binary has not been downloaded (${pathFile} is missing)` };
  const path = join(pkgDir, 'dist', name);
  return existsSync(path) ? { path } : { missing: `the Electron binary is missing (${path})` };
}

/** The installed electron package's version, for messages. */
export function electronVersion() {
  const pkgDir = electronPackageDir();
  try {
    return pkgDir
      ? String(JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version)
      : 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Chromium refuses to start as root with its sandbox on Linux ("Running as root without
 * --no-sandbox is not supported"). CI containers run as root; everywhere else the sandbox stays on.
 */
export function rootNeedsNoSandbox() {
  return process.platform === 'linux' && typeof process.getuid === 'function' && process.getuid() === 0;
}
