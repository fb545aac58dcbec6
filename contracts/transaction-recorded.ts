import { z } from 'zod';
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

export const FileLayout = {
  Standard: 'standard',
  Header: 'header',
  Legacy2021: 'legacy-2021',
  Unknown: 'unknown',
} as const;

export const FileLayoutSchema = z.enum(['standard', 'header', 'legacy-2021', 'unknown']);

/** A producer finished reading an uploaded file (or refused it whole). */
export const FileIngestedSchema = z.object({
  type: z.literal('FileIngested'),
  ...envelope,
  data: z.object({
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
