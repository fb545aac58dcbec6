import { describe, expect, it } from 'vitest';
import { createJsonLogger } from '../logging/structured-logger.js';
import { retryReporter } from './retry-reporter.js';
import type { RetryRound } from './send-with-retry.js';

describe('Function: retryReporter', () => {
  it('counts the entries sent again and logs the round at WARN', () => {
    // Prepare
    const lines: Record<string, unknown>[] = [];
    const counted: number[] = [];
    const logger = createJsonLogger({ service: 'sales-transform', write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>), clock: () => new Date(0) });
    const onRetry = retryReporter<RetryRound & { deliveryStream: string }>(logger, 'delivery retry', (entries) => counted.push(entries));

    // Act
    onRetry({ deliveryStream: 'sc-sales', attempt: 2, failed: 7, errorCode: 'ServiceUnavailableException', delayMs: 150 });

    // Assess
    expect(counted).toEqual([7]);
    expect(lines).toEqual([
      { level: 'WARN', message: 'delivery retry', service: 'sales-transform', timestamp: '1970-01-01T00:00:00.000Z', deliveryStream: 'sc-sales', attempt: 2, failed: 7, errorCode: 'ServiceUnavailableException', delayMs: 150 },
    ]);
  });

  it('logs without counting when given no counter', () => {
    const lines: string[] = [];
    retryReporter(createJsonLogger({ service: 's', write: (line) => lines.push(line) }), 'stream retry')({ attempt: 1, failed: 1, errorCode: 'InternalFailure', delayMs: 0 });
    expect(lines).toHaveLength(1);
  });
});
