import { TransactionRecordedSchema, encodeStreamRecord, splitStreamRecord, upcastEvent } from '../../contracts/index.js';
import { customerKey } from '../sales-transform/customer-key.js';
import { isSuppressed, type SuppressionList } from './suppression.js';

/**
 * Scrubbers for the copies an erasure must reach. Each takes a file's text (or one
 * archived Kinesis record), changes only what an erasure covers and says how much
 * it changed; a line it cannot read is kept as it is (a cut fragment stays a
 * fragment). None logs or returns what a line said.
 */

/** Marks a card number an erasure removed: present (so the sale stays a card sale) but no whole number (so no key). */
export const ERASED_CARD = 'erased';

export interface Scrubbed<T> {
  readonly value: T;
  /** Sales (or events) the erasure changed. */
  readonly changed: number;
}

function scrubLines(text: string, scrubLine: (parsed: Record<string, unknown>) => boolean): Scrubbed<string> {
  let changed = 0;
  const lines = text.split('\n').map((line) => {
    // A blank line or a cut fragment does not parse, and is kept as it is.
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return line;
    }
    // JSON that is no record (`null`, a number) has none of a record's fields: only null cannot be asked.
    if (parsed === null || !scrubLine(parsed as Record<string, unknown>)) return line;
    changed++;
    return JSON.stringify(parsed);
  });
  return { value: lines.join('\n'), changed };
}

/**
 * The local archive of clean records (`<data-dir>/archive/*.ndjson`, lines of
 * `{ kind: 'sale', record: { sale, items } }`): a sale an erasure covers loses its
 * `customerKey`.
 */
export function scrubArchiveText(text: string, list: SuppressionList): Scrubbed<string> {
  return scrubLines(text, (line) => {
    const sale = (line.record as { sale?: { customerKey?: string | null; soldAt?: string } } | undefined)?.sale;
    if (line.kind !== 'sale' || !sale || typeof sale.soldAt !== 'string') return false;
    if (!isSuppressed({ customerKey: sale.customerKey ?? null, soldAt: sale.soldAt }, list)) return false;
    sale.customerKey = null;
    return true;
  });
}

/**
 * Warehouse rows as Firehose delivered them (`rows/sales/…`: JSON lines keyed by
 * column): a sale an erasure covers loses its `customer_key`.
 */
export function scrubSaleRowsText(text: string, list: SuppressionList): Scrubbed<string> {
  return scrubLines(text, (row) => {
    if (typeof row.sold_at !== 'string') return false;
    // Stryker disable next-line ConditionalExpression: a key that is not text is never in the list (its keys are text); the check narrows the type
    if (typeof row.customer_key !== 'string') return false;
    if (!isSuppressed({ customerKey: row.customer_key, soldAt: row.sold_at }, list)) return false;
    row.customer_key = null;
    return true;
  });
}

const GZIP = [0x1f, 0x8b] as const;

/**
 * One raw Kinesis record (events as JSON lines, gzip-packed or plain, names and
 * card numbers included): every sale an erasure covers, recognised by the key the
 * consumer would compute (same pepper), loses the customer's name and card number.
 * The card stays marked as given (`ERASED_CARD`, and its brand kept), so a replay
 * loads the sale as an anonymous card sale with the same id and figures.
 *
 * @param data the record's bytes as Kinesis carried them
 * @returns the record's bytes (the same Buffer when nothing changed) and how many events changed
 */
export function scrubRawRecord(data: Buffer, pepper: string, list: SuppressionList): Scrubbed<Buffer> {
  let changed = 0;
  const lines = splitStreamRecord(data).map((line) => {
    let raw: { data: Record<string, unknown> };
    try {
      raw = JSON.parse(line) as typeof raw;
    }
    // Stryker disable next-line BlockStatement: a line that is not JSON leaves raw undefined, which the contract refuses below
    catch {
      return line;
    }
    // Any other type of event, or a sale the contract refuses, is kept as it is.
    const parsed = TransactionRecordedSchema.safeParse(upcastEvent(raw));
    if (!parsed.success) return line;
    const sale = parsed.data.data;
    const key = customerKey(pepper, sale.customerName, sale.cardNumber);
    if (!isSuppressed({ customerKey: key, soldAt: sale.occurredAt.toISOString() }, list)) return line;
    raw.data.customerName = null;
    if (raw.data.cardNumber !== null) {
      raw.data.cardNumber = ERASED_CARD;
      // The contract read a brand (or null) from the raw sale: its own, when the number gave none.
      raw.data.cardBrand = sale.cardBrand ?? raw.data.cardBrand;
    }
    changed++;
    return JSON.stringify(raw);
  });
  if (changed === 0) return { value: data, changed };
  const packed = data[0] === GZIP[0] && data[1] === GZIP[1];
  return { value: encodeStreamRecord(lines, packed), changed };
}
