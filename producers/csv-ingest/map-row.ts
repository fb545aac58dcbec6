import { FileLayout, RejectReason, type RawSale, type RejectReasonCode } from '../../contracts/index.js';
import { parseBasket, parseLegacyBasket } from './parse-basket.js';
import { readTimestamp } from './read-timestamp.js';

/** The layouts whose rows hold sales (a header is the standard layout with a header row). */
export type DataLayout = typeof FileLayout.Standard | typeof FileLayout.Legacy2021 | typeof FileLayout.Gen2020;

export type MappedRow = { ok: true; sale: RawSale } | { ok: false; reason: RejectReasonCode; field: string | null };

export interface MapRowOptions {
  /** Amounts may be written with a decimal comma (`2,15`): files separated by something other than a comma. */
  readonly decimalComma?: boolean;
}

/** The number of columns every layout has. */
export const LAYOUT_COLUMNS = 7;
const LEGACY_PAYMENTS = new Set(['CARD', 'CASH']);
const DECIMAL_COMMA = /^(\s*\d+),(\d{1,2}\s*)$/;

/** `2,15` as `2.15`, when the file's dialect writes decimal commas; anything else as it is. */
const decimalPoint = (text: string, decimalComma: boolean | undefined) => (decimalComma ? text.replace(DECIMAL_COMMA, '$1.$2') : text);

/** Splits the legacy card field `type,number` (or `None`). */
function legacyCard(field: string): { number: string | null; brand: string | null } {
  const text = field.trim();
  if (text === '' || text.toLowerCase() === 'none') return { number: null, brand: null };
  const comma = text.indexOf(',');
  return comma < 0 ? { number: text, brand: null } : { number: text.slice(comma + 1), brand: text.slice(0, comma) };
}

/** True when a row in the standard columns is in the legacy 2021 layout instead (ISO date, payment where the total is). */
export function isLegacyRow(record: readonly string[]): boolean {
  // Stryker disable next-line StringLiteral: a missing field reads as false with any fallback text that is neither an ISO date nor a payment
  return /^\d{4}-\d{2}-\d{2}/.test(record[0]?.trim() ?? '') && LEGACY_PAYMENTS.has(record[4]?.trim().toUpperCase() ?? '');
}

/**
 * One CSV record (the layout's seven columns) to the contract's raw sale, for a
 * known layout. Only the file's syntax is handled here (column order, date,
 * basket and decimal notation); validating the values is the contract's job.
 */
export function mapRow(record: readonly string[], layout: DataLayout, options: MapRowOptions = {}): MappedRow {
  if (record.length !== LAYOUT_COLUMNS) return { ok: false, reason: RejectReason.ColumnCount, field: null };
  // Stryker disable next-line StringLiteral: the length is checked above, so the defaults are never used (they only satisfy the type checker)
  const [timestampText = '', branch = '', customerName = '', basketText = '', fifth = '', sixth = '', seventh = ''] = record;
  const timestamp = readTimestamp(timestampText.trim());
  if (timestamp === undefined) return { ok: false, reason: RejectReason.DateUnparsable, field: 'timestamp' };

  const legacy = layout === FileLayout.Legacy2021;
  const parsed = legacy ? parseLegacyBasket(basketText) : parseBasket(basketText, { sizeOptional: layout === FileLayout.Gen2020 });
  if (parsed === undefined) return { ok: false, reason: RejectReason.BasketMalformed, field: 'items' };
  const items = options.decimalComma ? parsed.map((item) => ({ ...item, price: decimalPoint(item.price, true) })) : parsed;
  const card = legacy ? legacyCard(seventh) : { number: seventh, brand: null };

  return {
    ok: true,
    sale: {
      timestamp,
      branch,
      customerName,
      items,
      total: decimalPoint(legacy ? sixth : fifth, options.decimalComma),
      paymentMethod: legacy ? fifth : sixth,
      cardNumber: card.number,
      cardBrand: card.brand,
    },
  };
}
