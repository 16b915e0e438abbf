// The program each handler worker runs: one function per worker, one invocation at a time, like
// a Lambda execution environment. It imports only the protocol, the shared Lambda model
// (context, calling conventions), core's event builders and `node:*`; nothing here knows about
// pools or HTTP.
import { buildWireEvent, type WireContext, type WireFields } from '@localgw/core/event-wire';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { callHandler, toErrorOutcome, toOutcome } from '../call-handler.js';
import type { Handler, HandlerCall } from '../call-handler.js';
import { DEFAULT_REGION } from '../lambda-context.js';
import { BATCH_HEADER_FIELDS, FINISHED, INVOCATION_FIELDS, POSTED, RESULTS_READ, RESULTS_WRITTEN, STARTED, WITHDRAWN_FENCE } from '../protocol.js';
import { ResultRingWriter } from '../result-ring.js';
import type { BatchHeader, FromWorker, Invocation, ToWorker, WorkerConfig, WorkerOutcome } from '../protocol.js';
import { reportChildren } from './children.js';
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
  // A spare worker's function (file, names) arrives with its StartMessage: copied to be replaced.
  const config = { ...(workerData as WorkerConfig) };
  // Stack traces point at the original lines of TypeScript (tsx) and of built code with source maps.
  process.setSourceMapsEnabled(true);

  let requestId: string | undefined;
  // Read once the function is known: a spare worker's environment is given with it.
  let region = DEFAULT_REGION;
  const progress = new Int32Array(config.progress);
  const posted = () => {
    Atomics.add(progress, POSTED, 1);
    Atomics.notify(progress, POSTED);
  };
  const post = (message: FromWorker, transfer?: ArrayBuffer[]) => {
    config.replies.postMessage(message, transfer);
    posted();
  };
  const results = new ResultRingWriter(config.results, { array: progress, write: RESULTS_WRITTEN, read: RESULTS_READ });
  forwardConsole((level, text) => post(requestId === undefined ? { type: 'log', level, text } : { type: 'log', level, text, requestId }));
  // Before the handler's module loads: children it starts at its top level count too.
  reportChildren((pid, alive) => post({ type: 'child', pid, alive }));

  // Load at start, as Lambda's init phase does, so the first invocation finds the module warm.
  // Only when someone watches: it costs an inspector session and about 2.5 MB per worker.
  // The graph is posted before any result: a watcher then knows every module before the
  // response that tells a developer the code ran, so an edit right after it is never missed.
  let graph = config.trackModules ? trackModuleGraph() : undefined;
  let handler: LoadResult | undefined;
  // A held worker has done all of the above (a thread, the runtime, the debugger: most of a
  // start) while the file was still being saved, or while the gateway was starting (a spare);
  // it reads the module once told to.
  let release = () => {};
  const released = config.held ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
  const loaded = released.then(async () => {
    region = process.env.AWS_REGION ?? DEFAULT_REGION;
    const result = await loadHandler(config.file, config.exportName, importModule);
    if (graph) post({ type: 'modules', files: await graph.collect() });
    handler = result;
    return result;
  });

  // Results go at once (a handler that blocks next must not hold them back); the main thread
  // picks up whatever has arrived in one go. An `ok` one is written to the shared ring, unless
  // it is too large for it now.
  const answer = (id: number, outcome: WorkerOutcome, ms = 0) => {
    if (outcome.kind !== 'ok') post({ type: 'result', id, outcome, ms });
    // Handed over, not copied: nothing here uses the bytes again.
    else if (outcome.body !== undefined) post([id, ms, outcome.payload, outcome.body], [outcome.body.buffer as ArrayBuffer]);
    else if (results.write(id, ms, outcome.payload)) posted();
    else post([id, ms, outcome.payload]);
  };

  // Invocations run strictly one after the other, in the order received (one execution
  // environment); the queue holds those received while another runs.
  const queue: Invocation[] = [];
  let lastStarted = 0;
  let withdrawnUpTo = 0;
  /** Start `id` unless the gateway took it back (see protocol.ts, STARTED). */
  const claim = (id: number): boolean => {
    const seen = Atomics.compareExchange(progress, STARTED, lastStarted, id);
    if (seen !== lastStarted) {
      // A withdrawal fence: drop everything up to the id it names, and replace the fence in one
      // store (the gateway never touches a fenced value; two stores would let it fence again
      // in between, and this worker would then start an invocation it had just requeued).
      withdrawnUpTo = Math.max(withdrawnUpTo, seen & ~WITHDRAWN_FENCE);
      if (id <= withdrawnUpTo) {
        Atomics.store(progress, STARTED, lastStarted);
        return false;
      }
      Atomics.store(progress, STARTED, id);
    }
    lastStarted = id;
    return true;
  };
  let draining = false;
  const runQueue = async () => {
    draining = true;
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      // Taken back by the gateway while a slow invocation held it up here: it runs elsewhere.
      if (next.id <= withdrawnUpTo) continue;
      // Its timeout fired while it waited here: the gateway has answered already, and it must
      // not start (nothing would stop it). Only a deadline in the past; Infinity never expires.
      if (next.deadline <= Date.now()) {
        answer(next.id, EXPIRED, 0);
        continue;
      }
      // Claimed as soon as it leaves the queue: from here it cannot be taken back, and a
      // timeout must stop this thread even while the module is still loading.
      if (!claim(next.id)) continue;
      // Init (the module loading) is not part of the invocation's measured time.
      if (handler === undefined) await loaded;
      const startedAt = performance.now();
      const outcome = await invoke(port, next);
      Atomics.store(progress, FINISHED, next.id);
      answer(next.id, outcome, performance.now() - startedAt);
      // Completed by the empty event loop ('beforeExit'): the next invocation must start on a
      // later turn, or nothing would keep the thread alive once 'beforeExit' returns (Node
      // emits it once per empty loop) and the thread would end under the next handler.
      if (completedByEmptyLoop) {
        completedByEmptyLoop = false;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    draining = false;
  };

  /** Route contexts by the number the gateway gave them (protocol.ts, `BatchHeader`). */
  const contexts: WireContext[] = [];
  port.on('message', (message: ToWorker) => {
    if (Array.isArray(message)) {
      const [reset, added] = message as unknown as BatchHeader;
      if (reset) contexts.length = 0;
      if (added) for (let i = 0; i < added.length; i += 2) contexts[added[i] as number] = added[i + 1] as WireContext;
      // Resolved now: a later batch may start the numbering over.
      for (let i = BATCH_HEADER_FIELDS; i < message.length; i += INVOCATION_FIELDS) {
        const [id, deadline, requestId, contextNumber, event, headers, authorizer, body, bodyAsBytes] = message.slice(i, i + INVOCATION_FIELDS) as InvocationFields;
        const context = contextNumber === undefined ? undefined : contexts[contextNumber];
        queue.push({ id, deadline, requestId, context, event, headers, authorizer, body, bodyAsBytes });
      }
      if (!draining) void runQueue();
    } else if (message.type === 'start') {
      if (message.assign !== undefined && config.spare) {
        const { env, trackModules, ...names } = message.assign;
        Object.assign(config, names);
        for (const name of Object.keys(process.env)) if (!(name in env)) delete process.env[name];
        Object.assign(process.env, env);
        if (!trackModules) {
          graph?.stop();
          graph = undefined;
        }
      }
      release();
    } else if (message.type === 'load') {
      void loaded.then((result) => answer(message.id, result.ok ? { kind: 'ok', payload: '' } : toLoadError(result)));
    }
  });

  /** The handler call in progress, for the empty-event-loop signal. */
  let running: HandlerCall | undefined;
  let completedByEmptyLoop = false;
  process.on('beforeExit', () => {
    if (running === undefined) return;
    port.ref();
    completedByEmptyLoop = true;
    running.eventLoopEmpty();
  });

  async function invoke(port: MessagePort, invocation: Invocation): Promise<WorkerOutcome> {
    const result = handler ?? (await loaded);
    if (!result.ok) return toLoadError(result);
    let event: unknown;
    try {
      // A request's event is built here, where the handler runs, not on the gateway's thread.
      const { context, event: fields, headers = [], authorizer, body } = invocation;
      if (!Array.isArray(fields)) event = (fields as { event: unknown }).event;
      // A bug of ours if it happens: a 500 that says so, not a handler called without its event.
      else if (context === undefined) throw new Error("localgw: this request's route context never reached the worker");
      else event = buildWireEvent({ context, fields: fields as WireFields, headers, authorizer, body });
    } catch (error) {
      return toErrorOutcome(error);
    }
    requestId = invocation.requestId;
    const call = callHandler(
      result.handler as Handler,
      event,
      {
        functionName: config.functionName,
        requestId: invocation.requestId,
        deadline: invocation.deadline,
        logStreamName: config.logStreamName,
        region,
      },
      { detectsEmptyEventLoop: true },
    );
    // While the handler runs, our own port must not keep the thread alive: 'beforeExit' then
    // means the handler has nothing left to run, which is how Lambda completes callback and
    // synchronous handlers (and fails async ones whose promise can never settle).
    running = call;
    port.unref();
    const completion = await call.completion;
    running = undefined;
    port.ref();
    requestId = undefined;
    return toOutcome(completion, invocation.bodyAsBytes);
  }
}

type InvocationFields = [
  Invocation['id'],
  Invocation['deadline'],
  Invocation['requestId'],
  number | undefined,
  Invocation['event'],
  Invocation['headers'],
  Invocation['authorizer'],
  Invocation['body'],
  Invocation['bodyAsBytes'],
];

/** The answer for an invocation that expired before it started; the gateway drops it. */
const EXPIRED: WorkerOutcome = { kind: 'error', errorType: 'localgw.Expired', errorMessage: 'timed out before it started' };

function toLoadError(result: Extract<LoadResult, { ok: false }>): WorkerOutcome {
  return result.stack === undefined ? { kind: 'load-error', message: result.message } : { kind: 'load-error', message: result.message, stack: result.stack };
}

if (!isMainThread && !(workerData as WorkerConfig | undefined)?.bootstrapped) {
  runWorker((url) => import(url));
}
