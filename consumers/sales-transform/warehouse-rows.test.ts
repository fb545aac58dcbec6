import { describe, expect, it } from 'vitest';
import { LEGACY_FILE_VERSION, loadedColumns, type SaleRecord, type TableDefinition } from '../../contracts/index.js';
import { FILE_VERSION, ingestFileFactory, quarantineEntryFactory, saleRecordFactory } from '../../test/helpers/factories.js';
import { WarehouseTables, fileVersionRow, ingestFileRow, quarantineRow, saleItemRow, saleRow, saleSourceRow, tillSaleRow, voidRow, warehouseRows } from './warehouse-rows.js';

const columnsOf = (table: TableDefinition) => loadedColumns(table).map((column) => column.name);

describe('Function: saleRow', () => {
  it('fills every column of sales, in the table’s order, from the clean sale', () => {
    // Prepare
    const { sale } = saleRecordFactory(1, 2);

    // Act
    const row = saleRow(sale);

    // Assess
    expect(Object.keys(row)).toEqual(columnsOf(WarehouseTables.sales));
    expect(row).toStrictEqual({
      event_id: '1'.padStart(32, '0'),
      branch: 'Leeds',
      sold_at: '2021-08-27T08:03:00.000Z',
      business_date: '2021-08-27',
      total_pence: 460,
      payment_method: 'CARD',
      card_brand: 'visa',
      customer_key: 'e'.repeat(64),
      item_count: 2,
      source: 'file',
      source_ref: 'uploads/leeds/leeds_27-08-2021_09-00-00.csv',
      recorded_at: '2021-08-27T21:00:00.000Z',
      loaded_at: '2021-08-27T21:00:01.000Z',
      kind: 'sale',
      refund_of: null,
    });
  });
});

describe('Function: saleItemRow', () => {
  it('fills every column of sale_items', () => {
    const row = saleItemRow({ eventId: 'a'.repeat(32), lineNo: 3, size: 'Large', product: 'Flavoured latte', flavour: 'Vanilla', pricePence: 285 });
    expect(Object.keys(row)).toEqual(columnsOf(WarehouseTables.saleItems));
    expect(row).toStrictEqual({ event_id: 'a'.repeat(32), line_no: 3, size: 'Large', product: 'Flavoured latte', flavour: 'Vanilla', price_pence: 285 });
  });
});

describe('Function: quarantineRow', () => {
  it('fills every column of quarantine', () => {
    const row = quarantineRow(quarantineEntryFactory());
    expect(Object.keys(row)).toEqual(columnsOf(WarehouseTables.quarantine));
    expect(row).toStrictEqual({
      event_id: 'f'.repeat(32),
      source: 'file',
      source_ref: 'uploads/leeds/leeds_27-08-2021_09-00-00.csv',
      line: 12,
      reason: 'total_mismatch',
      field: 'total',
      recorded_at: '2021-08-27T21:00:00.000Z',
    });
  });
});

describe('Function: ingestFileRow', () => {
  it('fills every column of ingest_files', () => {
    const row = ingestFileRow(ingestFileFactory({ status: 'refused', refusal: 'file_empty', rowsRead: 0, eventsPublished: 0, rowsRejected: 0, linesSkipped: 4 }));
    expect(Object.keys(row)).toEqual(columnsOf(WarehouseTables.ingestFiles));
    expect(row).toStrictEqual({
      file: 'uploads/leeds/leeds_27-08-2021_09-00-00.csv',
      branch: 'Leeds',
      business_date: '2021-08-27',
      layout: 'standard',
      rows_read: 0,
      events_published: 0,
      rows_rejected: 0,
      lines_skipped: 4,
      status: 'refused',
      refusal: 'file_empty',
      started_at: '2021-08-27T21:00:00.000Z',
      finished_at: '2021-08-27T21:00:02.000Z',
      encoding: null,
      dialect: null,
      line_endings: null,
      lines: null,
      lines_blank: null,
      lines_header: null,
      lines_preamble: null,
      lines_footnote: null,
      lines_continued: null,
      version: null,
    });
  });
});

describe('Function: warehouseRows', () => {
  it('gives each table its rows: a sale’s row and one row per basket line', () => {
    // Prepare
    const batch = { sales: [saleRecordFactory(1, 2), saleRecordFactory(2, 1)], quarantine: [quarantineEntryFactory()], files: [ingestFileFactory()], voids: [] };

    // Act
    const rows = warehouseRows(batch);

    // Assess
    expect(Object.keys(rows).sort()).toEqual(Object.keys(WarehouseTables).sort());
    expect(rows.sales.map((row) => row.event_id)).toEqual(['1', '2'].map((id) => id.padStart(32, '0')));
    expect(rows.saleItems.map((row) => [row.event_id.slice(-1), row.line_no])).toEqual([
      ['1', 1],
      ['1', 2],
      ['2', 1],
    ]);
    expect(rows.quarantine).toEqual([quarantineRow(quarantineEntryFactory())]);
    expect(rows.ingestFiles).toEqual([ingestFileRow(ingestFileFactory())]);
  });
});

const tillSale = (index: number, matchKey: string | null): SaleRecord => ({ ...saleRecordFactory(index, 1), origin: { kind: 'till', matchKey } });
const aVoid = { saleEventId: '1'.padStart(32, '0'), voidEventId: '9'.padStart(32, '0'), recordedAt: '2021-08-27T09:00:00.000Z' };

describe('Function: fileVersionRow', () => {
  it('is the account’s row with its version, not yet current', () => {
    const row = fileVersionRow(ingestFileFactory({ version: FILE_VERSION }));
    expect(Object.keys(row).sort()).toEqual(columnsOf(WarehouseTables.fileVersions).sort());
    expect(row).toStrictEqual({ ...ingestFileRow(ingestFileFactory({ version: FILE_VERSION })), version: FILE_VERSION, is_current: 0 });
  });

  it('gives an account from before versions the legacy version', () => {
    expect(fileVersionRow(ingestFileFactory()).version).toBe(LEGACY_FILE_VERSION);
  });
});

describe('Functions: saleSourceRow, tillSaleRow, voidRow', () => {
  it('gives a file row its membership of its file version, and no till row', () => {
    const record = saleRecordFactory(1, 1);
    expect(saleSourceRow(record)).toStrictEqual({ file: 'uploads/leeds/leeds_27-08-2021_09-00-00.csv', version: FILE_VERSION, event_id: '1'.padStart(32, '0'), line: 2, match_key: '1'.padStart(32, '0') });
    expect(tillSaleRow(record)).toBeUndefined();
  });

  it('gives a till sale its till row, and no membership', () => {
    const record = tillSale(1, 'k'.repeat(32));
    expect(tillSaleRow(record)).toStrictEqual({ event_id: '1'.padStart(32, '0'), kind: 'sale', match_key: 'k'.repeat(32), voided_by: null, voided_at: null });
    expect(saleSourceRow(record)).toBeUndefined();
  });

  it('gives a void the till row it marks, its kind and key left to the sale’s own row', () => {
    expect(voidRow(aVoid)).toStrictEqual({ event_id: '1'.padStart(32, '0'), kind: null, match_key: null, voided_by: '9'.padStart(32, '0'), voided_at: '2021-08-27T09:00:00.000Z' });
  });

  it('lists the till rows of a batch’s till sales, then of its voids, and the memberships of its file rows', () => {
    // Act
    const rows = warehouseRows({ sales: [saleRecordFactory(2, 1), tillSale(3, null)], quarantine: [], files: [ingestFileFactory()], voids: [aVoid] });
    // Assess
    expect(rows.tillSales).toEqual([tillSaleRow(tillSale(3, null)), voidRow(aVoid)]);
    expect(rows.saleSources).toEqual([saleSourceRow(saleRecordFactory(2, 1))]);
    expect(rows.fileVersions).toEqual([fileVersionRow(ingestFileFactory())]);
  });
});
