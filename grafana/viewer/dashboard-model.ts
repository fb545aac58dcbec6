import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The part of a generated dashboard JSON the viewer uses (other keys are dropped). The viewer reads the
 * committed `grafana/dashboards/local/*.json` (what a real Grafana loads), never
 * the TypeScript that made them, so both show the same panels and SQL.
 */
const GridPosSchema = z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() });

const OverrideSchema = z.object({
  matcher: z.object({ id: z.string(), options: z.unknown().optional() }),
  properties: z.array(z.object({ id: z.string(), value: z.unknown().optional() })),
});

const TargetSchema = z.object({ refId: z.string(), rawSql: z.string().optional() });

const PanelSchema = z
  .object({
    id: z.number(),
    type: z.string(),
    title: z.string().optional(),
    description: z.string().optional(),
    gridPos: GridPosSchema,
    interval: z.string().optional(),
    maxDataPoints: z.number().optional(),
    targets: z.array(TargetSchema).optional(),
    fieldConfig: z
      .object({ defaults: z.record(z.string(), z.unknown()).default({}), overrides: z.array(OverrideSchema).default([]) })
      .default({ defaults: {}, overrides: [] }),
    options: z.record(z.string(), z.unknown()).default({}),
  });

const VariableSchema = z.object({
  name: z.string(),
  label: z.string().optional(),
  type: z.string(),
  query: z.unknown().optional(),
  includeAll: z.boolean().optional(),
  multi: z.boolean().optional(),
});

const QuickRangeSchema = z.object({ display: z.string(), from: z.string(), to: z.string() });

export const DashboardFileSchema = z
  .object({
    uid: z.string(),
    title: z.string(),
    time: z.object({ from: z.string(), to: z.string() }),
    /** An IANA zone; Grafana's `browser` and `utc` are read as UTC here (the server has no browser). */
    timezone: z.string().default('utc'),
    timepicker: z.object({ quick_ranges: z.array(QuickRangeSchema).default([]) }).default({ quick_ranges: [] }),
    panels: z.array(PanelSchema),
    templating: z.object({ list: z.array(VariableSchema).default([]) }).default({ list: [] }),
  });

export type DashboardFile = z.infer<typeof DashboardFileSchema>;
export type QuickRange = z.infer<typeof QuickRangeSchema>;
export type DashboardPanel = z.infer<typeof PanelSchema>;

/** A query variable the viewer can resolve: its options come from this SQL. */
export interface ViewerVariable {
  readonly name: string;
  readonly label: string;
  readonly sql: string;
  readonly includeAll: boolean;
  readonly multi: boolean;
}

/** A dashboard as the viewer serves it: panels without their SQL, which stays on the server. */
export interface ViewerDashboard {
  readonly uid: string;
  readonly title: string;
  readonly time: { readonly from: string; readonly to: string };
  /** The IANA zone date math is rounded in (`now/d` is midnight there). */
  readonly timeZone: string;
  /** The picker's ranges, in the dashboard's order. */
  readonly quickRanges: readonly QuickRange[];
  readonly variables: readonly Omit<ViewerVariable, 'sql'>[];
  readonly panels: readonly Omit<DashboardPanel, 'targets'>[];
}

/** A loaded dashboard: the public view plus the server-side SQL per panel id. */
export interface LoadedDashboard {
  readonly view: ViewerDashboard;
  readonly panelSql: ReadonlyMap<number, string>;
  readonly panelIntervals: ReadonlyMap<number, { readonly interval?: string; readonly maxDataPoints?: number }>;
  readonly variables: readonly ViewerVariable[];
}

const variableSql = (query: unknown): string | undefined =>
  typeof query === 'string' ? query : typeof query === 'object' && query !== null && 'rawSql' in query ? String((query as { rawSql: unknown }).rawSql) : undefined;

/** Splits a dashboard file into what the browser may see and the SQL only the server runs. */
export function toLoadedDashboard(file: DashboardFile): LoadedDashboard {
  const panelSql = new Map<number, string>();
  const panelIntervals = new Map<number, { interval?: string; maxDataPoints?: number }>();
  const panels = file.panels.map(({ targets, ...panel }) => {
    const sql = targets?.find((target) => typeof target.rawSql === 'string')?.rawSql;
    if (sql) panelSql.set(panel.id, sql);
    panelIntervals.set(panel.id, { interval: panel.interval, maxDataPoints: panel.maxDataPoints });
    return panel;
  });
  const variables = file.templating.list.flatMap((variable): ViewerVariable[] => {
    const sql = variable.type === 'query' ? variableSql(variable.query) : undefined;
    if (!sql) return [];
    const label = variable.label ?? variable.name;
    return [{ name: variable.name, label, sql, includeAll: variable.includeAll ?? false, multi: variable.multi ?? false }];
  });
  return {
    view: {
      uid: file.uid,
      title: file.title,
      time: file.time,
      timeZone: ['browser', 'utc', ''].includes(file.timezone) ? 'UTC' : file.timezone,
      quickRanges: file.timepicker.quick_ranges,
      variables: variables.map(({ sql: _sql, ...rest }) => rest),
      panels,
    },
    panelSql,
    panelIntervals,
    variables,
  };
}

/** Reads and validates every dashboard JSON in a folder, sorted by file name. */
export async function loadDashboards(dir: string): Promise<LoadedDashboard[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  const dashboards: LoadedDashboard[] = [];
  for (const name of names) {
    const json: unknown = JSON.parse(await readFile(join(dir, name), 'utf8'));
    dashboards.push(toLoadedDashboard(DashboardFileSchema.parse(json)));
  }
  // The business dashboard first: it is what the viewer opens on.
  return dashboards.sort((a, b) => Number(b.view.uid.includes('sales')) - Number(a.view.uid.includes('sales')));
}
