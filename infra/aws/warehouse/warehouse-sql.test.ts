import { describe, expect, it } from 'vitest';
import { WarehouseTables } from '../../../contracts/index.js';
import {
  copyColumns,
  copyOptions,
  mergeStatements,
  mergeTableStatements,
  readerGrantStatements,
  replayStatements,
  schemaStatements,
  stagingTableName,
} from './warehouse-sql.js';

describe('Function: schemaStatements', () => {
  it('creates every final and staging table from the contracts, idempotently', () => {
    // Act
    const statements = schemaStatements();

    // Assess
    expect(statements).toHaveLength(8);
    expect(statements.every((sql) => sql.startsWith('CREATE TABLE IF NOT EXISTS '))).toBe(true);
    const names = statements.map((sql) => /CREATE TABLE IF NOT EXISTS (\w+)/.exec(sql)?.[1]);
    expect(names).toEqual(['sales', 'stage_sales', 'sale_items', 'stage_sale_items', 'quarantine', 'stage_quarantine', 'ingest_files', 'stage_ingest_files']);
    expect(statements[0]).toContain('event_id VARCHAR(32) NOT NULL');
    expect(statements[0]).toContain('DISTKEY (event_id)');
  });
});

describe('Function: mergeTableStatements', () => {
  it('inserts only new sales, one per event id, the earliest load first', () => {
    // Act
    const [insert, ...rest] = mergeTableStatements(WarehouseTables.sales, { kind: 'first-wins', orderBy: 'loaded_at' });

    // Assess
    expect(rest).toEqual([]);
    expect(insert).toContain('INSERT INTO sales (event_id, branch, sold_at,');
    expect(insert).toContain('ROW_NUMBER() OVER (PARTITION BY s.event_id ORDER BY s.loaded_at) AS dedup_rank');
    expect(insert).toContain('FROM stage_sales s');
    expect(insert).toContain('WHERE staged.dedup_rank = 1');
    expect(insert).toContain('NOT EXISTS (SELECT 1 FROM sales t WHERE t.event_id = staged.event_id)');
  });

  it('matches sale items on the whole primary key', () => {
    // Act
    const [insert] = mergeTableStatements(WarehouseTables.saleItems, { kind: 'first-wins' });

    // Assess
    expect(insert).toContain('PARTITION BY s.event_id, s.line_no');
    expect(insert).toContain('t.event_id = staged.event_id AND t.line_no = staged.line_no');
  });

  it('replaces a file row with a staged run that is as late or later', () => {
    // Act
    const [remove, insert] = mergeTableStatements(WarehouseTables.ingestFiles, { kind: 'latest-wins', versionColumn: 'finished_at' });

    // Assess
    expect(remove).toContain('DELETE FROM ingest_files');
    expect(remove).toContain('s.file = ingest_files.file AND s.finished_at >= ingest_files.finished_at');
    expect(insert).toContain('ORDER BY s.finished_at DESC');
  });

  it('refuses an ordering column the table does not have', () => {
    // Act
    const act = () => mergeTableStatements(WarehouseTables.saleItems, { kind: 'first-wins', orderBy: 'loaded_at' });

    // Assess
    expect(act).toThrow(/no column loaded_at/);
  });
});

describe('Function: mergeStatements', () => {
  it('locks first, merges every table, then empties staging in one transaction', () => {
    // Act
    const statements = mergeStatements();

    // Assess
    expect(statements[0]).toBe(
      'LOCK sales, sale_items, quarantine, ingest_files, stage_sales, stage_sale_items, stage_quarantine, stage_ingest_files;',
    );
    expect(statements.slice(-4)).toEqual([
      'DELETE FROM stage_sales;',
      'DELETE FROM stage_sale_items;',
      'DELETE FROM stage_quarantine;',
      'DELETE FROM stage_ingest_files;',
    ]);
    expect(statements.some((sql) => sql.includes('TRUNCATE'))).toBe(false);
    expect(statements.length).toBeLessThanOrEqual(40);
  });
});

describe('Function: copyOptions and copyColumns', () => {
  it('loads gzipped JSON rows by column name', () => {
    // Act
    const options = copyOptions();

    // Assess
    expect(options).toContain("JSON 'auto'");
    expect(options).toContain('GZIP');
    expect(copyColumns(WarehouseTables.saleItems)).toBe('event_id,line_no,size,product,flavour,price_pence');
    expect(stagingTableName(WarehouseTables.quarantine)).toBe('stage_quarantine');
  });
});

describe('Function: readerGrantStatements', () => {
  it('grants SELECT on the final tables only', () => {
    // Act
    const [usage, select] = readerGrantStatements('dashboard_reader');

    // Assess
    expect(usage).toBe('GRANT USAGE ON SCHEMA public TO ROLE dashboard_reader;');
    expect(select).toBe('GRANT SELECT ON TABLE sales, sale_items, quarantine, ingest_files TO ROLE dashboard_reader;');
  });
});

describe('Function: replayStatements', () => {
  it('empties the final tables, COPYs the archive into staging and merges', () => {
    // Act
    const statements = replayStatements('archive-bucket');

    // Assess
    expect(statements[0]).toMatch(/^LOCK /);
    expect(statements[1]).toBe('DELETE FROM sales;');
    expect(statements).toContain(
      `COPY stage_sales (${copyColumns(WarehouseTables.sales)}) FROM 's3://archive-bucket/archive/sales/' IAM_ROLE default ${copyOptions()};`,
    );
    expect(statements.at(-1)).toBe('DELETE FROM stage_ingest_files;');
  });
});
