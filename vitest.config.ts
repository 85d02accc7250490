import { defineConfig } from 'vitest/config';

// Node for the engine, the backend and the cross-room tests; renderer tests that need a DOM get a
// jsdom project once the views have them. The JSON report is what .ci/run totals
// (.ci/tally.mjs): keep its path in step with the vitest step there.
export default defineConfig({
  test: {
    include: [
      'shared/**/*.test.ts',
      'electron/**/*.test.ts',
      'renderer/**/*.test.{ts,tsx}',
      'tests/**/*.test.{ts,tsx}',
    ],
    exclude: ['node_modules', 'out', 'tests/e2e/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: 'out/test-results/vitest.json' },
  },
});
