import { describe, expect, it, vi } from 'vitest';
import { issuesOf, renderJsonSchemas } from '../test/helpers/json-schema-golden.js';

/**
 * Loaded inside each test: the schemas are built when the module loads, and Stryker
 * (`ignoreStatic`) credits a module-level mutant only to the tests that load it.
 */
const load = async () => {
  vi.resetModules();
  return import('./till-sale.js');
};

const sale = (overrides: Record<string, unknown> = {}) => ({
  saleId: 'S-1',
  branch: 'Leeds',
  occurredAt: '2026-03-01T09:30:00Z',
  items: [{ size: 'Large', product: 'Latte', pricePence: 245 }],
  totalPence: 245,
  paymentMethod: 'CASH',
  ...overrides,
});

describe('Contract: the till API', () => {
  it('is the committed JSON Schema (a contract change updates contracts/golden/ deliberately, with -u)', async () => {
    // Prepare
    const m = await load();
    // Act
    const rendered = renderJsonSchemas({
      TillSalesRequest: m.TillSalesRequestSchema,
      TillSaleBatchEnvelope: m.TillSaleBatchEnvelopeSchema,
      TillSalesResponse: m.TillSalesResponseSchema,
      TillErrorResponse: m.TillErrorResponseSchema,
    });
    // Assess
    await expect(rendered).toMatchFileSnapshot('./golden/till-sale.schema.json');
  });

  it('holds a request to 100 sales and a sale to 100 lines of at most £9,999,999.99', async () => {
    const m = await load();
    expect([m.MAX_SALES_PER_REQUEST, m.MAX_ITEMS_PER_SALE, m.MAX_PENCE]).toEqual([100, 100, 999_999_999]);
  });

  it('names the outcomes of a sale as the schema spells them', async () => {
    const { TillSaleResultSchema, TillSaleStatus } = await load();
    expect(Object.values(TillSaleStatus)).toEqual(TillSaleResultSchema.shape.status.options);
  });

  describe.each([
    { saleId: 'S-1', ok: true },
    { saleId: 'a', ok: true },
    { saleId: `a${'b'.repeat(127)}`, ok: true },
    { saleId: `a${'b'.repeat(128)}`, ok: false },
    { saleId: '2026-03-01T09:30:00.001_till:7', ok: true },
    { saleId: 'till/7', ok: false },
    { saleId: 'A.b_c:d-9', ok: true },
    { saleId: '-leading-dash', ok: false },
    { saleId: 'trailing space ', ok: false },
    { saleId: '', ok: false },
  ])('a sale id of $saleId.length characters', ({ saleId, ok }) => {
    it(`is ${ok ? 'accepted' : 'refused'}: ${saleId.slice(0, 24)}`, async () => {
      const { SaleIdSchema } = await load();
      expect(SaleIdSchema.safeParse(saleId).success).toBe(ok);
    });
  });

  it('refuses a sale it cannot read with the field at fault, never the value', async () => {
    const { TillSaleSchema } = await load();
    expect(issuesOf(TillSaleSchema, sale({ totalPence: 1_000_000_000, customer: { name: 'x'.repeat(300) } }))).toEqual([
      'totalPence: Too big: expected number to be <=999999999',
      'customer.name: field_too_long',
      'customer.name: field_too_long',
    ]);
    expect(issuesOf(TillSaleSchema, sale())).toEqual([]);
  });
});
