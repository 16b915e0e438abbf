// One worker thread: a Lambda execution environment for one function. It runs one invocation at
// a time and turns every way a worker can die into an outcome instead of an exception.
import { Worker } from 'node:worker_threads';
import { inspect } from 'node:util';
import type { FromWorker, LogLevel, ToWorker, WorkerConfig } from './protocol.js';
import type { InvokeOutcome } from './invoke.js';
import { locateWorkerEntry } from './worker-entry.js';

export interface RuntimeLogEntry {
  level: LogLevel;
  text: string;
  functionName: string;
  requestId?: string;
}

/** The local files a handler loaded: its module graph, for reload-on-change. */
export interface ModuleGraphEntry {
  functionName: string;
  handler: { file: string; exportName: string };
  files: string[];
}

export interface SlotOptions {
  config: Omit<WorkerConfig, 'bootstrapped'>;
  env: Record<string, string>;
  memoryLimitMb: number;
  onLog: (entry: RuntimeLogEntry) => void;
  onModules: (entry: ModuleGraphEntry) => void;
}

interface Pending {
  id: number;
  requestId: string | undefined;
  resolve: (outcome: InvokeOutcome) => void;
}

export class WorkerSlot {
  readonly #worker: Worker;
  readonly #options: SlotOptions;
  #pending: Pending | undefined;
  #nextId = 1;
  #lastError: unknown;
  #stopReason: string | undefined;
  #alive = true;
  readonly #exited: Promise<void>;
  /** Called once when the worker is gone, whatever the cause. */
  onExit: ((slot: WorkerSlot) => void) | undefined;

  /** Throws when Node cannot start a worker at all (the caller reports it as a crash). */
  constructor(options: SlotOptions) {
    this.#options = options;
    const entry = locateWorkerEntry();
    const workerData: WorkerConfig = { ...options.config, bootstrapped: entry.kind === 'source' };
    this.#worker = new Worker(entry.kind === 'compiled' ? entry.url : entry.code, {
      eval: entry.kind === 'source',
      workerData,
      // Each worker gets its own copy of process.env: route environments never leak.
      env: options.env,
      // Worker stdout/stderr (direct process.stdout writes) go straight to ours; console.* is forwarded.
      stdout: false,
      stderr: false,
      // A runaway allocation kills this worker (ERR_WORKER_OUT_OF_MEMORY), not the gateway.
      resourceLimits: { maxOldGenerationSizeMb: options.memoryLimitMb },
    });
    this.#worker.on('message', (message: FromWorker) => this.#onMessage(message));
    this.#worker.on('error', (error) => {
      this.#lastError = error;
    });
    this.#exited = new Promise((resolve) => {
      this.#worker.once('exit', (code) => {
        this.#onExit(code);
        resolve();
      });
    });
  }

  get alive(): boolean {
    return this.#alive && this.#stopReason === undefined;
  }

  get functionName(): string {
    return this.#options.config.functionName;
  }

  invoke(event: unknown, requestId: string, deadline: number): Promise<InvokeOutcome> {
    return this.#send((id) => ({ type: 'invoke', id, event, requestId, deadline }), requestId);
  }

  /** Load the module without invoking it; used by `Runtime.verify`. */
  load(): Promise<InvokeOutcome> {
    return this.#send((id) => ({ type: 'load', id }), undefined);
  }

  /** Stop the worker; an invocation still running on it ends as a crash with `reason`. */
  terminate(reason = 'the worker was stopped'): Promise<void> {
    if (this.#alive && this.#stopReason === undefined) {
      this.#stopReason = reason;
      this.#worker.terminate().catch(() => {});
    }
    return this.#exited;
  }

  #send(build: (id: number) => ToWorker, requestId: string | undefined): Promise<InvokeOutcome> {
    if (!this.alive) return Promise.resolve({ kind: 'crash', reason: this.#stopReason ?? 'the worker has exited' });
    if (this.#pending) throw new Error('WorkerSlot runs one invocation at a time');
    const id = this.#nextId++;
    return new Promise<InvokeOutcome>((resolve) => {
      this.#pending = { id, requestId, resolve };
      this.#worker.ref();
      try {
        this.#worker.postMessage(build(id));
      } catch (error) {
        this.#pending = undefined;
        this.#worker.unref();
        resolve({ kind: 'crash', reason: `could not send the event to the worker: ${describe(error)}` });
      }
    });
  }

  #onMessage(message: FromWorker): void {
    // Handler code can reach parentPort too: anything not shaped like our protocol is ignored,
    // never allowed to throw in the gateway's thread.
    if (!isProtocolMessage(message)) return;
    if (message.type === 'log') {
      const { level, text, requestId } = message;
      const functionName = this.functionName;
      this.#options.onLog(requestId === undefined ? { level, text, functionName } : { level, text, functionName, requestId });
      return;
    }
    if (message.type === 'modules') {
      const { file, exportName } = this.#options.config;
      this.#options.onModules({ functionName: this.functionName, handler: { file, exportName }, files: message.files });
      return;
    }
    const pending = this.#pending;
    if (!pending || pending.id !== message.id) return;
    this.#pending = undefined;
    // An idle worker must not keep the process alive; the pool keeps it warm anyway.
    this.#worker.unref();
    pending.resolve(message.outcome);
  }

  #onExit(code: number): void {
    this.#alive = false;
    const pending = this.#pending;
    this.#pending = undefined;
    if (this.#stopReason !== undefined) {
      pending?.resolve({ kind: 'crash', reason: this.#stopReason });
    } else {
      const reason = describeCrash(this.#lastError, code, this.#options.memoryLimitMb);
      const stack = errorStack(this.#lastError);
      const when = pending ? '' : ' between invocations';
      this.#log(`worker for ${this.functionName} died${when}: ${reason}${stack ? `\n${stack}` : ''}`, pending?.requestId);
      pending?.resolve({ kind: 'crash', reason });
    }
    this.onExit?.(this);
  }

  #log(text: string, requestId: string | undefined): void {
    const functionName = this.functionName;
    this.#options.onLog(requestId === undefined ? { level: 'error', text, functionName } : { level: 'error', text, functionName, requestId });
  }
}

function describeCrash(error: unknown, code: number, memoryLimitMb: number): string {
  if (error === undefined) {
    // Lambda reports this as Runtime.ExitError; in a worker, process.exit() ends only the thread.
    return `Runtime.ExitError: the worker exited with code ${code} (did the handler call process.exit()?)`;
  }
  if ((error as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return `out of memory: the handler went over the worker's ${memoryLimitMb} MB heap limit`;
  }
  return `uncaught exception outside the handler's promise or callback: ${describe(error)}`;
}

const LOG_LEVELS = new Set(['log', 'info', 'warn', 'error', 'debug']);
const OUTCOME_KINDS = new Set(['ok', 'error', 'load-error']);

function isProtocolMessage(message: unknown): message is FromWorker {
  if (message === null || typeof message !== 'object') return false;
  const m = message as Record<string, unknown>;
  switch (m.type) {
    case 'log':
      return LOG_LEVELS.has(m.level as string) && typeof m.text === 'string' && (m.requestId === undefined || typeof m.requestId === 'string');
    case 'modules':
      return Array.isArray(m.files) && m.files.every((f) => typeof f === 'string');
    case 'result': {
      const outcome = m.outcome as Record<string, unknown> | null;
      if (typeof m.id !== 'number' || outcome === null || typeof outcome !== 'object' || !OUTCOME_KINDS.has(outcome.kind as string)) return false;
      if (outcome.kind === 'ok') return typeof outcome.payload === 'string';
      if (outcome.kind === 'error') return typeof outcome.errorType === 'string' && typeof outcome.errorMessage === 'string';
      return typeof outcome.message === 'string';
    }
    default:
      return false;
  }
}

function describe(error: unknown): string {
  const e = error as { name?: unknown; message?: unknown } | null;
  if (typeof e?.name === 'string' && typeof e.message === 'string') return `${e.name}: ${e.message}`;
  return inspect(error, { depth: 1, breakLength: Infinity });
}

function errorStack(error: unknown): string | undefined {
  const stack = (error as { stack?: unknown } | null)?.stack;
  return typeof stack === 'string' ? stack : undefined;
}
