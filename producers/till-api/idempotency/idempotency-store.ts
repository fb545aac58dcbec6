import { sha256Hex } from '../../../contracts/keyed-hash.js';
import type { TillSale } from '../../../contracts/till-sale.js';

/**
 * Idempotency keys of the till API. Every sale, refund or void a till posts is
 * claimed under its key — the till, what it is, and the till's own id for it — with
 * a fingerprint of its content, before its event is written to the stream:
 *
 * - the key is new: the post is recorded (`claimed`);
 * - the key is known with the same fingerprint: a retry or a concurrent repeat
 *   (`repeat`), answered 2xx with the same event id (its event is written again,
 *   which the warehouse loads idempotently, so a repeat after a failed write still
 *   lands);
 * - the key is known with another fingerprint: the till reused its id for
 *   different content (`conflict`), answered 409 `sale_id_conflict` (or
 *   `refund_id_conflict`) naming the stored event id, never accepted and then dropped.
 *
 * A claim is one atomic conditional write (PostgreSQL `INSERT … ON CONFLICT DO
 * NOTHING`, DynamoDB `attribute_not_exists`), so the rule holds for concurrent posts;
 * PostgreSQL's adapter puts the claims of concurrent requests in one statement.
 * A refund's or void's claim is one transaction with the check on its sale
 * (PostgreSQL: the sale's row locked; DynamoDB: TransactWriteItems).
 */

/** What a key names: a sale, a refund (its own id) or the void of a sale (under the sale's till and the sale's event id). */
export const IdempotencyKind = { Sale: 'sale', Refund: 'refund', Void: 'void' } as const;
export type IdempotencyKind = (typeof IdempotencyKind)[keyof typeof IdempotencyKind];

export interface IdempotencyKey {
  readonly tillId: string;
  readonly kind: IdempotencyKind;
  /** The till's sale id or refund id; for a void, the voided sale's event id. */
  readonly id: string;
}

/** What is kept under a key: no customer data, only what later checks need. */
export interface IdempotencyRecord {
  readonly key: IdempotencyKey;
  /** The branch the till was bound to when it posted: a void or refund must come from the same branch. */
  readonly branch: string;
  readonly eventId: string;
  /** SHA-256 (hex) of the content's canonical form, see {@link saleFingerprint}. */
  readonly fingerprint: string;
  /** A sale's total, the most its refunds may add up to (pence); 0 for refunds and voids (a refund's amount is reserved on its sale). */
  readonly totalPence: number;
  readonly claimedAt: Date;
}

export type ClaimOutcome =
  | { readonly outcome: 'claimed' }
  | { readonly outcome: 'repeat'; readonly stored: IdempotencyRecord }
  | { readonly outcome: 'conflict'; readonly stored: IdempotencyRecord };

/**
 * A refund's claim: its own key, as a sale's ({@link ClaimOutcome}), and, when the
 * key is new, its amount reserved against the refunded sale — both or neither.
 * Refused (nothing recorded): the sale was voided, its refunds would exceed its total
 * (`remainingPence` may still be refunded), or it is not (or no longer) known.
 */
export type RefundClaimOutcome =
  | ClaimOutcome
  | { readonly outcome: 'sale_voided' }
  | { readonly outcome: 'exceeds'; readonly remainingPence: number }
  | { readonly outcome: 'sale_not_found' };

/**
 * A void's claim: its key (one per voided sale), recorded only while the sale has no
 * refund; a known key is a repeat (voiding twice is one void, whichever till asks).
 */
export type VoidClaimOutcome =
  | { readonly outcome: 'claimed' }
  | { readonly outcome: 'repeat'; readonly stored: IdempotencyRecord }
  | { readonly outcome: 'sale_refunded' }
  | { readonly outcome: 'sale_not_found' };

/** Where idempotency keys live: PostgreSQL locally, DynamoDB in AWS, memory in tests. */
export interface IdempotencyStore {
  /** Atomically records `record` unless its key is taken; says which of the three cases it was. */
  claim(record: IdempotencyRecord): Promise<ClaimOutcome>;
  find(key: IdempotencyKey): Promise<IdempotencyRecord | undefined>;
  /**
   * Claims a refund's key and reserves `pence` of `sale` (its record as found: the
   * key and total) in one atomic step, so a sale's refunds never add up to more than
   * its total and never pass a void, however they race. A repeat reserves nothing
   * again: a retry after a failed stream write is answered as the same refund, never
   * as one too many. A claimed refund keeps its reservation (like a claimed sale, it
   * is written on the till's retry).
   */
  claimRefund(refund: IdempotencyRecord, sale: IdempotencyRecord, pence: number): Promise<RefundClaimOutcome>;
  /**
   * Claims a void's key (the sale's till, `void`, the sale's event id) in one atomic
   * step with the check that `sale` has no refund, and marks the sale voided, so a
   * later refund of it is refused.
   */
  claimVoid(voidRecord: IdempotencyRecord, sale: IdempotencyRecord): Promise<VoidClaimOutcome>;
}

/** The outcome of a claim that lost the race: the same content is a repeat, other content a conflict. */
export function outcomeAgainst(record: IdempotencyRecord, stored: IdempotencyRecord): ClaimOutcome {
  return stored.fingerprint === record.fingerprint ? { outcome: 'repeat', stored } : { outcome: 'conflict', stored };
}

/**
 * A sale's content fingerprint: branch (case folded), the instant (so `+01:00` and
 * `Z` spellings of one instant agree), lines, total and payment. The customer is left
 * out so no personal data is hashed into the store; a reused id for another sale
 * differs in its time or basket.
 */
export function saleFingerprint(sale: TillSale): string {
  return sha256Hex(
    JSON.stringify([
      'till-sale/v1',
      sale.branch.trim().toLowerCase(),
      new Date(sale.occurredAt).toISOString(),
      sale.items.map((item) => [item.size, item.product, item.flavour ?? null, item.pricePence]),
      sale.totalPence,
      sale.paymentMethod,
    ]),
  );
}

/** A fingerprint of any other JSON-shaped content (refunds, voids), under a tag. */
export function contentFingerprint(tag: string, content: unknown): string {
  return sha256Hex(JSON.stringify([tag, content]));
}

export const keyText = (key: IdempotencyKey) => `${key.tillId}|${key.kind}|${key.id}`;

/** The key a sale's void is claimed under: the sale's till, `void`, the sale's event id (one void per sale, whichever till voids it). */
export const voidKeyOf = (sale: IdempotencyRecord): IdempotencyKey => ({ tillId: sale.key.tillId, kind: IdempotencyKind.Void, id: sale.eventId });
