import { describe, expect, it } from 'vitest';
import { warehouseMigrations } from './warehouse-migrations.js';
import { createTableSql, WarehouseTables } from './warehouse-tables.js';

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
