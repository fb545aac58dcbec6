import { describe, expect, it } from 'vitest';
import { addColumnsSql, createTableSql, WarehouseTables } from './warehouse-tables.js';

describe('Function: addColumnsSql', () => {
  it('adds the columns ingest_files gained since it was first deployed, nullable, on PostgreSQL idempotently', () => {
    // Act
    const postgres = addColumnsSql(WarehouseTables.ingestFiles, 'postgres');
    const redshift = addColumnsSql(WarehouseTables.ingestFiles, 'redshift');

    // Assess
    expect(postgres).toContain('ALTER TABLE ingest_files ADD COLUMN IF NOT EXISTS encoding TEXT;');
    expect(redshift).toContain('ALTER TABLE ingest_files ADD COLUMN dialect VARCHAR(64);');
    expect(postgres.map((sql) => /ADD COLUMN IF NOT EXISTS (\w+)/.exec(sql)?.[1])).toEqual([
      'encoding', 'dialect', 'line_endings', 'lines', 'lines_blank', 'lines_header', 'lines_preamble', 'lines_footnote', 'lines_continued',
    ]);
    expect(postgres.some((sql) => sql.includes('NOT NULL'))).toBe(false);
    expect(addColumnsSql(WarehouseTables.sales, 'postgres')).toEqual([]);
  });

  it('creates the same columns in a new table', () => {
    expect(createTableSql(WarehouseTables.ingestFiles, 'redshift')).toMatch(/^ {2}lines_continued INTEGER,$/m);
  });
});
