import type pg from 'pg';
import type { LoadedDashboard } from '../viewer/dashboard-model.js';
import { ALL, panelFrame, resolveVariables } from '../viewer/panel-data.js';
import type { Frame } from '../viewer/run-query.js';
import type { TimeRange } from '../viewer/time-range.js';

/** A panel's result as rows of named values. */
export type PanelRow = Record<string, number | string | null>;

/**
 * Runs a panel, found by title, exactly as the viewer does for the page:
 * the committed SQL, Grafana's macros expanded, variables bound. Tests compare
 * what a page shows, or what is computed from the CSV files, with this.
 * Throws when the dashboard has no panel of that title.
 */
export async function runPanel(pool: pg.Pool, dashboard: LoadedDashboard, title: string, range: TimeRange, branch: readonly string[] = [ALL]): Promise<PanelRow[]> {
  const panel = dashboard.view.panels.find((candidate) => candidate.title === title);
  if (!panel) throw new Error(`no panel "${title}" in ${dashboard.view.uid}`);
  const variables = await resolveVariables(pool, dashboard, { branch });
  const frame = (await panelFrame(pool, dashboard, panel.id, range, variables)) as Frame;
  return frame.rows.map((row) => Object.fromEntries(frame.fields.map((field, index) => [field.name, row[index] ?? null])));
}
