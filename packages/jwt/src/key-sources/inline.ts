import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { JwtError, describeError } from '../errors.js';
import type { KeySetSnapshot, KeySource } from './types.js';

/**
 * Validates a JWKS and wraps it for look-ups. Throws `ERR_JWKS_INVALID` naming `origin`.
 */
export function createKeySetSnapshot(jwks: unknown, origin: string): KeySetSnapshot {
  const keys = (jwks as { keys?: unknown } | null)?.keys;
  if (typeof jwks !== 'object' || jwks === null || !Array.isArray(keys)) {
    throw new JwtError('ERR_JWKS_INVALID', `JWKS from ${origin} is not a JSON Web Key Set (expected an object with a "keys" array)`);
  }
  (keys as unknown[]).forEach((key, index) => {
    const problem = describeKeyProblem(key);
    if (problem) throw new JwtError('ERR_JWKS_INVALID', `JWKS from ${origin}: key ${index} ${problem}`);
  });
  let resolve;
  try {
    resolve = createLocalJWKSet(jwks as JSONWebKeySet);
  } catch (error) {
    throw new JwtError('ERR_JWKS_INVALID', `JWKS from ${origin} is malformed: ${describeError(error)}`, { cause: error });
  }
  const kids = new Set<string>();
  for (const key of keys as unknown[]) {
    const kid = (key as { kid?: unknown } | null)?.kid;
    if (typeof kid === 'string') kids.add(kid);
  }
  return { origin, kids, resolve };
}

/** Keys given in the config itself (`"jwks": { "keys": [...] }`). */
export function createInlineKeySource(jwks: { keys: object[] }): KeySource {
  const snapshot = createKeySetSnapshot(jwks, 'inline JWKS');
  return {
    description: 'inline JWKS',
    getKeySet: () => Promise.resolve(snapshot),
    refetchForUnknownKid: () => Promise.resolve({ kind: 'static' }),
    close: () => {},
  };
}

/** Cheap structural checks, so a broken set fails when loaded rather than on some later request. */
function describeKeyProblem(key: unknown): string | undefined {
  if (typeof key !== 'object' || key === null || Array.isArray(key)) return 'is not an object';
  const { kty, n, e, d, k } = key as Record<string, unknown>;
  if (typeof kty !== 'string') return 'has no "kty"';
  if (d !== undefined || k !== undefined) return 'contains private key material; a JWKS must hold public keys only';
  if (kty === 'RSA' && (typeof n !== 'string' || typeof e !== 'string')) return 'is an RSA key without "n" and "e"';
  return undefined;
}
