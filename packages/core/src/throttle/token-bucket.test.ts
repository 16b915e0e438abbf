import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';

describe('§7.1 throttling: a token bucket per route', () => {
  it('lets a burst through, then the rate', () => {
    const bucket = new TokenBucket({ rateLimit: 2, burstLimit: 3 });
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([true, true, true, false]);
    expect(bucket.take(499)).toBe(false);
    expect(bucket.take(500)).toBe(true);
    expect(bucket.take(500)).toBe(false);
  });

  it('refills to the burst limit at most', () => {
    const bucket = new TokenBucket({ rateLimit: 100, burstLimit: 2 });
    bucket.take(0);
    const results = [bucket.take(60_000), bucket.take(60_000), bucket.take(60_000)];
    expect(results).toEqual([true, true, false]);
  });

  it('a burst limit of 0 throttles everything', () => {
    const bucket = new TokenBucket({ rateLimit: 1000, burstLimit: 0 });
    expect(bucket.take(0)).toBe(false);
    expect(bucket.take(10_000)).toBe(false);
  });

  it('a clock going backwards never mints tokens', () => {
    const bucket = new TokenBucket({ rateLimit: 1, burstLimit: 1 });
    expect(bucket.take(10_000)).toBe(true);
    expect(bucket.take(5_000)).toBe(false);
    expect(bucket.take(10_500)).toBe(false);
    expect(bucket.take(11_000)).toBe(true);
  });
});
