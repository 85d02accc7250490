// The renderer alone, in any browser: `npm run dev:web` for development and the bundle that
// `serve` mode hands to a browser. The Electron build uses electron.vite.config.ts instead; both
// build the same renderer/ sources.
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = import.meta.dirname;

export default defineConfig({
  root: resolve(root, 'renderer'),
  base: './',
  plugins: [react()],
  server: { host: '127.0.0.1', strictPort: false },
  preview: { host: '127.0.0.1' },
  build: {
    outDir: resolve(root, 'out/web'),
    emptyOutDir: true,
    target: 'es2022',
  },
});
