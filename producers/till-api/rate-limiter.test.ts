import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter.js';

describe('Function: createRateLimiter', () => {
  it('allows a burst, then the steady rate', () => {
    // Prepare
    const limiter = createRateLimiter({ salesPerSecond: 10, burst: 5 });
    // Act
    const burst = Array.from({ length: 5 }, () => limiter.take('till', 1, 0).ok);
    const over = limiter.take('till', 1, 0);
    const later = limiter.take('till', 1, 100);
    // Assess
    expect(burst).toEqual([true, true, true, true, true]);
    expect(over).toEqual({ ok: false, retryAfterMs: 100 });
    expect(later.ok).toBe(true);
  });

  it('keeps tills apart', () => {
    const limiter = createRateLimiter({ salesPerSecond: 1, burst: 1 });
    expect(limiter.take('a', 1, 0).ok).toBe(true);
    expect(limiter.take('a', 1, 0).ok).toBe(false);
    expect(limiter.take('b', 1, 0).ok).toBe(true);
  });

  it('charges a batch by its sales, and lets a batch larger than the bucket through a full bucket', () => {
    const limiter = createRateLimiter({ salesPerSecond: 10, burst: 20 });
    expect(limiter.take('till', 15, 0).ok).toBe(true);
    expect(limiter.take('till', 10, 0)).toEqual({ ok: false, retryAfterMs: 500 });
    expect(limiter.take('till', 100, 2_000).ok).toBe(true);
  });

  it('refuses nonsense settings', () => {
    expect(() => createRateLimiter({ salesPerSecond: 0, burst: 1 })).toThrow(RangeError);
    expect(() => createRateLimiter({ salesPerSecond: 1, burst: 0 })).toThrow(RangeError);
  });
});
