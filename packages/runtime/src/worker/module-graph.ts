// Which local files a handler really loaded (its module graph), so the gateway can reload when
// any of them changes, not only the handler file. ESM imports are seen by a loader hook;
// CommonJS `require` (which Node 20's hooks do not see) by the require cache.
import { createRequire, register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

// The hook runs on Node's loader thread. It is inlined as a data: URL so it loads the same way
// from `src/` (tests) and from `dist/`, with no file of its own to locate.
const HOOKS = `
let port;
export async function initialize(data) {
  port = data.port;
  port.on('message', () => port.postMessage(null));
}
export async function load(url, context, next) {
  const result = await next(url, context);
  if (url.startsWith('file:')) port.postMessage(url);
  return result;
}`;

export interface ModuleGraph {
  /** Local files loaded so far (no node_modules), absolute paths. */
  collect(): Promise<string[]>;
}

export function trackModuleGraph(): ModuleGraph {
  const { port1, port2 } = new MessageChannel();
  const urls = new Set<string>();
  let flushed: (() => void) | undefined;
  port1.on('message', (message: string | null) => {
    if (message === null) flushed?.();
    else urls.add(message);
  });
  // Never the reason the worker stays alive (the entry relies on the event loop emptying).
  port1.unref();
  register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, { data: { port: port2 }, transferList: [port2] });
  const requireCache = createRequire(import.meta.url).cache;

  return {
    async collect() {
      // Messages on one channel arrive in order: once the flush reply is back, every URL the
      // hook posted before it has been received.
      port1.ref();
      await new Promise<void>((resolve) => {
        flushed = resolve;
        port1.postMessage('flush');
      });
      port1.unref();
      const files = new Set<string>();
      for (const url of urls) files.add(fileURLToPath(url.split('?')[0]!));
      for (const file of Object.keys(requireCache)) files.add(file);
      return [...files].filter((file) => !/[\\/]node_modules[\\/]/.test(file)).sort();
    },
  };
}
