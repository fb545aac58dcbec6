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
});
