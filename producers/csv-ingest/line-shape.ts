import type { FileDialect } from '../../contracts/index.js';
import { LAYOUT_COLUMNS } from './map-row.js';
import { looksLikeTimestamp } from './read-timestamp.js';

/**
 * What a record looks like, before it is read as a sale: the tests the format
 * sniffer and the row classifier share, so a file is sniffed by the rules it is
 * then read by. They look at shapes only (a date, an amount, a basket item),
 * never at names.
 */

// A field that starts like a sale's date: dd/mm/yyyy (also d/m/yyyy) or ISO yyyy-mm-dd.
const DATE_START = /^\d{1,2}\/\d{1,2}\/\d{4}|^\d{4}-\d{2}-\d{2}/;
// A basket item's price after its separator: `Large Latte - 2.45` (or `2,45`).
const ITEM_PRICE = / - \d+[.,]\d{1,2}(?!\d)/;
// Values only a sale row holds: an amount of money (`2.45`, `6`), or a payment method.
const AMOUNT = /^\d{1,7}(?:[.,]\d{1,2})?$/;
const PAYMENT = /^(?:card|cash)$/i;
const ROW_NUMBER = /^\d*$/;

/** True when a field starts with a date, as a sale row's first field does. */
export function startsWithDate(field: string | undefined): boolean {
  return field !== undefined && DATE_START.test(field.trim());
}

/**
 * True when a record holds something only a sale row holds: a field starting with
 * a date, or a basket item with its price. A damaged sale row (a missing field,
 * another separator) still passes, so it is rejected as a row rather than
 * skipped as a note; a title, a note or a totals line does not.
 */
export function isSaleLike(record: readonly string[]): boolean {
  for (const field of record) if (DATE_START.test(field) || ITEM_PRICE.test(field)) return true;
  return false;
}

/**
 * True when the layout's seven columns are column names: at least four named,
 * the first not a date, no amount anywhere and no payment method where a layout
 * keeps it (fifth or sixth; a header may name the seventh "Card"). A sale row
 * whose date is bad still has those, and is rejected rather than skipped.
 */
export function isHeaderShaped(columns: readonly string[]): boolean {
  // Seven columns from here on: each is there to read.
  if (columns.length !== LAYOUT_COLUMNS || looksLikeTimestamp(columns[0] as string)) return false;
  if (PAYMENT.test((columns[4] as string).trim()) || PAYMENT.test((columns[5] as string).trim())) return false;
  let named = 0;
  for (const field of columns) {
    const text = field.trim();
    if (AMOUNT.test(text)) return false;
    if (text !== '') named++;
  }
  return named >= 4;
}

/**
 * A record's layout columns under the file's dialect: without the leading
 * row-number column and the trailing empty column where the dialect has them.
 * A record without them (a line the exporter wrote differently) is left whole.
 */
export function columnsOf(record: readonly string[], dialect: Pick<FileDialect, 'rowNumbers' | 'trailingColumn'>): readonly string[] {
  let columns = record;
  if (dialect.rowNumbers && columns.length > LAYOUT_COLUMNS && ROW_NUMBER.test(columns[0] as string)) columns = columns.slice(1);
  if (dialect.trailingColumn && columns.length > LAYOUT_COLUMNS && columns[columns.length - 1] === '') columns = columns.slice(0, -1);
  return columns;
}

/** True when every field is empty: a blank line, or one of separators only (Excel writes `,,,,,,`). */
export function isBlank(record: readonly string[]): boolean {
  for (const field of record) if (field.trim() !== '') return false;
  return true;
}
