import type { Region } from './aws-figures.js';
import { planCapacity, type CapacityPlan, type QuotaCheck } from './plan-capacity.js';
import { DEFAULT_ASSUMPTIONS, DEFAULT_SETTINGS, type AccountLimits, type Assumptions, type DeploymentSettings, type Workload } from './plan-inputs.js';

/**
 * Reads the planner's settings out of the synthesised CloudFormation templates of
 * the data and pipeline stacks (the JSON of `Template.fromStack(stack).toJSON()`
 * or `cdk.out/*.template.json`), so infra tests can hold what is deployed against
 * the plan without importing the constructs' internal constants. Functions are
 * found by their Powertools service name; the stream, mapping, warehouse delivery
 * streams (Direct PUT into S3), workgroup and the loader's schedule by resource type.
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

/** Service names of the pipeline's functions (POWERTOOLS_SERVICE_NAME), as in contracts/metric-names.ts and infra/aws/functions/constants.ts. */
const SERVICE = { ingest: 'csv-ingest', consumer: 'sales-transform', tillApi: 'till-api', loader: 'warehouse-load' } as const;

/**
 * One template of several stacks' resources (the data stack holds the stream and
 * the workgroup, the pipeline stack the functions and delivery streams). Logical
 * ids are unique only within a stack, so each is kept under `<index>/<id>`.
 */
export function combineTemplates(...templates: readonly CfnTemplate[]): CfnTemplate {
  return { Resources: Object.fromEntries(templates.flatMap((template, index) => Object.entries(template.Resources ?? {}).map(([id, resource]) => [`${index}/${id}`, resource]))) };
}

function entriesOf(template: CfnTemplate, type: string): [string, Props][] {
  return Object.entries(template.Resources ?? {})
    .filter(([, resource]) => resource.Type === type)
    .map(([id, resource]) => [id, resource.Properties ?? {}]);
}

function resourcesOf(template: CfnTemplate, type: string): Props[] {
  return entriesOf(template, type).map(([, props]) => props);
}

function one(template: CfnTemplate, type: string): Props {
  const found = resourcesOf(template, type);
  if (found.length !== 1) throw new Error(`expected one ${type} in the template(s), found ${found.length}: pass the data and pipeline templates (combineTemplates)`);
  return found[0] as Props;
}

function numberAt(props: Props, key: string): number | undefined {
  const value = props[key];
  return typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : undefined;
}

function functionEntryOf(template: CfnTemplate, service: string): [string, Props] {
  const found = entriesOf(template, 'AWS::Lambda::Function').filter(([, props]) => {
    const variables = (props.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
    return variables?.POWERTOOLS_SERVICE_NAME === service;
  });
  if (found.length !== 1) throw new Error(`expected one Lambda function with POWERTOOLS_SERVICE_NAME=${service}, found ${found.length}`);
  return found[0] as [string, Props];
}

function functionOf(template: CfnTemplate, service: string): Props {
  return functionEntryOf(template, service)[1];
}

/** Minutes in an EventBridge `rate(...)` expression. */
export function rateMinutes(expression: string): number {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (!match) throw new Error(`not an EventBridge rate expression: "${expression}"`);
  const unit = match[2]!.startsWith('minute') ? 1 : match[2]!.startsWith('hour') ? 60 : 1440;
  return Number(match[1]) * unit;
}

/** The logical id a `{ "Fn::GetAtt": [id, "Arn"] }` (or a `Ref`) points at, without the combined template's `<index>/`. */
function referencedId(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const getAtt = (value as { 'Fn::GetAtt'?: unknown })['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  const ref = (value as { Ref?: unknown }).Ref;
  return typeof ref === 'string' ? ref : undefined;
}

const localId = (combinedId: string) => combinedId.slice(combinedId.indexOf('/') + 1);

/**
 * Buffering of the warehouse delivery streams: Direct PUT streams (the consumer's
 * rows) into S3. The raw event archive reads the Kinesis stream instead and is
 * left out: it is not on the way to the panels.
 *
 * @throws Error when there is none, or when they buffer differently (the planner assumes one setting)
 */
export function warehouseBuffering(template: CfnTemplate): { readonly deliveryStreams: number; readonly seconds: number; readonly mb: number } {
  const deliveries = resourcesOf(template, 'AWS::KinesisFirehose::DeliveryStream').filter((props) => (props.DeliveryStreamType ?? 'DirectPut') === 'DirectPut');
  if (deliveries.length === 0) throw new Error('no Direct PUT Firehose delivery stream in the template(s)');
  const hints = deliveries.map((props) => {
    const destination = props.ExtendedS3DestinationConfiguration as { BufferingHints?: Props } | undefined;
    if (!destination) throw new Error('a warehouse delivery stream without an S3 destination: the planner models Firehose → S3 → loader');
    const buffering = destination.BufferingHints ?? {};
    return { seconds: numberAt(buffering, 'IntervalInSeconds') ?? 300, mb: numberAt(buffering, 'SizeInMBs') ?? 5 };
  });
  const first = hints[0]!;
  if (hints.some((hint) => hint.seconds !== first.seconds || hint.mb !== first.mb)) throw new Error('delivery streams buffer differently; the planner assumes one setting');
  return { deliveryStreams: deliveries.length, seconds: first.seconds, mb: first.mb };
}

/**
 * Minutes between load-and-merge runs: the EventBridge Scheduler schedule whose
 * target is the loader function (POWERTOOLS_SERVICE_NAME `warehouse-load`).
 *
 * @throws Error when the loader or its one schedule is missing, or the schedule is not a rate
 */
export function loaderIntervalMinutes(template: CfnTemplate): number {
  const [loaderId] = functionEntryOf(template, SERVICE.loader);
  const schedules = resourcesOf(template, 'AWS::Scheduler::Schedule').filter((props) => referencedId((props.Target as { Arn?: unknown } | undefined)?.Arn) === localId(loaderId));
  if (schedules.length !== 1) throw new Error(`expected one schedule invoking the warehouse loader, found ${schedules.length}`);
  return rateMinutes(String(schedules[0]!.ScheduleExpression));
}

/**
 * The capacity settings the templates deploy.
 *
 * @param template the data and pipeline stacks' templates, combined (`combineTemplates`)
 * @param base settings the templates cannot say (dashboards, rows per Firehose record); the defaults otherwise
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
  const buffering = warehouseBuffering(template);
  const workgroup = one(template, 'AWS::RedshiftServerless::Workgroup');

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
    firehoseBufferSeconds: buffering.seconds,
    firehoseBufferMb: buffering.mb,
    deliveryStreams: buffering.deliveryStreams,
    mergeIntervalMinutes: loaderIntervalMinutes(template),
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
 * Plans the workload on the settings the templates deploy and returns the quotas it exceeds.
 * For infra tests: `expect(holdTemplateToPlan(combineTemplates(data, pipeline), workload, 'eu-west-2').exceeded).toEqual([])`.
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
