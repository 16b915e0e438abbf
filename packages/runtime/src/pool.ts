// Worker threads for one function and the decision of where each invocation runs. A worker runs
// one invocation at a time, like a Lambda execution environment; up to `max` run in parallel, so
// a slow request does not hold up others.
//
// Invocations can also be queued on a busy worker (pipelined) when the time its invocations take
// (measured in the worker) says it will reach them within PIPELINE_WAIT_MS. For quick handlers
// under load this is what makes the gateway fast: a worker that always has the next invocation
// waiting never sleeps, and a thread wake-up per invocation cost several times more than the
// handler itself (issue 7). A worker that finishes nothing for STALL_MS has the invocations
// queued behind its running one taken back and run elsewhere, so a surprise does not hold them
// up for long.
//
// A worker that runs none of its waiting invocations (its thread held by work a handler left
// running after it answered) is replaced, as Lambda resets an execution environment after a
// timeout: when an invocation queued on it times out, or after BLOCKED_MS without progress. What
// had not started on it runs elsewhere. A worker idle for the pool's `idleTimeoutMs` is stopped,
// as Lambda reclaims idle environments.
import type { WireEvent } from '@localgw/core/event-wire';
import { hasTimeout } from './invoke.js';
import type { InvokeOutcome } from './invoke.js';
import type { Slot } from './slot.js';
import type { IdleLimit, IdleOwner } from './idle-limit.js';
import type { SlotInvocation } from './worker-slot.js';

/** Queue on a busy worker only when it should reach the invocation within this. */
const PIPELINE_WAIT_MS = 1;
/** At most this many invocations per worker, running one included. */
const PIPELINE_DEPTH = 32;
/** A worker that finished nothing for this long while others wait behind it is stalled. */
const STALL_MS = 5;
/**
 * A warm worker that starts none of its waiting invocations for this long is blocked and is
 * replaced. Long enough for a GC pause or a busy moment of a loaded machine, short next to an
 * integration timeout.
 */
export const BLOCKED_MS = 1_000;
/** A new worker that starts none of its invocations for this long is blocked too: Lambda's init phase limit. */
export const INIT_LIMIT_MS = 10_000;
/** setTimeout's limit; a longer idle timeout never fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Shared by a runtime's pools, and changed in place: a config reload may set another idle timeout. */
export interface PoolSettings {
  /** Workers per pool at most. */
  readonly maxWorkers: number;
  /** Stop a worker idle for this long; 0 (or not finite): never. */
  idleTimeoutMs: number;
  /** The runtime's limit on idle workers across its pools. */
  readonly idleLimit: IdleLimit<Slot>;
}

export interface JobInput {
  event: unknown;
  /** A request to build the event from, in the worker; wins over `event` when given. */
  wireEvent: WireEvent | undefined;
  requestId: string;
  /** Epoch ms, for `context.getRemainingTimeInMillis()`. */
  deadline: number;
  /** The integration timeout; none when 0 or not finite. */
  timeoutMs: number;
  /** Tags the invocation's log lines. */
  routeKey: string | undefined;
  /** `InvokeRequest.bodyAsBytes`. */
  bodyAsBytes: boolean;
}

class Job implements SlotInvocation {
  readonly event: unknown;
  readonly wireEvent: WireEvent | undefined;
  readonly requestId: string;
  readonly deadline: number;
  readonly timeoutMs: number;
  readonly routeKey: string | undefined;
  readonly bodyAsBytes: boolean;
  /** performance.now() at which the timeout fires, for the pool's `Timeouts`. */
  readonly expiresAt: number;
  /** Its neighbours in its `Timeouts` list. */
  older: Job | undefined;
  newer: Job | undefined;
  settled = false;
  /** The worker it was last given to. */
  slot: Slot | undefined;
  readonly #resolve: (outcome: InvokeOutcome) => void;
  readonly #pool: Pool;
  readonly #timeouts: Timeouts | undefined;

  constructor(input: JobInput, pool: Pool, timeouts: Timeouts | undefined, resolve: (outcome: InvokeOutcome) => void) {
    this.event = input.event;
    this.wireEvent = input.wireEvent;
    this.requestId = input.requestId;
    this.deadline = input.deadline;
    this.timeoutMs = input.timeoutMs;
    this.routeKey = input.routeKey;
    this.bodyAsBytes = input.bodyAsBytes;
    this.#pool = pool;
    this.#resolve = resolve;
    // The clock starts on arrival, before any wait for a worker, and a cold start counts against
    // it: API Gateway's integration timeout likewise includes the time Lambda takes to start.
    this.expiresAt = performance.now() + input.timeoutMs;
    this.#timeouts = timeouts;
    timeouts?.add(this);
  }

  finish(outcome: InvokeOutcome): void {
    if (this.settled) return;
    this.settled = true;
    this.#timeouts?.delete(this);
    this.#resolve(outcome);
  }

  requeue(): void {
    if (!this.settled) this.#pool.dispatch(this);
  }

  /** Called by `Timeouts` when the integration timeout has passed. */
  expire(): void {
    const slot = this.slot;
    this.finish({ kind: 'timeout', timeoutMs: this.timeoutMs });
    if (slot) slot.expire(this);
    else this.#pool.unqueue(this);
  }
}

/**
 * The jobs of one timeout length, in arrival order, which is also the order they expire in:
 * one timer, for the oldest, stands in for a timer per job. Arming and clearing a Node timer
 * for every invocation was a measurable share of the gateway thread's work (issue 7). A list
 * linked through the jobs themselves: a Set that grows and shrinks by the request reallocates
 * its table again and again, and those tables lived long enough to burden the GC.
 */
class Timeouts {
  #oldest: Job | undefined;
  #newest: Job | undefined;
  #timer: NodeJS.Timeout | undefined;

  add(job: Job): void {
    job.newer = undefined;
    job.older = this.#newest;
    if (this.#newest) this.#newest.newer = job;
    else this.#oldest = job;
    this.#newest = job;
    if (this.#timer === undefined) this.#arm(job);
  }

  delete(job: Job): void {
    const { older, newer } = job;
    if (older) older.newer = newer;
    else if (this.#oldest === job) this.#oldest = newer;
    else return; // not in the list
    if (newer) newer.older = older;
    else this.#newest = older;
    job.older = job.newer = undefined;
    // Nothing left to time: a pending timer must not keep the process alive.
    if (this.#oldest === undefined && this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }

  #arm(oldest: Job): void {
    // One timer at most, whatever an expiring job set off meanwhile.
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, oldest.expiresAt - performance.now()));
  }

  #fire(): void {
    this.#timer = undefined;
    const now = performance.now();
    for (let job = this.#oldest; job !== undefined; job = this.#oldest) {
      if (job.expiresAt > now) {
        this.#arm(job);
        return;
      }
      job.expire();
      // Settling took it out of the list; this makes sure of it.
      this.delete(job);
    }
  }
}

export class Pool implements IdleOwner<Slot> {
  readonly #spawn: () => Slot;
  readonly #settings: PoolSettings;
  readonly #slots = new Set<Slot>();
  /** In the order they went idle (`progressAt`): the warmest is reused first, the oldest reaped first. */
  readonly #idle: Slot[] = [];
  /** Invocations no worker can take yet, oldest first. */
  readonly #queue: Job[] = [];
  /** Per integration timeout length (a function can serve routes with different ones). */
  readonly #timeouts = new Map<number, Timeouts>();
  #stallTimer: NodeJS.Timeout | undefined;
  /** Looks for blocked workers while any has invocations. */
  #blockTimer: NodeJS.Timeout | undefined;
  /** Stops the oldest idle worker when its idle time is up. */
  #reapTimer: NodeJS.Timeout | undefined;
  #draining = false;
  #closed = false;
  #onEmpty: (() => void) | undefined;

  constructor(spawn: () => Slot, settings: PoolSettings) {
    this.#spawn = spawn;
    this.#settings = settings;
  }

  /** Workers alive or starting (busy and idle). */
  get size(): number {
    return this.#slots.size;
  }

  /** Workers running or holding an invocation now. */
  get busy(): number {
    let busy = 0;
    for (const slot of this.#slots) if (slot.pending > 0) busy++;
    return busy;
  }

  /** Run one invocation on a worker of this pool. Never rejects. */
  run(input: JobInput): Promise<InvokeOutcome> {
    const { timeoutMs } = input;
    let timeouts: Timeouts | undefined;
    if (hasTimeout(timeoutMs)) {
      timeouts = this.#timeouts.get(timeoutMs);
      if (timeouts === undefined) this.#timeouts.set(timeoutMs, (timeouts = new Timeouts()));
    }
    return new Promise((resolve) => this.dispatch(new Job(input, this, timeouts, resolve)));
  }

  /** Start a worker ahead of demand (it loads its module at once) and keep it idle. */
  warm(): void {
    if (this.#slots.size > 0 || this.#closed) return;
    const slot = this.#startSlot();
    if (typeof slot === 'string') return;
    this.#goIdle(slot);
  }

  /** The idle timeout changed: the next reaping goes by the new one. */
  retime(): void {
    if (this.#reapTimer !== undefined) clearTimeout(this.#reapTimer);
    this.#reapTimer = undefined;
    this.#armReaper();
  }

  /** @internal Send `job` to the best worker, or queue it. */
  dispatch(job: Job): void {
    if (this.#closed) {
      job.finish({ kind: 'crash', reason: 'the runtime is closed' });
      return;
    }
    let slot = this.#flowingSlot() ?? this.#idle.pop();
    if (slot !== undefined) this.#settings.idleLimit.delete(slot);
    if (slot === undefined && this.#slots.size < this.#settings.maxWorkers) {
      const started = this.#startSlot();
      if (typeof started === 'string') {
        job.finish({ kind: 'crash', reason: started });
        return;
      }
      slot = started;
    }
    if (slot === undefined) {
      job.slot = undefined;
      this.#queue.push(job);
      return;
    }
    this.#give(slot, job);
  }

  /** @internal Forget a queued job whose timeout fired. */
  unqueue(job: Job): void {
    const at = this.#queue.indexOf(job);
    if (at >= 0) this.#queue.splice(at, 1);
    this.#checkEmpty();
  }

  /**
   * Stop taking part in new work (reload): idle workers stop now, busy ones once their
   * invocations and anything already queued here have finished. Resolves when none is left.
   */
  drain(): Promise<void> {
    this.#draining = true;
    const drained = new Promise<void>((resolve) => (this.#onEmpty = resolve));
    for (const slot of this.#idle.splice(0)) {
      this.#settings.idleLimit.delete(slot);
      this.#stop(slot);
    }
    this.#checkEmpty();
    return drained;
  }

  /** Stop every worker now; invocations still running or waiting end as crashes. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#stallTimer) clearInterval(this.#stallTimer);
    if (this.#blockTimer) clearInterval(this.#blockTimer);
    if (this.#reapTimer) clearTimeout(this.#reapTimer);
    this.#stallTimer = this.#blockTimer = this.#reapTimer = undefined;
    for (const job of this.#queue.splice(0)) job.finish({ kind: 'crash', reason: 'the runtime is closed' });
    for (const slot of this.#idle.splice(0)) this.#settings.idleLimit.delete(slot);
    const slots = [...this.#slots];
    this.#slots.clear();
    await Promise.all(slots.map((slot) => slot.terminate('the runtime is closed')));
    this.#checkEmpty();
  }

  /**
   * The busy worker to queue behind: one getting through its invocations quickly, with the
   * expected wait under PIPELINE_WAIT_MS. The fullest such worker is chosen, so that work
   * gathers on few threads and the others can sleep.
   */
  #flowingSlot(): Slot | undefined {
    let best: Slot | undefined;
    const now = performance.now();
    for (const slot of this.#slots) {
      if (slot.pending > 0 && canQueueOn(slot, now) && (best === undefined || slot.pending > best.pending)) best = slot;
    }
    return best;
  }

  #give(slot: Slot, job: Job): void {
    job.slot = slot;
    slot.start(job);
    if (slot.pending > 1) this.#watchStalls();
    if (this.#blockTimer === undefined) this.#watchBlocked();
  }

  /** A new worker, or why none could start. */
  #startSlot(): Slot | string {
    let slot: Slot;
    try {
      slot = this.#spawn();
    } catch (error) {
      return `could not start a worker: ${error instanceof Error ? error.message : String(error)}`;
    }
    slot.onExit = (dead) => this.#discard(dead);
    slot.onProgress = (busy) => this.#onProgress(busy);
    this.#slots.add(slot);
    return slot;
  }

  /** Results came back: feed the worker from the queue, or let it idle (or stop, when draining). */
  #onProgress(slot: Slot): void {
    if (!this.#slots.has(slot)) return;
    while (this.#queue.length > 0 && slot.alive && (slot.pending === 0 || canQueueOn(slot, performance.now()))) {
      this.#give(slot, this.#queue.shift()!);
    }
    if (slot.pending > 0) return;
    if (this.#draining || this.#closed) this.#stop(slot);
    else if (!this.#idle.includes(slot)) this.#goIdle(slot);
  }

  #goIdle(slot: Slot): void {
    this.#idle.push(slot);
    if (this.#reapTimer === undefined) this.#armReaper();
    // Last: it may stop this very worker (a limit of 0).
    this.#settings.idleLimit.add(slot, this);
  }

  /** @internal The runtime has too many idle workers and this one has been idle longest. */
  evictIdle(slot: Slot): void {
    const at = this.#idle.indexOf(slot);
    if (at < 0) return;
    this.#idle.splice(at, 1);
    this.#stop(slot);
    // The reaper may have been armed for it; it re-arms for the next.
    if (at === 0 && this.#reapTimer !== undefined) {
      clearTimeout(this.#reapTimer);
      this.#reapTimer = undefined;
      this.#armReaper();
    }
  }

  /** A worker died or was terminated; a queued invocation gets a fresh one. */
  #discard(slot: Slot): void {
    if (!this.#slots.delete(slot)) return;
    this.#settings.idleLimit.delete(slot);
    const at = this.#idle.indexOf(slot);
    if (at >= 0) this.#idle.splice(at, 1);
    const next = this.#closed ? undefined : this.#queue.shift();
    if (next) this.dispatch(next);
    this.#checkEmpty();
  }

  /** While invocations wait behind others, look every STALL_MS for a worker stuck on a slow one. */
  #watchStalls(): void {
    if (this.#stallTimer || this.#closed) return;
    this.#stallTimer = setInterval(() => {
      const now = performance.now();
      let waiting = false;
      for (const slot of this.#slots) {
        if (slot.pending < 2) continue;
        if (slot.stalled(now, STALL_MS)) {
          slot.withdrawWaiting();
          // Not expected (its running one stays), but a worker left with nothing must not be
          // left out of the rotation: no result would ever bring it back.
          if (slot.pending === 0) this.#onProgress(slot);
        } else waiting = true;
      }
      if (!waiting) {
        clearInterval(this.#stallTimer);
        this.#stallTimer = undefined;
      }
    }, STALL_MS).unref();
  }

  /**
   * While any worker has invocations, look every BLOCKED_MS / 4 for one that starts none of
   * them: its thread is held (work a handler left running after it answered, or a module that
   * never finishes loading). Waiting on it, they would time out; a drain would wait for it
   * forever. It is replaced, and what had not started on it runs elsewhere.
   */
  #watchBlocked(): void {
    if (this.#closed) return;
    this.#blockTimer = setInterval(() => {
      const now = performance.now();
      let busy = false;
      for (const slot of this.#slots) {
        if (slot.pending === 0) continue;
        busy = true;
        slot.resetIfBlocked(now, BLOCKED_MS, INIT_LIMIT_MS);
      }
      if (!busy) {
        clearInterval(this.#blockTimer);
        this.#blockTimer = undefined;
      }
    }, BLOCKED_MS / 4).unref();
  }

  /** Arm the timer (one at most) that stops the worker idle longest once its idle time is up. */
  #armReaper(): void {
    const oldest = this.#idle[0];
    const { idleTimeoutMs } = this.#settings;
    if (this.#reapTimer !== undefined || oldest === undefined || this.#closed || !(idleTimeoutMs > 0 && idleTimeoutMs <= MAX_TIMER_MS)) return;
    this.#reapTimer = setTimeout(() => this.#reap(), Math.max(0, oldest.progressAt + idleTimeoutMs - performance.now())).unref();
  }

  #reap(): void {
    this.#reapTimer = undefined;
    const { idleTimeoutMs } = this.#settings;
    const now = performance.now();
    while (this.#idle.length > 0 && now - this.#idle[0]!.progressAt >= idleTimeoutMs) {
      const slot = this.#idle.shift()!;
      this.#settings.idleLimit.delete(slot);
      this.#stop(slot);
    }
    this.#armReaper();
  }

  #stop(slot: Slot): void {
    this.#slots.delete(slot);
    void slot.terminate();
    this.#checkEmpty();
  }

  #checkEmpty(): void {
    if ((this.#draining || this.#closed) && this.#slots.size === 0 && this.#queue.length === 0) {
      this.#onEmpty?.();
      this.#onEmpty = undefined;
    }
  }
}

/** Whether a busy worker should reach one more invocation within PIPELINE_WAIT_MS. */
function canQueueOn(slot: Slot, now: number): boolean {
  const { pending, serviceMs } = slot;
  return (
    slot.alive &&
    serviceMs !== undefined &&
    pending < PIPELINE_DEPTH &&
    pending * serviceMs < PIPELINE_WAIT_MS &&
    now - slot.progressAt < STALL_MS
  );
}
