import { penceToPounds, type RawSale } from '../../contracts/index.js';
import type { TillSale } from '../../contracts/till-sale.js';

/**
 * A till sale in the raw sale's shape, so it meets the same validation and the
 * same consumer as a CSV row. The branch is the credential's spelling, not the
 * till's, so a branch's live and file sales group together.
 */
export function toRawSale(sale: TillSale, branch: string): RawSale {
  return {
    timestamp: sale.occurredAt,
    branch,
    customerName: sale.customer?.name ?? null,
    items: sale.items.map((item) => ({
      size: item.size,
      // The raw sale splits product and flavour on the first ' - ', as in the files.
      name: item.flavour === undefined ? item.product : `${item.product} - ${item.flavour}`,
      price: penceToPounds(item.pricePence),
    })),
    total: penceToPounds(sale.totalPence),
    paymentMethod: sale.paymentMethod,
    cardNumber: sale.customer?.cardNumber ?? null,
    cardBrand: null,
  };
}

/** Raw sale field paths back to the till request's names, so an error points at what the till sent. */
const FIELD_NAMES: Readonly<Record<string, string>> = {
  timestamp: 'occurredAt',
  total: 'totalPence',
  customerName: 'customer.name',
  cardNumber: 'customer.cardNumber',
  cardBrand: 'customer.cardNumber',
  price: 'pricePence',
  name: 'product',
};

/** `items.2.price` → `items.2.pricePence`. */
export function tillFieldOf(rawPath: readonly PropertyKey[]): string | null {
  if (rawPath.length === 0) return null;
  return rawPath.map((part) => (typeof part === 'string' ? (FIELD_NAMES[part] ?? part) : String(part))).join('.');
}
