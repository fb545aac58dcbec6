import type { Pool, PoolClient } from 'pg';
import { loadedColumns, type IngestFilesRow, type RowOf, type TableDefinition } from '../../../contracts/index.js';
import type { SaleSink } from '../ports.js';
import { WarehouseTables, warehouseRows, type WarehouseRowBatch } from '../warehouse-rows.js';

/**
 * Loads clean records into PostgreSQL (the local warehouse) and applies the fold of
 * docs/corrections.md in the same transaction, so the tables are always the latest
 * truth: one transaction per batch, one multi-row statement per table (arrays through
 * `unnest`), idempotent on the primary keys (a redelivered batch changes nothing).
 *
 * The fold, step by step (each set-based):
 * 1. File versions' accounts join `file_versions`. A file's current version (its
 *    head) is its greatest loaded version (or, before any loaded one, its greatest).
 * 2. Sales and refunds join `sales` / `sale_items`, except a file row of a version
 *    older than its file's head (a redelivery after a newer version was committed)
 *    and a till sale already voided; their sources join `sale_sources` and
 *    `till_sales` (a void before its sale is kept there and applied when it comes).
 * 3. Voids remove their sales.
 * 4. A file whose head moved on to a newer version: the sales no current file
 *    version holds any longer are retracted, the superseded versions' sources
 *    pruned, `ingest_files` shows the head's account, `file_versions` marks it.
 * 5. Live and file: for every match key with till sales, `max(0, F − T)` file rows
 *    count, where F is the file rows current versions hold and T the till sales;
 *    the others are removed (the till sales count them).
 *
 * All folds are serialised by one transaction-level advisory lock: two shards'
 * batches must not interleave their reads and writes of the same files.
 */
export function createPostgresSink(pool: Pool): SaleSink {
  return {
    async load(batch) {
      if (batch.sales.length + batch.quarantine.length + batch.files.length + batch.voids.length === 0) return;
      const client = await pool.connect();
      // A server going away mid-batch is reported through the query's rejection;
      // without a listener the client's 'error' event would also crash the process.
      const onError = () => undefined;
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock($1)', [FOLD_LOCK]);
        await fold(client, warehouseRows(batch));
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.off('error', onError);
        client.release();
      }
    },
  };
}

/** The advisory lock every fold takes (an arbitrary constant: "supercafe fold"). */
const FOLD_LOCK = 0x5c_f01d;

const { sales, saleItems, quarantine, ingestFiles, saleSources, tillSales, fileVersions } = WarehouseTables;

/** The head of each file: its greatest loaded version, or its greatest version when none loaded. */
const HEADS_SQL = `SELECT file, COALESCE(MAX(CASE WHEN status = 'loaded' THEN version END), MAX(version)) AS version FROM ${fileVersions.name} WHERE file = ANY($1::text[]) GROUP BY file`;

async function headsOf(client: PoolClient, files: readonly string[]): Promise<Map<string, string>> {
  if (files.length === 0) return new Map();
  const { rows } = await client.query<{ file: string; version: string }>(HEADS_SQL, [files]);
  return new Map(rows.map((row) => [row.file, row.version]));
}

async function fold(client: PoolClient, rows: WarehouseRowBatch): Promise<void> {
  const files = [...new Set([...rows.saleSources.map((row) => row.file), ...rows.fileVersions.map((row) => row.file)])];
  const before = await headsOf(client, files);
  // 1. accounts
  await insertRows(client, fileVersions, rows.fileVersions);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: without a new version the heads are the ones just read; this saves reading them again
  const heads = rows.fileVersions.length > 0 ? await headsOf(client, files) : before;

  // 2. facts, but not a row only superseded versions hold, nor a sale already voided
  const current = rows.saleSources.filter((row) => row.version >= (heads.get(row.file) ?? ''));
  const held = new Set(current.map((row) => row.event_id));
  const stale = new Set(rows.saleSources.filter((row) => !held.has(row.event_id)).map((row) => row.event_id));
  const voided = await voidedAmong(client, [...rows.tillSales.filter((row) => row.voided_by === null).map((row) => row.event_id)]);
  for (const row of rows.tillSales) if (row.voided_by !== null) voided.add(row.event_id);
  const counts = (eventId: string) => !stale.has(eventId) && !voided.has(eventId);
  await insertRows(client, sales, rows.sales.filter((row) => counts(row.event_id)));
  await insertRows(client, saleItems, rows.saleItems.filter((row) => counts(row.event_id)));
  await insertRows(client, quarantine, rows.quarantine);
  await insertRows(client, saleSources, current);
  await upsertTillSales(client, rows.tillSales);

  // 3. voids
  await removeSales(client, [...new Set(rows.tillSales.flatMap((row) => (row.voided_by !== null ? [row.event_id] : [])))]);

  // 4. superseded versions
  const advanced = [...heads].filter(([file, head]) => head !== before.get(file)).map(([file]) => file);
  if (advanced.length > 0) await commitVersions(client, advanced, latestPerFile(rows.ingestFiles, heads), before);

  // 5. live and file, for the keys this batch touched, and every key of a file whose head moved
  const keys = new Set([...rows.saleSources.map((row) => row.match_key), ...rows.tillSales.flatMap((row) => (row.match_key ? [row.match_key] : []))]);
  if (keys.size > 0) await balanceLiveAndFile(client, { keys: [...keys] });
  if (advanced.length > 0) await balanceLiveAndFile(client, { files: advanced });
}

async function voidedAmong(client: PoolClient, eventIds: readonly string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const { rows } = await client.query<{ event_id: string }>(`SELECT event_id FROM ${tillSales.name} WHERE voided_by IS NOT NULL AND event_id = ANY($1::text[])`, [eventIds]);
  return new Set(rows.map((row) => row.event_id));
}

/** Removes sales and their lines (voided, retracted or shadowed); their facts stay in the fold's own tables. */
async function removeSales(client: PoolClient, eventIds: readonly string[]): Promise<void> {
  if (eventIds.length === 0) return;
  await client.query(`DELETE FROM ${saleItems.name} WHERE event_id = ANY($1::text[])`, [eventIds]);
  await client.query(`DELETE FROM ${sales.name} WHERE event_id = ANY($1::text[])`, [eventIds]);
}

/**
 * The heads of `files` moved on: mark them current, show their accounts, retract
 * what no current version holds, prune the superseded versions' sources. A file's
 * first head retracts nothing (nothing stood before it).
 */
async function commitVersions(client: PoolClient, files: readonly string[], accounts: readonly IngestFilesRow[], before: ReadonlyMap<string, string>): Promise<void> {
  await client.query(
    `UPDATE ${fileVersions.name} v SET is_current = CASE WHEN v.version = h.version THEN 1 ELSE 0 END
     FROM (${HEADS_SQL}) h WHERE v.file = h.file`,
    [files],
  );
  await upsertCurrentAccounts(client, accounts);
  // A file's first head may already supersede rows loaded before any account came
  // (rows of v1, then v2's account, or both accounts in one batch): those files retract too.
  const firstHeads = files.filter((file) => !before.has(file));
  const superseded = [...files.filter((file) => before.has(file)), ...(await filesHoldingOlderVersions(client, firstHeads))];
  if (superseded.length === 0) return;
  const { rows } = await client.query<{ event_id: string }>(
    `WITH heads AS (SELECT file, COALESCE(MAX(CASE WHEN status = 'loaded' THEN version END), MAX(version)) AS version FROM ${fileVersions.name} GROUP BY file)
     SELECT DISTINCT m.event_id FROM ${saleSources.name} m
     WHERE m.file = ANY($1::text[])
       AND NOT EXISTS (
         SELECT 1 FROM ${saleSources.name} o LEFT JOIN heads h ON h.file = o.file
         WHERE o.event_id = m.event_id AND (h.version IS NULL OR o.version >= h.version))`,
    [superseded],
  );
  await removeSales(client, rows.map((row) => row.event_id));
  await client.query(
    `DELETE FROM ${saleSources.name} m USING (${HEADS_SQL}) h WHERE m.file = h.file AND m.version < h.version`,
    [superseded],
  );
}

/** Of `files`, the ones holding rows of a version older than their head (one index probe each, stopping at the first row found). */
async function filesHoldingOlderVersions(client: PoolClient, files: readonly string[]): Promise<string[]> {
  if (files.length === 0) return [];
  const { rows } = await client.query<{ file: string }>(
    `SELECT h.file FROM (${HEADS_SQL}) h WHERE EXISTS (SELECT 1 FROM ${saleSources.name} m WHERE m.file = h.file AND m.version < h.version)`,
    [files],
  );
  return rows.map((row) => row.file);
}

/** The match keys a balance looks at: the ones named, or every key of the files named (chosen in SQL: a file may hold millions). */
type BalanceScope = { readonly keys: readonly string[] } | { readonly files: readonly string[] };

const scopeFilter = (scope: BalanceScope): [string, readonly string[]] =>
  'keys' in scope ? ['match_key = ANY($1::text[])', scope.keys] : [`match_key IN (SELECT match_key FROM ${saleSources.name} WHERE file = ANY($1::text[]))`, scope.files];

/**
 * For each match key in `scope` with till sales: of the F file rows current
 * versions hold, `max(0, F − T)` stay in `sales` (the lowest event ids, any fixed
 * choice will do: they are the same sale), the rest are removed. Keys without till
 * sales cost one index probe, and only the ids to remove reach this process.
 */
async function balanceLiveAndFile(client: PoolClient, scope: BalanceScope): Promise<void> {
  const [filter, values] = scopeFilter(scope);
  const { rows } = await client.query<{ event_id: string }>(
    `WITH keyed AS (
       SELECT match_key, count(*) AS tills FROM ${tillSales.name} WHERE kind = 'sale' AND ${filter} GROUP BY match_key),
     heads AS (
       SELECT file, COALESCE(MAX(CASE WHEN status = 'loaded' THEN version END), MAX(version)) AS version FROM ${fileVersions.name}
       WHERE file IN (SELECT m.file FROM ${saleSources.name} m JOIN keyed k ON k.match_key = m.match_key) GROUP BY file),
     members AS (
       SELECT DISTINCT m.match_key, m.event_id FROM ${saleSources.name} m JOIN keyed k ON k.match_key = m.match_key
       LEFT JOIN heads h ON h.file = m.file WHERE h.version IS NULL OR m.version >= h.version),
     held AS (SELECT match_key, count(*) AS rows FROM members GROUP BY match_key),
     counted AS (
       SELECT s.event_id, mb.match_key, row_number() OVER (PARTITION BY mb.match_key ORDER BY s.event_id) AS rn
       FROM ${sales.name} s JOIN members mb ON mb.event_id = s.event_id WHERE s.source = 'file')
     SELECT c.event_id FROM counted c JOIN keyed k ON k.match_key = c.match_key JOIN held f ON f.match_key = c.match_key
     WHERE c.rn > GREATEST(f.rows - k.tills, 0)`,
    [values],
  );
  await removeSales(client, rows.map((row) => row.event_id));
}

/** A row as the statements below read it: by column name (its table's `RowOf` guarantees every column is there). */
type ColumnValues = Readonly<Record<string, string | number | null>>;

function unnestSelect<T extends TableDefinition>(table: T, rows: readonly RowOf<T>[]): { sql: string; values: unknown[][] } {
  const byName: readonly ColumnValues[] = rows;
  // Stamped columns (sales.merged_at) are generated by PostgreSQL, never written.
  const columns = loadedColumns(table);
  const values = columns.map((column) => byName.map((row) => row[column.name] ?? null));
  const params = columns.map((column, index) => `$${index + 1}::${column.type}[]`).join(', ');
  return { sql: `SELECT * FROM unnest(${params})`, values };
}

const columnList = (table: TableDefinition) => loadedColumns(table).map((column) => column.name).join(', ');

async function insertRows<T extends TableDefinition>(client: PoolClient, table: T, rows: readonly RowOf<T>[]): Promise<void> {
  if (rows.length === 0) return;
  const { sql, values } = unnestSelect(table, rows);
  await client.query(`INSERT INTO ${table.name} (${columnList(table)}) ${sql} ON CONFLICT (${table.primaryKey.join(', ')}) DO NOTHING`, values);
}

/** A till sale's row, or its void: whichever comes first, the other fills in what it knows. */
async function upsertTillSales(client: PoolClient, rows: WarehouseRowBatch['tillSales']): Promise<void> {
  if (rows.length === 0) return;
  // One statement cannot touch a key twice: a sale and its void in one batch become one row.
  const merged = new Map<string, (typeof rows)[number]>();
  for (const row of rows) {
    const known = merged.get(row.event_id);
    merged.set(row.event_id, known ? { event_id: row.event_id, kind: known.kind ?? row.kind, match_key: known.match_key ?? row.match_key, voided_by: known.voided_by ?? row.voided_by, voided_at: known.voided_at ?? row.voided_at } : row);
  }
  const { sql, values } = unnestSelect(tillSales, [...merged.values()]);
  const fill = loadedColumns(tillSales).filter((column) => column.name !== 'event_id').map((column) => `${column.name} = COALESCE(${tillSales.name}.${column.name}, EXCLUDED.${column.name})`);
  await client.query(`INSERT INTO ${tillSales.name} (${columnList(tillSales)}) ${sql} ON CONFLICT (event_id) DO UPDATE SET ${fill.join(', ')}`, values);
}

/** Each file's head account replaces the one `ingest_files` showed, whatever its version. */
async function upsertCurrentAccounts(client: PoolClient, rows: readonly IngestFilesRow[]): Promise<void> {
  // Never empty: a head moves only to a version whose account the batch holds.
  // Only head accounts come here, so the head's account replaces whatever is shown,
  // a later version's included (the head moves back when a newer version is refused).
  const { sql, values } = unnestSelect(ingestFiles, rows);
  const updates = loadedColumns(ingestFiles).filter((column) => column.name !== 'file').map((column) => `${column.name} = EXCLUDED.${column.name}`);
  await client.query(
    `INSERT INTO ${ingestFiles.name} (${columnList(ingestFiles)}) ${sql}
     ON CONFLICT (file) DO UPDATE SET ${updates.join(', ')}`,
    values,
  );
}

/** The batch's account of each file's head, if the batch holds it. */
function latestPerFile(rows: readonly IngestFilesRow[], heads: ReadonlyMap<string, string>): IngestFilesRow[] {
  return rows.filter((row) => row.version === heads.get(row.file)).filter((row, index, all) => all.findIndex((other) => other.file === row.file) === index);
}
