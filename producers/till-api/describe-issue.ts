import type { z } from 'zod';
import { RejectReason, isRejectReason, type RejectReasonCode } from '../../contracts/index.js';

/**
 * Zod issues to what a till is told. Messages are composed here from the issue's
 * kind and limits, never taken from zod or the input, so no value the till sent
 * (a card number, a name, even an unknown key) comes back in a response.
 */

// Partial: a reason added to the contract later falls back to a generic sentence.
const REASON_TEXT: Readonly<Partial<Record<RejectReasonCode, string>>> = {
  column_count: 'the sale has the wrong number of fields',
  date_unparsable: 'occurredAt must be an ISO 8601 instant with a zone, e.g. 2021-08-25T09:00:00+01:00',
  date_impossible: 'occurredAt is not a possible time for a sale',
  branch_missing: 'branch is missing',
  basket_empty: 'items must hold at least one item',
  basket_malformed: 'an item is malformed',
  size_unknown: 'size must be Regular or Large',
  product_missing: 'product is missing',
  price_invalid: 'pricePence must be a whole, non-negative number of pence',
  total_invalid: 'totalPence must be a whole, non-negative number of pence',
  total_mismatch: "totalPence is not the sum of the items' pricePence",
  payment_unknown: 'paymentMethod must be CARD or CASH',
  card_missing: 'a CARD sale needs customer.cardNumber (a masked number will do)',
  field_too_long: 'a field is longer than allowed',
  row_malformed: 'the sale is malformed',
  event_malformed: 'the sale is malformed',
  schema_version_unknown: 'the sale is malformed',
};

/** The sentence for a reject reason. */
export function reasonText(reason: RejectReasonCode): string {
  return REASON_TEXT[reason] ?? 'the sale is invalid';
}

/** A path as the till would write it: `items.2.pricePence`. */
export function pathText(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** A value-free sentence for one zod issue. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}${issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' entries' : ''}`;
    case 'too_small':
      return `must be at least ${String(issue.minimum)}${issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' entries' : ''}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'datetime' ? 'must be an ISO 8601 instant with a zone' : `must be a valid ${issue.format}`;
    case 'unrecognized_keys':
      return `has ${issue.keys.length} unknown field(s)`;
    case 'not_multiple_of':
      return 'must be a whole number';
    case 'custom':
      return isRejectReason(issue.message) ? reasonText(issue.message) : 'is invalid';
    default:
      return 'is invalid';
  }
}

/** The reject reason for a shape issue in a till sale: the same codes the file rows use. */
export function reasonOfShapeIssue(issue: z.core.$ZodIssue): RejectReasonCode {
  if (issue.code === 'custom' && isRejectReason(issue.message)) return issue.message;
  if (issue.code === 'too_big' && issue.origin === 'string') return RejectReason.FieldTooLong;
  const [head, , leaf] = issue.path.map(String);
  switch (head) {
    case 'occurredAt':
      return RejectReason.DateUnparsable;
    case 'branch':
      return RejectReason.BranchMissing;
    case 'paymentMethod':
      return RejectReason.PaymentUnknown;
    case 'totalPence':
      return RejectReason.TotalInvalid;
    case 'items':
      if (issue.path.length === 1) return issue.code === 'too_small' ? RejectReason.BasketEmpty : RejectReason.BasketMalformed;
      if (leaf === 'size') return RejectReason.SizeUnknown;
      if (leaf === 'product') return RejectReason.ProductMissing;
      if (leaf === 'pricePence') return RejectReason.PriceInvalid;
      return RejectReason.BasketMalformed;
    default:
      return RejectReason.RowMalformed;
  }
}
