// The desktop build: main and preload from electron/, the renderer from renderer/. shared/ is plain
// source imported by relative path, so it is bundled into each output (never a runtime package).
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      // The engine's packages (docs/decisions/shared-dependencies.md) are bundled like shared/
      // itself, so main and the index worker need no node_modules at run time for them.
      externalizeDeps: { exclude: ['fflate', 'brotli', '@noble/hashes', '@noble/ciphers', 'protobufjs'] },
      // The index worker is its own entry beside main.js: capture-index.ts starts it from
      // ./index-worker.mjs next to the bundle (docs/decisions/index-worker.md).
      lib: {
        entry: {
          main: resolve(root, 'electron/main.ts'),
          'index-worker': resolve(root, 'electron/workers/index-worker.ts'),
        },
      },
      rolldownOptions: {
        output: { entryFileNames: (chunk) => (chunk.name === 'main' ? 'main.js' : '[name].mjs') },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // A sandboxed preload is not a Node module: Electron evaluates it as ONE script that may only
      // require electron, events, timers and url. So: CommonJS, every dependency inlined, no chunks.
      externalizeDeps: false,
      lib: { entry: resolve(root, 'electron/preload.ts'), formats: ['cjs'] },
      rolldownOptions: {
        external: ['electron'],
        output: { entryFileNames: 'preload.cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      // electron-vite leaves every output unminified; the renderer is what the window parses on
      // every start, so it ships minified like the browser build.
      minify: true,
      rolldownOptions: { input: resolve(root, 'renderer/index.html') },
    },
  },
});
