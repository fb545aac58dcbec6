import { MAX_SALES_PER_REQUEST, TillSaleBatchEnvelopeSchema } from '../../contracts/till-sale.js';
import { describeIssue, pathText } from './describe-issue.js';
import { TillBadRequestError } from './errors.js';

const SHAPE_HINT = 'send one sale object, or {"sales": [ ... ]} with 1 to 100 sales';

/**
 * The sales of a request body, not yet checked one by one: a single sale is a
 * batch of one. Throws a 400 when the body is neither.
 */
export function readSales(body: unknown): unknown[] {
  if (body === undefined || body === null) throw new TillBadRequestError('body_missing', `the request has no body; ${SHAPE_HINT}`);
  if (typeof body !== 'object' || Array.isArray(body)) throw new TillBadRequestError('request_invalid', `the body is not a JSON object; ${SHAPE_HINT}`);
  if (!('sales' in body)) return [body];
  const envelope = TillSaleBatchEnvelopeSchema.safeParse(body);
  if (envelope.success) return envelope.data.sales;
  const sales = (body as { sales: unknown }).sales;
  if (Array.isArray(sales) && sales.length > MAX_SALES_PER_REQUEST) {
    throw new TillBadRequestError('batch_too_large', `a request may carry at most ${MAX_SALES_PER_REQUEST} sales; split the batch`);
  }
  const issues = envelope.error.issues.map((issue) => ({ path: pathText(issue.path), message: describeIssue(issue) }));
  throw new TillBadRequestError('request_invalid', `the batch envelope is invalid; ${SHAPE_HINT}`, issues);
}
