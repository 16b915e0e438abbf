import { watch, type FSWatcher } from 'chokidar';
import { join, relative } from 'node:path';
import type { Gateway } from './create-gateway.js';
import { formatLoadError } from './format-error.js';

/** Editors write several times per save (temp file, rename, chmod); one reload per burst. */
const DEBOUNCE_MS = 40;

/** Files whose change means the gateway must reload: the config, what it imports, the handlers. */
export function watchedFiles(gateway: Gateway): string[] {
  const { loaded, handlers, envFiles } = gateway.current;
  const files = new Set<string>([...loaded.dependencies, ...envFiles]);
  if (loaded.file) files.add(loaded.file);
  // Watched even before it exists, so creating it takes effect too.
  files.add(join(loaded.baseDir, '.env'));
  for (const target of handlers.values()) {
    if (target.ok && typeof target.handler !== 'function') files.add(target.handler.file);
  }
  return [...files];
}

export async function watchGateway(gateway: Gateway): Promise<{ close(): Promise<void> }> {
  const watcher: FSWatcher = watch(watchedFiles(gateway), {
    ignoreInitial: true,
    ignored: (path) => /[\\/](node_modules|\.git|\.localgw)([\\/]|$)/.test(path),
  });
  let timer: NodeJS.Timeout | undefined;
  const changed = new Set<string>();
  const flush = async () => {
    timer = undefined;
    const files = [...changed].map((f) => relative(process.cwd(), f) || f);
    changed.clear();
    const result = await gateway.reload();
    if (result.ok) {
      gateway.logger.info(`reloaded ${files.join(', ')} in ${Math.round(result.durationMs)} ms`);
      // The set of files can change with the config (a new route, a new handler file).
      const next = watchedFiles(gateway);
      watcher.add(next);
    } else {
      gateway.logger.error(`reload failed, still serving the last good version:\n${formatLoadError(result.error!)}`);
    }
  };
  watcher.on('all', (_event, path) => {
    changed.add(path);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void flush(), DEBOUNCE_MS);
  });
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    async close() {
      if (timer) clearTimeout(timer);
      await watcher.close();
    },
  };
}
