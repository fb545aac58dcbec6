import { describe, expect, it } from 'vitest';
import { RawSaleSchema, type RawSale } from '../../../contracts/index.js';
import { createLiveSaleMatcher, salesFromLines, type WarehouseSale, type WarehouseSaleSource } from './live-sales.js';

const row = (time: string, items: RawSale['items'], total: string, paymentMethod = 'CARD'): RawSale => ({
  timestamp: `2021-09-10 ${time}`,
  branch: 'Leeds',
  customerName: 'Someone',
  items,
  total,
  paymentMethod,
  cardNumber: paymentMethod === 'CARD' ? '5494173772652516' : null,
  cardBrand: null,
});
const parsed = (raw: RawSale) => RawSaleSchema.parse(raw);

const liveSale = (id: string, iso: string): WarehouseSale => ({
  id,
  occurredAtMs: Date.parse(iso),
  totalPence: 245,
  paymentMethod: 'CARD',
  source: 'till',
  sourceRef: 'till_0123456789abcdef',
  items: [{ size: 'Large', product: 'Latte', flavour: null, pricePence: 245 }],
});

describe('Function: createLiveSaleMatcher', () => {
  it('claims each live sale for one file row, reading the branch-day once', async () => {
    // Prepare: 09:00 London is 08:00 UTC in September
    let reads = 0;
    const source: WarehouseSaleSource = {
      async sales(branch, businessDate, kind) {
        reads++;
        expect([branch, businessDate, kind]).toEqual(['Leeds', '2021-09-10', 'till']);
        return [liveSale('till-sale-1', '2021-09-10T08:00:25Z')];
      },
    };
    const matcher = createLiveSaleMatcher(source);
    const latte = [{ size: 'Large', name: 'Latte', price: '2.45' }];
    // Act
    const first = await matcher.claim(parsed(row('09:00', latte, '2.45')), 'file.csv:1');
    const second = await matcher.claim(parsed(row('09:00', latte, '2.45')), 'file.csv:2');
    const cash = await matcher.claim(parsed(row('09:00', latte, '2.45', 'CASH')), 'file.csv:3');
    // Assess
    expect([first, second, cash]).toEqual(['till-sale-1', undefined, undefined]);
    expect(matcher.matched).toBe(1);
    expect(reads).toBe(1);
  });
});

describe('Function: salesFromLines', () => {
  it('groups joined rows into sales with their lines in order', () => {
    const base = { sold_at: new Date('2021-09-10T08:00:25Z'), total_pence: 405, payment_method: 'CASH', source: 'till' as const, source_ref: 't' };
    const sales = salesFromLines([
      { ...base, event_id: 'a', size: 'Large', product: 'Latte', flavour: null, price_pence: 245 },
      { ...base, event_id: 'a', size: 'Regular', product: 'Tea', flavour: 'Mint', price_pence: 160 },
    ]);
    expect(sales).toEqual([
      {
        id: 'a',
        occurredAtMs: Date.parse('2021-09-10T08:00:25Z'),
        totalPence: 405,
        paymentMethod: 'CASH',
        source: 'till',
        sourceRef: 't',
        items: [
          { size: 'Large', product: 'Latte', flavour: null, pricePence: 245 },
          { size: 'Regular', product: 'Tea', flavour: 'Mint', pricePence: 160 },
        ],
      },
    ]);
  });
});
