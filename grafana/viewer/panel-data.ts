import type pg from 'pg';
import type { LoadedDashboard, ViewerVariable } from './dashboard-model.js';
import { expandQuery } from './macros.js';
import { runReadOnlyQuery, type Frame } from './run-query.js';
import { autoInterval, type TimeRange } from './time-range.js';

/** What the browser chose: `ALL` (Grafana's `$__all`) or explicit values, per variable. */
export const ALL = '$__all';
export type Selections = Readonly<Record<string, readonly string[]>>;

/** Grafana's default when a panel sets no maxDataPoints: about one point per pixel of a wide panel. */
const DEFAULT_MAX_DATA_POINTS = 1000;

export class SelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectionError';
  }
}

/** A variable's options: its query's first column, distinct, in query order. */
export async function variableOptions(pool: pg.Pool, variable: ViewerVariable): Promise<string[]> {
  const frame = await runReadOnlyQuery(pool, variable.sql, []);
  const values = frame.rows.map((row) => row[0]).filter((value): value is string | number => value !== null);
  return [...new Set(values.map(String))];
}

/**
 * Resolves the browser's selections against each variable's current options:
 * "All" (or nothing chosen) means every option, and a value that is not an
 * option is refused, so only known branch names ever reach a query.
 */
export async function resolveVariables(pool: pg.Pool, dashboard: LoadedDashboard, selections: Selections): Promise<Record<string, string[]>> {
  const resolved: Record<string, string[]> = {};
  for (const variable of dashboard.variables) {
    const options = await variableOptions(pool, variable);
    const chosen = selections[variable.name] ?? [ALL];
    if (chosen.length === 0 || chosen.includes(ALL)) {
      resolved[variable.name] = options;
      continue;
    }
    const unknown = chosen.filter((value) => !options.includes(value));
    if (unknown.length > 0) throw new SelectionError(`not a ${variable.name}: ${unknown.join(', ')}`);
    resolved[variable.name] = [...chosen];
  }
  return resolved;
}

/** Runs one panel's committed SQL for a time range and resolved variables; undefined for a panel without SQL. */
export async function panelFrame(
  pool: pg.Pool,
  dashboard: LoadedDashboard,
  panelId: number,
  range: TimeRange,
  variables: Readonly<Record<string, readonly string[]>>,
): Promise<Frame | undefined> {
  const sql = dashboard.panelSql.get(panelId);
  if (sql === undefined) return undefined;
  const sizing = dashboard.panelIntervals.get(panelId);
  const intervalMs = autoInterval(range, sizing?.maxDataPoints ?? DEFAULT_MAX_DATA_POINTS, sizing?.interval);
  const { text, values } = expandQuery(sql, { range, intervalMs, variables });
  return runReadOnlyQuery(pool, text, values);
}
