import type { Agent } from 'undici';
import { JwtError, describeError } from '../errors.js';
import { JWKS_CACHE_TTL_MS, readCachedJwks, writeCachedJwks } from './cache.js';
import { fetchJson } from './fetch-json.js';
import { createKeySetSnapshot } from './inline.js';
import type { KeySetSnapshot, KeySource, RefetchOutcome, RemoteSourceOptions } from './types.js';

/** A token with an unknown `kid` triggers at most one refetch per this many ms. */
export const REFETCH_COOLDOWN_MS = 30_000;

export type GetJson = (url: string) => Promise<unknown>;

export interface RemoteSpec {
  /** The configured URL; also the disk-cache key. */
  url: string;
  description: string;
  /** Fetches the key set; returns it with the URL it came from. */
  load(getJson: GetJson): Promise<{ jwksUri: string; jwks: unknown }>;
}

interface Current {
  snapshot: KeySetSnapshot;
  fetchedAt: number;
}

/**
 * The caching shared by URL and discovery sources:
 * - memory: a fetched set is used for 2 h (§3.2); after that it is still served while a refresh
 *   runs in the background, so a request never waits on the network once a set is known;
 * - disk: every successful fetch is persisted; on the first look-up a fresh (< 2 h) disk copy is
 *   used without the network, a stale one only if the network fails (offline work);
 * - one fetch at a time, and no new attempt within `REFETCH_COOLDOWN_MS` of the last one, failed
 *   or not: until then a failure is answered from memory (issue 13: a hanging issuer cost every
 *   request 1.5 s).
 */
export function createRemoteKeySource(spec: RemoteSpec, options: RemoteSourceOptions): KeySource {
  const { now, cacheDir } = options;
  let current: Current | undefined;
  let diskLoad: Promise<void> | undefined;
  let inflight: Promise<KeySetSnapshot> | undefined;
  let lastAttemptAt = -Infinity;
  /** Why the last attempt failed; cleared by a success. */
  let lastFailure: JwtError | undefined;
  let agent: Agent | undefined;
  let closed = false;

  const getJson: GetJson = async (url) => {
    if (closed) throw new JwtError('ERR_JWKS_UNREACHABLE', `authorizer "${options.authorizer}" is closed`);
    // undici is loaded on the first remote fetch: most gateways never make one, and it costs
    // ~12 MB of memory up front.
    agent ??= new (await import('undici')).Agent({ keepAliveTimeout: 4_000 });
    return fetchJson(url, { dispatcher: agent, timeoutMs: options.fetchTimeoutMs, authorizer: options.authorizer });
  };

  function refresh(): Promise<KeySetSnapshot> {
    if (inflight) return inflight;
    lastAttemptAt = now();
    inflight = (async () => {
      const { jwksUri, jwks, snapshot } = await load();
      const fetchedAt = now();
      current = { snapshot, fetchedAt };
      try {
        await writeCachedJwks(cacheDir, { url: spec.url, jwksUri, fetchedAt, jwks });
      } catch {
        // Best effort: a read-only project dir only loses offline support, not correctness.
      }
      return snapshot;
    })().finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  /** One attempt; its failure, as a JwtError, is kept for the cooldown. */
  async function load(): Promise<{ jwksUri: string; jwks: unknown; snapshot: KeySetSnapshot }> {
    try {
      const { jwksUri, jwks } = await spec.load(getJson);
      const snapshot = createKeySetSnapshot(jwks, jwksUri);
      lastFailure = undefined;
      return { jwksUri, jwks, snapshot };
    } catch (error) {
      lastFailure = error instanceof JwtError ? error : new JwtError('ERR_JWKS_UNREACHABLE', `${spec.description}: ${describeError(error)}`, { cause: error });
      throw lastFailure;
    }
  }

  function refreshInBackground(): void {
    if (inflight || closed || now() - lastAttemptAt < REFETCH_COOLDOWN_MS) return;
    refresh().catch(() => {
      // The stale set keeps serving; the next look-up after the cooldown tries again.
    });
  }

  async function loadFromDisk(): Promise<void> {
    const cached = await readCachedJwks(cacheDir, spec.url);
    if (!cached || current) return;
    try {
      current = { snapshot: createKeySetSnapshot(cached.jwks, cached.jwksUri), fetchedAt: cached.fetchedAt };
    } catch {
      // A corrupt cache file is ignored; the network decides.
    }
  }

  const isFresh = (entry: Current) => now() - entry.fetchedAt < JWKS_CACHE_TTL_MS;

  return {
    description: spec.description,

    async getKeySet() {
      if (!current) {
        diskLoad ??= loadFromDisk();
        await diskLoad;
      }
      if (current) {
        if (!isFresh(current)) {
          if (lastAttemptAt !== -Infinity) {
            refreshInBackground();
            return current.snapshot;
          }
          // First use with only a stale disk copy: try the network once, fall back to the copy.
          try {
            return await refresh();
          } catch {
            return current.snapshot;
          }
        }
        return current.snapshot;
      }
      // No keys at all and the last attempt failed: the cooldown holds for failures too, so a
      // failing or hanging issuer is asked once per cooldown, not once per request.
      const sinceLast = now() - lastAttemptAt;
      if (lastFailure && !inflight && sinceLast < REFETCH_COOLDOWN_MS) {
        throw new JwtError(
          lastFailure.code,
          `${lastFailure.message} (${Math.round(sinceLast / 1000)} s ago; not retried until ${REFETCH_COOLDOWN_MS / 1000} s after the last attempt)`,
          { cause: lastFailure },
        );
      }
      return refresh();
    },

    async refetchForUnknownKid(): Promise<RefetchOutcome> {
      const sinceLast = now() - lastAttemptAt;
      if (!inflight && sinceLast < REFETCH_COOLDOWN_MS) return { kind: 'cooldown', lastFetchAgoMs: sinceLast };
      try {
        return { kind: 'refetched', snapshot: await refresh() };
      } catch (error) {
        return { kind: 'failed', error: describeError(error) };
      }
    },

    close() {
      closed = true;
      agent?.destroy().catch(() => {});
      agent = undefined;
    },
  };
}
