import { keyedHash, sha256Hex, type ParsedSale } from '../../contracts/index.js';

/**
 * Deterministic event ids: the same fact always gets the same id, so re-uploads,
 * Excel re-saves of a file and replays load nothing twice.
 *
 * A sale's id is a keyed HMAC (secret pepper) over what makes the sale: branch,
 * time, basket, total, payment, the customer's name, and the occurrence index of
 * identical rows. The name tells apart two customers buying the same thing in the
 * same minute; keying the hash stops anyone holding the warehouse from testing
 * guessed names against the id. Card numbers are left out: spreadsheets mangle them,
 * and the same sale must keep its id through a re-export.
 */

const hex32 = (digest: string) => digest.slice(0, 32);

/** The content key of a sale (no occurrence index yet): 64 hex characters. */
export function saleContentKey(pepper: string, sale: ParsedSale): string {
  const canonical = JSON.stringify([
    'sale/v1',
    sale.branch.toLowerCase(),
    sale.occurredAt.toISOString(),
    sale.items.map((item) => [item.size, item.product, item.flavour, item.pricePence]),
    sale.totalPence,
    sale.paymentMethod,
    (sale.customerName ?? '').toLowerCase(),
  ]);
  return keyedHash(pepper, canonical);
}

/** The event id of the n-th (0-based) identical sale of a file. */
export function saleEventId(pepper: string, contentKey: string, occurrence: number): string {
  return occurrence === 0 ? hex32(contentKey) : hex32(keyedHash(pepper, `${contentKey}#${occurrence}`));
}

const sha = (text: string) => hex32(sha256Hex(text));

/** A till sale's id: the till's own sale id, so a retried post is the same event. */
export function tillSaleEventId(tillId: string, saleId: string): string {
  return sha(JSON.stringify(['till-sale/v1', tillId, saleId]));
}

/**
 * A till refund's id: the refunding till and its own refund id, so a retry is the
 * same event. Tagged apart from sales: a till's refund id may equal one of its sale ids.
 */
export function refundEventId(tillId: string, refundId: string): string {
  return sha(JSON.stringify(['till-refund/v1', tillId, refundId]));
}

/**
 * A void's id: one per voided sale, from the sale's event id alone, so two tills of
 * the branch voiding the same sale (or one till retrying) make one event.
 */
export function voidEventId(saleEventId: string): string {
  return sha(JSON.stringify(['till-void/v1', saleEventId]));
}

/** A rejected row's id: one per file line (or till sale) and reason. */
export function rejectionEventId(sourceRef: string, position: string | number, reason: string): string {
  return sha(JSON.stringify(['rejected/v1', sourceRef, position, reason]));
}

/** A file's ingest record id: one per file, the latest run replaces the last. */
export function fileEventId(file: string, startedAt: string): string {
  return sha(JSON.stringify(['file/v1', file, startedAt]));
}
