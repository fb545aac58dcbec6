import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeStreamRecord, splitStreamRecord } from '../../contracts/index.js';
import { rawSale, transactionRecorded } from '../../test/helpers/factories.js';
import { customerKey } from '../sales-transform/customer-key.js';
import { ERASED_CARD, scrubArchiveText, scrubRawRecord, scrubSaleRowsText } from './scrub.js';
import { suppressionList } from './suppression.js';

const PEPPER = 'test-pepper-not-secret';
const NAME = 'Test Customer';
const CARD = '4111111111111111';
const KEY = customerKey(PEPPER, NAME, CARD)!;
const CASH_KEY = customerKey(PEPPER, NAME, null)!;
const ERASED_AT = '2024-05-01T12:00:00.000Z';
const BEFORE = '2024-04-30T09:00:00.000Z';
const list = suppressionList([
  { customerKey: KEY, erasedAt: ERASED_AT },
  { customerKey: CASH_KEY, erasedAt: ERASED_AT },
]);

describe('Function: scrubArchiveText', () => {
  const line = (value: unknown) => JSON.stringify(value);
  const archived = (kind: string, sale: Record<string, unknown> | undefined) => line({ kind, record: sale === undefined ? {} : { sale, items: [] } });

  it.each([
    ['a line of another kind', archived('file', { eventId: 'e', soldAt: BEFORE, customerKey: KEY })],
    ['a record without a sale', archived('sale', undefined)],
    ['a sale without a time of sale', archived('sale', { eventId: 'e', customerKey: KEY })],
    // 2024 would read as an instant (Date.parse(2024) is 1 January 2024), before the erasure
    ['a sale whose time is not text', archived('sale', { eventId: 'e', soldAt: 2024, customerKey: KEY })],
    ['a line with no record at all', line({ kind: 'sale' })],
    ['a sale without a customer key', archived('sale', { eventId: 'e', soldAt: BEFORE })],
    ['JSON that is not an object', 'null'],
    ['a number', '42'],
    ['a blank line', '   '],
  ])('keeps %s as it is', (_, text) => {
    expect(scrubArchiveText(`${text}\n`, list)).toEqual({ value: `${text}\n`, changed: 0 });
  });

  it('counts every sale it unties', () => {
    // Prepare
    const sale = archived('sale', { eventId: 'e', soldAt: BEFORE, customerKey: KEY });
    // Act
    const { value, changed } = scrubArchiveText([sale, sale].join('\n'), list);
    // Assess
    expect(changed).toBe(2);
    expect(value).toBe([sale, sale].map(() => archived('sale', { eventId: 'e', soldAt: BEFORE, customerKey: null })).join('\n'));
  });
});

describe('Function: scrubSaleRowsText', () => {
  const row = (values: Record<string, unknown>) => JSON.stringify({ event_id: 'e', total_pence: 520, ...values });

  it.each([
    ['a row without a customer', row({ sold_at: BEFORE, customer_key: null })],
    ['a row without a time of sale', row({ customer_key: KEY })],
    ['a row whose time is not text', row({ sold_at: 2024, customer_key: KEY })],
    ['a sale after the erasure', row({ sold_at: '2024-05-01T12:00:00.001Z', customer_key: KEY })],
    ['JSON that is not an object', 'null'],
  ])('keeps %s as it is', (_, text) => {
    expect(scrubSaleRowsText(text, list)).toEqual({ value: text, changed: 0 });
  });
});

describe('Function: scrubRawRecord', () => {
  const event = (data: Parameters<typeof rawSale>[0], eventId = 'a'.repeat(32)) => JSON.stringify(transactionRecorded(rawSale({ timestamp: '2024-04-30 10:00', ...data }), eventId));
  const dataOf = (record: Buffer, index = 0) => (JSON.parse(splitStreamRecord(record)[index]!) as { data: Record<string, unknown> }).data;

  it('scrubs a plain (unpacked) record and keeps it plain', () => {
    // Prepare
    const record = encodeStreamRecord([event({})], false);
    // Act
    const { value, changed } = scrubRawRecord(record, PEPPER, list);
    // Assess
    expect(changed).toBe(1);
    expect(value[0]).toBe('{'.charCodeAt(0));
    expect(dataOf(value)).toMatchObject({ customerName: null, cardNumber: ERASED_CARD });
  });

  it.each([
    ['a first byte of 0x1f, as gzip’s', '\u001f'],
    ['a second byte of 0x8b, as gzip’s (ċ is C4 8B in UTF-8)', 'ċ'],
  ])('keeps a plain record plain, though it has %s, and keeps its unreadable line', (_, start) => {
    // Prepare
    const record = encodeStreamRecord([`${start} not an event`, event({})], false);
    // Act
    const { value, changed } = scrubRawRecord(record, PEPPER, list);
    // Assess
    expect(changed).toBe(1);
    expect(value.toString('utf8').split('\n')[0]).toBe(`${start} not an event`);
    expect(dataOf(value, 1)).toMatchObject({ customerName: null, cardNumber: ERASED_CARD });
  });

  it('keeps a gzip-packed record packed', () => {
    // Prepare
    const record = encodeStreamRecord([event({}), event({ customerName: 'Someone Else' }, 'b'.repeat(32))], true);
    // Act
    const { value, changed } = scrubRawRecord(record, PEPPER, list);
    // Assess
    expect(changed).toBe(1);
    expect(() => gunzipSync(value)).not.toThrow();
    expect([dataOf(value, 0).customerName, dataOf(value, 1).customerName]).toEqual([null, 'Someone Else']);
  });

  it('takes a cash sale’s name and leaves it without a card', () => {
    // Act
    const { value, changed } = scrubRawRecord(encodeStreamRecord([event({ paymentMethod: 'CASH', cardNumber: null })], false), PEPPER, list);
    // Assess
    expect(changed).toBe(1);
    expect(dataOf(value)).toMatchObject({ customerName: null, cardNumber: null, cardBrand: null });
  });

  it('keeps the brand a file declared when the card number was mangled (the sale was keyed by name alone)', () => {
    // Act: a spreadsheet turned the card into 4.11E+15, so the sale's key is the name-only one
    const { value, changed } = scrubRawRecord(encodeStreamRecord([event({ cardNumber: '4.11E+15', cardBrand: 'Electron' })], false), PEPPER, list);
    // Assess
    expect(changed).toBe(1);
    expect(dataOf(value)).toMatchObject({ customerName: null, cardNumber: ERASED_CARD, cardBrand: 'Electron' });
  });

  it('gives a card sale its brand from the number when the file named none', () => {
    const { value } = scrubRawRecord(encodeStreamRecord([event({ cardBrand: null })], false), PEPPER, list);
    expect(dataOf(value)).toMatchObject({ cardNumber: ERASED_CARD, cardBrand: 'visa' });
  });

  it.each([
    ['text that is not JSON', '{"type":"Transact'],
    ['another type of event', JSON.stringify({ ...JSON.parse(event({})), type: 'RowRejected' })],
    ['an event without data', JSON.stringify({ ...JSON.parse(event({})), data: undefined })],
    ['an event the contract refuses', event({ paymentMethod: 'IOU' })],
    ['a sale after the erasure', event({ timestamp: '2024-05-01 14:00' })],
  ])('leaves %s untouched, byte for byte', (_, line) => {
    // Prepare
    const record = encodeStreamRecord([line], false);
    // Act
    const scrubbed = scrubRawRecord(record, PEPPER, list);
    // Assess
    expect(scrubbed).toEqual({ value: record, changed: 0 });
    expect(scrubbed.value).toBe(record);
  });
});
