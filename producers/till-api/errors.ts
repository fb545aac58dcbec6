import { ProducerError } from '../shared/errors.js';

/**
 * Errors of the till API. Each carries the HTTP status and a stable code the
 * till can act on, and a message written here, never copied from the request.
 */
export class TillApiError extends ProducerError {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'TillApiError';
  }
}

/** The request carries no usable credential, or one that is wrong or revoked (401). */
export class TillUnauthorizedError extends TillApiError {
  constructor(code: string, message: string) {
    super(401, code, message, { 'www-authenticate': 'Bearer realm="till-api"' });
    this.name = 'TillUnauthorizedError';
  }
}

/** The till posted for a branch its credential is not bound to (403). */
export class TillForbiddenError extends TillApiError {
  constructor(readonly index: number) {
    super(403, 'branch_forbidden', `sales[${index}].branch is not the branch this till is registered to; a till may only post its own branch's sales`);
    this.name = 'TillForbiddenError';
  }
}

/** The till is over its rate limit (429); `retryAfterSeconds` tells it when to come back. */
export class TillRateLimitedError extends TillApiError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'rate_limited', `too many sales from this till; retry after ${retryAfterSeconds} s`, { 'retry-after': String(retryAfterSeconds) });
    this.name = 'TillRateLimitedError';
  }
}

/** The request is not a sale or a batch of sales (400). */
export class TillBadRequestError extends TillApiError {
  constructor(
    code: string,
    message: string,
    readonly issues: readonly { path: string; message: string }[] = [],
  ) {
    super(400, code, message);
    this.name = 'TillBadRequestError';
  }
}
