// One worker thread: a Lambda execution environment for one function. The worker runs one
// invocation at a time; more can be queued on it (the pool decides when that is worth it). Every
// way a worker can die becomes an outcome, or a requeue for what had not started, never an
// exception.
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { inspect } from 'node:util';
import type { WireContext, WireEvent } from '@localgw/core/event-wire';
import { BATCH_HEADER_FIELDS, FINISHED, INVOCATION_FIELDS, POSTED, PROGRESS_BYTES, RESULTS_READ, RESULTS_WRITTEN, STARTED, WITHDRAWN_FENCE } from './protocol.js';
import { RESULT_RING_BYTES, ResultRingReader } from './result-ring.js';
import type { BatchHeader, FromWorker, InvokeBatch, LogLevel, OkResultMessage, Result, ResultMessage, ToWorker, WorkerConfig } from './protocol.js';
import type { InvokeOutcome } from './invoke.js';
import { forgetChild, killChild, trackChild } from './child-processes.js';
import { locateWorkerEntry } from './worker-entry.js';
import { holdSharedBody, releaseSharedBody, SHARED_BODY_BYTES, sharedCopy } from './shared-bodies.js';
import type { Slot } from './slot.js';

export interface RuntimeLogEntry {
  level: LogLevel;
  text: string;
  functionName: string;
  requestId?: string;
  /** `InvokeRequest.routeKey` of the invocation that printed it (none for init output). */
  routeKey?: string;
}

/** The local files a handler loaded: its module graph, for reload-on-change. */
export interface ModuleGraphEntry {
  functionName: string;
  handler: { file: string; exportName: string };
  files: string[];
}

export interface SlotOptions {
  config: Omit<WorkerConfig, 'bootstrapped' | 'progress' | 'replies' | 'results'>;
  env: Record<string, string>;
  memoryLimitMb: number;
  onLog: (entry: RuntimeLogEntry) => void;
  onModules: (entry: ModuleGraphEntry) => void;
}

/**
 * One invocation as the slot sees it. The pool implements it: it owns the timeout and decides
 * where an invocation runs next when a worker hands it back.
 */
export interface SlotInvocation {
  /** A plain event, used when there is no `wireEvent`. */
  readonly event: unknown;
  /** A request, from which the worker builds the event. */
  readonly wireEvent: WireEvent | undefined;
  readonly requestId: string;
  readonly deadline: number;
  readonly timeoutMs: number;
  /** Tags its log lines. */
  readonly routeKey: string | undefined;
  /** `InvokeRequest.bodyAsBytes`. */
  readonly bodyAsBytes: boolean;
  /** Answered already (its timeout fired): a late result is dropped. */
  readonly settled: boolean;
  /** The worker ran it to this outcome, or died while running it. */
  finish(outcome: InvokeOutcome): void;
  /** It never started on this worker (withdrawn, or the worker died first): run it elsewhere. */
  requeue(): void;
}

/** `Atomics.waitAsync` (Node 16+; its types come with lib ES2024, which would admit APIs Node 20 lacks). */
const waitAsync = (Atomics as unknown as {
  waitAsync(array: Int32Array, index: number, value: number): { async: false; value: string } | { async: true; value: Promise<string> };
}).waitAsync;

/**
 * Route contexts a worker keeps, at most; past this, the slot starts over (a client varying its
 * Host header makes a context per host).
 */
const MAX_CONTEXTS = 256;

/** Messages read from a worker per turn of the event loop, at most. */
const MAX_READS_PER_TURN = 256;

/**
 * The slots given invocations this turn of the event loop; each posts them together (see
 * protocol.ts). An array reused turn after turn: a Set emptied every turn made a new table each
 * time.
 */
const unsent: Array<WorkerSlot | undefined> = [];
let unsentCount = 0;

function flushAll(): void {
  // A slot listed while this runs (a failed post re-dispatches) is appended and flushed here too.
  for (let i = 0; i < unsentCount; i++) {
    const slot = unsent[i]!;
    unsent[i] = undefined;
    slot.flushScheduled = false;
    slot.flush();
  }
  unsentCount = 0;
}

export class WorkerSlot implements Slot {
  readonly #worker: Worker;
  #options: SlotOptions;
  /** Sent and not answered, in the order the worker runs them. */
  readonly #inFlight = new InFlight();
  /** The ids the worker last started and finished (see WorkerConfig.progress). */
  readonly #progress = new Int32Array(new SharedArrayBuffer(PROGRESS_BYTES));
  readonly #replies: MessagePort;
  readonly #results: ResultRingReader;
  #outbox: InvokeBatch = newBatch();
  /** The number each route context was given in a batch header (the worker keeps them). */
  readonly #contexts = new Map<WireContext, number>();
  /** The worker's last started id when we fenced it (see withdrawWaiting). */
  #fencedAt = 0;
  /** progress[FINISHED] at the last stall check. */
  #finishedSeen = 0;
  readonly #loads = new Map<number, (outcome: InvokeOutcome) => void>();
  /** The shared bodies (shared-bodies.ts) of invocations posted and not answered, by id. */
  readonly #lentBodies = new Map<number, Uint8Array>();
  #nextId = 1;
  /** Invocations answered over the worker's life. */
  #answered = 0;
  #lastError: unknown;
  /** The child processes the handler started that are still running (see child-processes.ts). */
  #children: Set<number> | undefined;
  #stopReason: string | undefined;
  #alive = true;
  readonly #exited: Promise<void>;
  /** Called once when the worker is gone, whatever the cause, after its invocations were dealt with. */
  onExit: ((slot: Slot) => void) | undefined;
  /** Called after results arrived (the slot may now have room, or be idle). */
  onProgress: ((slot: Slot) => void) | undefined;
  /**
   * When the worker started, the last invocation was sent to it idle, or the last result arrived
   * (performance.now()); for an idle worker, when it went idle.
   */
  progressAt = performance.now();
  /** @internal Listed for this turn's `flushAll`. */
  flushScheduled = false;
  /** Smoothed milliseconds an invocation runs in the worker; undefined until the first result. */
  serviceMs: number | undefined;

  /** Throws when Node cannot start a worker at all (the caller reports it as a crash). */
  constructor(options: SlotOptions) {
    this.#options = options;
    const entry = locateWorkerEntry();
    const { port1, port2 } = new MessageChannel();
    this.#replies = port1;
    const results = new SharedArrayBuffer(RESULT_RING_BYTES);
    this.#results = new ResultRingReader(results, { array: this.#progress, write: RESULTS_WRITTEN, read: RESULTS_READ });
    const workerData: WorkerConfig = {
      ...options.config,
      bootstrapped: entry.kind === 'source',
      progress: this.#progress.buffer as SharedArrayBuffer,
      replies: port2,
      results,
    };
    this.#worker = new Worker(entry.kind === 'compiled' ? entry.url : entry.code, {
      eval: entry.kind === 'source',
      workerData,
      transferList: [port2],
      // Each worker gets its own copy of process.env: route environments never leak.
      env: options.env,
      // Worker stdout/stderr (direct process.stdout writes) go straight to ours; console.* is forwarded.
      stdout: false,
      stderr: false,
      // A runaway allocation kills this worker (ERR_WORKER_OUT_OF_MEMORY), not the gateway.
      resourceLimits: { maxOldGenerationSizeMb: options.memoryLimitMb },
    });
    // Our protocol comes through `replies`; handler code posting to parentPort is drained and
    // ignored. (Before unref(): adding a 'message' listener refs the worker's port again.)
    this.#worker.on('message', () => {});
    // An idle worker must not keep the process alive; the pool keeps it warm anyway.
    this.#worker.unref();
    this.#awaitReplies(0);
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

  /** Invocations sent and not answered. */
  get pending(): number {
    return this.#inFlight.size;
  }

  /** Queue `invocation` on this worker, behind those already sent; it is posted at the end of this turn. */
  start(invocation: SlotInvocation): void {
    if (!this.alive) {
      invocation.requeue();
      return;
    }
    const id = this.#nextId++;
    if (this.#inFlight.size === 0) {
      this.progressAt = performance.now();
      this.#worker.ref();
    }
    this.#inFlight.add(id, invocation);
    const { wireEvent, requestId, deadline, bodyAsBytes } = invocation;
    if (wireEvent === undefined) this.#outbox.push(id, deadline, requestId, undefined, { event: invocation.event }, undefined, undefined, undefined, bodyAsBytes);
    else {
      const { context, fields, headers, authorizer, body } = wireEvent;
      // First: it may post the outbox and start a new one.
      const contextNumber = this.#contextNumber(context);
      this.#outbox.push(id, deadline, requestId, contextNumber, fields, headers, authorizer, body && this.#bodyFor(id, body), bodyAsBytes);
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      if (unsentCount === 0) setImmediate(flushAll);
      unsent[unsentCount++] = this;
    }
  }

  /**
   * What to post of a request body: a large one as a shared body (shared-bodies.ts), held until
   * the worker has answered. The server's own is shared already; another is copied into one.
   */
  #bodyFor(id: number, body: Uint8Array): Uint8Array {
    if (body.byteLength < SHARED_BODY_BYTES) return ownBytes(body);
    const shared = holdSharedBody(body) ? body : sharedCopy(body);
    this.#lentBodies.set(id, shared);
    return shared;
  }

  /** The worker has answered `id`, or its thread is gone: it lets go of the shared body. */
  #bodyDone(id: number): void {
    const shared = this.#lentBodies.get(id);
    if (shared === undefined) return;
    this.#lentBodies.delete(id);
    releaseSharedBody(shared);
  }

  /** The number `context` has for the worker; new ones go in the header of the next batch. */
  #contextNumber(context: WireContext): number {
    let number = this.#contexts.get(context);
    if (number !== undefined) return number;
    if (this.#contexts.size === MAX_CONTEXTS) {
      // What is queued refers to the old numbers: it goes first, then both sides start over.
      this.flush();
      this.#contexts.clear();
      this.#outbox[0] = true;
    }
    number = this.#contexts.size;
    this.#contexts.set(context, number);
    ((this.#outbox[1] as BatchHeader[1]) ??= []).push(number, context);
    return number;
  }

  /** Post what `start` collected. */
  flush(): void {
    if (this.#outbox.length === BATCH_HEADER_FIELDS || !this.alive) return;
    const batch = this.#outbox;
    this.#outbox = newBatch();
    try {
      this.#worker.postMessage(batch satisfies ToWorker);
    } catch (error) {
      // The contexts in this header never arrived: the next batch starts over.
      this.#contexts.clear();
      this.#outbox[0] = true;
      // An event that cannot be cloned (the caller's bug): fail those invocations, not the worker.
      for (const id of batchIds(batch)) {
        this.#lentBodies.delete(id);
        const invocation = this.#inFlight.take(id);
        invocation?.finish({ kind: 'crash', reason: `could not send the event to the worker: ${describe(error)}` });
      }
      this.#idleCheck();
      this.onProgress?.(this);
    }
  }

  /**
   * Take back every invocation the worker has not started and run them elsewhere (through
   * `requeue()`), without waiting for the worker: one compare-and-swap fences off everything
   * after the one it runs, even while a handler blocks its thread. Used when that one turns out
   * slow; a worker running none (slow to pick up its next, its thread busy between invocations)
   * keeps its queue, which it is about to start and another worker would not reach sooner.
   */
  withdrawWaiting(): void {
    const current = Atomics.load(this.#progress, STARTED);
    // The previous fence is not picked up yet: nothing new was started since.
    if (current & WITHDRAWN_FENCE) return;
    if (Atomics.load(this.#progress, FINISHED) === current) return;
    const upTo = this.#inFlight.newestId;
    if (upTo === undefined || upTo <= current) return;
    // Fails only if the worker has just started another: try again on the next look.
    if (Atomics.compareExchange(this.#progress, STARTED, current, WITHDRAWN_FENCE | upTo) !== current) return;
    this.#fencedAt = current;
    this.#outbox = withoutIdsUpTo(this.#outbox, upTo);
    // The worker may still hold what was posted of them (it skips them unread): never reused.
    for (const id of this.#lentBodies.keys()) if (id > current) this.#lentBodies.delete(id);
    for (const invocation of this.#inFlight.takeAfter(current)) invocation.requeue();
  }

  /**
   * An invocation's timeout fired. If it is running, only terminating the thread stops it (it may
   * be stuck in a loop). If it waits behind one that runs, the others waiting are taken back (the
   * stall rule normally has already). If it waits on a worker that runs nothing, that worker's
   * thread is held between invocations: it is replaced, as Lambda resets an environment after a
   * timeout, and what had not started runs elsewhere. A new worker is left to finish starting (it
   * skips what expired; INIT_LIMIT_MS bounds it). If it finished, its result is on its way and
   * is dropped.
   */
  expire(invocation: SlotInvocation): void {
    for (const [id, candidate] of this.#inFlight.entries()) {
      if (candidate !== invocation) continue;
      if (this.#isRunning(id)) void this.terminate(`timed out after ${invocation.timeoutMs} ms`);
      else if (this.#runsOne()) this.withdrawWaiting();
      else if (this.#warm()) {
        this.#reset(
          `an invocation waiting on it timed out after ${invocation.timeoutMs} ms before it could start: its thread is held between invocations (by work a handler left running after it answered?)`,
          invocation,
        );
      }
      return;
    }
  }

  /**
   * Replace this worker if it has invocations waiting, runs none, and made no progress for
   * `warmMs` (`coldMs` before it ever started one): its thread is held between invocations.
   */
  resetIfBlocked(now: number, warmMs: number, coldMs: number): void {
    if (this.#inFlight.size === 0 || !this.alive || this.#runsOne()) return;
    const warm = this.#warm();
    if (!this.stalled(now, warm ? warmMs : coldMs)) return;
    this.#reset(
      warm
        ? `it started none of its ${this.#inFlight.size} waiting invocation(s) for ${warmMs} ms: its thread is held between invocations (by work a handler left running after it answered?)`
        : `it did not start its first invocation within ${coldMs / 1000} s (Lambda's init limit): its module's top-level code holds its thread`,
      undefined,
    );
  }

  /** Stop a worker that holds up what waits on it; that goes elsewhere (see #onExit). */
  #reset(why: string, about: SlotInvocation | undefined): void {
    this.#log('warn', `worker for ${this.functionName} replaced: ${why}`, about?.requestId, about?.routeKey);
    void this.terminate(`the worker was replaced: ${why}`);
  }

  /** Whether an invocation is running (started and not finished). */
  #runsOne(): boolean {
    return this.#startedId() !== Atomics.load(this.#progress, FINISHED);
  }

  /** Whether the worker ever started an invocation, or answered one (new workers take time to start). */
  #warm(): boolean {
    return this.#answered > 0 || this.#startedId() !== 0;
  }

  /**
   * No invocation finished for `ms`. Judged by the worker's own counter, not by the results
   * read here: a busy gateway thread reading late must not make a working worker look stuck.
   */
  stalled(now: number, ms: number): boolean {
    const finished = Atomics.load(this.#progress, FINISHED);
    if (finished !== this.#finishedSeen) {
      this.#finishedSeen = finished;
      this.progressAt = now;
    }
    return now - this.progressAt >= ms;
  }

  /** The id the worker last started (a pending fence stands in for it). */
  #startedId(): number {
    const value = Atomics.load(this.#progress, STARTED);
    return value & WITHDRAWN_FENCE ? this.#fencedAt : value;
  }

  #isRunning(id: number): boolean {
    return this.#startedId() === id && Atomics.load(this.#progress, FINISHED) !== id;
  }

  /** A worker started with `config.held`: load the module now. Once; later calls do nothing. */
  release(): void {
    if (this.#released || !this.alive) return;
    this.#released = true;
    this.#worker.postMessage({ type: 'start' } satisfies ToWorker);
  }

  /**
   * A spare worker (`config.spare`) becomes `options`' worker and loads its module now: the
   * function's names, environment and graph reporting replace the placeholders it booted with.
   */
  assign(options: Pick<SlotOptions, 'config' | 'env' | 'onModules'>): void {
    if (this.#released || !this.alive || this.#options.config.spare !== true) throw new Error('localgw: only an unused spare worker can be assigned');
    this.#released = true;
    const { file, exportName, functionName, logStreamName, trackModules = false } = options.config;
    this.#options = { ...this.#options, ...options, config: { ...options.config, held: true, spare: true } };
    this.#worker.postMessage({ type: 'start', assign: { file, exportName, functionName, logStreamName, env: options.env, trackModules } } satisfies ToWorker);
  }

  #released = false;

  /** Load the module without invoking it; used by `Runtime.verify`. */
  load(): Promise<InvokeOutcome> {
    if (!this.alive) return Promise.resolve({ kind: 'crash', reason: this.#stopReason ?? 'the worker has exited' });
    const id = this.#nextId++;
    return new Promise<InvokeOutcome>((resolve) => {
      this.#loads.set(id, resolve);
      this.#worker.postMessage({ type: 'load', id } satisfies ToWorker);
    });
  }

  /** Stop the worker; invocations still on it end as crashes with `reason` or go back to the pool. */
  terminate(reason = 'the worker was stopped'): Promise<void> {
    if (this.#alive && this.#stopReason === undefined) {
      this.#stopReason = reason;
      // Its children go with it, now: a worker waiting on one (a pipe, a callback) would
      // otherwise keep it, and them, alive.
      this.#killChildren();
      this.#worker.terminate().catch(() => {});
    }
    return this.#exited;
  }

  #killChildren(): void {
    if (this.#children === undefined) return;
    for (const pid of this.#children) killChild(pid);
    this.#children.clear();
  }

  /**
   * Wait, without blocking, for the worker to post; then read everything it posted. One wake-up
   * serves any number of messages, and reading them costs no event dispatch each.
   */
  #awaitReplies(seen: number): void {
    const wait = waitAsync(this.#progress, POSTED, seen);
    if (wait.async) void wait.value.then(() => this.#readReplies());
    // Already moved: read again on the next turn, after I/O and timers (a timeout must fire
    // even while a handler floods its console).
    else setImmediate(() => this.#readReplies());
  }

  #readReplies(): void {
    // Read the counter first: every message it counts is already in the port, so none is missed.
    const seen = Atomics.load(this.#progress, POSTED);
    let read = 0;
    for (let received = receiveMessageOnPort(this.#replies); received !== undefined; received = receiveMessageOnPort(this.#replies)) {
      try {
        this.#onMessage(received.message);
      } catch (error) {
        // A throwing onLog/onModules listener must not stop this slot from reading.
        this.#log('error', `localgw runtime error while handling a worker message: ${describe(error)}`, undefined, undefined);
      }
      // A bounded share per turn; the rest is read after the event loop had its go.
      if (++read === MAX_READS_PER_TURN) {
        if (this.#alive) setImmediate(() => this.#readReplies());
        return;
      }
    }
    // After the port: a handler's log lines, and the module graph, come before its result.
    if (this.#results.read(this.#onRingResult, MAX_READS_PER_TURN - read) === MAX_READS_PER_TURN - read) {
      if (this.#alive) setImmediate(() => this.#readReplies());
      return;
    }
    if (this.#alive) this.#awaitReplies(seen);
  }

  readonly #onRingResult = (id: number, ms: number, payload: string): void => {
    try {
      this.#onResult(id, { kind: 'ok', payload }, ms);
    } catch (error) {
      this.#log('error', `localgw runtime error while handling a worker result: ${describe(error)}`, undefined, undefined);
    }
  };

  #onMessage(message: unknown): void {
    // Handler code can reach parentPort too: anything not shaped like our protocol is ignored,
    // never allowed to throw in the gateway's thread.
    if (!isProtocolMessage(message)) return;
    if (Array.isArray(message)) {
      const body = message[3];
      this.#onResult(message[0], body === undefined ? { kind: 'ok', payload: message[2] } : { kind: 'ok', payload: message[2], body }, message[1]);
      return;
    }
    switch (message.type) {
      case 'log': {
        const { level, text, requestId } = message;
        // Read before the result (see #readReplies): the invocation is still in flight here.
        this.#log(level, text, requestId, requestId === undefined ? undefined : this.#inFlight.findRequest(requestId)?.routeKey);
        return;
      }
      case 'modules': {
        const { file, exportName } = this.#options.config;
        this.#options.onModules({ functionName: this.functionName, handler: { file, exportName }, files: message.files });
        return;
      }
      case 'result':
        this.#onResult(message.id, message.outcome, message.ms);
        return;
      case 'child':
        if (message.alive) {
          (this.#children ??= new Set()).add(message.pid);
          trackChild(message.pid);
          // Reported after we were told to stop it: it would outlive the worker.
          if (this.#stopReason !== undefined) this.#killChildren();
        } else if (this.#children?.delete(message.pid)) forgetChild(message.pid);
        return;
    }
  }

  #onResult(id: number, outcome: Result['outcome'], ms: number): void {
    this.#bodyDone(id);
    const invocation = this.#inFlight.take(id);
    if (invocation === undefined) {
      this.#loads.get(id)?.(outcome);
      this.#loads.delete(id);
      return;
    }
    // A worker's first invocation runs cold (nothing compiled yet) and says little about the next.
    const sample = Number.isFinite(ms) && ms > 0 ? ms : 0;
    if (this.#answered++ > 0) this.serviceMs = this.serviceMs === undefined ? sample : this.serviceMs * 0.7 + sample * 0.3;
    this.progressAt = performance.now();
    // The worker found its deadline passed before starting it (our timer may not have fired yet).
    const expired = outcome.kind === 'error' && outcome.errorType === 'localgw.Expired';
    invocation.finish(expired ? { kind: 'timeout', timeoutMs: invocation.timeoutMs } : outcome);
    this.#idleCheck();
    this.onProgress?.(this);
  }

  #idleCheck(): void {
    if (this.#inFlight.size === 0 && this.#alive) this.#worker.unref();
  }

  #onExit(code: number): void {
    // What the worker said before it went: results, logs, the reason it gives.
    this.#alive = false;
    this.#readReplies();
    // Release the pending wait (it would otherwise hold the buffer forever).
    Atomics.notify(this.#progress, POSTED);
    this.#replies.close();
    // Whatever ended it, what it started must not outlive it (the messages just read name them all).
    this.#killChildren();
    const inFlight = this.#inFlight.takeAll();
    this.#outbox = newBatch();
    // The thread has ended: nothing reads these any more.
    for (const id of [...this.#lentBodies.keys()]) this.#bodyDone(id);
    const started = this.#startedId();
    // The one to blame: the invocation running, else, for a worker that died by itself, the next
    // one (it was waiting for the module to load, or the death came between invocations). Never
    // passing a crash on to other workers stops a module that always dies from looping forever.
    const running =
      inFlight.find(([id]) => this.#isRunning(id))?.[1] ??
      (this.#stopReason === undefined ? inFlight.find(([id]) => id > started)?.[1] : undefined);
    let reason: string;
    if (this.#stopReason !== undefined) {
      reason = this.#stopReason;
    } else {
      reason = describeCrash(this.#lastError, code, this.#options.memoryLimitMb);
      const stack = errorStack(this.#lastError);
      const when = running ? '' : ' between invocations';
      this.#log('error', `worker for ${this.functionName} died${when}: ${reason}${stack ? `\n${stack}` : ''}`, running?.requestId, running?.routeKey);
    }
    for (const resolve of this.#loads.values()) resolve({ kind: 'crash', reason });
    this.#loads.clear();
    // Settled or moved before the pool hears of the exit, so that a draining pool never counts
    // itself empty while an invocation of it is still on its way to another worker.
    for (const [id, invocation] of inFlight) {
      if (invocation === running) invocation.finish({ kind: 'crash', reason });
      // Finished, but the worker was stopped before it sent the result: never run it twice.
      else if (id <= started) invocation.finish({ kind: 'crash', reason: `the worker stopped before sending this invocation's result (${reason})` });
      // Never started here: the pool runs it elsewhere (this dead slot is skipped).
      else invocation.requeue();
    }
    this.onExit?.(this);
  }

  /** A line of the handler's, or of our own about an invocation; only the fields known are set. */
  #log(level: LogLevel, text: string, requestId: string | undefined, routeKey: string | undefined): void {
    const functionName = this.functionName;
    if (requestId === undefined) this.#options.onLog({ level, text, functionName });
    else this.#options.onLog(routeKey === undefined ? { level, text, functionName, requestId } : { level, text, functionName, requestId, routeKey });
  }
}

/**
 * @internal The invocations sent to a worker and not answered, by id, in the order sent (ids only grow).
 * The worker answers them in that order, so the one answered is nearly always the oldest: two
 * arrays used as a queue, reused as they empty. (A Map that grows and shrinks by the request
 * reallocated its table again and again, tables that lived long enough to burden the GC.)
 */
export class InFlight {
  readonly #ids: number[] = [];
  readonly #items: Array<SlotInvocation | undefined> = [];
  #head = 0;
  #end = 0;

  get size(): number {
    return this.#end - this.#head;
  }

  /** The id sent last, if any is in flight. */
  get newestId(): number | undefined {
    return this.#end > this.#head ? this.#ids[this.#end - 1] : undefined;
  }

  add(id: number, invocation: SlotInvocation): void {
    // Under steady load the queue never empties: move it back to the start once the answered
    // slots before it outnumber it, so that the arrays stay as long as the queue gets.
    if (this.#head >= 32 && this.#head >= this.#end - this.#head) {
      const size = this.#end - this.#head;
      this.#ids.copyWithin(0, this.#head, this.#end);
      this.#items.copyWithin(0, this.#head, this.#end);
      this.#items.fill(undefined, size, this.#end);
      this.#head = 0;
      this.#end = size;
    }
    this.#ids[this.#end] = id;
    this.#items[this.#end] = invocation;
    this.#end++;
  }

  /** Remove and return the invocation with `id`, if it is in flight. */
  take(id: number): SlotInvocation | undefined {
    let at = this.#head;
    while (at < this.#end && this.#ids[at] !== id) at++;
    if (at === this.#end) return undefined;
    const invocation = this.#items[at];
    if (at === this.#head) {
      // The oldest, almost always: nothing moves.
      this.#items[at] = undefined;
      this.#head++;
    } else {
      this.#ids.copyWithin(at, at + 1, this.#end);
      this.#items.copyWithin(at, at + 1, this.#end);
      this.#end--;
      this.#items[this.#end] = undefined;
    }
    if (this.#head === this.#end) this.#head = this.#end = 0;
    return invocation;
  }

  /** Remove and return, oldest first, the invocations with an id above `id`. */
  takeAfter(id: number): SlotInvocation[] {
    let from = this.#end;
    while (from > this.#head && this.#ids[from - 1]! > id) from--;
    const taken = this.#items.slice(from, this.#end) as SlotInvocation[];
    this.#items.fill(undefined, from, this.#end);
    this.#end = from;
    if (this.#head === this.#end) this.#head = this.#end = 0;
    return taken;
  }

  /** The invocation in flight with this request id (to tag its log lines). */
  findRequest(requestId: string): SlotInvocation | undefined {
    for (let at = this.#head; at < this.#end; at++) if (this.#items[at]!.requestId === requestId) return this.#items[at];
    return undefined;
  }

  /** Remove and return everything, oldest first. */
  takeAll(): Array<[number, SlotInvocation]> {
    const all = [...this.entries()];
    this.#items.fill(undefined, this.#head, this.#end);
    this.#head = this.#end = 0;
    return all;
  }

  *entries(): Generator<[number, SlotInvocation]> {
    for (let at = this.#head; at < this.#end; at++) yield [this.#ids[at]!, this.#items[at]!];
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
  if (Array.isArray(message)) return isOkResult(message);
  if (message === null || typeof message !== 'object') return false;
  const m = message as Record<string, unknown>;
  switch (m.type) {
    case 'log':
      return LOG_LEVELS.has(m.level as string) && typeof m.text === 'string' && (m.requestId === undefined || typeof m.requestId === 'string');
    case 'modules':
      return Array.isArray(m.files) && m.files.every((f) => typeof f === 'string');
    case 'result':
      return isResult(m);
    case 'child':
      // Never this process, nor init: we kill what is named here.
      return Number.isInteger(m.pid) && (m.pid as number) > 1 && m.pid !== process.pid && typeof m.alive === 'boolean';
    default:
      return false;
  }
}

function isOkResult(message: unknown[]): message is OkResultMessage {
  return (
    (message.length === 3 || (message.length === 4 && message[3] instanceof Uint8Array)) &&
    typeof message[0] === 'number' &&
    typeof message[1] === 'number' &&
    typeof message[2] === 'string'
  );
}

function isResult(value: unknown): value is ResultMessage {
  const r = value as Record<string, unknown> | null;
  if (r === null || typeof r !== 'object' || typeof r.id !== 'number' || typeof r.ms !== 'number') return false;
  const outcome = r.outcome as Record<string, unknown> | null;
  if (outcome === null || typeof outcome !== 'object' || !OUTCOME_KINDS.has(outcome.kind as string)) return false;
  if (outcome.kind === 'ok') return typeof outcome.payload === 'string';
  if (outcome.kind === 'error') return typeof outcome.errorType === 'string' && typeof outcome.errorMessage === 'string';
  return typeof outcome.message === 'string';
}

/**
 * The bytes of `view` in a buffer of their own. A structured clone copies a view's whole buffer,
 * and a request body is often a slice of a larger one (the socket read, Node's Buffer pool).
 */
function ownBytes(view: Uint8Array): Uint8Array {
  return view.byteOffset === 0 && view.byteLength === view.buffer.byteLength ? view : new Uint8Array(view);
}

function newBatch(): InvokeBatch {
  return [false, null] satisfies BatchHeader;
}

function* batchIds(batch: InvokeBatch): Generator<number> {
  for (let i = BATCH_HEADER_FIELDS; i < batch.length; i += INVOCATION_FIELDS) yield batch[i] as number;
}

/** `batch` without its invocations whose id is `upTo` or lower; its header stays. */
function withoutIdsUpTo(batch: InvokeBatch, upTo: number): InvokeBatch {
  let i = BATCH_HEADER_FIELDS;
  while (i < batch.length && (batch[i] as number) <= upTo) i += INVOCATION_FIELDS;
  return i === BATCH_HEADER_FIELDS ? batch : [batch[0]!, batch[1]!, ...batch.slice(i)];
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
