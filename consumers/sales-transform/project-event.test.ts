import { describe, expect, it } from 'vitest';
import { rawSale, transactionRecorded } from '../../test/helpers/factories.js';
import { customerKey } from './customer-key.js';
import { projectEvent } from './project-event.js';
import { ingestFileRow } from './warehouse-rows.js';

const context = { pepper: 'pepper-one', now: new Date('2021-08-25T09:00:06Z'), position: 'shardId-0:1' };
const project = (event: unknown) => projectEvent(JSON.stringify(event), context);

describe('Function: projectEvent', () => {
  it('turns a recorded transaction into a clean sale with its basket lines', () => {
    // Act
    const projection = project(transactionRecorded());

    // Assess
    expect(projection.kind).toBe('sale');
    if (projection.kind !== 'sale') return;
    expect(projection.record.sale).toMatchObject({ branch: 'Chesterfield', soldAt: '2021-08-25T08:00:00.000Z', totalPence: 520, itemCount: 2, paymentMethod: 'CARD', cardBrand: 'visa', source: 'file' });
    expect(projection.record.items.map((item) => [item.lineNo, item.product, item.flavour, item.pricePence])).toEqual([
      [1, 'Latte', null, 245],
      [2, 'Flavoured iced latte', 'Hazelnut', 275],
    ]);
  });

  it('keeps neither the customer name nor the card number', () => {
    const projection = project(transactionRecorded(rawSale({ customerName: 'Ada Lovelace', cardNumber: '5555444433332222' })));
    const text = JSON.stringify(projection);
    expect(text).not.toContain('Lovelace');
    expect(text).not.toContain('5555444433332222');
  });

  it('quarantines an event that breaks the contract, naming the reason and field only', () => {
    const projection = project(transactionRecorded(rawSale({ customerName: 'Ada Lovelace', paymentMethod: 'IOU' })));
    expect(projection).toEqual({
      kind: 'quarantine',
      entry: { eventId: 'a'.repeat(32), source: 'file', sourceRef: 'chesterfield.csv', line: 1, reason: 'payment_unknown', field: 'data.paymentMethod', recordedAt: context.now.toISOString() },
    });
    expect(JSON.stringify(projection)).not.toContain('Lovelace');
  });

  it('quarantines text that is not JSON under a stable opaque id', () => {
    const first = projectEvent('{"customer": "Ada Lovelace"', context);
    const again = projectEvent('{"customer": "Ada Lovelace"', context);
    expect(first).toMatchObject({ kind: 'quarantine', entry: { reason: 'event_unreadable', source: 'stream', sourceRef: 'shardId-0:1' } });
    expect(first).toEqual(again);
    expect(JSON.stringify(first)).not.toContain('Lovelace');
  });

  it("turns a file's account into its ingest_files row: encoding, dialect as a phrase, lines by reason", () => {
    // Prepare
    const account = {
      file: 'leeds.csv', branch: 'Leeds', businessDate: '2024-03-05', layout: 'header', rowsRead: 4, eventsPublished: 3, rowsRejected: 1, linesSkipped: 3,
      startedAt: '2024-03-05T21:00:00.000Z', finishedAt: '2024-03-05T21:00:01.000Z', status: 'loaded', refusal: null,
    };
    const event = { type: 'FileIngested', schemaVersion: 2, eventId: 'b'.repeat(32), recordedAt: '2024-03-05T21:00:01.000Z', data: account };
    const described = {
      ...event,
      data: {
        ...account,
        encoding: 'windows-1252',
        dialect: { delimiter: 'semicolon', quote: 'double', decimalComma: true, rowNumbers: false, trailingColumn: false },
        lineEndings: 'crlf',
        lines: 8,
        skipped: { blank: 1, header: 1, preamble: 1, footnote: 0 },
        linesContinued: 1,
      },
    };

    // Act
    const projection = project(described);
    const before = project(event);

    // Assess
    expect(projection.kind === 'file' && ingestFileRow(projection.file)).toMatchObject({
      encoding: 'windows-1252', dialect: 'semicolon, decimal comma', line_endings: 'crlf', lines: 8, lines_blank: 1, lines_header: 1, lines_preamble: 1, lines_footnote: 0, lines_continued: 1,
    });
    // An account written before these were kept reads as NULLs.
    expect(before.kind === 'file' && ingestFileRow(before.file)).toMatchObject({ encoding: null, dialect: null, line_endings: null, lines: null, lines_blank: null, lines_continued: null });
  });

  it('quarantines an unknown schema version', () => {
    const projection = project({ ...transactionRecorded(), schemaVersion: 99 });
    expect(projection).toMatchObject({ kind: 'quarantine', entry: { reason: 'schema_version_unknown' } });
  });
});

describe('Function: customerKey', () => {
  it('is stable for the same customer whatever the spacing and case', () => {
    expect(customerKey('p', 'Ada  Lovelace', '1')).toBe(customerKey('p', 'ada lovelace', '1'));
  });
  it('differs under another pepper', () => {
    expect(customerKey('p', 'Ada Lovelace', null)).not.toBe(customerKey('q', 'Ada Lovelace', null));
  });
  it('is null when no customer is named', () => expect(customerKey('p', '  ', null)).toBeNull());
});
