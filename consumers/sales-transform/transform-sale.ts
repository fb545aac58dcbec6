import { londonDateOf, SaleKind, type ParsedTransactionRecorded, type RefundRecorded, type SaleRecord } from '../../contracts/index.js';
import { customerKey } from './customer-key.js';
import { matchKey } from './match-key.js';
import { redact } from './redact.js';

/**
 * A validated TransactionRecorded event to the clean sale, its basket lines and
 * where it was seen (a file version's row, or a till): pseudonymise the customer,
 * drop personal data, keep normalised values, and key it for live/file matching.
 */
export function transformSale(event: ParsedTransactionRecorded, pepper: string, loadedAt: Date): SaleRecord {
  const key = customerKey(pepper, event.data.customerName, event.data.cardNumber);
  const sale = redact(event.data);
  const items = sale.items.map((item, index) => ({
    eventId: event.eventId,
    lineNo: index + 1,
    size: item.size,
    product: item.product,
    flavour: item.flavour,
    pricePence: item.pricePence,
  }));
  const match = matchKey({ branch: sale.branch, soldAt: sale.occurredAt, paymentMethod: sale.paymentMethod, totalPence: sale.totalPence, items });
  const { source } = event;
  return {
    sale: {
      eventId: event.eventId,
      kind: SaleKind.Sale,
      refundOf: null,
      branch: sale.branch,
      soldAt: sale.occurredAt.toISOString(),
      businessDate: sale.businessDate,
      totalPence: sale.totalPence,
      paymentMethod: sale.paymentMethod,
      cardBrand: sale.cardBrand,
      customerKey: key,
      itemCount: sale.items.length,
      source: source.kind,
      sourceRef: source.kind === 'file' ? source.file : source.tillId,
      recordedAt: event.recordedAt,
      loadedAt: loadedAt.toISOString(),
    },
    items,
    origin: source.kind === 'file' ? { kind: 'file', file: source.file, version: source.version, line: source.line, matchKey: match } : { kind: 'till', matchKey: match },
  };
}

/**
 * A refund to its row in `sales`: a sale of its own, negative, linked to the
 * original (`refundOf`); its lines negative too. It has no customer of its own and
 * no match key (a nightly file has no refunds to match).
 */
export function transformRefund(event: RefundRecorded, loadedAt: Date): SaleRecord {
  const soldAt = new Date(event.occurredAt);
  return {
    sale: {
      eventId: event.eventId,
      kind: SaleKind.Refund,
      refundOf: event.data.refundOf,
      branch: event.data.branch,
      soldAt: soldAt.toISOString(),
      businessDate: londonDateOf(soldAt),
      totalPence: -event.data.totalPence,
      paymentMethod: event.data.paymentMethod,
      cardBrand: null,
      customerKey: null,
      itemCount: event.data.items.length,
      source: 'till',
      sourceRef: event.source.tillId,
      recordedAt: event.recordedAt,
      loadedAt: loadedAt.toISOString(),
    },
    items: event.data.items.map((item, index) => ({
      eventId: event.eventId,
      lineNo: index + 1,
      size: item.size,
      product: item.product,
      flavour: item.flavour,
      pricePence: -item.pricePence,
    })),
    origin: { kind: 'till', matchKey: null },
  };
}
