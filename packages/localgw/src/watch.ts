import { watch, type FSWatcher } from 'chokidar';
import { statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { HandlerFunction } from '@localgw/core';
import { HANDLER_EXTENSIONS, type HandlerRef } from '@localgw/runtime';
import type { Gateway } from './create-gateway.js';
import { formatLoadError } from './format-error.js';

/** Editors write several times per save (temp file, rename, chmod); one reload per burst. */
const DEBOUNCE_MS = 40;

/** After a reload of handler code, when the workers for the next one start booting. */
const STANDBY_AFTER_MS = 100;

/** Longer than chokidar's per-path event throttle. */
const VERIFY_AFTER_MS = 120;

const IGNORED = /[\\/](node_modules|\.git|\.localgw|\.venv|__pycache__)([\\/]|$)/;

/**
 * Files whose change means the gateway must reload: the config and what it imports, every
 * handler file, the `.env` files, and every local module a handler worker loaded (reported by
 * the runtime: the real module graph, not a folder glob).
 */
export function watchedFiles(gateway: Gateway, handlerModules: ReadonlySet<string>): Set<string> {
  const { loaded, envFiles } = gateway.current;
  const files = new Set<string>([...loaded.dependencies, ...envFiles, ...handlerModules]);
  if (loaded.file) files.add(loaded.file);
  // Watched even before it exists, so creating it takes effect too.
  files.add(join(loaded.baseDir, '.env'));
  // Every API of a template (they share its files, not their handlers).
  for (const { handlers, authorizers } of gateway.generations()) {
    for (const [route, target] of handlers) {
      if (target.ok) {
        if (typeof target.handler !== 'function') files.add(target.handler.file);
      } else if (route.integration.type === 'lambda' && typeof route.integration.handler === 'string') {
        // Not there yet: creating any file it could resolve to must reload.
        for (const file of handlerCandidates(loaded.baseDir, route.integration.handler)) files.add(file);
      }
    }
    for (const authorizer of authorizers.values()) {
      if (authorizer.kind !== 'request') continue;
      if (authorizer.target.ok) {
        if (typeof authorizer.target.handler !== 'function') files.add(authorizer.target.handler.file);
      } else if (typeof authorizer.config.handler === 'string') {
        for (const file of handlerCandidates(loaded.baseDir, authorizer.config.handler)) files.add(file);
      }
    }
  }
  for (const file of jwksFiles(gateway)) files.add(file);
  return files;
}

/**
 * Folders whose files a handler may load without the runtime knowing: a Python function's task
 * root (its `.py` files: what it imports is not reported, unlike a Node.js module graph) and a
 * custom runtime's (any file: a rebuilt binary, a sourced script).
 */
export function watchedFolders(gateway: Gateway): Array<{ dir: string; extension: string | undefined }> {
  const folders = new Map<string, string | undefined>();
  const add = (handler: HandlerRef | HandlerFunction) => {
    const fn = typeof handler === 'function' ? undefined : handler.process;
    if (fn) folders.set(fn.taskRoot, fn.family === 'python' ? '.py' : undefined);
  };
  for (const { handlers, authorizers } of gateway.generations()) {
    for (const target of handlers.values()) if (target.ok) add(target.handler);
    for (const authorizer of authorizers.values()) if (authorizer.kind === 'request' && authorizer.target.ok) add(authorizer.target.handler);
  }
  return [...folders].map(([dir, extension]) => ({ dir, extension }));
}

/** Files `FILE.EXPORT` could name: FILE plus each handler extension, for both dot readings. */
function handlerCandidates(baseDir: string, spec: string): string[] {
  const bases = new Set([spec.slice(0, spec.lastIndexOf('.')), spec.slice(0, spec.indexOf('.'))].filter(Boolean));
  return [...bases].flatMap((base) => ['', ...HANDLER_EXTENSIONS].map((ext) => resolve(baseDir, base + ext)));
}

/** A JWT authorizer's key-set file: rotating it must reload the authorizer. */
function jwksFiles(gateway: Gateway): string[] {
  const { loaded } = gateway.current;
  return gateway
    .generations()
    .flatMap(({ model }) => Object.values(model.config.authorizers))
    .map((a) => (a.type === 'jwt' ? a.jwks : undefined))
    .filter((jwks): jwks is string => typeof jwks === 'string' && !/^https?:\/\//i.test(jwks))
    .map((jwks) => resolve(loaded.baseDir, jwks));
}

/** The config, what it imports, .env and JWKS files: edits that need no worker restart. */
function configFiles(gateway: Gateway): Set<string> {
  const { loaded, envFiles } = gateway.current;
  const files = new Set<string>([...loaded.dependencies, ...envFiles, join(loaded.baseDir, '.env'), ...jwksFiles(gateway)]);
  if (loaded.file) files.add(loaded.file);
  return files;
}

/** mtime and size of each file, read before a reload, to notice edits the watcher missed. */
function stamps(files: Iterable<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of files) {
    const stat = statSync(file, { throwIfNoEntry: false });
    out.set(file, stat ? `${stat.mtimeMs}:${stat.size}` : 'missing');
  }
  return out;
}

/**
 * Reloads the gateway when a file it depends on changes. The project folder is watched as a
 * whole (minus node_modules, .git, .localgw) so that a module is already under watch when a
 * worker reports it has loaded it — no window in which an edit could be missed — but only
 * changes to files in the dependency set trigger a reload. Dependencies outside the folder are
 * added one by one.
 */
export async function watchGateway(gateway: Gateway): Promise<{ close(): Promise<void> }> {
  const root = resolve(gateway.current.loaded.baseDir);
  const handlerModules = new Set<string>();
  let relevant = watchedFiles(gateway, handlerModules);
  let folders = watchedFolders(gateway);
  const outside = (file: string) => !file.startsWith(root + sep);
  const inFolder = (file: string) => folders.some(({ dir, extension }) => file.startsWith(dir + sep) && (extension === undefined || file.endsWith(extension)));
  const watcher: FSWatcher = watch([root, ...[...relevant].filter(outside), ...folders.map((f) => f.dir).filter(outside)], {
    ignoreInitial: true,
    ignored: (path) => IGNORED.test(path),
  });

  let timer: NodeJS.Timeout | undefined;
  let verifyTimer: NodeJS.Timeout | undefined;
  let standbyTimer: NodeJS.Timeout | undefined;
  const changed = new Set<string>();
  const schedule = (path: string) => {
    // Handler code: the reload's new workers start booting now, during the debounce.
    if (timer === undefined && !configFiles(gateway).has(resolve(path))) gateway.prepareReload([resolve(path)]);
    changed.add(path);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void flush(), DEBOUNCE_MS);
  };
  const flush = async () => {
    timer = undefined;
    const paths = [...changed].map((f) => resolve(f));
    const files = paths.map((f) => relative(process.cwd(), f) || f);
    changed.clear();
    const before = stamps(relevant);
    // Workers restart only when code changed; a config or .env edit reuses them (new handler
    // files or environments get new workers anyway, as workers are keyed by them).
    const result = await gateway.reload({ handlers: paths.some((f) => !configFiles(gateway).has(f)) });
    if (result.ok) {
      gateway.logger.info(`reloaded ${files.join(', ')} in ${Math.round(result.durationMs)} ms`);
      // The next save of the same code will find its workers booted; after this reload's own
      // workers have started, not competing with them.
      const code = paths.filter((f) => !configFiles(gateway).has(f));
      if (code.length > 0) {
        if (standbyTimer) clearTimeout(standbyTimer);
        standbyTimer = setTimeout(() => gateway.prepareReload(code), STANDBY_AFTER_MS).unref();
      }
    } else {
      gateway.logger.error(`reload failed, still serving the last good version:\n${formatLoadError(result.error!)}`);
    }
    // The set can change with the config (a new route, a new handler file).
    relevant = watchedFiles(gateway, handlerModules);
    folders = watchedFolders(gateway);
    watcher.add([...relevant, ...folders.map((f) => f.dir)].filter(outside));
    // chokidar throttles repeated events on one path (~50 ms), so a second save right after a
    // reload can go unreported. Once that window has passed, compare what is on disk with what
    // the reload read, and reload again if anything moved on.
    if (verifyTimer) clearTimeout(verifyTimer);
    verifyTimer = setTimeout(() => {
      verifyTimer = undefined;
      const now = stamps(before.keys());
      for (const [file, stamp] of now) if (before.get(file) !== stamp) schedule(file);
    }, VERIFY_AFTER_MS);
  };
  watcher.on('all', (_event, path) => {
    const file = resolve(path);
    if (relevant.has(file) || inFolder(file)) schedule(path);
  });
  // An unreadable folder, or the OS running out of watches, must not take the server down: the
  // gateway keeps serving, only reloading is affected.
  watcher.on('error', (error) => {
    gateway.logger.warn(`file watching: ${(error as Error).message} (the gateway keeps serving; reloads may be missed)`);
  });
  const stopModules = gateway.onHandlerModules((files) => {
    for (const file of files) {
      if (handlerModules.has(file)) continue;
      handlerModules.add(file);
      relevant.add(file);
      if (outside(file)) watcher.add(file);
    }
  });
  await new Promise<void>((ready) => watcher.once('ready', () => ready()));
  return {
    async close() {
      stopModules();
      if (timer) clearTimeout(timer);
      if (verifyTimer) clearTimeout(verifyTimer);
      if (standbyTimer) clearTimeout(standbyTimer);
      await watcher.close();
    },
  };
}
