import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { CostGuards, type UsageLimitBreachAction } from '../constructs/cost-guards.js';
import { IngestFunction } from '../constructs/ingest-function.js';
import { PipelineAlarms } from '../constructs/pipeline-alarms.js';
import { RawEventArchive } from '../constructs/raw-event-archive.js';
import { TillApi } from '../constructs/till-api.js';
import { TransformFunction } from '../constructs/transform-function.js';
import { WarehouseGrants } from '../constructs/warehouse-grants.js';
import { WarehouseLoaders } from '../constructs/warehouse-loaders.js';
import { WarehouseMerge } from '../constructs/warehouse-merge.js';
import { WarehouseReconciliation } from '../constructs/warehouse-reconciliation.js';
import { WarehouseSchema } from '../constructs/warehouse-schema.js';
import { StackOutput } from '../stack-outputs.js';
import type { DataStack } from './data-stack.js';

export { StackOutput };

/** Handler modules, overridable so tests synthesise without bundling the real handlers. */
export interface HandlerEntries {
  readonly ingest?: string;
  readonly transform?: string;
  readonly tillApi?: string;
}

export interface PipelineStackProps extends StackProps {
  /** The stateful resources this stack works on. */
  readonly data: DataStack;
  readonly ingestMemoryMb?: number;
  readonly ingestReservedConcurrency?: number;
  readonly consumerBatchSize?: number;
  readonly consumerBatchingWindowSeconds?: number;
  readonly consumerRetryAttempts?: number;
  readonly consumerMaxRecordAgeHours?: number;
  readonly consumerParallelizationFactor?: number;
  readonly consumerReservedConcurrency?: number;
  readonly tillApiReservedConcurrency?: number;
  readonly firehoseBufferSeconds?: number;
  /** How often new rows are loaded into Redshift and merged. */
  readonly mergeIntervalMinutes?: number;
  /** Hour (Europe/London) of the daily reconciliation. */
  readonly reconcileHour?: number;
  readonly alarmEmail?: string;
  readonly expectedBranches?: readonly string[];
  readonly uploadDeadlineHour?: number;
  readonly rowsRejectedThreshold?: number;
  /** The month's AWS Budgets amount (USD) for the tagged resources; alerts at 80 % forecast and 100 % actual. */
  readonly monthlyBudgetUsd?: number;
  /** Redshift Serverless RPU-hours a month before `redshiftUsageLimitAction`. */
  readonly redshiftUsageLimitRpuHours?: number;
  readonly redshiftUsageLimitAction?: UsageLimitBreachAction;
  readonly handlerEntries?: HandlerEntries;
}

/**
 * The month's budget when the context sets none (USD): half as much again as
 * `npm run capacity` plans for 500 branches in London at the defaults (about
 * $600, docs/capacity.md), so a normal month stays under the 80 % forecast alert.
 */
export const DEFAULT_MONTHLY_BUDGET_USD = 900;
/**
 * Redshift Serverless RPU-hours a month when the context sets none: about 1.7×
 * the planner's 1,188 for 500 branches at the defaults (docs/capacity.md). At
 * the limit the workgroup is deactivated until the month ends (`deactivate`):
 * a hard stop on the bill, announced earlier by the budget's forecast alert.
 */
export const DEFAULT_REDSHIFT_USAGE_LIMIT_RPU_HOURS = 2_000;

/**
 * The pipeline itself, stateless: uploads → ingest Lambda → Kinesis → consumer
 * Lambda → Firehose → S3 → loader → Redshift, the till API as a second producer,
 * the raw event archive, the schema step, the daily reconciliation and the alarms.
 * It owns no data; everything it reads and writes lives in the data stack, so it
 * can be replaced, rolled back or torn down without losing any.
 */
export class PipelineStack extends Stack {
  readonly ingest: IngestFunction;
  readonly transform: TransformFunction;
  readonly tillApi: TillApi;
  readonly rawEventArchive: RawEventArchive;
  readonly loaders: WarehouseLoaders;
  readonly grants: WarehouseGrants;
  readonly schema: WarehouseSchema;
  readonly merge: WarehouseMerge;
  readonly reconciliation: WarehouseReconciliation;
  readonly alarms: PipelineAlarms;
  readonly costGuards: CostGuards;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, { description: 'Super Café pipeline: functions, delivery, loads, schema, reconciliation, alarms (no data of its own)', ...props });
    const { data } = props;
    const entries = props.handlerEntries ?? {};
    const warehouse = data.warehouse;
    const workgroupName = warehouse.workgroup.attrWorkgroupWorkgroupName;

    // ── Warehouse: delivery to S3, grants, schema, loads ──────────────────────
    this.loaders = new WarehouseLoaders(this, 'WarehouseDelivery', {
      bucket: data.warehouseArchive.bucket,
      encryptionKey: data.warehouseKey,
      bufferInterval: props.firehoseBufferSeconds === undefined ? undefined : Duration.seconds(props.firehoseBufferSeconds),
    });
    this.grants = new WarehouseGrants(this, 'WarehouseGrants', { workgroupArn: warehouse.workgroupArn, copyRoleArn: warehouse.copyRole.roleArn });
    this.schema = new WarehouseSchema(this, 'WarehouseSchema', {
      workgroupName,
      workgroupArn: warehouse.workgroupArn,
      databaseName: warehouse.databaseName,
      adminSecret: warehouse.adminSecret,
      adminSecretKey: data.warehouseKey,
      grants: this.grants,
    });
    this.merge = new WarehouseMerge(this, 'WarehouseMerge', {
      workgroupName,
      databaseName: warehouse.databaseName,
      bucket: data.warehouseArchive.bucket,
      encryptionKey: data.warehouseKey,
      copyRoleArn: warehouse.copyRole.roleArn,
      role: this.grants.loaderRole,
      interval: props.mergeIntervalMinutes === undefined ? undefined : Duration.minutes(props.mergeIntervalMinutes),
      lookbackDays: data.warehouseArchive.lookbackDays,
    });
    this.reconciliation = new WarehouseReconciliation(this, 'WarehouseReconciliation', {
      workgroupName,
      databaseName: warehouse.databaseName,
      role: this.grants.auditorRole,
      // A sale's lines may trail it by a buffer and a load run; twice that, plus ten minutes, is safe.
      grace: Duration.seconds(2 * (this.loaders.bufferInterval.toSeconds() + this.merge.interval.toSeconds()) + 600),
      hour: props.reconcileHour,
    });

    // ── Producers ─────────────────────────────────────────────────────────────
    const rawBucket = Bucket.fromBucketAttributes(this, 'RawUploadsBucket', {
      bucketName: data.rawUploads.bucket.bucketName,
      bucketArn: data.rawUploads.bucket.bucketArn,
      encryptionKey: data.personalDataKey.key,
    });
    this.ingest = new IngestFunction(this, 'CsvIngest', {
      uploads: { bucket: rawBucket, prefix: data.rawUploads.uploadPrefix, encryptionKey: data.personalDataKey.key },
      rolePath: data.access.pepper,
      stream: data.salesStream.stream,
      streamKey: data.personalDataKey.key,
      pepperSecret: data.pepperSecret,
      pepperKey: data.pepperKey.key,
      entry: entries.ingest,
      memorySize: props.ingestMemoryMb,
      reservedConcurrentExecutions: props.ingestReservedConcurrency,
    });
    this.tillApi = new TillApi(this, 'TillApi', {
      stream: data.salesStream.stream,
      streamKey: data.personalDataKey.key,
      credentialsTable: data.tillCredentials.table,
      idempotencyTable: data.tillIdempotency.table,
      entry: entries.tillApi,
      reservedConcurrentExecutions: props.tillApiReservedConcurrency,
    });

    // ── Consumer and the raw event archive (the stream's two readers) ────────
    this.transform = new TransformFunction(this, 'SalesTransform', {
      stream: data.salesStream.stream,
      rolePath: data.access.pepper,
      streamKey: data.personalDataKey.key,
      pepperSecret: data.pepperSecret,
      pepperKey: data.pepperKey.key,
      deliveryStreams: this.loaders.deliveryStreamNames,
      deliveryStreamArns: this.loaders.deliveryStreamArns,
      entry: entries.transform,
      batchSize: props.consumerBatchSize,
      maxBatchingWindow: props.consumerBatchingWindowSeconds === undefined ? undefined : Duration.seconds(props.consumerBatchingWindowSeconds),
      retryAttempts: props.consumerRetryAttempts,
      maxRecordAge: props.consumerMaxRecordAgeHours === undefined ? undefined : Duration.hours(props.consumerMaxRecordAgeHours),
      parallelizationFactor: props.consumerParallelizationFactor,
      reservedConcurrentExecutions: props.consumerReservedConcurrency,
    });
    this.rawEventArchive = new RawEventArchive(this, 'RawEventArchive', {
      stream: data.salesStream.stream,
      bucket: data.rawArchive.bucket,
      encryptionKey: data.personalDataKey.key,
      personalDataRolePath: data.access.personalData,
    });

    // Nothing writes or loads a new column before the migration that adds it.
    this.schema.runsAfter(this.merge, this.transform, this.reconciliation, ...Object.values(this.loaders.deliveryStreams));

    // ── Monitoring ────────────────────────────────────────────────────────────
    this.alarms = new PipelineAlarms(this, 'Monitoring', {
      functions: [
        { label: 'CsvIngest', function: this.ingest.function },
        { label: 'SalesTransform', function: this.transform.function },
        { label: 'TillApi', function: this.tillApi.function },
        { label: 'WarehouseLoader', function: this.merge.function },
        { label: 'WarehouseReconciliation', function: this.reconciliation.function },
        { label: 'RawArchiveFraming', function: this.rawEventArchive.frameFunction },
        { label: 'WarehouseSchema', function: this.schema.function.function },
      ],
      consumer: this.transform.function,
      deadLetterQueues: [
        { label: 'IngestDlq', queue: this.ingest.deadLetterQueue },
        { label: 'ConsumerDlq', queue: this.transform.deadLetterQueue },
      ],
      deliveryStreams: this.loaders.deliveryStreams,
      rawArchiveStream: this.rawEventArchive.deliveryStream,
      statementFailureRule: this.merge.statementFailureRule,
      loader: { interval: this.merge.interval, bufferInterval: this.loaders.bufferInterval },
      tillApi: this.tillApi.api,
      uploads: {
        bucket: rawBucket,
        prefix: data.rawUploads.uploadPrefix,
        deadlineHour: props.uploadDeadlineHour,
        expectedBranches: props.expectedBranches,
      },
      rowsRejectedThreshold: props.rowsRejectedThreshold,
      alarmEmail: props.alarmEmail,
    });

    // ── Cost: a usage limit on the warehouse, a budget alerting the alarm topic ──
    this.alarms.allowPublisher('budgets.amazonaws.com', `arn:${this.partition}:budgets::${this.account}:*`);
    this.costGuards = new CostGuards(this, 'CostGuards', {
      workgroupArn: warehouse.workgroupArn,
      usageLimitRpuHours: props.redshiftUsageLimitRpuHours ?? DEFAULT_REDSHIFT_USAGE_LIMIT_RPU_HOURS,
      breachAction: props.redshiftUsageLimitAction,
      monthlyBudgetUsd: props.monthlyBudgetUsd ?? DEFAULT_MONTHLY_BUDGET_USD,
      topic: this.alarms.topic,
    });

    // ── Outputs ───────────────────────────────────────────────────────────────
    const output = (key: StackOutput, value: string, description: string) => new CfnOutput(this, key, { value, description });
    output(StackOutput.TillApiUrl, this.tillApi.url, 'Till API base URL (tills POST /v1/sales with their bearer credential)');
    output(StackOutput.SchemaVersion, String(this.schema.version), 'Warehouse schema version this deployment migrates to');
    output(StackOutput.AlarmTopicArn, this.alarms.topic.topicArn, 'Subscribe on-call here');
    output(StackOutput.DashboardName, this.alarms.dashboard.dashboardName, 'CloudWatch dashboard');
    // The operations dashboard's variables (provision-grafana.ts fills them from these).
    output(StackOutput.ConsumerFunctionName, this.transform.function.functionName, 'sales-transform Lambda (Grafana variable $consumer)');
    output(StackOutput.ConsumerDeadLetterQueueName, this.transform.deadLetterQueue.queueName, "The consumer's dead-letter queue (Grafana variable $dlq)");
  }
}
