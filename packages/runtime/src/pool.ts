// Worker threads for one function: spawned on demand up to a limit, reused while warm, replaced
// when one dies. One invocation per worker at a time, like Lambda execution environments, so a
// slow request never blocks another while the limit allows.
import type { InvokeOutcome } from './invoke.js';
import type { WorkerSlot } from './worker-slot.js';

export interface Waiter {
  grant: (slot: WorkerSlot) => void;
  fail: (outcome: InvokeOutcome) => void;
}

export class Pool {
  readonly #spawn: () => WorkerSlot;
  readonly #max: number;
  readonly #slots = new Set<WorkerSlot>();
  /** Most recently used last: the warmest worker is reused first. */
  readonly #idle: WorkerSlot[] = [];
  readonly #queue: Waiter[] = [];
  #draining = false;
  #closed = false;
  #onEmpty: (() => void) | undefined;

  constructor(spawn: () => WorkerSlot, max: number) {
    this.#spawn = spawn;
    this.#max = max;
  }

  /** Workers alive or starting (busy and idle). */
  get size(): number {
    return this.#slots.size;
  }

  /** Grant a worker now or when one frees up; returns a ticket for `cancel`. */
  acquire(grant: Waiter['grant'], fail: Waiter['fail']): Waiter {
    const waiter: Waiter = { grant, fail };
    if (this.#closed) {
      fail({ kind: 'crash', reason: 'the runtime is closed' });
      return waiter;
    }
    const idle = this.#idle.pop();
    if (idle) grant(idle);
    else if (this.#slots.size < this.#max) this.#start(waiter);
    else this.#queue.push(waiter);
    return waiter;
  }

  /** Start a worker ahead of demand (it loads its module at once) and keep it idle. */
  warm(): void {
    if (this.#slots.size === 0) this.acquire((slot) => this.release(slot), () => {});
  }

  /** Forget a waiter that no longer wants a worker (its deadline passed while queued). */
  cancel(waiter: Waiter): void {
    const at = this.#queue.indexOf(waiter);
    if (at >= 0) this.#queue.splice(at, 1);
  }

  /** Give a worker back after its invocation. */
  release(slot: WorkerSlot): void {
    if (!slot.alive || !this.#slots.has(slot)) {
      this.discard(slot);
      return;
    }
    const next = this.#queue.shift();
    if (next) next.grant(slot);
    else if (this.#draining || this.#closed) this.#stop(slot);
    else this.#idle.push(slot);
  }

  /** Drop a worker that died or is being terminated; a waiting invocation gets a fresh one. */
  discard(slot: WorkerSlot): void {
    if (!this.#slots.delete(slot)) return;
    const at = this.#idle.indexOf(slot);
    if (at >= 0) this.#idle.splice(at, 1);
    const next = this.#closed ? undefined : this.#queue.shift();
    if (next) this.#start(next);
    this.#checkEmpty();
  }

  /**
   * Stop taking part in new work (reload): idle workers stop now, busy ones once their
   * invocation and anything already queued here has finished. Resolves when none is left.
   */
  drain(): Promise<void> {
    this.#draining = true;
    const drained = new Promise<void>((resolve) => (this.#onEmpty = resolve));
    for (const slot of this.#idle.splice(0)) this.#stop(slot);
    this.#checkEmpty();
    return drained;
  }

  /** Stop every worker now; invocations still running end as crashes. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const waiter of this.#queue.splice(0)) waiter.fail({ kind: 'crash', reason: 'the runtime is closed' });
    this.#idle.length = 0;
    const slots = [...this.#slots];
    this.#slots.clear();
    await Promise.all(slots.map((slot) => slot.terminate('the runtime is closed')));
    this.#checkEmpty();
  }

  #start(waiter: Waiter): void {
    let slot: WorkerSlot;
    try {
      slot = this.#spawn();
    } catch (error) {
      waiter.fail({ kind: 'crash', reason: `could not start a worker: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    slot.onExit = (dead) => this.discard(dead);
    this.#slots.add(slot);
    waiter.grant(slot);
  }

  #stop(slot: WorkerSlot): void {
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
