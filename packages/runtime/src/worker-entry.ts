// Where the worker program is. Built, it is `dist/worker/entry.js` next to this file. Run from
// `src/` (unit tests through vitest), there is only `entry.ts`, which a worker thread cannot load
// by itself: a small bootstrap loads it through tsx's namespaced `tsImport`, so that only the
// runtime's own files go through tsx and handler modules load exactly as in the built package.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type WorkerEntry = { kind: 'compiled'; url: URL } | { kind: 'source'; code: string };

let located: WorkerEntry | undefined;

export function locateWorkerEntry(): WorkerEntry {
  located ??= locate();
  return located;
}

function locate(): WorkerEntry {
  const compiled = new URL('./worker/entry.js', import.meta.url);
  if (fs.existsSync(fileURLToPath(compiled))) return { kind: 'compiled', url: compiled };
  const source = new URL('./worker/entry.ts', import.meta.url).href;
  const api = resolveTsxEsmApi();
  // Runs as a classic script in the worker: no top-level await, no `import` statements.
  const code = [
    `import(${JSON.stringify(api)})`,
    `.then(({ tsImport }) => tsImport(${JSON.stringify(source)}, ${JSON.stringify(source)}))`,
    '.then((entry) => entry.runWorker((url) => import(url)));',
  ].join('');
  return { kind: 'source', code };
}

/**
 * The ESM build of `tsx/esm/api` (its CommonJS build cannot register hooks from a worker). Read
 * from tsx's `exports` map because `import.meta.resolve` is not available under vitest.
 */
function resolveTsxEsmApi(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('tsx/package.json');
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as {
    exports?: Record<string, { import?: { default?: string } | string } | string>;
  };
  const entry = manifest.exports?.['./esm/api'];
  const target = typeof entry === 'object' ? (typeof entry.import === 'object' ? entry.import.default : entry.import) : undefined;
  if (typeof target !== 'string') throw new Error(`cannot find the ESM build of tsx/esm/api in ${manifestPath}`);
  return pathToFileURL(path.join(path.dirname(manifestPath), target)).href;
}
