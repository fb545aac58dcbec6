import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse, type Warehouse } from '../../../infra/local/emulators/warehouse.js';
import { validTillSale } from '../fixtures.js';
import { createMemoryIdempotencyStore } from './adapters/memory-idempotency-store.js';
import { createPostgresIdempotencyStore } from './adapters/postgres-idempotency-store.js';
import { IdempotencyKind, saleFingerprint, type IdempotencyRecord, type IdempotencyStore } from './idempotency-store.js';

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
  eventId: 'a'.repeat(32),
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

  it('reserves refunds up to the sale total and no further', async () => {
    // Prepare
    const store = make();
    const sale = record({ totalPence: 500 });
    await store.claim(sale);
    // Act
    const steps = [await store.reserveRefund(sale.key, 300), await store.reserveRefund(sale.key, 201), await store.reserveRefund(sale.key, 200), await store.reserveRefund(sale.key, 1)];
    // Assess
    expect(steps).toEqual([true, false, true, false]);
    expect(await store.reserveRefund({ ...sale.key, id: 'unknown' }, 1)).toBe(false);
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
