// The program each handler worker runs: one function per worker, one invocation at a time, like
// a Lambda execution environment. It imports only the protocol, the shared Lambda model
// (context, calling conventions) and `node:*`; nothing here knows about pools or HTTP.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { callHandler, toOutcome } from '../call-handler.js';
import type { Handler } from '../call-handler.js';
import { DEFAULT_REGION } from '../lambda-context.js';
import type { FromWorker, InvokeMessage, ToWorker, WorkerConfig, WorkerOutcome } from '../protocol.js';
import { forwardConsole } from './console.js';
import { loadHandler } from './load-module.js';
import { trackModuleGraph } from './module-graph.js';
import type { ImportModule, LoadResult } from './load-module.js';

/**
 * Start serving invocations. Runs on its own when this file is the worker's entry; a bootstrap
 * that loaded this file through tsx calls it instead, passing an `import` of its own so that
 * handler modules are not loaded through the bootstrap's tsx namespace.
 */
export function runWorker(importModule: ImportModule): void {
  const port = parentPort;
  if (!port) throw new Error('runWorker() must run in a worker thread');
  const config = workerData as WorkerConfig;
  // Stack traces point at the original lines of TypeScript (tsx) and of built code with source maps.
  process.setSourceMapsEnabled(true);

  let requestId: string | undefined;
  const post = (message: FromWorker) => port.postMessage(message);
  forwardConsole((level, text) => post(requestId === undefined ? { type: 'log', level, text } : { type: 'log', level, text, requestId }));

  // Load at start, as Lambda's init phase does, so the first invocation finds the module warm.
  // Only when someone watches: the loader hook costs a thread and memory per worker.
  // The graph is posted before any result: a watcher then knows every module before the
  // response that tells a developer the code ran, so an edit right after it is never missed.
  const graph = config.trackModules ? trackModuleGraph() : undefined;
  const loaded = loadHandler(config.file, config.exportName, importModule).then(async (result) => {
    if (graph) post({ type: 'modules', files: await graph.collect() });
    return result;
  });

  port.on('message', (message: ToWorker) => {
    if (message.type === 'load') {
      void loaded.then((result) => post({ type: 'result', id: message.id, outcome: result.ok ? { kind: 'ok', payload: '' } : toLoadError(result) }));
    } else {
      void invoke(port, message);
    }
  });

  async function invoke(port: MessagePort, message: InvokeMessage): Promise<void> {
    const result = await loaded;
    if (!result.ok) {
      post({ type: 'result', id: message.id, outcome: toLoadError(result) });
      return;
    }
    requestId = message.requestId;
    const call = callHandler(
      result.handler as Handler,
      message.event,
      {
        functionName: config.functionName,
        requestId: message.requestId,
        deadline: message.deadline,
        logStreamName: config.logStreamName,
        region: process.env.AWS_REGION ?? DEFAULT_REGION,
      },
      { detectsEmptyEventLoop: true },
    );
    // While the handler runs, our own port must not keep the thread alive: 'beforeExit' then
    // means the handler has nothing left to run, which is how Lambda completes callback and
    // synchronous handlers (and fails async ones whose promise can never settle).
    const onEmpty = () => {
      port.ref();
      call.eventLoopEmpty();
    };
    process.on('beforeExit', onEmpty);
    port.unref();
    const completion = await call.completion;
    process.off('beforeExit', onEmpty);
    port.ref();
    const outcome: WorkerOutcome = toOutcome(completion);
    requestId = undefined;
    post({ type: 'result', id: message.id, outcome });
  }
}

function toLoadError(result: Extract<LoadResult, { ok: false }>): WorkerOutcome {
  return result.stack === undefined ? { kind: 'load-error', message: result.message } : { kind: 'load-error', message: result.message, stack: result.stack };
}

if (!isMainThread && !(workerData as WorkerConfig | undefined)?.bootstrapped) {
  runWorker((url) => import(url));
}
