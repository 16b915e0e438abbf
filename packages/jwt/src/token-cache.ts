/** What a successful verification leaves behind; per-route scope checks run on it each time. */
export interface VerifiedToken {
  /** The token's `exp`, in epoch ms; the entry is dropped at that instant. */
  expiresAtMs: number;
  rawClaims: Readonly<Record<string, unknown>>;
  /** §3.4 stringified claims, frozen: shared by every request carrying this token. */
  claims: Readonly<Record<string, string>>;
  tokenScopes: readonly string[];
}

export const VERIFIED_TOKEN_CACHE_SIZE = 1_000;

/**
 * Verified tokens keyed by the token string, so a client repeating its token costs a Map look-up
 * and no RSA work. Bounded: when full, the oldest insertion goes (a Map iterates in insertion order).
 */
export class VerifiedTokenCache {
  readonly #entries = new Map<string, VerifiedToken>();
  readonly #maxEntries: number;
  #last: { token: string; entry: VerifiedToken } | undefined;

  constructor(maxEntries = VERIFIED_TOKEN_CACHE_SIZE) {
    this.#maxEntries = maxEntries;
  }

  get(token: string, nowMs: number): VerifiedToken | undefined {
    // A client repeats its token: comparing with the last one is cheaper than hashing a
    // freshly read (hundreds of characters long) string for the Map.
    const last = this.#last;
    if (last !== undefined && last.token === token && nowMs < last.entry.expiresAtMs) return last.entry;
    const entry = this.#entries.get(token);
    if (entry && nowMs < entry.expiresAtMs) this.#last = { token, entry };
    if (entry && nowMs >= entry.expiresAtMs) {
      this.#entries.delete(token);
      return undefined;
    }
    return entry;
  }

  set(token: string, entry: VerifiedToken): void {
    if (this.#entries.size >= this.#maxEntries && !this.#entries.has(token)) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(token, entry);
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#last = undefined;
    this.#entries.clear();
  }
}
