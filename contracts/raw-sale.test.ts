import { beforeEach, describe, expect, it, vi } from 'vitest';
import { rawSale } from '../test/helpers/factories.js';
import type * as RawSaleModule from './raw-sale.js';

// Loaded afresh for each test: the schema is built at module load, and Stryker credits a test
// only with the code that runs during it (per-test coverage).
let RawSaleSchema: typeof RawSaleModule.RawSaleSchema;
beforeEach(async () => {
  vi.resetModules();
  ({ RawSaleSchema } = await import('./raw-sale.js'));
});

const reasonOf = (input: unknown) => {
  const result = RawSaleSchema.safeParse(input);
  return result.success ? 'ok' : result.error.issues[0]?.message;
};

describe('Schema: RawSale', () => {
  it('normalises a valid sale to pence, UTC and split product names', () => {
    // Act
    const sale = RawSaleSchema.parse(rawSale());

    // Assess
    expect(sale.occurredAt.toISOString()).toBe('2021-08-25T08:00:00.000Z');
    expect(sale.businessDate).toBe('2021-08-25');
    expect(sale.totalPence).toBe(520);
    expect(sale.items).toEqual([
      { size: 'Large', product: 'Latte', flavour: null, pricePence: 245 },
      { size: 'Regular', product: 'Flavoured iced latte', flavour: 'Hazelnut', pricePence: 275 },
    ]);
    expect(sale.cardBrand).toBe('visa');
  });

  it('reads totals written as whole pounds or with one decimal', () => {
    const items = [{ size: 'Large', name: 'Tea', price: '5' }];
    expect(RawSaleSchema.parse(rawSale({ items, total: '5' })).totalPence).toBe(500);
    expect(RawSaleSchema.parse(rawSale({ items, total: '5.0' })).totalPence).toBe(500);
  });

  it('keeps products that differ only by case distinct', () => {
    const a = RawSaleSchema.parse(rawSale({ items: [{ size: 'Large', name: 'Hot chocolate', price: '2.90' }], total: '2.90' }));
    const b = RawSaleSchema.parse(rawSale({ items: [{ size: 'Large', name: 'Hot Chocolate', price: '1.70' }], total: '1.70' }));
    expect(a.items[0]?.product).not.toBe(b.items[0]?.product);
  });

  it('accepts a mangled card number as proof of a card, without keeping it', () => {
    const sale = RawSaleSchema.parse(rawSale({ cardNumber: '5.49E+15' }));
    expect(sale.paymentMethod).toBe('CARD');
    expect(sale.cardNumber).toBeNull();
  });

  it('drops the card of a cash sale', () => {
    expect(RawSaleSchema.parse(rawSale({ paymentMethod: 'CASH', cardNumber: '' })).cardNumber).toBeNull();
  });

  it('names the field at fault by its path, never its value', () => {
    // Act
    const result = RawSaleSchema.safeParse(rawSale({ items: [{ size: 'Large', name: 'Latte', price: 'free' }], total: 'five' }));

    // Assess
    expect(result.success ? [] : result.error.issues.map((issue) => [issue.message, issue.path.join('.')])).toEqual([
      ['price_invalid', 'items.0.price'],
      ['total_invalid', 'total'],
    ]);
  });

  it('checks the rules across fields once every field reads, and reports each broken one', () => {
    const result = RawSaleSchema.safeParse(rawSale({ total: '5.21', cardNumber: '' }));
    expect(result.success ? [] : result.error.issues.map((issue) => [issue.message, issue.path.join('.')])).toEqual([
      ['total_mismatch', 'total'],
      ['card_missing', 'cardNumber'],
    ]);
  });

  describe.each([
    ['date_unparsable', { timestamp: 'yesterday' }],
    ['date_impossible', { timestamp: '2021-02-31 09:00' }],
    ['date_impossible', { timestamp: '2021-08-25 25:00' }],
    ['branch_missing', { branch: '  ' }],
    ['basket_empty', { items: [], total: '0' }],
    ['size_unknown', { items: [{ size: 'Venti', name: 'Latte', price: '5.20' }] }],
    ['product_missing', { items: [{ size: 'Large', name: '', price: '5.20' }] }],
    ['price_invalid', { items: [{ size: 'Large', name: 'Latte', price: 'free' }] }],
    ['total_invalid', { total: 'five' }],
    ['total_invalid', { total: '-5.20' }],
    ['total_mismatch', { total: '5.21' }],
    ['payment_unknown', { paymentMethod: 'CHEQUE' }],
    ['card_missing', { cardNumber: '' }],
    ['field_too_long', { customerName: 'x'.repeat(300) }],
    ['row_malformed', { customerName: 'nul\u0000byte' }],
  ])('rejects with %s', (reason, override) => {
    it(`when ${Object.keys(override).join(', ')} is wrong`, () => {
      expect(reasonOf(rawSale(override as never))).toBe(reason);
    });
  });
});

/** Every issue of a refused sale as [reason, field path]; [] when it parses. */
const issuesOf = (input: unknown) => {
  const result = RawSaleSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => [issue.message, issue.path.join('.')]);
};

describe('Schema: RawSale, the reason and the field of each refusal', () => {
  it.each([
    ['a timestamp that is not one', { timestamp: 'yesterday' }, [['date_unparsable', 'timestamp']]],
    ['a branch of blanks', { branch: ' \t ' }, [['branch_missing', 'branch']]],
    ['a branch longer than its column', { branch: 'é'.repeat(65) }, [['field_too_long', 'branch']]],
    ['a nameless basket line', { items: [{ size: 'Large', name: '  ', price: '5.20' }] }, [['product_missing', 'items.0.name']]],
    ['an unknown size on the second line', { items: [{ size: 'Large', name: 'Tea', price: '1.00' }, { size: 'Venti', name: 'Tea', price: '4.20' }] }, [['size_unknown', 'items.1.size']]],
    ['an empty basket', { items: [], total: '0' }, [['basket_empty', 'items']]],
    ['a NUL in a name', { customerName: 'nul\u0000byte' }, [['row_malformed', 'customerName']]],
    ['a raw field over 256 bytes', { branch: 'b'.repeat(257) }, [['field_too_long', 'branch']]],
  ])('names %s', (_, override, issues) => {
    expect(issuesOf(rawSale(override as never))).toEqual(issues);
  });

  it('takes a basket of up to 100 lines, and refuses 101 as too long', () => {
    const lines = (count: number) => ({ items: Array.from({ length: count }, () => ({ size: 'Regular', name: 'Tea', price: '1.00' })), total: `${count}.00` });
    expect(issuesOf(rawSale(lines(100)))).toEqual([]);
    expect(issuesOf(rawSale(lines(101)))).toEqual([['field_too_long', 'items']]);
  });

  it('takes a raw field of exactly 256 bytes (before the branch column’s own limit)', () => {
    expect(issuesOf(rawSale({ customerName: 'c'.repeat(256) }))).toEqual([]);
    expect(issuesOf(rawSale({ customerName: 'c'.repeat(257) }))).toEqual([['field_too_long', 'customerName']]);
  });
});

describe('Schema: RawSale, the card brand', () => {
  const brandOf = (cardNumber: string, cardBrand: string | null = null) => RawSaleSchema.parse(rawSale({ cardNumber, cardBrand })).cardBrand;

  it.each([
    ['4', '4111111111111111', 'visa'],
    ['51', '5100000000000000', 'mastercard'],
    ['55', '5500000000000000', 'mastercard'],
    ['22 (the 2-series)', '2221000000000000', 'mastercard'],
    ['27', '2720990000000000', 'mastercard'],
    ['34', '340000000000000', 'amex'],
    ['37', '370000000000000', 'amex'],
    ['6011', '6011000000000000', 'discover'],
    ['65', '6500000000000000', 'discover'],
    ['644', '6440000000000000', 'discover'],
    ['649', '6490000000000000', 'discover'],
    ['50 (no scheme here)', '5000000000000000', 'other'],
    ['56', '5600000000000000', 'other'],
    ['21', '2100000000000000', 'other'],
    ['28', '2800000000000000', 'other'],
    ['35', '3500000000000000', 'other'],
    ['643', '6430000000000000', 'other'],
    ['60 (not 6011)', '6000000000000000', 'other'],
    // A scheme's digits later in the number say nothing: only the start identifies it.
    ['1 with 51 inside', '1051000000000000', 'other'],
    ['1 with 34 inside', '1340000000000000', 'other'],
    ['1 with 65 inside', '1650000000000000', 'other'],
  ])('reads a number starting %s as %s', (_, cardNumber, brand) => {
    expect(brandOf(cardNumber)).toBe(brand);
  });

  it.each([
    ['Visa Debit', 'visa'],
    ['MasterCard', 'mastercard'],
    ['American Express', 'amex'],
    ['AMEX', 'amex'],
    [' Discover ', 'discover'],
  ])('takes the declared brand %s over the number', (declared, brand) => {
    expect(brandOf('1000000000000000', declared)).toBe(brand);
  });

  it('reads the number when the declared brand only ends with a scheme’s name', () => {
    expect(brandOf('1000000000000000', 'Not Visa')).toBe('other');
    expect(brandOf('1000000000000000', 'Debit Mastercard')).toBe('other');
    expect(brandOf('1000000000000000', 'Not American')).toBe('other');
    expect(brandOf('1000000000000000', 'Old Discover')).toBe('other');
    expect(brandOf('5500000000000000', 'Unknown')).toBe('mastercard');
  });

  it('has no brand for a mangled number with none declared', () => {
    expect(brandOf('5.49E+15')).toBeNull();
  });
});

describe('Schema: RawSale, the issue codes', () => {
  it('reports an interpreted field’s fault as a custom issue (its message is the reason)', () => {
    const result = RawSaleSchema.safeParse(rawSale({ total: 'five' }));
    expect(result.success ? [] : result.error.issues.map((issue) => issue.code)).toEqual(['custom']);
  });
});

describe('Schema: RawSale, reading the fields', () => {
  const parse = (override: Partial<Parameters<typeof rawSale>[0]>) => RawSaleSchema.parse(rawSale(override));

  it('collapses runs of blanks in the branch and the customer name, and reads a blank name as none', () => {
    expect(parse({ branch: '  Leeds \t  City ' }).branch).toBe('Leeds City');
    expect(parse({ customerName: '  Test \t Customer ' }).customerName).toBe('Test Customer');
    expect(parse({ customerName: '   ' }).customerName).toBeNull();
    expect(parse({ customerName: null }).customerName).toBeNull();
  });

  it('reads a size and a payment method in any case, with blanks around', () => {
    const sale = parse({ items: [{ size: ' large ', name: 'Tea', price: '5.20' }], paymentMethod: ' card ' });
    expect([sale.items[0]?.size, sale.paymentMethod]).toEqual(['Large', 'CARD']);
    expect(parse({ items: [{ size: '', name: 'Tea', price: '5.20' }] }).items[0]?.size).toBeNull();
  });

  it('names the payment method when it is unknown', () => {
    expect(issuesOf(rawSale({ paymentMethod: 'CHEQUE' }))).toEqual([['payment_unknown', 'paymentMethod']]);
  });

  it('reports a raw field’s fault as a custom issue', () => {
    const codes = (override: Partial<Parameters<typeof rawSale>[0]>) => {
      const result = RawSaleSchema.safeParse(rawSale(override));
      return result.success ? [] : result.error.issues.map((issue) => issue.code);
    };
    expect(codes({ branch: 'b'.repeat(257) })).toEqual(['custom']);
    expect(codes({ branch: 'nul\u0000byte' })).toEqual(['custom']);
  });

  it.each([
    ['none at all', null],
    ['blanks', '   '],
    ['the word None', 'None'],
    ['the word NONE', 'NONE'],
  ])('refuses a card sale whose card number is %s as card_missing', (_, cardNumber) => {
    expect(issuesOf(rawSale({ cardNumber }))).toEqual([['card_missing', 'cardNumber']]);
  });

  it.each([
    ['plain', '4111111111111111', '4111111111111111'],
    ['with a spreadsheet’s .0', '4111111111111111.0', '4111111111111111'],
    ['with .00', '4111111111111111.00', '4111111111111111'],
    ['in groups of four', '4111 1111 1111 1111', '4111111111111111'],
    ['with dashes', '4111-1111-1111-1111', '4111111111111111'],
    ['of 12 digits', '411111111111', '411111111111'],
    ['of 19 digits', '4111111111111111111', '4111111111111111111'],
    ['of 11 digits', '41111111111', null],
    ['of 20 digits', '41111111111111111111', null],
    ['with a point inside', '4.0111111111111111', null],
    ['with a letter before', 'x4111111111111111', null],
    ['with a letter after', '4111111111111111x', null],
  ])('reads a card number %s as proof of a card, keeping only a clean number', (_, cardNumber, kept) => {
    const sale = parse({ cardNumber });
    expect([sale.paymentMethod, sale.cardNumber]).toEqual(['CARD', kept]);
  });
});
