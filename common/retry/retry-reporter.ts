import type { LogAttributes, StructuredLogger } from '../logging/structured-logger.js';
import type { RetryRound } from './send-with-retry.js';

/**
 * The `onRetry` hook the handlers wire into the Kinesis writer and the Firehose
 * sink: each retry round is logged at WARN with its attempt, count, error code and
 * delay (and any extra fields of the round, such as the delivery stream), and the
 * entries sent again are counted by `countRetried` (a metric).
 */
export function retryReporter<R extends RetryRound>(
  logger: StructuredLogger,
  message: string,
  countRetried: (entries: number) => void = () => undefined,
): (round: R) => void {
  return (round) => {
    countRetried(round.failed);
    logger.warn(message, round as R & LogAttributes);
  };
}
