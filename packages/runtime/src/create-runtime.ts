import path from 'node:path';
import { buildWireEvent, type WireEvent } from '@localgw/core/event-wire';
import type { Handler } from './call-handler.js';
import { Generation } from './generation.js';
import { IdleLimit } from './idle-limit.js';
import type { HandlerRef } from './handler-ref.js';
import { deadlineFor, invokeInline } from './invoke.js';
import type { InvokeOutcome } from './invoke.js';
import { adoptEarlySpare, DEFAULT_WORKER_MEMORY_LIMIT_MB, startSpareSlot } from './early-spare.js';
import { createLambdaEnv, createLogStreamName, DEFAULT_REGION, stringEntries } from './lambda-context.js';
import { Pool, type PoolSettings } from './pool.js';
import { ProcessSlot } from './process/process-slot.js';
import type { ProcessHandler } from './process/process-handler.js';
import type { Slot } from './slot.js';
import { verifyHandlers } from './verify-handlers.js';
import { WorkerSlot } from './worker-slot.js';
import type { ModuleGraphEntry, RuntimeLogEntry, SlotOptions } from './worker-slot.js';

/** Lambda keeps an idle execution environment for minutes; so do we, by default (the config's `idleTimeout`). */
export const DEFAULT_IDLE_TIMEOUT_MS = 300_000;
/** Idle workers kept warm at once across functions (the config's `maxIdleWorkers`). */
export const DEFAULT_MAX_IDLE_WORKERS = 32;
/**
 * How long a worker started by `prepareReload` waits for its reload: a developer editing a
 * handler saves again within a minute, and then finds it booted (one thread per function edited).
 */
const PREPARED_TTL_MS = 60_000;

export interface RuntimeOptions {
  /** Called for every console.* line a handler prints, and for runtime diagnostics (level `error`). */
  onLog?: (entry: RuntimeLogEntry) => void;
  /**
   * Called once per worker after its handler module loaded, with every local file it loaded
   * (imports included, node_modules excluded): what a watcher must watch to reload correctly.
   * Tracking costs an inspector session (about 2.5 MB) per worker, so it is on only when this is given.
   */
  onModules?: (entry: ModuleGraphEntry) => void;
  /**
   * Max concurrent workers per function: one slow request must not block others, and more than
   * this many concurrent requests queue for a free worker.
   * @default 4
   */
  maxWorkersPerFunction?: number;
  /**
   * Stop a worker that has been idle this long (ms), as Lambda reclaims idle execution
   * environments: its thread and memory are freed, and the function's next invocation starts a
   * new one. 0: never. Can be changed later with `setIdleTimeout`.
   * @default 300_000
   */
  idleTimeoutMs?: number;
  /**
   * Idle workers (and runtime processes) kept warm at once, across all functions: past it, the
   * one idle longest is stopped. Busy ones never count. Can be changed with `setMaxIdleWorkers`.
   * @default 32
   */
  maxIdleWorkers?: number;
  /** Extra environment for every handler; Lambda's own variables are added automatically. */
  environment?: Record<string, string>;
  /**
   * Heap limit of each worker. A handler that allocates past it loses its worker (a `crash`
   * outcome), never the gateway.
   * @default 512
   */
  workerMemoryLimitMb?: number;
  /**
   * The folder handler paths are shown relative to (`LAMBDA_TASK_ROOT`, `_HANDLER`).
   * @default process.cwd()
   */
  taskRoot?: string;
}

/**
 * An in-process handler. Parameters are `any` so that handlers typed with `@types/aws-lambda`
 * (`APIGatewayProxyHandlerV2`, callback style included) are accepted as they are.
 */
export type InlineHandler = (event: any, context: any, callback: any) => unknown;

export interface InvokeRequest {
  /**
   * The function's name, e.g. `handlers-items-get`; becomes `context.functionName` and
   * `AWS_LAMBDA_FUNCTION_NAME`. Invocations with the same name, handler and environment share
   * one pool of workers: they are one function, whatever route they come from.
   */
  functionName: string;
  /**
   * A module export, run in a worker thread; or a function (inline handler, for tests using
   * inline configs), run in this thread with the same outcomes, timeout included. An inline
   * handler sees this process's environment and prints to its console directly.
   */
  handler: HandlerRef | InlineHandler;
  /** A plain JSON-serialisable event. */
  event?: unknown;
  /**
   * An API Gateway request (`encodeEventInput` of `@localgw/core`), used instead of `event` when
   * given: the handler's thread builds the payload-format event from it, so the caller's thread
   * does not (the cheapest way to hand a request to a worker).
   */
  wireEvent?: WireEvent;
  /**
   * The caller maps the result as an API Gateway integration response, with
   * `interpretResult(payload, body)` of @localgw/core: a structured result's large `body` may
   * then come back as bytes (`InvokeOutcome` `ok`'s `body`), turned into them in the handler's
   * thread. Off by default: the outcome's `payload` is then always the whole result.
   */
  bodyAsBytes?: boolean;
  /** `context.awsRequestId`. */
  requestId: string;
  /** The integration timeout; the clock starts when `invoke` is called. 0 or Infinity: none. */
  timeoutMs: number;
  /** The function's environment variables, on top of `RuntimeOptions.environment`. */
  environment?: Record<string, string>;
  /** The API Gateway route key of the request: tags the handler's log lines of this invocation (`RuntimeLogEntry.routeKey`). */
  routeKey?: string;
}

export interface FunctionStats {
  functionName: string;
  file: string;
  exportName: string;
  workers: number;
  busy: number;
  /** Workers booted ahead of a reload of its code (`prepareReload`), not serving yet: 0 or 1. */
  prepared: number;
}

export interface VerifyProblem {
  handler: HandlerRef;
  message: string;
}

export interface Runtime {
  /** Run one invocation. Never rejects: every failure is an `InvokeOutcome`. */
  invoke(request: InvokeRequest): Promise<InvokeOutcome>;
  /**
   * Hot reload: later invocations use fresh workers (fresh module cache, new code); invocations
   * in flight finish on the old workers, which are then terminated.
   */
  reload(): Promise<void>;
  /**
   * Load each handler in a throwaway worker and report the problems: missing file, syntax error
   * (with file:line:column), missing export or an export that is not a function. Module
   * top-level code runs, as it would on the first request. Each distinct file and export is
   * loaded once; its problem is reported for every entry of `handlers` that names it.
   */
  verify(handlers: HandlerRef[]): Promise<VerifyProblem[]>;
  /**
   * A reload of the handlers' code is coming (a file is being saved): start, now, a worker for
   * each function running, booted but with its module not loaded until `reload()` hands it to
   * the new code. A watcher calls this on the first change event and `reload()` once the burst
   * of writes is over, so the reload's cold start overlaps the wait; and again after the reload,
   * so that the next edit of the same code finds its worker booted. With `changed` (absolute
   * paths), only the functions whose module graph holds one of them (or whose graph is not
   * known yet). Workers not taken by a reload within PREPARED_TTL_MS are stopped.
   */
  prepareReload(changed?: readonly string[]): void;
  /**
   * Boot one worker now for no function yet: the first function that needs a new worker takes
   * it and only loads its module (a cold start without the thread's start). For `localgw start`,
   * where the spare boots while the gateway finishes starting. Stopped if unused for
   * PREPARED_TTL_MS; one at a time.
   */
  prepareSpare(): void;
  /** Change `RuntimeOptions.maxIdleWorkers` (a config reload); workers idle past the new limit stop now. */
  setMaxIdleWorkers(max: number): void;
  /** Change `RuntimeOptions.idleTimeoutMs` (a config reload); workers idle already count from when they went idle. */
  setIdleTimeout(ms: number): void;
  /**
   * Stop the workers of every function not in `targets` (the handlers the current config still
   * uses). For a config reload that keeps running workers: functions it dropped or whose
   * environment changed must not linger.
   */
  retain(targets: ReadonlyArray<Pick<InvokeRequest, 'functionName' | 'environment'> & { handler: HandlerRef }>): void;
  /** The functions with workers of the current code: name, module, workers alive and busy (the inspector's view). */
  stats(): FunctionStats[];
  /** Terminate every worker; idempotent. Afterwards the runtime holds no handle. */
  close(): Promise<void>;
}

/**
 * Run Lambda-style handlers in worker threads, isolated so that nothing a handler does (throw,
 * hang, exit, exhaust memory) takes the server down.
 *
 * @example
 * const runtime = createRuntime({ onLog: (e) => console.log(e.requestId, e.text) });
 * const ref = resolveHandlerRef(configDir, 'handlers/items.get');
 * if (ref.ok) await runtime.invoke({ functionName: 'GET_items', handler: ref.value, event, requestId, timeoutMs: 30_000 });
 * await runtime.close();
 */
export function createRuntime(options: RuntimeOptions = {}): Runtime {
  const maxWorkers = options.maxWorkersPerFunction ?? 4;
  if (!Number.isInteger(maxWorkers) || maxWorkers < 1) {
    throw new RangeError(`maxWorkersPerFunction must be a positive integer, got ${String(maxWorkers)}`);
  }
  const memoryLimitMb = options.workerMemoryLimitMb ?? DEFAULT_WORKER_MEMORY_LIMIT_MB;
  if (!Number.isFinite(memoryLimitMb) || memoryLimitMb < 16) {
    throw new RangeError(`workerMemoryLimitMb must be at least 16, got ${String(memoryLimitMb)}`);
  }
  const settings: PoolSettings = {
    maxWorkers,
    idleTimeoutMs: checkIdleTimeout(options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS),
    idleLimit: new IdleLimit<Slot>(options.maxIdleWorkers ?? DEFAULT_MAX_IDLE_WORKERS),
  };
  const onLog = options.onLog ?? (() => {});
  const onModules = options.onModules ?? (() => {});
  const trackModules = options.onModules !== undefined;
  const taskRoot = path.resolve(options.taskRoot ?? process.cwd());
  const sharedEnv = options.environment ?? {};

  let current = new Generation();
  const draining = new Set<Generation>();
  const drainingPools = new Set<Pool>();
  let closing: Promise<void> | undefined;

  // A handler file's module graph is reported once per version of the code (reload() starts a
  // new one): the listener keeps what it was told, and tracking costs a worker ~20 ms of its
  // start and ~2.5 MB. Later workers of a reported file skip it: a pool growing, or a route
  // added by a config edit that uses a handler already running.
  let codeVersion = 0;
  const reportedFiles = new Set<string>();

  /** What a worker of this function is started with (or a spare worker given). */
  const workerOptions = (functionName: string, ref: HandlerRef, environment: Record<string, string> | undefined, held: boolean): Pick<SlotOptions, 'config' | 'env' | 'onModules'> => {
    const logStreamName = createLogStreamName();
    const lambdaEnv = createLambdaEnv({ functionName, file: ref.file, exportName: ref.exportName, logStreamName, taskRoot, parentEnv: process.env });
    // A held worker serves the code of the reload it was started for.
    const version = held ? codeVersion + 1 : codeVersion;
    return {
      config: { file: ref.file, exportName: ref.exportName, functionName, logStreamName, trackModules: trackModules && (held || !reportedFiles.has(ref.file)), held },
      env: { ...stringEntries(process.env), ...lambdaEnv, ...sharedEnv, ...environment },
      onModules: (entry) => {
        graphs.set(entry.handler.file, new Set(entry.files));
        // A worker of the old code reporting after a reload says nothing about the new code.
        if (version === codeVersion) reportedFiles.add(entry.handler.file);
        onModules(entry);
      },
    };
  };

  const spawnSlot = (functionName: string, ref: HandlerRef, environment: Record<string, string> | undefined, held = false): Slot & Pick<WorkerSlot, 'load'> => {
    if (ref.process !== undefined) return spawnProcess(functionName, ref.process, environment);
    return new WorkerSlot({ ...workerOptions(functionName, ref, environment, held), memoryLimitMb, onLog });
  };

  // A worker booted for no function yet (`prepareSpare`): the first function that needs a new
  // worker takes it, so that its first request finds the thread, the runtime and the debugger
  // ready and only loads its module.
  let spare: WorkerSlot | undefined;
  const takeSpare = (functionName: string, ref: HandlerRef, environment: Record<string, string> | undefined): WorkerSlot | undefined => {
    const slot = spare;
    if (slot === undefined || !slot.alive || ref.process !== undefined) return undefined;
    spare = undefined;
    slot.assign(workerOptions(functionName, ref, environment, false));
    return slot;
  };

  // Workers started ahead of a reload (`prepareReload`), one per function running now, by pool
  // key: booted, their module not loaded yet. The reload's new pools take them (`reload`).
  let prepared = new Map<string, WorkerSlot>();
  /** The local files each handler file loaded, as last reported: which functions an edit concerns. */
  const graphs = new Map<string, ReadonlySet<string>>();
  let taking: Map<string, WorkerSlot> | undefined;
  const starters = new Map<string, { functionName: string; handler: HandlerRef; environment: Record<string, string> | undefined }>();
  const takePrepared = (key: string): WorkerSlot | undefined => {
    const slot = taking?.get(key);
    if (slot === undefined) return undefined;
    taking!.delete(key);
    slot.release();
    return slot;
  };

  /** A function of another runtime: a child process speaking the Runtime API (process/). */
  const spawnProcess = (functionName: string, fn: ProcessHandler, environment: Record<string, string> | undefined) => {
    const lambdaEnv = createLambdaEnv({
      functionName,
      file: fn.bootstrap ?? fn.taskRoot,
      exportName: fn.handler,
      logStreamName: createLogStreamName(),
      taskRoot: fn.taskRoot,
      parentEnv: process.env,
      handler: fn.handler,
      // Lambda's managed runtimes name themselves; custom runtimes have no AWS_EXECUTION_ENV.
      executionEnv: fn.family === 'python' ? `AWS_Lambda_${fn.runtime}` : null,
    });
    // A process, unlike a worker thread, can have Lambda's time zone; the function's own TZ wins.
    const env = { ...stringEntries(process.env), ...lambdaEnv, TZ: ':UTC', ...sharedEnv, ...environment };
    return new ProcessSlot({ functionName, handler: fn, env, onLog });
  };

  // Not async: on the request path, one promise (the pool's) instead of two.
  function invoke(request: InvokeRequest): Promise<InvokeOutcome> {
    try {
      if (closing) return Promise.resolve({ kind: 'crash', reason: 'the runtime is closed' });
      const { functionName, handler, event, wireEvent, requestId, timeoutMs, environment, routeKey, bodyAsBytes = false } = request;
      const deadline = deadlineFor(Date.now(), timeoutMs);
      if (typeof handler === 'function') {
        const region = process.env.AWS_REGION ?? DEFAULT_REGION;
        const fields = { functionName, requestId, deadline, logStreamName: inlineLogStream(), region };
        // Cloned, as on its way to a worker: the event must share nothing with the gateway's objects.
        return invokeInline(handler as Handler, wireEvent === undefined ? event : buildWireEvent(structuredClone(wireEvent)), fields, timeoutMs);
      }
      const key = poolKey(functionName, handler, environment);
      const pool = current.pool(key, () => {
        starters.set(key, { functionName, handler, environment });
        return new Pool(() => takePrepared(key) ?? takeSpare(functionName, handler, environment) ?? spawnSlot(functionName, handler, environment), settings);
      });
      return pool.run({ event, wireEvent, requestId, deadline, timeoutMs, routeKey, bodyAsBytes });
    } catch (error) {
      // A bug of ours, not the handler's: still an outcome, never a rejection.
      return Promise.resolve({ kind: 'crash', reason: `localgw runtime error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` });
    }
  }

  return {
    invoke,
    prepareSpare() {
      if (closing || spare !== undefined) return;
      // Booted at the CLI's start (early-spare.ts) if it fits, else now.
      const slot = adoptEarlySpare({ trackModules, memoryLimitMb, onLog }) ?? startSpareSlot({ trackModules, memoryLimitMb, env: { ...stringEntries(process.env), ...sharedEnv }, onLog });
      if (slot === undefined) return; // the first request starts a worker the usual way, and reports what went wrong
      spare = slot;
      slot.onExit = () => {
        if (spare === slot) spare = undefined;
      };
      // Unused (no request came): not kept forever.
      setTimeout(() => {
        if (spare !== slot) return;
        spare = undefined;
        void slot.terminate();
      }, PREPARED_TTL_MS).unref();
    },
    prepareReload(changed) {
      if (closing) return;
      for (const key of current.runningKeys()) {
        const starter = starters.get(key);
        if (prepared.has(key) || starter === undefined || starter.handler.process !== undefined) continue;
        const graph = graphs.get(starter.handler.file);
        if (changed !== undefined && graph !== undefined && !changed.some((file) => file === starter.handler.file || graph.has(file))) continue;
        let slot: WorkerSlot;
        try {
          slot = spawnSlot(starter.functionName, starter.handler, starter.environment, true) as WorkerSlot;
        } catch {
          continue; // the reload starts one the usual way, and reports what went wrong
        }
        prepared.set(key, slot);
        slot.onExit = () => {
          if (prepared.get(key) === slot) prepared.delete(key);
        };
        // Unused (no reload came, or the function is gone): not kept forever.
        setTimeout(() => {
          if (prepared.get(key) !== slot) return;
          prepared.delete(key);
          void slot.terminate();
        }, PREPARED_TTL_MS).unref();
      }
    },
    async reload() {
      if (closing) return;
      codeVersion++;
      reportedFiles.clear();
      const old = current;
      current = new Generation();
      taking = prepared;
      prepared = new Map();
      current.warmLike(old);
      for (const unused of taking.values()) void unused.terminate();
      taking = undefined;
      draining.add(old);
      void old.drain().then(() => draining.delete(old));
    },
    retain(targets) {
      for (const pool of current.releaseExcept(new Set(targets.map((t) => poolKey(t.functionName, t.handler, t.environment))))) {
        // Still this runtime's until drained: close() must stop its workers too.
        drainingPools.add(pool);
        void pool.drain().then(() => drainingPools.delete(pool));
      }
    },
    verify(handlers) {
      return verifyHandlers(handlers, (ref) => spawnSlot(verifyFunctionName(ref), ref, undefined));
    },
    setMaxIdleWorkers(max) {
      settings.idleLimit.max = max;
    },
    setIdleTimeout(ms) {
      settings.idleTimeoutMs = checkIdleTimeout(ms);
      current.retime();
    },
    stats() {
      return current.stats().map(({ key, workers, busy }) => {
        const [functionName = '', file = '', exportName = ''] = key.split('\n');
        return { functionName, file, exportName, workers, busy, prepared: prepared.has(key) ? 1 : 0 };
      });
    },
    close() {
      const stopping = [...prepared.values(), ...(spare === undefined ? [] : [spare])].map((slot) => slot.terminate());
      prepared.clear();
      spare = undefined;
      closing ??= Promise.all([...stopping, ...[current, ...draining].map((generation) => generation.close()), ...[...drainingPools].map((pool) => pool.close())]).then(() => {
        draining.clear();
        drainingPools.clear();
      });
      return closing;
    },
  };
}

function checkIdleTimeout(ms: number): number {
  if (!(ms >= 0)) throw new RangeError(`idleTimeoutMs must be 0 (never) or more, got ${String(ms)}`);
  return ms;
}

interface KnownKey {
  functionName: string;
  file: string;
  exportName: string;
  environment: Record<string, string> | undefined;
  key: string;
}

/**
 * The last key made for each handler ref. A route passes the same ref, name and environment
 * on every request; joining and then hashing a new string of them each time was a measurable
 * share of the gateway thread's work (issue 7).
 */
const knownKeys = new WeakMap<HandlerRef, KnownKey>();

function poolKey(functionName: string, handler: HandlerRef, environment: Record<string, string> | undefined): string {
  const known = knownKeys.get(handler);
  const { file, exportName } = handler;
  if (known?.functionName === functionName && known.file === file && known.exportName === exportName && known.environment === environment) {
    return known.key;
  }
  // A process handler's runtime and folder are part of what it is (one file, two runtimes: two functions).
  const runtime = handler.process === undefined ? '' : `${handler.process.runtime}\n${handler.process.taskRoot}`;
  const key = `${functionName}\n${file}\n${exportName}\n${environmentKey(environment)}\n${runtime}`;
  knownKeys.set(handler, { functionName, file, exportName, environment, key });
  return key;
}

const environmentKeys = new WeakMap<Record<string, string>, string>();

/** Pools are per environment too; the key is computed once per environment object. */
function environmentKey(environment: Record<string, string> | undefined): string {
  if (!environment) return '';
  let key = environmentKeys.get(environment);
  if (key === undefined) {
    key = JSON.stringify(Object.entries(environment).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    environmentKeys.set(environment, key);
  }
  return key;
}

let inlineStream: string | undefined;
function inlineLogStream(): string {
  inlineStream ??= createLogStreamName();
  return inlineStream;
}

function verifyFunctionName(ref: HandlerRef): string {
  const base = path.basename(ref.file, path.extname(ref.file));
  return `verify_${base}_${ref.exportName}`.replace(/[^A-Za-z0-9_-]/g, '_');
}
