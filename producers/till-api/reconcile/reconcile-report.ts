/**
 * The reconciliation of one branch-day (`supercafe reconcile`): the till's live
 * sales against the branch's nightly file, from what the warehouse's fold holds
 * (docs/corrections.md). A file row and a till sale are one sale when their match
 * keys agree; the fold counts each once, and this report says what it matched and
 * what is only in the file or only on the till. Never who: no customer key, name or
 * card appears.
 *
 * The queries are plain SQL that PostgreSQL and Redshift both run, with named
 * parameters (`:branch`, `:date`) as the Redshift Data API takes them; a
 * `ReportQueryRunner` runs them: a pg pool locally (`postgresReportRunner`), the
 * Data API in AWS.
 */

/** Runs one report query with named parameters and returns its rows. */
export interface ReportQueryRunner {
  query<T extends Record<string, unknown>>(sql: string, parameters: Readonly<Record<string, string>>): Promise<T[]>;
}

/** A sale as the report shows it: when, how much, how paid, how many items; never who. */
export interface ReportedSale {
  readonly eventId: string;
  readonly soldAt: string;
  readonly totalPence: number;
  readonly paymentMethod: string;
  readonly itemCount: number;
}

/** The current version's account of a file of the branch-day. */
export interface ReportedFile {
  readonly file: string;
  readonly version: string | null;
  readonly rowsRead: number;
  readonly rowsRejected: number;
  readonly eventsPublished: number;
}

export type ReconciliationStatus = 'no_live_sales' | 'no_file' | 'reconciled' | 'differences';

export interface ReconciliationReport {
  readonly branch: string;
  readonly businessDate: string;
  readonly status: ReconciliationStatus;
  /** Till sales counted (not voided). */
  readonly live: { readonly sales: number; readonly pence: number };
  readonly refunds: { readonly count: number; readonly pence: number };
  readonly files: readonly ReportedFile[];
  /** Rows the files' current versions hold; of them, matched to a till sale (counted once, as the till's) and counted from the file. */
  readonly fileRows: { readonly held: number; readonly matched: number; readonly counted: number };
  /** File rows no till sale matched: the till missed them or was offline; counted from the file. */
  readonly fileOnly: { readonly sales: number; readonly pence: number; readonly examples: readonly ReportedSale[] };
  /** Till sales no file row matched: the file lacks them, or is not in yet. */
  readonly liveOnly: { readonly sales: number; readonly pence: number; readonly examples: readonly ReportedSale[] };
  /** What the warehouse counts for the branch-day: sales (refunds are not sales) and net revenue. */
  readonly counted: { readonly sales: number; readonly pence: number };
}

const EXAMPLES = 20;

/** The branch as the fold keeps it, compared case-insensitively. */
const BRANCH_DAY = 'LOWER(s.branch) = LOWER(:branch) AND s.business_date = CAST(:date AS DATE)';

/** The rows the branch-day's files' current versions hold, with their match keys. */
const HELD_ROWS = `
  SELECT DISTINCT m.event_id, m.match_key
  FROM sale_sources m
  JOIN file_versions v ON v.file = m.file AND v.is_current = 1
  WHERE LOWER(v.branch) = LOWER(:branch) AND v.business_date = CAST(:date AS DATE) AND m.version >= v.version`;

/** Every query of the report, by name; each returns plain columns (counts as integers, money in pence). */
export const RECONCILE_SQL = {
  live: `SELECT COUNT(*) AS sales, COALESCE(SUM(s.total_pence), 0) AS pence FROM sales s
         WHERE ${BRANCH_DAY} AND s.source = 'till' AND COALESCE(s.kind, 'sale') = 'sale'`,
  refunds: `SELECT COUNT(*) AS count, COALESCE(SUM(s.total_pence), 0) AS pence FROM sales s
            WHERE ${BRANCH_DAY} AND s.kind = 'refund'`,
  counted: `SELECT COUNT(CASE WHEN COALESCE(s.kind, 'sale') = 'sale' THEN 1 END) AS sales, COALESCE(SUM(s.total_pence), 0) AS pence FROM sales s
            WHERE ${BRANCH_DAY}`,
  files: `SELECT file, version, rows_read, rows_rejected, events_published FROM ingest_files
          WHERE LOWER(branch) = LOWER(:branch) AND business_date = CAST(:date AS DATE) AND status = 'loaded' ORDER BY file`,
  fileRows: `SELECT COUNT(*) AS held,
                    COUNT(CASE WHEN s.event_id IS NOT NULL THEN 1 END) AS counted
             FROM (${HELD_ROWS}) h LEFT JOIN sales s ON s.event_id = h.event_id`,
  fileOnly: `SELECT s.event_id, s.sold_at, s.total_pence, s.payment_method, s.item_count
             FROM (${HELD_ROWS}) h JOIN sales s ON s.event_id = h.event_id
             WHERE NOT EXISTS (SELECT 1 FROM till_sales t WHERE t.match_key = h.match_key AND t.kind = 'sale')
             ORDER BY s.sold_at, s.event_id`,
  liveOnly: `SELECT s.event_id, s.sold_at, s.total_pence, s.payment_method, s.item_count
             FROM sales s JOIN till_sales t ON t.event_id = s.event_id
             WHERE ${BRANCH_DAY} AND s.source = 'till' AND COALESCE(s.kind, 'sale') = 'sale'
               AND NOT EXISTS (SELECT 1 FROM (${HELD_ROWS}) h WHERE h.match_key = t.match_key)
             ORDER BY s.sold_at, s.event_id`,
} as const;

type Row = Record<string, unknown>;
const int = (value: unknown) => Number(value ?? 0);
const first = (rows: readonly Row[]) => rows[0] ?? {};
const sale = (row: Row): ReportedSale => ({
  eventId: String(row.event_id),
  soldAt: new Date(String(row.sold_at instanceof Date ? row.sold_at.toISOString() : row.sold_at)).toISOString(),
  totalPence: int(row.total_pence),
  paymentMethod: String(row.payment_method),
  itemCount: int(row.item_count),
});
const total = (sales: readonly ReportedSale[]) => sales.reduce((sum, entry) => sum + entry.totalPence, 0);

/**
 * Builds the report of one branch-day. `branch` is matched case-insensitively;
 * `businessDate` is the London trading day (YYYY-MM-DD).
 */
export async function reconcileBranchDay(runner: ReportQueryRunner, options: { branch: string; businessDate: string }): Promise<ReconciliationReport> {
  const parameters = { branch: options.branch.trim().replace(/\s+/g, ' '), date: options.businessDate };
  const run = (sql: string) => runner.query<Row>(sql, parameters);
  const [live, refunds, counted, files, fileRows, fileOnlyRows, liveOnlyRows] = await Promise.all([
    run(RECONCILE_SQL.live),
    run(RECONCILE_SQL.refunds),
    run(RECONCILE_SQL.counted),
    run(RECONCILE_SQL.files),
    run(RECONCILE_SQL.fileRows),
    run(RECONCILE_SQL.fileOnly),
    run(RECONCILE_SQL.liveOnly),
  ]);
  const fileOnly = fileOnlyRows.map(sale);
  const liveOnly = liveOnlyRows.map(sale);
  const held = int(first(fileRows).held);
  const countedFromFile = int(first(fileRows).counted);
  const liveSales = int(first(live).sales);
  const status: ReconciliationStatus =
    liveSales === 0 ? 'no_live_sales' : files.length === 0 ? 'no_file' : fileOnly.length + liveOnly.length === 0 ? 'reconciled' : 'differences';
  return {
    branch: options.branch,
    businessDate: options.businessDate,
    status,
    live: { sales: liveSales, pence: int(first(live).pence) },
    refunds: { count: int(first(refunds).count), pence: int(first(refunds).pence) },
    files: files.map((row) => ({
      file: String(row.file),
      version: row.version === null || row.version === undefined ? null : String(row.version),
      rowsRead: int(row.rows_read),
      rowsRejected: int(row.rows_rejected),
      eventsPublished: int(row.events_published),
    })),
    fileRows: { held, matched: held - countedFromFile, counted: countedFromFile },
    fileOnly: { sales: fileOnly.length, pence: total(fileOnly), examples: fileOnly.slice(0, EXAMPLES) },
    liveOnly: { sales: liveOnly.length, pence: total(liveOnly), examples: liveOnly.slice(0, EXAMPLES) },
    counted: { sales: int(first(counted).sales), pence: int(first(counted).pence) },
  };
}

const pounds = (value: number) => `£${(value / 100).toFixed(2)}`;

/** The report as the CLI prints it. */
export function formatReconciliation(report: ReconciliationReport): string {
  const lines = [
    `${report.branch} ${report.businessDate}: ${report.status}`,
    `  live (till) sales      ${report.live.sales}  ${pounds(report.live.pence)}`,
    ...report.files.map((file) => `  file ${file.file} (version ${file.version ?? 'before versions'}): ${file.rowsRead} rows, ${file.eventsPublished} published, ${file.rowsRejected} rejected`),
    `  file rows              ${report.fileRows.held} held, ${report.fileRows.matched} matched to a till sale, ${report.fileRows.counted} counted from the file`,
    `  file only (counted)    ${report.fileOnly.sales}  ${pounds(report.fileOnly.pence)}`,
    `  live only              ${report.liveOnly.sales}  ${pounds(report.liveOnly.pence)}`,
    `  refunds                ${report.refunds.count}  ${pounds(report.refunds.pence)}`,
    `  counted                ${report.counted.sales} sales, ${pounds(report.counted.pence)} net`,
  ];
  for (const example of report.fileOnly.examples.slice(0, 5)) lines.push(`    file only: ${example.soldAt} ${pounds(example.totalPence)} ${example.paymentMethod} ${example.itemCount} item(s)`);
  for (const example of report.liveOnly.examples.slice(0, 5)) lines.push(`    live only: ${example.soldAt} ${pounds(example.totalPence)} ${example.paymentMethod} ${example.itemCount} item(s)`);
  return lines.join('\n');
}

/** A ReportQueryRunner on a pg pool: named parameters become positional ones. */
export function postgresReportRunner(pool: { query(sql: string, values: unknown[]): Promise<{ rows: unknown[] }> }): ReportQueryRunner {
  return {
    async query<T extends Record<string, unknown>>(sql: string, parameters: Readonly<Record<string, string>>) {
      const names: string[] = [];
      const text = sql.replace(/:([a-z]+)\b/g, (_, name: string) => {
        if (!names.includes(name)) names.push(name);
        return `$${names.indexOf(name) + 1}`;
      });
      const { rows } = await pool.query(text, names.map((name) => parameters[name]));
      return rows as T[];
    },
  };
}
