import { describe, expect, it } from 'vitest';
import type { ResolvedRetry } from './retry-policy.js';
import { ResponseLengthMismatchError, failedEntries, sendWithRetry, type FailedEntry, type GiveUp, type RetryRound } from './send-with-retry.js';

class GaveUpError extends Error {
  constructor(readonly reason: GiveUp) {
    super('gave up');
  }
}

/** A run of sendWithRetry over a scripted service: each call answers with the next step. */
function harness(steps: ((pending: readonly string[]) => readonly FailedEntry<string>[])[], retry: Partial<ResolvedRetry> & { onRetry?: undefined } = {}) {
  const calls: (readonly string[])[] = [];
  const delays: number[] = [];
  const rounds: RetryRound[] = [];
  const run = (entries: readonly string[]) =>
    sendWithRetry(
      entries,
      async (pending) => {
        calls.push(pending);
        const step = steps[calls.length - 1];
        if (!step) throw new Error(`unexpected call ${calls.length}`);
        return step(pending);
      },
      {
        maxAttempts: 4,
        baseDelayMs: 100,
        maxDelayMs: 1_000,
        random: () => 0.5,
        sleep: async (ms) => {
          delays.push(ms);
        },
        onRetry: (round) => rounds.push(round),
        giveUp: (reason) => new GaveUpError(reason),
        ...retry,
      },
    );
  return { run, calls, delays, rounds };
}

const throwing = (error: unknown) => () => {
  throw error;
};
const accepted = () => [];
const failing = (code: string, ...indexes: number[]) => (pending: readonly string[]) =>
  indexes.map((index) => ({ entry: pending[index] as string, errorCode: code }));
const named = (name: string, extra: object = {}) => Object.assign(new Error(name), { name }, extra);

/** Why the run gave up; fails the test if it did not. */
const reasonOf = (outcome: Promise<void>): Promise<GiveUp> =>
  outcome.then(
    () => expect.fail('expected the run to give up'),
    (error: unknown) => {
      expect(error).toBeInstanceOf(GaveUpError);
      return (error as GaveUpError).reason;
    },
  );

describe('Function: sendWithRetry', () => {
  it('sends once when everything is accepted', async () => {
    // Prepare
    const test = harness([accepted]);

    // Act
    await test.run(['a', 'b']);

    // Assess
    expect(test.calls).toEqual([['a', 'b']]);
    expect(test.delays).toEqual([]);
    expect(test.rounds).toEqual([]);
  });

  it('resends only the entries that failed, after a jittered backoff', async () => {
    // Prepare
    const test = harness([failing('ProvisionedThroughputExceededException', 1, 3), failing('InternalFailure', 0), accepted]);

    // Act
    await test.run(['a', 'b', 'c', 'd']);

    // Assess
    expect(test.calls).toEqual([['a', 'b', 'c', 'd'], ['b', 'd'], ['b']]);
    expect(test.delays).toEqual([100, 200]);
    expect(test.rounds).toEqual([
      { attempt: 1, failed: 2, errorCode: 'ProvisionedThroughputExceededException', delayMs: 100 },
      { attempt: 2, failed: 1, errorCode: 'InternalFailure', delayMs: 200 },
    ]);
  });

  it.each([
    ['throttled', named('ThrottlingException')],
    ['HTTP 429', named('TooManyRequests', { $metadata: { httpStatusCode: 429 } })],
    ['HTTP 502', named('BadGateway', { $metadata: { httpStatusCode: 502 } })],
    ['a network error', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
  ])('sends the whole call again when it is %s', async (_case, error) => {
    // Prepare
    const test = harness([throwing(error), accepted]);

    // Act
    await test.run(['a', 'b']);

    // Assess
    expect(test.calls).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
    expect(test.delays).toEqual([100]);
  });

  it('gives up after the last attempt, naming how many were not accepted and the last code', async () => {
    // Prepare
    const test = harness([failing('InternalFailure', 0, 1), failing('InternalFailure', 0, 1), failing('InternalFailure', 0), failing('ServiceUnavailable', 0)]);

    // Act
    const outcome = test.run(['a', 'b', 'c']);

    // Assess
    expect(await reasonOf(outcome)).toEqual({ failedCount: 1, attempts: 4, lastErrorCode: 'ServiceUnavailable' });
    expect(test.calls).toHaveLength(4);
    expect(test.delays).toEqual([100, 200, 400]);
  });

  it('gives up at once on a thrown error that cannot pass, keeping it as the cause', async () => {
    // Prepare
    const error = named('ResourceNotFoundException');
    const test = harness([throwing(error)]);

    // Act
    const outcome = test.run(['a', 'b']);

    // Assess
    expect(await reasonOf(outcome)).toEqual({ failedCount: 2, attempts: 1, lastErrorCode: 'ResourceNotFoundException', cause: error });
    expect(test.calls).toHaveLength(1);
    expect(test.delays).toEqual([]);
  });

  it('gives up at once when an entry fails with a code that cannot pass', async () => {
    // Prepare
    const test = harness([(pending) => [...failing('InternalFailure', 0)(pending), ...failing('KMSAccessDeniedException', 2)(pending)]]);

    // Act
    const outcome = test.run(['a', 'b', 'c']);

    // Assess
    expect(await reasonOf(outcome)).toEqual({ failedCount: 2, attempts: 1, lastErrorCode: 'KMSAccessDeniedException' });
    expect(test.calls).toHaveLength(1);
  });

  it('with one attempt, never waits', async () => {
    const test = harness([throwing(named('ThrottlingException'))], { maxAttempts: 1 });
    expect(await reasonOf(test.run(['a']))).toEqual({ failedCount: 1, attempts: 1, lastErrorCode: 'ThrottlingException' });
    expect(test.calls).toHaveLength(1);
    expect(test.delays).toEqual([]);
  });

  it('works without an onRetry listener', async () => {
    const test = harness([failing('InternalFailure', 0), accepted], { onRetry: undefined });
    await test.run(['a']);
    expect(test.calls).toEqual([['a'], ['a']]);
  });
});

describe('Function: failedEntries', () => {
  it('pairs results with entries by position and keeps the failed ones with their codes', () => {
    expect(failedEntries(['a', 'b', 'c'], [{}, { ErrorCode: 'InternalFailure' }, { ErrorCode: '' }])).toEqual([{ entry: 'b', errorCode: 'InternalFailure' }]);
  });

  it('refuses a response with another number of results', () => {
    const act = () => failedEntries(['a', 'b'], [{}]);
    expect(act).toThrow(ResponseLengthMismatchError);
    expect(act).toThrow('sent 2 entries but got 1 results');
  });
});
