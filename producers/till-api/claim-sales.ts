import { RejectReason, SCHEMA_VERSION, type SalesStreamEvent } from '../../contracts/index.js';
import { TillSaleStatus, type TillSaleResult } from '../../contracts/till-sale.js';
import { rejectionEventId } from '../shared/event-id.js';
import { CONFLICT_TEXT, type SalesDecision, type TillIdentity } from './decide-sales.js';
import { IdempotencyKind, type ClaimOutcome, type IdempotencyStore } from './idempotency/idempotency-store.js';

/**
 * Claims the idempotency key of every accepted sale of a decision, all at once, and
 * settles each against what was stored before:
 *
 * - claimed: stays `accepted`;
 * - repeat (same content, e.g. a retry after a 503 or a concurrent post): becomes
 *   `duplicate`, its event still written, so it lands even if the first write did not;
 * - conflict (the id was used for another sale): becomes `rejected` with
 *   `sale_id_conflict` and the stored sale's event id; its event is replaced by a
 *   RowRejected, so the refusal reaches the quarantine table.
 *
 * Returns a new decision; the input is not changed.
 */
export async function claimSales(decision: SalesDecision, store: IdempotencyStore, till: TillIdentity, now: Date): Promise<SalesDecision> {
  if (decision.claims.length === 0) return decision;
  const outcomes = await Promise.all(
    decision.claims.map(
      (claim): Promise<ClaimOutcome> =>
        store.claim({
          key: { tillId: till.tillId, kind: IdempotencyKind.Sale, id: claim.saleId },
          branch: till.branch,
          eventId: claim.eventId,
          fingerprint: claim.fingerprint,
          totalPence: claim.totalPence,
          claimedAt: now,
        }),
    ),
  );
  const results: TillSaleResult[] = [...decision.results];
  let events: SalesStreamEvent[] = [...decision.events];
  let { accepted, duplicates, rejected } = decision;
  decision.claims.forEach((claim, index) => {
    const outcome = outcomes[index] as ClaimOutcome;
    if (outcome.outcome === 'claimed') return;
    // The sale's result, and any in-request duplicates of it, share its fate.
    const affected = results.flatMap((result, at) => (result.saleId === claim.saleId && result.status !== TillSaleStatus.Rejected ? [at] : []));
    if (outcome.outcome === 'repeat') {
      for (const at of affected) {
        const result = results[at] as TillSaleResult;
        if (result.status === TillSaleStatus.Accepted) {
          accepted--;
          duplicates++;
          results[at] = { ...result, status: TillSaleStatus.Duplicate, message: 'this sale was already recorded under this saleId' };
        }
      }
      return;
    }
    for (const at of affected) {
      const result = results[at] as TillSaleResult;
      if (result.status === TillSaleStatus.Accepted) accepted--;
      else duplicates--;
      rejected++;
      results[at] = { index: result.index, saleId: claim.saleId, status: TillSaleStatus.Rejected, reason: RejectReason.SaleIdConflict, field: 'saleId', eventId: outcome.stored.eventId, message: `saleId: ${CONFLICT_TEXT}` };
    }
    events = events.filter((event) => !(event.type === 'TransactionRecorded' && event.eventId === claim.eventId));
    events.push({
      type: 'RowRejected',
      schemaVersion: SCHEMA_VERSION,
      eventId: rejectionEventId(till.tillId, claim.saleId, RejectReason.SaleIdConflict),
      recordedAt: now.toISOString(),
      source: { kind: 'till', tillId: till.tillId, saleId: claim.saleId },
      data: { reason: RejectReason.SaleIdConflict, field: 'saleId' },
    });
  });
  return { results, events, claims: decision.claims, accepted, duplicates, rejected };
}
