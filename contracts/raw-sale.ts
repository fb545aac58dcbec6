import { z } from 'zod';
import { PoundsTextSchema } from './money.js';
import { SaleTimestampSchema, londonDateOf } from './local-time.js';

/**
 * One sale as observed at the source (a CSV row or a till post), in one shape for
 * every file layout: text as found, split into fields but not yet interpreted.
 * Parsing it validates and normalises; producers parse to reject early, the
 * consumer parses to build the clean Sale. It holds personal data (customer name,
 * card number) and so only ever travels on the encrypted raw stream.
 */

const MAX_FIELD = 256;

/** Any text field: bounded, and free of NUL, which no till or file means and PostgreSQL cannot store. */
const field = (max = MAX_FIELD) =>
  z
    .string()
    .max(max, { message: 'field_too_long' })
    .refine((value) => !value.includes('\u0000'), { message: 'row_malformed' });

const text = (reason: string) => field().transform((value) => value.trim()).pipe(z.string().min(1, { message: reason }));

export const ItemSize = { Regular: 'Regular', Large: 'Large' } as const;
export type ItemSize = (typeof ItemSize)[keyof typeof ItemSize];

export const PaymentMethod = { Card: 'CARD', Cash: 'CASH' } as const;
export type PaymentMethod = (typeof PaymentMethod)[keyof typeof PaymentMethod];

/** Size as written: `Regular`, `Large` in any case; empty (legacy files) means unknown. */
const SizeSchema = field().transform((value, ctx): ItemSize | null => {
    const size = value.trim().toLowerCase();
    if (size === '') return null;
    if (size === 'regular') return ItemSize.Regular;
    if (size === 'large') return ItemSize.Large;
    ctx.addIssue({ code: 'custom', message: 'size_unknown' });
    return z.NEVER;
  });

/** The item name as written, flavour included (`Speciality Tea - Camomile`), split into product and flavour. */
const ItemNameSchema = text('product_missing').transform((name) => {
  const cut = name.indexOf(' - ');
  const product = (cut < 0 ? name : name.slice(0, cut)).replace(/\s+/g, ' ').trim();
  const flavour = cut < 0 ? null : name.slice(cut + 3).replace(/\s+/g, ' ').trim() || null;
  return { product, flavour };
});

export const RawSaleItemSchema = z
  .object({
    size: SizeSchema,
    name: ItemNameSchema,
    price: PoundsTextSchema('price_invalid'),
  })
  .transform(({ size, name, price }) => ({ size, product: name.product, flavour: name.flavour, pricePence: price }));

const PaymentSchema = field().transform((value, ctx): PaymentMethod => {
    const method = value.trim().toUpperCase();
    if (method === PaymentMethod.Card || method === PaymentMethod.Cash) return method;
    ctx.addIssue({ code: 'custom', message: 'payment_unknown' });
    return z.NEVER;
  });

/**
 * A card number as the file has it: 16 digits, or mangled by spreadsheets
 * (`5.49E+15`, `9557104128182484.0`). Only whole digit strings count as a number;
 * a mangled one still proves a card was used.
 */
const CardNumberSchema = field(64)
  .nullable()
  .transform((value) => {
    const card = (value ?? '').trim();
    if (card === '' || card.toLowerCase() === 'none') return { present: false, digits: null };
    const digits = card.replace(/\.0+$/, '').replace(/[\s-]/g, '');
    return { present: true, digits: /^\d{12,19}$/.test(digits) ? digits : null };
  });

/** Brand by issuer prefix: the first digits identify a scheme, not a person. */
function brandOf(digits: string | null, declared: string | null): string | null {
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

export const RawSaleSchema = z
  .object({
    /** `YYYY-MM-DD HH:MM[:SS]` London wall clock, or an ISO instant with zone. */
    timestamp: field(64).pipe(SaleTimestampSchema),
    branch: text('branch_missing').transform((branch) => branch.replace(/\s+/g, ' ')),
    customerName: field().nullable(),
    items: z.array(RawSaleItemSchema).min(1, { message: 'basket_empty' }).max(100, { message: 'field_too_long' }),
    total: PoundsTextSchema('total_invalid'),
    paymentMethod: PaymentSchema,
    cardNumber: CardNumberSchema,
    cardBrand: field(32).nullable(),
  })
  .superRefine((sale, ctx) => {
    const sum = sale.items.reduce((pence, item) => pence + item.pricePence, 0);
    if (sum !== sale.total) ctx.addIssue({ code: 'custom', message: 'total_mismatch', path: ['total'] });
    if (sale.paymentMethod === PaymentMethod.Card && !sale.cardNumber.present) {
      ctx.addIssue({ code: 'custom', message: 'card_missing', path: ['cardNumber'] });
    }
  })
  .transform((sale) => ({
    occurredAt: sale.timestamp,
    businessDate: londonDateOf(sale.timestamp),
    branch: sale.branch,
    customerName: sale.customerName?.trim().replace(/\s+/g, ' ') || null,
    items: sale.items,
    totalPence: sale.total,
    paymentMethod: sale.paymentMethod,
    cardNumber: sale.paymentMethod === PaymentMethod.Card ? sale.cardNumber.digits : null,
    cardBrand: sale.paymentMethod === PaymentMethod.Card ? brandOf(sale.cardNumber.digits, sale.cardBrand) : null,
  }));

/** A raw sale as producers write it: every field text. */
export type RawSale = z.input<typeof RawSaleSchema>;
/** A raw sale after parsing: typed, normalised, still holding personal data. */
export type ParsedSale = z.output<typeof RawSaleSchema>;
export type ParsedSaleItem = z.output<typeof RawSaleItemSchema>;
