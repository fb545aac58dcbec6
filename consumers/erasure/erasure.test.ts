import { describe, expect, it } from 'vitest';
import { TransactionRecordedSchema, encodeStreamRecord, splitStreamRecord } from '../../contracts/index.js';
import { rawSale, transactionRecorded } from '../../test/helpers/factories.js';
import { customerKey } from '../sales-transform/customer-key.js';
import { transformSale } from '../sales-transform/transform-sale.js';
import { ErasureRequestError, erasureKeys, normaliseCard } from './erasure-keys.js';
import { ERASED_CARD, scrubArchiveText, scrubRawRecord, scrubSaleRowsText } from './scrub.js';
import { isSuppressed, suppressErased, suppressionList } from './suppression.js';

const PEPPER = 'test-pepper-not-secret';
const CARD = '4111111111111111';
const NAME = 'Test Customer';
const ERASED_AT = '2024-05-01T12:00:00.000Z';
const keyOf = (name: string | null, card: string | null) => customerKey(PEPPER, name, card)!;
const list = suppressionList([{ customerKey: keyOf(NAME, CARD), erasedAt: ERASED_AT }]);

describe('Function: erasureKeys', () => {
  it('finds the key the consumer gave each of the customer’s cards, however the card was written', () => {
    // Act
    const keys = erasureKeys(PEPPER, { name: '  test  CUSTOMER ', cards: ['4111 1111 1111 1111', '5500-0000-0000-0004'] });
    // Assess: the consumer's own key for a sale by that name and card (names are normalised the same way).
    expect(keys).toEqual([keyOf(NAME, CARD), keyOf(NAME, '5500000000000004')]);
    const consumer = transformSale(TransactionRecordedSchema.parse(transactionRecorded()), PEPPER, new Date());
    expect(keys).toContain(consumer.sale.customerKey);
  });

  it('adds the name-only key (cash sales) when asked, or when no card is given', () => {
    expect(erasureKeys(PEPPER, { name: NAME, cards: [CARD], includeCash: true })).toEqual([keyOf(NAME, CARD), keyOf(NAME, null)]);
    expect(erasureKeys(PEPPER, { name: NAME, cards: [] })).toEqual([keyOf(NAME, null)]);
  });

  it.each([
    ['an empty name', { name: ' ', cards: [CARD] }, 'the customer name is empty'],
    ['a card that is not a whole number', { name: NAME, cards: ['4111-11'] }, 'a card number must have 12 to 19 digits'],
  ])('refuses %s without repeating what was given', (_, request, message) => {
    // Act
    const act = () => erasureKeys(PEPPER, request);
    // Assess
    expect(act).toThrow(ErasureRequestError);
    expect(act).toThrow(message);
    expect(() => normaliseCard('4111-11')).not.toThrow(/4111/);
  });
});

describe('Function: suppressErased (the replay’s hook)', () => {
  const record = (soldAt: string, key: string | null = keyOf(NAME, CARD)) => {
    const transformed = transformSale(TransactionRecordedSchema.parse(transactionRecorded()), PEPPER, new Date());
    return { ...transformed, sale: { ...transformed.sale, soldAt, customerKey: key } };
  };

  it('unties from the customer every sale sold up to the erasure, keeping its figures', () => {
    // Prepare
    const before = record('2024-04-30T09:00:00.000Z');
    const batch = { sales: [before], quarantine: [], files: [], voids: [] };
    // Act
    const suppressed = suppressErased(batch, list);
    // Assess
    expect(suppressed.sales[0]?.sale).toEqual({ ...before.sale, customerKey: null });
  });

  it('leaves a later purchase, another customer and an empty list alone', () => {
    // Prepare
    const later = record('2024-05-02T09:00:00.000Z');
    const other = record('2024-04-30T09:00:00.000Z', keyOf('Someone Else', CARD));
    const batch = { sales: [later, other], quarantine: [], files: [], voids: [] };
    // Act / Assess
    expect(suppressErased(batch, list)).toBe(batch);
    expect(suppressErased(batch, suppressionList([]))).toBe(batch);
    expect(isSuppressed({ customerKey: null, soldAt: '2024-01-01T00:00:00Z' }, list)).toBe(false);
  });

  it('counts a key’s latest erasure', () => {
    // Act
    const twice = suppressionList([
      { customerKey: 'k', erasedAt: '2024-05-01T00:00:00Z' },
      { customerKey: 'k', erasedAt: '2024-06-01T00:00:00Z' },
      { customerKey: 'k', erasedAt: '2024-01-01T00:00:00Z' },
    ]);
    // Assess
    expect(twice.get('k')?.erasedAt).toBe('2024-06-01T00:00:00Z');
  });
});

describe('Scrubbers', () => {
  it('scrubs the local archive of clean records, line by line, keeping cut fragments', () => {
    // Prepare
    const sale = (soldAt: string) => JSON.stringify({ kind: 'sale', record: { sale: { eventId: 'e', soldAt, customerKey: keyOf(NAME, CARD) }, items: [] } });
    const text = [sale('2024-04-30T09:00:00.000Z'), sale('2024-05-02T09:00:00.000Z'), '{"kind":"sa', ''].join('\n');
    // Act
    const { value, changed } = scrubArchiveText(text, list);
    // Assess
    expect(changed).toBe(1);
    const lines = value.split('\n');
    expect(JSON.parse(lines[0]!).record.sale.customerKey).toBeNull();
    expect(JSON.parse(lines[1]!).record.sale.customerKey).toBe(keyOf(NAME, CARD));
    expect(lines.slice(2)).toEqual(['{"kind":"sa', '']);
  });

  it('scrubs warehouse rows as Firehose wrote them (JSON lines keyed by column), and returns the text itself when nothing matched', () => {
    // Prepare
    const row = (key: string | null) => JSON.stringify({ event_id: 'e', sold_at: '2024-04-30T09:00:00.000Z', customer_key: key, total_pence: 520 });
    const text = `${row(keyOf(NAME, CARD))}\n${row(null)}\n`;
    // Act
    const { value, changed } = scrubSaleRowsText(text, list);
    // Assess
    expect(changed).toBe(1);
    expect(value).toBe(`${row(null)}\n${row(null)}\n`);
    const untouched = `${row('f'.repeat(64))}\n`;
    expect(scrubSaleRowsText(untouched, list)).toEqual({ value: untouched, changed: 0 });
  });

  it('scrubs a raw Kinesis record: the customer’s events lose name and card, and replay as the same anonymous card sale', () => {
    // Prepare: a packed record of two sales before the erasure, the customer's and someone else's.
    const mine = transactionRecorded(rawSale({ timestamp: '2024-04-30 10:00' }), 'a'.repeat(32));
    const theirs = transactionRecorded(rawSale({ customerName: 'Someone Else', timestamp: '2024-04-30 10:01' }), 'b'.repeat(32));
    const record = encodeStreamRecord([JSON.stringify({ ...mine, occurredAt: '2024-04-30T09:00:00.000Z' }), JSON.stringify({ ...theirs, occurredAt: '2024-04-30T09:01:00.000Z' })]);
    // Act
    const { value, changed } = scrubRawRecord(record, PEPPER, list);
    // Assess
    expect(changed).toBe(1);
    const [scrubbed, kept] = splitStreamRecord(value).map((line) => JSON.parse(line) as { data: Record<string, unknown> });
    expect(scrubbed?.data).toMatchObject({ customerName: null, cardNumber: ERASED_CARD, cardBrand: 'visa' });
    expect(JSON.stringify(scrubbed)).not.toContain(CARD);
    expect(JSON.stringify(scrubbed)).not.toContain(NAME);
    expect(kept?.data).toMatchObject({ customerName: 'Someone Else', cardNumber: CARD });
    // The consumer loads it as before, with no customer.
    const replayed = transformSale(TransactionRecordedSchema.parse(scrubbed), PEPPER, new Date());
    expect(replayed.sale).toMatchObject({ eventId: 'a'.repeat(32), customerKey: null, paymentMethod: 'CARD', cardBrand: 'visa', totalPence: 520 });
  });

  it('leaves a raw record without the customer byte for byte as it was', () => {
    // Prepare
    const record = encodeStreamRecord([JSON.stringify(transactionRecorded(rawSale({ customerName: 'Someone Else' })))]);
    // Act / Assess
    expect(scrubRawRecord(record, PEPPER, list).value).toBe(record);
  });
});
