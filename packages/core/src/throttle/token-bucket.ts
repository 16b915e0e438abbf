/**
 * API Gateway's throttle (§7.1, D-throttle): a token bucket per route (or per stage default)
 * that holds at most `burstLimit` requests and refills at `rateLimit` per second; a request
 * finding it empty gets 429 `{"message":"Too Many Requests"}`. The bucket starts full. Time is
 * passed in (milliseconds, any monotonic clock).
 */
export class TokenBucket {
  readonly rateLimit: number;
  readonly burstLimit: number;
  #tokens: number;
  #at: number | undefined;

  constructor(limits: { rateLimit: number; burstLimit: number }) {
    this.rateLimit = limits.rateLimit;
    this.burstLimit = limits.burstLimit;
    this.#tokens = limits.burstLimit;
  }

  /** Takes one request's token; false when the request is throttled. */
  take(nowMs: number): boolean {
    if (this.#at !== undefined && nowMs > this.#at) {
      this.#tokens = Math.min(this.burstLimit, this.#tokens + ((nowMs - this.#at) / 1000) * this.rateLimit);
    }
    if (this.#at === undefined || nowMs > this.#at) this.#at = nowMs;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
