import { defineConfig } from 'vitest/config';

// Two projects, one runner (so `npm test` runs everything and .ci/run keeps one report):
// - unit: Node for the engine, the backend, the store and the cross-room tests. The views' pure
//   logic is tested here; the views themselves in real Chromium (e2e), not in a DOM stand-in.
// - e2e: tests/e2e/**/*.e2e.test.ts drive serve mode in Debian's Chromium through playwright-core,
//   one file at a time (each starts a server and a browser; the machines have two cores).
// The JSON report is what .ci/run totals (.ci/tally.mjs): keep its path in step with the vitest
// step there.
export default defineConfig({
  test: {
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: 'out/test-results/vitest.json' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'shared/**/*.test.ts',
            'electron/**/*.test.ts',
            'renderer/**/*.test.{ts,tsx}',
            'tests/**/*.test.{ts,tsx}',
          ],
          exclude: ['node_modules', 'out', 'tests/e2e/**'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.e2e.test.ts'],
          exclude: ['node_modules', 'out'],
          fileParallelism: false,
          // The first file may build the renderer bundle and the server (scripts/serve.mjs).
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
