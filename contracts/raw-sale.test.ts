import { describe, expect, it } from 'vitest';
import { rawSale } from '../test/helpers/factories.js';
import { RawSaleSchema } from './raw-sale.js';

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
