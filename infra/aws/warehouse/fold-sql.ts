import { SaleKind, WarehouseTables, type ColumnDefinition, type IngestFilesRow } from '../../../contracts/index.js';
import { columnList, columnsOf, insertNewRows, stagingTableName } from './staging.js';

/**
 * The fold of docs/corrections.md as the Redshift loader runs it: set-based
 * statements over what one load run staged, run in the run's transaction between
 * the COPYs and the emptying of staging. The rules are the PostgreSQL sink's
 * (`consumers/sales-transform/adapters/postgres-sink.ts`); the SQL is plain enough
 * to run on PostgreSQL too (no ON CONFLICT, no FILTER, no MERGE, no correlated
 * subquery beyond a one-level NOT EXISTS, window functions only in SELECTs,
 * derived tables in DELETE … USING and UPDATE … FROM only as a leading WITH, the
 * form Redshift's DELETE and UPDATE take), and the tests run it there against the
 * local sink.
 *
 * One thing differs from a consumer batch: Firehose delivers each table's rows
 * through its own stream, so a sale's `sales`, `sale_items`, `sale_sources` and
 * `till_sales` rows, and a version's account, may reach the warehouse one run
 * apart, in any order. So the decision for each sale is a function of the fold's
 * own tables, taken whenever any of its rows arrives (`fold_verdicts`):
 *
 * - a sale some void names (`till_sales.voided_by`) does not count;
 * - a file row counts while a current version of some file holds it; among the
 *   file rows current versions hold with one match key, when till sales have
 *   that key, the lowest `max(0, F − T)` event ids count (the till sales count
 *   the others);
 * - a sale the fold knows nothing of yet (its `sale_sources` row is still in
 *   Firehose) counts until it does.
 *
 * A staged `sales` or `sale_items` row joins its table only when its sale counts;
 * a sale already there whose verdict this run changed (a void, a version that
 * superseded its own, a till sale with its match key) leaves, with its lines. The
 * superseded version's `sale_sources` rows are kept until the file's next
 * correction (the PostgreSQL sink prunes them at once): a sales row of theirs that
 * Firehose delivers after the correction is still known as superseded.
 */

const { sales, saleItems, ingestFiles, saleSources, tillSales, fileVersions } = WarehouseTables;

const fv = columnsOf(fileVersions);
const ss = columnsOf(saleSources);
const ts = columnsOf(tillSales);
const inf = columnsOf(ingestFiles);
const sa = columnsOf(sales);
const si = columnsOf(saleItems);

/** The temporary tables of one run (dropped at its end; Redshift gives PUBLIC the TEMP privilege by default). */
export const FoldTable = {
  /** The files whose head (current version) this run moves: `file`, `head`, `previous` (NULL for a file's first). */
  Heads: 'fold_heads',
  /** The sales whose verdict this run takes: `event_id`, `counted` (1 or 0). */
  Verdicts: 'fold_verdicts',
} as const;

const LOADED: IngestFilesRow['status'] = 'loaded';

/** A file's head over rows of `file_versions`' shape: its greatest loaded version, else its greatest. */
const headExpression = (alias = '') => {
  const at = alias ? `${alias}.` : '';
  return `COALESCE(MAX(CASE WHEN ${at}${fv.status} = '${LOADED}' THEN ${at}${fv.version} END), MAX(${at}${fv.version}))`;
};

/** Every file's head, as a derived table (`file`, `version`). */
const headsOfAllFiles = `SELECT ${fv.file}, ${headExpression()} AS ${fv.version} FROM ${fileVersions.name} GROUP BY ${fv.file}`;

/** A `sale_sources` row (alias `m`, heads `h`) of a current version: its file's head or newer, or a file with no account yet. */
const isCurrentSource = `(h.${fv.version} IS NULL OR m.${ss.version} >= h.${fv.version})`;

/**
 * Before `file_versions` takes this run's accounts: the files whose head moves,
 * with the new head and the one before it.
 */
export function foldHeadsStatement(): string {
  const staged = stagingTableName(fileVersions);
  const filesStaged = `${fv.file} IN (SELECT ${fv.file} FROM ${staged})`;
  return [
    `CREATE TEMP TABLE ${FoldTable.Heads} AS`,
    `SELECT n.${fv.file}, n.${fv.version} AS head, o.${fv.version} AS previous`,
    `FROM (SELECT v.${fv.file}, ${headExpression('v')} AS ${fv.version} FROM (`,
    `        SELECT ${fv.file}, ${fv.version}, ${fv.status} FROM ${fileVersions.name} WHERE ${filesStaged}`,
    `        UNION ALL SELECT ${fv.file}, ${fv.version}, ${fv.status} FROM ${staged}) v GROUP BY v.${fv.file}) n`,
    `LEFT JOIN (SELECT ${fv.file}, ${headExpression()} AS ${fv.version} FROM ${fileVersions.name} WHERE ${filesStaged} GROUP BY ${fv.file}) o ON o.${fv.file} = n.${fv.file}`,
    `WHERE o.${fv.version} IS NULL OR o.${fv.version} <> n.${fv.version};`,
  ].join('\n');
}

/** `is_current` follows the head of every file whose head moved. */
export function currentVersionStatement(): string {
  return `UPDATE ${fileVersions.name} SET ${fv.is_current} = CASE WHEN ${fv.version} = h.head THEN 1 ELSE 0 END FROM ${FoldTable.Heads} h WHERE ${fileVersions.name}.${fv.file} = h.${fv.file};`;
}

/**
 * `ingest_files` shows each file's head account: replaced when the head moves.
 * Accounts of files read before versions existed (no `file_versions` row, NULL
 * `version`, replayed from old clean rows) keep the old rule: the latest run wins.
 */
export function ingestFilesStatements(): string[] {
  const staged = stagingTableName(ingestFiles);
  return [
    [
      `WITH r AS (`,
      `  SELECT ${inf.file}, CAST(NULL AS TIMESTAMPTZ) AS ${inf.finished_at} FROM ${FoldTable.Heads}`,
      `  UNION ALL SELECT ${inf.file}, MAX(${inf.finished_at}) FROM ${staged} WHERE ${inf.version} IS NULL GROUP BY ${inf.file})`,
      `DELETE FROM ${ingestFiles.name} USING r WHERE ${ingestFiles.name}.${inf.file} = r.${inf.file}`,
      `  AND (r.${inf.finished_at} IS NULL OR (${ingestFiles.name}.${inf.version} IS NULL AND r.${inf.finished_at} >= ${ingestFiles.name}.${inf.finished_at}));`,
    ].join('\n'),
    [
      `INSERT INTO ${ingestFiles.name} (${columnList(ingestFiles)})`,
      `SELECT ${columnList(ingestFiles, 'v')} FROM ${fileVersions.name} v JOIN ${FoldTable.Heads} h ON h.${fv.file} = v.${fv.file} AND h.head = v.${fv.version}`,
      `UNION ALL`,
      `SELECT ${columnList(ingestFiles, 'staged')} FROM (`,
      `  SELECT s.*, ROW_NUMBER() OVER (PARTITION BY s.${inf.file} ORDER BY s.${inf.finished_at} DESC) AS dedup_rank FROM ${staged} s WHERE s.${inf.version} IS NULL`,
      `) staged`,
      `WHERE staged.dedup_rank = 1`,
      `  AND NOT EXISTS (SELECT 1 FROM ${ingestFiles.name} t WHERE t.${inf.file} = staged.${inf.file})`,
      `  AND staged.${inf.file} NOT IN (SELECT ${fv.file} FROM ${fileVersions.name});`,
    ].join('\n'),
  ];
}

/**
 * `till_sales` fills in: a till sale and its void arrive in either order, and
 * each column keeps the first value known (the row already there, else the staged
 * ones: a sale's kind and key, a void's id and instant).
 */
export function tillSalesStatements(): string[] {
  const staged = stagingTableName(tillSales);
  const key = ts.event_id;
  const keyColumns: readonly string[] = tillSales.primaryKey;
  const fills: readonly ColumnDefinition[] = tillSales.columns.filter((column) => !keyColumns.includes(column.name));
  if (fills.some((column) => !column.nullable)) throw new Error(`${tillSales.name}: every column but the key fills in later, so each must be nullable`);
  const aggregated = `SELECT ${key}, ${fills.map((column) => `MAX(${column.name}) AS fill_${column.name}`).join(', ')} FROM ${staged} GROUP BY ${key}`;
  return [
    `WITH s AS (${aggregated}) UPDATE ${tillSales.name} SET ${fills.map((column) => `${column.name} = COALESCE(${column.name}, s.fill_${column.name})`).join(', ')} FROM s WHERE ${tillSales.name}.${key} = s.${key};`,
    `INSERT INTO ${tillSales.name} (${columnList(tillSales)}) SELECT ${key}, ${fills.map((column) => `fill_${column.name}`).join(', ')} FROM (${aggregated}) s WHERE s.${key} NOT IN (SELECT ${key} FROM ${tillSales.name});`,
  ];
}

/**
 * The verdict on every sale this run may change: the sales and lines it staged,
 * the till sales and voids it staged, and every file row sharing a match key with
 * a membership it staged, a till sale it staged, or a file whose head it moved.
 */
export function verdictStatement(): string {
  const stagedSources = stagingTableName(saleSources);
  const stagedTills = stagingTableName(tillSales);
  return [
    `CREATE TEMP TABLE ${FoldTable.Verdicts} AS`,
    `WITH heads AS (${headsOfAllFiles}),`,
    `touched_keys AS (`,
    `  SELECT ${ss.match_key} FROM ${stagedSources}`,
    `  UNION SELECT ${ts.match_key} FROM ${stagedTills} WHERE ${ts.match_key} IS NOT NULL`,
    `  UNION SELECT m.${ss.match_key} FROM ${saleSources.name} m JOIN ${FoldTable.Heads} a ON a.${fv.file} = m.${ss.file}),`,
    `candidates AS (`,
    `  SELECT ${sa.event_id} FROM ${stagingTableName(sales)}`,
    `  UNION SELECT ${si.event_id} FROM ${stagingTableName(saleItems)}`,
    `  UNION SELECT ${ts.event_id} FROM ${stagedTills}`,
    `  UNION SELECT m.${ss.event_id} FROM ${saleSources.name} m JOIN touched_keys k ON k.${ss.match_key} = m.${ss.match_key}),`,
    `known AS (SELECT DISTINCT m.${ss.event_id}, m.${ss.match_key} FROM ${saleSources.name} m JOIN candidates c ON c.${sa.event_id} = m.${ss.event_id}),`,
    `members AS (`,
    `  SELECT DISTINCT m.${ss.match_key}, m.${ss.event_id} FROM ${saleSources.name} m LEFT JOIN heads h ON h.${fv.file} = m.${ss.file}`,
    `  WHERE ${isCurrentSource} AND m.${ss.match_key} IN (SELECT ${ss.match_key} FROM known)),`,
    `ranked AS (`,
    `  SELECT ${ss.match_key}, ${ss.event_id}, ROW_NUMBER() OVER (PARTITION BY ${ss.match_key} ORDER BY ${ss.event_id}) AS file_rank, COUNT(*) OVER (PARTITION BY ${ss.match_key}) AS file_rows FROM members),`,
    `tills AS (`,
    `  SELECT ${ts.match_key}, COUNT(*) AS till_rows FROM ${tillSales.name} WHERE ${ts.kind} = '${SaleKind.Sale}' AND ${ts.match_key} IN (SELECT ${ss.match_key} FROM members) GROUP BY ${ts.match_key})`,
    `SELECT c.${sa.event_id}, CASE`,
    `    WHEN t.${ts.voided_by} IS NOT NULL THEN 0`,
    `    WHEN f.${ss.event_id} IS NULL THEN 1`,
    `    WHEN r.${ss.event_id} IS NULL THEN 0`,
    `    WHEN k.till_rows IS NULL THEN 1`,
    `    WHEN r.file_rank <= r.file_rows - k.till_rows THEN 1`,
    `    ELSE 0 END AS counted`,
    `FROM candidates c`,
    `LEFT JOIN ${tillSales.name} t ON t.${ts.event_id} = c.${sa.event_id}`,
    `LEFT JOIN (SELECT DISTINCT ${ss.event_id} FROM known) f ON f.${ss.event_id} = c.${sa.event_id}`,
    `LEFT JOIN ranked r ON r.${ss.event_id} = c.${sa.event_id}`,
    `LEFT JOIN tills k ON k.${ts.match_key} = r.${ss.match_key};`,
  ].join('\n');
}

const counted = (flag: 0 | 1, alias: string) => `${alias}.${sa.event_id} IN (SELECT ${sa.event_id} FROM ${FoldTable.Verdicts} WHERE counted = ${flag})`;

/** Staged sales and their lines join their tables when their sale counts (first wins, as before the fold); `stamp` as in `insertNewRows`. */
export function countedInserts(stamp: string | null): string[] {
  return [insertNewRows(sales, `s.${sa.loaded_at}`, stamp, counted(1, 'staged')), insertNewRows(saleItems, `s.${si.line_no}`, stamp, counted(1, 'staged'))];
}

/** Sales this run's verdicts say no longer count leave, lines first. */
export function removals(): string[] {
  return [saleItems, sales].map((table) => `DELETE FROM ${table.name} WHERE ${counted(0, table.name)};`);
}

/**
 * A file whose head moved keeps the memberships of its new head, anything newer,
 * and the head before (one correction of grace for rows still in Firehose); older
 * ones go. `all` prunes every file down to its head (a rebuild: nothing is late).
 */
export function pruneStatement(options: { readonly all?: boolean } = {}): string {
  if (options.all) {
    return `WITH h AS (${headsOfAllFiles}) DELETE FROM ${saleSources.name} USING h WHERE ${saleSources.name}.${ss.file} = h.${fv.file} AND ${saleSources.name}.${ss.version} < h.${fv.version};`;
  }
  // A file's first head prunes nothing (nothing stood before it; LEAST would ignore the NULL). LEAST: a head can
  // move back (a refused newer version, then a loaded older one), and the new head's rows stay.
  return `DELETE FROM ${saleSources.name} USING ${FoldTable.Heads} h WHERE ${saleSources.name}.${ss.file} = h.${fv.file} AND h.previous IS NOT NULL AND ${saleSources.name}.${ss.version} < LEAST(h.previous, h.head);`;
}

/** The run's temporary tables go (a session that runs two loads must not find the first's). */
export function dropFoldTables(): string[] {
  return [FoldTable.Verdicts, FoldTable.Heads].map((name) => `DROP TABLE ${name};`);
}

/**
 * What the fold's own statements write beyond each table's merge policy (the
 * loader's grants add these): `is_current` on the accounts, pruned memberships.
 */
export const FOLD_WRITES: { readonly [K in keyof typeof WarehouseTables]?: readonly ('DELETE' | 'UPDATE')[] } = {
  fileVersions: ['UPDATE'],
  saleSources: ['DELETE'],
};
