import { keyText, outcomeAgainst, type IdempotencyStore, type IdempotencyRecord } from '../idempotency-store.js';

/** An IdempotencyStore in memory (unit tests; one process only). */
export function createMemoryIdempotencyStore(): IdempotencyStore & { readonly records: Map<string, IdempotencyRecord> } {
  const records = new Map<string, IdempotencyRecord>();
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
    async reserveRefund(sale, pence) {
      const stored = records.get(keyText(sale));
      const already = refunded.get(keyText(sale)) ?? 0;
      if (!stored || already + pence > stored.totalPence) return false;
      refunded.set(keyText(sale), already + pence);
      return true;
    },
  };
}
