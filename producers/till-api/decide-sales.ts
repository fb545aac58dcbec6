import { RawSaleSchema, RejectReason, SCHEMA_VERSION, rejectReasonOf, type RejectReasonCode, type SalesStreamEvent } from '../../contracts/index.js';
import { SaleIdSchema, TillSaleSchema, TillSaleStatus, type TillSaleResult } from '../../contracts/till-sale.js';
import { rejectionEventId, tillSaleEventId } from '../shared/event-id.js';
import { saleFingerprint } from './idempotency/idempotency-store.js';
import { describeIssue, pathText, reasonOfShapeIssue, reasonText } from './describe-issue.js';
import { tillFieldOf, toRawSale } from './to-raw-sale.js';

/** The till a request was authenticated as. */
export interface TillIdentity {
  readonly tillId: string;
  /** The branch the credential is bound to, as issued. */
  readonly branch: string;
}

/** An accepted sale's idempotency claim, made before its event is written (see claim-sales.ts). */
export interface SaleClaim {
  /** Where the sale's result sits in `results`. */
  readonly resultIndex: number;
  readonly saleId: string;
  readonly eventId: string;
  readonly fingerprint: string;
  readonly totalPence: number;
}

/** What a request's sales become: one result per sale, and the events to write. */
export interface SalesDecision {
  readonly results: TillSaleResult[];
  readonly events: SalesStreamEvent[];
  /** One per accepted sale, in request order. */
  readonly claims: SaleClaim[];
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
}

/** What a till is told when it reuses a sale id: the stored sale stands, this one was not recorded. */
export const CONFLICT_TEXT = 'this saleId was already used for a different sale (eventId names the recorded one); this sale was not recorded: give it a new saleId';

/** A till clock this far ahead of ours is wrong, not early: the sale is refused. */
export const MAX_CLOCK_AHEAD_MS = 10 * 60_000;

function saleIdOf(input: unknown): string | null {
  const saleId = (input as { saleId?: unknown } | null)?.saleId;
  return SaleIdSchema.safeParse(saleId).success ? (saleId as string) : null;
}

/**
 * Decides each sale of a request, in order: its shape (till-sale contract), then
 * the raw-sale contract every producer obeys. A valid sale becomes a
 * TransactionRecorded whose id derives from the till and its sale id, so a retried
 * post is the same event; a sale id repeated within the request with the same
 * content is a duplicate written once, and with other content a `sale_id_conflict`
 * naming the first one's event id. A refused sale with a usable id becomes a
 * RowRejected (reason and field, never content) so the quarantine counts till
 * refusals too. Whether an accepted sale's id was used before, in another request,
 * is for its claim to say (`claims`, see claim-sales.ts).
 */
export function decideSales(inputs: readonly unknown[], till: TillIdentity, now: Date): SalesDecision {
  const results: TillSaleResult[] = [];
  const events: SalesStreamEvent[] = [];
  const claims: SaleClaim[] = [];
  const firstResult = new Map<string, TillSaleResult>();
  const firstFingerprint = new Map<string, string>();
  const recordedAt = now.toISOString();
  let accepted = 0;
  let duplicates = 0;
  let rejected = 0;

  const reject = (index: number, saleId: string | null, reason: RejectReasonCode, field: string | null, message: string, storedEventId?: string) => {
    rejected++;
    results.push({ index, saleId, status: TillSaleStatus.Rejected, reason, field, message: field ? `${field}: ${message}` : message, ...(storedEventId ? { eventId: storedEventId } : {}) });
    if (saleId === null) return;
    events.push({
      type: 'RowRejected',
      schemaVersion: SCHEMA_VERSION,
      eventId: rejectionEventId(till.tillId, saleId, reason),
      recordedAt,
      source: { kind: 'till', tillId: till.tillId, saleId },
      data: { reason, field },
    });
  };

  const decideOne = (input: unknown, index: number): void => {
    const shape = TillSaleSchema.safeParse(input);
    if (!shape.success) {
      const issue = shape.error.issues[0];
      if (!issue) return reject(index, saleIdOf(input), RejectReason.RowMalformed, null, reasonText(RejectReason.RowMalformed));
      return reject(index, saleIdOf(input), reasonOfShapeIssue(issue), pathText(issue.path) || null, describeIssue(issue));
    }
    const sale = shape.data;
    const eventId = tillSaleEventId(till.tillId, sale.saleId);
    const fingerprint = saleFingerprint(sale);
    const first = firstResult.get(sale.saleId);
    const firstPrint = firstFingerprint.get(sale.saleId);
    if (firstPrint === undefined) firstFingerprint.set(sale.saleId, fingerprint);
    else if (first && firstPrint !== fingerprint) {
      return reject(index, sale.saleId, RejectReason.SaleIdConflict, 'saleId', CONFLICT_TEXT, first.eventId ?? eventId);
    }
    if (first?.status === TillSaleStatus.Rejected) {
      rejected++;
      results.push({ ...first, index });
      return;
    }
    if (first) {
      duplicates++;
      results.push({ index, saleId: sale.saleId, status: TillSaleStatus.Duplicate, eventId, message: 'this saleId appears earlier in the request; recorded once' });
      return;
    }
    if (Date.parse(sale.occurredAt) - now.getTime() > MAX_CLOCK_AHEAD_MS) {
      return reject(index, sale.saleId, RejectReason.DateImpossible, 'occurredAt', 'occurredAt is in the future: check the till clock');
    }
    const raw = toRawSale(sale, till.branch);
    const parsed = RawSaleSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const reason = rejectReasonOf(issue, RejectReason.RowMalformed);
      return reject(index, sale.saleId, reason, tillFieldOf(issue?.path ?? []), reasonText(reason));
    }
    accepted++;
    claims.push({ resultIndex: results.length, saleId: sale.saleId, eventId, fingerprint, totalPence: sale.totalPence });
    results.push({ index, saleId: sale.saleId, status: TillSaleStatus.Accepted, eventId });
    events.push({
      type: 'TransactionRecorded',
      schemaVersion: SCHEMA_VERSION,
      eventId,
      recordedAt,
      occurredAt: parsed.data.occurredAt.toISOString(),
      source: { kind: 'till', tillId: till.tillId, saleId: sale.saleId },
      data: raw,
    });
  };

  inputs.forEach((input, index) => {
    const before = results.length;
    decideOne(input, index);
    const result = results[before];
    if (result?.saleId && !firstResult.has(result.saleId)) firstResult.set(result.saleId, result);
  });

  return { results, events, claims, accepted, duplicates, rejected };
}
