import { Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { EventType, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { createDeadLetterQueue } from './dead-letter-queue.js';
import { acknowledge } from '../nag.js';
import { Construct } from 'constructs';
import { ServiceName } from '../../../contracts/index.js';
import { PipelineFunction, repoPath } from './pipeline-function.js';
import { allowStreamWrites } from './sales-stream.js';
import type { RawBucket } from './raw-bucket.js';

/** The id aws-cdk-lib gives its singleton bucket-notifications Lambda. */
const BUCKET_NOTIFICATIONS_HANDLER_ID = 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834';

/** The handler module the ingest Lambda bundles (the same one the local stack runs). */
export const INGEST_HANDLER_ENTRY = repoPath('producers/csv-ingest/handler.ts');

/**
 * Memory for the ingest function. Lambda CPU scales with memory, and parsing is
 * CPU-bound: re-measure with `npm run bench` and set `ingestMemoryMb` in cdk.json.
 */
export const DEFAULT_INGEST_MEMORY_MB = 512;

export interface IngestFunctionProps {
  readonly rawBucket: RawBucket;
  readonly stream: IStream;
  /** The stream's key: the producer encrypts records with it. */
  readonly streamKey: IKey;
  readonly pepperSecret: ISecret;
  readonly entry?: string;
  readonly memorySize?: number;
  readonly timeout?: Duration;
  /** Caps parallel files (and so stream write rate); unset uses the account pool. */
  readonly reservedConcurrentExecutions?: number;
  /** Async retries before an upload event goes to the dead-letter queue. */
  readonly retryAttempts?: number;
}

/**
 * The ingest Lambda: an upload under the raw bucket's prefix invokes it, and it
 * streams the CSV into TransactionRecorded events on the stream. It may read uploads
 * and write the stream, nothing more. An event that still fails after Lambda's async
 * retries lands in a dead-letter queue, where the alarm sees it.
 */
export class IngestFunction extends Construct {
  readonly function: NodejsFunction;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: IngestFunctionProps) {
    super(scope, id);
    const retryAttempts = props.retryAttempts ?? 2;
    if (!Number.isInteger(retryAttempts) || retryAttempts < 0 || retryAttempts > 2) {
      throw new Error(`${id}: retryAttempts must be 0, 1 or 2 (Lambda async limit), got ${retryAttempts}`);
    }
    const { rawBucket } = props;

    const fn = new PipelineFunction(this, 'Ingest', {
      entry: props.entry ?? INGEST_HANDLER_ENTRY,
      serviceName: ServiceName.CsvIngest,
      description: 'Super Café: uploaded branch CSV → TransactionRecorded events on the sales stream',
      memorySize: props.memorySize ?? DEFAULT_INGEST_MEMORY_MB,
      timeout: props.timeout ?? Duration.minutes(2),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: {
        STREAM_NAME: props.stream.streamName,
        PEPPER_SECRET_ARN: props.pepperSecret.secretArn,
      },
    });
    this.function = fn.function;

    this.deadLetterQueue = createDeadLetterQueue(this, 'the dead-letter queue of the ingest function');
    this.function.configureAsyncInvoke({
      retryAttempts,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.deadLetterQueue),
    });

    // Least privilege, spelled out: read uploads under the prefix, write the stream.
    this.function.addToRolePolicy(
      new PolicyStatement({ sid: 'ReadUploads', actions: ['s3:GetObject'], resources: [rawBucket.bucket.arnForObjects(`${rawBucket.uploadPrefix}*`)] }),
    );
    rawBucket.encryptionKey.grantDecrypt(this.function);
    allowStreamWrites(this.function, props.stream, props.streamKey);
    props.pepperSecret.grantRead(this.function);

    rawBucket.bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(this.function), { prefix: rawBucket.uploadPrefix });
    // aws-cdk-lib's stack-wide helper that writes the bucket's notification configuration.
    const notificationsHandler = Stack.of(this).node.tryFindChild(BUCKET_NOTIFICATIONS_HANDLER_ID);
    if (notificationsHandler) {
      acknowledge(notificationsHandler, {
        id: 'AwsSolutions-IAM4',
        finding: 'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
        reason: "aws-cdk-lib's bucket-notifications helper only writes its own logs with this managed policy; its one other permission is s3:PutBucketNotification.",
      });
    }
    rawBucket.restrictReadsTo(this.function.role!);

    acknowledge(this.function, {
      id: 'AwsSolutions-IAM5',
      finding: `Resource::<${Stack.of(this).getLogicalId(rawBucket.bucket.node.defaultChild as CfnBucket)}.Arn>/${rawBucket.uploadPrefix}*`,
      reason: 'The function reads any upload under the upload prefix; object keys are not known in advance.',
    });
  }
}
