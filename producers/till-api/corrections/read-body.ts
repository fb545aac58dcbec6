import { TillBadRequestError } from '../errors.js';

/**
 * A void's or refund's body as a JSON object; anything else (no body, an array, a
 * string) is a 400, as for sales. What the object holds is checked by its schema.
 */
export function readBody(body: unknown): object {
  if (body === undefined || body === null) throw new TillBadRequestError('body_missing', 'the request has no body; send one JSON object');
  if (typeof body !== 'object' || Array.isArray(body)) throw new TillBadRequestError('request_invalid', 'the body is not a JSON object; send one JSON object');
  return body;
}
