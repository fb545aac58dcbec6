import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { serveLocal, type LocalServer } from '../../infra/local/stack/serve-local.js';
import { loadCatalogue, SAMPLE_CATALOGUE_DIR, type Catalogue } from '../../tools/catalogue/sales-catalogue.js';
import { createPostgresCredentialStore, issueTillCredential } from '../../producers/till-api/credentials/credentials.js';
import { issueSimulatorTills, runTillSimulator, type SimulatedTill, type TillSimulatorReport } from '../../tools/till-simulator/simulator.js';
import { SAMPLE_REAL, startTestStack, type TestStack } from '../helpers/local-stack.js';
import { describeInChromium, launchChromium } from './chromium.js';

/**
 * Issue 6: the localhost dashboard moves while tills post live sales. The
 * dashboard and the till API are served on one port exactly as `npm start`
 * serves them (serveLocal), over a real stack (kinesalite, embedded PostgreSQL,
 * the consumer). The page stays open while the till simulator runs; its
 * "Warehouse freshness" stat and its revenue panels must change by themselves.
 */
const OUTPUT = join(import.meta.dirname, '..', '..', 'test-output');
const DASHBOARD = 'supercafe-sales-overview';
/** Long enough that one of the page's 5 s auto-refreshes starts and finishes while sales are still arriving. */
const SIMULATION = { tills: 3, ratePerSecond: 20, durationSeconds: 8 };

let testStack: TestStack;
let server: LocalServer;
let catalogue: Catalogue;
let tills: SimulatedTill[];
let browser: Browser;
let page: Page;

/** What the page last received for the freshness stat (epoch ms), read from its own panel requests. */
interface Freshness {
  readonly received: number | null;
  readonly latestSale: number | null;
}
let freshnessFrame: Freshness | undefined;
/** The range the page last asked the revenue stat for, as the server resolved it. */
let revenueRange: { from: number; to: number } | undefined;

interface PanelBody {
  readonly fields: readonly { name: string }[];
  readonly rows: readonly (readonly (number | string | null)[])[];
  readonly range?: { from: number; to: number };
}

async function watchPanelResponse(response: Response): Promise<void> {
  const match = new RegExp(`/viewer/api/dashboards/${DASHBOARD}/panels/(\\d+)\\?`).exec(response.url());
  if (!match || !response.ok()) return;
  const body = (await response.json().catch(() => undefined)) as PanelBody | undefined;
  if (!body) return;
  if (match[1] === '6') {
    const valueOf = (name: string) => {
      const index = body.fields.findIndex((field) => field.name === name);
      const value = body.rows[0]?.[index];
      return typeof value === 'number' ? value : null;
    };
    freshnessFrame = { received: valueOf('Loaded'), latestSale: valueOf('Newest sale') };
  }
  if (match[1] === '2') revenueRange = body.range;
}

const panel = (title: string) => page.locator('section.panel', { has: page.locator('h3', { hasText: new RegExp(`^${title}$`) }) });
const totalOf = async (title: string) => Number(await panel(title).getAttribute('data-total'));
/** The text shown for one value of the freshness stat ("Loaded" or "Newest sale"). */
const freshnessText = async (name: 'Loaded' | 'Newest sale') => (await panel('Warehouse freshness').locator(`.figure[data-field="${name}"] .value`).textContent()) ?? '';
/** Waits until a refresh that started after now has finished: the page then shows what the warehouse holds now. */
async function nextRefresh(): Promise<void> {
  const since = await page.evaluate(() => Date.now());
  await page.waitForFunction((after) => Number(document.body.dataset.refreshed ?? 0) > after, since, { timeout: 30_000 });
}
const notReloaded = () => page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded);
const RECENT = /^(now|\d+ seconds? ago)$/;

describeInChromium('Viewer: live till sales on the localhost dashboard', () => {
  beforeAll(async () => {
    await mkdir(OUTPUT, { recursive: true });
    testStack = await startTestStack();
    // The sample files date from 2021: live sales dated now must land in the same page range.
    await testStack.ingest([SAMPLE_REAL]);
    server = await serveLocal(testStack.stack, { port: 0, host: '127.0.0.1' });
    catalogue = await loadCatalogue(SAMPLE_CATALOGUE_DIR);
    const store = createPostgresCredentialStore(testStack.stack.warehouse.pool);
    tills = await issueSimulatorTills((branch) => issueTillCredential(store, { branch, label: 'simulator' }), catalogue.branches, SIMULATION.tills);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 1250 } });
    page.on('response', (response) => void watchPanelResponse(response));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await testStack?.stop();
  });

  it('moves the freshness stat and the revenue panels while the till simulator runs, without a reload', async () => {
    // Prepare: the dashboard as `npm start` serves it, showing the sample data.
    // A range from years before the samples to now: it holds both the sample days and a sale posted now.
    await page.goto(`${server.url}/?dashboard=${DASHBOARD}&from=now-10y&to=now`);
    await page.waitForFunction(() => document.body.dataset.refreshed !== undefined, undefined, { timeout: 30_000 });
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));
    // The listener parses panel answers asynchronously: wait until it has both.
    await expect.poll(() => freshnessFrame !== undefined && revenueRange !== undefined, { timeout: 5_000 }).toBe(true);
    expect(await page.locator('#range').inputValue()).toBe('now-10y|now');
    expect(revenueRange?.to).toBeGreaterThan(Date.now() - 60_000);
    expect(revenueRange?.from).toBeLessThan(Date.parse('2020-01-01T00:00:00Z'));
    expect(await panel('Warehouse freshness').getAttribute('data-state')).toBe('ok');
    const before = {
      revenue: await totalOf('Revenue'),
      revenueOverTime: await totalOf('Revenue over time'),
      latestSaleText: await freshnessText('Newest sale'),
      freshness: freshnessFrame,
    };
    expect(before.revenue).toBeGreaterThan(0);
    expect(before.latestSaleText).toMatch(/years? ago$/);
    expect(before.freshness?.latestSale).toBeLessThan(Date.parse('2024-01-01T00:00:00Z'));
    const beforeReceived = before.freshness?.received ?? 0;
    expect(beforeReceived).toBeGreaterThan(0);

    const ids = {
      revenue: await panel('Revenue').getAttribute('data-panel-id'),
      revenueOverTime: await panel('Revenue over time').getAttribute('data-panel-id'),
      freshness: await panel('Warehouse freshness').getAttribute('data-panel-id'),
    };

    // Act: tills post live sales to the same server while the page stays open.
    const started = Date.now();
    let finished = false;
    const simulation: Promise<TillSimulatorReport> = runTillSimulator({
      baseUrl: server.url,
      credentials: tills,
      ratePerSecond: SIMULATION.ratePerSecond,
      durationSeconds: SIMULATION.durationSeconds,
      catalogue,
    }).finally(() => {
      finished = true;
    });
    let report: TillSimulatorReport;
    try {
      // Assess, while the simulator runs: an automatic refresh shows more revenue in both revenue panels and a sale from now.
      // (Panels render one by one, from separate queries: wait until all three have moved, not just the first.)
      await page.waitForFunction(
        ({ ids, revenue, revenueOverTime, recent }) => {
          const box = (id: string | null) => document.querySelector(`section.panel[data-panel-id="${id}"]`);
          const total = (id: string | null) => Number(box(id)?.getAttribute('data-total') ?? 0);
          const latestSale = Array.from(box(ids.freshness)?.querySelectorAll('.stat .figure') ?? []).find((cell) => (cell as HTMLElement).dataset.field === 'Newest sale');
          return total(ids.revenue) > revenue && total(ids.revenueOverTime) > revenueOverTime && new RegExp(recent).test(latestSale?.querySelector('.value')?.textContent ?? '');
        },
        { ids, revenue: before.revenue, revenueOverTime: before.revenueOverTime, recent: RECENT.source },
        { timeout: SIMULATION.durationSeconds * 1000, polling: 100 },
      );
      expect(finished, 'the dashboard moved only after the simulator had stopped').toBe(false);
      expect(await totalOf('Revenue')).toBeGreaterThan(before.revenue);
      expect(await totalOf('Revenue over time')).toBeGreaterThan(before.revenueOverTime);
      expect(await freshnessText('Newest sale')).toMatch(RECENT);
    } finally {
      report = await simulation;
    }
    expect(report).toMatchObject({ salesSent: SIMULATION.ratePerSecond * SIMULATION.durationSeconds, errors: 0, salesSkipped: 0 });
    expect(report.salesAccepted).toBe(report.salesSent);

    // Assess, once everything posted is in the warehouse: the page shows exactly the sample plus the till sales.
    const tillSales = async () => {
      const { rows } = await testStack.stack.warehouse.pool.query<{ sales: string; pence: string | null }>(
        "SELECT COUNT(*) AS sales, SUM(total_pence) AS pence FROM sales WHERE source = 'till'",
      );
      return { sales: Number(rows[0]?.sales ?? 0), pounds: Number(rows[0]?.pence ?? 0) / 100 };
    };
    await expect.poll(async () => (await tillSales()).sales, { timeout: 15_000 }).toBe(report.salesAccepted);
    const { pounds } = await tillSales();
    await nextRefresh();
    expect(await totalOf('Revenue')).toBeCloseTo(before.revenue + pounds, 2);
    expect(await totalOf('Revenue over time')).toBeCloseTo(before.revenueOverTime + pounds, 2);
    expect(await freshnessText('Newest sale')).toMatch(RECENT);
    expect(await freshnessText('Loaded')).toMatch(RECENT);
    await expect.poll(() => freshnessFrame?.received ?? 0, { timeout: 5_000 }).toBeGreaterThan(Math.max(beforeReceived, started));
    expect(freshnessFrame?.latestSale).toBeGreaterThanOrEqual(started - 1_000);
    expect(await notReloaded()).toBe(true);
    await page.screenshot({ path: join(OUTPUT, 'dashboard-live-tills.png'), fullPage: true });
  });
});
