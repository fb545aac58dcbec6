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
 * Older events are brought up to date by `upcastEvent` (contracts/upcast.ts).
 */
export const SCHEMA_VERSION = 2 as const;

const EventIdSchema = z.string().regex(/^[0-9a-f]{32}$/, { message: 'event_malformed' });
const InstantSchema = z.iso.datetime({ offset: true, message: 'event_malformed' });

/** Where an event came from: a line of an uploaded file, or a till's own sale id. */
export const FileSourceSchema = z.object({
  kind: z.literal('file'),
  file: z.string().min(1).max(1024),
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
 * A producer finished reading an uploaded file (or refused it whole): its account.
 * Every line of a loaded file is a row read (loaded, matched to a live till sale,
 * or rejected), a skipped line, or a continuation line of a row whose quoted
 * fields span lines: `lines = rowsRead + linesSkipped + linesContinued`.
 * `encoding` … `linesContinued` were added within version 2; events written
 * before carry none of them and read as null.
 */
export const FileIngestedSchema = z.object({
  type: z.literal('FileIngested'),
  ...envelope,
  data: z.object({
    /** The file's identity: the object key (S3) or path (local) of the upload. */
    file: z.string().min(1).max(1024),
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

export const SalesStreamEventSchema = z.discriminatedUnion('type', [TransactionRecordedSchema, RowRejectedSchema, FileIngestedSchema]);

export type TransactionRecorded = z.input<typeof TransactionRecordedSchema>;
export type ParsedTransactionRecorded = z.output<typeof TransactionRecordedSchema>;
export type RowRejected = z.infer<typeof RowRejectedSchema>;
export type FileIngested = z.infer<typeof FileIngestedSchema>;
export type SalesStreamEvent = z.input<typeof SalesStreamEventSchema>;
export type ParsedSalesStreamEvent = z.output<typeof SalesStreamEventSchema>;
export type EventSource = z.infer<typeof EventSourceSchema>;
export type FileLayout = z.infer<typeof FileLayoutSchema>;
