import { RejectReason, SCHEMA_VERSION, type SaleVoided } from '../../../contracts/index.js';
import { TillCorrectionStatus, TillVoidSchema, type TillVoid, type TillVoidResponse } from '../../../contracts/till-corrections.js';
import { voidEventId } from '../../shared/event-id.js';
import { MAX_CLOCK_AHEAD_MS, type TillIdentity } from '../decide-sales.js';
import { describeIssue, pathText, reasonOfShapeIssue } from '../describe-issue.js';
import { contentFingerprint, voidKeyOf, type IdempotencyRecord, type IdempotencyStore, type VoidClaimOutcome } from '../idempotency/idempotency-store.js';
import { authoriseSale, CorrectionRefusal, isAnswer, refusal, saleKeyOf, type CorrectionAnswer } from './correction-answer.js';
import { readBody } from './read-body.js';

/** A void as planned once its sale is found and authorised: the claim to make and the event to write. */
export interface PlannedVoid {
  readonly claim: IdempotencyRecord;
  readonly event: SaleVoided;
}

/**
 * A `POST /v1/voids` body, checked for shape (422 with the reason and field
 * otherwise; 400 when it is not a JSON object) and for the till's clock (a void more
 * than 10 minutes ahead is `date_impossible`).
 */
export function readVoid(body: unknown, now: Date): TillVoid | CorrectionAnswer {
  const shape = TillVoidSchema.safeParse(readBody(body));
  if (!shape.success) {
    const issue = shape.error.issues[0];
    const field = issue ? pathText(issue.path) || null : null;
    return refusal(422, issue ? reasonOfShapeIssue(issue) : RejectReason.RowMalformed, issue ? `${field ?? 'the void'}: ${describeIssue(issue)}` : 'the void is malformed', { field });
  }
  if (Date.parse(shape.data.occurredAt) - now.getTime() > MAX_CLOCK_AHEAD_MS) {
    return refusal(422, RejectReason.DateImpossible, 'occurredAt is in the future: check the till clock', { field: 'occurredAt' });
  }
  return shape.data;
}

/**
 * The void of an authorised sale: its key is the sale's till, `void` and the sale's
 * event id, and its event id derives from the sale's, so any till of the branch
 * voiding the sale, once or many times, makes one SaleVoided. The event's source is
 * the voiding till and the sale id it named; its branch is the sale's.
 */
export function planVoid(command: TillVoid, sale: IdempotencyRecord, till: TillIdentity, now: Date): PlannedVoid {
  const eventId = voidEventId(sale.eventId);
  return {
    claim: { key: voidKeyOf(sale), branch: till.branch, eventId, fingerprint: contentFingerprint('till-void/v1', sale.eventId), totalPence: 0, claimedAt: now },
    event: {
      type: 'SaleVoided',
      schemaVersion: SCHEMA_VERSION,
      eventId,
      recordedAt: now.toISOString(),
      occurredAt: new Date(command.occurredAt).toISOString(),
      source: { kind: 'till', tillId: till.tillId, saleId: command.saleId },
      data: { saleEventId: sale.eventId, branch: sale.branch },
    },
  };
}

/**
 * The answer to a void once its claim is settled: claimed is 202 `accepted` and a
 * repeat 202 `duplicate`, both writing the event (a repeat after a failed write must
 * still land; the warehouse loads it once); a refunded sale is 409 `sale_refunded`
 * (as at a point of sale, a sale with refunds is not voided: refund the rest); a
 * sale gone from the store is 404.
 */
export function answerVoid(outcome: VoidClaimOutcome, planned: PlannedVoid): CorrectionAnswer {
  const { saleEventId } = planned.event.data;
  const accepted = (status: TillVoidResponse['status'], eventId: string, message: string): CorrectionAnswer => ({
    statusCode: 202,
    body: { status, eventId, saleEventId, message },
    events: [{ ...planned.event, eventId }],
  });
  switch (outcome.outcome) {
    case 'claimed':
      return accepted(TillCorrectionStatus.Accepted, planned.event.eventId, 'the sale is voided: it leaves every figure');
    case 'repeat':
      return accepted(TillCorrectionStatus.Duplicate, outcome.stored.eventId, 'this sale was already voided; voided once');
    case 'sale_refunded':
      return refusal(409, CorrectionRefusal.SaleRefunded, 'the sale has refunds and cannot be voided; refund what remains of it instead');
    case 'sale_not_found':
      return refusal(404, CorrectionRefusal.SaleNotFound, 'no sale is known under this tillId and saleId');
    default: {
      const unhandled: never = outcome;
      return unhandled;
    }
  }
}

/**
 * `POST /v1/voids` for an authenticated till: reads the body, finds the sale
 * (404/403), claims the void atomically with the check that the sale has no refund,
 * and says what to answer and write. Nothing is written for a refusal.
 */
export async function decideVoid(body: unknown, till: TillIdentity, store: IdempotencyStore, now: Date): Promise<CorrectionAnswer> {
  const command = readVoid(body, now);
  if (isAnswer(command)) return command;
  const sale = authoriseSale(await store.find(saleKeyOf(command, till)), till);
  if (isAnswer(sale)) return sale;
  const planned = planVoid(command, sale, till, now);
  return answerVoid(await store.claimVoid(planned.claim, sale), planned);
}
