import type { LocalJWKSet } from 'jose';

/** One parsed key set, ready to resolve keys by `kid` and `alg`. */
export interface KeySetSnapshot {
  /** Where the keys came from, for messages: a file path, a URL, or `inline JWKS`. */
  readonly origin: string;
  /** Every `kid` in the set (keys without a `kid` can never be selected, §3.2). */
  readonly kids: ReadonlySet<string>;
  /** jose's resolver over this set; it checks `kty`/`alg`/`use`/`key_ops` compatibility. */
  readonly resolve: LocalJWKSet;
}

/** Result of asking a source to look again because a token named a `kid` it does not have. */
export type RefetchOutcome =
  | { kind: 'refetched'; snapshot: KeySetSnapshot }
  | { kind: 'static' }
  | { kind: 'cooldown'; lastFetchAgoMs: number }
  | { kind: 'failed'; error: string };

/** A place keys come from: inline, file, URL, or OIDC discovery. */
export interface KeySource {
  /** Human description for messages, e.g. `OIDC discovery at https://…/.well-known/openid-configuration`. */
  readonly description: string;
  /** The current key set. Never waits on the network once a set is cached. Throws `JwtError` when none is available. */
  getKeySet(): Promise<KeySetSnapshot>;
  /** At most one network refetch per cooldown; static sources answer `static`. */
  refetchForUnknownKid(): Promise<RefetchOutcome>;
  /** Aborts network work; the source must not be used afterwards. */
  close(): void;
}

/** Options shared by the remote sources (URL and discovery). */
export interface RemoteSourceOptions {
  /** Authorizer name, for diagnostics. */
  authorizer: string;
  /** Directory for the persisted JWKS cache (`<baseDir>/.localgw/jwks-cache`). */
  cacheDir: string;
  now: () => number;
  fetchTimeoutMs: number;
}
