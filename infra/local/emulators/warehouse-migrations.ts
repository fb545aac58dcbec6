import type pg from 'pg';
import {
  MIGRATIONS_TABLE,
  columnSql,
  createTableSql,
  planMigrations,
  warehouseMigrations,
  type AppliedMigration,
  type MigrationChange,
  type WarehouseMigration,
} from '../../../contracts/index.js';

/**
 * The PostgreSQL side of the warehouse's forward-only migrations (the Redshift
 * side is `infra/aws/warehouse/warehouse-sql.ts`): the same versions, derived from
 * `contracts/warehouse-tables.ts`, recorded in the same `schema_migrations` table.
 * Version 1 creates tables only if missing, so a warehouse made before migrations
 * existed adopts it as it stands.
 */

/** Serialises migrations of one database across processes (the stack and a CLI command may open it at once). */
const MIGRATION_LOCK_KEY = 0x5ca1ab1e;

/** CREATE TABLE for the migrations table itself (not a migration: it records them). */
export const POSTGRES_MIGRATIONS_TABLE_DDL = `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
  version INTEGER PRIMARY KEY,
  description TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)`;

function changeSql(change: MigrationChange): string {
  switch (change.kind) {
    case 'createTable':
      return createTableSql(change.table, 'postgres');
    case 'addColumn':
      return `ALTER TABLE ${change.table.name} ADD COLUMN IF NOT EXISTS ${columnSql(change.column, 'postgres')}`;
    default: {
      const unhandled: never = change;
      return unhandled;
    }
  }
}

/** The statements of one migration in PostgreSQL, in order. */
export function postgresMigrationStatements(migration: WarehouseMigration): string[] {
  return migration.changes.map(changeSql);
}

/**
 * Applies the migrations the database has not had yet, all in one transaction,
 * and records each; returns the versions applied. Throws MigrationMismatchError
 * (nothing applied) when the database's record does not match the code's.
 */
export async function applyMigrations(pool: pg.Pool, migrations: readonly WarehouseMigration[] = warehouseMigrations()): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(POSTGRES_MIGRATIONS_TABLE_DDL);
    const { rows } = await client.query<AppliedMigration>(`SELECT version, fingerprint FROM ${MIGRATIONS_TABLE} ORDER BY version`);
    const pending = planMigrations(rows, migrations);
    for (const migration of pending) {
      for (const statement of postgresMigrationStatements(migration)) await client.query(statement);
      await client.query(`INSERT INTO ${MIGRATIONS_TABLE} (version, description, fingerprint) VALUES ($1, $2, $3)`, [
        migration.version,
        migration.description,
        migration.fingerprint,
      ]);
    }
    await client.query('COMMIT');
    return pending.map((migration) => migration.version);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
