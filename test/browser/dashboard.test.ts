import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardViewer } from '../../grafana/viewer/plugin.js';
import { readSampleFile } from '../../grafana/testing/sample-sales.js';
import { SAMPLE_REAL, SAMPLE_VARIANTS, startTestStack, type TestStack } from '../helpers/local-stack.js';

/**
 * The localhost dashboard in a real browser (Debian's chromium, driven by
 * playwright-core): panels render with data, the branch variable changes the
 * figures, and a new upload shows up without a reload.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const OUTPUT = join(import.meta.dirname, '..', '..', 'test-output');
/** Set to refresh the README screenshot (docs/images/dashboard.png); CI leaves tracked files alone. */
const README_SCREENSHOT = process.env.SUPERCAFE_UPDATE_SCREENSHOT === '1' ? join(import.meta.dirname, '..', '..', 'docs', 'images', 'dashboard.png') : undefined;
/** A day no sample file has: the Birmingham sample moved to 1 September 2021. */
const EXTRA_FILE = join(OUTPUT, 'birmingham_2021-09-01.csv');
const writeExtraFile = async () =>
  writeFile(EXTRA_FILE, (await readFile(join(SAMPLE_REAL, 'birmingham_2021-08-25.csv'), 'utf8')).replaceAll('25/08/2021', '01/09/2021'));

let testStack: TestStack;
let app: FastifyInstance;
let browser: Browser;
let page: Page;

async function serve(pool: pg.Pool): Promise<{ app: FastifyInstance; url: string }> {
  const server = Fastify({ logger: false });
  await server.register(dashboardViewer, { pool });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address();
  return { app: server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/` };
}

const panel = (title: string) => page.locator('section.panel', { has: page.locator('h2', { hasText: new RegExp(`^${title}$`) }) });
const totalOf = async (title: string) => Number(await panel(title).getAttribute('data-total'));
/** Waits until a refresh that started after now has finished: the page then shows what the warehouse holds now. */
async function nextRefresh(): Promise<void> {
  const since = await page.evaluate(() => Date.now());
  await page.waitForFunction((after) => Number(document.body.dataset.refreshed ?? 0) > after, since, { timeout: 30_000 });
}

beforeAll(async () => {
  await mkdir(OUTPUT, { recursive: true });
  await writeExtraFile();
  await mkdir(OUTPUT, { recursive: true });
  testStack = await startTestStack();
  ({ app } = await serve(testStack.stack.warehouse.pool));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1600, height: 1250 } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await testStack?.stop();
});

describe('Viewer: localhost dashboards in Chromium', () => {
  it('says plainly that the warehouse is empty, then fills in by itself', async () => {
    // Prepare
    const address = app.server.address();
    await page.goto(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`);
    // Assess
    await expect.poll(() => page.locator('#banner.empty').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.locator('#banner').textContent()).toContain('warehouse is empty');
    // Act: load the sample data while the page stays open.
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));
    await testStack.ingest([SAMPLE_REAL, SAMPLE_VARIANTS]);
    await testStack.stack.metrics.flush();
    // Assess
    await expect.poll(() => page.locator('#banner').isHidden(), { timeout: 15_000 }).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  });

  it('renders every panel of the sales overview with data', async () => {
    // Act
    await nextRefresh();
    const panels = await page.locator('section.panel').evaluateAll((nodes) =>
      nodes.map((node) => ({ title: node.querySelector('h2')?.textContent, type: node.getAttribute('data-panel-type'), state: node.getAttribute('data-state'), rows: Number(node.getAttribute('data-rows')), canvas: node.querySelector('canvas') !== null })),
    );
    // Assess
    expect(panels).toHaveLength(12);
    for (const shown of panels) {
      expect(shown, String(shown.title)).toMatchObject({ state: 'ok' });
      expect(shown.rows, String(shown.title)).toBeGreaterThan(0);
      if (['timeseries', 'barchart', 'heatmap', 'piechart'].includes(String(shown.type))) expect(shown.canvas, String(shown.title)).toBe(true);
    }
    expect(await panel('Sales').locator('.value').textContent()).toBe('7,021');
    await page.screenshot({ path: join(OUTPUT, 'dashboard-sales.png'), fullPage: true });
    if (README_SCREENSHOT) await page.screenshot({ path: README_SCREENSHOT, fullPage: false });
  });

  it('changes the figures when one branch is selected, and back for All', async () => {
    // Prepare
    const { rows } = await testStack.stack.warehouse.pool.query<{ sales: string }>("SELECT COUNT(*) AS sales FROM sales WHERE branch = 'Leeds'");
    const allRevenue = await totalOf('Revenue');
    // Act
    await page.locator('details.variable summary').click();
    await page.locator('details.variable input[value="Leeds"]').check();
    await nextRefresh();
    // Assess
    expect(await panel('Sales').locator('.value').textContent()).toBe(Number(rows[0]?.sales).toLocaleString('en-GB'));
    expect(await totalOf('Revenue')).toBeLessThan(allRevenue);
    expect(await panel('Revenue and sales by branch').getAttribute('data-rows')).toBe('1');
    await page.screenshot({ path: join(OUTPUT, 'dashboard-leeds.png'), fullPage: true });
    // Act: back to every branch.
    await page.locator('details.variable input[value="$__all"]').check();
    await page.locator('details.variable summary').click();
    await nextRefresh();
    expect(await totalOf('Revenue')).toBe(allRevenue);
  });

  it('shows a new upload in the revenue panels without a reload', async () => {
    // Prepare
    const extra = await readSampleFile(EXTRA_FILE);
    const added = extra.sales.reduce((pence, sale) => pence + sale.totalPence, 0) / 100;
    const before = await totalOf('Revenue over time');
    // Act
    await testStack.ingest([EXTRA_FILE]);
    // Assess
    await expect.poll(() => totalOf('Revenue over time'), { timeout: 20_000 }).toBeCloseTo(before + added, 2);
    expect(await totalOf('Revenue')).toBeCloseTo(before + added, 2);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  });

  it('renders the operations dashboard from the local stack', async () => {
    // Act
    await page.locator('nav button', { hasText: 'pipeline operations' }).click();
    await nextRefresh();
    // Assess
    expect(await panel('Events per minute').getAttribute('data-state')).toBe('ok');
    expect(await panel('Files ingested').getAttribute('data-rows')).toBe('30');
    expect(await panel('End-to-end lag').getAttribute('data-state')).toBe('ok');
    await page.screenshot({ path: join(OUTPUT, 'dashboard-operations.png'), fullPage: true });
  });

  it('says so when the warehouse is unreachable', async () => {
    // Prepare: a pool aimed at a port where nothing listens.
    const deadPool = new pg.Pool({ connectionString: 'postgres://nobody:none@127.0.0.1:1/none', connectionTimeoutMillis: 1_000 });
    const dead = await serve(deadPool);
    try {
      // Act
      await page.goto(dead.url);
      // Assess
      await expect.poll(() => page.locator('#banner.unreachable').isVisible(), { timeout: 15_000 }).toBe(true);
      expect(await page.locator('#banner').textContent()).toContain('unreachable');
    } finally {
      await dead.app.close();
      await deadPool.end();
    }
  });
});
