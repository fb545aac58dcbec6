import { describe, expect, it } from 'vitest';
import { warehouseMigrations } from './warehouse-migrations.js';
import { columnSql, createTableSql, loadedColumns, WarehouseTables, type TableDefinition } from './warehouse-tables.js';

describe('Table: ingest_files', () => {
  it('gains, in schema version 2, how each file was written and where its lines went, every column nullable', () => {
    // Act
    const second = warehouseMigrations().find((migration) => migration.version === 2);

    // Assess: added, never changed, NULL for the files read before.
    expect(second?.changes.filter((change) => change.table.name === 'ingest_files').map((change) => [change.kind, change.table.name, change.kind === 'addColumn' ? change.column.name : null])).toEqual(
      ['encoding', 'dialect', 'line_endings', 'lines', 'lines_blank', 'lines_header', 'lines_preamble', 'lines_footnote', 'lines_continued'].map((column) => ['addColumn', 'ingest_files', column]),
    );
    expect(second?.changes.every((change) => change.kind === 'addColumn' && change.column.nullable)).toBe(true);
  });

  it('creates the same columns in a new warehouse', () => {
    expect(createTableSql(WarehouseTables.ingestFiles, 'redshift')).toMatch(/^ {2}dialect VARCHAR\(64\),$/m);
    expect(createTableSql(WarehouseTables.ingestFiles, 'postgres')).toMatch(/^ {2}lines_continued INTEGER,$/m);
  });
});

describe('Function: createTableSql', () => {
  const bare: TableDefinition = {
    name: 'notes',
    description: 'A table with neither a sort nor a distribution key.',
    columns: [
      { name: 'id', type: 'bigint' },
      { name: 'note', type: 'text', width: 40, nullable: true },
    ],
    primaryKey: ['id'],
  };

  it('gives a table with no keys DISTSTYLE AUTO and no SORTKEY in Redshift', () => {
    expect(createTableSql(bare, 'redshift')).toBe('CREATE TABLE IF NOT EXISTS notes (\n  id BIGINT NOT NULL,\n  note VARCHAR(40),\n  PRIMARY KEY (id)\n)\nDISTSTYLE AUTO;');
  });

  it('declares a compound sort key and primary key in order', () => {
    const keyed: TableDefinition = { ...bare, primaryKey: ['id', 'note'], sortKey: ['note', 'id'], distKey: 'id' };
    expect(createTableSql(keyed, 'redshift')).toMatch(/ {2}PRIMARY KEY \(id, note\)\n\)\nDISTSTYLE KEY DISTKEY \(id\)\nSORTKEY \(note, id\);$/);
  });

  it('names a staging copy as asked, without the primary key (it holds duplicates by design)', () => {
    expect(createTableSql(bare, 'postgres', 'stage_notes', { primaryKey: false })).toBe('CREATE TABLE IF NOT EXISTS stage_notes (\n  id BIGINT NOT NULL,\n  note TEXT\n);');
    expect(createTableSql(bare, 'postgres', 'notes', { primaryKey: true })).toMatch(/PRIMARY KEY \(id\)\n\);$/);
  });

  it('refuses, in Redshift only, a text column without a width in bytes', () => {
    const loose: TableDefinition = { ...bare, columns: [{ name: 'loose', type: 'text' }] };
    expect(() => createTableSql(loose, 'redshift')).toThrow(new Error('column loose: a text column needs a width in bytes'));
    expect(createTableSql(loose, 'postgres')).toMatch(/^ {2}loose TEXT NOT NULL,$/m);
  });
});

describe('Function: columnSql', () => {
  it('generates a stamped column from its local copy in PostgreSQL and leaves it a nullable column in Redshift', () => {
    const stamped = { name: 'merged_at', type: 'timestamptz', nullable: true, stamp: { localCopyOf: 'loaded_at' } } as const;
    expect(columnSql(stamped, 'postgres')).toBe('merged_at TIMESTAMPTZ GENERATED ALWAYS AS (loaded_at) STORED');
    expect(columnSql(stamped, 'redshift')).toBe('merged_at TIMESTAMPTZ');
    // Not nullable and stamped: generated columns take no NOT NULL in PostgreSQL; Redshift still requires a value.
    expect(columnSql({ ...stamped, nullable: false }, 'postgres')).toBe('merged_at TIMESTAMPTZ GENERATED ALWAYS AS (loaded_at) STORED');
    expect(columnSql({ ...stamped, nullable: false }, 'redshift')).toBe('merged_at TIMESTAMPTZ NOT NULL');
  });
});

describe('Function: loadedColumns', () => {
  it('leaves out only the columns the warehouse stamps', () => {
    expect(loadedColumns(WarehouseTables.sales).map((column) => column.name)).toEqual(WarehouseTables.sales.columns.map((column) => column.name).filter((name) => name !== 'merged_at'));
  });
});
