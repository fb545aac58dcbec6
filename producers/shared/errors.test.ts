import { describe, expect, it } from 'vitest';
import { FileRefusedError, ProducerError, StreamWriteError } from './errors.js';

describe('Errors: producers', () => {
  it.each([
    { error: () => new StreamWriteError(3, 8, 'ProvisionedThroughputExceededException'), name: 'StreamWriteError', message: '3 stream record(s) not accepted after 8 attempt(s) (last error: ProvisionedThroughputExceededException)' },
    { error: () => new StreamWriteError(1, 1, undefined), name: 'StreamWriteError', message: '1 stream record(s) not accepted after 1 attempt(s) (last error: unknown)' },
    { error: () => new FileRefusedError('uploads/leeds/2026-03-01.csv', 'file_binary', 'not text'), name: 'FileRefusedError', message: 'uploads/leeds/2026-03-01.csv: refused (file_binary): not text' },
    { error: () => new ProducerError('bad'), name: 'ProducerError', message: 'bad' },
  ])('$name says what failed, counting and naming, never content', ({ error: make, name, message }) => {
    // Made inside the test (not in the table) so that the mutation run sees the constructor run under it.
    const error = make();
    expect(error).toBeInstanceOf(ProducerError);
    expect([error.name, error.message]).toEqual([name, message]);
    expect(String(error)).toBe(`${name}: ${message}`);
  });

  it('keeps the cause and the counts of a stream write that failed', () => {
    const cause = new Error('socket hang up');
    const error = new StreamWriteError(2, 4, 'NetworkingError', { cause });
    expect([error.failedCount, error.attempts, error.lastErrorCode, error.cause]).toEqual([2, 4, 'NetworkingError', cause]);
  });

  it("starts a refused file's receipt empty", () => {
    expect(new FileRefusedError('f.csv', 'file_empty', 'no lines').receipt.size).toBe(0);
  });
});
