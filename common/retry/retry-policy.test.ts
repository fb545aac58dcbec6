import { describe, expect, it } from 'vitest';
import { backoffDelayMs, resolveRetry, type RetryPolicy } from './retry-policy.js';

const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 };

describe('Function: backoffDelayMs', () => {
  it('doubles the ceiling each attempt, up to the cap', () => {
    // Act
    const ceilings = [1, 2, 3, 4, 5].map((attempt) => backoffDelayMs(attempt, policy, () => 0.999_999));

    // Assess
    expect(ceilings).toEqual([199, 399, 799, 999, 999]);
  });

  it('waits a random share of the ceiling (full jitter), in whole milliseconds', () => {
    expect(backoffDelayMs(1, policy, () => 0.5)).toBe(100);
    expect(backoffDelayMs(2, policy, () => 0.25)).toBe(100);
    expect(backoffDelayMs(3, policy, () => 0.3333)).toBe(266);
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0);
  });
});

describe('Function: resolveRetry', () => {
  it('takes each field from the options over the defaults', () => {
    // Prepare
    const sleep = async () => undefined;
    const random = () => 0.1;

    // Act
    const deadline = () => 5_000;
    const now = () => 1_000;
    const resolved = resolveRetry({ maxAttempts: 2, sleep, random, deadline, now }, policy);

    // Assess
    expect(resolved).toEqual({ maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 1_000, sleep, random, deadline, now });
  });

  it('keeps the defaults and the real clock and dice when given nothing', async () => {
    const resolved = resolveRetry({}, policy);
    expect(resolved).toMatchObject(policy);
    expect(resolved.random).toBe(Math.random);
    await expect(resolved.sleep(1)).resolves.toBeUndefined();
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses %s attempts', (maxAttempts) => {
    expect(() => resolveRetry({ maxAttempts }, policy)).toThrow(RangeError);
  });

  it('accepts a single attempt and zero delays', () => {
    expect(resolveRetry({ maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 }, policy)).toMatchObject({ maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 });
  });

  it.each([{ baseDelayMs: -1 }, { maxDelayMs: -1 }])('refuses a negative delay %o', (delays) => {
    expect(() => resolveRetry(delays, policy)).toThrow('retry delays cannot be negative');
  });
});
