import { describe, expect, expectTypeOf, it } from 'vitest';
import { WarehouseTables, type ColumnValue, type SalesRow, type SaleItemsRow } from './warehouse-tables.js';

describe('Type: RowOf', () => {
  it('derives a property per column, nullable columns taking null too', () => {
    expectTypeOf<SalesRow['card_brand']>().toEqualTypeOf<string | null>();
    expectTypeOf<SalesRow['total_pence']>().toEqualTypeOf<number>();
    expectTypeOf<SalesRow['sold_at']>().toEqualTypeOf<string>();
    expectTypeOf<SaleItemsRow['line_no']>().toEqualTypeOf<number>();
    expectTypeOf<ColumnValue<{ name: 'x'; type: 'date'; nullable: true }>>().toEqualTypeOf<string | null>();
    expectTypeOf<keyof SaleItemsRow>().toEqualTypeOf<'event_id' | 'line_no' | 'size' | 'product' | 'flavour' | 'price_pence'>();
  });

  it('refuses a row with a misspelt or missing column (checked by tsc)', () => {
    const row: SaleItemsRow = { event_id: 'a', line_no: 1, size: null, product: 'Tea', flavour: null, price_pence: 100 };
    // @ts-expect-error: 'prise_pence' is not a column of sale_items, and price_pence is missing
    const misspelt: SaleItemsRow = { event_id: 'a', line_no: 1, size: null, product: 'Tea', flavour: null, prise_pence: 100 };
    // @ts-expect-error: product is not nullable
    const nullProduct: SaleItemsRow = { ...row, product: null };
    expect([row, misspelt, nullProduct]).toHaveLength(3);
  });

  it('keeps each table’s definition as declared', () => {
    expect(WarehouseTables.sales.columns.map((column) => column.name)).toContain('card_brand');
    expect(WarehouseTables.saleItems.primaryKey).toEqual(['event_id', 'line_no']);
  });
});
