import { describe, expect, it } from 'vitest';
import { DEFAULT_DIALECT } from './sniff-format.js';
import { columnsOf, isBlank, isHeaderShaped, isSaleLike, startsWithDate } from './line-shape.js';

const HEADER = ['Date', 'Branch', 'Customer', 'Items', 'Total', 'Payment', 'Card'];
const ROW = ['25/08/2021 09:00', 'Leeds', 'Ann Example', 'Large Latte - 2.45', '2.45', 'CASH', ''];

describe('Function: startsWithDate', () => {
  it.each([
    ['dd/mm/yyyy', '25/08/2021 09:00', true],
    ['d/m/yyyy', '9/5/2023', true],
    ['ISO yyyy-mm-dd', '2021-02-23 09:00:48', true],
    ['blanks around it', '  25/08/2021  ', true],
    ['no field', undefined, false],
    ['a word', 'Date', false],
    ['a date later in the field', 'on 25/08/2021', false],
    ['a two-digit year', '25/08/21', false],
    ['a three-digit day', '125/08/2021', false],
    ['an ISO date later in the field', 'on 2021-02-23', false],
    ['an ISO date with a one-digit month', '2021-2-23', false],
  ])('%s → %s', (_name, field, expected) => {
    expect(startsWithDate(field)).toBe(expected);
  });
});

describe('Function: isSaleLike', () => {
  it.each([
    ['a sale row', ROW, true],
    ['a damaged row: only the basket left', ['Ann', 'Large Latte - 2.45'], true],
    ['a price with a decimal comma', ['Large Latte - 2,45'], true],
    ['a price of one decimal', ['Large Latte - 2.4'], true],
    ['a date in a later field', ['x', '2021-02-23'], true],
    ['a header', HEADER, false],
    ['a title', ['Super Cafe till export'], false],
    ['a dash without a price', ['Latte - large'], false],
    ['a price of three decimals', ['Large Latte - 2.455'], false],
    ['a price without decimals', ['Large Latte - 2'], false],
    ['a totals line', ['Total', '', '', '', '6.40', '', ''], false],
    ['no fields', [], false],
  ])('%s → %s', (_name, record, expected) => {
    expect(isSaleLike(record)).toBe(expected);
  });
});

describe('Function: isHeaderShaped', () => {
  it.each([
    ['seven column names', HEADER, true],
    ['four names and three empty columns', ['Date', 'Branch', 'Name', 'Items', '', '', ''], true],
    ['a header naming the seventh Card', ['Date', 'Branch', 'Name', 'Items', 'Total', 'Payment', 'Card'], true],
    ['a seventh column of cash', ['Date', 'Branch', 'Name', 'Items', 'Total', 'Payment', 'cash'], true],
    ['three names only', ['Date', 'Branch', 'Name', '', '', '', ''], false],
    ['six columns', HEADER.slice(0, 6), false],
    ['eight columns', [...HEADER, 'Extra'], false],
    ['a date first', ['25/08/2021 09:00', ...HEADER.slice(1)], false],
    ['a date first, padded', [' 25/08/2021 09:00 ', ...HEADER.slice(1)], false],
    ['a payment method fifth', ['Date', 'Branch', 'Name', 'Items', ' CASH ', 'Total', 'Card'], false],
    ['a payment method sixth', ['Date', 'Branch', 'Name', 'Items', 'Total', ' card ', 'Card'], false],
    ['an amount', ['Date', 'Branch', 'Name', 'Items', ' 6.40 ', 'Payment', 'Card'], false],
    ['an amount with a decimal comma', ['Date', 'Branch', 'Name', 'Items', '6,40', 'Payment', 'Card'], false],
    ['a whole amount', ['Date', 'Branch', 'Name', 'Items', 'Total', 'Payment', '6'], false],
    ['a number too long to be an amount', ['Date', 'Branch', 'Name', 'Items', 'Total', 'Payment', '4111111111111111'], true],
    ['an amount with three decimals', ['Date', 'Branch', 'Name', 'Items', 'Total', 'Payment', '6.405'], true],
    ['a word holding a payment method', ['Date', 'Branch', 'Name', 'Items', 'Total', 'Cashier', 'Card'], true],
    ['a word ending in a number', ['Date', 'Branch', 'Name', 'Items', 'Total', 'Payment', 'Card 2'], true],
  ])('%s → %s', (_name, columns, expected) => {
    expect(isHeaderShaped(columns)).toBe(expected);
  });
});

describe('Function: columnsOf', () => {
  const both = { rowNumbers: true, trailingColumn: true };
  it.each([
    ['a row in a plain dialect', ROW, DEFAULT_DIALECT, ROW],
    ['a numbered row in a plain dialect', ['7', ...ROW], DEFAULT_DIALECT, ['7', ...ROW]],
    ['a numbered row with a trailing column', ['7', ...ROW, ''], both, ROW],
    ['a numbered row', ['7', ...ROW], { rowNumbers: true, trailingColumn: false }, ROW],
    ['a header with an empty row-number column', ['', ...HEADER], { rowNumbers: true, trailingColumn: false }, HEADER],
    ['a row with a trailing column', [...ROW, ''], { rowNumbers: false, trailingColumn: true }, ROW],
    ['a row without the row number', ROW, both, ROW],
    ['a seven-column record starting with a number', ['7', ...ROW.slice(1)], { rowNumbers: true, trailingColumn: false }, ['7', ...ROW.slice(1)]],
    ['a row whose first field is not a number', ['x', ...ROW.slice(0, 6), 'CARD'], both, ['x', ...ROW.slice(0, 6), 'CARD']],
    ['a row whose last field is not empty', [...ROW, 'x'], both, [...ROW, 'x']],
    ['a six-column row with an empty last field', ROW.slice(0, 6).concat(''), both, ROW.slice(0, 6).concat('')],
  ])('%s', (_name, record, dialect, expected) => {
    expect(columnsOf(record, dialect)).toEqual(expected);
  });
});

describe('Function: isBlank', () => {
  it.each([
    ['no fields', [], true],
    ['one empty field', [''], true],
    ['separators only', ['', '', '', '', '', '', ''], true],
    ['blanks only', [' ', '\t'], true],
    ['one field with text', ['', '', 'x'], false],
  ])('%s → %s', (_name, record, expected) => {
    expect(isBlank(record)).toBe(expected);
  });
});
