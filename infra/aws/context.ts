import type { StackProps } from 'aws-cdk-lib';
import { UsageLimitBreachAction } from './constructs/cost-guards.js';
import type { StreamCapacity } from './constructs/sales-stream.js';
import type { GrafanaSignIn } from './functions/constants.js';
import type { DataStackProps } from './stacks/data-stack.js';
import type { PipelineStackProps } from './stacks/pipeline-stack.js';

/**
 * Deployment settings, read from CDK context: the `context` block of cdk.json, or
 * `-c supercafe:<key>=<value>` on the command line (which arrives as a string, so
 * numbers and lists are parsed here). Every key is optional; docs/aws.md lists them.
 */
export const CONTEXT_PREFIX = 'supercafe:';

/** Context keys (without the prefix) and what they set. */
export const ContextKey = {
  stackPrefix: 'stackPrefix',
  resourceName: 'resourceName',
  streamCapacity: 'streamCapacity',
  shardCount: 'shardCount',
  streamRetentionHours: 'streamRetentionHours',
  rawRetentionDays: 'rawRetentionDays',
  rawArchiveRetentionDays: 'rawArchiveRetentionDays',
  ingestMemoryMb: 'ingestMemoryMb',
  ingestReservedConcurrency: 'ingestReservedConcurrency',
  consumerBatchSize: 'consumerBatchSize',
  consumerBatchingWindowSeconds: 'consumerBatchingWindowSeconds',
  consumerRetryAttempts: 'consumerRetryAttempts',
  consumerMaxRecordAgeHours: 'consumerMaxRecordAgeHours',
  consumerParallelizationFactor: 'consumerParallelizationFactor',
  consumerReservedConcurrency: 'consumerReservedConcurrency',
  tillApiReservedConcurrency: 'tillApiReservedConcurrency',
  redshiftBaseCapacity: 'redshiftBaseCapacity',
  redshiftMaxCapacity: 'redshiftMaxCapacity',
  firehoseBufferSeconds: 'firehoseBufferSeconds',
  mergeIntervalMinutes: 'mergeIntervalMinutes',
  loadLookbackDays: 'loadLookbackDays',
  parkedRetentionDays: 'parkedRetentionDays',
  rowsRetentionDays: 'rowsRetentionDays',
  reconcileHour: 'reconcileHour',
  sqlClientCidrs: 'sqlClientCidrs',
  grafanaAuthentication: 'grafanaAuthentication',
  alarmEmail: 'alarmEmail',
  expectedBranches: 'expectedBranches',
  uploadDeadlineHour: 'uploadDeadlineHour',
  rowsRejectedThreshold: 'rowsRejectedThreshold',
  monthlyBudgetUsd: 'monthlyBudgetUsd',
  redshiftUsageLimitRpuHours: 'redshiftUsageLimitRpuHours',
  redshiftUsageLimitAction: 'redshiftUsageLimitAction',
} as const;

export type ContextKey = (typeof ContextKey)[keyof typeof ContextKey];

/** Grafana left out entirely (`-c supercafe:grafanaAuthentication=none`). */
export const NO_GRAFANA = 'none';

/** The settings the app needs: the stacks' names and their props. */
export interface PipelineContext {
  /** `<prefix>Data`, `<prefix>Pipeline`, `<prefix>Dashboards`. */
  readonly stackPrefix: string;
  readonly data: Omit<DataStackProps, keyof StackProps>;
  readonly pipeline: Omit<PipelineStackProps, 'data' | 'handlerEntries' | keyof StackProps>;
  /** Undefined when Grafana is left out. */
  readonly dashboards: { readonly authentication: GrafanaSignIn } | undefined;
}

type Lookup = (key: string) => unknown;

function numberAt(lookup: Lookup, key: ContextKey): number | undefined {
  const raw = lookup(`${CONTEXT_PREFIX}${key}`);
  if (raw === undefined || raw === null || raw === '') return undefined;
  const value = typeof raw === 'number' ? raw : Number(String(raw).trim());
  if (!Number.isFinite(value)) throw new Error(`context ${CONTEXT_PREFIX}${key} must be a number, got ${JSON.stringify(raw)}`);
  return value;
}

function stringAt(lookup: Lookup, key: ContextKey): string | undefined {
  const raw = lookup(`${CONTEXT_PREFIX}${key}`);
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string') throw new Error(`context ${CONTEXT_PREFIX}${key} must be a string, got ${JSON.stringify(raw)}`);
  return raw.trim();
}

function listAt(lookup: Lookup, key: ContextKey): string[] | undefined {
  const raw = lookup(`${CONTEXT_PREFIX}${key}`);
  if (raw === undefined || raw === null || raw === '') return undefined;
  const items = Array.isArray(raw) ? raw.map(String) : String(raw).split(',');
  const cleaned = items.map((item) => item.trim()).filter((item) => item.length > 0);
  return cleaned.length > 0 ? cleaned : undefined;
}

function oneOf<T extends string>(lookup: Lookup, key: ContextKey, allowed: readonly T[]): T | undefined {
  const value = stringAt(lookup, key);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`context ${CONTEXT_PREFIX}${key} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

/** Reads every `supercafe:*` setting; constructs validate ranges when the stacks are built. */
export function readPipelineContext(lookup: Lookup): PipelineContext {
  const alarmEmail = stringAt(lookup, ContextKey.alarmEmail);
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) throw new Error(`context ${CONTEXT_PREFIX}alarmEmail is not an e-mail address: "${alarmEmail}"`);
  const stackPrefix = stringAt(lookup, ContextKey.stackPrefix) ?? 'SuperCafe';
  if (!/^[A-Za-z][A-Za-z0-9-]{0,80}$/.test(stackPrefix)) throw new Error(`context ${CONTEXT_PREFIX}stackPrefix must start with a letter and hold letters, digits or hyphens, got "${stackPrefix}"`);
  const grafana = oneOf<GrafanaSignIn | typeof NO_GRAFANA>(lookup, ContextKey.grafanaAuthentication, ['AWS_SSO', 'SAML', NO_GRAFANA]) ?? 'AWS_SSO';
  return {
    stackPrefix,
    data: {
      resourceName: stringAt(lookup, ContextKey.resourceName),
      streamCapacity: oneOf<StreamCapacity>(lookup, ContextKey.streamCapacity, ['ON_DEMAND', 'PROVISIONED']),
      shardCount: numberAt(lookup, ContextKey.shardCount),
      streamRetentionHours: numberAt(lookup, ContextKey.streamRetentionHours),
      rawRetentionDays: numberAt(lookup, ContextKey.rawRetentionDays),
      rawArchiveRetentionDays: numberAt(lookup, ContextKey.rawArchiveRetentionDays),
      redshiftBaseCapacity: numberAt(lookup, ContextKey.redshiftBaseCapacity),
      redshiftMaxCapacity: numberAt(lookup, ContextKey.redshiftMaxCapacity),
      sqlClientCidrs: listAt(lookup, ContextKey.sqlClientCidrs),
      parkedRetentionDays: numberAt(lookup, ContextKey.parkedRetentionDays),
      rowsRetentionDays: numberAt(lookup, ContextKey.rowsRetentionDays),
      loadLookbackDays: numberAt(lookup, ContextKey.loadLookbackDays),
    },
    pipeline: {
      ingestMemoryMb: numberAt(lookup, ContextKey.ingestMemoryMb),
      ingestReservedConcurrency: numberAt(lookup, ContextKey.ingestReservedConcurrency),
      consumerBatchSize: numberAt(lookup, ContextKey.consumerBatchSize),
      consumerBatchingWindowSeconds: numberAt(lookup, ContextKey.consumerBatchingWindowSeconds),
      consumerRetryAttempts: numberAt(lookup, ContextKey.consumerRetryAttempts),
      consumerMaxRecordAgeHours: numberAt(lookup, ContextKey.consumerMaxRecordAgeHours),
      consumerParallelizationFactor: numberAt(lookup, ContextKey.consumerParallelizationFactor),
      consumerReservedConcurrency: numberAt(lookup, ContextKey.consumerReservedConcurrency),
      tillApiReservedConcurrency: numberAt(lookup, ContextKey.tillApiReservedConcurrency),
      firehoseBufferSeconds: numberAt(lookup, ContextKey.firehoseBufferSeconds),
      mergeIntervalMinutes: numberAt(lookup, ContextKey.mergeIntervalMinutes),
      reconcileHour: numberAt(lookup, ContextKey.reconcileHour),
      alarmEmail,
      expectedBranches: listAt(lookup, ContextKey.expectedBranches),
      uploadDeadlineHour: numberAt(lookup, ContextKey.uploadDeadlineHour),
      rowsRejectedThreshold: numberAt(lookup, ContextKey.rowsRejectedThreshold),
      monthlyBudgetUsd: numberAt(lookup, ContextKey.monthlyBudgetUsd),
      redshiftUsageLimitRpuHours: numberAt(lookup, ContextKey.redshiftUsageLimitRpuHours),
      redshiftUsageLimitAction: oneOf<UsageLimitBreachAction>(lookup, ContextKey.redshiftUsageLimitAction, Object.values(UsageLimitBreachAction)),
    },
    dashboards: grafana === NO_GRAFANA ? undefined : { authentication: grafana },
  };
}

/** The `supercafe:*` keys of a context block that no setting reads (a typo, or a setting since removed). */
export function unknownContextKeys(context: Readonly<Record<string, unknown>>): string[] {
  const known = new Set<string>(Object.values(ContextKey).map((key) => `${CONTEXT_PREFIX}${key}`));
  return Object.keys(context).filter((key) => key.startsWith(CONTEXT_PREFIX) && !known.has(key));
}
