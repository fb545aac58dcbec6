import type { RawSale, SalesStreamEvent } from '../../contracts/index.js';

/** A valid raw sale as a file producer writes it; override any field. */
export function rawSale(overrides: Partial<RawSale> = {}): RawSale {
  return {
    timestamp: '2021-08-25 09:00',
    branch: 'Chesterfield',
    customerName: 'Test Customer',
    items: [
      { size: 'Large', name: 'Latte', price: '2.45' },
      { size: 'Regular', name: 'Flavoured iced latte - Hazelnut', price: '2.75' },
    ],
    total: '5.20',
    paymentMethod: 'CARD',
    cardNumber: '4111111111111111',
    cardBrand: null,
    ...overrides,
  };
}

/** A TransactionRecorded event around a raw sale. */
export function transactionRecorded(data: RawSale = rawSale(), eventId = 'a'.repeat(32)): SalesStreamEvent {
  return {
    type: 'TransactionRecorded',
    schemaVersion: 2,
    eventId,
    recordedAt: '2021-08-25T09:00:05.000Z',
    occurredAt: '2021-08-25T08:00:00.000Z',
    source: { kind: 'file', file: 'chesterfield.csv', line: 1 },
    data,
  };
}
