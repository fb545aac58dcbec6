import type { Pool, PoolClient } from 'pg';
import { outcomeAgainst, voidKeyOf, type IdempotencyKey, type IdempotencyKind, type IdempotencyRecord, type IdempotencyStore, type RefundClaimOutcome, type VoidClaimOutcome } from '../idempotency-store.js';

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

const INSERT_SQL = `INSERT INTO till_idempotency_keys (till_id, kind, id, branch, event_id, fingerprint, total_pence, claimed_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (till_id, kind, id) DO NOTHING`;
const insertValues = ({ key, ...record }: IdempotencyRecord) => [key.tillId, key.kind, key.id, record.branch, record.eventId, record.fingerprint, record.totalPence, record.claimedAt];

/** What a transaction decided: its outcome, and whether its writes stand. */
interface Settled<T> {
  readonly commit: boolean;
  readonly outcome: T;
}

/** The key was already taken: a repeat or a conflict, told apart once the transaction is over. */
type Taken = { readonly outcome: 'taken' };
const TAKEN: Taken = { outcome: 'taken' };
const refuse = <T>(outcome: T): Settled<T> => ({ commit: false, outcome });

/**
 * An IdempotencyStore on a pg pool: a claim is one `INSERT … ON CONFLICT DO
 * NOTHING`; a refund's or void's claim is one transaction that first locks its
 * sale's row (`SELECT … FOR UPDATE`), so the refunds and the void of one sale are
 * decided one at a time, each seeing what the one before committed.
 */
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
  /** The record a lost insert lost to: keys are never deleted, so it is there. */
  const winner = async (record: IdempotencyRecord) => {
    const stored = await find(record.key);
    if (!stored) throw new Error(`idempotency key vanished: ${record.key.kind} of ${record.key.tillId}`);
    return stored;
  };
  const inTransaction = async <T>(work: (client: PoolClient) => Promise<Settled<T>>): Promise<T> => {
    await ensureTable();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const settled = await work(client);
      await client.query(settled.commit ? 'COMMIT' : 'ROLLBACK');
      return settled.outcome;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };
  const lockSale = async (client: PoolClient, sale: IdempotencyKey) => {
    const { rows } = await client.query<{ total_pence: number; refunded_pence: number }>(
      'SELECT total_pence, refunded_pence FROM till_idempotency_keys WHERE till_id = $1 AND kind = $2 AND id = $3 FOR UPDATE',
      [sale.tillId, sale.kind, sale.id],
    );
    return rows[0];
  };
  const inserted = async (client: PoolClient, record: IdempotencyRecord) => ((await client.query(INSERT_SQL, insertValues(record))).rowCount ?? 0) > 0;
  const exists = async (client: PoolClient, key: IdempotencyKey) =>
    ((await client.query('SELECT 1 FROM till_idempotency_keys WHERE till_id = $1 AND kind = $2 AND id = $3', [key.tillId, key.kind, key.id])).rowCount ?? 0) > 0;

  return {
    async claim(record) {
      await ensureTable();
      const inserted = await pool.query(INSERT_SQL, insertValues(record));
      if ((inserted.rowCount ?? 0) > 0) return { outcome: 'claimed' };
      return outcomeAgainst(record, await winner(record));
    },
    find,
    async claimRefund(refund, sale, pence) {
      const decided = await inTransaction<RefundClaimOutcome | Taken>(async (client) => {
        const locked = await lockSale(client, sale.key);
        if (!locked) return refuse({ outcome: 'sale_not_found' });
        if (!(await inserted(client, refund))) return refuse(TAKEN);
        if (await exists(client, voidKeyOf(sale))) return refuse({ outcome: 'sale_voided' });
        if (locked.refunded_pence + pence > locked.total_pence) return refuse({ outcome: 'exceeds', remainingPence: locked.total_pence - locked.refunded_pence });
        await client.query('UPDATE till_idempotency_keys SET refunded_pence = refunded_pence + $4 WHERE till_id = $1 AND kind = $2 AND id = $3', [sale.key.tillId, sale.key.kind, sale.key.id, pence]);
        return { commit: true, outcome: { outcome: 'claimed' } };
      });
      // Told apart outside the transaction: the winner may be another sale's refund, committed meanwhile.
      return decided.outcome === 'taken' ? outcomeAgainst(refund, await winner(refund)) : decided;
    },
    async claimVoid(voidRecord, sale) {
      const decided = await inTransaction<VoidClaimOutcome | Taken>(async (client) => {
        const locked = await lockSale(client, sale.key);
        if (!locked) return refuse({ outcome: 'sale_not_found' });
        if (!(await inserted(client, voidRecord))) return refuse(TAKEN);
        if (locked.refunded_pence > 0) return refuse({ outcome: 'sale_refunded' });
        return { commit: true, outcome: { outcome: 'claimed' } };
      });
      return decided.outcome === 'taken' ? { outcome: 'repeat', stored: await winner(voidRecord) } : decided;
    },
  };
}
