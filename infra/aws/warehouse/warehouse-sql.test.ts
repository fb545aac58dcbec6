import { describe, expect, it } from 'vitest';
import { WarehouseTables, warehouseMigrations } from '../../../contracts/index.js';
import {
  BATCH_STATEMENT_LIMIT,
  EVENT_IDS_PER_STATEMENT,
  LOADER_ROLE,
  MERGE_POLICIES,
  ReconciliationCheck,
  WAREHOUSE_TABLE_KEYS,
  bookkeepingStatements,
  copyColumns,
  copyOptions,
  erasureMarkerKey,
  erasureOfMarker,
  erasureStatements,
  forgetStatements,
  grantStatements,
  loadStatements,
  mergeStatements,
  mergeTableStatements,
  rebuildStatements,
  reconciliationQuery,
  redshiftMigrationStatements,
  sqlString,
  stagingTableName,
} from './warehouse-sql.js';

const COPY_ROLE = 'arn:aws:iam::111111111111:role/copy';

describe('Function: redshiftMigrationStatements', () => {
  it('creates every final table with its key and every staging table without one, then records the version', () => {
    // Act
    const [first] = warehouseMigrations();
    const statements = redshiftMigrationStatements(first!);

    // Assess
    const creates = statements.filter((sql) => sql.startsWith('CREATE TABLE IF NOT EXISTS '));
    expect(creates.map((sql) => /CREATE TABLE IF NOT EXISTS (\w+)/.exec(sql)?.[1])).toEqual([
      'sales',
      'stage_sales',
      'sale_items',
      'stage_sale_items',
      'ingest_files',
      'stage_ingest_files',
      'quarantine',
      'stage_quarantine',
    ]);
    for (const sql of creates) expect(sql.includes('PRIMARY KEY'), sql.split('\n')[0]).toBe(!sql.includes('stage_'));
    expect(statements.at(-1)).toMatch(/^INSERT INTO schema_migrations \(version, description, fingerprint, applied_at\) VALUES \(1, 'create sales; create sale_items; .*', '[0-9a-f]{8}', GETDATE\(\)\);$/);
    expect(statements.length).toBeLessThanOrEqual(BATCH_STATEMENT_LIMIT);
  });

  it('sizes text columns in bytes from the contracts', () => {
    // Act
    const [first] = warehouseMigrations();
    const sales = redshiftMigrationStatements(first!)[0] ?? '';

    // Assess
    expect(sales).toContain('branch VARCHAR(128) NOT NULL');
    expect(sales).toContain('source_ref VARCHAR(1024) NOT NULL');
    expect(sales).toContain('DISTKEY (event_id)');
  });
});

describe('Function: bookkeepingStatements', () => {
  it('creates the migrations table and the load history if missing', () => {
    expect(bookkeepingStatements().map((sql) => /CREATE TABLE IF NOT EXISTS (\w+)/.exec(sql)?.[1])).toEqual(['schema_migrations', 'load_history']);
  });
});

describe('Function: grantStatements', () => {
  it('gives the reader SELECT on the final tables and the loader only what loading and merging need', () => {
    // Act
    const statements = grantStatements({ copyRoleArn: COPY_ROLE });

    // Assess
    expect(statements).toContain('REVOKE CREATE ON SCHEMA public FROM PUBLIC;');
    expect(statements).toContain('GRANT SELECT ON TABLE sales, sale_items, quarantine, ingest_files, sale_sources, till_sales, file_versions TO ROLE dashboard_reader;');
    expect(statements).toContain(
      `GRANT SELECT, INSERT, DELETE ON TABLE stage_sales, stage_sale_items, stage_quarantine, stage_ingest_files, stage_sale_sources, stage_till_sales, stage_file_versions TO ROLE ${LOADER_ROLE};`,
    );
    // Quarantine is only ever inserted into; the fold removes sales and lines, replaces accounts, fills till sales, marks versions, prunes memberships.
    expect(statements).toContain(`GRANT SELECT, INSERT ON TABLE quarantine TO ROLE ${LOADER_ROLE};`);
    expect(statements).toContain(`GRANT SELECT, INSERT, DELETE ON TABLE sales TO ROLE ${LOADER_ROLE};`);
    expect(statements).toContain(`GRANT SELECT, INSERT, DELETE ON TABLE ingest_files TO ROLE ${LOADER_ROLE};`);
    expect(statements).toContain(`GRANT SELECT, INSERT, DELETE ON TABLE sale_sources TO ROLE ${LOADER_ROLE};`);
    expect(statements).toContain(`GRANT SELECT, INSERT, UPDATE ON TABLE till_sales TO ROLE ${LOADER_ROLE};`);
    expect(statements).toContain(`GRANT SELECT, INSERT, UPDATE ON TABLE file_versions TO ROLE ${LOADER_ROLE};`);
    // The fold's temporary tables rely on PUBLIC's default TEMP privilege: never revoked.
    expect(statements.join('\n')).not.toMatch(/REVOKE\s+(ALL|TEMP)/);
    expect(statements.slice(-2)).toEqual(['REVOKE ASSUMEROLE ON ALL FROM PUBLIC FOR ALL;', `GRANT ASSUMEROLE ON '${COPY_ROLE}' TO ROLE ${LOADER_ROLE} FOR COPY;`]);
    expect(statements.filter((sql) => sql.startsWith('GRANT')).join('\n')).not.toMatch(/GRANT ALL|SUPERUSER|CREATE/);
    // Erasures: the loader may clear one column of sales; the fold updates only till sales and version marks.
    expect(statements.filter((sql) => sql.includes('UPDATE'))).toEqual([
      `GRANT SELECT, INSERT, UPDATE ON TABLE till_sales TO ROLE ${LOADER_ROLE};`,
      `GRANT SELECT, INSERT, UPDATE ON TABLE file_versions TO ROLE ${LOADER_ROLE};`,
      `GRANT UPDATE (customer_key) ON TABLE sales TO ROLE ${LOADER_ROLE};`,
    ]);
  });
});

describe('Erasures in Redshift', () => {
  const key = 'a'.repeat(64);
  const erasure = { customerKey: key, erasedAt: '2024-05-01T12:00:00.000Z' };

  it('unties the sales sold by the erasure, narrowed to one run’s rows when asked', () => {
    expect(erasureStatements([erasure])).toEqual([`UPDATE sales SET customer_key = NULL WHERE ((customer_key = '${key}' AND sold_at <= CAST('2024-05-01 12:00:00.000+00' AS TIMESTAMPTZ)));`]);
    expect(erasureStatements([erasure], 'merged_at = X')[0]).toMatch(/^UPDATE sales SET customer_key = NULL WHERE merged_at = X AND \(\(customer_key = /);
    expect(erasureStatements([])).toEqual([]);
    expect(erasureStatements(Array.from({ length: 501 }, () => erasure))).toHaveLength(2);
  });

  it('has each load run untie what it merged, and a rebuild every sale', () => {
    // Act
    const load = loadStatements([{ table: 'sales', manifestUrl: 's3://b/m.json', files: ['f'] }], COPY_ROLE, 'run-1', new Date('2024-05-02T00:00:00Z'), [erasure]);
    const itemsOnly = loadStatements([{ table: 'saleItems', manifestUrl: 's3://b/m.json', files: ['f'] }], COPY_ROLE, 'run-1', new Date('2024-05-02T00:00:00Z'), [erasure]);
    const rebuild = rebuildStatements('rows-bucket', undefined, [erasure]);
    // Assess: after the merge, before the history.
    const update = load.findIndex((sql) => sql.startsWith('UPDATE sales'));
    expect(load[update]).toContain("merged_at = CAST('2024-05-02 00:00:00.000+00' AS TIMESTAMPTZ) AND");
    expect(update).toBeGreaterThan(load.findIndex((sql) => sql.startsWith('INSERT INTO sales ')));
    expect(load.at(-1)).toMatch(/^INSERT INTO load_history/);
    expect(itemsOnly.some((sql) => sql.startsWith('UPDATE sales'))).toBe(false);
    expect(rebuild.at(-1)).toBe(erasureStatements([erasure])[0]);
  });

  it('names an erasure by its marker key and reads it back, ignoring anything else', () => {
    expect(erasureMarkerKey(erasure)).toBe(`erasures/${key}/2024-05-01T12:00:00.000Z`);
    expect(erasureOfMarker(erasureMarkerKey(erasure))).toEqual(erasure);
    expect(erasureOfMarker('erasures/not-a-key/2024-05-01T12:00:00.000Z')).toBeUndefined();
    expect(erasureOfMarker(`erasures/${key}/yesterday`)).toBeUndefined();
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

  it.each([
    ['tillSales', 'fill'],
    ['ingestFiles', 'head-account'],
    ['sales', 'counted'],
  ] as const)('refuses to apply %s\'s policy to another table', (_, kind) => {
    expect(() => mergeTableStatements(WarehouseTables.quarantine, { kind })).toThrow(/quarantine/);
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
    expect(() => mergeTableStatements(WarehouseTables.saleItems, { kind: 'first-wins', orderBy: 'loaded_at' })).toThrow(/no column loaded_at/);
  });

  it('has a merge rule for every warehouse table', () => {
    expect(Object.keys(MERGE_POLICIES).sort()).toEqual(Object.keys(WarehouseTables).sort());
    expect([...WAREHOUSE_TABLE_KEYS].sort()).toEqual(Object.keys(WarehouseTables).sort());
  });
});

describe('Function: mergeStatements', () => {
  it('merges the given tables, then empties their staging with DELETE (TRUNCATE would commit early)', () => {
    // Act
    const statements = mergeStatements(['sales', 'saleItems']);

    // Assess
    expect(statements.slice(-2)).toEqual(['DELETE FROM stage_sales;', 'DELETE FROM stage_sale_items;']);
    expect(statements.some((sql) => sql.includes('TRUNCATE'))).toBe(false);
    expect(statements.some((sql) => sql.includes('quarantine'))).toBe(false);
  });
});

describe('Function: mergeStatements (the fold)', () => {
  const run = mergeStatements();
  const indexOf = (prefix: string) => run.findIndex((sql) => sql.startsWith(prefix));

  it('runs in the fold\'s order: heads before the accounts change, verdicts after the memberships, removals after the inserts, then drops and empties', () => {
    // Assess
    expect(indexOf('CREATE TEMP TABLE fold_heads')).toBe(0);
    expect(indexOf('INSERT INTO file_versions')).toBeGreaterThan(indexOf('CREATE TEMP TABLE fold_heads'));
    expect(indexOf('UPDATE file_versions')).toBeGreaterThan(indexOf('INSERT INTO file_versions'));
    expect(indexOf('CREATE TEMP TABLE fold_verdicts')).toBeGreaterThan(Math.max(indexOf('INSERT INTO sale_sources'), indexOf('INSERT INTO till_sales'), run.findIndex((sql) => sql.includes('UPDATE till_sales'))));
    expect(indexOf('INSERT INTO sales')).toBeGreaterThan(indexOf('CREATE TEMP TABLE fold_verdicts'));
    expect(indexOf('DELETE FROM sales WHERE')).toBeGreaterThan(indexOf('INSERT INTO sale_items'));
    expect(indexOf('DELETE FROM sale_items WHERE')).toBeLessThan(indexOf('DELETE FROM sales WHERE'));
    expect(run.slice(indexOf('DROP TABLE'), indexOf('DROP TABLE') + 2)).toEqual(['DROP TABLE fold_verdicts;', 'DROP TABLE fold_heads;']);
    expect(run.filter((sql) => sql.startsWith('DELETE FROM stage_'))).toHaveLength(WAREHOUSE_TABLE_KEYS.length);
  });

  it('is Redshift SQL: no ON CONFLICT, FILTER, MERGE, TRUNCATE or RETURNING, and fits one Data API batch with every COPY and the history', () => {
    // Prepare
    const loads = WAREHOUSE_TABLE_KEYS.map((table) => ({ table, manifestUrl: `s3://b/m/${table}.json`, files: [`rows/${table}/a.gz`] }));

    // Act
    const statements = loadStatements(loads, COPY_ROLE, 'run-1');

    // Assess
    expect(statements.join('\n')).not.toMatch(/ON CONFLICT|FILTER\s*\(|MERGE INTO|TRUNCATE|RETURNING/i);
    expect(statements.length).toBeLessThanOrEqual(BATCH_STATEMENT_LIMIT);
  });

  it('grants the loader every DELETE and UPDATE a load run makes on a final table', () => {
    // Prepare
    const loads = WAREHOUSE_TABLE_KEYS.map((table) => ({ table, manifestUrl: `s3://b/m/${table}.json`, files: [`rows/${table}/a.gz`] }));
    const grants = grantStatements({ copyRoleArn: COPY_ROLE });
    const finals = new Set<string>(Object.values(WarehouseTables).map((table) => table.name));

    // Act
    const writes = loadStatements(loads, COPY_ROLE, 'run-1').flatMap((sql) => {
      const match = /^(?:WITH [\s\S]*?\) )?(DELETE FROM|UPDATE) (\w+)/.exec(sql);
      return match && finals.has(match[2]!) ? [[match[1] === 'UPDATE' ? 'UPDATE' : 'DELETE', match[2]!] as const] : [];
    });

    // Assess
    expect(writes.length).toBeGreaterThan(4);
    for (const [privilege, table] of writes) {
      const grant = grants.find((sql) => sql.endsWith(` ON TABLE ${table} TO ROLE ${LOADER_ROLE};`));
      expect(grant, `${privilege} on ${table}`).toContain(privilege);
    }
  });

  it('fills a till sale\'s row from its void and its sale, keeping what is already known', () => {
    // Act
    const update = run.find((sql) => sql.includes('UPDATE till_sales'));

    // Assess
    expect(update).toContain('kind = COALESCE(kind, s.fill_kind)');
    expect(update).toContain('voided_by = COALESCE(voided_by, s.fill_voided_by)');
    expect(update).toContain('MAX(voided_at) AS fill_voided_at FROM stage_till_sales GROUP BY event_id');
  });

  it('lets a staged sale or line in only when its verdict counts it, and removes what no longer counts', () => {
    // Assess
    expect(run[indexOf('INSERT INTO sales')]).toContain('AND staged.event_id IN (SELECT event_id FROM fold_verdicts WHERE counted = 1)');
    expect(run[indexOf('INSERT INTO sale_items')]).toContain('AND staged.event_id IN (SELECT event_id FROM fold_verdicts WHERE counted = 1)');
    expect(run).toContain('DELETE FROM sales WHERE sales.event_id IN (SELECT event_id FROM fold_verdicts WHERE counted = 0);');
  });

  it('skips the fold for a run that loads only quarantine', () => {
    expect(mergeStatements(['quarantine']).some((sql) => sql.includes('fold_'))).toBe(false);
  });
});

describe('Function: loadStatements', () => {
  it('COPYs each table by manifest with the COPY role, merges, records the files and empties staging, as one list', () => {
    // Prepare
    const loads = [
      { table: 'saleItems' as const, manifestUrl: 's3://bucket/manifests/run-1/sale_items.json', files: ['rows/sale_items/2024/03/05/09/a.gz'] },
      { table: 'sales' as const, manifestUrl: 's3://bucket/manifests/run-1/sales.json', files: ['rows/sales/2024/03/05/09/b.gz', "rows/sales/2024/03/05/09/o'neil.gz"] },
    ];

    // Act
    const statements = loadStatements(loads, COPY_ROLE, 'run-1');

    // Assess
    expect(statements[0]).toBe(`COPY stage_sales (${copyColumns(WarehouseTables.sales)}) FROM 's3://bucket/manifests/run-1/sales.json' IAM_ROLE '${COPY_ROLE}' MANIFEST ${copyOptions()};`);
    expect(statements[1]).toMatch(/^COPY stage_sale_items \(event_id,line_no,size,product,flavour,price_pence\) FROM /);
    const history = statements.find((sql) => sql.startsWith('INSERT INTO load_history'));
    expect(history).toContain("('rows/sales/2024/03/05/09/o''neil.gz', 'sales', 'run-1', GETDATE())");
    expect(history).toContain("('rows/sale_items/2024/03/05/09/a.gz', 'sale_items', 'run-1', GETDATE())");
    expect(statements.filter((sql) => sql.startsWith('DELETE FROM stage_'))).toEqual(['DELETE FROM stage_sales;', 'DELETE FROM stage_sale_items;']);
    expect(statements.indexOf(history ?? '')).toBeGreaterThan(statements.findIndex((sql) => sql.startsWith('INSERT INTO sale_items')));
  });

  it('has nothing to run without files', () => {
    expect(loadStatements([{ table: 'sales', manifestUrl: 's3://b/m.json', files: [] }], COPY_ROLE, 'run')).toEqual([]);
  });
});

describe('Function: copyOptions and copyColumns', () => {
  it('loads gzipped JSON rows by column name', () => {
    expect(copyOptions()).toContain("JSON 'auto'");
    expect(copyOptions()).toContain('GZIP');
    expect(copyColumns(WarehouseTables.saleItems)).toBe('event_id,line_no,size,product,flavour,price_pence');
    expect(stagingTableName(WarehouseTables.quarantine)).toBe('stage_quarantine');
  });
});

describe('Function: reconciliationQuery', () => {
  it('counts, per check, the sales of the window that are not yet judged too young', () => {
    // Act
    const sql = reconciliationQuery(50, 48);

    // Assess
    expect(sql).toContain('loaded_at >= DATEADD(hour, -48, GETDATE()) AND loaded_at < DATEADD(minute, -50, GETDATE())');
    for (const check of Object.values(ReconciliationCheck)) expect(sql).toContain(`AS ${check}`);
    expect(sql).toContain('l.line_count <> w.item_count');
    expect(sql).toContain('l.line_pence <> w.total_pence');
  });
});

describe('Function: rebuildStatements', () => {
  it('empties the final tables, COPYs every clean row into staging with the default role and merges', () => {
    // Act
    const statements = rebuildStatements('rows-bucket');

    // Assess
    expect(statements[0]).toBe('DELETE FROM sales;');
    expect(statements).toContain(`COPY stage_sales (${copyColumns(WarehouseTables.sales)}) FROM 's3://rows-bucket/rows/sales/' IAM_ROLE default ${copyOptions()};`);
    expect(statements.at(-1)).toBe('DELETE FROM stage_file_versions;');
    // Nothing is still in Firehose during a rebuild: every file's memberships are pruned to its head.
    expect(statements).toContain(
      "WITH h AS (SELECT file, COALESCE(MAX(CASE WHEN status = 'loaded' THEN version END), MAX(version)) AS version FROM file_versions GROUP BY file) DELETE FROM sale_sources USING h WHERE sale_sources.file = h.file AND sale_sources.version < h.version;",
    );
    expect(statements.length).toBeLessThanOrEqual(BATCH_STATEMENT_LIMIT);
  });
});

describe('Function: forgetStatements', () => {
  it('deletes the rows of replayed events and files, in chunks that fit a statement', () => {
    // Prepare
    const ids = Array.from({ length: EVENT_IDS_PER_STATEMENT + 1 }, (_, index) => index.toString(16).padStart(32, '0'));

    // Act
    const statements = forgetStatements(ids, ["uploads/leeds/o'day.csv"]);

    // Assess
    expect(statements.filter((sql) => sql.startsWith('DELETE FROM sales WHERE event_id IN'))).toHaveLength(2);
    expect(statements.filter((sql) => sql.startsWith('DELETE FROM sale_items WHERE event_id IN'))).toHaveLength(2);
    expect(statements.slice(-2)).toEqual(["DELETE FROM ingest_files WHERE file IN ('uploads/leeds/o''day.csv');", "DELETE FROM file_versions WHERE file IN ('uploads/leeds/o''day.csv');"]);
    expect(Math.max(...statements.map((sql) => sql.length))).toBeLessThan(100_000);
  });
});

describe('Function: sqlString', () => {
  it('doubles quotes', () => {
    expect(sqlString("it's")).toBe("'it''s'");
  });
});
