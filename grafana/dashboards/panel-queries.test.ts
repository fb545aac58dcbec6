import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, SAMPLE_REAL, SAMPLE_VARIANTS, type TestStack } from '../../test/helpers/local-stack.js';
import { TOP_PRODUCTS } from '../panels/products.js';
import { WEEKDAYS } from '../panels/busiest-times.js';
import { readSampleSales, type SampleFile, type SampleSale } from '../testing/sample-sales.js';
import { loadDashboards, type LoadedDashboard } from '../viewer/dashboard-model.js';
import { ALL, panelFrame, resolveVariables } from '../viewer/panel-data.js';
import type { Frame } from '../viewer/run-query.js';
import type { TimeRange } from '../viewer/time-range.js';

/**
 * Every SQL panel of both generated dashboards (the committed local JSON, as
 * Grafana and the viewer read it), run against a real PostgreSQL warehouse
 * loaded through the pipeline with ../shared/data, and checked against figures
 * computed here from the CSV files with grafana/testing/sample-sales.ts.
 */

// Rows with known faults, so rejects have something to show. Names left empty: no personal data, even made up.
const BAD_ROWS = [
  '25/08/2021 10:00,Testbury,,Regular Latte - 2.15,2.15,CASH,',
  '25/08/2021 10:01,Testbury,,Regular Latte - 2.15,2.15,CASH',
  '25/08/2021 10:03,Testbury,,Regular Latte - 2.15,9.99,CASH,',
  '25/08/2021 10:04,Testbury,,Regular Latte - 2.15,2.15,CHEQUE,',
  '25/08/2021 10:05,Testbury,,"Large Latte - 2.45, Regular Mocha - 2.30",4.75,CASH,',
].join('\n');

const ALL_TIME: TimeRange = { from: new Date(Date.now() - 10 * 365 * 86_400_000), to: new Date() };
const LATE_SUMMER_2021: TimeRange = { from: new Date('2021-08-27T00:00:00Z'), to: new Date('2021-09-03T00:00:00Z') };

let testStack: TestStack;
let scratch: string;
let dashboards: Map<string, LoadedDashboard>;
let files: SampleFile[];
let sales: SampleSale[];
let startedAt: number;

const sum = <T>(list: readonly T[], value: (item: T) => number) => list.reduce((total, item) => total + value(item), 0);
const inRange = (range: TimeRange, branches?: readonly string[]) => (sale: SampleSale) =>
  sale.instantMs >= range.from.getTime() && sale.instantMs <= range.to.getTime() && (!branches || branches.includes(sale.branch));

/** Runs a panel, found by title, exactly as the viewer would: committed SQL, Grafana macro expansion, bound variables. */
async function runPanel(uid: string, title: string, range: TimeRange, branch: readonly string[] = [ALL]): Promise<Record<string, number | string | null>[]> {
  const dashboard = dashboards.get(uid);
  const panel = dashboard?.view.panels.find((candidate) => candidate.title === title);
  if (!dashboard || !panel) throw new Error(`no panel "${title}" in ${uid}`);
  const pool = testStack.stack.warehouse.pool;
  const variables = await resolveVariables(pool, dashboard, { branch });
  const frame = (await panelFrame(pool, dashboard, panel.id, range, variables)) as Frame;
  return frame.rows.map((row) => Object.fromEntries(frame.fields.map((field, index) => [field.name, row[index] ?? null])));
}

const countBy = <T>(list: readonly T[], key: (item: T) => string, value: (item: T) => number = () => 1) => {
  const totals = new Map<string, number>();
  for (const item of list) totals.set(key(item), (totals.get(key(item)) ?? 0) + value(item));
  return totals;
};

beforeAll(async () => {
  startedAt = Date.now();
  scratch = await mkdtemp(join(tmpdir(), 'supercafe-panels-'));
  const badFile = join(scratch, 'testbury_2021-08-25.csv');
  await writeFile(badFile, `${BAD_ROWS}\n`);
  testStack = await startTestStack();
  // Real files first, then the variants (copies of real days, re-saved): the first copy of a sale is the one kept.
  await testStack.ingest([SAMPLE_REAL, SAMPLE_VARIANTS]);
  await testStack.ingest([badFile]);
  await testStack.stack.metrics.flush();
  ({ files, sales } = await readSampleSales([SAMPLE_REAL, SAMPLE_VARIANTS, badFile]));
  dashboards = new Map((await loadDashboards(join(import.meta.dirname, 'local'))).map((dashboard) => [dashboard.view.uid, dashboard]));
}, 120_000);

afterAll(async () => {
  await testStack?.stop();
  await rm(scratch, { recursive: true, force: true });
});

describe('Dashboard: sales overview (local warehouse)', () => {
  const uid = 'supercafe-sales-overview';

  it('covers every SQL panel of both dashboards with a check below', () => {
    // Assess: a panel added without a check here fails this test.
    const checked = new Set([
      'Revenue', 'Sales', 'Average basket value', 'Average basket size', 'Last sale received', 'Revenue over time',
      'New vs returning customers per day', 'Revenue and sales by branch', 'Busiest days and hours (UK time)',
      'Top products by units', 'Top products by revenue', 'Payment method mix', 'Events per minute', 'Rejects by reason',
      'End-to-end lag', 'Consumer failures', 'Quarantined events', 'Files ingested',
    ]);
    const titles = [...dashboards.values()].flatMap((dashboard) => dashboard.view.panels.filter((panel) => dashboard.panelSql.has(panel.id)).map((panel) => panel.title));
    expect(new Set(titles)).toEqual(checked);
  });

  it('lists every branch that sold anything in the branch variable', async () => {
    // Act
    const resolved = await resolveVariables(testStack.stack.warehouse.pool, dashboards.get(uid)!, { branch: [ALL] });
    // Assess
    expect(new Set(resolved.branch)).toEqual(new Set(sales.map((sale) => sale.branch)));
  });

  describe.each([
    ['all branches, all time', ALL_TIME, undefined],
    ['Leeds and London Soho, late summer 2021', LATE_SUMMER_2021, ['Leeds', 'London Soho']],
  ] as const)('%s', (_name, range, branches) => {
    const selected = () => sales.filter(inRange(range, branches));
    const run = (title: string) => runPanel(uid, title, range, branches ?? [ALL]);

    it('sums revenue, counts sales and averages baskets', async () => {
      // Prepare
      const expected = selected();
      const revenue = sum(expected, (sale) => sale.totalPence) / 100;
      // Act / Assess
      expect(expected.length).toBeGreaterThan(0);
      expect(Number((await run('Revenue'))[0]?.Revenue)).toBeCloseTo(revenue, 2);
      expect(Number((await run('Sales'))[0]?.Sales)).toBe(expected.length);
      expect(Number((await run('Average basket value'))[0]?.['Average basket value'])).toBeCloseTo(revenue / expected.length, 6);
      expect(Number((await run('Average basket size'))[0]?.['Average basket size'])).toBeCloseTo(sum(expected, (sale) => sale.items.length) / expected.length, 6);
    });

    it('reports the latest sale and when it was received', async () => {
      // Act
      const [row] = await run('Last sale received');
      // Assess
      expect(row?.['Latest sale']).toBe(Math.max(...selected().map((sale) => sale.instantMs)));
      expect(Number(row?.Received)).toBeGreaterThanOrEqual(startedAt);
      expect(Number(row?.Received)).toBeLessThanOrEqual(Date.now());
    });

    it('buckets revenue over time by the automatic interval (one day for these ranges)', async () => {
      // Prepare: 10 years or 1 week over 1000 points rounds to a day; the panel's minimum is an hour.
      const bucketMs = range === ALL_TIME ? 86_400_000 : 3_600_000;
      const expected = countBy(selected(), (sale) => String(Math.floor(sale.instantMs / bucketMs) * bucketMs), (sale) => sale.totalPence / 100);
      // Act
      const rows = await run('Revenue over time');
      // Assess
      expect(new Map(rows.map((row) => [String(row.time), Math.round(Number(row.Revenue) * 100) / 100]))).toEqual(
        new Map([...expected].map(([time, revenue]) => [time, Math.round(revenue * 100) / 100])),
      );
    });

    it('splits each day into new and returning customers', async () => {
      // Prepare: first day of each customer over everything loaded, whatever the filters.
      const firstDay = new Map<string, string>();
      for (const sale of [...sales].sort((a, b) => a.localDate.localeCompare(b.localDate))) if (sale.identity && !firstDay.has(sale.identity)) firstDay.set(sale.identity, sale.localDate);
      const days = new Map<string, { newcomers: Set<string>; returning: Set<string> }>();
      for (const sale of selected()) {
        if (!sale.identity) continue;
        const day = days.get(sale.localDate) ?? { newcomers: new Set(), returning: new Set() };
        (firstDay.get(sale.identity) === sale.localDate ? day.newcomers : day.returning).add(sale.identity);
        days.set(sale.localDate, day);
      }
      // Act
      const rows = await run('New vs returning customers per day');
      // Assess
      const actual = new Map(rows.map((row) => [new Date(Number(row.time)).toISOString().slice(0, 10), [Number(row.New), Number(row.Returning)]]));
      expect(actual).toEqual(new Map([...days].map(([day, { newcomers, returning }]) => [day, [newcomers.size, returning.size]])));
    });

    it('totals revenue and sales per branch', async () => {
      // Prepare
      const revenue = countBy(selected(), (sale) => sale.branch, (sale) => sale.totalPence);
      const count = countBy(selected(), (sale) => sale.branch);
      // Act
      const rows = await run('Revenue and sales by branch');
      // Assess
      expect(new Map(rows.map((row) => [String(row.Branch), [Math.round(Number(row.Revenue) * 100), Number(row.Sales)]]))).toEqual(
        new Map([...revenue].map(([branch, pence]) => [branch, [pence, count.get(branch)]])),
      );
      expect(rows.map((row) => Number(row.Revenue))).toEqual([...rows.map((row) => Number(row.Revenue))].sort((a, b) => b - a));
    });

    it('counts sales per UK-local weekday and hour', async () => {
      // Prepare
      const expected = countBy(selected(), (sale) => `${sale.localHour}|${sale.localDow}`);
      // Act
      const rows = await run('Busiest days and hours (UK time)');
      // Assess
      const actual = new Map<string, number>();
      for (const row of rows) for (const [day, dow] of WEEKDAYS) if (Number(row[day]) > 0) actual.set(`${row.Hour}|${dow}`, Number(row[day]));
      expect(actual).toEqual(expected);
    });

    it.each([
      ['Top products by units', 'Units', () => 1],
      ['Top products by revenue', 'Revenue', (pence: number) => pence / 100],
    ] as const)('%s matches the basket lines', async (title, measure, value) => {
      // Prepare
      const totals = countBy(selected().flatMap((sale) => sale.items), (item) => item.label, (item) => value(item.pence));
      const top = [...totals.values()].sort((a, b) => b - a).slice(0, TOP_PRODUCTS);
      // Act
      const rows = await run(title);
      // Assess: ties at the cut may pick either product, so check values, and each product's own total.
      expect(rows.map((row) => Math.round(Number(row[measure]) * 100))).toEqual(top.map((total) => Math.round(total * 100)));
      for (const row of rows) expect(Number(row[measure])).toBeCloseTo(totals.get(String(row.Product)) ?? Number.NaN, 2);
    });

    it('splits sales by payment method', async () => {
      // Act
      const rows = await run('Payment method mix');
      // Assess
      expect(new Map(rows.map((row) => [row['Payment method'], Number(row.Sales)]))).toEqual(countBy(selected(), (sale) => sale.payment));
    });
  });
});

describe('Dashboard: pipeline operations (local stack)', () => {
  const uid = 'supercafe-pipeline-operations';
  const run = (title: string) => runPanel(uid, title, { from: new Date(startedAt - 120_000), to: new Date(Date.now() + 120_000) });
  const rejected = () => files.flatMap((file) => file.rejected);
  const columnTotal = (rows: Record<string, unknown>[], name: string) => sum(rows, (row) => Number(row[name] ?? 0));

  it('counts rows read, events published, sales loaded and rejects per minute', async () => {
    // Prepare
    const rowsRead = sum(files, (file) => file.rowsRead);
    const published = sum(files, (file) => file.sales.length);
    // Act
    const rows = await run('Events per minute');
    // Assess
    expect(columnTotal(rows, 'Rows read')).toBe(rowsRead);
    expect(columnTotal(rows, 'Events published')).toBe(published);
    expect(columnTotal(rows, 'Sales loaded')).toBe(published);
    expect(columnTotal(rows, 'Rows rejected')).toBe(rejected().length);
    expect(columnTotal(rows, 'Events quarantined')).toBe(rejected().length);
  });

  it('groups rejects by reason', async () => {
    // Act
    const rows = await run('Rejects by reason');
    // Assess
    expect(new Map(rows.map((row) => [row.Reason, Number(row.Rejected)]))).toEqual(countBy(rejected(), (reject) => reject.reason));
    expect(rejected().map((reject) => reject.reason).sort()).toEqual(['column_count', 'payment_unknown', 'total_mismatch']);
  });

  it('shows the end-to-end lag of the loads', async () => {
    // Act
    const rows = await run('End-to-end lag');
    // Assess
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(Number(row.Average)).toBeGreaterThanOrEqual(0);
      expect(Number(row.Maximum)).toBeGreaterThanOrEqual(Number(row.Average));
      expect(Number(row.Maximum)).toBeLessThan(Date.now() - startedAt);
    }
  });

  it('counts consumer failures and quarantined events', async () => {
    // Act
    const failures = await run('Consumer failures');
    const [quarantined] = await run('Quarantined events');
    // Assess
    expect(columnTotal(failures, 'Events quarantined')).toBe(rejected().length);
    expect(columnTotal(failures, 'Stream retries')).toBeGreaterThanOrEqual(0);
    expect(Number(quarantined?.Quarantined)).toBe(rejected().length);
  });

  it('lists each file run with its counts', async () => {
    // Act
    const rows = await run('Files ingested');
    // Assess
    expect(rows).toHaveLength(files.length);
    const byFile = new Map(rows.map((row) => [String(row.File), row]));
    for (const file of files) {
      const row = [...byFile.entries()].find(([name]) => file.path.endsWith(name) || name.endsWith(file.path.split('/').slice(-2).join('/')))?.[1];
      expect(row?.['Rows read']).toBe(file.rowsRead);
      expect(row?.['Rows rejected']).toBe(file.rejected.length);
      expect(row?.['Events published']).toBe(file.sales.length);
      expect(row?.Status).toBe('loaded');
    }
  });
});
