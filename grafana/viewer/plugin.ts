import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import type pg from 'pg';
import { z } from 'zod';
import { clientBundle, echartsScript } from './client-assets.js';
import { loadDashboards, type LoadedDashboard } from './dashboard-model.js';
import { VIEWER_PAGE, VIEWER_STYLE } from './page.js';
import { SelectionError, panelFrame, resolveVariables, variableOptions } from './panel-data.js';
import { parseTime } from './time-range.js';

export interface DashboardViewerOptions {
  readonly pool: pg.Pool;
  /** Folder of dashboard JSON to serve; default the committed local variants. */
  readonly dashboardsDir?: string;
}

const LOCAL_DASHBOARDS = join(import.meta.dirname, '..', 'dashboards', 'local');

const RangeQuerySchema = z.object({ from: z.string().default('now-10y'), to: z.string().default('now') });

/** `?branch=a&branch=b` arrives as a string or an array; any `var-` free name is a variable. */
function selectionsFrom(query: Record<string, unknown>, dashboard: LoadedDashboard): Record<string, string[]> {
  const selections: Record<string, string[]> = {};
  for (const variable of dashboard.variables) {
    const raw = query[variable.name];
    if (raw === undefined) continue;
    selections[variable.name] = (Array.isArray(raw) ? raw : [raw]).map(String);
  }
  return selections;
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

  /** Whether the warehouse answers and holds any sales: the page says so plainly when not. */
  app.get('/viewer/api/status', async () => {
    try {
      const { rows } = await pool.query<{ sales: string; last_loaded: Date | null }>('SELECT COUNT(*) AS sales, MAX(loaded_at) AS last_loaded FROM sales');
      const sales = Number(rows[0]?.sales ?? 0);
      return { reachable: true, sales, lastLoadedAt: rows[0]?.last_loaded?.toISOString() ?? null };
    } catch (error) {
      return { reachable: false, sales: 0, lastLoadedAt: null, error: error instanceof Error ? error.message : String(error) };
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
    const { from, to } = RangeQuerySchema.parse(request.query);
    const now = new Date();
    let range;
    try {
      range = { from: parseTime(from, now), to: parseTime(to, now) };
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
