import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../contracts/index.js';
import type { TillSale } from '../../contracts/till-sale.js';
import { tillSaleEventId } from '../shared/event-id.js';
import { decideSales, MAX_CLOCK_AHEAD_MS } from './decide-sales.js';

const till = { tillId: 'till_0123456789abcdef', branch: 'London Soho' };
const now = new Date('2021-09-10T12:00:00Z');
const CARD = '5494173772652516';

const sale = (overrides: Partial<TillSale> = {}): TillSale => ({
  saleId: 'S-1',
  branch: 'London Soho',
  occurredAt: '2021-09-10T09:00:30+01:00',
  items: [
    { size: 'Regular', product: 'Flavoured iced latte', flavour: 'Hazelnut', pricePence: 275 },
    { size: 'Large', product: 'Latte', pricePence: 245 },
  ],
  totalPence: 520,
  paymentMethod: 'CARD',
  customer: { name: 'Richard Roe', cardNumber: CARD },
  ...overrides,
});

describe('Function: decideSales', () => {
  it('turns a valid sale into a TransactionRecorded in the raw-sale shape, under the credential branch', () => {
    // Act
    const decision = decideSales([sale({ branch: 'london soho' })], till, now);
    // Assess
    expect(decision).toMatchObject({ accepted: 1, duplicates: 0, rejected: 0 });
    expect(decision.events).toEqual([
      {
        type: 'TransactionRecorded',
        schemaVersion: SCHEMA_VERSION,
        eventId: tillSaleEventId(till.tillId, 'S-1'),
        recordedAt: now.toISOString(),
        occurredAt: '2021-09-10T08:00:30.000Z',
        source: { kind: 'till', tillId: till.tillId, saleId: 'S-1' },
        data: {
          timestamp: '2021-09-10T09:00:30+01:00',
          branch: 'London Soho',
          customerName: 'Richard Roe',
          items: [
            { size: 'Regular', name: 'Flavoured iced latte - Hazelnut', price: '2.75' },
            { size: 'Large', name: 'Latte', price: '2.45' },
          ],
          total: '5.20',
          paymentMethod: 'CARD',
          cardNumber: CARD,
          cardBrand: null,
        },
      },
    ]);
  });

  it('answers a repeated sale id as a duplicate and writes it once', () => {
    const decision = decideSales([sale(), sale()], till, now);
    expect(decision.results.map((result) => result.status)).toEqual(['accepted', 'duplicate']);
    expect(decision.results[1]?.eventId).toBe(decision.results[0]?.eventId);
    expect(decision.events).toHaveLength(1);
  });

  it('repeats the refusal for a repeated sale id that was refused', () => {
    const decision = decideSales([sale({ totalPence: 1 }), sale({ totalPence: 1 })], till, now);
    expect(decision.results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(decision.results.map((result) => result.reason)).toEqual(['total_mismatch', 'total_mismatch']);
    expect(decision.events.map((event) => event.type)).toEqual(['RowRejected']);
  });

  it('refuses a sale id repeated in one request for different content as a conflict, naming the first sale', () => {
    // Act
    const decision = decideSales([sale(), sale({ occurredAt: '2021-09-11T09:00:00Z' })], till, now);
    // Assess
    expect(decision.results).toMatchObject([
      { status: 'accepted', eventId: tillSaleEventId(till.tillId, 'S-1') },
      { status: 'rejected', reason: 'sale_id_conflict', field: 'saleId', eventId: tillSaleEventId(till.tillId, 'S-1') },
    ]);
    expect(decision.events.map((event) => event.type)).toEqual(['TransactionRecorded', 'RowRejected']);
    expect(decision.claims).toHaveLength(1);
  });

  it('counts a sale id repeated with the same content once, as a duplicate', () => {
    // Act: the same instant spelt in another zone is the same content
    const decision = decideSales([sale(), sale({ occurredAt: '2021-09-10T08:00:30Z' })], till, now);
    // Assess
    expect(decision.results.map((result) => result.status)).toEqual(['accepted', 'duplicate']);
    expect(decision).toMatchObject({ accepted: 1, duplicates: 1, rejected: 0 });
    expect(decision.events).toHaveLength(1);
  });

  describe.each([
    ['a total that is not the sum', { totalPence: 521 }, 'total_mismatch', 'totalPence'],
    ['a card sale without a card', { customer: { name: 'Richard Roe' } }, 'card_missing', 'customer.cardNumber'],
    ['an empty basket', { items: [] }, 'basket_empty', 'items'],
    ['an unknown size', { items: [{ size: 'Huge' as 'Large', product: 'Latte', pricePence: 520 }] }, 'size_unknown', 'items.0.size'],
    ['a fractional price', { items: [{ size: 'Large' as const, product: 'Latte', pricePence: 519.5 }], totalPence: 520 }, 'price_invalid', 'items.0.pricePence'],
    ['an unknown payment', { paymentMethod: 'CHEQUE' as 'CARD' }, 'payment_unknown', 'paymentMethod'],
    ['a time without a zone', { occurredAt: '2021-09-10T09:00:30' }, 'date_unparsable', 'occurredAt'],
    ['an impossible date', { occurredAt: '2021-02-30T09:00:00Z' }, 'date_unparsable', 'occurredAt'],
    ['a name longer than allowed', { customer: { name: 'x'.repeat(300), cardNumber: CARD } }, 'field_too_long', 'customer.name'],
    ['a product of 65 Greek letters (130 bytes, over 128)', { items: [{ size: 'Large' as const, product: 'λ'.repeat(65), pricePence: 520 }] }, 'field_too_long', 'items.0.product'],
  ])('Given %s', (_case, overrides, reason, field) => {
    it(`rejects it as ${reason} at ${field}, and records a RowRejected`, () => {
      // Act
      const decision = decideSales([sale(overrides as Partial<TillSale>)], till, now);
      // Assess
      expect(decision.results[0]).toMatchObject({ status: 'rejected', reason, field });
      expect(decision.events).toEqual([
        expect.objectContaining({ type: 'RowRejected', source: { kind: 'till', tillId: till.tillId, saleId: 'S-1' }, data: { reason, field } }),
      ]);
      expect(JSON.stringify(decision.results)).not.toContain(CARD);
      expect(JSON.stringify(decision.results)).not.toContain('Roe');
    });
  });

  it('rejects a sale from a till clock running ahead', () => {
    const ahead = new Date(now.getTime() + MAX_CLOCK_AHEAD_MS + 1_000).toISOString();
    expect(decideSales([sale({ occurredAt: ahead })], till, now).results[0]).toMatchObject({ reason: 'date_impossible', field: 'occurredAt' });
  });

  it('reports a sale without a usable id but records no event for it', () => {
    const decision = decideSales([{ ...sale(), saleId: 'has spaces' }, 42], till, now);
    expect(decision.results.map((result) => [result.saleId, result.reason])).toEqual([
      [null, 'row_malformed'],
      [null, 'row_malformed'],
    ]);
    expect(decision.events).toEqual([]);
  });

  it('never quotes unknown keys or values in its messages', () => {
    const decision = decideSales([{ ...sale(), [CARD]: 'Richard Roe' }], till, now);
    expect(decision.results[0]).toMatchObject({ status: 'rejected', reason: 'row_malformed' });
    expect(JSON.stringify(decision.results)).not.toMatch(/5494|Roe/);
  });
});
