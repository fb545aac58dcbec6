import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse, type Warehouse } from '../../../../infra/local/emulators/warehouse.js';
import { IdempotencyKind, type IdempotencyRecord } from '../idempotency-store.js';
import { createPostgresIdempotencyStore } from './postgres-idempotency-store.js';

let warehouse: Warehouse;
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'supercafe-claim-grouping-'));
  warehouse = await openWarehouse({ dataPath: join(root, 'postgres') });
}, 120_000);
afterAll(async () => {
  await warehouse?.stop();
  await rm(root, { recursive: true, force: true });
});

let serial = 0;
const record = (id: string, overrides: Partial<IdempotencyRecord> = {}): IdempotencyRecord => ({
  key: { tillId: 'till_grouping00000000', kind: IdempotencyKind.Sale, id },
  branch: 'Leeds',
  eventId: String(++serial).padStart(32, 'b'),
  fingerprint: 'f'.repeat(64),
  totalPence: 500,
  claimedAt: new Date('2024-03-05T09:00:00Z'),
  ...overrides,
});

/** The pool with its statements counted (the claims' INSERTs only). */
function countingPool(pool: Pool): { pool: Pool; inserts: () => number } {
  let inserts = 0;
  const counted = new Proxy(pool, {
    get(target, property, receiver) {
      if (property !== 'query') return Reflect.get(target, property, receiver) as unknown;
      return (text: unknown, ...rest: unknown[]) => {
        if (typeof text === 'string' && text.startsWith('INSERT INTO till_idempotency_keys')) inserts++;
        return (target.query as (...args: unknown[]) => unknown)(text, ...rest);
      };
    },
  });
  return { pool: counted, inserts: () => inserts };
}

describe('PostgreSQL idempotency store: sales claims grouped into one statement', () => {
  it('claims many concurrent sales in far fewer statements than sales', async () => {
    // Prepare
    const counted = countingPool(warehouse.pool);
    const store = createPostgresIdempotencyStore(counted.pool);
    const records = Array.from({ length: 200 }, (_, index) => record(`G-${serial}-${index}`));
    // Act: 200 requests of one sale each, all at once
    const outcomes = await Promise.all(records.map((one) => store.claim(one)));
    // Assess: every one claimed, in a handful of statements (at most 4 out at once, the rest grouped)
    expect(outcomes.every((outcome) => outcome.outcome === 'claimed')).toBe(true);
    expect(counted.inserts()).toBeLessThanOrEqual(5);
  });

  it('settles each claim of one group by its own content: new, repeat, conflict, and a key given twice', async () => {
    // Prepare
    const store = createPostgresIdempotencyStore(warehouse.pool);
    const known = record(`K-${serial}`);
    await store.claim(known);
    const fresh = record(`N-${serial}`);
    // Act: one group (one tick): a repeat of the known key, a conflict with it, a new key and the new key again with other content
    const outcomes = await Promise.all([
      store.claim({ ...known, eventId: 'c'.repeat(32) }),
      store.claim(fresh),
      store.claim({ ...known, fingerprint: 'e'.repeat(64) }),
      store.claim({ ...fresh, fingerprint: 'd'.repeat(64), eventId: 'd'.repeat(32) }),
      store.claim(fresh),
    ]);
    // Assess
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(['repeat', 'claimed', 'conflict', 'conflict', 'repeat']);
    expect(outcomes[0]).toMatchObject({ stored: { eventId: known.eventId } });
    expect(outcomes[3]).toMatchObject({ stored: { eventId: fresh.eventId } });
    expect(await store.find(fresh.key)).toMatchObject({ eventId: fresh.eventId });
  });

  it('lets exactly one claim of each key win when several stores claim the same keys at once, in opposite orders', async () => {
    // Prepare: four stores (four API processes) on one database, each claiming the same 500 keys (one statement each), two of them backwards
    const stores = Array.from({ length: 4 }, () => createPostgresIdempotencyStore(warehouse.pool));
    const keys = Array.from({ length: 500 }, (_, index) => `O-${serial}-${String(index).padStart(4, '0')}`);
    // Act
    const outcomes = await Promise.all(
      stores.map((store, at) => Promise.all((at % 2 === 0 ? keys : [...keys].reverse()).map((id) => store.claim(record(id, { fingerprint: `${at}`.repeat(64) }))))),
    );
    // Assess: each key claimed exactly once over the four stores, the others conflicts
    const claimed = outcomes.flat().filter((outcome) => outcome.outcome === 'claimed').length;
    expect(claimed).toBe(keys.length);
    expect(outcomes.flat().filter((outcome) => outcome.outcome === 'conflict')).toHaveLength(3 * keys.length);
  });
});
