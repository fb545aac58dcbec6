import { describe, expect, it } from 'vitest';
import { RefundRecordedSchema, keyedHash } from '../../contracts/index.js';
import { fileIngested, rawSale, rowRejected, transactionRecorded } from '../../test/helpers/factories.js';
import { customerKey } from './customer-key.js';
import { projectEvent, projectUnreadableRecord } from './project-event.js';
import { transformRefund } from './transform-sale.js';
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

describe('Function: projectEvent, by type of event and source', () => {
  const TILL = { kind: 'till', tillId: 'till_0123456789abcdef', saleId: 'sale-17' } as const;

  it('turns a refund into a negative sale of its own', () => {
    // Prepare
    const refund = {
      type: 'RefundRecorded', schemaVersion: 3, eventId: 'b'.repeat(32), recordedAt: '2021-08-25T09:10:00.000Z', occurredAt: '2021-08-25T09:09:00.000Z', source: TILL,
      data: { refundOf: 'a'.repeat(32), branch: 'Leeds', items: [{ size: 'Large', product: 'Latte', flavour: null, pricePence: 245 }], totalPence: 245, paymentMethod: 'CARD' },
    };
    // Act / Assess
    expect(project(refund)).toEqual({ kind: 'sale', record: transformRefund(RefundRecordedSchema.parse(refund), context.now) });
  });

  it('turns a void into the void of the sale it names', () => {
    // Prepare
    const voided = { type: 'SaleVoided', schemaVersion: 3, eventId: 'c'.repeat(32), recordedAt: '2021-08-25T09:10:00.000Z', occurredAt: '2021-08-25T09:09:00.000Z', source: TILL, data: { saleEventId: 'a'.repeat(32), branch: 'Leeds' } };
    // Act / Assess
    expect(project(voided)).toEqual({ kind: 'void', void: { voidEventId: 'c'.repeat(32), saleEventId: 'a'.repeat(32), recordedAt: '2021-08-25T09:10:00.000Z' } });
  });

  it.each([
    ['a file row', rowRejected(), { source: 'file', sourceRef: 'chesterfield.csv', line: 7 }],
    ['a till sale', { ...rowRejected(), source: TILL }, { source: 'till', sourceRef: 'till_0123456789abcdef', line: null }],
  ])('records a rejected %s where it was refused', (_, event, where) => {
    expect(project(event)).toEqual({ kind: 'rejection', entry: { eventId: 'b'.repeat(32), ...where, reason: 'total_invalid', field: 'total', recordedAt: '2021-08-25T21:00:00.000Z' } });
  });

  it.each([
    ['a file row', transactionRecorded(rawSale({ paymentMethod: 'IOU' })), { source: 'file', sourceRef: 'chesterfield.csv', line: 1, reason: 'payment_unknown', field: 'data.paymentMethod' }],
    ['a till sale', { ...transactionRecorded(rawSale({ paymentMethod: 'IOU' })), source: TILL }, { source: 'till', sourceRef: 'till_0123456789abcdef', line: null, reason: 'payment_unknown', field: 'data.paymentMethod' }],
    ['an event with no source it can read', { ...transactionRecorded(), source: { kind: 'fax' } }, { source: 'stream', sourceRef: 'shardId-0:1', line: null, reason: 'event_malformed', field: 'source.kind' }],
  ])('quarantines a poison event from %s under its source', (_, event, where) => {
    expect(project(event)).toEqual({ kind: 'quarantine', entry: { eventId: 'a'.repeat(32), ...where, recordedAt: context.now.toISOString() } });
  });

  it.each([
    ['not text', 12345678],
    ['a list holding an id (text only once made a string)', ['a'.repeat(32)]],
    ['in capitals', 'A'.repeat(32)],
    ['one character short', 'a'.repeat(31)],
    ['with a character before it', `x${'a'.repeat(32)}`],
    ['with a character after it', `${'a'.repeat(32)}x`],
  ])('quarantines a poison event whose id is %s under an opaque id made from its text', (_, eventId) => {
    // Prepare
    const text = JSON.stringify({ ...transactionRecorded(rawSale({ paymentMethod: 'IOU' })), eventId });
    // Act
    const projection = projectEvent(text, context);
    // Assess: the id a redelivery gets again, and not one a reader could reverse
    expect(projection).toMatchObject({ kind: 'quarantine', entry: { eventId: keyedHash(context.pepper, `unreadable/v1|${text}`).slice(0, 32) } });
  });

  it('quarantines an unreadable record under a 32-character opaque id of its body', () => {
    expect(projectUnreadableRecord('H4sIAAAA', context)).toEqual({
      kind: 'quarantine',
      entry: { eventId: keyedHash(context.pepper, 'unreadable/v1|H4sIAAAA').slice(0, 32), source: 'stream', sourceRef: 'shardId-0:1', line: null, reason: 'event_unreadable', field: null, recordedAt: context.now.toISOString() },
    });
  });

  it('keeps each count of lines skipped by reason', () => {
    // Prepare
    const account = fileIngested();
    const event = { ...account, data: { ...account.data, skipped: { blank: 1, header: 2, preamble: 3, footnote: 4 } } };
    // Act
    const projection = project(event);
    // Assess
    expect(projection).toMatchObject({ kind: 'file', file: { linesBlank: 1, linesHeader: 2, linesPreamble: 3, linesFootnote: 4 } });
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
