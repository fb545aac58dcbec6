import { describe, expect, it } from 'vitest';
import { RawSaleSchema } from '../../contracts/index.js';
import { rawSale } from '../../test/helpers/factories.js';
import type { RecordOutcome } from './classify-record.js';
import { FileAccount } from './file-account.js';
import { DEFAULT_DIALECT } from './sniff-format.js';

const sale = (branch: string): RecordOutcome => {
  const raw = rawSale({ branch });
  return { kind: 'sale', raw, sale: RawSaleSchema.parse(raw) };
};

describe('Class: FileAccount', () => {
  it('counts every line once: rows read, lines skipped by reason, and continuation lines', () => {
    // Prepare
    const account = new FileAccount();
    account.describe({ format: { dialect: DEFAULT_DIALECT, layout: 'standard' } });

    // Act: a header, a sale on two lines, a blank, a rejected row, a line the framer refused, a footnote.
    account.add({ kind: 'skipped', reason: 'header' }, 1, 1);
    account.add(sale('Leeds'), 2, 2);
    account.published();
    account.add({ kind: 'skipped', reason: 'blank' }, 4, 1);
    account.add({ kind: 'rejected', reason: 'total_invalid', field: 'total' }, 5, 1);
    account.refusedLine(6, 'row_malformed');
    account.add({ kind: 'skipped', reason: 'footnote' }, 7, 1);

    // Assess
    const totals = account.totals();
    expect(totals).toMatchObject({
      layout: 'header',
      lines: 7,
      rowsRead: 3,
      eventsPublished: 1,
      rowsRejected: 2,
      linesSkipped: 3,
      skipped: { blank: 1, header: 1, preamble: 0, footnote: 1 },
      linesContinued: 1,
      rejectsByReason: { total_invalid: 1, row_malformed: 1 },
      rejections: [
        { line: 5, reason: 'total_invalid', field: 'total' },
        { line: 6, reason: 'row_malformed', field: null },
      ],
    });
    expect(totals.lines).toBe(totals.rowsRead + totals.linesSkipped + totals.linesContinued);
  });

  it('takes the branch most sales name and the first sale\u2019s business date', () => {
    const account = new FileAccount();
    for (const branch of ['York', 'Leeds', 'Leeds']) account.add(sale(branch), 1, 1);
    const nextDay = rawSale({ timestamp: '2021-08-26 09:00' });
    account.add({ kind: 'sale', raw: nextDay, sale: RawSaleSchema.parse(nextDay) }, 4, 1);
    expect(account.totals()).toMatchObject({ branch: 'Leeds', businessDate: '2021-08-25' });
  });

  it('knows when rows have begun, and keeps only the first 50 rejections for people to read', () => {
    const account = new FileAccount();
    expect(account.afterRows).toBe(false);
    for (let line = 1; line <= 60; line++) account.add({ kind: 'rejected', reason: 'column_count', field: null }, line, 1);
    expect(account.afterRows).toBe(true);
    expect(account.totals()).toMatchObject({ rowsRejected: 60, layout: 'unknown' });
    expect(account.totals().rejections).toHaveLength(50);
  });

  it.each([
    ['not sniffed', undefined, 1, 0, 'unknown'],
    ['sniffed, no rows', 'standard', 0, 1, 'unknown'],
    ['standard rows after a header', 'standard', 1, 1, 'header'],
    ['standard rows, no header', 'standard', 1, 0, 'standard'],
    ['legacy rows after a header', 'legacy-2021', 1, 1, 'legacy-2021'],
    ['2020 export rows', 'gen-2020', 1, 0, 'gen-2020'],
  ] as const)('names the layout: %s → %s', (_name, layout, rows, headers, expected) => {
    // Prepare
    const account = new FileAccount();
    if (layout) account.describe({ format: { dialect: DEFAULT_DIALECT, layout } });
    // Act
    for (let header = 0; header < headers; header++) account.add({ kind: 'skipped', reason: 'header' }, 1, 1);
    for (let row = 0; row < rows; row++) account.add({ kind: 'rejected', reason: 'column_count', field: null }, 2, 1);
    // Assess
    expect(account.totals().layout).toBe(expected);
  });

  it('notes each of encoding, format and line endings only when told, keeping what it knew', () => {
    // Prepare
    const account = new FileAccount();
    const format = { dialect: { ...DEFAULT_DIALECT, delimiter: 'semicolon' }, layout: 'standard' } as const;
    expect(account.totals()).toMatchObject({ encoding: null, dialect: null, lineEndings: null });
    // Act
    account.describe({ encoding: 'windows-1252' });
    account.describe({ format });
    account.describe({ lineEndings: 'crlf' });
    account.describe({});
    // Assess
    expect(account.format).toBe(format);
    expect(account.totals()).toMatchObject({ encoding: 'windows-1252', dialect: format.dialect, lineEndings: 'crlf' });
  });

  it('counts rejections by reason and reports progress, keeping the 50th rejection and not the 51st', () => {
    // Prepare
    const account = new FileAccount();
    // Act
    for (let line = 1; line <= 51; line++) account.add({ kind: 'rejected', reason: line % 2 ? 'total_invalid' : 'payment_unknown', field: 'x' }, line, 1);
    account.refusedLine(52, 'row_malformed');
    account.add(sale('Leeds'), 53, 1);
    // Assess
    const totals = account.totals();
    expect(totals.rejectsByReason).toEqual({ total_invalid: 26, payment_unknown: 25, row_malformed: 1 });
    expect(totals.rejections.at(-1)).toEqual({ line: 50, reason: 'payment_unknown', field: 'x' });
    expect(account.progress).toEqual({ rowsRead: 53, rowsRejected: 52 });
    expect(totals).toMatchObject({ lines: 53, rowsRead: 53, rowsRejected: 52, eventsPublished: 0 });
  });

  it('takes the branch with the most sales whatever their order, and none without sales', () => {
    const account = new FileAccount();
    expect(account.totals()).toMatchObject({ branch: null, businessDate: null });
    for (const branch of ['Leeds', 'York', 'York', 'Leeds', 'York']) account.add(sale(branch), 1, 1);
    expect(account.totals().branch).toBe('York');
  });

  it('hands out copies: changing the totals changes nothing in the account', () => {
    // Prepare
    const account = new FileAccount();
    account.add({ kind: 'rejected', reason: 'column_count', field: null }, 1, 1);
    const totals = account.totals();
    // Act
    (totals.skipped as { blank: number }).blank = 9;
    (totals.rejectsByReason as Record<string, number>).column_count = 9;
    (totals.rejections as unknown[]).push({});
    // Assess
    expect(account.totals()).toMatchObject({ skipped: { blank: 0 }, rejectsByReason: { column_count: 1 }, rejections: [{ line: 1 }] });
    expect(account.totals().rejections).toHaveLength(1);
  });
});
