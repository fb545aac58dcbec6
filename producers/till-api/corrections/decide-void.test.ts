import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../../contracts/index.js';
import { tillSaleEventId, voidEventId } from '../../shared/event-id.js';
import { claimSales } from '../claim-sales.js';
import { decideSales, MAX_CLOCK_AHEAD_MS, type TillIdentity } from '../decide-sales.js';
import { TillBadRequestError } from '../errors.js';
import { validTillSale } from '../fixtures.js';
import { createMemoryIdempotencyStore } from '../idempotency/adapters/memory-idempotency-store.js';
import { decideRefund } from './decide-refund.js';
import { decideVoid } from './decide-void.js';

const front: TillIdentity = { tillId: 'till_0123456789abcdef', branch: 'Leeds' };
const back: TillIdentity = { tillId: 'till_00000000000000b2', branch: 'leeds' };
const elsewhere: TillIdentity = { tillId: 'till_00000000000000c3', branch: 'Birmingham' };
const now = new Date('2021-09-10T12:00:00Z');

/** A store holding one sale posted by the front till, as `POST /v1/sales` leaves it. */
async function given() {
  const store = createMemoryIdempotencyStore();
  const sale = validTillSale('Leeds');
  await claimSales(decideSales([sale], front, now), store, front, now);
  return { store, sale, saleEventId: tillSaleEventId(front.tillId, sale.saleId) };
}

const voidOf = (saleId: string, overrides: Record<string, unknown> = {}) => ({ saleId, occurredAt: '2021-09-10T12:30:00+01:00', ...overrides });

describe('Function: decideVoid', () => {
  it('voids a sale of the till: 202 accepted and a SaleVoided naming the sale', async () => {
    // Prepare
    const { store, sale, saleEventId } = await given();
    // Act
    const answer = await decideVoid(voidOf(sale.saleId, { reason: 'posted_in_error' }), front, store, now);
    // Assess
    expect(answer.statusCode).toBe(202);
    expect(answer.body).toMatchObject({ status: 'accepted', eventId: voidEventId(saleEventId), saleEventId });
    expect(answer.events).toEqual([
      {
        type: 'SaleVoided',
        schemaVersion: SCHEMA_VERSION,
        eventId: voidEventId(saleEventId),
        recordedAt: now.toISOString(),
        occurredAt: '2021-09-10T11:30:00.000Z',
        source: { kind: 'till', tillId: front.tillId, saleId: sale.saleId },
        data: { saleEventId, branch: 'Leeds' },
      },
    ]);
  });

  it('answers voiding twice, from any till of the branch, as a duplicate with the same event id, writing the event again', async () => {
    // Prepare
    const { store, sale } = await given();
    const first = await decideVoid(voidOf(sale.saleId), front, store, now);
    // Act
    const again = await decideVoid(voidOf(sale.saleId, { occurredAt: '2021-09-10T12:31:00+01:00' }), front, store, now);
    const fromBack = await decideVoid(voidOf(sale.saleId, { tillId: front.tillId }), back, store, now);
    // Assess
    for (const answer of [again, fromBack]) {
      expect(answer.statusCode).toBe(202);
      expect(answer.body).toMatchObject({ status: 'duplicate', eventId: first.events[0]?.eventId });
      expect(answer.events.map((event) => event.eventId)).toEqual([first.events[0]?.eventId]);
    }
  });

  it("lets another till of the branch void the sale by naming the till that posted it; the void's source is the voiding till", async () => {
    const { store, sale, saleEventId } = await given();
    const answer = await decideVoid(voidOf(sale.saleId, { tillId: front.tillId }), back, store, now);
    expect(answer).toMatchObject({ statusCode: 202, body: { status: 'accepted', saleEventId } });
    expect(answer.events[0]).toMatchObject({ source: { tillId: back.tillId, saleId: sale.saleId }, data: { branch: 'Leeds' } });
  });

  it.each([
    ['a sale no till posted', (saleId: string) => voidOf(`${saleId}-other`), front, 404, 'sale_not_found'],
    ["another till's sale, without naming that till", (saleId: string) => voidOf(saleId), back, 404, 'sale_not_found'],
    ["a till of another branch naming this branch's sale", (saleId: string) => voidOf(saleId, { tillId: front.tillId }), elsewhere, 403, 'branch_forbidden'],
  ] as const)('refuses %s, writing nothing', async (_, body, caller, status, error) => {
    const { store, sale } = await given();
    const answer = await decideVoid(body(sale.saleId), caller, store, now);
    expect(answer).toMatchObject({ statusCode: status, body: { error }, events: [] });
  });

  it('refuses to void a refunded sale (409 sale_refunded), as a point of sale does', async () => {
    // Prepare
    const { store, sale } = await given();
    const refund = { refundId: 'R-1', saleId: sale.saleId, occurredAt: '2021-09-10T12:10:00Z', items: [sale.items[1]], totalPence: 205, paymentMethod: 'CARD' };
    expect((await decideRefund(refund, front, store, now)).statusCode).toBe(202);
    // Act
    const answer = await decideVoid(voidOf(sale.saleId), front, store, now);
    // Assess
    expect(answer).toMatchObject({ statusCode: 409, body: { error: 'sale_refunded' }, events: [] });
  });

  it.each([
    ['a void dated ahead of the till clock limit', { occurredAt: new Date(now.getTime() + MAX_CLOCK_AHEAD_MS + 60_000).toISOString() }, 'date_impossible', 'occurredAt'],
    ['no saleId', { saleId: undefined }, 'row_malformed', 'saleId'],
    ['a tillId that no till has', { tillId: 'Leeds-1' }, 'row_malformed', 'tillId'],
    ['a reason outside the codes', { reason: 'customer Jo changed her mind' }, 'row_malformed', 'reason'],
    ['an unknown field', { note: 'x' }, 'row_malformed', null],
    ['an instant without a zone', { occurredAt: '2021-09-10T12:30:00' }, 'date_unparsable', 'occurredAt'],
  ])('answers %s with 422, its reason and field, never its value', async (_, overrides, reason, field) => {
    const { store, sale } = await given();
    const answer = await decideVoid(voidOf(sale.saleId, overrides), front, store, now);
    expect(answer).toMatchObject({ statusCode: 422, body: { error: reason, field }, events: [] });
    expect(JSON.stringify(answer.body)).not.toContain('Jo');
  });

  it('answers a body that is not an object with 400', async () => {
    const { store } = await given();
    await expect(decideVoid(['S-1'], front, store, now)).rejects.toThrow(TillBadRequestError);
  });
});
