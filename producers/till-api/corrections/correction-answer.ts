import type { SalesStreamEvent } from '../../../contracts/index.js';
import type { TillCorrectionError, TillRefundResponse, TillVoidResponse } from '../../../contracts/till-corrections.js';
import { sameBranch } from '../credentials/credentials.js';
import type { TillIdentity } from '../decide-sales.js';
import { IdempotencyKind, type IdempotencyKey, type IdempotencyRecord } from '../idempotency/idempotency-store.js';

/**
 * What a void or refund request comes to: the status and body to answer, and the
 * events to write first. The API writes `events` and answers only once the stream
 * has them (a failed write is a 503 instead), as for sales.
 */
export interface CorrectionAnswer {
  readonly statusCode: number;
  readonly body: TillVoidResponse | TillRefundResponse | TillCorrectionError;
  readonly events: readonly SalesStreamEvent[];
}

/** The refusal codes of `POST /v1/voids` and `POST /v1/refunds` beyond the reject reasons (422). */
export const CorrectionRefusal = {
  SaleNotFound: 'sale_not_found',
  BranchForbidden: 'branch_forbidden',
  SaleRefunded: 'sale_refunded',
  SaleVoided: 'sale_voided',
  RefundExceedsSale: 'refund_exceeds_sale',
  RefundIdConflict: 'refund_id_conflict',
} as const;
export type CorrectionRefusal = (typeof CorrectionRefusal)[keyof typeof CorrectionRefusal];

/** A refusal: a stable code and a sentence written here (never request content), plus what the till needs to act. */
export function refusal(statusCode: number, error: string, message: string, extra: { eventId?: string; field?: string | null } = {}, events: readonly SalesStreamEvent[] = []): CorrectionAnswer {
  return { statusCode, body: { error, message, ...extra }, events };
}

/** The key of the sale a void or refund names: the till it names (the caller's own when it names none) and the sale id. */
export function saleKeyOf(command: { readonly saleId: string; readonly tillId?: string | undefined }, till: TillIdentity): IdempotencyKey {
  return { tillId: command.tillId ?? till.tillId, kind: IdempotencyKind.Sale, id: command.saleId };
}

/**
 * The named sale, if the caller may correct it: known (404 `sale_not_found`
 * otherwise) and of the caller's branch (403 `branch_forbidden`). Any till of a
 * branch may void or refund any sale of that branch.
 */
export function authoriseSale(sale: IdempotencyRecord | undefined, till: TillIdentity): IdempotencyRecord | CorrectionAnswer {
  if (!sale) {
    return refusal(404, CorrectionRefusal.SaleNotFound, 'no sale is known under this tillId and saleId: name the till that posted the sale (tillId, yours when left out) and its saleId');
  }
  if (!sameBranch(sale.branch, till.branch)) {
    return refusal(403, CorrectionRefusal.BranchForbidden, "the sale was posted at another branch; a till may only void or refund its own branch's sales");
  }
  return sale;
}

/** Tells an answer from a value (the decide steps return one or the other). */
export const isAnswer = (value: object): value is CorrectionAnswer => 'statusCode' in value && 'events' in value;
