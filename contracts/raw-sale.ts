import { z } from 'zod';
import { poundsToPence } from './money.js';
import { londonDateOf, parseSaleTimestamp } from './local-time.js';
import { FieldLimitBytes, fitsBytes } from './field-limits.js';

/**
 * One sale as observed at the source (a CSV row or a till post), in one shape for
 * every file layout: text as found, split into fields but not yet interpreted.
 * Parsing it validates and normalises; producers parse to reject early, the
 * consumer parses to build the clean Sale. It holds personal data (customer name,
 * card number) and so only ever travels on the encrypted raw stream.
 */

/**
 * Any text field: bounded in UTF-8 bytes (`field-limits.ts`), and free of NUL, which no till or file means and
 * PostgreSQL cannot store. The shape checks are plain zod checks (cheap, compiled);
 * interpreting the text is one transform below, run once per sale: this contract
 * is parsed for every row by the producer and again by the consumer.
 */
const field = (maxBytes: number = FieldLimitBytes.rawField) =>
  // One check doing both tests, issues in the order two refinements gave them: a
  // refinement costs a closure call and its bookkeeping, for each of ~17 fields a row.
  z.string().check((payload) => {
    const value = payload.value;
    if (!fitsBytes(value, maxBytes)) payload.issues.push(fieldIssue('field_too_long', value));
    if (value.includes('\u0000')) payload.issues.push(fieldIssue('row_malformed', value));
  });

/** A raw field's issue: the reason, and `continue` as a refinement's issues have it. */
// Stryker disable next-line BooleanLiteral: nothing runs after a field's check (the sale's transform stops at any issue), so aborting reads the same
const fieldIssue = (message: string, input: string) => ({ code: 'custom' as const, message, input, path: [], continue: true });

export const ItemSize = { Regular: 'Regular', Large: 'Large' } as const;
export type ItemSize = (typeof ItemSize)[keyof typeof ItemSize];

export const PaymentMethod = { Card: 'CARD', Cash: 'CASH' } as const;
export type PaymentMethod = (typeof PaymentMethod)[keyof typeof PaymentMethod];

/** One basket line as written: size (`Regular`, `Large`, any case; empty where the file wrote none: legacy files, the 2020 export — read as NULL), name (flavour included), price in pounds. */
const RawSaleItemShape = z.object({ size: field(), name: field(), price: field() });

const RawSaleShape = z.object({
  /** `YYYY-MM-DD HH:MM[:SS]` London wall clock, or an ISO instant with zone. */
  timestamp: field(FieldLimitBytes.rawTimestamp),
  branch: field(),
  customerName: field(FieldLimitBytes.customerName).nullable(),
  items: z.array(RawSaleItemShape).min(1, { message: 'basket_empty' }).max(100, { message: 'field_too_long' }),
  total: field(),
  paymentMethod: field(),
  cardNumber: field(FieldLimitBytes.rawCardNumber).nullable(),
  cardBrand: field(FieldLimitBytes.rawCardBrand).nullable(),
});

type RawSaleShape = z.output<typeof RawSaleShape>;

export interface ParsedSaleItem {
  readonly size: ItemSize | null;
  readonly product: string;
  readonly flavour: string | null;
  readonly pricePence: number;
}

const SIZES: Readonly<Record<string, ItemSize | null>> = { '': null, regular: ItemSize.Regular, large: ItemSize.Large };
const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

/** A card number as the file has it: 16 digits, or mangled by spreadsheets (`5.49E+15`, `9557104128182484.0`); a mangled one still proves a card was used. */
function readCard(value: string | null): { present: boolean; digits: string | null } {
  const card = (value ?? '').trim();
  // Stryker disable next-line ObjectLiteral: an empty object reads as no card too (present and digits are falsy)
  if (card === '' || card.toLowerCase() === 'none') return { present: false, digits: null };
  const digits = card.replace(/\.0+$/, '').replace(/[\s-]/g, '');
  return { present: true, digits: /^\d{12,19}$/.test(digits) ? digits : null };
}

/** Brand by issuer prefix: the first digits identify a scheme, not a person. */
function brandOf(digits: string | null, declared: string | null): string | null {
  // Stryker disable next-line StringLiteral: with no declared brand, any text that starts with no scheme's name reads the same
  const name = declared?.trim().toLowerCase() ?? '';
  if (name.startsWith('visa')) return 'visa';
  if (name.startsWith('master')) return 'mastercard';
  if (name.startsWith('american') || name === 'amex') return 'amex';
  if (name.startsWith('discover')) return 'discover';
  if (!digits) return null;
  if (digits.startsWith('4')) return 'visa';
  if (/^(5[1-5]|2[2-7])/.test(digits)) return 'mastercard';
  if (/^3[47]/.test(digits)) return 'amex';
  if (/^(6011|65|64[4-9])/.test(digits)) return 'discover';
  return 'other';
}

/**
 * Interprets a well-shaped raw sale: every fault becomes an issue whose message is
 * the reject reason and whose path names the field (`items.2.price`), never its value.
 */
function normaliseSale(raw: RawSaleShape, ctx: z.RefinementCtx) {
  // Issues are gathered, then reported: no closure is made per sale on this hot path.
  const issues: { message: string; path: (string | number)[] }[] = [];
  const occurredAt = parseSaleTimestamp(raw.timestamp);
  if (!(occurredAt instanceof Date)) issues.push({ message: occurredAt, path: ['timestamp'] });
  const branch = collapse(raw.branch);
  if (branch === '') issues.push({ message: 'branch_missing', path: ['branch'] });
  else if (!fitsBytes(branch, FieldLimitBytes.branch)) issues.push({ message: 'field_too_long', path: ['branch'] });
  let sum = 0;
  const items: ParsedSaleItem[] = [];
  for (let index = 0; index < raw.items.length; index++) {
    const item = raw.items[index] as RawSaleShape['items'][number];
    const size = SIZES[item.size.trim().toLowerCase()];
    if (size === undefined) issues.push({ message: 'size_unknown', path: ['items', index, 'size'] });
    const name = item.name.trim();
    if (name === '') issues.push({ message: 'product_missing', path: ['items', index, 'name'] });
    const pricePence = poundsToPence(item.price);
    if (pricePence === undefined) issues.push({ message: 'price_invalid', path: ['items', index, 'price'] });
    sum += pricePence ?? 0;
    const cut = name.indexOf(' - ');
    const hasFlavour = cut !== -1;
    const product = collapse(hasFlavour ? name.slice(0, cut) : name);
    const flavour = hasFlavour ? collapse(name.slice(cut + 3)) || null : null;
    // The warehouse columns' limits, in bytes: what is accepted here always fits.
    if (!fitsBytes(product, FieldLimitBytes.product) || (flavour !== null && !fitsBytes(flavour, FieldLimitBytes.flavour))) {
      issues.push({ message: 'field_too_long', path: ['items', index, 'name'] });
    }
    items.push({ size: size ?? null, product, flavour, pricePence: pricePence ?? 0 });
  }
  const totalPence = poundsToPence(raw.total);
  if (totalPence === undefined) issues.push({ message: 'total_invalid', path: ['total'] });
  const method = raw.paymentMethod.trim().toUpperCase();
  const paymentMethod = method === PaymentMethod.Card || method === PaymentMethod.Cash ? method : undefined;
  if (paymentMethod === undefined) issues.push({ message: 'payment_unknown', path: ['paymentMethod'] });

  // Rules across fields, once every field reads.
  const card = readCard(raw.cardNumber);
  const isCard = paymentMethod === PaymentMethod.Card;
  const fieldsRead = issues.length === 0;
  if (fieldsRead && sum !== totalPence) issues.push({ message: 'total_mismatch', path: ['total'] });
  if (fieldsRead && isCard && !card.present) issues.push({ message: 'card_missing', path: ['cardNumber'] });
  if (
    issues.length > 0 ||
    // Stryker disable next-line ConditionalExpression: for the type checker: a timestamp, total or payment that did not read pushed an issue above
    !(occurredAt instanceof Date) || totalPence === undefined || paymentMethod === undefined
  ) {
    for (const issue of issues) ctx.addIssue({ code: 'custom', ...issue });
    return z.NEVER;
  }
  return {
    occurredAt,
    businessDate: londonDateOf(occurredAt),
    branch,
    customerName: raw.customerName === null ? null : collapse(raw.customerName) || null,
    items,
    totalPence,
    paymentMethod,
    cardNumber: isCard ? card.digits : null,
    cardBrand: isCard ? brandOf(card.digits, raw.cardBrand) : null,
  };
}

export const RawSaleSchema = RawSaleShape.transform(normaliseSale);

/** A raw sale as producers write it: every field text. */
export type RawSale = z.input<typeof RawSaleSchema>;
/** A raw sale after parsing: typed, normalised, still holding personal data. */
export type ParsedSale = z.output<typeof RawSaleSchema>;
