import type { Region } from './aws-figures.js';
import { planCapacity, type CapacityPlan, type QuotaCheck } from './plan-capacity.js';
import { DEFAULT_ASSUMPTIONS, DEFAULT_SETTINGS, type AccountLimits, type Assumptions, type DeploymentSettings, type Workload } from './plan-inputs.js';

/**
 * Reads the planner's settings out of a synthesised CloudFormation template (the
 * JSON of `Template.fromStack(stack).toJSON()` or `cdk.out/*.template.json`), so
 * infra tests can hold what is deployed against the plan without importing the
 * constructs' internal constants. Functions are found by their Powertools service
 * name, the stream, mapping, delivery streams and workgroup by resource type.
 */

interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

/** The part of a CloudFormation template this module reads. */
export interface CfnTemplate {
  readonly Resources?: Readonly<Record<string, CfnResource>>;
}

type Props = Record<string, unknown>;

/** Service names of the pipeline's functions (POWERTOOLS_SERVICE_NAME), as in contracts/metric-names.ts. */
const SERVICE = { ingest: 'csv-ingest', consumer: 'sales-transform', tillApi: 'till-api' } as const;

function resourcesOf(template: CfnTemplate, type: string): Props[] {
  return Object.values(template.Resources ?? {})
    .filter((resource) => resource.Type === type)
    .map((resource) => resource.Properties ?? {});
}

function one(template: CfnTemplate, type: string): Props {
  const found = resourcesOf(template, type);
  if (found.length !== 1) throw new Error(`expected one ${type} in the template, found ${found.length}`);
  return found[0] as Props;
}

function numberAt(props: Props, key: string): number | undefined {
  const value = props[key];
  return typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : undefined;
}

function functionOf(template: CfnTemplate, service: string): Props {
  const found = resourcesOf(template, 'AWS::Lambda::Function').filter((props) => {
    const variables = (props.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
    return variables?.POWERTOOLS_SERVICE_NAME === service;
  });
  if (found.length !== 1) throw new Error(`expected one Lambda function with POWERTOOLS_SERVICE_NAME=${service}, found ${found.length}`);
  return found[0] as Props;
}

/** Minutes in an EventBridge `rate(...)` expression. */
export function rateMinutes(expression: string): number {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (!match) throw new Error(`not an EventBridge rate expression: "${expression}"`);
  const unit = match[2]!.startsWith('minute') ? 1 : match[2]!.startsWith('hour') ? 60 : 1440;
  return Number(match[1]) * unit;
}

/**
 * The capacity settings a template deploys.
 *
 * @param template synthesised template JSON
 * @param base settings the template cannot say (dashboards, rows per Firehose record); the defaults otherwise
 * @throws Error when a resource the pipeline must have is missing or doubled, or buffering differs between delivery streams
 */
export function settingsFromTemplate(template: CfnTemplate, base: DeploymentSettings = DEFAULT_SETTINGS): DeploymentSettings {
  const stream = one(template, 'AWS::Kinesis::Stream');
  const mode = (stream.StreamModeDetails as { StreamMode?: string } | undefined)?.StreamMode ?? 'PROVISIONED';
  if (mode !== 'ON_DEMAND' && mode !== 'PROVISIONED') throw new Error(`unknown stream mode ${mode}`);

  const ingest = functionOf(template, SERVICE.ingest);
  const consumer = functionOf(template, SERVICE.consumer);
  const tillApi = functionOf(template, SERVICE.tillApi);
  const mapping = one(template, 'AWS::Lambda::EventSourceMapping');

  const deliveries = resourcesOf(template, 'AWS::KinesisFirehose::DeliveryStream');
  if (deliveries.length === 0) throw new Error('no Firehose delivery stream in the template');
  const hints = deliveries.map((props) => {
    const destination = (props.RedshiftDestinationConfiguration ?? props.ExtendedS3DestinationConfiguration) as { S3Configuration?: Props; BufferingHints?: Props } | undefined;
    const buffering = ((destination?.S3Configuration?.BufferingHints ?? destination?.BufferingHints) ?? {}) as Props;
    return { seconds: numberAt(buffering, 'IntervalInSeconds') ?? 300, mb: numberAt(buffering, 'SizeInMBs') ?? 5 };
  });
  const first = hints[0]!;
  if (hints.some((hint) => hint.seconds !== first.seconds || hint.mb !== first.mb)) throw new Error('delivery streams buffer differently; the planner assumes one setting');

  const workgroup = one(template, 'AWS::RedshiftServerless::Workgroup');
  const merge = resourcesOf(template, 'AWS::Events::Rule').filter((props) => {
    const targets = (props.Targets as { RedshiftDataParameters?: unknown }[] | undefined) ?? [];
    return typeof props.ScheduleExpression === 'string' && targets.some((target) => target.RedshiftDataParameters !== undefined);
  });
  if (merge.length !== 1) throw new Error(`expected one scheduled Redshift Data API rule (the merge), found ${merge.length}`);

  const stages = resourcesOf(template, 'AWS::ApiGatewayV2::Stage');
  const throttle = (stages[0]?.DefaultRouteSettings ?? {}) as Props;

  return {
    ...base,
    streamCapacity: mode,
    shardCount: mode === 'PROVISIONED' ? numberAt(stream, 'ShardCount') : undefined,
    ingestMemoryMb: numberAt(ingest, 'MemorySize') ?? 128,
    consumerMemoryMb: numberAt(consumer, 'MemorySize') ?? 128,
    tillApiMemoryMb: numberAt(tillApi, 'MemorySize') ?? 128,
    ingestReservedConcurrency: numberAt(ingest, 'ReservedConcurrentExecutions'),
    consumerReservedConcurrency: numberAt(consumer, 'ReservedConcurrentExecutions'),
    tillApiReservedConcurrency: numberAt(tillApi, 'ReservedConcurrentExecutions'),
    consumerBatchSize: numberAt(mapping, 'BatchSize') ?? 100,
    consumerBatchingWindowSeconds: numberAt(mapping, 'MaximumBatchingWindowInSeconds') ?? 0,
    consumerParallelizationFactor: numberAt(mapping, 'ParallelizationFactor') ?? 1,
    firehoseBufferSeconds: first.seconds,
    firehoseBufferMb: first.mb,
    deliveryStreams: deliveries.length,
    mergeIntervalMinutes: rateMinutes(merge[0]!.ScheduleExpression as string),
    redshiftBaseCapacity: numberAt(workgroup, 'BaseCapacity') ?? 128,
    tillApiRateLimit: numberAt(throttle, 'ThrottlingRateLimit') ?? base.tillApiRateLimit,
    tillApiBurstLimit: numberAt(throttle, 'ThrottlingBurstLimit') ?? base.tillApiBurstLimit,
    cloudwatchAlarms: resourcesOf(template, 'AWS::CloudWatch::Alarm').length,
    cloudwatchDashboards: resourcesOf(template, 'AWS::CloudWatch::Dashboard').length,
    kmsKeys: resourcesOf(template, 'AWS::KMS::Key').length,
    secrets: resourcesOf(template, 'AWS::SecretsManager::Secret').length,
  };
}

export interface TemplateHold {
  readonly settings: DeploymentSettings;
  readonly plan: CapacityPlan;
  /** The quota checks the template's settings exceed for the workload; empty when it fits. */
  readonly exceeded: readonly QuotaCheck[];
}

/**
 * Plans the workload on the settings a template deploys and returns the quotas it exceeds.
 * For infra tests: `expect(holdTemplateToPlan(template, workload, 'eu-west-2').exceeded).toEqual([])`.
 */
export function holdTemplateToPlan(
  template: CfnTemplate,
  workload: Workload,
  region: Region,
  options: { readonly account?: AccountLimits; readonly assumptions?: Assumptions; readonly base?: DeploymentSettings } = {},
): TemplateHold {
  const settings = settingsFromTemplate(template, options.base);
  const plan = planCapacity({ region, workload, settings, assumptions: options.assumptions ?? DEFAULT_ASSUMPTIONS, account: options.account ?? { lambdaConcurrency: 1000 } });
  return { settings, plan, exceeded: plan.quotas.filter((quota) => quota.exceeded) };
}
