import { z } from 'zod';
import { FieldLimitBytes, boundedText } from './field-limits.js';

/**
 * What a till posts to `POST /v1/sales`, and what it gets back. A till sends one
 * sale, or a batch `{ sales: [...] }` (a till that was offline catches up in
 * batches). Money is integer pence, times are ISO 8601 instants with a zone.
 * Text limits are UTF-8 bytes (`field-limits.ts`), as the warehouse columns are.
 * These schemas check shape only: the till-api maps a sale to the raw sale
 * (`raw-sale.ts`) and validates it there, so files and tills obey the same rules.
 */

/** The most sales one request may carry. */
export const MAX_SALES_PER_REQUEST = 100;
/** The most basket lines one sale may carry (the raw sale's own limit). */
export const MAX_ITEMS_PER_SALE = 100;
/** The largest amount, in pence, the raw sale's pounds text can hold (7 digits of pounds). */
export const MAX_PENCE = 999_999_999;

/** The till's own id for a sale: stable across retries, so a retry is the same event. */
export const SaleIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/);

const Pence = z.number().int().nonnegative().max(MAX_PENCE);

export const TillSaleItemSchema = z.strictObject({
  size: z.enum(['Regular', 'Large']),
  /** The product without its flavour, e.g. `Speciality Tea`. */
  product: boundedText(FieldLimitBytes.product).min(1),
  /** The flavour, if the product has one, e.g. `Camomile`. */
  flavour: boundedText(FieldLimitBytes.flavour).min(1).optional(),
  pricePence: Pence,
});

export const TillCustomerSchema = z.strictObject({
  name: boundedText(FieldLimitBytes.customerName).optional(),
  /** A card number, whole or masked (`************1234`); personal data, never echoed. */
  cardNumber: boundedText(FieldLimitBytes.rawCardNumber).optional(),
});

export const TillSaleSchema = z.strictObject({
  saleId: SaleIdSchema,
  /** The branch the till stands in: must be the one its credential is bound to. */
  branch: boundedText(FieldLimitBytes.branch).min(1),
  occurredAt: z.iso.datetime({ offset: true }),
  items: z.array(TillSaleItemSchema).min(1).max(MAX_ITEMS_PER_SALE),
  totalPence: Pence,
  paymentMethod: z.enum(['CARD', 'CASH']),
  customer: TillCustomerSchema.optional(),
});

/** A batch envelope: the sales are checked one by one, so one bad sale does not sink the rest. */
export const TillSaleBatchEnvelopeSchema = z.strictObject({
  sales: z.array(z.unknown()).min(1).max(MAX_SALES_PER_REQUEST),
});

export const TillSaleBatchSchema = z.strictObject({
  sales: z.array(TillSaleSchema).min(1).max(MAX_SALES_PER_REQUEST),
});

/** The request body: one sale or a batch. */
export const TillSalesRequestSchema = z.union([TillSaleBatchSchema, TillSaleSchema]);

export const TillSaleStatus = { Accepted: 'accepted', Duplicate: 'duplicate', Rejected: 'rejected' } as const;

/** What became of one sale of a request, in request order. */
export const TillSaleResultSchema = z.object({
  index: z.number().int().nonnegative(),
  saleId: z.string().nullable(),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  /** The event id the sale is recorded under (accepted and duplicate). */
  eventId: z.string().optional(),
  /** A reject reason code (see `reject-reason.ts`). */
  reason: z.string().optional(),
  /** The field at fault, as a path into the sale (`items.2.pricePence`); never its value. */
  field: z.string().nullable().optional(),
  message: z.string().optional(),
});

/** 202 (some accepted) and 422 (none accepted) bodies. */
export const TillSalesResponseSchema = z.object({
  accepted: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  results: z.array(TillSaleResultSchema),
  error: z.string().optional(),
  message: z.string().optional(),
});

/** Every other 4xx/5xx body: a stable code and a sentence, never request content. */
export const TillErrorResponseSchema = z.object({
  error: z.string(),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export type TillSale = z.infer<typeof TillSaleSchema>;
export type TillSaleItem = z.infer<typeof TillSaleItemSchema>;
export type TillSaleBatch = z.infer<typeof TillSaleBatchSchema>;
export type TillSalesRequest = z.infer<typeof TillSalesRequestSchema>;
export type TillSaleStatus = (typeof TillSaleStatus)[keyof typeof TillSaleStatus];
export type TillSaleResult = z.infer<typeof TillSaleResultSchema>;
export type TillSalesResponse = z.infer<typeof TillSalesResponseSchema>;
export type TillErrorResponse = z.infer<typeof TillErrorResponseSchema>;
