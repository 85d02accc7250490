// `npm start`: build the desktop app, then launch it in Electron. Offline machines usually have the
// electron npm package but not its binary (downloaded on first use since Electron 42): then say so,
// say what to do, and exit non-zero instead of hanging on a download.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'electron-vite';
import { electronVersion, findElectronBinary, rootNeedsNoSandbox } from './electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

try {
  await build({ root, configFile: join(root, 'electron.vite.config.ts'), logLevel: 'warn' });
} catch (err) {
  console.error(`wirescope: the desktop build failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

const binary = findElectronBinary();
if ('missing' in binary) {
  const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts ?? {};
  const browser = scripts.serve
    ? '  - or run `npm run serve` and open the address it prints in a browser.'
    : '  - a browser front-end (`npm run serve`) comes in a later version; `npm run dev:web` shows the\n' +
      '    renderer alone in a browser today.';
  console.error(
    [
      `wirescope: cannot launch the desktop app: ${binary.missing}.`,
      `The app is built (out/main, out/preload, out/renderer); only the Electron ${electronVersion()} executable is missing.`,
      'To get it:',
      '  - on a machine with network access, run `npx install-electron` (or `npx electron .`), which',
      '    downloads it into node_modules/electron/dist, then `npm start` again;',
      '  - or point ELECTRON_OVERRIDE_DIST_PATH at a folder holding an unpacked Electron of that version;',
      browser,
    ].join('\n'),
  );
  process.exit(1);
}

const args = [root, ...process.argv.slice(2)];
if (rootNeedsNoSandbox()) {
  console.error(
    'wirescope: running as root on Linux: starting Electron with --no-sandbox (Chromium requires it).',
  );
  args.unshift('--no-sandbox');
}
const child = spawn(binary.path, args, { stdio: 'inherit', cwd: root });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('error', (err) => {
  console.error(`wirescope: could not start ${binary.path}: ${err.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
