import { describe, expect, it } from 'vitest';
import { MigrationMismatchError, planMigrations, tableAsOf, warehouseMigrations } from './warehouse-migrations.js';
import { WarehouseTables, type TableDefinition } from './warehouse-tables.js';

/** The tables as version 1 made them: the mechanism is specified on these, whatever versions came since. */
const V1 = Object.fromEntries(
  Object.entries(WarehouseTables)
    .filter(([, table]) => ((table as TableDefinition).since ?? 1) === 1)
    .map(([key, table]) => [key, tableAsOf(table, 1)]),
) as unknown as typeof WarehouseTables;

/** The version-1 tables with one more column on sales, added by version 2. */
const withChannel = (column: Partial<TableDefinition['columns'][number]> = {}) => ({
  ...V1,
  sales: { ...V1.sales, columns: [...V1.sales.columns, { name: 'channel', type: 'text' as const, width: 16, nullable: true, since: 2, ...column }] },
});

describe('Function: warehouseMigrations', () => {
  it('derives version 1 from the tables as they were: one createTable per table', () => {
    // Act
    const migrations = warehouseMigrations(V1);

    // Assess
    expect(migrations.map((migration) => migration.version)).toEqual([1]);
    expect(migrations[0]?.changes.map((change) => [change.kind, change.table.name])).toEqual([
      ['createTable', 'sales'],
      ['createTable', 'sale_items'],
      ['createTable', 'ingest_files'],
      ['createTable', 'quarantine'],
    ]);
  });

  it('turns a column added since version 2 into version 2, leaving version 1 as it was', () => {
    // Act
    const [first, second] = warehouseMigrations(withChannel());

    // Assess
    expect(first).toEqual(warehouseMigrations(V1)[0]);
    expect(first).toEqual(warehouseMigrations()[0]);
    expect(second?.version).toBe(2);
    expect(second?.description).toBe('add sales.channel');
    expect(second?.changes).toEqual([expect.objectContaining({ kind: 'addColumn', column: expect.objectContaining({ name: 'channel' }) })]);
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
    ['a version with no change before it', withChannel({ since: 3 }), /schema version 2 has no change/],
    ['a column older than its table', { ...WarehouseTables, sales: { ...WarehouseTables.sales, since: 2 } }, /added in 1, before its table \(2\)/],
  ])('refuses %s', (_, tables, message) => {
    expect(() => warehouseMigrations(tables as never)).toThrow(message);
  });

  it('has version 2 add sales.merged_at, stamped by the warehouse and copied locally from loaded_at (issue 16), beside how files were read (issue 13)', () => {
    // Act
    const [, second, third, ...later] = warehouseMigrations();

    // Assess
    expect(later).toEqual([]);
    expect(second?.changes[0]).toEqual(
      expect.objectContaining({ kind: 'addColumn', column: { name: 'merged_at', type: 'timestamptz', nullable: true, since: 2, stamp: { localCopyOf: 'loaded_at' } } }),
    );
    expect(second?.changes.slice(1).every((change) => change.table.name === 'ingest_files')).toBe(true);
    // Version 3 is the fold of corrections (issue 14).
    expect(third?.changes.map((change) => [change.kind, change.table.name, change.kind === 'addColumn' ? change.column.name : null])).toEqual([
      ['addColumn', 'sales', 'kind'],
      ['addColumn', 'sales', 'refund_of'],
      ['addColumn', 'ingest_files', 'version'],
      ['createTable', 'sale_sources', null],
      ['createTable', 'till_sales', null],
      ['createTable', 'file_versions', null],
    ]);
  });

  it.each([
    ['a table version 0', 0],
    ['a fractional table version', 1.5],
  ])('refuses %s, naming the table', (_, since) => {
    const tables = { ...V1, sales: { ...V1.sales, since, columns: V1.sales.columns.map((column) => ({ ...column, since })) } };
    expect(() => warehouseMigrations(tables as never)).toThrow(new Error(`sales: since must be a version from 1, got ${since}`));
  });

  it('writes a fingerprint as 8 hex digits, keeping leading zeros', () => {
    // A one-column table whose FNV-1a hash is below 0x10000000 (found by trying names).
    const [only] = warehouseMigrations({ t: { name: 't11', description: '', columns: [{ name: 'id', type: 'integer' }], primaryKey: ['id'] } });
    expect(only?.fingerprint).toBe('04539ac3');
  });

  it('shows a table as it stood at a version', () => {
    expect(tableAsOf(withChannel().sales, 1).columns.map((column) => column.name)).not.toContain('channel');
    expect(tableAsOf(withChannel().sales, 2).columns.at(-1)?.name).toBe('channel');
  });
});

describe('Function: planMigrations', () => {
  const migrations = warehouseMigrations(withChannel());
  const recorded = (version: number) => ({ version, fingerprint: migrations[version - 1]?.fingerprint ?? '' });

  it('plans what the warehouse has not had, in order', () => {
    expect(planMigrations([], migrations).map((migration) => migration.version)).toEqual([1, 2]);
    expect(planMigrations([recorded(1)], migrations).map((migration) => migration.version)).toEqual([2]);
    expect(planMigrations([recorded(1), recorded(2)], migrations)).toEqual([]);
  });

  it('reads the applied versions in any order', () => {
    expect(planMigrations([recorded(2), recorded(1)], migrations)).toEqual([]);
  });

  it('says which version does not match, as a MigrationMismatchError', () => {
    // Act
    const error = (() => {
      try {
        planMigrations([{ version: 1, fingerprint: 'edited!!' }], migrations);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();

    // Assess
    expect(error).toBeInstanceOf(MigrationMismatchError);
    expect(error).toMatchObject({
      name: 'MigrationMismatchError',
      version: 1,
      message: `schema migration 1: changed since it was applied (fingerprint edited!!, now ${migrations[0]!.fingerprint}); add a new version instead`,
    });
  });

  it.each([
    ['a version the code does not know', [{ version: 1, fingerprint: migrations[0]!.fingerprint }, { version: 2, fingerprint: migrations[1]!.fingerprint }, { version: 3, fingerprint: 'x' }], /migration 3: applied to the warehouse but unknown/],
    ['an edited version', [{ version: 1, fingerprint: 'edited!!' }], /migration 1: changed since it was applied/],
    ['a gap', [{ version: 2, fingerprint: migrations[1]!.fingerprint }], /migration 2: applied without version 1 before it/],
  ])('refuses a warehouse with %s', (_, applied, message) => {
    expect(() => planMigrations(applied, migrations)).toThrow(MigrationMismatchError);
    expect(() => planMigrations(applied, migrations)).toThrow(message);
  });
});
