/**
 * A token bucket per till, in process memory: each sale costs a token, tokens
 * refill at `salesPerSecond` up to `burst`. A till catching up after an outage
 * gets its burst at once, then the steady rate. In Lambda each instance keeps its
 * own buckets, so there the API Gateway route throttle is the hard ceiling and this
 * is a per-instance guard.
 */
export interface RateLimitOptions {
  /** Sustained sales per second per till. */
  readonly salesPerSecond: number;
  /** Bucket size: the most sales a till may post at once; at least one full batch. */
  readonly burst: number;
}

export type RateDecision = { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number };

export interface RateLimiter {
  /** Takes `cost` tokens from `key`'s bucket if it has them; otherwise says when it will. */
  take(key: string, cost: number, nowMs: number): RateDecision;
}

/** Defaults: a busy till sells a few items a minute; 50/s with a burst of 200 leaves room for catch-up batches. */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { salesPerSecond: 50, burst: 200 };

const MAX_BUCKETS = 50_000;

/** A token-bucket limiter (see module comment). */
export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  if (!(options.salesPerSecond > 0) || !(options.burst >= 1)) throw new RangeError('rate limit needs salesPerSecond > 0 and burst >= 1');
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = options.salesPerSecond / 1000;

  const prune = (nowMs: number) => {
    // Full buckets carry no state worth keeping: drop them before growing further.
    for (const [key, bucket] of buckets) if (bucket.tokens + (nowMs - bucket.at) * perMs >= options.burst) buckets.delete(key);
    if (buckets.size >= MAX_BUCKETS) buckets.clear();
  };

  return {
    take(key, cost, nowMs) {
      let bucket = buckets.get(key);
      if (!bucket) {
        if (buckets.size >= MAX_BUCKETS) prune(nowMs);
        bucket = { tokens: options.burst, at: nowMs };
        buckets.set(key, bucket);
      }
      bucket.tokens = Math.min(options.burst, bucket.tokens + Math.max(0, nowMs - bucket.at) * perMs);
      bucket.at = Math.max(bucket.at, nowMs);
      // A request bigger than the bucket could never pass: let it through when the bucket is full.
      const needed = Math.min(cost, options.burst);
      if (bucket.tokens >= needed) {
        bucket.tokens -= needed;
        return { ok: true };
      }
      return { ok: false, retryAfterMs: Math.ceil((needed - bucket.tokens) / perMs) };
    },
  };
}
