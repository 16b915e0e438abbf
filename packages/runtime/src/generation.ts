// One loaded set of handlers: a pool per function, all started from the same code. A reload
// starts a new generation; the old one drains (its invocations in flight finish on the workers,
// and module cache, they started with) and then has no worker left.
import { Pool } from './pool.js';

export class Generation {
  readonly #pools = new Map<string, Pool>();
  readonly #factories = new Map<string, () => Pool>();
  #draining: Promise<void> | undefined;

  /** The pool for `key`, created by `create` on first use. */
  pool(key: string, create: () => Pool): Pool {
    let pool = this.#pools.get(key);
    if (!pool) {
      pool = create();
      this.#pools.set(key, pool);
      this.#factories.set(key, create);
    }
    return pool;
  }

  /**
   * Start one worker, with the new code, for every function `previous` had running: after a
   * reload the next request finds its module loaded (init done) instead of paying a cold start.
   */
  warmLike(previous: Generation): void {
    for (const [key, pool] of previous.#pools) {
      if (pool.size === 0) continue;
      this.pool(key, previous.#factories.get(key)!).warm();
    }
  }

  /** The keys of the pools with workers (alive or starting). */
  *runningKeys(): Iterable<string> {
    for (const [key, pool] of this.#pools) if (pool.size > 0) yield key;
  }

  /** Forget the pools whose key is not in `keep` and return them (the caller drains them). */
  releaseExcept(keep: ReadonlySet<string>): Pool[] {
    const released: Pool[] = [];
    for (const [key, pool] of this.#pools) {
      if (keep.has(key)) continue;
      this.#pools.delete(key);
      this.#factories.delete(key);
      released.push(pool);
    }
    return released;
  }

  /** Each pool's key with its workers (alive or starting) and how many run something now. */
  stats(): Array<{ key: string; workers: number; busy: number }> {
    return [...this.#pools].map(([key, pool]) => ({ key, workers: pool.size, busy: pool.busy }));
  }

  /** The idle timeout changed (see `Pool.retime`). */
  retime(): void {
    for (const pool of this.#pools.values()) pool.retime();
  }

  /** Resolves once every worker of this generation has been told to stop. */
  drain(): Promise<void> {
    this.#draining ??= Promise.all([...this.#pools.values()].map((pool) => pool.drain())).then(() => {});
    return this.#draining;
  }

  close(): Promise<void> {
    return Promise.all([...this.#pools.values()].map((pool) => pool.close())).then(() => {});
  }
}
