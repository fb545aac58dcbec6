import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { AccessLogsBucket } from '../constructs/access-logs-bucket.js';
import { GrafanaWorkspace, type GrafanaAuthentication } from '../constructs/grafana-workspace.js';
import { IngestFunction } from '../constructs/ingest-function.js';
import { PipelineAlarms } from '../constructs/pipeline-alarms.js';
import { RawBucket } from '../constructs/raw-bucket.js';
import { SalesStream, type StreamCapacity } from '../constructs/sales-stream.js';
import { TillApi } from '../constructs/till-api.js';
import { TransformFunction } from '../constructs/transform-function.js';
import { WarehouseDelivery } from '../constructs/warehouse-delivery.js';
import { StackOutput } from '../stack-outputs.js';

export { StackOutput };

/** Handler modules, overridable so tests synthesise without bundling the real handlers. */
export interface HandlerEntries {
  readonly ingest?: string;
  readonly transform?: string;
  readonly tillApi?: string;
}

export interface PipelineStackProps extends StackProps {
  /** Lowercase name for the Redshift namespace/workgroup and the Grafana workspace. */
  readonly resourceName?: string;
  readonly streamCapacity?: StreamCapacity;
  readonly shardCount?: number;
  readonly streamRetentionHours?: number;
  readonly rawRetentionDays?: number;
  readonly ingestMemoryMb?: number;
  readonly ingestReservedConcurrency?: number;
  readonly consumerBatchSize?: number;
  readonly consumerBatchingWindowSeconds?: number;
  readonly consumerRetryAttempts?: number;
  readonly consumerMaxRecordAgeHours?: number;
  readonly redshiftBaseCapacity?: number;
  readonly redshiftMaxCapacity?: number;
  readonly firehoseBufferSeconds?: number;
  readonly firehoseRetrySeconds?: number;
  readonly mergeIntervalMinutes?: number;
  readonly sqlClientCidrs?: readonly string[];
  readonly grafanaAuthentication?: GrafanaAuthentication;
  readonly alarmEmail?: string;
  readonly expectedBranches?: readonly string[];
  readonly uploadDeadlineHour?: number;
  readonly rowsRejectedThreshold?: number;
  readonly handlerEntries?: HandlerEntries;
}

/**
 * The whole pipeline in one deployable stack:
 * S3 uploads → ingest Lambda → Kinesis → consumer Lambda → Firehose → Redshift,
 * with the till API as a second producer, Grafana on top, and alarms to SNS.
 */
export class PipelineStack extends Stack {
  readonly rawBucket: RawBucket;
  readonly salesStream: SalesStream;
  readonly warehouse: WarehouseDelivery;
  readonly ingest: IngestFunction;
  readonly transform: TransformFunction;
  readonly tillApi: TillApi;
  readonly grafana: GrafanaWorkspace;
  readonly alarms: PipelineAlarms;

  constructor(scope: Construct, id: string, props: PipelineStackProps = {}) {
    super(scope, id, { description: 'Super Café sales-event pipeline (uploads, stream, warehouse, dashboards, alarms)', ...props });
    const entries = props.handlerEntries ?? {};
    const resourceName = props.resourceName ?? 'supercafe';

    // Logs of every bucket (and the warehouse VPC's rejected flows).
    const accessLogs = new AccessLogsBucket(this, 'AccessLogs');

    // Personal data (raw uploads, raw events, the pepper) under one key; the warehouse has its own.
    const personalDataKey = new Key(this, 'PersonalDataKey', {
      description: 'Super Café personal data: raw uploads, sales-events stream, HMAC pepper',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Uploads.
    this.rawBucket = new RawBucket(this, 'RawUploads', {
      accessLogsBucket: accessLogs.bucket,
      encryptionKey: personalDataKey,
      rawRetentionDays: props.rawRetentionDays,
    });

    // The event log.
    this.salesStream = new SalesStream(this, 'SalesEvents', {
      capacity: props.streamCapacity,
      shardCount: props.shardCount,
      retention: props.streamRetentionHours === undefined ? undefined : Duration.hours(props.streamRetentionHours),
      encryptionKey: personalDataKey,
    });

    // The warehouse projection, its delivery and the secrets.
    this.warehouse = new WarehouseDelivery(this, 'Warehouse', {
      accessLogsBucket: accessLogs.bucket,
      name: resourceName,
      pepperEncryptionKey: personalDataKey,
      baseCapacity: props.redshiftBaseCapacity,
      maxCapacity: props.redshiftMaxCapacity,
      bufferInterval: props.firehoseBufferSeconds === undefined ? undefined : Duration.seconds(props.firehoseBufferSeconds),
      retryDuration: props.firehoseRetrySeconds === undefined ? undefined : Duration.seconds(props.firehoseRetrySeconds),
      mergeInterval: props.mergeIntervalMinutes === undefined ? undefined : Duration.minutes(props.mergeIntervalMinutes),
      sqlClientCidrs: props.sqlClientCidrs,
    });

    // Producers.
    this.ingest = new IngestFunction(this, 'CsvIngest', {
      rawBucket: this.rawBucket,
      stream: this.salesStream.stream,
      streamKey: personalDataKey,
      pepperSecret: this.warehouse.pepperSecret,
      entry: entries.ingest,
      memorySize: props.ingestMemoryMb,
      reservedConcurrentExecutions: props.ingestReservedConcurrency,
    });
    this.tillApi = new TillApi(this, 'TillApi', {
      stream: this.salesStream.stream,
      streamKey: personalDataKey,
      entry: entries.tillApi,
    });

    // Consumer.
    this.transform = new TransformFunction(this, 'SalesTransform', {
      stream: this.salesStream.stream,
      pepperSecret: this.warehouse.pepperSecret,
      deliveryStreams: this.warehouse.deliveryStreamNames,
      deliveryStreamArns: this.warehouse.deliveryStreamArns,
      entry: entries.transform,
      batchSize: props.consumerBatchSize,
      maxBatchingWindow: props.consumerBatchingWindowSeconds === undefined ? undefined : Duration.seconds(props.consumerBatchingWindowSeconds),
      retryAttempts: props.consumerRetryAttempts,
      maxRecordAge: props.consumerMaxRecordAgeHours === undefined ? undefined : Duration.hours(props.consumerMaxRecordAgeHours),
    });

    // Dashboards.
    this.grafana = new GrafanaWorkspace(this, 'Grafana', {
      name: resourceName,
      workgroupArn: this.warehouse.workgroup.attrWorkgroupWorkgroupArn,
      workgroupName: this.warehouse.workgroup.attrWorkgroupWorkgroupName,
      databaseName: this.warehouse.databaseName,
      authentication: props.grafanaAuthentication,
    });

    // Monitoring.
    this.alarms = new PipelineAlarms(this, 'Monitoring', {
      functions: [
        { label: 'CsvIngest', function: this.ingest.function },
        { label: 'SalesTransform', function: this.transform.function },
        { label: 'TillApi', function: this.tillApi.function },
      ],
      consumer: this.transform.function,
      deadLetterQueues: [
        { label: 'IngestDlq', queue: this.ingest.deadLetterQueue },
        { label: 'ConsumerDlq', queue: this.transform.deadLetterQueue },
      ],
      deliveryStreams: this.warehouse.deliveryStreams,
      statementFailureRule: this.warehouse.statementFailureRule,
      uploads: {
        bucket: this.rawBucket.bucket,
        prefix: this.rawBucket.uploadPrefix,
        deadlineHour: props.uploadDeadlineHour,
        expectedBranches: props.expectedBranches,
      },
      rowsRejectedThreshold: props.rowsRejectedThreshold,
      alarmEmail: props.alarmEmail,
    });

    // Outputs an operator (and the Grafana script) needs.
    const output = (key: string, value: string, description: string) => new CfnOutput(this, key, { value, description });
    output(StackOutput.RawBucketName, this.rawBucket.bucket.bucketName, 'Branches upload CSVs here');
    output(StackOutput.UploadPrefix, this.rawBucket.uploadPrefix, 'Key prefix: <prefix><branch>/<file>.csv');
    output(StackOutput.UploaderPolicyArn, this.rawBucket.uploaderPolicy.managedPolicyArn, 'Attach to a branch identity tagged supercafe-branch=<branch>');
    output(StackOutput.StreamName, this.salesStream.stream.streamName, 'Sales-events stream');
    output(StackOutput.TillApiUrl, this.tillApi.url, 'Till API base URL (tills POST /v1/sales with their bearer credential)');
    output(StackOutput.TillCredentialsTable, this.tillApi.credentialsTable.tableName, 'Till credentials (hashes), keyed by tillId');
    output(StackOutput.WorkgroupName, this.warehouse.workgroup.attrWorkgroupWorkgroupName, 'Redshift Serverless workgroup');
    output(StackOutput.WorkgroupEndpoint, this.warehouse.workgroup.attrWorkgroupEndpointAddress, 'Redshift endpoint');
    output(StackOutput.DatabaseName, this.warehouse.databaseName, 'Warehouse database');
    output(StackOutput.AdminSecretArn, this.warehouse.adminSecret.secretArn, 'Redshift admin credentials (Secrets Manager)');
    output(StackOutput.PepperSecretArn, this.warehouse.pepperSecret.secretArn, 'HMAC pepper (Secrets Manager)');
    output(StackOutput.ArchiveBucketName, this.warehouse.archiveBucket.bucketName, 'Every warehouse row, for replay');
    output(StackOutput.GrafanaWorkspaceId, this.grafana.workspace.attrId, 'Amazon Managed Grafana workspace');
    output(StackOutput.GrafanaEndpoint, this.grafana.workspace.attrEndpoint, 'Grafana URL (https://<endpoint>)');
    output(StackOutput.AlarmTopicArn, this.alarms.topic.topicArn, 'Subscribe on-call here');
    output(StackOutput.DashboardName, this.alarms.dashboard.dashboardName, 'CloudWatch dashboard');
  }
}
