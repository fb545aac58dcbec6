import type { Pool } from 'pg';
import { outcomeAgainst, type IdempotencyKey, type IdempotencyKind, type IdempotencyRecord, type IdempotencyStore } from '../idempotency-store.js';

/**
 * The till API's idempotency keys in PostgreSQL (the local warehouse), table
 * `till_idempotency_keys`; like `till_credentials` it belongs to the API, not to
 * the analytical model, so it is created here on first use.
 */
export const TILL_IDEMPOTENCY_DDL = `CREATE TABLE IF NOT EXISTS till_idempotency_keys (
  till_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  branch TEXT NOT NULL,
  event_id TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  total_pence INTEGER NOT NULL,
  refunded_pence INTEGER NOT NULL DEFAULT 0,
  claimed_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (till_id, kind, id)
)`;

interface Row {
  till_id: string;
  kind: IdempotencyKind;
  id: string;
  branch: string;
  event_id: string;
  fingerprint: string;
  total_pence: number;
  claimed_at: Date;
}

const toRecord = (row: Row): IdempotencyRecord => ({
  key: { tillId: row.till_id, kind: row.kind, id: row.id },
  branch: row.branch,
  eventId: row.event_id,
  fingerprint: row.fingerprint,
  totalPence: row.total_pence,
  claimedAt: row.claimed_at,
});

/** An IdempotencyStore on a pg pool: a claim is one `INSERT … ON CONFLICT DO NOTHING`. */
export function createPostgresIdempotencyStore(pool: Pool): IdempotencyStore {
  let ready: Promise<unknown> | undefined;
  const ensureTable = () => {
    ready ??= pool.query(TILL_IDEMPOTENCY_DDL).catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };
  const find = async (key: IdempotencyKey) => {
    await ensureTable();
    const result = await pool.query<Row>('SELECT * FROM till_idempotency_keys WHERE till_id = $1 AND kind = $2 AND id = $3', [key.tillId, key.kind, key.id]);
    const row = result.rows[0];
    return row ? toRecord(row) : undefined;
  };
  return {
    async claim(record) {
      await ensureTable();
      const { key } = record;
      const inserted = await pool.query(
        `INSERT INTO till_idempotency_keys (till_id, kind, id, branch, event_id, fingerprint, total_pence, claimed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (till_id, kind, id) DO NOTHING`,
        [key.tillId, key.kind, key.id, record.branch, record.eventId, record.fingerprint, record.totalPence, record.claimedAt],
      );
      if ((inserted.rowCount ?? 0) > 0) return { outcome: 'claimed' };
      const stored = await find(key);
      // Keys are never deleted, so a conflicting insert always finds the row it lost to.
      if (!stored) throw new Error(`idempotency key vanished: ${key.kind} of ${key.tillId}`);
      return outcomeAgainst(record, stored);
    },
    find,
    async reserveRefund(sale, pence) {
      await ensureTable();
      const result = await pool.query(
        `UPDATE till_idempotency_keys SET refunded_pence = refunded_pence + $4
         WHERE till_id = $1 AND kind = $2 AND id = $3 AND refunded_pence + $4 <= total_pence`,
        [sale.tillId, sale.kind, sale.id, pence],
      );
      return (result.rowCount ?? 0) > 0;
    },
  };
}
