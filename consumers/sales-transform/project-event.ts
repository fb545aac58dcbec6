import {
  describeDialect,
  EventSourceSchema,
  keyedHash,
  rejectReasonOf,
  upcastEvent,
  RejectReason,
  type RejectReasonCode,
  SalesStreamEventSchema,
  type IngestFile,
  type QuarantineEntry,
  type SaleRecord,
  type SaleVoid,
} from '../../contracts/index.js';
import { transformRefund, transformSale } from './transform-sale.js';

/**
 * What one stream event becomes in the warehouse projection: a clean sale; a row a
 * producer rejected (`rejection`, its RowRejected event); an event the consumer
 * itself refused as poison (`quarantine`: it can never be valid, so it is recorded
 * and acknowledged, not retried); a file version's account; or a till's void.
 * Rejections and quarantined events both land in the `quarantine` table; a refund is
 * a `sale` of kind refund.
 */
export type Projection =
  | { readonly kind: 'sale'; readonly record: SaleRecord }
  | { readonly kind: 'void'; readonly void: SaleVoid }
  | { readonly kind: 'rejection'; readonly entry: QuarantineEntry }
  | { readonly kind: 'quarantine'; readonly entry: QuarantineEntry }
  | { readonly kind: 'file'; readonly file: IngestFile };

export interface ProjectionContext {
  readonly pepper: string;
  readonly now: Date;
  /** Where the event sat on the stream (`shard:sequence`), for events too broken to say. */
  readonly position: string;
}

/** An unreadable event still needs a stable id (so a redelivery is not a second row), but never a readable one. */
function opaqueId(pepper: string, text: string): string {
  return keyedHash(pepper, `unreadable/v1|${text}`).slice(0, 32);
}

function quarantined(text: string, parsed: unknown, reason: RejectReasonCode, field: string | null, context: ProjectionContext): Projection {
  const candidate = (parsed ?? {}) as { eventId?: unknown; source?: unknown; recordedAt?: unknown };
  const source = EventSourceSchema.safeParse(candidate.source);
  const eventId = typeof candidate.eventId === 'string' && /^[0-9a-f]{32}$/.test(candidate.eventId) ? candidate.eventId : opaqueId(context.pepper, text);
  return {
    kind: 'quarantine',
    entry: {
      eventId,
      source: source.success ? source.data.kind : 'stream',
      sourceRef: source.success ? (source.data.kind === 'file' ? source.data.file : source.data.tillId) : context.position,
      line: source.success && source.data.kind === 'file' ? source.data.line : null,
      reason,
      field,
      recordedAt: context.now.toISOString(),
    },
  };
}

/**
 * A Kinesis record whose body cannot even be split into events (a damaged gzip
 * stream): quarantined as one unreadable event under its stream position, with a
 * stable opaque id made from the body (base64), so a redelivery is not a second row.
 */
export function projectUnreadableRecord(base64Data: string, context: ProjectionContext): Projection {
  return quarantined(base64Data, undefined, RejectReason.EventUnreadable, null, context);
}

/**
 * One event's JSON text to its projection. Validates against the contract (which
 * also normalises); an event that can never be valid becomes a quarantine entry
 * with its reason and the field at fault, never its content.
 */
export function projectEvent(text: string, context: ProjectionContext): Projection {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return quarantined(text, undefined, RejectReason.EventUnreadable, null, context);
  }
  const parsed = SalesStreamEventSchema.safeParse(upcastEvent(json));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // Stryker disable next-line OptionalChaining: a failed parse has at least one issue
    return quarantined(text, json, rejectReasonOf(issue, RejectReason.EventMalformed), issue?.path.join('.') || null, context);
  }
  const event = parsed.data;
  switch (event.type) {
    case 'TransactionRecorded':
      return { kind: 'sale', record: transformSale(event, context.pepper, context.now) };
    case 'RowRejected':
      return {
        kind: 'rejection',
        entry: {
          eventId: event.eventId,
          source: event.source.kind,
          sourceRef: event.source.kind === 'file' ? event.source.file : event.source.tillId,
          line: event.source.kind === 'file' ? event.source.line : null,
          reason: event.data.reason,
          field: event.data.field,
          recordedAt: event.recordedAt,
        },
      };
    case 'RefundRecorded':
      return { kind: 'sale', record: transformRefund(event, context.now) };
    case 'SaleVoided':
      return { kind: 'void', void: { voidEventId: event.eventId, saleEventId: event.data.saleEventId, recordedAt: event.recordedAt } };
    case 'FileVersionIngested': {
      const { dialect, skipped, ...account } = event.data;
      return {
        kind: 'file',
        file: {
          ...account,
          dialect: dialect ? describeDialect(dialect) : null,
          linesBlank: skipped?.blank ?? null,
          linesHeader: skipped?.header ?? null,
          linesPreamble: skipped?.preamble ?? null,
          linesFootnote: skipped?.footnote ?? null,
        },
      };
    }
    // Stryker disable next-line ConditionalExpression,BlockStatement: unreachable, the never check (the contract's union is exhaustive)
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}
