import { describe, expect, it } from 'vitest';
import { SalesStreamEventSchema } from '../../contracts/index.js';
import { rawSale } from '../../test/helpers/factories.js';
import { fileEventId, rejectionEventId } from '../shared/event-id.js';
import type { FileTotals } from './file-account.js';
import { fileVersionIngested, rowRejected, saleRecorded } from './file-events.js';

const FILE = 'uploads/leeds/2021-08-25.csv';
const VERSION = '0000000000000000005C3A9B1E4F2D10';

describe('Function: saleRecorded', () => {
  it('is a TransactionRecorded event naming the file, its version and the line, with the given id', () => {
    // Act
    const event = saleRecorded(FILE, VERSION, 12, 'e'.repeat(32), rawSale(), new Date('2021-08-25T08:00:00Z'), '2021-08-25T21:00:01.000Z');
    // Assess
    expect(event).toEqual({
      type: 'TransactionRecorded',
      schemaVersion: 3,
      eventId: 'e'.repeat(32),
      recordedAt: '2021-08-25T21:00:01.000Z',
      occurredAt: '2021-08-25T08:00:00.000Z',
      source: { kind: 'file', file: FILE, version: VERSION, line: 12 },
      data: rawSale(),
    });
    expect(SalesStreamEventSchema.safeParse(event).success).toBe(true);
  });
});

describe('Function: rowRejected', () => {
  it('says where and why, with an id from the file, the line and the reason', () => {
    // Act
    const event = rowRejected(FILE, VERSION, 7, 'total_invalid', 'total', '2021-08-25T21:00:02.000Z');
    // Assess
    expect(event).toEqual({
      type: 'RowRejected',
      schemaVersion: 3,
      eventId: rejectionEventId(FILE, 7, 'total_invalid'),
      recordedAt: '2021-08-25T21:00:02.000Z',
      source: { kind: 'file', file: FILE, version: VERSION, line: 7 },
      data: { reason: 'total_invalid', field: 'total' },
    });
    expect(SalesStreamEventSchema.safeParse(event).success).toBe(true);
  });
});

describe('Function: fileVersionIngested', () => {
  it("carries the version's whole account, finished at its run's end, with an id from the file and the version", () => {
    // Prepare: every count different, so a field taken from the wrong count shows.
    const totals: FileTotals = {
      layout: 'header',
      branch: 'Leeds',
      businessDate: '2021-08-25',
      encoding: 'windows-1252',
      dialect: { delimiter: 'semicolon', quote: 'double', decimalComma: true, rowNumbers: false, trailingColumn: true },
      lineEndings: 'mixed',
      lines: 20,
      rowsRead: 14,
      eventsPublished: 11,
      rowsRejected: 3,
      linesSkipped: 4,
      skipped: { blank: 1, header: 1, preamble: 2, footnote: 0 },
      linesContinued: 2,
      rejectsByReason: { total_invalid: 3 },
      rejections: [{ line: 5, reason: 'total_invalid', field: 'total' }],
    };
    const run = { startedAt: '2021-08-25T21:00:00.000Z', finishedAt: '2021-08-25T21:00:03.000Z', status: 'refused', refusal: 'file_unreadable' } as const;
    // Act
    const event = fileVersionIngested(FILE, VERSION, totals, run);
    // Assess: the people-facing lists (rejectsByReason, rejections) stay out of the event.
    expect(event).toEqual({
      type: 'FileVersionIngested',
      schemaVersion: 3,
      eventId: fileEventId(FILE, VERSION),
      recordedAt: '2021-08-25T21:00:03.000Z',
      data: {
        file: FILE,
        version: VERSION,
        branch: 'Leeds',
        businessDate: '2021-08-25',
        layout: 'header',
        rowsRead: 14,
        eventsPublished: 11,
        rowsRejected: 3,
        linesSkipped: 4,
        startedAt: '2021-08-25T21:00:00.000Z',
        finishedAt: '2021-08-25T21:00:03.000Z',
        status: 'refused',
        refusal: 'file_unreadable',
        encoding: 'windows-1252',
        dialect: { delimiter: 'semicolon', quote: 'double', decimalComma: true, rowNumbers: false, trailingColumn: true },
        lineEndings: 'mixed',
        lines: 20,
        skipped: { blank: 1, header: 1, preamble: 2, footnote: 0 },
        linesContinued: 2,
      },
    });
    expect(SalesStreamEventSchema.safeParse(event).success).toBe(true);
    expect(fileEventId(FILE, VERSION)).not.toBe(fileEventId(FILE, run.startedAt));
  });
});
