import { describe, expect, it, vi } from 'vitest';
import type { TableDefinition } from './warehouse-tables.js';

/**
 * The golden contract of the warehouse schema: every table's columns (name, type,
 * width, nullability, generated stamp), keys and loaded (COPY) columns, and every
 * migration as each warehouse runs it, with the fingerprint the warehouses record.
 * Grafana's queries, the Redshift COPY and the loaders depend on all of it, so a
 * schema change has to update `warehouse-schema.golden.sql` on purpose
 * (`npx vitest run contracts/warehouse-schema.golden.test.ts -u`, then review the
 * diff). A diff inside a migration already deployed is a mistake: warehouses refuse
 * a changed fingerprint, so add a new version (a new `since`) instead.
 */
async function schemaDocument(): Promise<string> {
  // Loaded afresh inside the test: the definitions run at module load, and Stryker credits a test
  // only with the code that runs during it (per-test coverage), so a static import would leave
  // every column's mutants to tests that never check them.
  vi.resetModules();
  const { copyColumns, redshiftMigrationStatements } = await import('../infra/aws/warehouse/warehouse-sql.js');
  const { postgresMigrationStatements } = await import('../infra/local/emulators/warehouse-migrations.js');
  const { warehouseMigrations } = await import('./warehouse-migrations.js');
  const { createTableSql, WarehouseTables } = await import('./warehouse-tables.js');
  const tables = Object.entries(WarehouseTables as Readonly<Record<string, TableDefinition>>).map(([key, table]) =>
    [
      `-- ${key}: ${table.name}, since version ${table.since ?? 1}. ${table.description}`,
      `-- Loaded columns (sinks, COPY): ${copyColumns(table)}`,
      '-- Redshift:',
      createTableSql(table, 'redshift'),
      '-- PostgreSQL:',
      createTableSql(table, 'postgres'),
    ].join('\n'),
  );
  const migrations = warehouseMigrations().map((migration) =>
    [
      `-- Migration ${migration.version} (fingerprint ${migration.fingerprint}): ${migration.description}`,
      '-- Redshift:',
      ...redshiftMigrationStatements(migration),
      '-- PostgreSQL:',
      ...postgresMigrationStatements(migration).map((statement) => `${statement};`),
    ].join('\n'),
  );
  return [
    '-- Golden contract of the warehouse schema (contracts/warehouse-schema.golden.test.ts). Generated; review every diff.',
    '',
    '-- ===== Tables as they stand =====',
    '',
    tables.join('\n\n'),
    '',
    '-- ===== Migrations, as each warehouse runs them =====',
    '',
    migrations.join('\n\n'),
    '',
  ].join('\n');
}

describe('Contract: warehouse schema', () => {
  it('matches the committed golden: tables, loaded columns and migrations with their fingerprints', async () => {
    await expect(await schemaDocument()).toMatchFileSnapshot('./warehouse-schema.golden.sql');
  });
});
