import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WarehouseTables, createTableSql, loadedColumns, type IngestFile, type SaleRecord, type SaleVoid, type TableDefinition } from '../../contracts/index.js';
import { createPostgresSink } from '../../consumers/sales-transform/adapters/postgres-sink.js';
import type { ProjectionBatch } from '../../consumers/sales-transform/ports.js';
import { warehouseRows, type WarehouseRowBatch } from '../../consumers/sales-transform/warehouse-rows.js';
import { openWarehouse, type Warehouse } from '../../infra/local/emulators/warehouse.js';
import { applyMigrations } from '../../infra/local/emulators/warehouse-migrations.js';
import { WAREHOUSE_TABLE_KEYS, mergeStatements, stagingTableName, type WarehouseTableKey } from '../../infra/aws/warehouse/warehouse-sql.js';

/**
 * The Redshift loader's merge and fold, run for real on PostgreSQL where the two
 * dialects agree (every statement `mergeStatements` generates), against the local
 * sink fed the same batches: the same events give the same tables. Each "run"
 * stages a batch's rows as Firehose would deliver them (one staging table per
 * warehouse table) and runs the merge in one transaction, as the loader does.
 */

const FILE = 'uploads/leeds/leeds_2024-03-05.csv';
const V1 = '00000000000000000000005F1A2B3C4D';
const V2 = '00000000000000000000005F1A2B3C9E';
const V3 = '0000000000000000000000600000000A';

const id = (label: string) => label.padEnd(32, '0').slice(0, 32);
/** Distinct baskets have distinct match keys; a till sale and its file row share one. */
const key = (label: string) => `k${label}`.padEnd(32, 'k').slice(0, 32);

function sale(eventId: string, options: { readonly source: 'file' | 'till'; readonly matchKey: string | null; readonly total?: number; readonly version?: string; readonly line?: number; readonly kind?: 'sale' | 'refund'; readonly refundOf?: string }): SaleRecord {
  const total = options.total ?? 245;
  return {
    sale: {
      eventId,
      kind: options.kind ?? 'sale',
      refundOf: options.refundOf ?? null,
      branch: 'Leeds',
      soldAt: '2024-03-05T09:00:00.000Z',
      businessDate: '2024-03-05',
      totalPence: total,
      paymentMethod: 'CARD',
      cardBrand: null,
      customerKey: null,
      itemCount: 1,
      source: options.source,
      sourceRef: options.source === 'file' ? FILE : 'till_0123456789abcdef',
      recordedAt: '2024-03-05T21:00:00.000Z',
      loadedAt: '2024-03-05T21:00:01.000Z',
    },
    items: [{ eventId, lineNo: 1, size: 'Large', product: 'Latte', flavour: null, pricePence: total }],
    origin:
      options.source === 'file'
        ? { kind: 'file', file: FILE, version: options.version ?? V1, line: options.line ?? 1, matchKey: options.matchKey ?? key(eventId) }
        : { kind: 'till', matchKey: options.matchKey },
  };
}

const fileRow = (eventId: string, version: string, line: number, matchKey = key(eventId)) => sale(eventId, { source: 'file', version, line, matchKey });
const tillSale = (eventId: string, matchKey: string) => sale(eventId, { source: 'till', matchKey });

function account(version: string, rows: number, status: 'loaded' | 'refused' = 'loaded'): IngestFile {
  return {
    file: FILE,
    version,
    branch: 'Leeds',
    businessDate: '2024-03-05',
    layout: 'standard',
    rowsRead: rows,
    eventsPublished: status === 'loaded' ? rows : 0,
    rowsRejected: 0,
    linesSkipped: 1,
    status,
    refusal: status === 'loaded' ? null : 'file_unreadable',
    startedAt: '2024-03-05T21:00:00.000Z',
    finishedAt: `2024-03-05T21:0${rows % 10}:02.000Z`,
  };
}

const voidOf = (saleEventId: string, voidLabel: string): SaleVoid => ({ saleEventId, voidEventId: id(voidLabel), recordedAt: '2024-03-05T09:05:00.000Z' });

function batch(parts: Partial<ProjectionBatch>): ProjectionBatch {
  return { sales: parts.sales ?? [], quarantine: parts.quarantine ?? [], files: parts.files ?? [], voids: parts.voids ?? [] };
}

let root: string;
let warehouse: Warehouse;
let aws: pg.Pool;

/** The loader's side: the same tables in schema `aws`, plus staging. */
async function createAwsSide(): Promise<pg.Pool> {
  await warehouse.pool.query('CREATE SCHEMA IF NOT EXISTS aws');
  const url = new URL(warehouse.url);
  url.searchParams.set('options', '-c search_path=aws');
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  await applyMigrations(pool);
  for (const table of Object.values(WarehouseTables)) await pool.query(createTableSql(table, 'postgres', stagingTableName(table), { primaryKey: false }));
  return pool;
}

/** One load run: the rows Firehose delivered for `tables` (all by default), staged, then the loader's merge in one transaction. */
async function loaderRun(rows: WarehouseRowBatch, tables: readonly WarehouseTableKey[] = WAREHOUSE_TABLE_KEYS, options: { readonly pruneAll?: boolean } = {}): Promise<void> {
  const client = await aws.connect();
  try {
    await client.query('BEGIN');
    for (const key of tables) {
      const table: TableDefinition = WarehouseTables[key];
      for (const row of rows[key] as readonly Record<string, unknown>[]) {
        const names = loadedColumns(table).map((column) => column.name);
        await client.query(`INSERT INTO ${stagingTableName(table)} (${names.join(', ')}) VALUES (${names.map((_, index) => `$${index + 1}`).join(', ')})`, names.map((name) => row[name]));
      }
    }
    // PostgreSQL generates the stamped column (merged_at) itself; Redshift's merge stamps it.
    for (const statement of mergeStatements(tables, { ...options, omitStamps: true })) await client.query(statement);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/** Both sides take the same batch: the local sink, and one loader run of the batch's rows. */
async function both(...batches: ProjectionBatch[]): Promise<void> {
  const sink = createPostgresSink(warehouse.pool);
  for (const each of batches) {
    await sink.load(each);
    await loaderRun(warehouseRows(each));
  }
}

const normalise = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

async function tableRows(pool: pg.Pool, table: TableDefinition, where = ''): Promise<Record<string, unknown>[]> {
  const { rows } = await pool.query<Record<string, unknown>>(`SELECT * FROM ${table.name} ${where} ORDER BY ${table.primaryKey.join(', ')}`);
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([name, value]) => [name, normalise(value)])));
}

/** The memberships that count: of current versions (the loader keeps the version before the head a correction longer). */
const CURRENT_SOURCES = `m WHERE m.version >= COALESCE((SELECT COALESCE(MAX(CASE WHEN status = 'loaded' THEN version END), MAX(version)) FROM file_versions v WHERE v.file = m.file), '')`;

async function expectSameTables(): Promise<void> {
  for (const key of WAREHOUSE_TABLE_KEYS) {
    const table = WarehouseTables[key];
    const where = key === 'saleSources' ? CURRENT_SOURCES : '';
    expect(await tableRows(aws, table, where), table.name).toEqual(await tableRows(warehouse.pool, table, where));
  }
}

const countedIds = async (pool: pg.Pool) => (await pool.query<{ event_id: string }>('SELECT event_id FROM sales ORDER BY event_id')).rows.map((row) => row.event_id);

describe('Redshift merge and fold, run on PostgreSQL against the local sink', () => {
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'supercafe-fold-'));
    warehouse = await openWarehouse({ dataPath: join(root, 'postgres') });
    aws = await createAwsSide();
  });

  afterAll(async () => {
    await aws?.end();
    await warehouse?.stop();
    await rm(root, { recursive: true, force: true });
  });

  beforeEach(async () => {
    const names = Object.values(WarehouseTables).map((table) => table.name);
    await warehouse.pool.query(`TRUNCATE ${names.join(', ')}`);
    await aws.query(`TRUNCATE ${[...names, ...Object.values(WarehouseTables).map(stagingTableName)].join(', ')}`);
  });

  it('file v1 → v2 (a row removed, a row changed, a row added) → v1 again: the same tables, each time', async () => {
    // Prepare: v1 has a, b, c; v2 drops b, changes c to c2, adds d
    const v1 = batch({ sales: [fileRow(id('a'), V1, 1), fileRow(id('b'), V1, 2), fileRow(id('c'), V1, 3)], files: [account(V1, 3)] });
    const v2 = batch({ sales: [fileRow(id('a'), V2, 1), fileRow(id('c2'), V2, 2), fileRow(id('d'), V2, 3)], files: [account(V2, 3)] });
    const v1Again = batch({ sales: [fileRow(id('a'), V3, 1), fileRow(id('b'), V3, 2), fileRow(id('c'), V3, 3)], files: [account(V3, 3)] });

    // Act + Assess
    await both(v1);
    await expectSameTables();
    await both(v2);
    await expectSameTables();
    expect(await countedIds(aws)).toEqual([id('a'), id('c2'), id('d')]);
    await both(v1Again);
    await expectSameTables();
    expect(await countedIds(aws)).toEqual([id('a'), id('b'), id('c')]);
    const versions = await aws.query<{ version: string; is_current: number }>('SELECT version, is_current FROM file_versions ORDER BY version');
    expect(versions.rows).toEqual([
      { version: V1, is_current: 0 },
      { version: V2, is_current: 0 },
      { version: V3, is_current: 1 },
    ]);
    expect((await aws.query('SELECT version FROM ingest_files')).rows).toEqual([{ version: V3 }]);
  });

  it('rebuilds, from every clean row staged at once, the tables the local sink built batch by batch', async () => {
    // Prepare: corrections, a till sale shadowing a file row, a void and a refund
    const shared = key('rebuild');
    const batches = [
      batch({ sales: [fileRow(id('a'), V1, 1), fileRow(id('b'), V1, 2), fileRow(id('s'), V1, 3, shared)], files: [account(V1, 3)] }),
      batch({ sales: [tillSale(id('t1'), shared), tillSale(id('t2'), key('t2'))] }),
      batch({ sales: [fileRow(id('a'), V2, 1), fileRow(id('s'), V2, 2, shared)], files: [account(V2, 2)], voids: [voidOf(id('t2'), 'v2')] }),
      batch({ sales: [sale(id('r1'), { source: 'till', matchKey: null, kind: 'refund', refundOf: id('t1'), total: -245 })] }),
    ];
    const sink = createPostgresSink(warehouse.pool);
    for (const each of batches) await sink.load(each);
    const all = batches.map(warehouseRows).reduce((joined, rows) => Object.fromEntries(WAREHOUSE_TABLE_KEYS.map((table) => [table, [...joined[table], ...rows[table]]])) as unknown as WarehouseRowBatch);

    // Act: the rebuild's merge (rebuildStatements without its COPYs)
    await loaderRun(all, WAREHOUSE_TABLE_KEYS, { pruneAll: true });

    // Assess: every table, memberships included (a rebuild prunes to the heads)
    for (const table of Object.values(WarehouseTables)) expect(await tableRows(aws, table), table.name).toEqual(await tableRows(warehouse.pool, table));
    expect(await countedIds(aws)).toEqual([id('a'), id('r1'), id('t1')]);
  });

  it('ignores a redelivered older version after a newer one committed', async () => {
    // Prepare
    const v1 = batch({ sales: [fileRow(id('a'), V1, 1), fileRow(id('b'), V1, 2)], files: [account(V1, 2)] });
    const v2 = batch({ sales: [fileRow(id('a'), V2, 1)], files: [account(V2, 1)] });

    // Act
    await both(v1, v2, v1);

    // Assess
    await expectSameTables();
    expect(await countedIds(aws)).toEqual([id('a')]);
  });

  it.each([
    ['till first, then the file', 'till-first'],
    ['the file first, then the till', 'file-first'],
  ])('counts a till sale and its nightly-file row once: %s', async (_, order) => {
    // Prepare: one basket sold twice in the minute, one posted live
    const shared = key('latte');
    const till = batch({ sales: [tillSale(id('t1'), shared)] });
    const file = batch({ sales: [fileRow(id('f1'), V1, 1, shared), fileRow(id('f2'), V1, 2, shared), fileRow(id('f3'), V1, 3)], files: [account(V1, 3)] });

    // Act
    if (order === 'till-first') await both(till, file);
    else await both(file, till);

    // Assess: the till sale, one of the two identical file rows, and the other basket
    await expectSameTables();
    expect(await countedIds(aws)).toEqual([id('f1'), id('f3'), id('t1')]);
  });

  it('applies a void that arrives before or after its sale, and keeps a refund as its own negative sale', async () => {
    // Prepare
    const early = batch({ voids: [voidOf(id('t1'), 'v1')] });
    const sales = batch({ sales: [tillSale(id('t1'), key('one')), tillSale(id('t2'), key('two')), sale(id('r2'), { source: 'till', matchKey: null, kind: 'refund', refundOf: id('t2'), total: -245 })] });
    const late = batch({ voids: [voidOf(id('t2'), 'v2')] });

    // Act
    await both(early, sales);
    await expectSameTables();
    await both(late);

    // Assess
    await expectSameTables();
    expect(await countedIds(aws)).toEqual([id('r2')]);
    const tills = await aws.query('SELECT event_id, kind, voided_by FROM till_sales ORDER BY event_id');
    expect(tills.rows).toEqual([
      { event_id: id('r2'), kind: 'refund', voided_by: null },
      { event_id: id('t1'), kind: 'sale', voided_by: id('v1') },
      { event_id: id('t2'), kind: 'sale', voided_by: id('v2') },
    ]);
  });

  // When a file's first head arrives together with a newer version's (v1's rows in one batch,
  // v1's and v2's accounts with v2's rows in the next), v1's dropped row b must go: the local
  // sink asks which first heads hold rows of older versions, and retracts those files too.
  it('local sink: retracts a version superseded within the batch that brought the file its first head', async () => {
    // Prepare
    const rowsOnly = batch({ sales: [fileRow(id('a'), V1, 1), fileRow(id('b'), V1, 2)] });
    const twoAccounts = batch({ sales: [fileRow(id('a'), V2, 1)], files: [account(V1, 2), account(V2, 1)] });

    // Act
    await both(rowsOnly, twoAccounts);

    // Assess: both drop b
    expect(await countedIds(aws)).toEqual([id('a')]);
    expect(await countedIds(warehouse.pool)).toEqual([id('a')]);
  });

  it('keeps what a version holds when its head moves back to it (a refused newer version came first), and retracts from it later', async () => {
    // Prepare: v2's refusal reaches the warehouse before v1; v3 then drops b
    const refused = batch({ files: [account(V2, 0, 'refused')] });
    const v1 = batch({ sales: [fileRow(id('a'), V1, 1), fileRow(id('b'), V1, 2)], files: [account(V1, 2)] });
    const v3 = batch({ sales: [fileRow(id('a'), V3, 1)], files: [account(V3, 1)] });

    // Act
    await both(refused, v1, v3);

    // Assess
    await expectSameTables();
    expect(await countedIds(aws)).toEqual([id('a')]);
  });

  // A refused newer version reaches the warehouse first, then the loaded older one: the head
  // moves back, and ingest_files shows the head's account, not the later refusal.
  it('local sink: ingest_files shows the head account when the head moves back to a loaded older version', async () => {
    // Act
    await both(batch({ files: [account(V2, 0, 'refused')] }), batch({ sales: [fileRow(id('a'), V1, 1)], files: [account(V1, 1)] }));

    // Assess: both show v1's account
    const shown = (pool: pg.Pool) => pool.query('SELECT version, status FROM ingest_files').then((result) => result.rows);
    expect(await shown(aws)).toEqual([{ version: V1, status: 'loaded' }]);
    expect(await shown(warehouse.pool)).toEqual([{ version: V1, status: 'loaded' }]);
  });

  it('keeps the loaded version current when a later version of the file is refused', async () => {
    // Prepare
    const v1 = batch({ sales: [fileRow(id('a'), V1, 1)], files: [account(V1, 1)] });
    const refused = batch({ files: [account(V2, 0, 'refused')] });

    // Act
    await both(v1, refused);

    // Assess
    await expectSameTables();
    expect((await aws.query('SELECT version, status FROM ingest_files')).rows).toEqual([{ version: V1, status: 'loaded' }]);
  });
});

describe('Redshift fold: a sale\'s rows reaching the warehouse in different load runs', () => {
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'supercafe-fold-split-'));
    warehouse = await openWarehouse({ dataPath: join(root, 'postgres') });
    aws = await createAwsSide();
  });

  afterAll(async () => {
    await aws?.end();
    await warehouse?.stop();
    await rm(root, { recursive: true, force: true });
  });

  const SALE_ROWS: readonly WarehouseTableKey[] = ['sales', 'saleItems'];
  const FOLD_ROWS: readonly WarehouseTableKey[] = ['quarantine', 'ingestFiles', 'saleSources', 'tillSales', 'fileVersions'];

  /** The local sink takes each batch whole; the loader takes the batches' `first` tables in one run and the rest in the next. */
  async function split(batches: readonly ProjectionBatch[], first: readonly WarehouseTableKey[]): Promise<void> {
    const sink = createPostgresSink(warehouse.pool);
    for (const each of batches) await sink.load(each);
    const rest = WAREHOUSE_TABLE_KEYS.filter((table) => !first.includes(table));
    for (const each of batches) await loaderRun(warehouseRows(each), first);
    for (const each of batches) await loaderRun(warehouseRows(each), rest);
  }

  beforeEach(async () => {
    const names = Object.values(WarehouseTables).map((table) => table.name);
    await warehouse.pool.query(`TRUNCATE ${names.join(', ')}`);
    await aws.query(`TRUNCATE ${[...names, ...Object.values(WarehouseTables).map(stagingTableName)].join(', ')}`);
  });

  const v1 = batch({ sales: [fileRow(id('a'), V1, 1), fileRow(id('b'), V1, 2)], files: [account(V1, 2)] });
  const v2 = batch({ sales: [fileRow(id('a'), V2, 1)], files: [account(V2, 1)] });
  const till = batch({ sales: [tillSale(id('t1'), key(id('a')))] });
  const voided = batch({ voids: [voidOf(id('t1'), 'v1')] });

  it.each([
    ['sales and lines first, the fold\'s rows a run later', SALE_ROWS],
    ['the fold\'s rows first, sales and lines a run later', FOLD_ROWS],
  ])('a correction ends in the same tables: %s', async (_, first) => {
    // Act
    await split([v1, v2], first);

    // Assess
    await expectSameTables();
    expect(await countedIds(aws)).toEqual([id('a')]);
  });

  it.each([
    ['sales and lines first', SALE_ROWS],
    ['the fold\'s rows first', FOLD_ROWS],
  ])('a till sale shadows its file row, voided or not, whichever rows come first: %s', async (_, first) => {
    // Act
    await split([v1, till, voided], first);

    // Assess: b only; a is the till's sale, voided
    await expectSameTables();
    expect(await countedIds(aws)).toEqual([id('b')]);
    expect((await aws.query('SELECT DISTINCT event_id FROM sale_items ORDER BY event_id')).rows).toEqual([{ event_id: id('b') }]);
  });

  it('a version whose account never came, superseded by the file\'s first account, stays out when its sales arrive last', async () => {
    // Prepare: v1's memberships only (its account lost), then v2 whole, then v1's sales rows
    const v1Rows = batch({ sales: v1.sales });
    const sink = createPostgresSink(warehouse.pool);
    await sink.load(v1Rows);
    await sink.load(v2);

    // Act
    await loaderRun(warehouseRows(v1Rows), FOLD_ROWS);
    await loaderRun(warehouseRows(v2));
    await loaderRun(warehouseRows(v1Rows), SALE_ROWS);

    // Assess: neither keeps b
    expect(await countedIds(aws)).toEqual([id('a')]);
    expect(await countedIds(warehouse.pool)).toEqual([id('a')]);
  });

  it('a superseded version\'s sale delivered after the correction stays out', async () => {
    // Prepare: v1's memberships and accounts, then v2 whole, then v1's sales rows (late in Firehose)
    const rowsOf = (each: ProjectionBatch) => warehouseRows(each);
    const sink = createPostgresSink(warehouse.pool);
    await sink.load(v1);
    await sink.load(v2);

    // Act
    await loaderRun(rowsOf(v1), FOLD_ROWS);
    await loaderRun(rowsOf(v2));
    await loaderRun(rowsOf(v1), SALE_ROWS);

    // Assess
    await expectSameTables();
    expect(await countedIds(aws)).toEqual([id('a')]);
  });
});
