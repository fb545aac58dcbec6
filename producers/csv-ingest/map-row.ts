import { FileLayout, RejectReason, type RawSale, type RejectReasonCode } from '../../contracts/index.js';
import { parseBasket, parseLegacyBasket } from './parse-basket.js';
import { looksLikeTimestamp, readTimestamp } from './read-timestamp.js';

export type DataLayout = typeof FileLayout.Standard | typeof FileLayout.Legacy2021;

export type MappedRow = { ok: true; sale: RawSale } | { ok: false; reason: RejectReasonCode; field: string | null };

const COLUMNS = 7;
const LEGACY_PAYMENTS = new Set(['CARD', 'CASH']);

// Values only a sale row holds: an amount of money (`2.45`, `6`) anywhere, or a
// payment method where either layout keeps it (a header may name a column "Card").
const AMOUNT = /^\d{1,7}(?:\.\d{1,2})?$/;
const PAYMENT = /^(?:card|cash)$/i;

/**
 * Which layout a file's first non-blank record is in. A header is recognised by
 * its shape, never by its names, which vary: its first field is not a date and
 * none of its fields is a payment method or an amount. A first sale row with a
 * bad date is therefore still a row (and rejected as one), not a silently
 * skipped "header".
 */
export function detectLayout(record: readonly string[]): { layout: DataLayout; header: boolean } {
  const [first = '', , , , fifth = ''] = record;
  const saleValues = record.some((field) => AMOUNT.test(field.trim())) || PAYMENT.test(fifth.trim()) || PAYMENT.test(record[5]?.trim() ?? '');
  const header = !looksLikeTimestamp(first) && !saleValues;
  // Legacy 2021 rows put the payment method where the standard layout has the total.
  const legacy = !header && /^\d{4}-\d{2}-\d{2}/.test(first.trim()) && LEGACY_PAYMENTS.has(fifth.trim().toUpperCase());
  return { layout: legacy ? FileLayout.Legacy2021 : FileLayout.Standard, header };
}

/** Splits the legacy card field `type,number` (or `None`). */
function legacyCard(field: string): { number: string | null; brand: string | null } {
  const text = field.trim();
  if (text === '' || text.toLowerCase() === 'none') return { number: null, brand: null };
  const comma = text.indexOf(',');
  return comma < 0 ? { number: text, brand: null } : { number: text.slice(comma + 1), brand: text.slice(0, comma) };
}

/**
 * One CSV record to the contract's raw sale, for a known layout. Only the layout's
 * syntax is handled here (column order, date and basket notation); validating the
 * values is the contract's job.
 */
export function mapRow(record: readonly string[], layout: DataLayout): MappedRow {
  if (record.length !== COLUMNS) return { ok: false, reason: RejectReason.ColumnCount, field: null };
  const [timestampText = '', branch = '', customerName = '', basketText = '', fifth = '', sixth = '', seventh = ''] = record;
  const timestamp = readTimestamp(timestampText.trim());
  if (timestamp === undefined) return { ok: false, reason: RejectReason.DateUnparsable, field: 'timestamp' };

  const legacy = layout === FileLayout.Legacy2021;
  const items = legacy ? parseLegacyBasket(basketText) : parseBasket(basketText);
  if (items === undefined) return { ok: false, reason: RejectReason.BasketMalformed, field: 'items' };
  const card = legacy ? legacyCard(seventh) : { number: seventh, brand: null };

  return {
    ok: true,
    sale: {
      timestamp,
      branch,
      customerName,
      items,
      total: legacy ? sixth : fifth,
      paymentMethod: legacy ? fifth : sixth,
      cardNumber: card.number,
      cardBrand: card.brand,
    },
  };
}
