import { z } from 'zod';
import { FileEncodingSchema, LineEndingsSchema } from './file-format.js';
import { FileLayoutSchema } from './transaction-recorded.js';
import { FileRefusalSchema, RejectReasonSchema } from './reject-reason.js';

/**
 * The clean records the consumer hands to the warehouse, one type per table.
 * No customer name, no card number: only a keyed pseudonym (`customerKey`).
 */

/** What a row of `sales` is: a sale, or a refund of one (negative amounts, linked to the sale). */
export const SaleKind = { Sale: 'sale', Refund: 'refund' } as const;
export type SaleKind = (typeof SaleKind)[keyof typeof SaleKind];

export const SaleSchema = z.object({
  eventId: z.string().length(32),
  kind: z.enum(['sale', 'refund']),
  /** A refund's original sale (its event id); null for a sale. */
  refundOf: z.string().length(32).nullable(),
  branch: z.string().min(1),
  soldAt: z.iso.datetime(),
  /** The London calendar day of the sale: the branch's trading day. */
  businessDate: z.iso.date(),
  /** Negative for a refund. */
  totalPence: z.number().int(),
  paymentMethod: z.enum(['CARD', 'CASH']),
  cardBrand: z.string().nullable(),
  /** HMAC of the customer's identity under a secret pepper; null when no customer was named. */
  customerKey: z.string().length(64).nullable(),
  itemCount: z.number().int().positive(),
  source: z.enum(['file', 'till']),
  /** The file key or till id the sale came from. */
  sourceRef: z.string(),
  recordedAt: z.iso.datetime({ offset: true }),
  loadedAt: z.iso.datetime({ offset: true }),
});

export const SaleItemSchema = z.object({
  eventId: z.string().length(32),
  lineNo: z.number().int().positive(),
  size: z.enum(['Regular', 'Large']).nullable(),
  product: z.string().min(1),
  flavour: z.string().nullable(),
  /** Negative on a refund's lines. */
  pricePence: z.number().int(),
});

export const QuarantineEntrySchema = z.object({
  eventId: z.string().length(32),
  source: z.enum(['file', 'till', 'stream']),
  sourceRef: z.string(),
  line: z.number().int().nullable(),
  reason: RejectReasonSchema,
  field: z.string().nullable(),
  recordedAt: z.iso.datetime({ offset: true }),
});

export const IngestFileSchema = z.object({
  file: z.string(),
  branch: z.string().nullable(),
  businessDate: z.iso.date().nullable(),
  layout: FileLayoutSchema,
  rowsRead: z.number().int(),
  eventsPublished: z.number().int(),
  rowsRejected: z.number().int(),
  linesSkipped: z.number().int(),
  status: z.enum(['loaded', 'refused']),
  refusal: FileRefusalSchema.nullable(),
  startedAt: z.iso.datetime({ offset: true }),
  finishedAt: z.iso.datetime({ offset: true }),
  // How the file was written and where its other lines went (FileIngested); absent in records archived before.
  encoding: FileEncodingSchema.nullish(),
  /** The dialect as one phrase (`describeDialect`): `comma`, `semicolon, decimal comma`. */
  dialect: z.string().nullish(),
  lineEndings: LineEndingsSchema.nullish(),
  lines: z.number().int().nullish(),
  linesBlank: z.number().int().nullish(),
  linesHeader: z.number().int().nullish(),
  linesPreamble: z.number().int().nullish(),
  linesFootnote: z.number().int().nullish(),
  linesContinued: z.number().int().nullish(),
  /** The version this account is of (docs/corrections.md); absent in records archived before versions. */
  version: z.string().nullish(),
});

/**
 * Where a sale was seen, for the fold (docs/corrections.md): a row of a file version,
 * or a till sale or refund. `matchKey` ties a till sale to its nightly-file row
 * (branch, minute, payment, total, basket); null for refunds.
 */
export const SaleOriginSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), file: z.string(), version: z.string(), line: z.number().int().positive().nullable(), matchKey: z.string().length(32) }),
  z.object({ kind: z.literal('till'), matchKey: z.string().length(32).nullable() }),
]);

/** A till voided a sale: the sale's id, and the void's own. */
export const SaleVoidSchema = z.object({
  voidEventId: z.string().length(32),
  saleEventId: z.string().length(32),
  recordedAt: z.iso.datetime({ offset: true }),
});

/** One clean sale (or refund) with its basket lines and where it was seen: the unit the sink loads and the archive keeps. */
export const SaleRecordSchema = z.object({ sale: SaleSchema, items: z.array(SaleItemSchema).min(1), origin: SaleOriginSchema });

export type Sale = z.infer<typeof SaleSchema>;
export type SaleItem = z.infer<typeof SaleItemSchema>;
export type SaleRecord = z.infer<typeof SaleRecordSchema>;
export type QuarantineEntry = z.infer<typeof QuarantineEntrySchema>;
export type IngestFile = z.infer<typeof IngestFileSchema>;
export type SaleOrigin = z.infer<typeof SaleOriginSchema>;
export type SaleVoid = z.infer<typeof SaleVoidSchema>;
