import { describe, expect, it } from 'vitest';
import { VerifiedTokenCache, type VerifiedToken } from './token-cache.js';

const entry = (expiresAtMs: number): VerifiedToken => ({ expiresAtMs, rawClaims: {}, claims: {}, tokenScopes: [] });

describe('verified-token cache', () => {
  it('drops an entry at the token exp', () => {
    const cache = new VerifiedTokenCache();
    cache.set('t', entry(1_000));
    expect(cache.get('t', 999)).toBeDefined();
    expect(cache.get('t', 1_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('is bounded: the oldest insertion is evicted first', () => {
    const cache = new VerifiedTokenCache(2);
    cache.set('a', entry(10));
    cache.set('b', entry(10));
    cache.set('a', entry(10)); // re-setting an existing key evicts nothing
    expect(cache.size).toBe(2);
    cache.set('c', entry(10));
    expect(cache.size).toBe(2);
    expect(cache.get('a', 0)).toBeUndefined();
    expect(cache.get('b', 0)).toBeDefined();
    expect(cache.get('c', 0)).toBeDefined();
  });
});
