import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WarehouseTables } from '../../contracts/index.js';
import { fileKey } from '../../infra/local/stack/ingest-paths.js';
import { computeStats, standardFiles, type IndependentStats } from '../helpers/independent-stats.js';
import { CORPUS_OTHER, CORPUS_REAL, SAMPLE_REAL, SAMPLE_VARIANTS, startTestStack, type TestStack } from '../helpers/local-stack.js';

/** The samples in the repository, and the larger shared corpus where it is beside it. */
const STANDARD_DIRS = [SAMPLE_REAL, ...(CORPUS_REAL ? [CORPUS_REAL] : [])];
/** samples/standard's own figures, computed by the data set's stats.py (samples/README.md). */
const SAMPLE_ITEMS = 15812;
const SAMPLE_PENCE = 3457120;
const ALL_DIRS = [...STANDARD_DIRS, SAMPLE_VARIANTS, ...(CORPUS_OTHER ? [CORPUS_OTHER] : [])];

/** Every figure a re-run must leave unchanged. */
async function figures(test: TestStack) {
  const { rows } = await test.stack.warehouse.pool.query<{ sales: string; revenue: string; items: string; quarantined: string; files: string }>(`
    SELECT (SELECT count(*) FROM sales) AS sales, (SELECT sum(total_pence) FROM sales) AS revenue,
           (SELECT count(*) FROM sale_items) AS items, (SELECT count(*) FROM quarantine) AS quarantined,
           (SELECT count(*) FROM ingest_files) AS files`);
  return rows[0];
}

describe('End to end: CSV files → kinesalite → consumer → PostgreSQL', () => {
  let test: TestStack;
  let standard: IndependentStats;
  let standardRefs: string[];

  beforeAll(async () => {
    test = await startTestStack();
    const files = standardFiles(...STANDARD_DIRS);
    standard = computeStats(files);
    standardRefs = files.map(fileKey);
    await test.ingest(ALL_DIRS);
  }, 300_000);

  afterAll(() => test?.stop());

  it('loads one sale per standard CSV row, to the penny, with every basket item', async () => {
    const { rows } = await test.stack.warehouse.pool.query<{ sales: string; revenue: string; items: string }>(
      `SELECT count(*) AS sales, sum(total_pence) AS revenue, (SELECT count(*) FROM sale_items i JOIN sales s USING (event_id) WHERE s.source_ref = ANY($1)) AS items
       FROM sales WHERE source_ref = ANY($1)`,
      [standardRefs],
    );
    expect(rows[0]).toEqual({ sales: String(standard.rows), revenue: String(standard.revenuePence), items: String(standard.items) });
    // And the data set's own independent figures: samples/README.md, and corpus/STATS.txt where the corpus is here.
    expect([standard.rows, standard.items, standard.revenuePence]).toEqual(CORPUS_REAL ? [50379, 138550, 30791315] : [5773, SAMPLE_ITEMS, SAMPLE_PENCE]);
  });

  it('agrees per branch with the independent computation', async () => {
    const { rows } = await test.stack.warehouse.pool.query<{ branch: string; sales: string; revenue: string }>(
      'SELECT branch, count(*) AS sales, sum(total_pence) AS revenue FROM sales WHERE source_ref = ANY($1) GROUP BY branch',
      [standardRefs],
    );
    const loaded = new Map(rows.map((row) => [row.branch, { rows: Number(row.sales), revenuePence: Number(row.revenue) }]));
    expect(loaded).toEqual(standard.byBranch);
  });

  it('agrees per product (size, name and flavour, case kept) with the independent computation', async () => {
    const { rows } = await test.stack.warehouse.pool.query<{ product: string; units: string; revenue: string }>(
      `SELECT i.size || ' ' || i.product || COALESCE(' - ' || i.flavour, '') AS product, count(*) AS units, sum(i.price_pence) AS revenue
       FROM sale_items i JOIN sales s USING (event_id) WHERE s.source_ref = ANY($1) GROUP BY 1`,
      [standardRefs],
    );
    expect(new Map(rows.map((row) => [row.product, Number(row.units)]))).toEqual(standard.unitsByProduct);
    expect(new Map(rows.map((row) => [row.product, Number(row.revenue)]))).toEqual(standard.revenueByProduct);
  });

  it('loads every layout variant and counts a re-exported file once', async () => {
    const { rows } = await test.stack.warehouse.pool.query<{ file: string; layout: string; rows_read: number; events_published: number; status: string }>(
      "SELECT file, layout, rows_read, events_published, status FROM ingest_files WHERE file LIKE '%variants/%' OR file LIKE '%other/%' ORDER BY file",
    );
    expect(rows.every((row) => row.status === 'loaded' && row.rows_read === row.events_published)).toBe(true);
    expect(rows.map((row) => row.layout)).toEqual(expect.arrayContaining(['legacy-2021', 'gen-2020']));
    const total = await figures(test);
    // The standard rows + the distinct variant days (Chesterfield 25/08: 268, Leeds 2025: 382,
    // Leeds 2023: 50, Chesterfield 2022: 8) + the legacy files (540, and 480 in the corpus) + the 2020 export (7).
    expect(Number(total?.sales)).toBe(standard.rows + 268 + 382 + 50 + 8 + 540 + 7 + (CORPUS_OTHER ? 480 : 0));
  });

  it('leaves every figure unchanged when the same files are ingested again', async () => {
    const before = await figures(test);
    await test.ingest([SAMPLE_REAL, SAMPLE_VARIANTS]);
    expect(await figures(test)).toEqual(before);
  }, 120_000);

  it('keeps no customer name or card number anywhere in the warehouse', async () => {
    const tables = Object.values(WarehouseTables).map((table) => table.name);
    let dump = '';
    for (const table of tables) {
      const { rows } = await test.stack.warehouse.pool.query(`SELECT * FROM ${table}`);
      dump += JSON.stringify(rows);
    }
    const words = new Set(dump.split(/[^A-Za-z0-9]+/));
    // Report which inputs leaked, never the dump itself.
    const leakedCards = [...standard.cards].filter((card) => words.has(card));
    const leakedNames = [...standard.names].filter((name) => name.split(/\s+/).every((part) => words.has(part)) && dump.includes(name));
    const cardLike = dump.match(/(?<![0-9a-f])\d{13,19}(?![0-9a-f])/g) ?? [];
    expect(leakedCards).toEqual([]);
    expect(leakedNames).toEqual([]);
    expect(cardLike).toEqual([]);
  });

  it('quarantines bad rows with file, line and reason, and loads the good rows around them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'supercafe-bad-'));
    const file = join(dir, 'bad-rows.csv');
    await writeFile(
      file,
      [
        '01/10/2021 09:00,Testville,Zed Secretname,Large Latte - 2.45,2.45,CARD,4000123412341234',
        '01/10/2021 09:01,Testville,Zed Secretname,Large Latte - 2.45,2.45',
        '32/13/2021 09:02,Testville,Zed Secretname,Large Latte - 2.45,2.45,CASH,',
        '01/10/2021 09:03,Testville,Zed Secretname,Large Latte - 2.45,two,CASH,',
        '01/10/2021 09:04,Testville,Zed Secretname,Large Latte - 2.45,2.45,VOUCHER,',
        '01/10/2021 09:05,Testville,Zed Secretname,,0.00,CASH,',
        '01/10/2021 09:06,Testville,Zed Secretname,Regular Tea - 1.50,1.50,CASH,',
        '',
      ].join('\n'),
    );
    const run = await test.ingest([file]);
    expect(run.summaries[0]).toMatchObject({ rowsRead: 7, eventsPublished: 2, rowsRejected: 5 });
    const { rows } = await test.stack.warehouse.pool.query('SELECT line, reason, field FROM quarantine WHERE source_ref = $1 ORDER BY line', [fileKey(file)]);
    expect(rows).toEqual([
      { line: 2, reason: 'column_count', field: null },
      { line: 3, reason: 'date_impossible', field: 'timestamp' },
      { line: 4, reason: 'total_invalid', field: 'total' },
      { line: 5, reason: 'payment_unknown', field: 'paymentMethod' },
      { line: 6, reason: 'basket_empty', field: 'items' },
    ]);
    const sales = await test.stack.warehouse.pool.query("SELECT count(*)::int AS n FROM sales WHERE branch = 'Testville'");
    expect(sales.rows[0]).toEqual({ n: 2 });
    const account = await test.stack.warehouse.pool.query('SELECT rows_read, events_published, rows_rejected FROM ingest_files WHERE file = $1', [fileKey(file)]);
    expect(account.rows[0]).toEqual({ rows_read: 7, events_published: 2, rows_rejected: 5 });
  });
});
