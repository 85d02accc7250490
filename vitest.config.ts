import { defineConfig } from 'vitest/config';

// Projects: Node for the engine and the backend; jsdom for the renderer once it has tests of its own.
export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'tests/**/*.test.ts'],
    exclude: ['node_modules', 'out', 'tests/e2e/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: 'out/test-results/vitest.json' },
  },
});
