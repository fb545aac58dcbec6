import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../../contracts/index.js';
import type { TillRefund } from '../../../contracts/till-corrections.js';
import { refundEventId, rejectionEventId, tillSaleEventId } from '../../shared/event-id.js';
import { claimSales } from '../claim-sales.js';
import { decideSales, type TillIdentity } from '../decide-sales.js';
import { validTillSale } from '../fixtures.js';
import { createMemoryIdempotencyStore } from '../idempotency/adapters/memory-idempotency-store.js';
import { decideRefund, readRefund } from './decide-refund.js';
import { decideVoid } from './decide-void.js';

const front: TillIdentity = { tillId: 'till_0123456789abcdef', branch: 'Leeds' };
const back: TillIdentity = { tillId: 'till_00000000000000b2', branch: 'leeds' };
const elsewhere: TillIdentity = { tillId: 'till_00000000000000c3', branch: 'Birmingham' };
const now = new Date('2021-09-10T12:00:00Z');
const TEA = { size: 'Large', product: 'Speciality Tea', flavour: 'Camomile', pricePence: 160 } as const;
const CORTADO = { size: 'Regular', product: 'Cortado', pricePence: 205 } as const;

/** A store holding one sale of 365 p (tea 160 + cortado 205) posted by the front till. */
async function given() {
  const store = createMemoryIdempotencyStore();
  const sale = validTillSale('Leeds');
  await claimSales(decideSales([sale], front, now), store, front, now);
  return { store, sale, saleEventId: tillSaleEventId(front.tillId, sale.saleId) };
}

let serial = 0;
const refundOf = (saleId: string, overrides: Partial<TillRefund> = {}): TillRefund => ({
  refundId: `R-${++serial}`,
  saleId,
  occurredAt: '2021-09-10T12:15:00+01:00',
  items: [CORTADO],
  totalPence: 205,
  paymentMethod: 'CARD',
  ...overrides,
});

describe('Function: decideRefund', () => {
  it('records a refund as its own event, linked to the sale, under the sale branch', async () => {
    // Prepare
    const { store, sale, saleEventId } = await given();
    const refund = refundOf(sale.saleId, { items: [{ ...TEA, product: ' Speciality  Tea ' }], totalPence: 160 });
    // Act
    const answer = await decideRefund(refund, front, store, now);
    // Assess
    expect(answer.statusCode).toBe(202);
    expect(answer.body).toEqual({ status: 'accepted', eventId: refundEventId(front.tillId, refund.refundId), refundOf: saleEventId, message: expect.any(String) });
    expect(answer.events).toEqual([
      {
        type: 'RefundRecorded',
        schemaVersion: SCHEMA_VERSION,
        eventId: refundEventId(front.tillId, refund.refundId),
        recordedAt: now.toISOString(),
        occurredAt: '2021-09-10T11:15:00.000Z',
        source: { kind: 'till', tillId: front.tillId, saleId: refund.refundId },
        // The lines read as the sale's do: the same product/flavour split, spaces collapsed.
        data: { refundOf: saleEventId, branch: 'Leeds', items: [{ size: 'Large', product: 'Speciality Tea', flavour: 'Camomile', pricePence: 160 }], totalPence: 160, paymentMethod: 'CARD' },
      },
    ]);
  });

  it('lets partial refunds add up to the sale total and no further, saying what remains', async () => {
    // Prepare
    const { store, sale } = await given();
    // Act: the tea, then the whole sale (too much), then the cortado from the other till, then a penny more
    const tea = await decideRefund(refundOf(sale.saleId, { items: [TEA], totalPence: 160 }), front, store, now);
    const whole = await decideRefund(refundOf(sale.saleId, { items: [TEA, CORTADO], totalPence: 365 }), front, store, now);
    const cortado = await decideRefund(refundOf(sale.saleId, { tillId: front.tillId }), back, store, now);
    const penny = await decideRefund(refundOf(sale.saleId, { items: [{ ...CORTADO, pricePence: 1 }], totalPence: 1 }), front, store, now);
    // Assess
    expect([tea, whole, cortado, penny].map((answer) => answer.statusCode)).toEqual([202, 409, 202, 409]);
    expect(whole).toMatchObject({ body: { error: 'refund_exceeds_sale', field: 'totalPence' }, events: [] });
    expect(whole.body.message).toContain('at most 205 pence');
    expect(penny.body.message).toContain('at most 0 pence');
  });

  it('answers a retry of a refund that took all that remained as a duplicate, not as one too many', async () => {
    // Prepare: the whole sale refunded; the stream write of that answer failed, so the till retries
    const { store, sale } = await given();
    const whole = refundOf(sale.saleId, { items: [TEA, CORTADO], totalPence: 365 });
    const first = await decideRefund(whole, front, store, now);
    // Act: the same refund again, its instant in another zone
    const retry = await decideRefund({ ...whole, occurredAt: '2021-09-10T11:15:00Z' }, front, store, new Date(now.getTime() + 1_000));
    // Assess
    expect(first.statusCode).toBe(202);
    expect(retry).toMatchObject({ statusCode: 202, body: { status: 'duplicate', eventId: first.events[0]?.eventId } });
    expect(retry.events.map((event) => event.type)).toEqual(['RefundRecorded']);
  });

  it('answers a refund id reused for another refund with 409 refund_id_conflict naming the recorded one, and quarantines it', async () => {
    // Prepare
    const { store, sale } = await given();
    const first = refundOf(sale.saleId);
    const recorded = await decideRefund(first, front, store, now);
    // Act
    const reused = await decideRefund({ ...first, items: [TEA], totalPence: 160 }, front, store, now);
    // Assess
    expect(reused).toMatchObject({ statusCode: 409, body: { error: 'refund_id_conflict', field: 'refundId', eventId: recorded.events[0]?.eventId } });
    expect(reused.events).toEqual([expect.objectContaining({ type: 'RowRejected', eventId: rejectionEventId(front.tillId, `refund/${first.refundId}`, 'sale_id_conflict'), data: { reason: 'sale_id_conflict', field: 'refundId' } })]);
  });

  it('keeps refund ids apart per till, and from sale ids', async () => {
    const { store, sale } = await given();
    const refund = refundOf(sale.saleId, { refundId: sale.saleId, items: [TEA], totalPence: 160 });
    const mine = await decideRefund(refund, front, store, now);
    const theirs = await decideRefund({ ...refund, tillId: front.tillId }, back, store, now);
    expect([mine.statusCode, theirs.statusCode]).toEqual([202, 202]);
    expect(mine.body).toMatchObject({ status: 'accepted' });
    expect(theirs.body).toMatchObject({ status: 'accepted' });
    expect(mine.events[0]?.eventId).not.toBe(tillSaleEventId(front.tillId, sale.saleId));
  });

  it('refuses to refund a voided sale (409 sale_voided)', async () => {
    const { store, sale } = await given();
    expect((await decideVoid({ saleId: sale.saleId, occurredAt: '2021-09-10T12:05:00Z' }, front, store, now)).statusCode).toBe(202);
    expect(await decideRefund(refundOf(sale.saleId), front, store, now)).toMatchObject({ statusCode: 409, body: { error: 'sale_voided' }, events: [] });
  });

  it.each([
    ['an unknown sale', { saleId: 'nobody-posted-this' }, front, 404, 'sale_not_found'],
    ["a till of another branch naming this branch's sale", { tillId: front.tillId }, elsewhere, 403, 'branch_forbidden'],
  ] as const)('refuses a refund of %s, writing nothing', async (_, overrides, caller, status, error) => {
    const { store, sale } = await given();
    expect(await decideRefund(refundOf(sale.saleId, overrides), caller, store, now)).toMatchObject({ statusCode: status, body: { error }, events: [] });
  });
});

describe('Function: readRefund', () => {
  it.each([
    ['lines that do not add up to the total', { totalPence: 300 }, 'total_mismatch', 'totalPence'],
    ['no lines', { items: [] }, 'basket_empty', 'items'],
    ['a line of unknown size', { items: [{ ...CORTADO, size: 'Huge' }] }, 'size_unknown', 'items.0.size'],
    ['a zero total', { items: [{ ...CORTADO, pricePence: 0 }], totalPence: 0 }, 'total_invalid', 'totalPence'],
    ['a refund dated a day ahead', { occurredAt: '2021-09-11T12:00:00Z' }, 'date_impossible', 'occurredAt'],
    ['a payment method outside CARD and CASH', { paymentMethod: 'VOUCHER' }, 'payment_unknown', 'paymentMethod'],
  ])('refuses %s with 422 and quarantines it by reason and field', (_, overrides, reason, field) => {
    // Act
    const answer = readRefund({ ...refundOf('S-1'), ...overrides }, front, now);
    // Assess
    expect(answer).toMatchObject({ statusCode: 422, body: { error: reason, field } });
    expect('events' in answer && answer.events).toEqual([expect.objectContaining({ type: 'RowRejected', source: { kind: 'till', tillId: front.tillId, saleId: expect.stringMatching(/^R-/) }, data: { reason, field } })]);
  });

  it('refuses a refund without a usable refund id with 422, writing nothing', () => {
    const answer = readRefund({ ...refundOf('S-1'), refundId: '' }, front, now);
    expect(answer).toMatchObject({ statusCode: 422, body: { error: 'row_malformed', field: 'refundId' }, events: [] });
  });

  it('fingerprints the content, not its spelling: one instant in two zones agrees, another line does not', () => {
    const base = refundOf('S-1');
    const print = (refund: TillRefund) => {
      const read = readRefund(refund, front, now);
      return 'fingerprint' in read ? read.fingerprint : undefined;
    };
    expect(print({ ...base, occurredAt: '2021-09-10T11:15:00Z' })).toBe(print(base));
    expect(print({ ...base, tillId: front.tillId })).toBe(print(base));
    expect(print({ ...base, saleId: 'S-2' })).not.toBe(print(base));
    expect(print({ ...base, items: [{ ...CORTADO, size: 'Large' }] })).not.toBe(print(base));
    expect(print({ ...base, paymentMethod: 'CASH' })).not.toBe(print(base));
  });
});
