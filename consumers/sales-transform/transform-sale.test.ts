import { describe, expect, it } from 'vitest';
import { RefundRecordedSchema, TransactionRecordedSchema, type RefundRecorded } from '../../contracts/index.js';
import { FILE_VERSION, rawSale, transactionRecorded } from '../../test/helpers/factories.js';
import { customerKey } from './customer-key.js';
import { matchKey } from './match-key.js';
import { transformRefund, transformSale } from './transform-sale.js';

const PEPPER = 'test-pepper-not-secret';
const LOADED_AT = new Date('2021-08-25T09:00:06.000Z');
const EVENT_ID = 'a'.repeat(32);
const TILL = { kind: 'till', tillId: 'till_0123456789abcdef', saleId: 'sale-17' } as const;

const items = [
  { eventId: EVENT_ID, lineNo: 1, size: 'Large', product: 'Latte', flavour: null, pricePence: 245 },
  { eventId: EVENT_ID, lineNo: 2, size: 'Regular', product: 'Flavoured iced latte', flavour: 'Hazelnut', pricePence: 275 },
];

describe('Function: transformSale', () => {
  it('turns a file row into its clean sale, numbered basket lines and file origin', () => {
    // Prepare
    const event = TransactionRecordedSchema.parse(transactionRecorded(rawSale({ cardBrand: 'visa' })));

    // Act
    const record = transformSale(event, PEPPER, LOADED_AT);

    // Assess: every column the warehouse stores, by name
    expect(record).toStrictEqual({
      sale: {
        eventId: EVENT_ID,
        kind: 'sale',
        refundOf: null,
        branch: 'Chesterfield',
        soldAt: '2021-08-25T08:00:00.000Z',
        businessDate: '2021-08-25',
        totalPence: 520,
        paymentMethod: 'CARD',
        cardBrand: 'visa',
        customerKey: customerKey(PEPPER, 'Test Customer', '4111111111111111'),
        itemCount: 2,
        source: 'file',
        sourceRef: 'chesterfield.csv',
        recordedAt: '2021-08-25T09:00:05.000Z',
        loadedAt: '2021-08-25T09:00:06.000Z',
      },
      items,
      origin: {
        kind: 'file',
        file: 'chesterfield.csv',
        version: FILE_VERSION,
        line: 1,
        matchKey: matchKey({ branch: 'Chesterfield', soldAt: new Date('2021-08-25T08:00:00.000Z'), paymentMethod: 'CARD', totalPence: 520, items }),
      },
    });
  });

  it('names the till as the source of a live sale, with a till origin', () => {
    // Prepare
    const event = TransactionRecordedSchema.parse({ ...transactionRecorded(), source: TILL });

    // Act
    const record = transformSale(event, PEPPER, LOADED_AT);

    // Assess
    expect(record.sale).toMatchObject({ source: 'till', sourceRef: 'till_0123456789abcdef' });
    expect(record.origin).toStrictEqual({ kind: 'till', matchKey: (transformSale(TransactionRecordedSchema.parse(transactionRecorded()), PEPPER, LOADED_AT).origin as { matchKey: string }).matchKey });
  });
});

describe('Function: transformRefund', () => {
  it('books a refund as a negative sale of its own, linked to the original, with no customer and no match key', () => {
    // Prepare: 23:30 UTC on 31 March is 00:30 on 1 April in London (BST): the business date is London's
    const refund: RefundRecorded = RefundRecordedSchema.parse({
      type: 'RefundRecorded',
      schemaVersion: 3,
      eventId: 'b'.repeat(32),
      recordedAt: '2024-03-31T23:31:00.000Z',
      occurredAt: '2024-03-31T23:30:00.000Z',
      source: TILL,
      data: {
        refundOf: EVENT_ID,
        branch: 'Leeds',
        items: [
          { size: 'Large', product: 'Latte', flavour: null, pricePence: 245 },
          { size: null, product: 'Cookie', flavour: 'Oat', pricePence: 150 },
        ],
        totalPence: 395,
        paymentMethod: 'CASH',
      },
    });

    // Act
    const record = transformRefund(refund, LOADED_AT);

    // Assess
    expect(record).toStrictEqual({
      sale: {
        eventId: 'b'.repeat(32),
        kind: 'refund',
        refundOf: EVENT_ID,
        branch: 'Leeds',
        soldAt: '2024-03-31T23:30:00.000Z',
        businessDate: '2024-04-01',
        totalPence: -395,
        paymentMethod: 'CASH',
        cardBrand: null,
        customerKey: null,
        itemCount: 2,
        source: 'till',
        sourceRef: 'till_0123456789abcdef',
        recordedAt: '2024-03-31T23:31:00.000Z',
        loadedAt: '2021-08-25T09:00:06.000Z',
      },
      items: [
        { eventId: 'b'.repeat(32), lineNo: 1, size: 'Large', product: 'Latte', flavour: null, pricePence: -245 },
        { eventId: 'b'.repeat(32), lineNo: 2, size: null, product: 'Cookie', flavour: 'Oat', pricePence: -150 },
      ],
      origin: { kind: 'till', matchKey: null },
    });
  });
});
