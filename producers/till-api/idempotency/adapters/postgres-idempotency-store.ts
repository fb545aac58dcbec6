import type { Pool, PoolClient } from 'pg';
import { keyText, outcomeAgainst, voidKeyOf, type ClaimOutcome, type IdempotencyKey, type IdempotencyKind, type IdempotencyRecord, type IdempotencyStore, type RefundClaimOutcome, type VoidClaimOutcome } from '../idempotency-store.js';

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

/** Claims waiting for a statement, and how many statements are out at once (group commit, as the stream writer's). */
const CLAIMS_IN_FLIGHT = 4;
const CLAIMS_PER_STATEMENT = 500;

/** Many sales' claims in one statement: the rows inserted come back, the others were taken. */
const INSERT_MANY_SQL = `INSERT INTO till_idempotency_keys (till_id, kind, id, branch, event_id, fingerprint, total_pence, claimed_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::timestamptz[])
  ON CONFLICT (till_id, kind, id) DO NOTHING RETURNING till_id, kind, id`;
const WINNERS_SQL = `SELECT k.* FROM till_idempotency_keys k JOIN unnest($1::text[], $2::text[], $3::text[]) AS w(till_id, kind, id)
  ON k.till_id = w.till_id AND k.kind = w.kind AND k.id = w.id`;

interface WaitingClaim {
  readonly record: IdempotencyRecord;
  resolve(outcome: ClaimOutcome): void;
  reject(error: unknown): void;
}

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
 * Claims `records` in one `INSERT … ON CONFLICT DO NOTHING` (keys in sorted order,
 * so two statements that overlap take their keys in the same order and cannot
 * deadlock), then reads the winners of the keys it lost in one `SELECT`. A key
 * given twice is inserted once; the later record is settled against the earlier.
 */
async function claimMany(pool: Pool, records: readonly IdempotencyRecord[]): Promise<ClaimOutcome[]> {
  const keys = records.map((record) => keyText(record.key));
  /** Where each key is first given: that record is the one inserted. */
  const firstAt = new Map<string, number>();
  keys.forEach((key, at) => firstAt.has(key) || firstAt.set(key, at));
  const unique = [...firstAt.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, at]) => records[at] as IdempotencyRecord);
  const column = <T>(pick: (record: IdempotencyRecord) => T) => unique.map(pick);
  const { rows: inserted } = await pool.query<{ till_id: string; kind: IdempotencyKind; id: string }>(INSERT_MANY_SQL, [
    column((r) => r.key.tillId),
    column((r) => r.key.kind),
    column((r) => r.key.id),
    column((r) => r.branch),
    column((r) => r.eventId),
    column((r) => r.fingerprint),
    column((r) => r.totalPence),
    column((r) => r.claimedAt),
  ]);
  const claimed = new Set(inserted.map((row) => keyText({ tillId: row.till_id, kind: row.kind, id: row.id })));
  const lost = unique.filter((record) => !claimed.has(keyText(record.key)));
  const stored = new Map<string, IdempotencyRecord>();
  if (lost.length > 0) {
    const { rows } = await pool.query<Row>(WINNERS_SQL, [lost.map((r) => r.key.tillId), lost.map((r) => r.key.kind), lost.map((r) => r.key.id)]);
    for (const row of rows) stored.set(keyText({ tillId: row.till_id, kind: row.kind, id: row.id }), toRecord(row));
  }
  return records.map((record, at): ClaimOutcome => {
    const key = keys[at] as string;
    const first = firstAt.get(key) as number;
    if (claimed.has(key)) return first === at ? { outcome: 'claimed' } : outcomeAgainst(record, records[first] as IdempotencyRecord);
    // Keys are never deleted, so a lost key's winner is there.
    const winner = stored.get(key);
    if (!winner) throw new Error(`idempotency key vanished: ${record.key.kind} of ${record.key.tillId}`);
    return outcomeAgainst(record, winner);
  });
}

/**
 * An IdempotencyStore on a pg pool. Sales' claims are grouped: while
 * {@link CLAIMS_IN_FLIGHT} statements are out, the claims of newly arrived requests
 * wait and share the next one (a request's own claims always share one), so the
 * server takes one statement and one commit per group, not per sale (a claim per
 * sale held the till API near 500 sales/s). Every claim of a failed statement gets
 * its error. A refund's or void's claim is one transaction that first locks its
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

  const queue: WaitingClaim[] = [];
  let inFlight = 0;
  const pump = () => {
    while (inFlight < CLAIMS_IN_FLIGHT && queue.length > 0) {
      const group = queue.splice(0, CLAIMS_PER_STATEMENT);
      inFlight++;
      claimMany(
        pool,
        group.map((waiting) => waiting.record),
      )
        .then(
          (outcomes) => group.forEach((waiting, index) => waiting.resolve(outcomes[index] as ClaimOutcome)),
          (error: unknown) => group.forEach((waiting) => waiting.reject(error)),
        )
        .finally(() => {
          inFlight--;
          pump();
        });
    }
  };

  return {
    async claim(record) {
      await ensureTable();
      return new Promise<ClaimOutcome>((resolve, reject) => {
        queue.push({ record, resolve, reject });
        // On the next microtask, so the claims one request makes at once (Promise.all) share a statement.
        if (queue.length === 1) queueMicrotask(pump);
      });
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
