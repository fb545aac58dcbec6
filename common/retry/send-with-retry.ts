import { backoffDelayMs, retryExhausted, type ResolvedRetry } from './retry-policy.js';
import { errorCodeOf, isRetryableError, isRetryableErrorCode } from './retryable-errors.js';

/** An entry the service did not accept in one call, with the code it gave for it. */
export interface FailedEntry<T> {
  readonly entry: T;
  readonly errorCode: string;
}

/** One retry round, as told to `onRetry` (for metrics and logs): never the entries themselves. */
export type RetryRound = {
  /** The attempt that just failed (1-based). */
  readonly attempt: number;
  /** How many entries go again. */
  readonly failed: number;
  readonly errorCode: string;
  /** How long until the next attempt, in milliseconds. */
  readonly delayMs: number;
};

/** Why `sendWithRetry` gave up, for the caller's own error type. */
export interface GiveUp {
  readonly failedCount: number;
  readonly attempts: number;
  readonly lastErrorCode: string;
  /** The error a call threw, when it was a thrown error that ended it. */
  readonly cause?: unknown;
}

export interface SendWithRetryOptions extends ResolvedRetry {
  readonly onRetry?: (round: RetryRound) => void;
  /** Builds the error to throw when giving up (StreamWriteError, FirehoseDeliveryError). */
  readonly giveUp: (reason: GiveUp) => Error;
}

/**
 * Sends entries through a batch call that may accept some and fail others
 * (Kinesis PutRecords, Firehose PutRecordBatch), resending only the failed ones
 * after a backoff, until all are accepted or the attempts (or the time, given a
 * deadline) run out.
 *
 * - A thrown error that is retryable (throttling, HTTP 429 or 5xx, the network)
 *   sends the whole pending set again; any other thrown error gives up at once.
 * - Entries failed with a retryable code go again; an entry failed with any other
 *   code gives up at once, since another attempt cannot pass.
 * - Giving up throws `options.giveUp(…)` with how many entries were not accepted.
 *
 * @param send one call over the pending entries, resolving with those it failed.
 */
export async function sendWithRetry<T>(
  entries: readonly T[],
  send: (pending: readonly T[]) => Promise<readonly FailedEntry<T>[]>,
  options: SendWithRetryOptions,
): Promise<void> {
  let pending = entries;
  for (let attempt = 1; ; attempt++) {
    const round = await attemptOnce(pending, send, attempt, options.giveUp);
    if (round.failed.length === 0) return;
    const delayMs = backoffDelayMs(attempt, options, options.random);
    if (retryExhausted(attempt, delayMs, options)) throw options.giveUp({ failedCount: round.failed.length, attempts: attempt, lastErrorCode: round.errorCode });
    options.onRetry?.({ attempt, failed: round.failed.length, errorCode: round.errorCode, delayMs });
    pending = round.failed;
    await options.sleep(delayMs);
  }
}

/** One call: what is left to send again and why, or a thrown give-up when another attempt cannot pass. */
async function attemptOnce<T>(
  pending: readonly T[],
  send: (pending: readonly T[]) => Promise<readonly FailedEntry<T>[]>,
  attempt: number,
  giveUp: (reason: GiveUp) => Error,
): Promise<{ readonly failed: readonly T[]; readonly errorCode: string }> {
  let failures: readonly FailedEntry<T>[];
  try {
    failures = await send(pending);
  } catch (error) {
    const errorCode = errorCodeOf(error);
    if (!isRetryableError(error)) throw giveUp({ failedCount: pending.length, attempts: attempt, lastErrorCode: errorCode, cause: error });
    return { failed: pending, errorCode };
  }
  const fatal = failures.find((failure) => !isRetryableErrorCode(failure.errorCode));
  if (fatal) throw giveUp({ failedCount: failures.length, attempts: attempt, lastErrorCode: fatal.errorCode });
  return { failed: failures.map((failure) => failure.entry), errorCode: failures[0]?.errorCode ?? '' };
}

/** A batch call answered with a different number of results than entries sent: nothing can be paired, so nothing is retried. */
export class ResponseLengthMismatchError extends Error {
  constructor(
    readonly sent: number,
    readonly answered: number,
  ) {
    super(`sent ${sent} entries but got ${answered} results`);
    this.name = 'ResponseLengthMismatchError';
  }
}

/**
 * Pairs a batch call's per-entry results with the entries sent (PutRecords and
 * PutRecordBatch answer in order, one result per entry) and returns the failed
 * ones with their `ErrorCode`. Throws ResponseLengthMismatchError when the counts differ.
 */
export function failedEntries<T>(pending: readonly T[], results: readonly { readonly ErrorCode?: string }[]): FailedEntry<T>[] {
  if (results.length !== pending.length) throw new ResponseLengthMismatchError(pending.length, results.length);
  const failed: FailedEntry<T>[] = [];
  results.forEach((result, index) => {
    if (result.ErrorCode) failed.push({ entry: pending[index] as T, errorCode: result.ErrorCode });
  });
  return failed;
}
