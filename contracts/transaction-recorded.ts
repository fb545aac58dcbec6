import { z } from 'zod';
import { FileDialectSchema, FileEncodingSchema, LineEndingsSchema, LinesSkippedSchema } from './file-format.js';
import { RawSaleSchema } from './raw-sale.js';
import { FileRefusalSchema, RejectReasonSchema } from './reject-reason.js';

/**
 * The events on the raw "sales events" stream: a closed union of past-tense facts.
 * Every event has a deterministic `eventId`, so a re-upload or a replay yields the
 * same ids and the warehouse, which loads idempotently on them, never counts twice.
 */

/**
 * Version 2 added `occurredAt` (the sale's UTC instant) to TransactionRecorded, so
 * stream tooling can order and filter by sale time without parsing the payload.
 * Version 3 made files versioned (docs/corrections.md): a file row's source names
 * the file version it was read from, the file's account became FileVersionIngested
 * (with that version), and tills gained SaleVoided and RefundRecorded.
 * Older events are brought up to date by `upcastEvent` (contracts/upcast.ts).
 */
export const SCHEMA_VERSION = 3 as const;

/**
 * The version of files read before versions existed (schema 1 and 2): older than
 * any real one, and the same for all of a file's old runs, which therefore add up
 * as they did then (nothing retracted).
 */
export const LEGACY_FILE_VERSION = '0';

const EventIdSchema = z.string().regex(/^[0-9a-f]{32}$/, { message: 'event_malformed' });
const InstantSchema = z.iso.datetime({ offset: true, message: 'event_malformed' });

/**
 * A file version: an ordered text, compared as text between versions of one file —
 * the S3 event's `sequencer` (hex, left-padded to 32) in AWS, the ingest's start
 * instant (ISO 8601, UTC) locally, `LEGACY_FILE_VERSION` for older events.
 */
export const FileVersionSchema = z.string().min(1).max(64, { message: 'event_malformed' });

/** Where an event came from: a line of a version of an uploaded file, or a till's own sale id. */
export const FileSourceSchema = z.object({
  kind: z.literal('file'),
  file: z.string().min(1).max(1024),
  /** The version of the file the row was read from. */
  version: FileVersionSchema,
  line: z.number().int().positive(),
});

export const TillSourceSchema = z.object({
  kind: z.literal('till'),
  tillId: z.string().min(1).max(128),
  saleId: z.string().min(1).max(128),
});

export const EventSourceSchema = z.discriminatedUnion('kind', [FileSourceSchema, TillSourceSchema]);

const envelope = {
  schemaVersion: z.literal(SCHEMA_VERSION, { message: 'schema_version_unknown' }),
  eventId: EventIdSchema,
  /** When the producer published the event: the start of end-to-end lag. */
  recordedAt: InstantSchema,
};

/** A sale happened at a branch. Carries the raw sale, personal data included. */
export const TransactionRecordedSchema = z.object({
  type: z.literal('TransactionRecorded'),
  ...envelope,
  /** When the sale happened (UTC): the payload's timestamp, resolved by the producer. */
  occurredAt: InstantSchema,
  source: EventSourceSchema,
  data: RawSaleSchema,
});

/** A basket line of a refund: what was given back, in pence (positive here; the warehouse stores it negated). */
export const RefundLineSchema = z.object({
  size: z.enum(['Regular', 'Large']).nullable(),
  product: z.string().min(1).max(256),
  flavour: z.string().min(1).max(256).nullable(),
  pricePence: z.number().int().nonnegative(),
});

/**
 * A till voided one of its branch's sales: it was posted in error and never
 * happened. The sale leaves every figure (docs/corrections.md). `source` is the
 * till that voided it; `data` names the sale.
 */
export const SaleVoidedSchema = z.object({
  type: z.literal('SaleVoided'),
  ...envelope,
  occurredAt: InstantSchema,
  source: TillSourceSchema,
  data: z.object({
    /** The voided sale's event id. */
    saleEventId: EventIdSchema,
    branch: z.string().min(1).max(256),
  }),
});

/**
 * A till refunded (part of) a sale: a sale of its own, with its own id (the till's
 * refund id in `source.saleId`), linked to the original and counted negatively. No
 * customer data: the money goes back the way it came.
 */
export const RefundRecordedSchema = z.object({
  type: z.literal('RefundRecorded'),
  ...envelope,
  occurredAt: InstantSchema,
  source: TillSourceSchema,
  data: z.object({
    /** The refunded sale's event id. */
    refundOf: EventIdSchema,
    branch: z.string().min(1).max(256),
    items: z.array(RefundLineSchema).min(1).max(100),
    totalPence: z.number().int().positive(),
    paymentMethod: z.enum(['CARD', 'CASH']),
  }),
});

/** A producer refused a row or a till sale. Carries a reason, never the row. */
export const RowRejectedSchema = z.object({
  type: z.literal('RowRejected'),
  ...envelope,
  source: EventSourceSchema,
  data: z.object({
    reason: RejectReasonSchema,
    /** The field at fault, as a path (`items.2.price`); never its value. */
    field: z.string().max(128).nullable(),
  }),
});

/** The column layouts of branch files (README "File layouts recognised"). */
export const FileLayout = {
  /** Seven columns, no header: date, branch, customer, basket (`Size Name - price, …`), total, payment, card. */
  Standard: 'standard',
  /** The standard layout under a header row. */
  Header: 'header',
  /** 2021: ISO dates, payment before total, the basket as `size,name,price` triples, card as `type,number`. */
  Legacy2021: 'legacy-2021',
  /** The 2020 Generation export: the standard columns, but basket items may have no size word. */
  Gen2020: 'gen-2020',
  Unknown: 'unknown',
} as const;

export const FileLayoutSchema = z.enum(['standard', 'header', 'legacy-2021', 'gen-2020', 'unknown']);

/**
 * A producer finished reading a version of an uploaded file (or refused it whole):
 * its account. Published after the version's last row, on the same shard, it is the
 * version's commit: the warehouse makes the version current when it projects it,
 * retracting the sales the file no longer holds (docs/corrections.md).
 * Every line of a loaded file is a row read (loaded, matched to a live till sale,
 * or rejected), a skipped line, or a continuation line of a row whose quoted
 * fields span lines: `lines = rowsRead + linesSkipped + linesContinued`.
 * `encoding` … `linesContinued` were added within version 2; events written
 * before carry none of them and read as null.
 */
export const FileVersionIngestedSchema = z.object({
  type: z.literal('FileVersionIngested'),
  ...envelope,
  data: z.object({
    /** The file's identity: the object key (S3) or path (local) of the upload. */
    file: z.string().min(1).max(1024),
    /** This version of it (see `FileVersionSchema`). */
    version: FileVersionSchema,
    branch: z.string().max(256).nullable(),
    businessDate: z.iso.date().nullable(),
    layout: FileLayoutSchema,
    rowsRead: z.number().int().nonnegative(),
    eventsPublished: z.number().int().nonnegative(),
    rowsRejected: z.number().int().nonnegative(),
    linesSkipped: z.number().int().nonnegative(),
    startedAt: InstantSchema,
    finishedAt: InstantSchema,
    status: z.enum(['loaded', 'refused']),
    refusal: FileRefusalSchema.nullable(),
    /** How the bytes were read as text; null when the file was refused before (compressed, binary, unreadable). */
    encoding: FileEncodingSchema.nullable().default(null),
    /** The CSV dialect found; null when the file was refused before it was sniffed. */
    dialect: FileDialectSchema.nullable().default(null),
    lineEndings: LineEndingsSchema.nullable().default(null),
    /** Physical lines read (a last line without a line break counts). */
    lines: z.number().int().nonnegative().nullable().default(null),
    /** Skipped lines by reason; they add up to `linesSkipped`. */
    skipped: LinesSkippedSchema.nullable().default(null),
    /** Lines after the first of rows whose quoted fields span lines. */
    linesContinued: z.number().int().nonnegative().nullable().default(null),
  }),
});

export const SalesStreamEventSchema = z.discriminatedUnion('type', [TransactionRecordedSchema, RowRejectedSchema, FileVersionIngestedSchema, SaleVoidedSchema, RefundRecordedSchema]);

export type TransactionRecorded = z.input<typeof TransactionRecordedSchema>;
export type ParsedTransactionRecorded = z.output<typeof TransactionRecordedSchema>;
export type RowRejected = z.infer<typeof RowRejectedSchema>;
export type FileVersionIngested = z.infer<typeof FileVersionIngestedSchema>;
export type SaleVoided = z.infer<typeof SaleVoidedSchema>;
export type RefundRecorded = z.infer<typeof RefundRecordedSchema>;
export type RefundLine = z.infer<typeof RefundLineSchema>;
export type SalesStreamEvent = z.input<typeof SalesStreamEventSchema>;
export type ParsedSalesStreamEvent = z.output<typeof SalesStreamEventSchema>;
export type EventSource = z.infer<typeof EventSourceSchema>;
export type FileLayout = z.infer<typeof FileLayoutSchema>;
