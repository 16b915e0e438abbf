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

  constructor(maxEntries = VERIFIED_TOKEN_CACHE_SIZE) {
    this.#maxEntries = maxEntries;
  }

  get(token: string, nowMs: number): VerifiedToken | undefined {
    const entry = this.#entries.get(token);
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
    this.#entries.clear();
  }
}
