/**
 * A Lambda authorizer's result cache (§5.4): keyed by the identity source values, each entry
 * kept for the authorizer's TTL. Time is passed in (core does no I/O). Bounded: past
 * `maxEntries` the oldest entry goes, so a client sending a new token per request cannot
 * grow it without limit.
 */
export class AuthorizerCache<T> {
  readonly #entries = new Map<string, { value: T; expiresAt: number }>();
  readonly #maxEntries: number;

  constructor(maxEntries = 10_000) {
    this.#maxEntries = maxEntries;
  }

  /** The key for identity values: unambiguous whatever the values contain. */
  static keyOf(values: readonly string[]): string {
    return JSON.stringify(values);
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string, now: number): T | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: T, ttlMs: number, now: number): void {
    if (ttlMs <= 0) return;
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { value, expiresAt: now + ttlMs });
  }

  clear(): void {
    this.#entries.clear();
  }
}
