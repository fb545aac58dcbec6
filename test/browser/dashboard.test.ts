import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TZDate } from '@date-fns/tz';
import { addDays, endOfDay, startOfDay } from 'date-fns';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDashboards, type LoadedDashboard } from '../../grafana/viewer/dashboard-model.js';
import { dashboardViewer } from '../../grafana/viewer/plugin.js';
import { readSampleFile } from '../../grafana/testing/sample-sales.js';
import { runPanel, type PanelRow } from '../../grafana/testing/run-panel.js';
import { daysRange, resolveRange, type TimeRange } from '../../grafana/viewer/time-range.js';
import { SAMPLE_REAL, SAMPLE_VARIANTS, startTestStack, type TestStack } from '../helpers/local-stack.js';
import { describeInChromium, launchChromium } from './chromium.js';

/**
 * The localhost dashboard in a real browser (Debian's Chromium, driven by
 * playwright-core), measured rather than looked at: at a phone's width (390 px)
 * and a laptop's (1440 px) no headline figure overflows its panel, every chart
 * label is the figure the panel's own SQL returns, labels stay inside their
 * chart and apart, each chart has one value axis; the café's ranges resolve as
 * Grafana's date math does in London; range and branch survive a round trip
 * through the URL; an old newest sale is announced with a jump to it; headline
 * figures are compared with the same period a week earlier; the customers
 * panel says what counts as returning; the empty warehouse names the inbox.
 */
const OUTPUT = join(import.meta.dirname, '..', '..', 'test-output');
const DOCS_IMAGES = join(import.meta.dirname, '..', '..', 'docs', 'images');
/** Set to refresh the README screenshots (docs/images/dashboard*.png); CI leaves tracked files alone. */
const UPDATE_SCREENSHOTS = process.env.SUPERCAFE_UPDATE_SCREENSHOT === '1';
const DASHBOARDS_DIR = join(import.meta.dirname, '..', '..', 'grafana', 'dashboards', 'local');
const SALES = 'supercafe-sales-overview';
const LONDON = 'Europe/London';
/** A day no sample file has: the Birmingham sample moved to 1 September 2021. */
const EXTRA_FILE = join(OUTPUT, 'birmingham_2021-09-01.csv');
const WEEK_MS = 7 * 86_400_000;
const WIDTHS = [390, 1440] as const;

/** The week of sample data the measurements look at (London days), and the whole sample fortnight. */
const SAMPLE_WEEK = daysRange('2021-09-03', '2021-09-09', LONDON);
const SAMPLE_FORTNIGHT = daysRange('2021-08-25', '2021-09-09', LONDON);
const asRange = (spec: { from: string; to: string }): TimeRange => ({ from: new Date(Number(spec.from)), to: new Date(Number(spec.to)) });

// Expected texts, formatted here rather than by the page's code: en-GB, as the page promises.
const pounds = (value: number) => `£${value.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const count = (value: number) => value.toLocaleString('en-GB', { maximumFractionDigits: 2 });
const percent = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;
const londonDateTime = (ms: number) => new Date(ms).toLocaleString('en-GB', { timeZone: LONDON, dateStyle: 'medium', timeStyle: 'short' });

let testStack: TestStack;
let pool: pg.Pool;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;
let dashboard: LoadedDashboard;
const pages = new Map<number, Page>();

async function serve(withPool: pg.Pool, inbox?: string): Promise<{ app: FastifyInstance; url: string }> {
  const server = Fastify({ logger: false });
  await server.register(dashboardViewer, { pool: withPool, inbox });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address();
  return { app: server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/` };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const panelOf = (page: Page, title: string) => page.locator('section.panel', { has: page.locator('h3', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) });
const totalOf = async (page: Page, title: string) => Number(await panelOf(page, title).getAttribute('data-total'));
const figureOf = (page: Page, title: string) => panelOf(page, title).locator('.stat .value').first().textContent();
const pageUrl = (query: Record<string, string | string[]>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) for (const item of [value].flat()) search.append(key, item);
  return `${baseUrl}?${search.toString()}`;
};
const weekUrl = (branch?: string[]) => pageUrl({ dashboard: SALES, from: SAMPLE_WEEK.from, to: SAMPLE_WEEK.to, ...(branch ? { 'var-branch': branch } : {}) });

/** Waits until a refresh that started after now has finished: the page then shows what the warehouse holds now. */
async function nextRefresh(page: Page): Promise<void> {
  const since = await page.evaluate(() => Date.now());
  await page.waitForFunction((after) => Number(document.body.dataset.refreshed ?? 0) > after, since, { timeout: 30_000 });
}

async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.refreshed !== undefined, undefined, { timeout: 30_000 });
}

const sql = async (text: string, values: unknown[] = []) => (await pool.query<Record<string, unknown>>(text, values)).rows;
const panelRows = (title: string, range: TimeRange, branch?: readonly string[]): Promise<PanelRow[]> => runPanel(pool, dashboard, title, range, branch);

interface TextBox {
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Every label a chart draws (SVG text, so in the page), with its box, and the chart's own box. */
function chartTexts(page: Page, title: string): Promise<{ frame: TextBox; texts: TextBox[] }> {
  return panelOf(page, title).evaluate((section) => {
    const holder = section.querySelector('.chart');
    if (!holder) throw new Error('no chart');
    const box = (node: Element, text = '') => {
      const { x, y, width, height } = node.getBoundingClientRect();
      return { text, x, y, width, height };
    };
    const texts = Array.from(holder.querySelectorAll('text'))
      .map((node) => box(node, node.textContent ?? ''))
      .filter((item) => item.text.trim() !== '' && item.width > 0 && item.height > 0);
    return { frame: box(holder), texts };
  });
}

/** The chart's option as ECharts holds it (functions dropped): what it plots. */
function chartOption(page: Page, title: string): Promise<{ series: { type: string; data: unknown[] }[]; xAxis: { type: string; data?: unknown[] }[]; yAxis: { type: string; data?: unknown[] }[] }> {
  return panelOf(page, title).evaluate((section) => {
    const holder = section.querySelector('.chart') as HTMLElement;
    const instance = (window as unknown as { echarts: { getInstanceByDom(node: HTMLElement): { getOption(): unknown } } }).echarts.getInstanceByDom(holder);
    return JSON.parse(JSON.stringify(instance.getOption())) as never;
  });
}

const overlaps = (a: TextBox, b: TextBox) => Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > 0.5 && Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > 0.5;
const inside = (inner: TextBox, outer: TextBox) =>
  inner.x >= outer.x - 0.5 && inner.y >= outer.y - 0.5 && inner.x + inner.width <= outer.x + outer.width + 0.5 && inner.y + inner.height <= outer.y + outer.height + 0.5;

describeInChromium('Viewer: the sales dashboard on a phone and a laptop, in Chromium', () => {
  beforeAll(async () => {
    await mkdir(OUTPUT, { recursive: true });
    await writeFile(EXTRA_FILE, (await readFile(join(SAMPLE_REAL, 'birmingham_2021-08-25.csv'), 'utf8')).replaceAll('25/08/2021', '01/09/2021'));
    testStack = await startTestStack();
    pool = testStack.stack.warehouse.pool;
    ({ app, url: baseUrl } = await serve(pool, testStack.stack.dataDir.inbox));
    [dashboard] = (await loadDashboards(DASHBOARDS_DIR)).filter((candidate) => candidate.view.uid === SALES) as [LoadedDashboard];
    browser = await launchChromium();
    // A UK manager's laptop, and a phone whose clock is on UTC: the page must read London days either way.
    for (const width of WIDTHS) {
      pages.set(width, await browser.newPage({ viewport: { width, height: width < 500 ? 844 : 1000 }, locale: 'en-GB', ...(width > 500 ? { timezoneId: LONDON } : { timezoneId: 'UTC' }) }));
    }
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await testStack?.stop();
  });

  const desktop = () => pages.get(1440) as Page;

  describe('an empty warehouse', () => {
    it('gives advice that works while the stack runs: the inbox it watches, on the page', async () => {
      // Act
      await open(desktop(), baseUrl);
      // Assess
      const banner = desktop().locator('#banner.empty');
      await expect.poll(() => banner.isVisible(), { timeout: 15_000 }).toBe(true);
      expect(await banner.locator('code.inbox').textContent()).toBe(testStack.stack.dataDir.inbox);
      const text = (await banner.textContent()) ?? '';
      expect(text).toContain('warehouse is empty');
      expect(text).toContain(`Drop the branches’ CSV files into ${testStack.stack.dataDir.inbox}`);
      // `supercafe ingest` refuses while the stack runs: it must not be the advice.
      expect(text).not.toMatch(/supercafe ingest/);
    });

    it('fills in by itself once files are loaded, without a reload', async () => {
      // Prepare
      await desktop().evaluate(() => Object.assign(window, { notReloaded: true }));
      // Act
      await testStack.ingest([SAMPLE_REAL, SAMPLE_VARIANTS]);
      await testStack.stack.metrics.flush();
      // Assess
      await expect.poll(() => desktop().locator('#banner').isHidden(), { timeout: 15_000 }).toBe(true);
      expect(await desktop().evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    });
  });

  describe('time ranges', () => {
    it('opens on the last 7 days and, the newest sale being older, says so and offers to jump to it', async () => {
      // Prepare
      const [{ newest }] = (await sql('SELECT MAX(sold_at) AS newest FROM sales')) as [{ newest: Date }];
      const newestDay = new TZDate(newest.getTime(), LONDON);
      // Act
      await open(desktop(), pageUrl({ dashboard: SALES }));
      // Assess: the default is written into the URL, and the notice names the newest sale.
      expect(await desktop().locator('#range').inputValue()).toBe('now-7d|now');
      expect(new URL(desktop().url()).searchParams.get('from')).toBe('now-7d');
      const notice = desktop().locator('#notice');
      expect(await notice.isVisible()).toBe(true);
      expect(await notice.textContent()).toContain(`the newest sale is from ${londonDateTime(newest.getTime())}`);
      // Act: jump.
      await desktop().locator('#jump').click();
      await nextRefresh(desktop());
      // Assess: the 7 London days ending with the newest sale's day, in the URL and on every panel.
      const expected = { from: String(startOfDay(addDays(newestDay, -6)).getTime()), to: String(endOfDay(newestDay).getTime()) };
      const query = new URL(desktop().url()).searchParams;
      expect({ from: query.get('from'), to: query.get('to') }).toEqual(expected);
      expect(await notice.isHidden()).toBe(true);
      const [{ sales }] = (await sql('SELECT COUNT(*) AS sales FROM sales WHERE sold_at BETWEEN $1 AND $2', [new Date(Number(expected.from)), new Date(Number(expected.to))])) as [{ sales: string }];
      expect(Number(sales)).toBeGreaterThan(0);
      expect(await figureOf(desktop(), 'Sales')).toBe(count(Number(sales)));
    });

    it('names the branch whose newest sale is older than the range', async () => {
      // Prepare
      const [{ newest }] = (await sql("SELECT MAX(sold_at) AS newest FROM sales WHERE branch = 'Leeds'")) as [{ newest: Date }];
      // Act
      await open(desktop(), pageUrl({ dashboard: SALES, from: 'now-7d', to: 'now', 'var-branch': 'Leeds' }));
      // Assess
      expect(await desktop().locator('#notice-text').textContent()).toContain(`the newest sale of Leeds is from ${londonDateTime(newest.getTime())}`);
    });

    it('offers Today, Yesterday, Last 7 days, Last 30 days, This month and custom dates, each resolved as Grafana resolves them in London', async () => {
      // Prepare
      const page = desktop();
      await open(page, pageUrl({ dashboard: SALES }));
      const options = await page.locator('#range option').evaluateAll((nodes) => nodes.map((node) => ({ label: node.textContent, value: (node as HTMLOptionElement).value })));
      // Assess: the picker lists exactly the dashboard's quick ranges, then custom dates.
      expect(options).toEqual([
        { label: 'Today', value: 'now/d|now' },
        { label: 'Yesterday', value: 'now-1d/d|now-1d/d' },
        { label: 'Last 7 days', value: 'now-7d|now' },
        { label: 'Last 30 days', value: 'now-30d|now' },
        { label: 'This month', value: 'now/M|now' },
        { label: 'Custom dates…', value: 'custom' },
      ]);
      for (const { label, value } of options.filter((option) => option.value !== 'custom')) {
        const [from = '', to = ''] = value.split('|');
        // Act
        const answered = page.waitForResponse((response: Response) => response.url().includes('/panels/') && new URL(response.url()).searchParams.get('from') === from);
        await page.locator('#range').selectOption(value);
        const body = (await (await answered).json()) as { range: { from: number; to: number } };
        // Assess: the URL says it in Grafana's date math, and the server resolved it as Grafana would, in London.
        const expected = resolveRange({ from, to }, new Date(), LONDON);
        expect(new URL(page.url()).searchParams.get('from'), label).toBe(from);
        expect(new URL(page.url()).searchParams.get('to'), label).toBe(to);
        expect(Math.abs(body.range.from - expected.from.getTime()), `${label} from`).toBeLessThan(60_000);
        expect(Math.abs(body.range.to - expected.to.getTime()), `${label} to`).toBeLessThan(60_000);
      }
    });

    it('shows a custom from–to in whole London days', async () => {
      // Prepare
      const page = desktop();
      await open(page, pageUrl({ dashboard: SALES }));
      // Act
      await page.locator('#range').selectOption('custom');
      await page.locator('#range-from').fill('2021-09-03');
      await page.locator('#range-to').fill('2021-09-09');
      await page.locator('#range-apply').click();
      await nextRefresh(page);
      // Assess
      const query = new URL(page.url()).searchParams;
      expect({ from: query.get('from'), to: query.get('to') }).toEqual(SAMPLE_WEEK);
      const [{ sales }] = (await sql('SELECT COUNT(*) AS sales FROM sales WHERE sold_at BETWEEN $1 AND $2', [asRange(SAMPLE_WEEK).from, asRange(SAMPLE_WEEK).to])) as [{ sales: string }];
      expect(await figureOf(page, 'Sales')).toBe(count(Number(sales)));
    });

    it('keeps branch and range in the URL, so the same view opens from it elsewhere', async () => {
      // Prepare: choose two branches on the custom week.
      const page = desktop();
      await open(page, weekUrl());
      await page.locator('details.variable summary').click();
      await page.locator('details.variable input[value="Leeds"]').check();
      await nextRefresh(page);
      await page.locator('details.variable input[value="London Soho"]').check();
      await page.locator('details.variable summary').click();
      await nextRefresh(page);
      const shared = page.url();
      // Act: open what was shared in another browser context, as another person would.
      const other = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'en-GB' });
      try {
        await open(other, shared);
        // Assess
        const query = new URL(shared).searchParams;
        expect(query.getAll('var-branch')).toEqual(['Leeds', 'London Soho']);
        expect({ from: query.get('from'), to: query.get('to') }).toEqual(SAMPLE_WEEK);
        expect(await other.locator('details.variable summary').textContent()).toBe('Branch: Leeds + London Soho');
        expect(await other.locator('#range').inputValue()).toBe('custom');
        expect([await other.locator('#range-from').inputValue(), await other.locator('#range-to').inputValue()]).toEqual(['2021-09-03', '2021-09-09']);
        expect(other.url()).toBe(shared);
        const [{ sales }] = (await sql("SELECT COUNT(*) AS sales FROM sales WHERE branch IN ('Leeds', 'London Soho') AND sold_at BETWEEN $1 AND $2", [asRange(SAMPLE_WEEK).from, asRange(SAMPLE_WEEK).to])) as [{ sales: string }];
        expect(await figureOf(other, 'Sales')).toBe(count(Number(sales)));
        expect(await figureOf(page, 'Sales')).toBe(count(Number(sales)));
      } finally {
        await other.close();
      }
    });
  });

  describe('what the figures say', () => {
    it('compares each headline figure with the same period a week earlier', async () => {
      // Prepare: each period's figures, by SQL written here, not the panels'.
      const page = desktop();
      await open(page, weekUrl());
      const period = async (from: number, to: number) => {
        const [row] = (await sql('SELECT COALESCE(SUM(total_pence), 0) AS pence, COUNT(*) AS sales, COALESCE(SUM(item_count), 0) AS items FROM sales WHERE sold_at BETWEEN $1 AND $2', [
          new Date(from),
          new Date(to),
        ])) as [{ pence: string; sales: string; items: string }];
        return { revenue: Number(row.pence) / 100, sales: Number(row.sales), basketValue: Number(row.pence) / 100 / Number(row.sales), basketSize: Number(row.items) / Number(row.sales) };
      };
      const now = await period(Number(SAMPLE_WEEK.from), Number(SAMPLE_WEEK.to));
      const before = await period(Number(SAMPLE_WEEK.from) - WEEK_MS, Number(SAMPLE_WEEK.to) - WEEK_MS);
      const change = (current: number, previous: number, shown: string) =>
        `${current > previous ? '▲' : '▼'} ${percent(Math.abs(current - previous) / previous)} on a week earlier (${shown})`;
      // Assess
      expect(before.sales).toBeGreaterThan(0);
      for (const [title, current, previous, shown] of [
        ['Revenue', now.revenue, before.revenue, pounds],
        ['Sales', now.sales, before.sales, count],
        ['Average basket value', now.basketValue, before.basketValue, pounds],
        ['Average basket size', now.basketSize, before.basketSize, (value: number) => value.toLocaleString('en-GB', { maximumFractionDigits: 2 })],
      ] as const) {
        const stat = panelOf(page, title);
        expect(await stat.locator('.value').textContent(), title).toBe(shown(current));
        expect(await stat.locator('.comparison').textContent(), title).toBe(change(current, previous, shown(previous)));
      }
    });

    it('shows the warehouse’s own freshness whatever the range', async () => {
      // Prepare: a range with no sales at all.
      const page = desktop();
      const [{ loaded, newest }] = (await sql('SELECT MAX(merged_at) AS loaded, MAX(sold_at) AS newest FROM sales')) as [{ loaded: Date; newest: Date }];
      // Act
      await open(page, pageUrl({ dashboard: SALES, from: 'now/d', to: 'now' }));
      // Assess
      const freshness = panelOf(page, 'Warehouse freshness');
      expect(await freshness.getAttribute('data-state')).toBe('ok');
      expect(await figureOf(page, 'Revenue')).toBe(pounds(0));
      expect(await freshness.locator('.figure[data-field="Loaded"] .value').getAttribute('title')).toBe(londonDateTime(loaded.getTime()));
      expect(await freshness.locator('.figure[data-field="Loaded"] .value').textContent()).toMatch(/^(now|\d+ (seconds?|minutes?) ago)$/);
      expect(await freshness.locator('.figure[data-field="Newest sale"] .value').getAttribute('title')).toBe(londonDateTime(newest.getTime()));
      expect(await freshness.locator('h3').getAttribute('title')).toMatch(/In AWS a sale reaches this panel within \d+ minutes of upload/);
    });

    it('says on the customers panel what counts as new and as returning', async () => {
      // Act
      await open(desktop(), weekUrl());
      // Assess
      const caption = panelOf(desktop(), 'New and returning customers per day').locator('.caption');
      expect(await caption.isVisible()).toBe(true);
      expect(await caption.textContent()).toMatch(/New: first purchase ever, at any branch, that day\. Returning: bought on an earlier day, at any branch\./);
    });

    it('changes the figures when one branch is selected, and back for All', async () => {
      // Prepare
      const page = desktop();
      await open(page, pageUrl({ dashboard: SALES, ...SAMPLE_FORTNIGHT }));
      const [{ sales }] = (await sql("SELECT COUNT(*) AS sales FROM sales WHERE branch = 'Leeds' AND sold_at BETWEEN $1 AND $2", [asRange(SAMPLE_FORTNIGHT).from, asRange(SAMPLE_FORTNIGHT).to])) as [{ sales: string }];
      const allRevenue = await totalOf(page, 'Revenue');
      // Act
      await page.locator('details.variable summary').click();
      await page.locator('details.variable input[value="Leeds"]').check();
      await nextRefresh(page);
      // Assess
      expect(await figureOf(page, 'Sales')).toBe(count(Number(sales)));
      expect(await totalOf(page, 'Revenue')).toBeLessThan(allRevenue);
      expect(await panelOf(page, 'Revenue by branch').getAttribute('data-rows')).toBe('1');
      // Act: back to every branch.
      await page.locator('details.variable input[value="$__all"]').check();
      await page.locator('details.variable summary').click();
      await nextRefresh(page);
      expect(await totalOf(page, 'Revenue')).toBe(allRevenue);
    });

    it('shows a new upload in the revenue panels without a reload', async () => {
      // Prepare
      const page = desktop();
      await open(page, pageUrl({ dashboard: SALES, ...SAMPLE_FORTNIGHT }));
      await page.evaluate(() => Object.assign(window, { notReloaded: true }));
      const extra = await readSampleFile(EXTRA_FILE);
      const added = extra.sales.reduce((pence, sale) => pence + sale.totalPence, 0) / 100;
      const before = await totalOf(page, 'Revenue over time');
      // Act
      await testStack.ingest([EXTRA_FILE]);
      // Assess
      await expect.poll(() => totalOf(page, 'Revenue over time'), { timeout: 20_000 }).toBeCloseTo(before + added, 2);
      // Each panel refreshes on its own: the stat may come a moment after the series.
      await expect.poll(() => totalOf(page, 'Revenue'), { timeout: 20_000 }).toBeCloseTo(before + added, 2);
      expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    });
  });

  describe.each(WIDTHS)('at %i px wide', (width) => {
    const page = () => pages.get(width) as Page;

    beforeAll(async () => {
      await open(page(), weekUrl());
    });

    it('renders every panel with data, and no part of the page is wider than the screen', async () => {
      // Act
      const panels = await page().locator('section.panel').evaluateAll((nodes) =>
        nodes.map((node) => ({ title: node.querySelector('h3')?.textContent, state: node.getAttribute('data-state'), rows: Number(node.getAttribute('data-rows')), right: node.getBoundingClientRect().right })),
      );
      // Assess
      expect(panels).toHaveLength(dashboard.view.panels.filter((panel) => panel.type !== 'row').length);
      for (const shown of panels) {
        expect(shown, String(shown.title)).toMatchObject({ state: 'ok' });
        expect(shown.rows, String(shown.title)).toBeGreaterThan(0);
        expect(shown.right, String(shown.title)).toBeLessThanOrEqual(width);
      }
      expect(await page().evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await page().screenshot({ path: join(OUTPUT, `dashboard-${width}.png`), fullPage: true });
      if (UPDATE_SCREENSHOTS) {
        await mkdir(DOCS_IMAGES, { recursive: true });
        if (width === 1440) await page().screenshot({ path: join(DOCS_IMAGES, 'dashboard.png'), fullPage: false });
        else await page().screenshot({ path: join(DOCS_IMAGES, 'dashboard-phone.png'), clip: { x: 0, y: 0, width, height: 1800 }, fullPage: true });
      }
    });

    it('never clips a headline figure: every stat text fits its box, and every box its panel', async () => {
      // Act: DOM boxes of every figure, name and comparison in every stat.
      const measured = await page().locator('section.panel[data-panel-type="stat"]').evaluateAll((sections) =>
        sections.flatMap((section) => {
          const panel = section.getBoundingClientRect();
          return Array.from(section.querySelectorAll<HTMLElement>('.stat .value, .stat .name, .stat .comparison')).map((node) => {
            const box = node.getBoundingClientRect();
            return {
              title: section.querySelector('h3')?.textContent ?? '',
              text: node.textContent ?? '',
              scrollWidth: node.scrollWidth,
              clientWidth: node.clientWidth,
              inside: box.left >= panel.left - 0.5 && box.right <= panel.right + 0.5 && box.top >= panel.top - 0.5 && box.bottom <= panel.bottom + 0.5,
            };
          });
        }),
      );
      // Assess
      expect(measured.filter((item) => item.text.startsWith('£')).length).toBeGreaterThanOrEqual(2);
      for (const item of measured) {
        expect(item.scrollWidth, `${item.title}: "${item.text}"`).toBeLessThanOrEqual(item.clientWidth);
        expect(item.inside, `${item.title}: "${item.text}" inside its panel`).toBe(true);
      }
    });

    it('labels every bar with its name and the figure the panel’s SQL returns, nothing else', async () => {
      for (const [title, measure, shown] of [
        ['Revenue by branch', 'Revenue', pounds],
        ['Sales by branch', 'Sales', count],
        ['Top products by units', 'Units', count],
        ['Top products by revenue', 'Revenue', pounds],
      ] as const) {
        // Prepare
        const rows = await panelRows(title, asRange(SAMPLE_WEEK));
        const names = rows.map((row) => String(row.Branch ?? row.Product));
        const figures = rows.map((row) => shown(Number(row[measure])));
        // Act
        const { texts } = await chartTexts(page(), title);
        const option = await chartOption(page(), title);
        // Assess: the names top-down in the SQL's order, each figure, and no stray numbers.
        expect(texts.map((text) => text.text).sort(), title).toEqual([...names, ...figures].sort());
        const category = [...option.yAxis, ...option.xAxis].find((axis) => axis.type === 'category');
        expect(category?.data, title).toEqual(names);
      }
    });

    it('labels each payment slice with the share the panel’s SQL returns', async () => {
      // Prepare
      const rows = await panelRows('Payment method mix', asRange(SAMPLE_WEEK));
      const total = rows.reduce((sum, row) => sum + Number(row.Sales), 0);
      const labels = rows.map((row) => `${String(row['Payment method'])} ${percent(Number(row.Sales) / total)}`);
      // Act
      const { texts } = await chartTexts(page(), 'Payment method mix');
      // Assess: on the slices and in the legend, and nowhere a share the data does not have.
      expect(texts.map((text) => text.text).sort()).toEqual([...labels, ...labels].sort());
    });

    it('plots the time series and the heatmap exactly as their SQL returns them', async () => {
      for (const title of ['Revenue over time', 'New and returning customers per day']) {
        // Prepare
        const rows = await panelRows(title, asRange(SAMPLE_WEEK));
        const names = Object.keys(rows[0] ?? {}).filter((name) => name !== 'time');
        // Act
        const option = await chartOption(page(), title);
        // Assess
        expect(option.series.map((series) => series.data), title).toEqual(names.map((name) => rows.map((row) => [row.time, row[name]])));
      }
      // Prepare
      const heat = await panelRows('Busiest days and hours (UK time)', asRange(SAMPLE_WEEK));
      const days = Object.keys(heat[0] ?? {}).filter((name) => name !== 'Hour');
      // Act
      const option = await chartOption(page(), 'Busiest days and hours (UK time)');
      const { texts } = await chartTexts(page(), 'Busiest days and hours (UK time)');
      // Assess: cells, and the day and hour labels.
      expect(option.series[0]?.data).toEqual(heat.flatMap((row, x) => days.map((day, y) => [x, y, row[day]])));
      expect(option.yAxis[0]?.data).toEqual(days);
      expect(option.xAxis[0]?.data).toEqual(heat.map((row) => String(row.Hour)));
      for (const day of days) expect(texts.map((text) => text.text)).toContain(day);
    });

    it('keeps every chart label inside its chart and clear of the others', async () => {
      for (const panel of dashboard.view.panels.filter((candidate) => ['timeseries', 'barchart', 'heatmap', 'piechart'].includes(candidate.type))) {
        // Act
        const title = panel.title ?? '';
        const { frame, texts } = await chartTexts(page(), title);
        // Assess
        expect(texts.length, title).toBeGreaterThan(0);
        for (const text of texts) expect(inside(text, frame), `${title}: "${text.text}" inside the chart`).toBe(true);
        for (const [index, a] of texts.entries()) {
          for (const b of texts.slice(index + 1)) expect(overlaps(a, b), `${title}: "${a.text}" overlaps "${b.text}"`).toBe(false);
        }
      }
    });

    it('gives every chart one value axis: one measure per axis', async () => {
      for (const panel of dashboard.view.panels.filter((candidate) => ['timeseries', 'barchart'].includes(candidate.type))) {
        // Act
        const option = await chartOption(page(), panel.title ?? '');
        // Assess
        expect([...option.xAxis, ...option.yAxis].filter((axis) => axis.type === 'value'), panel.title).toHaveLength(1);
      }
    });

    it('shows what counts as returning within the panel, however narrow', async () => {
      // Act
      const measured = await panelOf(page(), 'New and returning customers per day').evaluate((section) => {
        const caption = section.querySelector('.caption') as HTMLElement;
        const box = caption.getBoundingClientRect();
        const panel = section.getBoundingClientRect();
        return { fits: caption.scrollWidth <= caption.clientWidth, inside: box.left >= panel.left && box.right <= panel.right && box.height > 0 };
      });
      // Assess
      expect(measured).toEqual({ fits: true, inside: true });
    });
  });

  describe('the rest of the viewer', () => {
    it('renders the operations dashboard from the local stack', async () => {
      // Prepare
      const page = desktop();
      await open(page, baseUrl);
      const [{ files }] = (await sql('SELECT COUNT(*) AS files FROM ingest_files')) as [{ files: string }];
      // Act
      await page.locator('nav button', { hasText: 'pipeline operations' }).click();
      await nextRefresh(page);
      // Assess
      expect(await panelOf(page, 'Events per minute').getAttribute('data-state')).toBe('ok');
      expect(await panelOf(page, 'Files ingested').getAttribute('data-rows')).toBe(String(Math.min(50, Number(files))));
      expect(await panelOf(page, 'End-to-end lag').getAttribute('data-state')).toBe('ok');
      expect(new URL(page.url()).searchParams.get('dashboard')).toBe('supercafe-pipeline-operations');
      await page.screenshot({ path: join(OUTPUT, 'dashboard-operations.png'), fullPage: true });
    });

    it('says so when the warehouse is unreachable', async () => {
      // Prepare: a pool aimed at a port where nothing listens.
      const deadPool = new pg.Pool({ connectionString: 'postgres://nobody:none@127.0.0.1:1/none', connectionTimeoutMillis: 1_000 });
      const dead = await serve(deadPool);
      try {
        // Act
        await desktop().goto(dead.url);
        // Assess
        await expect.poll(() => desktop().locator('#banner.unreachable').isVisible(), { timeout: 15_000 }).toBe(true);
        expect(await desktop().locator('#banner').textContent()).toContain('unreachable');
      } finally {
        await dead.app.close();
        await deadPool.end();
      }
    });
  });
});
