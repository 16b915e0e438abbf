import { isAbsolute, join, resolve } from 'node:path';
import { createDiscoveryKeySource } from './discovery.js';
import { createFileKeySource } from './file.js';
import { createInlineKeySource } from './inline.js';
import { createUrlKeySource } from './url.js';
import type { KeySource, RemoteSourceOptions } from './types.js';

export type { KeySetSnapshot, KeySource, RefetchOutcome } from './types.js';
export { discoveryUrl } from './discovery.js';
export { DEFAULT_FETCH_TIMEOUT_MS, MAX_RESPONSE_BYTES } from './fetch-json.js';
export { JWKS_CACHE_TTL_MS, cacheFilePath } from './cache.js';
export { REFETCH_COOLDOWN_MS } from './remote.js';

export interface KeySourceSpec {
  authorizer: string;
  issuer: string;
  jwks: string | { keys: object[] } | undefined;
  baseDir: string;
  now: () => number;
  fetchTimeoutMs: number;
}

/** The `.localgw/` folder of a project: the dev key and the JWKS cache live here. */
export function localgwDir(baseDir: string): string {
  return join(baseDir, '.localgw');
}

/**
 * Picks the source the config describes: an object is an inline set, an `http(s)://` string a
 * URL, any other string a file relative to `baseDir`, and no `jwks` means OIDC discovery.
 * Inline and file sets are validated here, synchronously.
 */
export function createKeySource(spec: KeySourceSpec): KeySource {
  const { jwks } = spec;
  if (typeof jwks === 'object') return createInlineKeySource(jwks);
  const remote: RemoteSourceOptions = {
    authorizer: spec.authorizer,
    cacheDir: join(localgwDir(spec.baseDir), 'jwks-cache'),
    now: spec.now,
    fetchTimeoutMs: spec.fetchTimeoutMs,
  };
  if (jwks === undefined) return createDiscoveryKeySource(spec.issuer, remote);
  if (/^https?:\/\//i.test(jwks)) return createUrlKeySource(jwks, remote);
  return createFileKeySource(isAbsolute(jwks) ? jwks : resolve(spec.baseDir, jwks));
}
