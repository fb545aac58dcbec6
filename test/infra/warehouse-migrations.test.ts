import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MigrationMismatchError, WarehouseTables, warehouseMigrations, type TableDefinition } from '../../contracts/index.js';
import { openWarehouse, type Warehouse } from '../../infra/local/emulators/warehouse.js';
import { applyMigrations } from '../../infra/local/emulators/warehouse-migrations.js';
import { copyColumns, loadStatements, redshiftMigrationStatements } from '../../infra/aws/warehouse/warehouse-sql.js';

/**
 * A column added in `contracts/` (here `sales.channel`, since the version after
 * the code's latest) becomes a forward-only migration on both sides: Redshift
 * (final and staging tables, the COPY column list) and the local PostgreSQL (a
 * real embedded server), each recorded in `schema_migrations`.
 */
const LATEST = warehouseMigrations().length;
const NEXT = LATEST + 1;
const channel = { name: 'channel', type: 'text', width: 16, nullable: true, since: NEXT } as const;
const sales: TableDefinition = { ...WarehouseTables.sales, columns: [...WarehouseTables.sales.columns, channel] };
const tablesWithChannel = { ...WarehouseTables, sales };

describe('Migration: a column added in contracts/', () => {
  const migrations = warehouseMigrations(tablesWithChannel);
  const next = migrations[NEXT - 1]!;

  it(`adds it to the final and the staging table in Redshift, and records version ${NEXT}`, () => {
    // Act
    const statements = redshiftMigrationStatements(next);

    // Assess
    expect(statements.slice(0, 2)).toEqual(['ALTER TABLE sales ADD COLUMN channel VARCHAR(16);', 'ALTER TABLE stage_sales ADD COLUMN channel VARCHAR(16);']);
    expect(statements[2]).toMatch(new RegExp(`^INSERT INTO schema_migrations .* VALUES \\(${NEXT}, 'add sales\\.channel', '[0-9a-f]{8}', GETDATE\\(\\)\\);$`));
  });

  it('adds merged_at (version 2) to both Redshift tables, but to no COPY: the merge stamps it', () => {
    // Act
    const statements = redshiftMigrationStatements(warehouseMigrations()[1]!);

    // Assess
    expect(statements.slice(0, 2)).toEqual(['ALTER TABLE sales ADD COLUMN merged_at TIMESTAMPTZ;', 'ALTER TABLE stage_sales ADD COLUMN merged_at TIMESTAMPTZ;']);
    expect(copyColumns(WarehouseTables.sales)).not.toContain('merged_at');
  });

  it('puts it at the end of the COPY column list, so older files (without the key) still load as NULL', () => {
    // Act
    const columns = copyColumns(sales);

    // Assess
    expect(columns).toBe(`${copyColumns(WarehouseTables.sales)},channel`);
    expect(loadStatements([{ table: 'sales', manifestUrl: 's3://b/m.json', files: ['f'] }], 'arn:aws:iam::1:role/c', 'r')[0]).toContain(`COPY stage_sales (${copyColumns(WarehouseTables.sales)})`);
  });

  describe('in PostgreSQL', () => {
    let root: string;
    let warehouse: Warehouse;

    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'supercafe-migrations-'));
      // Opening the warehouse applies version 1, as every local stack does.
      warehouse = await openWarehouse({ dataPath: join(root, 'postgres') });
    }, 120_000);

    afterAll(async () => {
      await warehouse?.stop();
      await rm(root, { recursive: true, force: true });
    });

    it('starts at the code’s latest version, each recorded', async () => {
      // Act
      const { rows } = await warehouse.pool.query<{ version: number; fingerprint: string }>('SELECT version, fingerprint FROM schema_migrations ORDER BY version');

      // Assess
      expect(rows).toEqual(warehouseMigrations().map(({ version, fingerprint }) => ({ version, fingerprint })));
    });

    it('generates merged_at from loaded_at locally, where the sink writes the final table itself', async () => {
      // Act
      const { rows } = await warehouse.pool.query<{ is_generated: string; generation_expression: string }>(
        "SELECT is_generated, generation_expression FROM information_schema.columns WHERE table_name = 'sales' AND column_name = 'merged_at'",
      );

      // Assess
      expect(rows).toEqual([{ is_generated: 'ALWAYS', generation_expression: 'loaded_at' }]);
    });

    it(`applies version ${NEXT} once: the column is there, nullable, and recorded`, async () => {
      // Act
      const applied = await applyMigrations(warehouse.pool, migrations);
      const again = await applyMigrations(warehouse.pool, migrations);

      // Assess
      expect(applied).toEqual([NEXT]);
      expect(again).toEqual([]);
      const { rows } = await warehouse.pool.query<{ is_nullable: string; data_type: string }>(
        "SELECT is_nullable, data_type FROM information_schema.columns WHERE table_name = 'sales' AND column_name = 'channel'",
      );
      expect(rows).toEqual([{ is_nullable: 'YES', data_type: 'text' }]);
      const versions = await warehouse.pool.query<{ version: number; description: string }>('SELECT version, description FROM schema_migrations ORDER BY version');
      expect(versions.rows.map((row) => [row.version, row.description])).toEqual([...warehouseMigrations().map((migration) => [migration.version, migration.description]), [NEXT, 'add sales.channel']]);
    });

    it('refuses, changing nothing, to run older code against the newer warehouse', async () => {
      // Act
      const act = applyMigrations(warehouse.pool, warehouseMigrations());

      // Assess
      await expect(act).rejects.toBeInstanceOf(MigrationMismatchError);
      const { rows } = await warehouse.pool.query<{ count: string }>('SELECT COUNT(*) AS count FROM schema_migrations');
      expect(rows[0]?.count).toBe(String(NEXT));
    });
  });
});
