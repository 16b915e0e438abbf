// Lint guards the architecture as much as the style: each package may only import what
// DESIGN.md allows ("Dependency direction"), and the message says why.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const restrict = (patterns, paths = []) => ({
  'no-restricted-imports': ['error', { patterns, paths }],
});

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'bench/results/**', '**/*.d.ts', 'examples/*/handlers/**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', fetch: 'readonly', Response: 'readonly', Request: 'readonly', Headers: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', structuredClone: 'readonly', AbortController: 'readonly', performance: 'readonly', queueMicrotask: 'readonly', setImmediate: 'readonly', document: 'readonly', window: 'readonly', globalThis: 'readonly', btoa: 'readonly', atob: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'eslint-comments/no-unlimited-disable': 'off',
    },
  },
  {
    files: ['packages/core/src/**/*.ts'],
    ignores: ['packages/core/src/**/*.test.ts'],
    rules: restrict([
      { group: ['node:*'], message: 'core is pure logic: no I/O. Pass time, randomness and data in (DESIGN.md "Architecture").' },
      { group: ['hono', 'hono/*', 'jose', 'chokidar', 'undici', '@localgw/*', 'localgw'], message: 'core imports nothing of ours and no I/O library; it is the bottom of the dependency graph.' },
    ]),
  },
  {
    files: ['packages/formats/src/**/*.ts'],
    ignores: ['packages/formats/src/**/*.test.ts'],
    rules: restrict([
      { group: ['node:*'], message: 'formats is pure: no I/O. Files are read by localgw and handed in through a FormatHost (DESIGN.md "Architecture").' },
      { group: ['hono', 'hono/*', 'jose', 'chokidar', 'undici', '@localgw/jwt', '@localgw/runtime', 'localgw'], message: 'formats depends on core only (DESIGN.md "Dependency direction").' },
      { group: ['@localgw/*/src/*'], message: 'import sibling packages through their public entry, not their src/.' },
    ]),
  },
  {
    files: ['packages/jwt/src/**/*.ts'],
    rules: restrict([
      { group: ['@localgw/runtime', 'localgw', 'hono', 'hono/*'], message: 'jwt may depend on core and jose only; it knows nothing about servers or handlers.' },
      { group: ['@localgw/*/src/*'], message: 'import sibling packages through their public entry, not their src/.' },
    ]),
  },
  {
    files: ['packages/runtime/src/**/*.ts'],
    rules: restrict([
      { group: ['@localgw/jwt', 'localgw', 'hono', 'hono/*'], message: 'runtime runs handlers; it must not know about HTTP or authorizers.' },
      { group: ['@localgw/*/src/*'], message: 'import sibling packages through their public entry, not their src/.' },
    ]),
  },
  {
    files: ['e2e/**/*.ts', 'examples/**/*.{ts,js,mjs}', 'bench/**/*.{ts,mjs}'],
    rules: restrict([
      { group: ['@localgw/*', '**/packages/*/src/**'], message: 'black-box code uses only the public `localgw` package and its CLI, like a user.' },
    ]),
  },
);
