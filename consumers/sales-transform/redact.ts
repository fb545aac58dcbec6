import type { ParsedSale } from '../../contracts/index.js';

/** A parsed sale with the personal data taken out: what may leave the raw stream. */
export type RedactedSale = Omit<ParsedSale, 'customerName' | 'cardNumber'>;

/**
 * Drops the customer name and card number. Built by listing what is kept, not
 * what is removed, so a field added to the raw sale later cannot leak by default.
 */
export function redact(sale: ParsedSale): RedactedSale {
  return {
    occurredAt: sale.occurredAt,
    businessDate: sale.businessDate,
    branch: sale.branch,
    items: sale.items,
    totalPence: sale.totalPence,
    paymentMethod: sale.paymentMethod,
    cardBrand: sale.cardBrand,
  };
}
