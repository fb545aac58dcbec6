import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import { CfnDeliveryStream } from 'aws-cdk-lib/aws-kinesisfirehose';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, LogStream, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeResource } from '../nag.js';
import { RAW_ARCHIVE_ERROR_PREFIX, RAW_ARCHIVE_PREFIX } from './raw-archive-bucket.js';
import { PipelineFunction, repoPath } from './pipeline-function.js';

export interface RawEventArchiveProps {
  /** The sales-events stream (raw, personal data). */
  readonly stream: IStream;
  /** The archive bucket (`RawArchiveBucket`, data stack). */
  readonly bucket: IBucket;
  /** The personal-data key: the stream's, and the archive's. */
  readonly encryptionKey: IKey;
  /** The IAM path whose roles may decrypt personal data (the delivery role must read the stream). */
  readonly personalDataRolePath: string;
}

/**
 * Every raw event, kept: a Firehose delivery stream reads the sales-events stream
 * (its own reader, beside the consumer) and writes each Kinesis record, framed as
 * one JSON line by a small transformation function, gzipped and encrypted with the
 * personal-data key, to `raw/YYYY/MM/DD/HH/` of the raw archive bucket, which
 * deletes each object after its retention. `infra/aws/scripts/replay-raw.ts`
 * republishes a time range of it to the stream, so the current consumer's rules
 * apply to old events. Only the delivery role (under the personal-data path)
 * decrypts the stream; the framing function never calls KMS.
 */
export class RawEventArchive extends Construct {
  readonly deliveryStream: CfnDeliveryStream;
  readonly deliveryRole: Role;
  readonly frameFunction: NodejsFunction;

  constructor(scope: Construct, id: string, props: RawEventArchiveProps) {
    super(scope, id);
    const { bucket } = props;

    this.frameFunction = new PipelineFunction(this, 'Frame', {
      entry: repoPath('infra/aws/functions/raw-archive-frame.ts'),
      serviceName: 'raw-archive-frame',
      description: 'Super Café: frame each raw Kinesis record as one archive line (bytes kept, never decoded)',
      memorySize: 256,
      timeout: Duration.minutes(1),
    }).function;

    this.deliveryRole = new Role(this, 'DeliveryRole', {
      description: 'Firehose: read the sales-events stream and archive every record (personal data)',
      path: props.personalDataRolePath,
      assumedBy: new ServicePrincipal('firehose.amazonaws.com', { conditions: { StringEquals: { 'sts:ExternalId': Aws.ACCOUNT_ID } } }),
    });
    const logs = new LogGroup(this, 'DeliveryLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    const log = new LogStream(this, 'DeliveryLog', { logGroup: logs, logStreamName: 'raw-archive-s3', removalPolicy: RemovalPolicy.DESTROY });
    const policy = new Policy(this, 'DeliveryPolicy', {
      roles: [this.deliveryRole],
      statements: [
        new PolicyStatement({
          sid: 'ReadStream',
          actions: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetShardIterator', 'kinesis:GetRecords', 'kinesis:ListShards'],
          resources: [props.stream.streamArn],
        }),
        new PolicyStatement({ sid: 'FindBucket', actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'], resources: [bucket.bucketArn] }),
        new PolicyStatement({
          sid: 'WriteArchive',
          actions: ['s3:AbortMultipartUpload', 's3:PutObject'],
          resources: [bucket.arnForObjects(`${RAW_ARCHIVE_PREFIX}*`), bucket.arnForObjects(`${RAW_ARCHIVE_ERROR_PREFIX}*`)],
        }),
        new PolicyStatement({ sid: 'DecryptStreamEncryptArchive', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [props.encryptionKey.keyArn] }),
        new PolicyStatement({ sid: 'FrameRecords', actions: ['lambda:InvokeFunction', 'lambda:GetFunctionConfiguration'], resources: [this.frameFunction.functionArn] }),
        new PolicyStatement({ sid: 'LogDeliveryErrors', actions: ['logs:PutLogEvents'], resources: [logs.logGroupArn] }),
      ],
    });
    for (const prefix of [RAW_ARCHIVE_PREFIX, RAW_ARCHIVE_ERROR_PREFIX]) {
      acknowledgeResource(policy, {
        id: 'AwsSolutions-IAM5',
        resource: bucket.arnForObjects(`${prefix}*`),
        reason: 'Firehose writes objects under time-based keys it chooses, below the raw archive prefixes only.',
      });
    }

    this.deliveryStream = new CfnDeliveryStream(this, 'Delivery', {
      deliveryStreamType: 'KinesisStreamAsSource',
      kinesisStreamSourceConfiguration: { kinesisStreamArn: props.stream.streamArn, roleArn: this.deliveryRole.roleArn },
      extendedS3DestinationConfiguration: {
        bucketArn: bucket.bucketArn,
        roleArn: this.deliveryRole.roleArn,
        prefix: `${RAW_ARCHIVE_PREFIX}!{timestamp:yyyy/MM/dd/HH}/`,
        errorOutputPrefix: `${RAW_ARCHIVE_ERROR_PREFIX}!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/`,
        compressionFormat: 'GZIP',
        // Read rarely, kept long: the largest buffer gives the fewest objects.
        bufferingHints: { intervalInSeconds: 900, sizeInMBs: 128 },
        encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: props.encryptionKey.keyArn } },
        processingConfiguration: {
          enabled: true,
          processors: [
            {
              type: 'Lambda',
              parameters: [
                { parameterName: 'LambdaArn', parameterValue: this.frameFunction.functionArn },
                // 1 MB in stays well under Lambda's 6 MB response once framed (base64 grows it by a third).
                { parameterName: 'BufferSizeInMBs', parameterValue: '1' },
                { parameterName: 'BufferIntervalInSeconds', parameterValue: '60' },
              ],
            },
          ],
        },
        cloudWatchLoggingOptions: { enabled: true, logGroupName: logs.logGroupName, logStreamName: log.logStreamName },
      },
    });
    this.deliveryStream.node.addDependency(policy);
    acknowledge(this.deliveryStream, {
      id: 'AwsSolutions-KDF1',
      reason: 'A Kinesis-sourced delivery stream takes no server-side encryption of its own: the source stream is KMS-encrypted and the archive objects are written with the personal-data key.',
    });
    acknowledge(policy, {
      id: 'AwsSolutions-IAM5',
      finding: `Resource::<${Stack.of(this).getLogicalId(this.frameFunction.node.defaultChild as CfnFunction)}.Arn>:*`,
      reason: 'Firehose may invoke any version of the framing function (its ARN with :*), and no other function.',
    });
  }
}
