/**
 * Which AWS errors are worth another try, for every client that retries by hand
 * (the Kinesis writer, the Firehose sink). The codes follow the AWS SDK's own
 * classification (`@smithy/service-error-classification`: throttling, transient
 * and server errors) plus the Kinesis and Firehose per-record codes, so a call-level
 * error and a per-record `ErrorCode` are judged by the same list.
 */

/** Error codes (an error's `name` or `code`, or a per-record `ErrorCode`) that a later attempt may pass. */
export const RetryableErrorCode = {
  // Throttling: the service asks us to slow down.
  Throttling: 'Throttling',
  ThrottlingException: 'ThrottlingException',
  ThrottledException: 'ThrottledException',
  TooManyRequestsException: 'TooManyRequestsException',
  RequestLimitExceeded: 'RequestLimitExceeded',
  LimitExceededException: 'LimitExceededException',
  ProvisionedThroughputExceededException: 'ProvisionedThroughputExceededException',
  KMSThrottlingException: 'KMSThrottlingException',
  SlowDown: 'SlowDown',
  // The service is having trouble.
  ServiceUnavailable: 'ServiceUnavailable',
  ServiceUnavailableException: 'ServiceUnavailableException',
  InternalFailure: 'InternalFailure',
  InternalServerError: 'InternalServerError',
  InternalError: 'InternalError',
  // The request or the connection timed out or dropped.
  RequestTimeout: 'RequestTimeout',
  RequestTimeoutException: 'RequestTimeoutException',
  TimeoutError: 'TimeoutError',
  ECONNRESET: 'ECONNRESET',
  ECONNREFUSED: 'ECONNREFUSED',
  ETIMEDOUT: 'ETIMEDOUT',
  EPIPE: 'EPIPE',
  EAI_AGAIN: 'EAI_AGAIN',
} as const;

export type RetryableErrorCodeName = (typeof RetryableErrorCode)[keyof typeof RetryableErrorCode];

const RETRYABLE_CODES: ReadonlySet<string> = new Set(Object.values(RetryableErrorCode));

/** HTTP 429 Too Many Requests: throttling, whatever the error's name. */
const HTTP_TOO_MANY_REQUESTS = 429;
/** HTTP 5xx: the server's fault, so the same request may pass later. */
const HTTP_SERVER_ERROR_MIN = 500;
const HTTP_SERVER_ERROR_MAX = 599;

interface ErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

const shapeOf = (error: unknown): ErrorShape => (error !== null && typeof error === 'object' ? (error as ErrorShape) : {});

/**
 * The code an error is known by: a Node.js network code (`ECONNRESET`, on `code`)
 * when it has one of ours, else its `name` (the AWS SDK's exception name), else its
 * `code`, else `Error`. Never the message, which may quote input.
 */
export function errorCodeOf(error: unknown): string {
  const { name, code } = shapeOf(error);
  if (typeof code === 'string' && RETRYABLE_CODES.has(code)) return code;
  if (typeof name === 'string' && name !== '') return name;
  if (typeof code === 'string' && code !== '') return code;
  return 'Error';
}

/** Whether a code (an error's, or a per-record `ErrorCode`) is one a later attempt may pass. */
export function isRetryableErrorCode(code: string | undefined): boolean {
  return code !== undefined && RETRYABLE_CODES.has(code);
}

/** The HTTP status of an AWS SDK error (`$metadata.httpStatusCode`), if it has one. */
export function httpStatusOf(error: unknown): number | undefined {
  const status = shapeOf(error).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Whether a thrown error is worth another try: a retryable code (by name or by
 * Node.js `code`), HTTP 429, or any HTTP 5xx.
 */
export function isRetryableError(error: unknown): boolean {
  const { name, code } = shapeOf(error);
  if (typeof name === 'string' && RETRYABLE_CODES.has(name)) return true;
  if (typeof code === 'string' && RETRYABLE_CODES.has(code)) return true;
  const status = httpStatusOf(error);
  return status !== undefined && (status === HTTP_TOO_MANY_REQUESTS || (status >= HTTP_SERVER_ERROR_MIN && status <= HTTP_SERVER_ERROR_MAX));
}
