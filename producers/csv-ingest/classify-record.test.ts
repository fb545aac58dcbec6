import { describe, expect, it } from 'vitest';
import { classifyRecord } from './classify-record.js';
import { DEFAULT_DIALECT, type FileFormat } from './sniff-format.js';

const STANDARD: FileFormat = { dialect: DEFAULT_DIALECT, layout: 'standard' };
const ROW = ['25/08/2021 09:00', 'Leeds', 'Ann Example', 'Large Latte - 2.45', '2.45', 'CASH', ''];
const before = { afterRows: false };
const after = { afterRows: true };

describe('Function: classifyRecord', () => {
  it('reads a sale row as a sale, with the raw fields and the parsed sale', () => {
    // Act
    const outcome = classifyRecord(ROW, STANDARD, before);
    // Assess
    expect(outcome).toMatchObject({ kind: 'sale', raw: { branch: 'Leeds', total: '2.45' }, sale: { totalPence: 245, businessDate: '2021-08-25' } });
  });

  it.each([
    ['an empty line', [''], 'blank'],
    ['separators only', ['', '', '', '', '', '', ''], 'blank'],
    ['column names', ['Date', 'Branch', 'Customer', 'Items', 'Total', 'Payment', 'Card'], 'header'],
    ['a title', ['Super Cafe till export'], 'preamble'],
    ["Excel's separator hint", ['sep='], 'preamble'],
    ['a totals line', ['Total', '', '', '', '6.40', '', ''], 'preamble'],
  ])('skips %s before the rows as %s', (_name, record, reason) => {
    expect(classifyRecord(record, STANDARD, before)).toEqual({ kind: 'skipped', reason });
  });

  it('calls the same lines after the rows footnotes, except blanks and headers', () => {
    expect(classifyRecord(['Total', '', '', '', '6.40', '', ''], STANDARD, after)).toEqual({ kind: 'skipped', reason: 'footnote' });
    expect(classifyRecord(['CASH', '3'], STANDARD, after)).toEqual({ kind: 'skipped', reason: 'footnote' });
    expect(classifyRecord(['Date', 'Branch', 'Customer', 'Items', 'Total', 'Payment', 'Card'], STANDARD, after)).toEqual({ kind: 'skipped', reason: 'header' });
  });

  it.each([
    ['a missing field', ROW.slice(0, 6), 'column_count', null],
    ['an unquoted comma in a name', [...ROW.slice(0, 2), 'Smith', ' Ann', ...ROW.slice(3)], 'column_count', null],
    ['another separator', [ROW.join(';')], 'column_count', null],
    ['a date missing, the basket there', ['', ...ROW.slice(1)], 'date_unparsable', 'timestamp'],
    ['a first field that is not a date', ['yesterday', ...ROW.slice(1)], 'date_unparsable', 'timestamp'],
    ['bytes that were not text', [ROW[0] as string, 'Leeds', 'Jos\uFFFD', ...ROW.slice(3)], 'encoding_invalid', null],
    ['a bad total', [...ROW.slice(0, 4), 'lots', ...ROW.slice(5)], 'total_invalid', 'total'],
  ])('rejects a row with %s, never skipping it as a note', (_name, record, reason, field) => {
    expect(classifyRecord(record, STANDARD, after)).toEqual({ kind: 'rejected', reason, field });
  });

  it('drops the row-number and trailing columns of a dialect that has them', () => {
    const format: FileFormat = { dialect: { ...DEFAULT_DIALECT, rowNumbers: true, trailingColumn: true }, layout: 'standard' };
    expect(classifyRecord(['7', ...ROW, ''], format, before)).toMatchObject({ kind: 'sale' });
    expect(classifyRecord(['', 'Date', 'Branch', 'Customer', 'Items', 'Total', 'Payment', 'Card', ''], format, before)).toEqual({ kind: 'skipped', reason: 'header' });
  });

  it('reads decimal commas where the separator is not a comma', () => {
    const format: FileFormat = { dialect: { ...DEFAULT_DIALECT, delimiter: 'semicolon' }, layout: 'standard' };
    expect(classifyRecord([...ROW.slice(0, 3), 'Large Latte - 2,45', '2,45', 'CASH', ''], format, before)).toMatchObject({ kind: 'sale', sale: { totalPence: 245 } });
    expect(classifyRecord([...ROW.slice(0, 4), '2,45', 'CASH', ''], STANDARD, before)).toMatchObject({ kind: 'rejected', reason: 'total_invalid' });
  });

  it('reads items without a size word as sizeless in the 2020 export, and as size_unknown in the standard layout', () => {
    const record = [...ROW.slice(0, 3), 'Speciality Tea - Camomile - 1.30', '1.30', 'CASH', ''];
    expect(classifyRecord(record, { ...STANDARD, layout: 'gen-2020' }, before)).toMatchObject({
      kind: 'sale',
      sale: { items: [{ size: null, product: 'Speciality Tea', flavour: 'Camomile', pricePence: 130 }] },
    });
    expect(classifyRecord(record, STANDARD, before)).toEqual({ kind: 'rejected', reason: 'size_unknown', field: 'items.0.size' });
  });

  it('reads decimal commas in a comma file whose dialect says it writes them (quoted "2,45")', () => {
    const format: FileFormat = { dialect: { ...DEFAULT_DIALECT, decimalComma: true }, layout: 'standard' };
    expect(classifyRecord([...ROW.slice(0, 3), 'Large Latte - 2,45', '2,45', 'CASH', ''], format, before)).toMatchObject({ kind: 'sale', sale: { totalPence: 245 } });
  });

  it('skips a note holding bytes that were not text as a note: only rows are rejected for them', () => {
    expect(classifyRecord(['Exported by Caf\uFFFD till'], STANDARD, before)).toEqual({ kind: 'skipped', reason: 'preamble' });
    expect(classifyRecord([...ROW.slice(0, 5), 'CASH', 'x\uFFFD'], STANDARD, before)).toEqual({ kind: 'rejected', reason: 'encoding_invalid', field: null });
  });
});
