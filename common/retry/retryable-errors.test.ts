import { describe, expect, it } from 'vitest';
import { RetryableErrorCode, errorCodeOf, httpStatusOf, isRetryableError, isRetryableErrorCode } from './retryable-errors.js';

const named = (name: string, extra: object = {}) => Object.assign(new Error('message that is never used'), { name }, extra);
const withStatus = (httpStatusCode: number, name = 'SomeServiceException') => named(name, { $metadata: { httpStatusCode } });

describe('Function: isRetryableError', () => {
  it.each([
    ['throttling', named('ThrottlingException')],
    ['Kinesis throughput', named('ProvisionedThroughputExceededException')],
    ['Kinesis KMS throttling', named('KMSThrottlingException')],
    ['service unavailable', named('ServiceUnavailable')],
    ['Firehose service unavailable', named('ServiceUnavailableException')],
    ['internal failure', named('InternalFailure')],
    ['the SDK timing out', named('TimeoutError')],
    ['a reset connection (Node code)', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a refused connection (Node code)', Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })],
    ['HTTP 429 under any name', withStatus(429)],
    ['HTTP 500', withStatus(500)],
    ['HTTP 503', withStatus(503)],
    ['HTTP 599', withStatus(599)],
  ])('retries %s', (_case, error) => {
    expect(isRetryableError(error)).toBe(true);
  });

  it.each([
    ['a missing resource', named('ResourceNotFoundException')],
    ['a validation error', named('ValidationException')],
    ['denied access', named('AccessDeniedException')],
    ['HTTP 400', withStatus(400)],
    ['HTTP 428', withStatus(428)],
    ['HTTP 430', withStatus(430)],
    ['HTTP 499', withStatus(499)],
    ['HTTP 600', withStatus(600)],
    ['a status that is not a number', named('X', { $metadata: { httpStatusCode: '503' } })],
    ['a plain Error', new Error('boom')],
    ['a string', 'ThrottlingException'],
    ['null', null],
    ['undefined', undefined],
  ])('does not retry %s', (_case, error) => {
    expect(isRetryableError(error)).toBe(false);
  });
});

describe('Function: isRetryableErrorCode', () => {
  it('accepts every listed code and nothing else', () => {
    for (const code of Object.values(RetryableErrorCode)) expect(isRetryableErrorCode(code)).toBe(true);
    expect(isRetryableErrorCode('KMSAccessDeniedException')).toBe(false);
    expect(isRetryableErrorCode('')).toBe(false);
    expect(isRetryableErrorCode(undefined)).toBe(false);
  });

  it('lists the codes the issue names', () => {
    expect(Object.values(RetryableErrorCode)).toEqual(
      expect.arrayContaining(['ThrottlingException', 'ProvisionedThroughputExceededException', 'ServiceUnavailable', 'ServiceUnavailableException', 'InternalFailure', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE']),
    );
  });
});

describe('Function: errorCodeOf', () => {
  it('prefers a known network code over the error name', () => {
    expect(errorCodeOf(Object.assign(new Error('x'), { code: 'ETIMEDOUT' }))).toBe('ETIMEDOUT');
  });
  it('uses the name otherwise', () => {
    expect(errorCodeOf(Object.assign(new Error('x'), { code: 'ERR_SOMETHING_ELSE' }))).toBe('Error');
    expect(errorCodeOf(named('ResourceNotFoundException'))).toBe('ResourceNotFoundException');
  });
  it('falls back to an unknown code, then to Error', () => {
    expect(errorCodeOf({ name: '', code: 'ERR_X' })).toBe('ERR_X');
    expect(errorCodeOf({ name: 42, code: '' })).toBe('Error');
    expect(errorCodeOf('text')).toBe('Error');
    expect(errorCodeOf(null)).toBe('Error');
  });
  it('never returns the message', () => {
    expect(errorCodeOf(new Error('Ada Lovelace 4111111111111111'))).toBe('Error');
  });
});

describe('Function: httpStatusOf', () => {
  it('reads the SDK metadata status', () => {
    expect(httpStatusOf(withStatus(503))).toBe(503);
    expect(httpStatusOf(new Error('x'))).toBeUndefined();
    expect(httpStatusOf(undefined)).toBeUndefined();
  });
});
