import { Duration, Stack, type CfnResource } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { EventType, type IBucket } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { createDeadLetterQueue } from './dead-letter-queue.js';
import { acknowledge, acknowledgeResource } from '../nag.js';
import { Construct } from 'constructs';
import { ServiceName } from '../../../contracts/index.js';
import { PipelineFunction, logWithRetention, repoPath } from './pipeline-function.js';
import { allowDecrypt, allowSecretRead } from '../access.js';
import { allowStreamWrites } from './sales-stream.js';

/** The id aws-cdk-lib gives its singleton bucket-notifications Lambda. */
const BUCKET_NOTIFICATIONS_HANDLER_ID = 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834';

/** The handler module the ingest Lambda bundles (the same one the local stack runs). */
export const INGEST_HANDLER_ENTRY = repoPath('producers/csv-ingest/handler.ts');

/**
 * Memory for the ingest function, sized for the largest file the README promises
 * (2,000,000 rows). The latest bench measured the ingest process at 66 µs of CPU a
 * row and a peak RSS of 272 MB for that file. Lambda gives one full vCPU at
 * 1,769 MB (CPU scales with memory, and parsing is CPU-bound), so the file needs
 * about 130 s of CPU: well inside the timeout below, with memory to spare. At the
 * old 512 MB (0.29 vCPU) the same file needed about 790 s, near the 900 s limit.
 * Re-measure with `npm run bench` and set `ingestMemoryMb` in cdk.json.
 */
export const DEFAULT_INGEST_MEMORY_MB = 1769;
/** Lambda's longest run: a file's events are published as it is read, so a run that ends early is retried whole (ids are deterministic). */
export const DEFAULT_INGEST_TIMEOUT = Duration.minutes(15);

/** Where uploads arrive: the raw bucket (data stack), its upload prefix, and its key. */
export interface UploadLocation {
  readonly bucket: IBucket;
  /** `<prefix><branch>/<file>.csv`. */
  readonly prefix: string;
  readonly encryptionKey: IKey;
}

export interface IngestFunctionProps {
  readonly uploads: UploadLocation;
  /** The role path that may read personal data and the pepper (`access.ts`). */
  readonly rolePath: string;
  readonly stream: IStream;
  /** The stream's key: the producer encrypts records with it. */
  readonly streamKey: IKey;
  readonly pepperSecret: ISecret;
  /** The pepper's own key. */
  readonly pepperKey: IKey;
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
    const { uploads } = props;

    const fn = new PipelineFunction(this, 'Ingest', {
      entry: props.entry ?? INGEST_HANDLER_ENTRY,
      serviceName: ServiceName.CsvIngest,
      description: 'Super Café: uploaded branch CSV → TransactionRecorded events on the sales stream',
      memorySize: props.memorySize ?? DEFAULT_INGEST_MEMORY_MB,
      timeout: props.timeout ?? DEFAULT_INGEST_TIMEOUT,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      rolePath: props.rolePath,
      environment: {
        STREAM_NAME: props.stream.streamName,
        PEPPER_SECRET_ARN: props.pepperSecret.secretArn,
        // Rows under uploads/<branch>/ must carry that branch (branch_mismatch).
        UPLOAD_PREFIX: uploads.prefix,
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
    this.function.addToRolePolicy(new PolicyStatement({ sid: 'ReadUploads', actions: ['s3:GetObject'], resources: [uploads.bucket.arnForObjects(`${uploads.prefix}*`)] }));
    allowDecrypt(this.function, uploads.encryptionKey, 's3');
    allowStreamWrites(this.function, props.stream, props.streamKey);
    allowSecretRead(this.function, props.pepperSecret, props.pepperKey);

    // The bucket lives in the data stack: its notification is written from this stack, for this function.
    uploads.bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(this.function), { prefix: uploads.prefix });
    // aws-cdk-lib's stack-wide helper that writes the bucket's notification configuration.
    const notificationsHandler = Stack.of(this).node.tryFindChild(BUCKET_NOTIFICATIONS_HANDLER_ID);
    if (notificationsHandler) {
      logWithRetention(this, 'NotificationsHandlerLogs', notificationsHandler.node.defaultChild as CfnResource);
      acknowledge(notificationsHandler, {
        id: 'AwsSolutions-IAM4',
        finding: 'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
        reason: "aws-cdk-lib's bucket-notifications helper only writes its own logs with this managed policy; its one other permission is s3:PutBucketNotification.",
      });
    }
    acknowledgeResource(this.function.role!, {
      id: 'AwsSolutions-IAM5',
      resource: uploads.bucket.arnForObjects(`${uploads.prefix}*`),
      reason: 'The function reads any upload under the upload prefix of the raw bucket; object keys are not known in advance.',
    });
  }
}
