import { RawSaleSchema, RejectReason, SCHEMA_VERSION, rejectReasonOf, type RefundLine, type RefundRecorded, type RejectReasonCode, type RowRejected } from '../../../contracts/index.js';
import { SaleIdSchema } from '../../../contracts/till-sale.js';
import { TillCorrectionStatus, TillRefundSchema, type TillRefund, type TillRefundResponse } from '../../../contracts/till-corrections.js';
import { refundEventId, rejectionEventId } from '../../shared/event-id.js';
import { MAX_CLOCK_AHEAD_MS, type TillIdentity } from '../decide-sales.js';
import { describeIssue, pathText, reasonOfShapeIssue, reasonText } from '../describe-issue.js';
import { contentFingerprint, IdempotencyKind, type IdempotencyRecord, type IdempotencyStore, type RefundClaimOutcome } from '../idempotency/idempotency-store.js';
import { tillFieldOf, toRawSale } from '../to-raw-sale.js';
import { authoriseSale, CorrectionRefusal, isAnswer, refusal, saleKeyOf, type CorrectionAnswer } from './correction-answer.js';
import { readBody } from './read-body.js';

/** A refund whose content is valid: its lines as the warehouse will hold them, and its fingerprint. */
export interface RefundCommand {
  readonly refund: TillRefund;
  readonly lines: RefundLine[];
  readonly fingerprint: string;
}

/** A refund as planned once its sale is found and authorised: the claim, the amount to reserve, the event to write. */
export interface PlannedRefund {
  readonly claim: IdempotencyRecord;
  readonly pence: number;
  readonly event: RefundRecorded;
}

const REFUND_ID_CONFLICT_TEXT = 'this refundId was already used for a different refund (eventId names the recorded one); this refund was not recorded: give it a new refundId';

/** Where a refused refund's RowRejected sits: the till's refund id, kept apart from its sale ids. */
const rejectionOf = (till: TillIdentity, refundId: string, reason: RejectReasonCode, field: string | null, now: Date): RowRejected => ({
  type: 'RowRejected',
  schemaVersion: SCHEMA_VERSION,
  eventId: rejectionEventId(till.tillId, `refund/${refundId}`, reason),
  recordedAt: now.toISOString(),
  source: { kind: 'till', tillId: till.tillId, saleId: refundId },
  data: { reason, field },
});

/**
 * A refund's content refused (422, its reason code and field): like a refused sale,
 * it reaches the quarantine table as a RowRejected when its refund id is usable.
 */
function refused(body: object, till: TillIdentity, reason: RejectReasonCode, field: string | null, message: string, now: Date): CorrectionAnswer {
  const refundId = (body as { refundId?: unknown }).refundId;
  const events = SaleIdSchema.safeParse(refundId).success ? [rejectionOf(till, refundId as string, reason, field, now)] : [];
  return refusal(422, reason, field ? `${field}: ${message}` : message, { field }, events);
}

/**
 * A `POST /v1/refunds` body, checked for shape, for the till's clock, and by the
 * raw-sale contract every sale obeys (`total_mismatch` when the lines do not add up
 * to `totalPence`, the same price and text rules, the same product/flavour split),
 * so a refund's lines read exactly like the sale's they give back.
 */
export function readRefund(body: unknown, till: TillIdentity, now: Date): RefundCommand | CorrectionAnswer {
  const object = readBody(body);
  const shape = TillRefundSchema.safeParse(object);
  if (!shape.success) {
    const issue = shape.error.issues[0];
    if (!issue) return refused(object, till, RejectReason.RowMalformed, null, reasonText(RejectReason.RowMalformed), now);
    return refused(object, till, reasonOfShapeIssue(issue), pathText(issue.path) || null, describeIssue(issue), now);
  }
  const refund = shape.data;
  if (Date.parse(refund.occurredAt) - now.getTime() > MAX_CLOCK_AHEAD_MS) {
    return refused(object, till, RejectReason.DateImpossible, 'occurredAt', 'occurredAt is in the future: check the till clock', now);
  }
  // A refund carries no card (the money goes back the way it came), so it is checked as a cash sale would be.
  const raw = toRawSale({ saleId: refund.refundId, branch: till.branch, occurredAt: refund.occurredAt, items: refund.items, totalPence: refund.totalPence, paymentMethod: 'CASH' }, till.branch);
  const parsed = RawSaleSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const reason = rejectReasonOf(issue, RejectReason.RowMalformed);
    return refused(object, till, reason, tillFieldOf(issue?.path ?? []), reasonText(reason), now);
  }
  const lines = parsed.data.items.map((item) => ({ size: item.size, product: item.product, flavour: item.flavour, pricePence: item.pricePence }));
  const { tillId: saleTill } = saleKeyOf(refund, till);
  const fingerprint = contentFingerprint('till-refund/v1', [saleTill, refund.saleId, parsed.data.occurredAt.toISOString(), lines.map((line) => [line.size, line.product, line.flavour, line.pricePence]), refund.totalPence, refund.paymentMethod]);
  return { refund, lines, fingerprint };
}

/**
 * The refund of an authorised sale: claimed under the refunding till and its refund
 * id, its event id from the same two (a retry is the same event), the RefundRecorded
 * linked to the sale's event id and under the sale's branch.
 */
export function planRefund(command: RefundCommand, sale: IdempotencyRecord, till: TillIdentity, now: Date): PlannedRefund {
  const { refund } = command;
  const eventId = refundEventId(till.tillId, refund.refundId);
  return {
    claim: { key: { tillId: till.tillId, kind: IdempotencyKind.Refund, id: refund.refundId }, branch: till.branch, eventId, fingerprint: command.fingerprint, totalPence: 0, claimedAt: now },
    pence: refund.totalPence,
    event: {
      type: 'RefundRecorded',
      schemaVersion: SCHEMA_VERSION,
      eventId,
      recordedAt: now.toISOString(),
      occurredAt: new Date(refund.occurredAt).toISOString(),
      source: { kind: 'till', tillId: till.tillId, saleId: refund.refundId },
      data: { refundOf: sale.eventId, branch: sale.branch, items: command.lines, totalPence: refund.totalPence, paymentMethod: refund.paymentMethod },
    },
  };
}

/**
 * The answer to a refund once its claim is settled: claimed is 202 `accepted` and a
 * repeat (a retry, also after a 503) 202 `duplicate`, both writing the event; a
 * refund id reused for other content is 409 `refund_id_conflict` naming the
 * recorded refund (and quarantined as `sale_id_conflict`); a voided sale 409
 * `sale_voided`; more than the sale has left 409 `refund_exceeds_sale`.
 */
export function answerRefund(outcome: RefundClaimOutcome, planned: PlannedRefund, till: TillIdentity, now: Date): CorrectionAnswer {
  const { refundOf } = planned.event.data;
  const accepted = (status: TillRefundResponse['status'], eventId: string, message: string): CorrectionAnswer => ({
    statusCode: 202,
    body: { status, eventId, refundOf, message },
    events: [{ ...planned.event, eventId }],
  });
  switch (outcome.outcome) {
    case 'claimed':
      return accepted(TillCorrectionStatus.Accepted, planned.event.eventId, 'the refund is recorded: revenue is net of it');
    case 'repeat':
      return accepted(TillCorrectionStatus.Duplicate, outcome.stored.eventId, 'this refund was already recorded under this refundId; recorded once');
    case 'conflict':
      return refusal(409, CorrectionRefusal.RefundIdConflict, `refundId: ${REFUND_ID_CONFLICT_TEXT}`, { eventId: outcome.stored.eventId, field: 'refundId' }, [
        rejectionOf(till, planned.claim.key.id, RejectReason.SaleIdConflict, 'refundId', now),
      ]);
    case 'sale_voided':
      return refusal(409, CorrectionRefusal.SaleVoided, 'the sale was voided: there is nothing to refund');
    case 'exceeds':
      return refusal(409, CorrectionRefusal.RefundExceedsSale, `the sale's refunds would add up to more than its total; at most ${outcome.remainingPence} pence of it remain to refund`, { field: 'totalPence' });
    case 'sale_not_found':
      return refusal(404, CorrectionRefusal.SaleNotFound, 'no sale is known under this tillId and saleId');
    default: {
      const unhandled: never = outcome;
      return unhandled;
    }
  }
}

/**
 * `POST /v1/refunds` for an authenticated till: reads and checks the body (422),
 * finds the sale (404/403), claims the refund and reserves its amount in one atomic
 * step, and says what to answer and write.
 */
export async function decideRefund(body: unknown, till: TillIdentity, store: IdempotencyStore, now: Date): Promise<CorrectionAnswer> {
  const command = readRefund(body, till, now);
  if (isAnswer(command)) return command;
  const sale = authoriseSale(await store.find(saleKeyOf(command.refund, till)), till);
  if (isAnswer(sale)) return sale;
  const planned = planRefund(command, sale, till, now);
  return answerRefund(await store.claimRefund(planned.claim, sale, planned.pence), planned, till, now);
}
