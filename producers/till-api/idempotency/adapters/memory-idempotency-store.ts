import { keyText, outcomeAgainst, voidKeyOf, type IdempotencyStore, type IdempotencyRecord } from '../idempotency-store.js';

/**
 * An IdempotencyStore in memory (unit tests; one process only). Each method runs to
 * its end without awaiting, so each is atomic as the port requires.
 */
export function createMemoryIdempotencyStore(): IdempotencyStore & { readonly records: Map<string, IdempotencyRecord> } {
  const records = new Map<string, IdempotencyRecord>();
  /** Pence reserved by refunds, by the sale's key text. */
  const refunded = new Map<string, number>();
  return {
    records,
    async claim(record) {
      const stored = records.get(keyText(record.key));
      if (stored) return outcomeAgainst(record, stored);
      records.set(keyText(record.key), record);
      return { outcome: 'claimed' };
    },
    async find(key) {
      return records.get(keyText(key));
    },
    async claimRefund(refund, sale, pence) {
      const stored = records.get(keyText(refund.key));
      if (stored) return outcomeAgainst(refund, stored);
      const known = records.get(keyText(sale.key));
      if (!known) return { outcome: 'sale_not_found' };
      if (records.has(keyText(voidKeyOf(known)))) return { outcome: 'sale_voided' };
      const already = refunded.get(keyText(sale.key)) ?? 0;
      if (already + pence > known.totalPence) return { outcome: 'exceeds', remainingPence: known.totalPence - already };
      records.set(keyText(refund.key), refund);
      refunded.set(keyText(sale.key), already + pence);
      return { outcome: 'claimed' };
    },
    async claimVoid(voidRecord, sale) {
      const stored = records.get(keyText(voidRecord.key));
      if (stored) return { outcome: 'repeat', stored };
      if (!records.has(keyText(sale.key))) return { outcome: 'sale_not_found' };
      if ((refunded.get(keyText(sale.key)) ?? 0) > 0) return { outcome: 'sale_refunded' };
      records.set(keyText(voidRecord.key), voidRecord);
      return { outcome: 'claimed' };
    },
  };
}
