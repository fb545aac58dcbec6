/**
 * How a client retries: a bounded number of attempts, with exponential backoff and
 * full jitter between them (the AWS Architecture Blog's "Exponential Backoff And
 * Jitter": a random wait in [0, min(cap, base × 2^attempt)), so clients that failed
 * together do not retry together).
 */
export interface RetryPolicy {
  /** Attempts in all, the first included (at least 1). */
  readonly maxAttempts: number;
  /** The backoff ceiling after the first attempt is `2 × baseDelayMs`, doubling each attempt. */
  readonly baseDelayMs: number;
  /** The most any one wait may be, in milliseconds. */
  readonly maxDelayMs: number;
}

/** What a retrying client can be given: its policy, overridable per field, and the clock and dice (for tests). */
export interface RetryOptions {
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Waits `ms` milliseconds; `setTimeout` unless a test injects its own. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** A number in [0, 1); `Math.random` unless a test injects its own. */
  readonly random?: () => number;
  /**
   * When to stop retrying (ms since the epoch), read at each retry: with one, the
   * client retries while the next attempt would start before it (the consumer passes
   * its invocation's deadline less a margin, so a throttled burst is retried for as
   * long as the invocation may run); without one (undefined), `maxAttempts` bounds it.
   */
  readonly deadline?: () => number | undefined;
  /** The clock the deadline is read against; `Date.now` unless a test injects its own. */
  readonly now?: () => number;
}

/** A policy with its sleep, random and clock resolved: what `sendWithRetry` runs on. */
export interface ResolvedRetry extends RetryPolicy {
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly deadline?: () => number | undefined;
  readonly now?: () => number;
}

/** Out of budget after `attempt` failed, with `delayMs` to wait: past the deadline once the wait is over, or, without one, out of attempts. */
export function retryExhausted(attempt: number, delayMs: number, retry: ResolvedRetry): boolean {
  const deadline = retry.deadline?.();
  return deadline === undefined ? attempt >= retry.maxAttempts : (retry.now ?? Date.now)() + delayMs >= deadline;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The caller's options over a client's defaults. Throws a RangeError for fewer than
 * one attempt or a negative delay: a policy that cannot run is a configuration fault.
 */
export function resolveRetry(options: RetryOptions, defaults: RetryPolicy): ResolvedRetry {
  const policy = {
    maxAttempts: options.maxAttempts ?? defaults.maxAttempts,
    baseDelayMs: options.baseDelayMs ?? defaults.baseDelayMs,
    maxDelayMs: options.maxDelayMs ?? defaults.maxDelayMs,
  };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) throw new RangeError(`maxAttempts must be a whole number of at least 1, not ${policy.maxAttempts}`);
  if (policy.baseDelayMs < 0 || policy.maxDelayMs < 0) throw new RangeError('retry delays cannot be negative');
  return { ...policy, sleep: options.sleep ?? sleepFor, random: options.random ?? Math.random, deadline: options.deadline ?? (() => undefined), now: options.now ?? Date.now };
}

/** The wait after the given failed attempt (1-based), in whole milliseconds: full jitter under a capped exponential ceiling. */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
}
