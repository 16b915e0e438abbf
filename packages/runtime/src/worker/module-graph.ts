// Which local files a handler really loaded (its module graph), so the gateway can reload when
// any of them changes, not only the handler file.
//
// The worker's own inspector reports every script V8 compiles (`Debugger.scriptParsed`): ESM
// imports, CommonJS requires, TypeScript through tsx. It runs in this thread; a loader hook,
// the other way to see ESM imports, runs on a loader thread of its own, about 9 MB per worker.
// The debugger is on only while the module loads. The require cache covers CommonJS besides.
import { createRequire } from 'node:module';
import { Session } from 'node:inspector';
import { fileURLToPath } from 'node:url';

export interface ModuleGraph {
  /** Local files loaded so far (no node_modules), absolute paths. Stops the tracking. */
  collect(): Promise<string[]>;
  /** Stop tracking without collecting (the graph is not needed after all). */
  stop(): void;
}

export function trackModuleGraph(): ModuleGraph {
  const scripts = new Set<string>();
  const session = new Session();
  session.connect();
  // Enabling reports every script already loaded (this worker's own code) before it replies;
  // a session in this thread replies at once, before the handler's module is even read.
  let enabled = false;
  session.on('Debugger.scriptParsed', ({ params }) => {
    if (!enabled) return;
    if (params.url.startsWith('file:')) scripts.add(fileURLToPath(params.url.split('?')[0]!));
    else if (params.url.startsWith('/')) scripts.add(params.url);
  });
  session.post('Debugger.enable', () => (enabled = true));
  const requireCache = createRequire(import.meta.url).cache;

  return {
    async collect() {
      // Replies come in order: once this one is back, every script event before it has arrived.
      await new Promise<void>((resolve) => session.post('Debugger.disable', () => resolve()));
      session.disconnect();
      const files = new Set(scripts);
      for (const file of Object.keys(requireCache)) files.add(file);
      return [...files].filter((file) => !/[\\/]node_modules[\\/]/.test(file)).sort();
    },
    stop() {
      session.disconnect();
    },
  };
}
