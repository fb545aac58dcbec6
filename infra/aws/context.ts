import type { StackProps } from 'aws-cdk-lib';
import { z } from 'zod';
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
  /** Which block of `environments` to deploy (`dev` when unset). */
  environment: 'environment',
  /** The deployment environments: `{ "<name>": { account, region, production, settings } }`. */
  environments: 'environments',
} as const;

export type ContextKey = (typeof ContextKey)[keyof typeof ContextKey];

/** Grafana left out entirely (`-c supercafe:grafanaAuthentication=none`). */
export const NO_GRAFANA = 'none';

/** The environment a synth is for: where its stacks are pinned, and whether it is production. */
export interface DeploymentEnvironment {
  readonly name: string;
  /** The 12-digit account the stacks deploy to (CDK refuses credentials for another). */
  readonly account: string;
  readonly region: string;
  /** Production: termination protection on every stack, and an alarm e-mail required. */
  readonly production: boolean;
}

/** The environment chosen when `supercafe:environment` is not set. */
export const DEFAULT_ENVIRONMENT = 'dev';

/** The settings the app needs: the stacks' names and their props. */
export interface PipelineContext {
  /** Undefined when the context defines no environments (tests, an ad-hoc synth): environment-agnostic stacks. */
  readonly environment: DeploymentEnvironment | undefined;
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

const EnvironmentBlockSchema = z
  .object({
    account: z.string().regex(/^\d{12}$/, 'account must be a 12-digit AWS account id'),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'region must be an AWS Region such as eu-west-2'),
    production: z.boolean().default(false),
    settings: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

/**
 * The chosen environment's block of `supercafe:environments`, and a lookup in
 * which its `settings` (keys without the `supercafe:` prefix) override the
 * top-level `supercafe:*` keys. Keys a deploy passes on the command line
 * (`-c supercafe:alarmEmail=…`) are top-level, so an environment leaves out what
 * each deploy must say.
 *
 * @throws Error naming the environment and what is wrong: an unknown name, a block that is not an account and Region, an unknown setting
 */
export function readEnvironment(lookup: Lookup): { environment: DeploymentEnvironment | undefined; lookup: Lookup } {
  const blocks = lookup(`${CONTEXT_PREFIX}${ContextKey.environments}`);
  const chosen = stringAt(lookup, ContextKey.environment);
  if (blocks === undefined || blocks === null) {
    if (chosen !== undefined) throw new Error(`context ${CONTEXT_PREFIX}environment is "${chosen}" but no ${CONTEXT_PREFIX}environments are defined (cdk.json)`);
    return { environment: undefined, lookup };
  }
  const parsed = typeof blocks === 'string' ? (JSON.parse(blocks) as unknown) : blocks;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`context ${CONTEXT_PREFIX}environments must be an object of environments by name`);
  const name = chosen ?? DEFAULT_ENVIRONMENT;
  // "//" keys are comments, as elsewhere in cdk.json.
  const names = Object.keys(parsed).filter((key) => !key.startsWith('//'));
  const raw = names.includes(name) ? (parsed as Record<string, unknown>)[name] : undefined;
  if (raw === undefined) throw new Error(`unknown environment "${name}": ${CONTEXT_PREFIX}environments defines ${names.join(', ')}`);
  const result = EnvironmentBlockSchema.safeParse(raw);
  if (!result.success) throw new Error(`environment "${name}": ${result.error.issues.map((issue) => `${issue.path.join('.') || 'block'}: ${issue.message}`).join('; ')}`);
  const { account, region, production, settings } = result.data;
  const nested = new Set<string>([ContextKey.environment, ContextKey.environments]);
  const unknown = Object.keys(settings).filter((key) => !(Object.values(ContextKey) as string[]).includes(key) || nested.has(key));
  if (unknown.length > 0) throw new Error(`environment "${name}": unknown setting(s) ${unknown.join(', ')} (keys are supercafe:* names without the prefix; docs/aws.md lists them)`);
  return {
    environment: { name, account, region, production },
    lookup: (key) => (key.startsWith(CONTEXT_PREFIX) && key.slice(CONTEXT_PREFIX.length) in settings ? settings[key.slice(CONTEXT_PREFIX.length)] : lookup(key)),
  };
}

/**
 * Reads every `supercafe:*` setting, the chosen environment's over the top-level
 * ones; constructs validate ranges when the stacks are built.
 *
 * @throws Error for a malformed setting, and for a production environment without an alarm e-mail
 */
export function readPipelineContext(base: Lookup): PipelineContext {
  const { environment, lookup } = readEnvironment(base);
  const alarmEmail = stringAt(lookup, ContextKey.alarmEmail);
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) throw new Error(`context ${CONTEXT_PREFIX}alarmEmail is not an e-mail address: "${alarmEmail}"`);
  const stackPrefix = stringAt(lookup, ContextKey.stackPrefix) ?? 'SuperCafe';
  if (!/^[A-Za-z][A-Za-z0-9-]{0,80}$/.test(stackPrefix)) throw new Error(`context ${CONTEXT_PREFIX}stackPrefix must start with a letter and hold letters, digits or hyphens, got "${stackPrefix}"`);
  const grafana = oneOf<GrafanaSignIn | typeof NO_GRAFANA>(lookup, ContextKey.grafanaAuthentication, ['AWS_SSO', 'SAML', NO_GRAFANA]) ?? 'AWS_SSO';
  if (environment?.production && alarmEmail === undefined) {
    throw new Error(
      `environment "${environment.name}" is production: set ${CONTEXT_PREFIX}alarmEmail (e.g. -c ${CONTEXT_PREFIX}alarmEmail=ops@example.com), or its alarms reach no one`,
    );
  }
  return {
    environment,
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
