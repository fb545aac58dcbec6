import type { Pool } from 'pg';
import type { CredentialStore, TillCredentialRecord } from '../credentials.js';

/**
 * Till credentials in the warehouse's PostgreSQL, table `till_credentials`. The
 * table belongs to the till API (not to the analytical model in contracts/), so
 * it is created here on first use.
 */
export const TILL_CREDENTIALS_DDL = `CREATE TABLE IF NOT EXISTS till_credentials (
  till_id TEXT PRIMARY KEY,
  branch TEXT NOT NULL,
  label TEXT,
  salt TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  revoked_at TIMESTAMPTZ
)`;

interface Row {
  till_id: string;
  branch: string;
  label: string | null;
  salt: string;
  secret_hash: string;
  created_at: Date;
  revoked_at: Date | null;
}

const toRecord = (row: Row): TillCredentialRecord => ({
  tillId: row.till_id,
  branch: row.branch,
  label: row.label,
  salt: row.salt,
  secretHash: row.secret_hash,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

/** A CredentialStore on a pg pool (the local warehouse, or any Postgres). */
export function createPostgresCredentialStore(pool: Pool): CredentialStore {
  let ready: Promise<unknown> | undefined;
  const ensureTable = () => {
    ready ??= pool.query(TILL_CREDENTIALS_DDL).catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };
  return {
    async find(tillId) {
      await ensureTable();
      const result = await pool.query<Row>('SELECT * FROM till_credentials WHERE till_id = $1', [tillId]);
      const row = result.rows[0];
      return row ? toRecord(row) : undefined;
    },
    async insert(record) {
      await ensureTable();
      await pool.query(
        'INSERT INTO till_credentials (till_id, branch, label, salt, secret_hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [record.tillId, record.branch, record.label, record.salt, record.secretHash, record.createdAt, record.revokedAt],
      );
    },
    async revoke(tillId, at) {
      await ensureTable();
      const result = await pool.query('UPDATE till_credentials SET revoked_at = $2 WHERE till_id = $1 AND revoked_at IS NULL', [tillId, at]);
      return (result.rowCount ?? 0) > 0;
    },
    async list() {
      await ensureTable();
      const result = await pool.query<Row>('SELECT till_id, branch, label, created_at, revoked_at FROM till_credentials');
      return result.rows.map((row) => ({ tillId: row.till_id, branch: row.branch, label: row.label, createdAt: row.created_at, revokedAt: row.revoked_at }));
    },
  };
}
