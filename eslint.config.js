import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'net',
  'http',
  'https',
  'child_process',
  'worker_threads',
  'crypto',
  'stream',
  'buffer',
  'url',
  'util',
];
// As a regular expression over the whole module name: gitignore-style groups would also catch
// relative files of the same name (`./http`, shared/dissectors/http.ts).
const NODE_BUILTIN_RE = `^(${NODE_BUILTINS.map((m) => m.replace('/*', '(/.*)?').replace(':*', ':.*')).join('|')})$`;

const ONLY_TWO_IMPORT_ELECTRON = {
  name: 'electron',
  message: 'Only electron/main.ts and electron/preload.ts import electron.',
};

// The rooms of DESIGN.md ("Processes and rooms"); tests/electron/rooms.test.ts checks the same
// over the whole tree. A later block's no-restricted-imports replaces an earlier one for the files
// both match, so each room's block lists everything that room forbids.
export default tseslint.config(
  {
    // The last pattern: the bundled config copies Vite and electron-vite write for a moment while loading.
    ignores: [
      'out/**',
      'node_modules/**',
      'dist/**',
      'coverage/**',
      '.vite/**',
      'tests/e2e/artifacts/**',
      '*.config.*.mjs',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Everywhere, tests included: only the two shell files import electron.
    files: ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}'],
    ignores: ['electron/main.ts', 'electron/preload.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [ONLY_TWO_IMPORT_ELECTRON] }],
    },
  },
  {
    // The engine room: no Node built-ins, no Electron, nothing outside shared/.
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: NODE_BUILTIN_RE.replace(')$', '|electron)$'),
              message: 'shared/ is pure TypeScript: no Node built-ins, no Electron.',
            },
            {
              group: ['**/electron/**', '**/renderer/**'],
              message: 'shared/ imports nothing outside shared/.',
            },
          ],
        },
      ],
    },
  },
  {
    // The engine's own unit tests keep to the room too (no Node built-ins); tests that read
    // capture files or run tshark live under tests/.
    files: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: NODE_BUILTIN_RE.replace(')$', '|electron)$'),
              message: 'tests under shared/ use no Node built-ins: put a test that needs them under tests/.',
            },
          ],
        },
      ],
    },
  },
  {
    // The renderer runs in a sandboxed Chromium page: it reaches the backend through the preload
    // bridge only, never by importing electron/ or Node.
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [ONLY_TWO_IMPORT_ELECTRON],
          patterns: [
            { regex: NODE_BUILTIN_RE, message: 'renderer/ runs in Chromium: no Node built-ins.' },
            {
              group: ['**/electron/**'],
              message: 'renderer/ talks to the backend through the preload bridge, not by import.',
            },
          ],
        },
      ],
    },
  },
);
