import { describe, expect, it } from 'vitest';
import { TillSaleSchema } from '../../contracts/till-sale.js';
import { catalogueFromRecords, loadCatalogue, pick, SAMPLE_CATALOGUE_DIR, weighted } from './sales-catalogue.js';
import { decideSales } from '../../producers/till-api/decide-sales.js';
import { generateTillSale, seededRandom } from '../till-simulator/sale-generator.js';

describe('Function: pick', () => {
  it('draws by weight', () => {
    const choice = weighted(new Map([['rare', 1], ['common', 3]]));
    expect([0, 0.24, 0.25, 0.99].map((uniform) => pick(choice, uniform))).toEqual(['rare', 'rare', 'common', 'common']);
  });
});

describe('Function: catalogueFromRecords', () => {
  it("learns each branch's menu, basket sizes and card share, and skips bad rows", () => {
    const catalogue = catalogueFromRecords([
      ['25/08/2021 09:00', 'Leeds', 'A Person', 'Large Latte - 2.45, Regular Tea - Mint - 1.30', '3.75', 'CARD', '5494173772652516'],
      ['25/08/2021 09:05', 'Leeds', 'B Person', 'Large Latte - 2.45', '2.45', 'CASH', ''],
      ['25/08/2021 09:06', 'Leeds', 'C Person', 'Large Latte - 2.45', '9.99', 'CASH', ''],
    ]);
    expect(catalogue.salesRead).toBe(2);
    expect(catalogue.branches).toEqual(['Leeds']);
    expect(catalogue.cardShare).toBe(0.5);
    expect(catalogue.basketSizes.choices).toEqual([1, 2]);
    expect(catalogue.menus.get('Leeds')?.choices).toEqual([
      { size: 'Large', product: 'Latte', flavour: null, pricePence: 245 },
      { size: 'Regular', product: 'Tea', flavour: 'Mint', pricePence: 130 },
    ]);
    expect(JSON.stringify([...catalogue.menus])).not.toMatch(/Person|5494/);
  });
});

describe('Function: generateTillSale', () => {
  it('makes sales from the sample data that pass the till and raw-sale contracts', async () => {
    // Prepare
    const catalogue = await loadCatalogue(SAMPLE_CATALOGUE_DIR);
    const random = seededRandom(7);
    // Act
    const sales = Array.from({ length: 200 }, (_, n) =>
      generateTillSale(catalogue, { branch: catalogue.branches[n % catalogue.branches.length] ?? '', saleId: `S-${n}`, occurredAt: new Date('2021-09-10T08:00:00Z'), random }),
    );
    // Assess
    expect(catalogue.branches.length).toBeGreaterThanOrEqual(10);
    for (const sale of sales) expect(TillSaleSchema.safeParse(sale).success).toBe(true);
    for (const branch of catalogue.branches) {
      const group = sales.filter((sale) => sale.branch === branch);
      const decision = decideSales(group, { tillId: 'till_0123456789abcdef', branch }, new Date('2021-09-10T12:00:00Z'));
      expect(decision.rejected).toBe(0);
    }
    const menu = new Set(catalogue.menus.get('Leeds')?.choices.map((product) => product.product));
    for (const sale of sales.filter((s) => s.branch === 'Leeds')) for (const item of sale.items) expect(menu.has(item.product)).toBe(true);
  });

  it('is reproducible from a seed', async () => {
    const catalogue = await loadCatalogue(SAMPLE_CATALOGUE_DIR);
    const make = () => generateTillSale(catalogue, { branch: 'Leeds', saleId: 'S', occurredAt: new Date(0), random: seededRandom(42) });
    expect(make()).toEqual(make());
  });
});
