import { describe, expect, it } from 'vitest';
import { MigrationMismatchError, planMigrations, tableAsOf, warehouseMigrations } from './warehouse-migrations.js';
import { WarehouseTables, type TableDefinition } from './warehouse-tables.js';

/** The schema version after the tables' latest. */
const NEXT = Math.max(...warehouseMigrations().map((migration) => migration.version)) + 1;

/** The tables with one more column on sales, added by the next version. */
const withChannel = (column: Partial<TableDefinition['columns'][number]> = {}) => ({
  ...WarehouseTables,
  sales: { ...WarehouseTables.sales, columns: [...WarehouseTables.sales.columns, { name: 'channel', type: 'text' as const, width: 16, nullable: true, since: NEXT, ...column }] },
});

describe('Function: warehouseMigrations', () => {
  it('derives version 1 from the tables as they are: one createTable per table', () => {
    // Act
    const migrations = warehouseMigrations();

    // Assess: version 2 added ingest_files' encoding, dialect and line accounting; 3 the fold of corrections.
    expect(migrations.map((migration) => migration.version)).toEqual([1, 2, 3]);
    expect(migrations[2]?.changes.map((change) => [change.kind, change.table.name, change.kind === 'addColumn' ? change.column.name : null])).toEqual([
      ['addColumn', 'sales', 'kind'],
      ['addColumn', 'sales', 'refund_of'],
      ['addColumn', 'ingest_files', 'version'],
      ['createTable', 'sale_sources', null],
      ['createTable', 'till_sales', null],
      ['createTable', 'file_versions', null],
    ]);
    expect(migrations[0]?.changes.map((change) => [change.kind, change.table.name])).toEqual([
      ['createTable', 'sales'],
      ['createTable', 'sale_items'],
      ['createTable', 'ingest_files'],
      ['createTable', 'quarantine'],
    ]);
  });

  it('turns a column added since a new version into that version, leaving the earlier ones as they were', () => {
    // Act
    const migrations = warehouseMigrations(withChannel());
    const added = migrations.at(-1);

    // Assess
    expect(migrations.slice(0, -1)).toEqual(warehouseMigrations());
    expect(added?.version).toBe(NEXT);
    expect(added?.description).toBe('add sales.channel');
    expect(added?.changes).toEqual([expect.objectContaining({ kind: 'addColumn', column: expect.objectContaining({ name: 'channel' }) })]);
  });

  it('keeps a fingerprint when only descriptions change, and changes it when a column does', () => {
    // Prepare
    const renamed = { ...WarehouseTables, sales: { ...WarehouseTables.sales, description: 'another sentence' } };
    const widened = { ...WarehouseTables, sales: { ...WarehouseTables.sales, columns: WarehouseTables.sales.columns.map((column) => (column.name === 'branch' ? { ...column, width: 256 } : column)) } };

    // Act
    const [original] = warehouseMigrations();

    // Assess
    expect(warehouseMigrations(renamed)[0]?.fingerprint).toBe(original?.fingerprint);
    expect(warehouseMigrations(widened)[0]?.fingerprint).not.toBe(original?.fingerprint);
  });

  it.each([
    ['a later column that is not nullable', withChannel({ nullable: false }), /sales\.channel: a column added after its table must be nullable/],
    ['a version with no change before it', withChannel({ since: NEXT + 1 }), new RegExp(`schema version ${NEXT} has no change`)],
    ['a column older than its table', { ...WarehouseTables, sales: { ...WarehouseTables.sales, since: 2 } }, /added in 1, before its table \(2\)/],
  ])('refuses %s', (_, tables, message) => {
    expect(() => warehouseMigrations(tables as never)).toThrow(message);
  });

  it('shows a table as it stood at a version', () => {
    expect(tableAsOf(withChannel().sales, NEXT - 1).columns.map((column) => column.name)).not.toContain('channel');
    expect(tableAsOf(withChannel().sales, NEXT).columns.at(-1)?.name).toBe('channel');
  });
});

describe('Function: planMigrations', () => {
  const migrations = warehouseMigrations(withChannel());
  const recorded = (version: number) => ({ version, fingerprint: migrations[version - 1]?.fingerprint ?? '' });

  const versions = migrations.map((migration) => migration.version);

  it('plans what the warehouse has not had, in order', () => {
    expect(planMigrations([], migrations).map((migration) => migration.version)).toEqual(versions);
    expect(planMigrations([recorded(1)], migrations).map((migration) => migration.version)).toEqual(versions.slice(1));
    expect(planMigrations(versions.map(recorded), migrations)).toEqual([]);
  });

  it.each([
    ['a version the code does not know', [...versions.map(recorded), { version: NEXT + 1, fingerprint: 'x' }], new RegExp(`migration ${NEXT + 1}: applied to the warehouse but unknown`)],
    ['an edited version', [{ version: 1, fingerprint: 'edited!!' }], /migration 1: changed since it was applied/],
    ['a gap', [{ version: 2, fingerprint: migrations[1]!.fingerprint }], /migration 2: applied without version 1 before it/],
  ])('refuses a warehouse with %s', (_, applied, message) => {
    expect(() => planMigrations(applied, migrations)).toThrow(MigrationMismatchError);
    expect(() => planMigrations(applied, migrations)).toThrow(message);
  });
});
