import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

// Unit tests import sibling packages from source (no build needed; handler worker threads, which
// Vite does not load, use the built ones); e2e tests only use the built `localgw` package and its
// bin, exactly as a user would.
export default defineConfig({
  test: {
    // Two cores on the CI machine; e2e files start servers, workers and a browser.
    maxWorkers: 2,
    minWorkers: 1,
    projects: [
      {
        resolve: {
          alias: [
            { find: /^@localgw\/core$/, replacement: src('core') },
            { find: /^@localgw\/core\/event-wire$/, replacement: fileURLToPath(new URL('./packages/core/src/payload/event-wire.ts', import.meta.url)) },
            // Subpaths the runtime imports instead of the index: the CLI's early chunk stays small (cli/main.ts).
            { find: /^@localgw\/core\/runtimes$/, replacement: fileURLToPath(new URL('./packages/core/src/config/runtimes.ts', import.meta.url)) },
            { find: /^@localgw\/core\/did-you-mean$/, replacement: fileURLToPath(new URL('./packages/core/src/config/did-you-mean.ts', import.meta.url)) },
            { find: /^@localgw\/jwt$/, replacement: src('jwt') },
            { find: /^@localgw\/runtime$/, replacement: src('runtime') },
            { find: /^@localgw\/formats$/, replacement: src('formats') },
            { find: /^@localgw\/formats\/documents$/, replacement: fileURLToPath(new URL('./packages/formats/src/documents.ts', import.meta.url)) },
            { find: /^@localgw\/formats\/serving$/, replacement: fileURLToPath(new URL('./packages/formats/src/serving.ts', import.meta.url)) },
          ],
        },
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'bench/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
