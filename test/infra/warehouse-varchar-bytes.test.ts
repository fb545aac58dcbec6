import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  FieldLimitBytes,
  FileLayoutSchema,
  FileRefusalSchema,
  RejectReasonSchema,
  WarehouseTables,
  createTableSql,
  utf8ByteLength,
  type ColumnDefinition,
  type TransactionRecorded,
} from '../../contracts/index.js';
import { RawSaleSchema } from '../../contracts/raw-sale.js';
import { ingestFile } from '../../producers/csv-ingest/ingest-file.js';
import { memoryWriter } from '../helpers/memory-writer.js';

/**
 * Field case 07 (Redshift VARCHAR widths are bytes): what the producers accept
 * must fit the Redshift columns, in bytes, or one multibyte name fails a whole
 * COPY. Input and expected outcome copied from the field case
 * (test/fixtures/field/07-redshift-varchar-bytes/).
 */
const FIXTURE = new URL('../fixtures/field/07-redshift-varchar-bytes/', import.meta.url);

const column = (table: keyof typeof WarehouseTables, name: string): ColumnDefinition => {
  const found = WarehouseTables[table].columns.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no column ${name}`);
  return found;
};

describe('Field case: 07-redshift-varchar-bytes', () => {
  it('rejects lines 1-2 as field_too_long at ingest and loads only line 3, as expected.txt says', async () => {
    // Prepare
    const content = await readFile(new URL('leeds_2024-03-05.csv', FIXTURE));
    const expected = await readFile(new URL('expected.txt', FIXTURE), 'utf8');
    const writer = memoryWriter();

    // Act
    const summary = await ingestFile({ file: 'uploads/leeds/leeds_2024-03-05.csv', reader: { open: async () => Readable.from([content]) }, writer, pepper: 'test-pepper' });

    // Assess
    expect(expected).toContain('lines 1-2; only line 3 loads');
    expect(summary.rejections).toEqual([
      { line: 1, reason: 'field_too_long', field: 'items.0.name' },
      { line: 2, reason: 'field_too_long', field: 'items.0.name' },
    ]);
    const published = writer.events.filter((event): event is TransactionRecorded => event.type === 'TransactionRecorded');
    expect(published.map((event) => event.source.kind === 'file' && event.source.line)).toEqual([3]);
  });

  it('sizes the Redshift columns from the same byte limits: sale_items.product is VARCHAR(128), 128 bytes', () => {
    // Act
    const ddl = createTableSql(WarehouseTables.saleItems, 'redshift');

    // Assess
    expect(ddl).toContain(`product VARCHAR(${FieldLimitBytes.product}) NOT NULL`);
    expect(ddl).toContain(`flavour VARCHAR(${FieldLimitBytes.flavour})`);
    expect(column('sales', 'branch').width).toBe(FieldLimitBytes.branch);
    expect(column('ingestFiles', 'branch').width).toBe(FieldLimitBytes.branch);
  });

  it('lets nothing through that would not fit: every accepted product, flavour and branch is within its column in bytes', () => {
    // Prepare: names right at and just over each limit, in 1-, 2-, 3- and 4-byte characters.
    const alphabets = ['x', 'λ', '咖', '𝄞'];
    const names = alphabets.flatMap((letter) => {
      const fits = Math.floor(FieldLimitBytes.product / utf8ByteLength(letter));
      return [letter.repeat(fits), letter.repeat(fits + 1)];
    });

    // Act
    const accepted = names.flatMap((name) => {
      const parsed = RawSaleSchema.safeParse({ timestamp: '2024-03-05 09:00', branch: name, customerName: null, items: [{ size: 'Large', name, price: '2.45' }, { size: 'Large', name: `Tea - ${name}`, price: '2.45' }], total: '4.90', paymentMethod: 'CASH', cardNumber: null, cardBrand: null });
      return parsed.success ? [parsed.data] : [];
    });

    // Assess
    expect(accepted).toHaveLength(alphabets.length);
    for (const sale of accepted) {
      expect(utf8ByteLength(sale.branch)).toBeLessThanOrEqual(column('sales', 'branch').width ?? 0);
      expect(utf8ByteLength(sale.items[0]?.product ?? '')).toBeLessThanOrEqual(column('saleItems', 'product').width ?? 0);
      expect(utf8ByteLength(sale.items[1]?.flavour ?? '')).toBeLessThanOrEqual(column('saleItems', 'flavour').width ?? 0);
    }
  });

  it('fits every code the contracts can write into its column', () => {
    // Assess
    const widest = (values: readonly string[]) => Math.max(...values.map(utf8ByteLength));
    expect(widest(RejectReasonSchema.options)).toBeLessThanOrEqual(column('quarantine', 'reason').width ?? 0);
    expect(widest(FileRefusalSchema.options)).toBeLessThanOrEqual(column('ingestFiles', 'refusal').width ?? 0);
    expect(widest(FileLayoutSchema.options)).toBeLessThanOrEqual(column('ingestFiles', 'layout').width ?? 0);
    expect(widest(['visa', 'mastercard', 'amex', 'discover', 'other'])).toBeLessThanOrEqual(column('sales', 'card_brand').width ?? 0);
    expect(widest(['file', 'till', 'stream'])).toBeLessThanOrEqual(column('quarantine', 'source').width ?? 0);
  });

  it('gives every text column a width: none falls back to a silent default', () => {
    // Assess
    for (const table of Object.values(WarehouseTables)) {
      for (const definition of table.columns.filter((candidate) => candidate.type === 'text')) expect({ column: `${table.name}.${definition.name}`, width: definition.width }).toEqual({ column: `${table.name}.${definition.name}`, width: expect.any(Number) as number });
    }
    expect(() => createTableSql({ ...WarehouseTables.sales, columns: [{ name: 'loose', type: 'text' }] }, 'redshift')).toThrow(/needs a width in bytes/);
  });
});
