import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_SETTINGS, type DashboardSettings, type DeploymentSettings } from './plan-inputs.js';

/**
 * Reads the deployment's current settings the way `cdk synth` sees them: the
 * `supercafe:*` keys of cdk.json's context (construct defaults for keys it does not
 * set), and the refresh interval and Redshift panels of each generated AWS dashboard.
 */

const CONTEXT_PREFIX = 'supercafe:';
const REDSHIFT_DATASOURCE = 'grafana-redshift-datasource';

const CdkJsonSchema = z.object({ context: z.record(z.string(), z.unknown()) });
const DashboardJsonSchema = z.object({
  uid: z.string().optional(),
  title: z.string().optional(),
  refresh: z.union([z.string(), z.literal(false)]).optional(),
  panels: z.array(z.object({ type: z.string().optional(), datasource: z.object({ type: z.string().optional() }).nullish() }).passthrough()).default([]),
});

/** Seconds in a Grafana interval such as `30s`, `5m`, `1h`; empty or false = no auto-refresh (0). */
export function grafanaIntervalSeconds(interval: string | false | undefined): number {
  if (interval === undefined || interval === false || interval === '') return 0;
  const match = /^(\d+)([smhd])$/.exec(interval.trim());
  if (!match) throw new Error(`not a Grafana refresh interval: "${interval}"`);
  const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

/** The capacity-relevant settings in a cdk.json `context` object; unknown keys are ignored. */
export function settingsFromContext(context: Readonly<Record<string, unknown>>, base: DeploymentSettings = DEFAULT_SETTINGS): DeploymentSettings {
  const at = (key: string) => context[`${CONTEXT_PREFIX}${key}`];
  const num = (key: string): number | undefined => {
    const raw = at(key);
    if (raw === undefined || raw === null || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new Error(`context ${CONTEXT_PREFIX}${key} must be a number, got ${JSON.stringify(raw)}`);
    return value;
  };
  const capacity = at('streamCapacity');
  if (capacity !== undefined && capacity !== 'ON_DEMAND' && capacity !== 'PROVISIONED') {
    throw new Error(`context ${CONTEXT_PREFIX}streamCapacity must be ON_DEMAND or PROVISIONED, got ${JSON.stringify(capacity)}`);
  }
  return {
    ...base,
    streamCapacity: capacity ?? base.streamCapacity,
    shardCount: num('shardCount') ?? base.shardCount,
    ingestMemoryMb: num('ingestMemoryMb') ?? base.ingestMemoryMb,
    ingestReservedConcurrency: num('ingestReservedConcurrency') ?? base.ingestReservedConcurrency,
    consumerBatchSize: num('consumerBatchSize') ?? base.consumerBatchSize,
    consumerBatchingWindowSeconds: num('consumerBatchingWindowSeconds') ?? base.consumerBatchingWindowSeconds,
    consumerParallelizationFactor: num('consumerParallelizationFactor') ?? base.consumerParallelizationFactor,
    consumerReservedConcurrency: num('consumerReservedConcurrency') ?? base.consumerReservedConcurrency,
    tillApiReservedConcurrency: num('tillApiReservedConcurrency') ?? base.tillApiReservedConcurrency,
    firehoseBufferSeconds: num('firehoseBufferSeconds') ?? base.firehoseBufferSeconds,
    mergeIntervalMinutes: num('mergeIntervalMinutes') ?? base.mergeIntervalMinutes,
    redshiftBaseCapacity: num('redshiftBaseCapacity') ?? base.redshiftBaseCapacity,
    rawRetentionDays: num('rawRetentionDays') ?? base.rawRetentionDays,
    rawArchiveRetentionDays: num('rawArchiveRetentionDays') ?? base.rawArchiveRetentionDays,
  };
}

/** Refresh interval and Redshift panel count of a generated dashboard JSON. */
export function dashboardSettings(json: unknown, fallbackName: string): DashboardSettings {
  const dashboard = DashboardJsonSchema.parse(json);
  return {
    name: dashboard.uid ?? dashboard.title ?? fallbackName,
    refreshSeconds: grafanaIntervalSeconds(dashboard.refresh),
    redshiftPanels: dashboard.panels.filter((panel) => panel.datasource?.type === REDSHIFT_DATASOURCE).length,
  };
}

/** The environment the planner plans when none is named: production, what the plan is for. */
export const DEFAULT_PLAN_ENVIRONMENT = 'prod';

/**
 * A context with an environment's settings (`supercafe:environments.<name>.settings`,
 * keys without the prefix) laid over the top-level `supercafe:*` keys, as the CDK
 * app reads them (infra/aws/context.ts). A context without environments is returned as it is.
 *
 * @throws Error when the context has environments but not this one
 */
export function contextForEnvironment(context: Readonly<Record<string, unknown>>, environment: string): Record<string, unknown> {
  const blocks = context[`${CONTEXT_PREFIX}environments`] as Record<string, { settings?: Record<string, unknown> }> | undefined;
  if (!blocks || typeof blocks !== 'object') return { ...context };
  const block = blocks[environment];
  if (!block || environment.startsWith('//')) {
    throw new Error(`no environment "${environment}" in cdk.json (it defines ${Object.keys(blocks).filter((key) => !key.startsWith('//')).join(', ')})`);
  }
  return { ...context, ...Object.fromEntries(Object.entries(block.settings ?? {}).map(([key, value]) => [`${CONTEXT_PREFIX}${key}`, value])) };
}

/**
 * The repository's current settings: cdk.json context (an environment's over the
 * top-level keys) and `grafana/dashboards/aws/*.json`.
 *
 * @param repoRoot the checkout's root folder
 * @param overrides `key=value` context overrides, as `-c supercafe:key=value` would give cdk
 * @param environment the cdk.json environment whose settings apply (`prod` by default)
 * @throws Error naming the file or key when cdk.json or a dashboard cannot be read
 */
export function readRepositorySettings(repoRoot: string, overrides: Readonly<Record<string, string>> = {}, environment = DEFAULT_PLAN_ENVIRONMENT): DeploymentSettings {
  const cdkJsonPath = join(repoRoot, 'cdk.json');
  let cdk: z.infer<typeof CdkJsonSchema>;
  try {
    cdk = CdkJsonSchema.parse(JSON.parse(readFileSync(cdkJsonPath, 'utf8')));
  } catch (error) {
    throw new Error(`cannot read the context of ${cdkJsonPath}`, { cause: error });
  }
  const context = { ...contextForEnvironment(cdk.context, environment), ...Object.fromEntries(Object.entries(overrides).map(([key, value]) => [`${CONTEXT_PREFIX}${key.replace(CONTEXT_PREFIX, '')}`, value])) };
  const dashboardsDir = join(repoRoot, 'grafana', 'dashboards', 'aws');
  const dashboards = readdirSync(dashboardsDir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const path = join(dashboardsDir, name);
      try {
        return dashboardSettings(JSON.parse(readFileSync(path, 'utf8')), name.replace(/\.json$/, ''));
      } catch (error) {
        throw new Error(`cannot read the refresh settings of ${path}`, { cause: error });
      }
    });
  return { ...settingsFromContext(context), dashboards };
}
