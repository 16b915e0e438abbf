import { describe, expect, it } from 'vitest';
import { AuthorizerCache } from './cache.js';

describe('§5.4 the authorizer result cache', () => {
  it('keeps a result for the TTL, keyed by identity values', () => {
    const cache = new AuthorizerCache<string>();
    const key = AuthorizerCache.keyOf(['Bearer a', 'x']);
    cache.set(key, 'allow', 300_000, 1000);
    expect(cache.get(key, 1000 + 299_999)).toBe('allow');
    expect(cache.get(AuthorizerCache.keyOf(['Bearer a']), 2000)).toBeUndefined();
    expect(cache.get(key, 1000 + 300_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keys cannot collide whatever the values contain', () => {
    expect(AuthorizerCache.keyOf(['a,b'])).not.toBe(AuthorizerCache.keyOf(['a', 'b']));
    expect(AuthorizerCache.keyOf(['a"', 'b'])).not.toBe(AuthorizerCache.keyOf(['a', '"b']));
  });

  it('a TTL of 0 caches nothing', () => {
    const cache = new AuthorizerCache<string>();
    cache.set('k', 'v', 0, 0);
    expect(cache.get('k', 0)).toBeUndefined();
  });

  it('is bounded: the oldest entry goes first', () => {
    const cache = new AuthorizerCache<number>(3);
    for (let i = 0; i < 5; i++) cache.set(`k${i}`, i, 60_000, 0);
    expect(cache.size).toBe(3);
    expect(cache.get('k0', 1)).toBeUndefined();
    expect(cache.get('k4', 1)).toBe(4);
  });
});
