import type { GrafanaAuthentication } from './constructs/grafana-workspace.js';
import type { StreamCapacity } from './constructs/sales-stream.js';
import type { PipelineStackProps } from './stacks/pipeline-stack.js';

/**
 * Deployment settings, read from CDK context: the `context` block of cdk.json, or
 * `-c supercafe:<key>=<value>` on the command line (which arrives as a string, so
 * numbers and lists are parsed here). Every key is optional; docs/aws.md lists them.
 */
export const CONTEXT_PREFIX = 'supercafe:';

/** Context keys (without the prefix) and what they set. */
export const ContextKey = {
  stackName: 'stackName',
  resourceName: 'resourceName',
  streamCapacity: 'streamCapacity',
  shardCount: 'shardCount',
  streamRetentionHours: 'streamRetentionHours',
  rawRetentionDays: 'rawRetentionDays',
  ingestMemoryMb: 'ingestMemoryMb',
  ingestReservedConcurrency: 'ingestReservedConcurrency',
  consumerBatchSize: 'consumerBatchSize',
  consumerBatchingWindowSeconds: 'consumerBatchingWindowSeconds',
  consumerRetryAttempts: 'consumerRetryAttempts',
  consumerMaxRecordAgeHours: 'consumerMaxRecordAgeHours',
  redshiftBaseCapacity: 'redshiftBaseCapacity',
  redshiftMaxCapacity: 'redshiftMaxCapacity',
  firehoseBufferSeconds: 'firehoseBufferSeconds',
  firehoseRetrySeconds: 'firehoseRetrySeconds',
  mergeIntervalMinutes: 'mergeIntervalMinutes',
  sqlClientCidrs: 'sqlClientCidrs',
  grafanaAuthentication: 'grafanaAuthentication',
  alarmEmail: 'alarmEmail',
  expectedBranches: 'expectedBranches',
  uploadDeadlineHour: 'uploadDeadlineHour',
  rowsRejectedThreshold: 'rowsRejectedThreshold',
} as const;

export type ContextKey = (typeof ContextKey)[keyof typeof ContextKey];

/** The settings the app needs: the stack's name and its props. */
export interface PipelineContext {
  readonly stackName: string;
  readonly props: PipelineStackProps;
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

/** Reads every `supercafe:*` setting; constructs validate ranges when the stack is built. */
export function readPipelineContext(lookup: Lookup): PipelineContext {
  const alarmEmail = stringAt(lookup, ContextKey.alarmEmail);
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) throw new Error(`context ${CONTEXT_PREFIX}alarmEmail is not an e-mail address: "${alarmEmail}"`);
  return {
    stackName: stringAt(lookup, ContextKey.stackName) ?? 'SuperCafePipeline',
    props: {
      resourceName: stringAt(lookup, ContextKey.resourceName),
      streamCapacity: oneOf<StreamCapacity>(lookup, ContextKey.streamCapacity, ['ON_DEMAND', 'PROVISIONED']),
      shardCount: numberAt(lookup, ContextKey.shardCount),
      streamRetentionHours: numberAt(lookup, ContextKey.streamRetentionHours),
      rawRetentionDays: numberAt(lookup, ContextKey.rawRetentionDays),
      ingestMemoryMb: numberAt(lookup, ContextKey.ingestMemoryMb),
      ingestReservedConcurrency: numberAt(lookup, ContextKey.ingestReservedConcurrency),
      consumerBatchSize: numberAt(lookup, ContextKey.consumerBatchSize),
      consumerBatchingWindowSeconds: numberAt(lookup, ContextKey.consumerBatchingWindowSeconds),
      consumerRetryAttempts: numberAt(lookup, ContextKey.consumerRetryAttempts),
      consumerMaxRecordAgeHours: numberAt(lookup, ContextKey.consumerMaxRecordAgeHours),
      redshiftBaseCapacity: numberAt(lookup, ContextKey.redshiftBaseCapacity),
      redshiftMaxCapacity: numberAt(lookup, ContextKey.redshiftMaxCapacity),
      firehoseBufferSeconds: numberAt(lookup, ContextKey.firehoseBufferSeconds),
      firehoseRetrySeconds: numberAt(lookup, ContextKey.firehoseRetrySeconds),
      mergeIntervalMinutes: numberAt(lookup, ContextKey.mergeIntervalMinutes),
      sqlClientCidrs: listAt(lookup, ContextKey.sqlClientCidrs),
      grafanaAuthentication: oneOf<GrafanaAuthentication>(lookup, ContextKey.grafanaAuthentication, ['AWS_SSO', 'SAML']),
      alarmEmail,
      expectedBranches: listAt(lookup, ContextKey.expectedBranches),
      uploadDeadlineHour: numberAt(lookup, ContextKey.uploadDeadlineHour),
      rowsRejectedThreshold: numberAt(lookup, ContextKey.rowsRejectedThreshold),
    },
  };
}
