import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse, type Warehouse } from '../../../infra/local/emulators/warehouse.js';
import { validTillSale } from '../fixtures.js';
import { createMemoryIdempotencyStore } from './adapters/memory-idempotency-store.js';
import { createPostgresIdempotencyStore } from './adapters/postgres-idempotency-store.js';
import { IdempotencyKind, saleFingerprint, voidKeyOf, type IdempotencyRecord, type IdempotencyStore } from './idempotency-store.js';

let warehouse: Warehouse;
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'supercafe-idempotency-'));
  warehouse = await openWarehouse({ dataPath: join(root, 'postgres') });
}, 120_000);
afterAll(async () => {
  await warehouse?.stop();
  await rm(root, { recursive: true, force: true });
});

let serial = 0;
const record = (overrides: Partial<IdempotencyRecord> = {}): IdempotencyRecord => ({
  key: { tillId: 'till_0123456789abcdef', kind: IdempotencyKind.Sale, id: `S-${++serial}` },
  branch: 'Leeds',
  // Unique per record: a void's key is made of its sale's event id, and the PostgreSQL table is shared by the tests.
  eventId: String(serial).padStart(32, 'a'),
  fingerprint: 'f'.repeat(64),
  totalPence: 500,
  claimedAt: new Date('2024-03-05T09:00:00Z'),
  ...overrides,
});

// The same behaviour from every adapter that runs here (DynamoDB's has its own test with the SDK mocked).
describe.each([
  ['memory', () => createMemoryIdempotencyStore()],
  ['PostgreSQL', () => createPostgresIdempotencyStore(warehouse.pool)],
] as const)('Port: IdempotencyStore (%s)', (_, make: () => IdempotencyStore) => {
  it('claims a new key, then tells a repeat from a conflict', async () => {
    // Prepare
    const store = make();
    const first = record();
    // Act
    const claimed = await store.claim(first);
    const repeat = await store.claim({ ...first, eventId: 'b'.repeat(32) });
    const conflict = await store.claim({ ...first, fingerprint: 'e'.repeat(64), eventId: 'c'.repeat(32) });
    // Assess
    expect(claimed).toEqual({ outcome: 'claimed' });
    expect(repeat).toMatchObject({ outcome: 'repeat', stored: { eventId: first.eventId, branch: 'Leeds', totalPence: 500 } });
    expect(conflict).toMatchObject({ outcome: 'conflict', stored: { eventId: first.eventId, fingerprint: first.fingerprint } });
    expect(await store.find(first.key)).toMatchObject({ key: first.key, eventId: first.eventId });
  });

  it('lets exactly one of many concurrent claims of one key win', async () => {
    // Prepare
    const store = make();
    const base = record();
    // Act: eight at once, two of them with other content
    const outcomes = await Promise.all(Array.from({ length: 8 }, (_, index) => store.claim(index % 4 === 3 ? { ...base, fingerprint: `${index}`.repeat(64) } : base)));
    // Assess
    const kinds = outcomes.map((outcome) => outcome.outcome);
    expect(kinds.filter((kind) => kind === 'claimed')).toHaveLength(1);
    expect(kinds.filter((kind) => kind === 'conflict').length + kinds.filter((kind) => kind === 'repeat').length).toBe(7);
  });

  it('keeps kinds and tills apart: a refund id may equal a sale id', async () => {
    const store = make();
    const sale = record();
    await store.claim(sale);
    expect(await store.claim({ ...sale, key: { ...sale.key, kind: IdempotencyKind.Refund } })).toEqual({ outcome: 'claimed' });
    expect(await store.claim({ ...sale, key: { ...sale.key, tillId: 'till_fedcba9876543210' } })).toEqual({ outcome: 'claimed' });
  });

  const refundOf = (sale: IdempotencyRecord, id = `R-${++serial}`, fingerprint = 'r'.repeat(64)): IdempotencyRecord =>
    record({ key: { tillId: sale.key.tillId, kind: IdempotencyKind.Refund, id }, eventId: 'b'.repeat(32), fingerprint, totalPence: 0 });
  const voidOf = (sale: IdempotencyRecord): IdempotencyRecord => record({ key: voidKeyOf(sale), eventId: 'd'.repeat(32), fingerprint: 'v'.repeat(64), totalPence: 0 });

  it('reserves refunds up to the sale total and no further, saying what remains', async () => {
    // Prepare
    const store = make();
    const sale = record({ totalPence: 500 });
    await store.claim(sale);
    // Act
    const steps = [];
    for (const pence of [300, 201, 200, 1]) steps.push(await store.claimRefund(refundOf(sale), sale, pence));
    // Assess
    expect(steps).toEqual([{ outcome: 'claimed' }, { outcome: 'exceeds', remainingPence: 200 }, { outcome: 'claimed' }, { outcome: 'exceeds', remainingPence: 0 }]);
  });

  it('answers a refund retried after a failed write as a repeat, reserving nothing again', async () => {
    // Prepare: the whole sale refunded once
    const store = make();
    const sale = record({ totalPence: 500 });
    await store.claim(sale);
    const refund = refundOf(sale);
    expect(await store.claimRefund(refund, sale, 500)).toEqual({ outcome: 'claimed' });
    // Act
    const retry = await store.claimRefund({ ...refund, eventId: 'c'.repeat(32) }, sale, 500);
    const reused = await store.claimRefund({ ...refund, fingerprint: 'x'.repeat(64) }, sale, 100);
    // Assess
    expect(retry).toMatchObject({ outcome: 'repeat', stored: { eventId: refund.eventId } });
    expect(reused).toMatchObject({ outcome: 'conflict', stored: { eventId: refund.eventId } });
    expect(await store.claimRefund(refundOf(sale), sale, 1)).toEqual({ outcome: 'exceeds', remainingPence: 0 });
  });

  it('records nothing for a refund it refuses', async () => {
    // Prepare
    const store = make();
    const sale = record({ totalPence: 500 });
    await store.claim(sale);
    const refund = refundOf(sale);
    // Act
    const over = await store.claimRefund(refund, sale, 501);
    // Assess: the same refund id with a fitting amount is new, not a conflict
    expect(over).toEqual({ outcome: 'exceeds', remainingPence: 500 });
    expect(await store.find(refund.key)).toBeUndefined();
    expect(await store.claimRefund({ ...refund, fingerprint: 'y'.repeat(64) }, sale, 500)).toEqual({ outcome: 'claimed' });
  });

  it('refuses a refund of an unknown sale', async () => {
    const store = make();
    const unknown = record();
    expect(await store.claimRefund(refundOf(unknown), unknown, 100)).toEqual({ outcome: 'sale_not_found' });
  });

  it('voids a sale once, then refuses to refund it', async () => {
    // Prepare
    const store = make();
    const sale = record();
    await store.claim(sale);
    // Act
    const voided = await store.claimVoid(voidOf(sale), sale);
    const again = await store.claimVoid({ ...voidOf(sale), eventId: 'e'.repeat(32), branch: 'leeds' }, sale);
    const refund = await store.claimRefund(refundOf(sale), sale, 100);
    // Assess
    expect(voided).toEqual({ outcome: 'claimed' });
    expect(again).toMatchObject({ outcome: 'repeat', stored: { eventId: voidOf(sale).eventId } });
    expect(refund).toEqual({ outcome: 'sale_voided' });
  });

  it('refuses to void a refunded sale, or an unknown one', async () => {
    // Prepare
    const store = make();
    const sale = record();
    await store.claim(sale);
    await store.claimRefund(refundOf(sale), sale, 1);
    const unknown = record();
    // Act, Assess
    expect(await store.claimVoid(voidOf(sale), sale)).toEqual({ outcome: 'sale_refunded' });
    expect(await store.find(voidKeyOf(sale))).toBeUndefined();
    expect(await store.claimVoid(voidOf(unknown), unknown)).toEqual({ outcome: 'sale_not_found' });
  });

  it('lets concurrent refunds of one sale add up to its total and no more', async () => {
    // Prepare
    const store = make();
    const sale = record({ totalPence: 500 });
    await store.claim(sale);
    // Act: eight refunds of 100 at once, and the same refund id twice more
    const twice = refundOf(sale);
    const outcomes = await Promise.all([...Array.from({ length: 8 }, () => store.claimRefund(refundOf(sale), sale, 100)), store.claimRefund(twice, sale, 100), store.claimRefund(twice, sale, 100)]);
    // Assess
    const kinds = outcomes.map((outcome) => outcome.outcome);
    expect(kinds.filter((kind) => kind === 'claimed')).toHaveLength(5);
    expect(kinds.filter((kind) => kind === 'exceeds').length + kinds.filter((kind) => kind === 'repeat').length).toBe(5);
    expect(await store.claimRefund(refundOf(sale), sale, 1)).toEqual({ outcome: 'exceeds', remainingPence: 0 });
  });

  it('lets exactly one of a concurrent void and refund of one sale win', async () => {
    for (let round = 0; round < 5; round++) {
      // Prepare
      const store = make();
      const sale = record();
      await store.claim(sale);
      // Act
      const [voided, refunded] = await Promise.all([store.claimVoid(voidOf(sale), sale), store.claimRefund(refundOf(sale), sale, 100)]);
      // Assess
      expect([voided.outcome, refunded.outcome].sort()).toEqual(voided.outcome === 'claimed' ? ['claimed', 'sale_voided'] : ['claimed', 'sale_refunded']);
    }
  });
});

describe('Function: saleFingerprint', () => {
  it('is the same for one instant in two zones and differs for another basket', () => {
    const sale = validTillSale('Leeds', { occurredAt: '2021-09-10T08:15:42+01:00' });
    expect(saleFingerprint({ ...sale, occurredAt: '2021-09-10T07:15:42Z' })).toBe(saleFingerprint(sale));
    expect(saleFingerprint({ ...sale, branch: ' LEEDS ' })).toBe(saleFingerprint(sale));
    expect(saleFingerprint({ ...sale, totalPence: sale.totalPence + 1 })).not.toBe(saleFingerprint(sale));
    expect(saleFingerprint({ ...sale, items: sale.items.slice(1) })).not.toBe(saleFingerprint(sale));
    expect(saleFingerprint({ ...sale, paymentMethod: 'CASH' })).not.toBe(saleFingerprint(sale));
  });

  it('leaves the customer out', () => {
    const sale = validTillSale('Leeds');
    expect(saleFingerprint({ ...sale, customer: { name: 'Someone Else', cardNumber: '4000000000000002' } })).toBe(saleFingerprint(sale));
  });
});
