import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchKey, type MatchableSale } from './match-key.js';

/**
 * The key as first defined (kept here as its specification): stored keys in
 * `sale_sources` and `till_sales` were made by it, so every later implementation
 * must give the same 32 hex characters for the same sale.
 */
function referenceMatchKey(sale: MatchableSale): string {
  const minute = Math.floor(sale.soldAt.getTime() / 60_000) * 60_000;
  const lines = sale.items
    .map((item) => [item.size ?? '', item.product.toLowerCase(), (item.flavour ?? '').toLowerCase(), item.pricePence])
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  const canonical = JSON.stringify(['match/v1', sale.branch.trim().toLowerCase(), minute, sale.paymentMethod, sale.totalPence, lines]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

const item = fc.record({
  size: fc.constantFrom('Regular', 'Large', null),
  product: fc.string({ maxLength: 12 }),
  flavour: fc.option(fc.string({ maxLength: 8 }), { nil: null }),
  pricePence: fc.integer({ min: -5_000, max: 5_000 }),
});

const sale = fc.record({
  branch: fc.string({ maxLength: 16 }),
  soldAt: fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }),
  paymentMethod: fc.constantFrom('CARD', 'CASH'),
  totalPence: fc.integer({ min: -20_000, max: 20_000 }),
  items: fc.array(item, { minLength: 1, maxLength: 6 }),
});

describe('Function: matchKey', () => {
  it('gives the key stored keys were made with, for any sale', () => {
    fc.assert(
      fc.property(sale, (generated) => {
        expect(matchKey(generated)).toBe(referenceMatchKey(generated));
      }),
    );
  });

  it('keeps a known sale\'s key', () => {
    // Prepare
    const known: MatchableSale = {
      branch: ' Leeds ',
      soldAt: new Date('2021-08-27T08:08:41.000Z'),
      paymentMethod: 'CARD',
      totalPence: 690,
      items: [
        { size: 'Large', product: 'Iced americano', flavour: null, pricePence: 250 },
        { size: 'Large', product: 'Filter coffee', flavour: null, pricePence: 180 },
        { size: 'Large', product: 'Chai latte', flavour: 'Vanilla', pricePence: 260 },
      ],
    };

    // Act
    const key = matchKey(known);

    // Assess
    expect(key).toBe(referenceMatchKey(known));
    expect(key).toBe('2110ce84a42785c55d5415b97e30fee1');
  });

  it('does not depend on the order of the basket', () => {
    const base = { branch: 'York', soldAt: new Date('2024-01-01T12:00:00Z'), paymentMethod: 'CASH', totalPence: 300 };
    const a = { size: 'Large', product: 'Tea', flavour: null, pricePence: 100 } as const;
    const b = { size: 'Regular', product: 'Latte', flavour: 'Hazelnut', pricePence: 200 } as const;
    expect(matchKey({ ...base, items: [a, b] })).toBe(matchKey({ ...base, items: [b, a] }));
  });
});
