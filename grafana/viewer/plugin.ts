import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import type pg from 'pg';
import { z } from 'zod';
import { clientBundle, echartsScript } from './client-assets.js';
import { loadDashboards, type LoadedDashboard } from './dashboard-model.js';
import { VIEWER_PAGE, VIEWER_STYLE } from './page.js';
import { ALL, SelectionError, panelFrame, resolveVariables, variableOptions } from './panel-data.js';
import { resolveRange } from './time-range.js';

export interface DashboardViewerOptions {
  readonly pool: pg.Pool;
  /** Folder of dashboard JSON to serve; default the committed local variants. */
  readonly dashboardsDir?: string;
  /**
   * The folder the running stack loads dropped CSV files from: the empty
   * warehouse's advice names it, since that is what works while the stack runs.
   */
  readonly inbox?: string;
}

const LOCAL_DASHBOARDS = join(import.meta.dirname, '..', 'dashboards', 'local');

const RangeQuerySchema = z.object({ from: z.string().optional(), to: z.string().optional() });

/** `?branch=a&branch=b` arrives as a string or an array. */
const valuesOf = (raw: unknown): string[] => (raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]).map(String));

function selectionsFrom(query: Record<string, unknown>, dashboard: LoadedDashboard): Record<string, string[]> {
  const selections: Record<string, string[]> = {};
  for (const variable of dashboard.variables) {
    if (query[variable.name] === undefined) continue;
    selections[variable.name] = valuesOf(query[variable.name]);
  }
  return selections;
}

/** What the page needs before it draws anything: whether the warehouse answers, holds sales, and how recent the newest is. */
export interface ViewerStatus {
  readonly reachable: boolean;
  readonly sales: number;
  readonly lastLoadedAt: string | null;
  /** The newest `sold_at` of the branches asked for (all branches when none are named). */
  readonly newestSaleAt: string | null;
  readonly inbox: string | null;
  readonly error?: string;
}

/**
 * The localhost dashboard viewer: serves a page that renders the generated
 * Grafana dashboards with ECharts, and a small JSON API that runs a panel's
 * committed SQL by dashboard uid and panel id. The browser never sends SQL.
 *
 * Register under `/`: `await app.register(dashboardViewer, { pool })`.
 */
export const dashboardViewer: FastifyPluginAsync<DashboardViewerOptions> = async (app, options) => {
  const dashboards = await loadDashboards(options.dashboardsDir ?? LOCAL_DASHBOARDS);
  const byUid = new Map(dashboards.map((dashboard) => [dashboard.view.uid, dashboard]));
  const { pool } = options;

  const find = (uid: string) => {
    const dashboard = byUid.get(uid);
    if (!dashboard) throw Object.assign(new Error(`no dashboard ${uid}`), { statusCode: 404 });
    return dashboard;
  };

  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(VIEWER_PAGE));
  // Browsers ask for an icon; a 204 keeps their consoles free of 404s.
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).send());
  app.get('/viewer/style.css', async (_request, reply) => reply.type('text/css; charset=utf-8').send(VIEWER_STYLE));
  app.get('/viewer/app.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(await clientBundle()));
  app.get('/viewer/echarts.min.js', async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'max-age=3600').send(await echartsScript()),
  );

  app.get('/viewer/api/dashboards', async () => dashboards.map((dashboard) => dashboard.view));

  /**
   * Whether the warehouse answers and holds any sales (the page says so plainly
   * when not), and the newest sale of the chosen branches (`?branch=`, repeated;
   * `$__all` or none for every branch), so the page can say when a range is
   * older than the data. Branch names are bound parameters.
   */
  app.get<{ Querystring: Record<string, unknown> }>('/viewer/api/status', async (request): Promise<ViewerStatus> => {
    const inbox = options.inbox ?? null;
    const branches = valuesOf(request.query.branch).filter((branch) => branch !== ALL);
    try {
      const { rows } = await pool.query<{ sales: string; last_loaded: Date | null; newest: Date | null }>(
        `SELECT COUNT(*) AS sales, MAX(loaded_at) AS last_loaded,
           MAX(CASE WHEN cardinality($1::text[]) = 0 OR branch = ANY($1::text[]) THEN sold_at END) AS newest
         FROM sales`,
        [branches],
      );
      const row = rows[0];
      return { reachable: true, sales: Number(row?.sales ?? 0), lastLoadedAt: row?.last_loaded?.toISOString() ?? null, newestSaleAt: row?.newest?.toISOString() ?? null, inbox };
    } catch (error) {
      return { reachable: false, sales: 0, lastLoadedAt: null, newestSaleAt: null, inbox, error: error instanceof Error ? error.message : String(error) };
    }
  });

  app.get<{ Params: { uid: string; name: string } }>('/viewer/api/dashboards/:uid/variables/:name', async (request) => {
    const variable = find(request.params.uid).variables.find((candidate) => candidate.name === request.params.name);
    if (!variable) throw Object.assign(new Error(`no variable ${request.params.name}`), { statusCode: 404 });
    return { name: variable.name, options: await variableOptions(pool, variable) };
  });

  app.get<{ Params: { uid: string; id: string }; Querystring: Record<string, unknown> }>('/viewer/api/dashboards/:uid/panels/:id', async (request, reply) => {
    const dashboard = find(request.params.uid);
    const panelId = Number(request.params.id);
    const asked = RangeQuerySchema.parse(request.query);
    let range;
    try {
      // Grafana's date math, rounded in the dashboard's zone; the end of a range rounds up (`now-1d/d` is the end of yesterday).
      range = resolveRange({ from: asked.from ?? dashboard.view.time.from, to: asked.to ?? dashboard.view.time.to }, new Date(), dashboard.view.timeZone);
    } catch (error) {
      return reply.code(400).send({ error: error instanceof Error ? error.message : String(error) });
    }
    try {
      const variables = await resolveVariables(pool, dashboard, selectionsFrom(request.query, dashboard));
      const frame = await panelFrame(pool, dashboard, panelId, range, variables);
      if (!frame) return reply.code(404).send({ error: `panel ${panelId} has no SQL` });
      // The resolved range goes back too, so time axes span it as Grafana's do.
      return { ...frame, range: { from: range.from.getTime(), to: range.to.getTime() } };
    } catch (error) {
      if (error instanceof SelectionError) return reply.code(400).send({ error: error.message });
      return reply.code(502).send({ error: error instanceof Error ? error.message : String(error) });
    }
  });
};
