import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { METRICS_NAMESPACE, MetricName } from '../../contracts/index.js';
import { DASHBOARDS_DIR, renderDashboards } from '../generate.js';
import { Target } from '../panels/common.js';
import { parseDuration, resolveRange } from '../viewer/time-range.js';
import { pipelineOperations } from './pipeline-operations.js';
import { salesOverview } from './sales-overview.js';

/**
 * The dashboard model Grafana 11/12 loads (schemaVersion 39-42, the v1 "classic"
 * JSON), as far as these dashboards use it: the fields Grafana requires, the
 * enumerations it accepts, and grid rules it enforces when laying out.
 */
const DatasourceRefSchema = z.object({ type: z.string().min(1), uid: z.string().min(1) }).strict();
const GridPosSchema = z
  .object({ x: z.number().int().min(0).max(23), y: z.number().int().min(0), w: z.number().int().min(1).max(24), h: z.number().int().min(1) })
  .refine((pos) => pos.x + pos.w <= 24, 'panel overflows the 24-column grid');
const TargetSchema = z.object({ refId: z.string().min(1), datasource: DatasourceRefSchema }).passthrough();
const PanelSchema = z
  .object({
    id: z.number().int().positive(),
    type: z.enum(['stat', 'timeseries', 'barchart', 'piechart', 'heatmap', 'table']),
    title: z.string().min(1),
    description: z.string().optional(),
    gridPos: GridPosSchema,
    datasource: DatasourceRefSchema.optional(),
    targets: z.array(TargetSchema).min(1),
    fieldConfig: z.object({ defaults: z.record(z.string(), z.unknown()), overrides: z.array(z.object({ matcher: z.object({ id: z.string() }).passthrough(), properties: z.array(z.object({ id: z.string() }).passthrough()) })) }),
    options: z.record(z.string(), z.unknown()),
    interval: z.string().regex(/^\d+(ms|s|m|h|d|w|M|y)$/).optional(),
  })
  .passthrough();
const RowSchema = z.object({ id: z.number().int().positive(), type: z.literal('row'), title: z.string(), collapsed: z.boolean(), gridPos: GridPosSchema, panels: z.array(z.unknown()) }).passthrough();
const VariableSchema = z
  .object({
    type: z.enum(['query', 'adhoc', 'constant', 'datasource', 'interval', 'textbox', 'custom']),
    name: z.string().regex(/^\w+$/),
    label: z.string().optional(),
    current: z.object({ text: z.unknown(), value: z.unknown() }).passthrough().optional(),
  })
  .passthrough();
const DashboardSchema = z
  .object({
    uid: z.string().regex(/^[a-zA-Z0-9_-]{1,40}$/),
    title: z.string().min(1),
    description: z.string().optional(),
    tags: z.array(z.string()),
    schemaVersion: z.number().int().min(39).max(42),
    editable: z.boolean(),
    graphTooltip: z.union([z.literal(0), z.literal(1), z.literal(2)]),
    timezone: z.string(),
    refresh: z.string().regex(/^(\d+[smhd])?$/),
    time: z.object({ from: z.string().regex(/^now(-\d+[smhdwMy])?$/), to: z.literal('now') }),
    timepicker: z.object({ refresh_intervals: z.array(z.string()).optional() }).passthrough(),
    templating: z.object({ list: z.array(VariableSchema).optional() }),
    annotations: z.object({ list: z.array(z.unknown()).optional() }).passthrough(),
    panels: z.array(z.union([RowSchema, PanelSchema])).min(1),
  })
  .passthrough();

const committed = async (name: string): Promise<dashboard.Dashboard> => JSON.parse(await readFile(join(DASHBOARDS_DIR, name), 'utf8')) as dashboard.Dashboard;
const names = [...renderDashboards().keys()];
const provisioned = async () => {
  const text = (await Promise.all(['local/datasources/supercafe-warehouse.yaml', 'aws/datasources/supercafe-aws.yaml'].map((file) => readFile(join(DASHBOARDS_DIR, '..', 'provisioning', file), 'utf8')))).join('\n');
  return new Set([...text.matchAll(/^\s+uid:\s*(\S+)/gm)].map((match) => match[1]));
};

type AnyTarget = { rawSql?: string; rawSQL?: string; namespace?: string; metricName?: string; datasource?: { uid: string } };
const panelsOf = (built: dashboard.Dashboard) => (built.panels ?? []).filter((panel): panel is dashboard.Panel => panel.type !== 'row');
const sqlOf = (panel: dashboard.Panel) => ((panel.targets ?? []) as AnyTarget[]).map((target) => target.rawSql ?? target.rawSQL).filter((sql): sql is string => sql !== undefined);

/** SQL that runs on PostgreSQL but not on Redshift (or differs there), with the reason. */
const NOT_PORTABLE: readonly [RegExp, string][] = [
  [/::/, 'PostgreSQL cast syntax: use CAST(x AS type)'],
  [/\bFILTER\s*\(/i, 'aggregate FILTER is PostgreSQL-only: use SUM(CASE ...)'],
  [/\bILIKE\b|\bDISTINCT\s+ON\b|\bGENERATE_SERIES\b|\bLATERAL\b/i, 'PostgreSQL-only syntax'],
  [/\bCONVERT_TIMEZONE\b|\bDATEDIFF\b|\bGETDATE\b|\bNVL\b/i, 'Redshift-only function'],
  [/\bAVG\s*\(/i, "Redshift's AVG of an integer column truncates: divide a NUMERIC sum"],
  [/\bNOW\s*\(/i, 'the time range comes from the dashboard, not the clock'],
  [/\$__timeGroupAlias\b/, 'the Redshift datasource has no $__timeGroupAlias: use $__timeGroup(...) followed by a comma'],
  [/\$__timeGroup\([^)]*\)(?!,)/, '$__timeGroup must be followed by a comma to be aliased "time" on both datasources'],
  [/\$branch\b|\$\{branch\}/, 'use ${branch:sqlstring}: Redshift leaves a single value unquoted'],
  [/;/, 'one statement per panel'],
];

describe('Dashboards: Grafana dashboard model', () => {
  it.each(names)('%s loads in the Grafana 11/12 dashboard schema', async (name) => {
    // Act
    const parsed = DashboardSchema.safeParse(await committed(name));
    // Assess
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it.each(names)('%s has unique panel ids and no overlapping panels', async (name) => {
    // Prepare
    const panels = (await committed(name)).panels ?? [];
    const cells = new Set<string>();
    // Act / Assess
    expect(new Set(panels.map((panel) => panel.id)).size).toBe(panels.length);
    for (const { gridPos } of panels) {
      for (let x = gridPos?.x ?? 0; x < (gridPos?.x ?? 0) + (gridPos?.w ?? 0); x++) {
        for (let y = gridPos?.y ?? 0; y < (gridPos?.y ?? 0) + (gridPos?.h ?? 0); y++) {
          expect(cells.has(`${x},${y}`), `overlap at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });

  it.each(names)('%s refers only to provisioned datasources', async (name) => {
    // Prepare
    const uids = await provisioned();
    const built = await committed(name);
    // Act
    const used = [...JSON.stringify(built).matchAll(/"uid":\s*"([^"]+)"/g)].map((match) => match[1]).filter((uid) => uid !== built.uid);
    // Assess
    expect(used.length).toBeGreaterThan(0);
    for (const uid of used) expect(uids).toContain(uid);
  });

  it('is exactly what the SDK-typed builders produce', async () => {
    // Prepare: these are dashboard.Dashboard values, type-checked against the SDK at compile time.
    const built: Record<string, dashboard.Dashboard> = {
      'local/sales-overview.json': salesOverview(Target.Local),
      'aws/sales-overview.json': salesOverview(Target.Aws),
      'local/pipeline-operations.json': pipelineOperations(Target.Local),
      'aws/pipeline-operations.json': pipelineOperations(Target.Aws),
    };
    // Act / Assess
    for (const [name, value] of Object.entries(built)) expect(await committed(name)).toEqual(JSON.parse(JSON.stringify(value)));
  });
});

describe('Dashboards: what a refresh costs in AWS', () => {
  const minutes = (text: string) => parseDuration(text) / 60_000;
  const awsNames = names.filter((name) => name.startsWith('aws/'));

  it.each(awsNames)('%s refreshes every 5 minutes or more, and offers nothing faster', async (name) => {
    // Prepare
    const built = await committed(name);
    // Assess: each refresh is a Redshift query per panel, billed while Redshift Serverless runs.
    expect(minutes(built.refresh ?? '')).toBeGreaterThanOrEqual(5);
    expect(built.timepicker?.refresh_intervals?.length).toBeGreaterThan(0);
    for (const interval of built.timepicker?.refresh_intervals ?? []) expect(minutes(interval), interval).toBeGreaterThanOrEqual(5);
  });

  it.each(awsNames)('%s opens on a bounded range of at most 31 days, and every quick range is bounded too', async (name) => {
    // Prepare
    const built = await committed(name);
    const now = new Date('2026-06-15T12:00:00Z');
    const days = (range: { from: string; to: string }) => {
      const resolved = resolveRange(range, now, built.timezone);
      return (resolved.to.getTime() - resolved.from.getTime()) / 86_400_000;
    };
    // Assess
    expect(days(built.time ?? { from: '', to: '' })).toBeLessThanOrEqual(31);
    expect(built.timepicker?.quick_ranges?.length).toBeGreaterThan(0);
    for (const range of built.timepicker?.quick_ranges ?? []) expect(days(range), range.display).toBeLessThanOrEqual(31);
  });

  it('offers the ranges a café thinks in on the sales overview, in Grafana\'s own date math', async () => {
    // Act
    const ranges = (await committed('aws/sales-overview.json')).timepicker?.quick_ranges ?? [];
    // Assess
    expect(ranges).toEqual([
      { display: 'Today', from: 'now/d', to: 'now' },
      { display: 'Yesterday', from: 'now-1d/d', to: 'now-1d/d' },
      { display: 'Last 7 days', from: 'now-7d', to: 'now' },
      { display: 'Last 30 days', from: 'now-30d', to: 'now' },
      { display: 'This month', from: 'now/M', to: 'now' },
    ]);
  });
});

describe('Dashboards: portable SQL', () => {
  it.each(names)('%s uses no engine-specific SQL', async (name) => {
    // Act
    const problems = panelsOf(await committed(name)).flatMap((panel) =>
      sqlOf(panel).flatMap((sql) => NOT_PORTABLE.filter(([pattern]) => pattern.test(sql)).map(([, why]) => `${panel.title}: ${why}`)),
    );
    // Assess
    expect(problems).toEqual([]);
  });

  it.each(['sales-overview.json', 'pipeline-operations.json'])('%s runs the same SQL text on PostgreSQL and Redshift', async (name) => {
    // Prepare
    const local = new Map(panelsOf(await committed(`local/${name}`)).map((panel) => [panel.title, sqlOf(panel)]));
    const aws = new Map(panelsOf(await committed(`aws/${name}`)).map((panel) => [panel.title, sqlOf(panel)]));
    // Act
    const shared = [...aws].filter(([, sql]) => sql.length > 0);
    // Assess: every Redshift query is the local query, word for word.
    expect(shared.length).toBeGreaterThan(0);
    for (const [title, sql] of shared) expect(sql, title).toEqual(local.get(title));
  });

  it('gives the business dashboard the same panels on both targets', async () => {
    // Act
    const titles = async (name: string) => panelsOf(await committed(name)).map((panel) => panel.title);
    // Assess
    expect(await titles('aws/sales-overview.json')).toEqual(await titles('local/sales-overview.json'));
  });

  it('reads only metrics the pipeline publishes or AWS services emit', async () => {
    // Prepare
    const published = new Set<string>(Object.values(MetricName));
    const aws: Record<string, string[]> = {
      'AWS/Kinesis': ['GetRecords.IteratorAgeMilliseconds'],
      'AWS/Lambda': ['Errors'],
      'AWS/SQS': ['ApproximateNumberOfMessagesVisible'],
    };
    // Act
    const metrics = panelsOf(await committed('aws/pipeline-operations.json')).flatMap((panel) => ((panel.targets ?? []) as AnyTarget[]).filter((target) => target.namespace));
    // Assess
    expect(metrics.length).toBeGreaterThan(0);
    for (const { namespace = '', metricName = '' } of metrics) {
      expect(namespace === METRICS_NAMESPACE ? published.has(metricName) : (aws[namespace] ?? []).includes(metricName), `${namespace}/${metricName}`).toBe(true);
    }
  });
});
