import type { SalesStreamEvent } from '../../contracts/index.js';
import type { TillSale } from '../../contracts/till-sale.js';
import type { EventWriter } from '../shared/ports.js';

/**
 * Test factories for the till API's unit tests (the e2e test builds its own
 * against the real stack). Not used by production code.
 */

let counter = 0;

/** A valid card sale for a branch, with a fresh sale id. */
export function validTillSale(branch: string, overrides: Partial<TillSale> = {}): TillSale {
  return {
    saleId: `fixture-${++counter}`,
    branch,
    occurredAt: '2021-09-10T08:15:42+01:00',
    items: [
      { size: 'Large', product: 'Speciality Tea', flavour: 'Camomile', pricePence: 160 },
      { size: 'Regular', product: 'Cortado', pricePence: 205 },
    ],
    totalPence: 365,
    paymentMethod: 'CARD',
    customer: { name: 'Fixture Customer', cardNumber: '4929000000001234' },
    ...overrides,
  };
}

/** An EventWriter that keeps what it is given; `fail` makes the next writes throw it. */
export function memoryWriter(): EventWriter & { events: SalesStreamEvent[]; fail: Error | undefined } {
  const writer = {
    events: [] as SalesStreamEvent[],
    fail: undefined as Error | undefined,
    async write(events: readonly SalesStreamEvent[]) {
      if (writer.fail) throw writer.fail;
      writer.events.push(...events);
      return new Map([['shardId-000000000000', BigInt(writer.events.length)]]);
    },
  };
  return writer;
}
