// The idle workers of all of a runtime's pools, least recently used first. A project of 200
// functions, each called once, kept 200 workers of about 8 MB each until their idle timeout
// (1.9 GB, issue 17). Past the limit, the worker idle longest, of whichever function, is stopped:
// memory follows what is in use, and a function not called for a while gets a cold start, as
// on Lambda when it reclaims an environment. Busy workers never count and are never stopped.

/** What the limit needs of a pool: to stop one of its idle workers. */
export interface IdleOwner<S> {
  evictIdle(slot: S): void;
}

export class IdleLimit<S = unknown> {
  /** Insertion order is idle order: the first entry went idle longest ago. */
  readonly #idle = new Map<S, IdleOwner<S>>();
  #max: number;

  constructor(max: number) {
    this.#max = checkMaxIdle(max);
  }

  get size(): number {
    return this.#idle.size;
  }

  /** A config reload may set another limit: it applies to the workers idle now. */
  set max(max: number) {
    this.#max = checkMaxIdle(max);
    this.#trim();
  }

  /** `slot` went idle in `owner`'s pool. */
  add(slot: S, owner: IdleOwner<S>): void {
    this.#idle.delete(slot);
    this.#idle.set(slot, owner);
    this.#trim();
  }

  /** `slot` is busy again, stopped, or gone. */
  delete(slot: S): void {
    this.#idle.delete(slot);
  }

  #trim(): void {
    for (const [slot, owner] of this.#idle) {
      if (this.#idle.size <= this.#max) return;
      this.#idle.delete(slot);
      owner.evictIdle(slot);
    }
  }
}

function checkMaxIdle(max: number): number {
  if (!Number.isInteger(max) || max < 0) throw new RangeError(`maxIdleWorkers must be 0 or a positive integer, got ${String(max)}`);
  return max;
}
