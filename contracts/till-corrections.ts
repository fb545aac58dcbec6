import { z } from 'zod';
import { MAX_ITEMS_PER_SALE, MAX_PENCE, SaleIdSchema, TillErrorResponseSchema, TillSaleItemSchema } from './till-sale.js';

/**
 * What a till posts to `POST /v1/voids` and `POST /v1/refunds`, and what it gets
 * back (docs/corrections.md, docs/live-tills.md). As point-of-sale systems model
 * them: a void retracts a sale posted in error (it leaves every figure); a refund
 * is a sale of its own with negative amounts, linked to the original. Both name
 * the original by the till that posted it and that till's sale id. Money is integer
 * pence, times ISO 8601 instants with a zone. Shape only: the till API checks the
 * rest (the sale is known, of the caller's branch, not voided or over-refunded).
 */

/** A till's id as issued (`supercafe tills issue`). */
export const TillIdSchema = z.string().regex(/^till_[a-z0-9]{16}$/);

/**
 * Why a till voided a sale: a closed set of codes, never free text (a note typed at
 * a till can name the customer). Optional; the API logs it, the event does not carry it.
 */
export const VoidReason = {
  /** Rung up by mistake: wrong items, wrong amount, wrong payment. */
  PostedInError: 'posted_in_error',
  /** The same sale rung up twice. */
  DuplicatePost: 'duplicate_post',
  /** The customer walked away before paying. */
  CustomerCancelled: 'customer_cancelled',
  /** A training or test sale. */
  TestSale: 'test_sale',
  Other: 'other',
} as const;

export const VoidReasonSchema = z.enum(VoidReason);

/** `POST /v1/voids`: retract one sale of the caller's branch. */
export const TillVoidSchema = z.strictObject({
  /** The voided sale's id, as its till posted it. */
  saleId: SaleIdSchema,
  /** The till that posted the sale; the caller when left out (any till of the branch may void). */
  tillId: TillIdSchema.optional(),
  /** When the void was rung up. */
  occurredAt: z.iso.datetime({ offset: true }),
  reason: VoidReasonSchema.optional(),
});

/** A basket line given back: the same shape as a sale's line, its price positive (the warehouse stores it negated). */
export const TillRefundItemSchema = TillSaleItemSchema;

/** `POST /v1/refunds`: give back (part of) one sale of the caller's branch. */
export const TillRefundSchema = z.strictObject({
  /** The till's own id for the refund: stable across retries, so a retry is the same refund. */
  refundId: SaleIdSchema,
  /** The refunded sale's id, as its till posted it. */
  saleId: SaleIdSchema,
  /** The till that posted the sale; the caller when left out. */
  tillId: TillIdSchema.optional(),
  occurredAt: z.iso.datetime({ offset: true }),
  items: z.array(TillRefundItemSchema).min(1).max(MAX_ITEMS_PER_SALE),
  /** The amount given back; the lines must add up to it, and a sale's refunds to no more than its total. */
  totalPence: z.number().int().positive().max(MAX_PENCE),
  paymentMethod: z.enum(['CARD', 'CASH']),
});

export const TillCorrectionStatus = { Accepted: 'accepted', Duplicate: 'duplicate' } as const;
const TillCorrectionStatusSchema = z.enum(TillCorrectionStatus);

/** 202 to a void: recorded now (`accepted`) or before (`duplicate`, the same eventId). */
export const TillVoidResponseSchema = z.object({
  status: TillCorrectionStatusSchema,
  /** The SaleVoided event's id: one per voided sale, whichever till voided it. */
  eventId: z.string(),
  /** The voided sale's event id. */
  saleEventId: z.string(),
  message: z.string(),
});

/** 202 to a refund: recorded now (`accepted`) or before (`duplicate`, the same eventId). */
export const TillRefundResponseSchema = z.object({
  status: TillCorrectionStatusSchema,
  /** The RefundRecorded event's id (the refund's row in `sales`). */
  eventId: z.string(),
  /** The refunded sale's event id. */
  refundOf: z.string(),
  message: z.string(),
});

/**
 * Every refusal of a void or refund: a stable code and a sentence, never request
 * content; `eventId` names the recorded event a conflict is with, `field` the field at fault.
 */
export const TillCorrectionErrorSchema = TillErrorResponseSchema.extend({
  eventId: z.string().optional(),
  field: z.string().nullable().optional(),
});

export type TillVoid = z.infer<typeof TillVoidSchema>;
export type TillRefund = z.infer<typeof TillRefundSchema>;
export type VoidReason = z.infer<typeof VoidReasonSchema>;
export type TillCorrectionStatus = (typeof TillCorrectionStatus)[keyof typeof TillCorrectionStatus];
export type TillVoidResponse = z.infer<typeof TillVoidResponseSchema>;
export type TillRefundResponse = z.infer<typeof TillRefundResponseSchema>;
export type TillCorrectionError = z.infer<typeof TillCorrectionErrorSchema>;
