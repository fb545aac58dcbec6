import type { ParsedTransactionRecorded, SaleRecord } from '../../contracts/index.js';
import { customerKey } from './customer-key.js';
import { redact } from './redact.js';

/**
 * A validated TransactionRecorded event to the clean sale and its basket lines:
 * pseudonymise the customer, drop personal data, keep normalised values.
 */
export function transformSale(event: ParsedTransactionRecorded, pepper: string, loadedAt: Date): SaleRecord {
  const key = customerKey(pepper, event.data.customerName, event.data.cardNumber);
  const sale = redact(event.data);
  return {
    sale: {
      eventId: event.eventId,
      branch: sale.branch,
      soldAt: sale.occurredAt.toISOString(),
      businessDate: sale.businessDate,
      totalPence: sale.totalPence,
      paymentMethod: sale.paymentMethod,
      cardBrand: sale.cardBrand,
      customerKey: key,
      itemCount: sale.items.length,
      source: event.source.kind,
      sourceRef: event.source.kind === 'file' ? event.source.file : event.source.tillId,
      recordedAt: event.recordedAt,
      loadedAt: loadedAt.toISOString(),
    },
    items: sale.items.map((item, index) => ({
      eventId: event.eventId,
      lineNo: index + 1,
      size: item.size,
      product: item.product,
      flavour: item.flavour,
      pricePence: item.pricePence,
    })),
  };
}
