// One execution environment of a function whose runtime is not Node.js: a child process (the
// local Python running localgw's runtime interface client, or a custom runtime's bootstrap) and
// the Runtime API it speaks to (runtime-api.ts). It runs one invocation at a time, as a Lambda
// environment does; the pool (pool.ts) decides where invocations run, exactly as for workers.
//
// A runtime that prefetches (localgw's Python client) may be given invocations behind the one
// that runs, as a busy worker is: they wait here, and the first is handed out early, so the
// process goes from one to the next without a round trip. One handed out is the process's to
// run, or to hand back unstarted when the one before it is slow (the runtime's watcher thread);
// only those still here can be taken back (`withdrawWaiting`). A runtime that does not prefetch
// is given one invocation at a time (`serviceMs` is undefined).
//
// Every way the process can end becomes an outcome: its answer, its error, its init error (the
// waiting invocation fails with it, as on Lambda, and the process is stopped), a timeout (it is
// killed, the pool starts another), an exit of its own (a crash; the pool starts another).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { buildWireEvent } from '@localgw/core/event-wire';
import { forgetChild, killChild, trackChild } from '../child-processes.js';
import type { InvokeOutcome } from '../invoke.js';
import { LOCAL_ACCOUNT_ID } from '../lambda-context.js';
import type { Slot } from '../slot.js';
import type { RuntimeLogEntry, SlotInvocation } from '../worker-slot.js';
import { launchCommand } from './launch.js';
import type { ProcessHandler } from './process-handler.js';
import { RuntimeApi, type ApiError, type ApiInvocation, type RuntimeApiListener } from './runtime-api.js';

export interface ProcessSlotOptions {
  functionName: string;
  /** What to run. */
  handler: ProcessHandler;
  /** The process's whole environment (Lambda's variables included); the Runtime API's address is added. */
  env: Record<string, string>;
  onLog: (entry: RuntimeLogEntry) => void;
}

/** A line longer than this is logged in pieces: a process printing without newlines must not grow a buffer forever. */
const MAX_LINE = 64 * 1024;
/** After the process exits, how long its output may take to drain (a grandchild can hold the pipe). */
const DRAIN_MS = 500;
const WINDOWS = process.platform === 'win32';

/** Notes about an interpreter (a version other than the runtime's) are said once per process. */
const notesSaid = new Set<string>();
/** Weight of the newest invocation in `serviceMs`. */
const SERVICE_SMOOTHING = 0.2;

/** An invocation given to this environment, with what the Runtime API hands out for it. */
interface Entry {
  readonly job: SlotInvocation;
  readonly api: ApiInvocation;
  /** The runtime has it (its GET …/next was answered with it). */
  handedOut: boolean;
}

export class ProcessSlot implements Slot, RuntimeApiListener {
  readonly #options: ProcessSlotOptions;
  readonly #exited: Promise<void>;
  #api: RuntimeApi | undefined;
  #child: ChildProcess | undefined;
  /** The invocations given to this environment and not answered, in order; the first runs once handed out. */
  readonly #entries: Entry[] = [];
  /** The invocation whose lines these are: the one that runs, or ran last (see `#log`). */
  #tagged: SlotInvocation | undefined;
  #serviceMs = 0;
  #initDone = false;
  #initFailure: Extract<InvokeOutcome, { kind: 'load-error' }> | undefined;
  #startError: string | undefined;
  #stopReason: string | undefined;
  #alive = true;
  readonly #loads: Array<(outcome: InvokeOutcome) => void> = [];
  onExit: ((slot: Slot) => void) | undefined;
  onProgress: ((slot: Slot) => void) | undefined;
  progressAt = performance.now();

  constructor(options: ProcessSlotOptions) {
    this.#options = options;
    this.#exited = this.#run().catch((error: unknown) => {
      // A bug of ours: still an outcome for whatever waits.
      this.#startError ??= `localgw runtime error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
      this.#ended(null, null);
    });
  }

  get alive(): boolean {
    return this.#alive && this.#stopReason === undefined;
  }

  get pending(): number {
    return this.#entries.length;
  }

  /** Smoothed time from an invocation's start to its answer; only for a runtime that prefetches. */
  get serviceMs(): number | undefined {
    return this.#api?.prefetching === true && this.#serviceMs > 0 ? this.#serviceMs : undefined;
  }

  /** The invocation that runs: the first, once the runtime has it. */
  get #running(): Entry | undefined {
    const first = this.#entries[0];
    return first?.handedOut === true ? first : undefined;
  }

  get functionName(): string {
    return this.#options.functionName;
  }

  /** The process and its Runtime API, started; resolves once both are gone. */
  async #run(): Promise<void> {
    const { handler, env } = this.#options;
    const launch = await launchCommand(handler, env);
    if (!launch.ok) {
      this.#startError = launch.message;
      this.#ended(null, null);
      return;
    }
    if (launch.note !== undefined && !notesSaid.has(launch.note)) {
      notesSaid.add(launch.note);
      this.#log('warn', launch.note, undefined);
    }
    if (this.#stopReason !== undefined) return this.#ended(null, null);
    const region = env.AWS_REGION ?? 'us-east-1';
    const api = await RuntimeApi.start(this, `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${this.functionName}`);
    this.#api = api;
    if (this.#stopReason !== undefined) {
      await api.close();
      return this.#ended(null, null);
    }
    let child: ChildProcess;
    try {
      child = spawn(launch.command, launch.args, {
        cwd: handler.taskRoot,
        env: { ...env, AWS_LAMBDA_RUNTIME_API: api.address },
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group: a Ctrl-C in the terminal reaches the gateway, which stops it,
        // and stopping it takes whatever it started along (curl in a shell bootstrap).
        detached: !WINDOWS,
        windowsHide: true,
      });
    } catch (error) {
      this.#startError = `could not start ${launch.command}: ${(error as Error).message}`;
      await api.close();
      return this.#ended(null, null);
    }
    this.#child = child;
    const exit = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
      child.once('error', (error) => {
        // Not started at all (ENOENT, EACCES): 'exit' may not follow.
        this.#startError = `could not start ${launch.command}: ${error.message}`;
        resolve([null, null]);
      });
      child.once('exit', (code, signal) => resolve([code, signal]));
    });
    if (child.pid !== undefined) trackChild(child.pid);
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    this.#readLines(child.stdout!, 'log');
    this.#readLines(child.stderr!, 'error');
    this.#holdLoop();
    this.#offerNext();
    const [code, signal] = await exit;
    // Whatever it started must not outlive it; then its last output, so a crash's stack comes first.
    if (child.pid !== undefined) {
      killChild(child.pid);
      forgetChild(child.pid);
    }
    let drainTimer: NodeJS.Timeout | undefined;
    await Promise.race([closed, new Promise<void>((resolve) => (drainTimer = setTimeout(resolve, DRAIN_MS)))]);
    clearTimeout(drainTimer);
    await api.close();
    this.#ended(code, signal);
  }

  start(invocation: SlotInvocation): void {
    if (!this.alive || (this.#entries.length > 0 && this.serviceMs === undefined)) {
      invocation.requeue();
      return;
    }
    let body: string;
    try {
      const event = invocation.wireEvent === undefined ? invocation.event : buildWireEvent(invocation.wireEvent);
      body = event === undefined ? '{}' : JSON.stringify(event);
    } catch (error) {
      invocation.finish({ kind: 'crash', reason: `could not send the event to the runtime: ${(error as Error).message}` });
      return;
    }
    if (this.#entries.length === 0) this.progressAt = performance.now();
    this.#entries.push({ job: invocation, api: { requestId: invocation.requestId, deadline: invocation.deadline, body, traceId: traceId() }, handedOut: false });
    this.#holdLoop();
    if (this.#initFailure !== undefined) this.#finish(this.#initFailure);
    else this.#offerNext();
  }

  /** Offer the Runtime API the first invocation not handed out, if it has none on offer. */
  #offerNext(): void {
    const api = this.#api;
    if (api === undefined) return;
    for (const entry of this.#entries) {
      if (entry.handedOut) continue;
      api.offer(entry.api);
      return;
    }
  }

  expire(invocation: SlotInvocation): void {
    const at = this.#entries.findIndex((entry) => entry.job === invocation);
    if (at < 0) return;
    const entry = this.#entries[at]!;
    if (at === 0 && entry.handedOut) {
      // Only ending the process stops a handler; Lambda likewise resets the environment.
      void this.terminate(`timed out after ${invocation.timeoutMs} ms`);
      return;
    }
    // Handed out behind the one that runs: the runtime will run it, and its answer is dropped.
    if (entry.handedOut) return;
    // Not started (the runtime is still starting, or between invocations): it goes, the process stays.
    this.#api?.withdraw(entry.api);
    this.#entries.splice(at, 1);
    this.#offerNext();
    if (this.#entries.length === 0) this.#idle();
  }

  stalled(now: number, ms: number): boolean {
    return now - this.progressAt >= ms;
  }

  withdrawWaiting(): void {
    // What the runtime has not been handed goes back to the pool; what it has is its to run.
    const kept: Entry[] = [];
    const back: SlotInvocation[] = [];
    for (const entry of this.#entries) {
      if (entry.handedOut) kept.push(entry);
      else {
        this.#api?.withdraw(entry.api);
        back.push(entry.job);
      }
    }
    this.#entries.splice(0, this.#entries.length, ...kept);
    for (const job of back) job.requeue();
  }

  resetIfBlocked(now: number, warmMs: number, coldMs: number): void {
    if (this.#entries.length === 0 || this.#running !== undefined || !this.alive) return;
    const warm = this.#initDone;
    if (!this.stalled(now, warm ? warmMs : coldMs)) return;
    const why = warm
      ? `it did not ask for its next invocation (GET /runtime/invocation/next) within ${warmMs} ms of answering`
      : `it did not ask for its first invocation (GET /runtime/invocation/next) within ${coldMs / 1000} s (Lambda's init limit)`;
    this.#log('warn', `runtime process for ${this.functionName} replaced: ${why}`, undefined);
    void this.terminate(`the runtime process was replaced: ${why}`);
  }

  /**
   * Start the process and wait until it asks for an invocation (its init is done): `Runtime.verify`.
   * An init error's message says where (the innermost frame of its stack trace).
   */
  load(): Promise<InvokeOutcome> {
    if (this.#initDone) return Promise.resolve({ kind: 'ok', payload: 'null' });
    if (this.#initFailure !== undefined) return Promise.resolve(withLocation(this.#initFailure));
    if (!this.#alive) return Promise.resolve({ kind: 'crash', reason: this.#stopReason ?? this.#startError ?? 'the runtime process has exited' });
    const loaded = new Promise<InvokeOutcome>((resolve) => this.#loads.push((outcome) => resolve(outcome.kind === 'load-error' ? withLocation(outcome) : outcome)));
    this.#holdLoop();
    return loaded;
  }

  terminate(reason = 'the runtime process was stopped'): Promise<void> {
    if (this.#alive && this.#stopReason === undefined) {
      this.#stopReason = reason;
      // Whoever awaits the stop is waiting on the process: its exit must be seen.
      this.#child?.ref();
      const pid = this.#child?.pid;
      if (pid !== undefined && this.#child!.exitCode === null && this.#child!.signalCode === null) killChild(pid);
      // Its GET …/next must not keep waiting on a server of ours.
      void this.#api?.close();
    }
    return this.#exited;
  }

  // The Runtime API's events (RuntimeApiListener).

  initDone(): void {
    this.#initDone = true;
    for (const resolve of this.#loads.splice(0)) resolve({ kind: 'ok', payload: 'null' });
    this.#holdLoop();
  }

  delivered(invocation: ApiInvocation): void {
    const entry = this.#entries.find((e) => e.api === invocation);
    if (entry === undefined) return;
    entry.handedOut = true;
    if (entry === this.#entries[0]) {
      this.#tagged = entry.job;
      this.progressAt = performance.now();
    }
    this.#offerNext();
  }

  answered(invocation: ApiInvocation, outcome: Extract<InvokeOutcome, { kind: 'ok' | 'error' }>): void {
    if (this.#running?.api !== invocation) return;
    this.#finish(outcome);
  }

  returned(invocation: ApiInvocation): void {
    const at = this.#entries.findIndex((entry) => entry.api === invocation);
    if (at <= 0) return;
    const [entry] = this.#entries.splice(at, 1);
    // Not offered again here: the one that runs is slow; the pool finds it another environment.
    entry!.job.requeue();
  }

  initFailed(error: ApiError): void {
    const message = `${error.errorType}: ${error.errorMessage}`;
    this.#initFailure = error.stack === undefined ? { kind: 'load-error', message } : { kind: 'load-error', message, stack: error.stack };
    for (const resolve of this.#loads.splice(0)) resolve(this.#initFailure);
    if (this.#entries.length > 0) this.#finish(this.#initFailure);
    // As on Lambda, an environment that failed its init serves nothing: the next invocation starts another.
    void this.terminate(`init failed: ${message}`);
  }

  /** The first invocation ended with `outcome`; the one handed out behind it, if any, runs now. */
  #finish(outcome: InvokeOutcome): void {
    const entry = this.#entries.shift();
    const now = performance.now();
    if (entry?.handedOut === true) this.#serviceMs = this.#serviceMs === 0 ? now - this.progressAt : this.#serviceMs + SERVICE_SMOOTHING * (now - this.progressAt - this.#serviceMs);
    this.progressAt = now;
    const next = this.#entries[0];
    if (next?.handedOut === true) this.#tagged = next.job;
    entry?.job.finish(outcome);
    this.#idle();
  }

  #idle(): void {
    this.#holdLoop();
    this.onProgress?.(this);
  }

  /** The process keeps the gateway's event loop alive while something waits on it, never while idle. */
  #holdLoop(): void {
    if (this.#entries.length > 0 || this.#loads.length > 0 || this.#stopReason !== undefined) this.#child?.ref();
    else this.#child?.unref();
  }

  /** The process and its API are gone: settle what is left, then tell the pool. */
  #ended(code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.#alive) return;
    this.#alive = false;
    const entries = this.#entries.splice(0);
    const job = entries[0]?.job;
    const delivered = entries[0]?.handedOut === true;
    let reason: string;
    if (this.#initFailure !== undefined) reason = this.#initFailure.message;
    else if (this.#stopReason !== undefined) reason = this.#stopReason;
    else {
      reason = this.#startError ?? describeExit(code, signal, this.#initDone);
      const when = job === undefined ? (this.#initDone ? ' between invocations' : ' while starting') : '';
      this.#log('error', `runtime process for ${this.functionName} ended${when}: ${reason}`, job);
    }
    if (job !== undefined) {
      if (this.#initFailure !== undefined) job.finish(this.#initFailure);
      else if (delivered) job.finish({ kind: 'crash', reason });
      // Stopped before it started this one (a reload, a replaced environment): it runs elsewhere.
      else if (this.#stopReason !== undefined) job.requeue();
      // Died before it could start it: this invocation is the one to fail (never passed on, so a
      // runtime that always dies cannot loop forever), as a failed init (Lambda's Runtime.ExitError).
      else job.finish({ kind: 'load-error', message: reason });
    }
    // Behind the first: never started here, whatever ended the process. They run elsewhere.
    for (const entry of entries.slice(1)) {
      if (this.#initFailure !== undefined) entry.job.finish(this.#initFailure);
      else entry.job.requeue();
    }
    // Waiting for its init: it never finished one.
    const ended: InvokeOutcome = this.#initFailure ?? (this.#stopReason !== undefined ? { kind: 'crash', reason } : { kind: 'load-error', message: reason });
    for (const resolve of this.#loads.splice(0)) resolve(ended);
    this.onExit?.(this);
  }

  #readLines(stream: NodeJS.ReadableStream & { unref?(): void }, level: RuntimeLogEntry['level']): void {
    // Its pipes never keep the gateway alive; the process handle does while it is busy.
    stream.unref?.();
    stream.setEncoding('utf8');
    let partial = '';
    stream.on('data', (chunk: string) => {
      let text = partial + chunk;
      let newline = text.indexOf('\n');
      while (newline >= 0) {
        this.#log(level, text.slice(0, text[newline - 1] === '\r' ? newline - 1 : newline), this.#tagged);
        text = text.slice(newline + 1);
        newline = text.indexOf('\n');
      }
      while (text.length > MAX_LINE) {
        this.#log(level, text.slice(0, MAX_LINE), this.#tagged);
        text = text.slice(MAX_LINE);
      }
      partial = text;
    });
    stream.once('end', () => {
      if (partial !== '') this.#log(level, partial, this.#tagged);
      partial = '';
    });
  }

  /**
   * A line of the process's, tagged with the invocation it belongs to: the one it was handed
   * last (Lambda's log likewise puts a line between the START and END of the invocation that
   * was running). Lines printed during init have no request id, as with Node.js workers.
   */
  #log(level: RuntimeLogEntry['level'], text: string, about: SlotInvocation | undefined): void {
    const { functionName, onLog } = this.#options;
    try {
      if (about === undefined) onLog({ level, text, functionName });
      else if (about.routeKey === undefined) onLog({ level, text, functionName, requestId: about.requestId });
      else onLog({ level, text, functionName, requestId: about.requestId, routeKey: about.routeKey });
    } catch {
      // A throwing listener costs the line, never the environment.
    }
  }
}

function describeExit(code: number | null, signal: NodeJS.Signals | null, initDone: boolean): string {
  const how = signal !== null ? `was killed by ${signal}` : `exited with code ${code ?? 'unknown'}`;
  return initDone
    ? `Runtime.ExitError: the runtime process ${how}`
    : `Runtime.ExitError: the runtime process ${how} before asking for an invocation (its output is in the log)`;
}

/** `message (at app.py:3)` from the last `File "…/app.py", line 3` of a Python stack trace. */
function withLocation(outcome: Extract<InvokeOutcome, { kind: 'load-error' }>): InvokeOutcome {
  const frames = [...(outcome.stack ?? '').matchAll(/File "([^"]+)",? [Ll]ine (\d+)/g)];
  const last = frames[frames.length - 1];
  if (last === undefined || outcome.message.includes(`line ${last[2]}`)) return outcome;
  return { ...outcome, message: `${outcome.message} (at ${last[1]}:${last[2]})` };
}

/** Trace ids: unique per gateway process and invocation, without the cost of random bytes each time. */
const TRACE_PREFIX = randomBytes(6).toString('hex');
let traceCounter = 0;

/** `Lambda-Runtime-Trace-Id`: an X-Ray header, not sampled (nothing collects it here). */
function traceId(): string {
  const n = (++traceCounter % 2 ** 48).toString(16).padStart(12, '0');
  return `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${TRACE_PREFIX}${n};Parent=${n}${TRACE_PREFIX.slice(0, 4)};Sampled=0`;
}
