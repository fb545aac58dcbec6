import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnDeliveryStream } from 'aws-cdk-lib/aws-kinesisfirehose';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, LogStream, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { WarehouseTables } from '../../../contracts/index.js';
import { acknowledgeResource } from '../nag.js';
import { WAREHOUSE_TABLE_KEYS, deliveryErrorPrefix, rowsPrefix, type WarehouseTableKey } from '../warehouse/warehouse-sql.js';

/** Firehose buffers for 60–900 s and 1–128 MiB before writing a file. */
export const BUFFER_INTERVAL_RANGE = [Duration.seconds(60), Duration.seconds(900)] as const;
export const BUFFER_SIZE_RANGE_MB = [1, 128] as const;

export interface WarehouseLoadersProps {
  /** The warehouse bucket (`WarehouseArchive`). */
  readonly bucket: IBucket;
  /** The warehouse key: the delivery streams and the files are encrypted with it. */
  readonly encryptionKey: IKey;
  /** Buffer time before each file (60–900 s): longer means fewer, larger files and fewer COPYs. */
  readonly bufferInterval?: Duration;
  readonly bufferSizeMb?: number;
}

function checkRange(owner: string, name: string, value: number, low: number, high: number): void {
  if (!Number.isFinite(value) || value < low || value > high) throw new Error(`${owner}: ${name} must be from ${low} to ${high}, got ${value}`);
}

/**
 * One Firehose delivery stream per warehouse table, each delivering to S3 only:
 * the consumer puts a table's rows (JSON lines), Firehose gzips them into
 * `rows/<table>/YYYY/MM/DD/HH/` of the warehouse bucket, KMS-encrypted, retrying
 * S3 itself for up to a day. Redshift is never a Firehose destination, so the
 * warehouse needs no public endpoint and no loader signs in as its admin: the
 * loader (`WarehouseMerge`) COPYs these files. They are also the rebuild source.
 */
export class WarehouseLoaders extends Construct {
  readonly deliveryStreams: { readonly [key in WarehouseTableKey]: CfnDeliveryStream };
  readonly deliveryRole: Role;
  readonly bufferInterval: Duration;

  constructor(scope: Construct, id: string, props: WarehouseLoadersProps) {
    super(scope, id);
    this.bufferInterval = props.bufferInterval ?? Duration.seconds(300);
    checkRange(id, 'bufferInterval (s)', this.bufferInterval.toSeconds(), BUFFER_INTERVAL_RANGE[0].toSeconds(), BUFFER_INTERVAL_RANGE[1].toSeconds());
    const bufferSizeMb = props.bufferSizeMb ?? 5;
    checkRange(id, 'bufferSizeMb', bufferSizeMb, ...BUFFER_SIZE_RANGE_MB);
    const { bucket } = props;

    this.deliveryRole = new Role(this, 'DeliveryRole', {
      description: 'Firehose: write each warehouse table rows to the warehouse bucket',
      assumedBy: new ServicePrincipal('firehose.amazonaws.com', { conditions: { StringEquals: { 'sts:ExternalId': Aws.ACCOUNT_ID } } }),
    });
    const logs = new LogGroup(this, 'DeliveryLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    const policy = new Policy(this, 'DeliveryPolicy', {
      roles: [this.deliveryRole],
      statements: [
        new PolicyStatement({ sid: 'FindBucket', actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'], resources: [bucket.bucketArn] }),
        new PolicyStatement({
          sid: 'WriteRows',
          actions: ['s3:AbortMultipartUpload', 's3:PutObject'],
          resources: [bucket.arnForObjects('rows/*'), bucket.arnForObjects('delivery-errors/*')],
        }),
        new PolicyStatement({ sid: 'EncryptRows', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [props.encryptionKey.keyArn] }),
        // The log group ARN ends in ":*", which covers its streams and nothing else.
        new PolicyStatement({ sid: 'LogDeliveryErrors', actions: ['logs:PutLogEvents'], resources: [logs.logGroupArn] }),
      ],
    });
    for (const prefix of ['rows', 'delivery-errors']) {
      acknowledgeResource(policy, {
        id: 'AwsSolutions-IAM5',
        resource: bucket.arnForObjects(`${prefix}/*`),
        reason: 'Firehose writes objects under time-based keys it chooses, below the rows/ and delivery-errors/ prefixes only.',
      });
    }

    const streams: Partial<Record<WarehouseTableKey, CfnDeliveryStream>> = {};
    for (const key of WAREHOUSE_TABLE_KEYS) {
      const table = WarehouseTables[key];
      const log = new LogStream(this, `${key}Log`, { logGroup: logs, logStreamName: `${table.name}-s3`, removalPolicy: RemovalPolicy.DESTROY });
      const stream = new CfnDeliveryStream(this, `${key}Delivery`, {
        deliveryStreamType: 'DirectPut',
        deliveryStreamEncryptionConfigurationInput: { keyType: 'CUSTOMER_MANAGED_CMK', keyArn: props.encryptionKey.keyArn },
        extendedS3DestinationConfiguration: {
          bucketArn: bucket.bucketArn,
          roleArn: this.deliveryRole.roleArn,
          prefix: `${rowsPrefix(table)}!{timestamp:yyyy/MM/dd/HH}/`,
          errorOutputPrefix: `${deliveryErrorPrefix(table)}!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/`,
          compressionFormat: 'GZIP',
          bufferingHints: { intervalInSeconds: this.bufferInterval.toSeconds(), sizeInMBs: bufferSizeMb },
          encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: props.encryptionKey.keyArn } },
          cloudWatchLoggingOptions: { enabled: true, logGroupName: logs.logGroupName, logStreamName: log.logStreamName },
        },
      });
      stream.node.addDependency(policy);
      streams[key] = stream;
    }
    this.deliveryStreams = streams as { [key in WarehouseTableKey]: CfnDeliveryStream };
  }

  /** The delivery stream names, by table, for the consumer's environment. */
  get deliveryStreamNames(): { readonly [key in WarehouseTableKey]: string } {
    return Object.fromEntries(WAREHOUSE_TABLE_KEYS.map((key) => [key, this.deliveryStreams[key].ref])) as { [key in WarehouseTableKey]: string };
  }

  /** The delivery stream ARNs, for the PutRecordBatch grant. */
  get deliveryStreamArns(): string[] {
    return WAREHOUSE_TABLE_KEYS.map((key) => this.deliveryStreams[key].attrArn);
  }
}
