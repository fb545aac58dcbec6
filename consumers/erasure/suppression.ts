import type { SaleRecord } from '../../contracts/index.js';
import type { ProjectionBatch } from '../sales-transform/ports.js';

/**
 * The erasures carried out: each erased `customer_key` and when. A sale that
 * happened up to that instant belongs to the erased customer's past and must not
 * be tied to them again, however it comes back (a replay, a re-driven file, a
 * re-uploaded CSV); a sale after it is a new purchase. Pseudonymous keys only,
 * never a name or a card: the list is what remembering an erasure takes.
 */
export interface Erasure {
  readonly customerKey: string;
  /** ISO instant of the erasure. */
  readonly erasedAt: string;
}

/** The erasures by key: what the suppression hook consults. */
export type SuppressionList = ReadonlyMap<string, Erasure>;

/** The list from erasures; a key's latest erasure counts (it covers everything an earlier one did, and what came since). */
export function suppressionList(erasures: readonly Erasure[]): SuppressionList {
  const byKey = new Map<string, Erasure>();
  for (const erasure of erasures) {
    const known = byKey.get(erasure.customerKey);
    // Stryker disable next-line EqualityOperator: two erasures of the same instant cover the same sales
    if (!known || Date.parse(erasure.erasedAt) > Date.parse(known.erasedAt)) byKey.set(erasure.customerKey, erasure);
  }
  return byKey;
}

/** True when the sale is one an erasure covers: its key was erased, and it was sold by then. */
export function isSuppressed(sale: Pick<SaleRecord['sale'], 'customerKey' | 'soldAt'>, list: SuppressionList): boolean {
  // Stryker disable next-line ConditionalExpression: the list has no null key either; the check narrows the type
  if (sale.customerKey === null) return false;
  const erasure = list.get(sale.customerKey);
  return erasure !== undefined && Date.parse(sale.soldAt) <= Date.parse(erasure.erasedAt);
}

/**
 * The hook a projection calls before loading a batch (the local replay does; the
 * consumer should, issue 14's merge): every sale an erasure covers keeps its
 * figures but loses its `customer_key`, so it stays in the revenue and is no
 * longer anyone's. Returns the batch itself when nothing is suppressed.
 */
export function suppressErased(batch: ProjectionBatch, list: SuppressionList): ProjectionBatch {
  if (!batch.sales.some((record) => isSuppressed(record.sale, list))) return batch;
  return { ...batch, sales: batch.sales.map((record) => (isSuppressed(record.sale, list) ? { ...record, sale: { ...record.sale, customerKey: null } } : record)) };
}
