import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, SAMPLE_REAL, SAMPLE_VARIANTS, type TestStack } from '../../test/helpers/local-stack.js';
import { TOP_PRODUCTS } from '../panels/products.js';
import { WEEKDAYS } from '../panels/busiest-times.js';
import { readSampleSales, type SampleFile, type SampleSale } from '../testing/sample-sales.js';
import { loadDashboards, type LoadedDashboard } from '../viewer/dashboard-model.js';
import { ALL, resolveVariables } from '../viewer/panel-data.js';
import { runPanel as runDashboardPanel, type PanelRow } from '../testing/run-panel.js';
import { dayOf, type TimeRange } from '../viewer/time-range.js';

/**
 * Every SQL panel of both generated dashboards (the committed local JSON, as
 * Grafana and the viewer read it), run against a real PostgreSQL warehouse
 * loaded through the pipeline with the repository's samples/, and checked against figures
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
/** Both ends, and both ends a week earlier (25 Aug and 2 Sep, midday), cut through days with sales. */
const MIDDAY_TO_MIDDAY: TimeRange = { from: new Date('2021-09-01T12:00:00Z'), to: new Date('2021-09-09T12:00:00Z') };
/** Thursday 2 September 2021, a London day (BST): short enough for the trend to go hourly. */
const ONE_DAY: TimeRange = { from: new Date('2021-09-01T23:00:00Z'), to: new Date('2021-09-02T22:59:59.999Z') };
const WEEK_MS = 7 * 86_400_000;
const weekEarlier = (range: TimeRange): TimeRange => ({ from: new Date(range.from.getTime() - WEEK_MS), to: new Date(range.to.getTime() - WEEK_MS) });
const LONDON = 'Europe/London';
/** London midnight of a `yyyy-mm-dd` day, as epoch ms: where a daily bar stands. */
const londonMidnight = (day: string) => {
  const utc = Date.parse(`${day}T00:00:00Z`);
  return dayOf(new Date(utc - 3_600_000), LONDON) === day ? utc - 3_600_000 : utc;
};

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
async function runPanel(uid: string, title: string, range: TimeRange, branch: readonly string[] = [ALL]): Promise<PanelRow[]> {
  const dashboard = dashboards.get(uid);
  if (!dashboard) throw new Error(`no dashboard ${uid}`);
  return runDashboardPanel(testStack.stack.warehouse.pool, dashboard, title, range, branch);
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
      'Revenue', 'Sales', 'Average basket value', 'Average basket size', 'Warehouse freshness', 'Revenue over time',
      'New and returning customers per day', 'Revenue by branch', 'Sales by branch', 'Busiest days and hours (UK time)',
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
    ['all branches, midday 1 September to midday 9 September 2021', MIDDAY_TO_MIDDAY, undefined],
  ] as const)('%s', (_name, range, branches) => {
    const selected = () => sales.filter(inRange(range, branches));
    const run = (title: string) => runPanel(uid, title, range, branches ?? [ALL]);

    it('sums revenue, counts sales and averages baskets, this period and the same period a week earlier', async () => {
      // Prepare: the period itself, then the same hours a week before.
      const periods = [sales.filter(inRange(weekEarlier(range), branches)), selected()];
      const revenue = (list: SampleSale[]) => sum(list, (sale) => sale.totalPence) / 100;
      // Act
      const rows = Object.fromEntries(
        await Promise.all(['Revenue', 'Sales', 'Average basket value', 'Average basket size'].map(async (title) => [title, await run(title)] as const)),
      );
      // Assess: two rows each, the week earlier first, its time a week before the range's start.
      expect(periods[1]?.length).toBeGreaterThan(0);
      for (const [title, result] of Object.entries(rows)) {
        expect(result.map((row) => row.time), title).toEqual([range.from.getTime() - WEEK_MS, range.from.getTime()]);
      }
      periods.forEach((period, index) => {
        expect(Number(rows.Revenue?.[index]?.Revenue)).toBeCloseTo(revenue(period), 2);
        expect(Number(rows.Sales?.[index]?.Sales)).toBe(period.length);
        const value = rows['Average basket value']?.[index]?.['Average basket value'] ?? null;
        const size = rows['Average basket size']?.[index]?.['Average basket size'] ?? null;
        if (period.length === 0) {
          expect([value, size]).toEqual([null, null]);
          return;
        }
        expect(Number(value)).toBeCloseTo(revenue(period) / period.length, 6);
        expect(Number(size)).toBeCloseTo(sum(period, (sale) => sale.items.length) / period.length, 6);
      });
    });

    it('reports the warehouse\'s own freshness, whatever the range: the last load and the newest sale of the branches', async () => {
      // Act
      const [row] = await runPanel(uid, 'Warehouse freshness', { from: new Date('2000-01-01T00:00:00Z'), to: new Date('2000-01-02T00:00:00Z') }, branches ?? [ALL]);
      // Assess
      expect(row?.['Newest sale']).toBe(Math.max(...sales.filter((sale) => !branches || (branches as readonly string[]).includes(sale.branch)).map((sale) => sale.instantMs)));
      expect(Number(row?.Loaded)).toBeGreaterThanOrEqual(startedAt);
      expect(Number(row?.Loaded)).toBeLessThanOrEqual(Date.now());
    });

    it('buckets revenue over time by UK business day for ranges longer than a day and a half', async () => {
      // Prepare
      const expected = countBy(selected(), (sale) => String(londonMidnight(sale.localDate)), (sale) => sale.totalPence / 100);
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
      const rows = await run('New and returning customers per day');
      // Assess
      expect(rows.every((row) => Number(row.time) === londonMidnight(dayOf(new Date(Number(row.time)), LONDON)))).toBe(true);
      const actual = new Map(rows.map((row) => [dayOf(new Date(Number(row.time)), LONDON), [Number(row.New), Number(row.Returning)]]));
      expect(actual).toEqual(new Map([...days].map(([day, { newcomers, returning }]) => [day, [newcomers.size, returning.size]])));
    });

    it.each([
      ['Revenue by branch', 'Revenue', (pence: number) => pence / 100],
      ['Sales by branch', 'Sales', () => 1],
    ] as const)('%s: one measure per branch, largest first', async (title, measure, value) => {
      // Prepare
      const expected = countBy(selected(), (sale) => sale.branch, (sale) => value(sale.totalPence));
      // Act
      const rows = await run(title);
      // Assess
      expect(rows.every((row) => Object.keys(row).length === 2)).toBe(true);
      expect(new Map(rows.map((row) => [String(row.Branch), Math.round(Number(row[measure]) * 100)]))).toEqual(
        new Map([...expected].map(([branch, total]) => [branch, Math.round(total * 100)])),
      );
      expect(rows.map((row) => Number(row[measure]))).toEqual([...rows.map((row) => Number(row[measure]))].sort((a, b) => b - a));
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

describe('Dashboard: sales overview over one day', () => {
  it('buckets revenue over time by the hour', async () => {
    // Prepare
    const expected = countBy(sales.filter(inRange(ONE_DAY)), (sale) => String(Math.floor(sale.instantMs / 3_600_000) * 3_600_000), (sale) => sale.totalPence / 100);
    // Act
    const rows = await runPanel('supercafe-sales-overview', 'Revenue over time', ONE_DAY);
    // Assess
    expect(expected.size).toBeGreaterThan(1);
    expect(new Map(rows.map((row) => [String(row.time), Math.round(Number(row.Revenue) * 100) / 100]))).toEqual(
      new Map([...expected].map(([time, revenue]) => [time, Math.round(revenue * 100) / 100])),
    );
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
    // Act: the consumer process flushes its metrics every few seconds, so they arrive a little after the sales
    const totals = async () => {
      const rows = await run('Events per minute');
      return ['Rows read', 'Events published', 'Sales loaded', 'Rows rejected', 'Events quarantined'].map((name) => columnTotal(rows, name));
    };
    // Assess
    await expect.poll(totals, { timeout: 15_000, interval: 250 }).toEqual([rowsRead, published, published, rejected().length, rejected().length]);
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
    // Act: metrics reach the table on the consumer process's next flush
    await expect.poll(async () => columnTotal(await run('Consumer failures'), 'Events quarantined'), { timeout: 15_000, interval: 250 }).toBe(rejected().length);
    const failures = await run('Consumer failures');
    const [quarantined] = await run('Quarantined events');
    // Assess
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
