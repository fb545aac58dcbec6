import { Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import { EventSourceMapping, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { allowSecretRead, allowStreamReads } from '../access.js';
import { createDeadLetterQueue } from './dead-letter-queue.js';
import { Construct } from 'constructs';
import { ServiceName, WarehouseTables } from '../../../contracts/index.js';
import { consumerSemiSpaceOption } from '../../../consumers/sales-transform/heap-tuning.js';
import { WAREHOUSE_TABLE_KEYS, type WarehouseTableKey } from '../warehouse/warehouse-sql.js';
import { PipelineFunction, repoPath } from './pipeline-function.js';

/** The handler module the consumer Lambda bundles (the same one the local stack runs). */
export const TRANSFORM_HANDLER_ENTRY = repoPath('consumers/sales-transform/handler.ts');

/** Limits Lambda puts on a Kinesis event source mapping. */
const BATCH_SIZE_RANGE = [1, 10_000] as const;
const BATCHING_WINDOW_MAX = Duration.seconds(300);
const RETRY_ATTEMPTS_RANGE = [0, 10_000] as const;
const RECORD_AGE_RANGE = [Duration.seconds(60), Duration.days(7)] as const;

/** The delivery stream of each warehouse table, by name (the consumer's environment). */
export type DeliveryStreamNames = { readonly [key in WarehouseTableKey]: string };

/** The consumer's environment variable naming a table's delivery stream: `SALE_ITEMS_DELIVERY_STREAM` for `sale_items`. */
export function deliveryStreamVariable(table: WarehouseTableKey): string {
  return `${WarehouseTables[table].name.toUpperCase()}_DELIVERY_STREAM`;
}

/** The consumer's memory: a batch of 100 records is small, and 512 MB leaves the heap room (the bench converts its CPU per sale to GB-seconds at this size). */
export const DEFAULT_TRANSFORM_MEMORY_MB = 512;

export interface TransformFunctionProps {
  readonly stream: IStream;
  readonly pepperSecret: ISecret;
  readonly pepperKey: IKey;
  /** The stream's key (personal data): the consumer decrypts records with it. */
  readonly streamKey: IKey;
  /** The role path that may read personal data and the pepper (`access.ts`). */
  readonly rolePath: string;
  readonly deliveryStreams: DeliveryStreamNames;
  /** ARNs of the delivery streams, for the PutRecordBatch grant. */
  readonly deliveryStreamArns: readonly string[];
  readonly entry?: string;
  readonly memorySize?: number;
  readonly timeout?: Duration;
  /** Records per invocation (1–10000); 500 fills one PutRecordBatch per table. */
  readonly batchSize?: number;
  /** How long to gather records before invoking (0–300 s): fewer, fuller batches. */
  readonly maxBatchingWindow?: Duration;
  /**
   * Retries of a failing batch before its records go to the dead-letter queue.
   * Unset (the default): retried, bisected, until the records reach `maxRecordAge`,
   * so a throttled nightly burst is absorbed instead of dead-lettered.
   */
  readonly retryAttempts?: number;
  /** Records older than this are sent to the dead-letter queue instead of processed. */
  readonly maxRecordAge?: Duration;
  /** Concurrent batches per shard (1–10). */
  readonly parallelizationFactor?: number;
  /** Concurrency kept for the consumer (its pollers: shards × parallelization factor); unset draws on the account pool. */
  readonly reservedConcurrentExecutions?: number;
}

function inRange(owner: string, name: string, value: number, [low, high]: readonly [number, number]): number {
  if (!Number.isInteger(value) || value < low || value > high) throw new Error(`${owner}: ${name} must be an integer from ${low} to ${high}, got ${value}`);
  return value;
}

/**
 * The consumer Lambda and its Kinesis event source mapping. The handler reports
 * per-record failures (ReportBatchItemFailures), so one bad record does not retry
 * the whole batch (a poison event is quarantined, not thrown); a batch that keeps
 * failing (the sink could not write it before the invocation's deadline) is
 * bisected and retried until its records reach `maxRecordAge` (or `retryAttempts`,
 * when set), and then its position goes to an SQS dead-letter queue while the shard
 * moves on. Records are not lost: the queue message names the shard and sequence
 * range to re-read within the stream's retention.
 */
export class TransformFunction extends Construct {
  readonly function: NodejsFunction;
  readonly deadLetterQueue: Queue;
  readonly eventSource: EventSourceMapping;

  constructor(scope: Construct, id: string, props: TransformFunctionProps) {
    super(scope, id);
    const batchSize = inRange(id, 'batchSize', props.batchSize ?? 500, BATCH_SIZE_RANGE);
    const retryAttempts = props.retryAttempts === undefined ? undefined : inRange(id, 'retryAttempts', props.retryAttempts, RETRY_ATTEMPTS_RANGE);
    const parallelizationFactor = inRange(id, 'parallelizationFactor', props.parallelizationFactor ?? 1, [1, 10]);
    const maxBatchingWindow = props.maxBatchingWindow ?? Duration.seconds(5);
    if (maxBatchingWindow.toSeconds() > BATCHING_WINDOW_MAX.toSeconds()) {
      throw new Error(`${id}: maxBatchingWindow must be at most 300 seconds, got ${maxBatchingWindow.toSeconds()}`);
    }
    const maxRecordAge = props.maxRecordAge ?? Duration.hours(6);
    const ageSeconds = maxRecordAge.toSeconds();
    if (ageSeconds < RECORD_AGE_RANGE[0].toSeconds() || ageSeconds > RECORD_AGE_RANGE[1].toSeconds()) {
      throw new Error(`${id}: maxRecordAge must be from 60 seconds to 7 days, got ${ageSeconds} s`);
    }

    const fn = new PipelineFunction(this, 'Transform', {
      entry: props.entry ?? TRANSFORM_HANDLER_ENTRY,
      serviceName: ServiceName.SalesTransform,
      description: 'Super Café: sales events → validate, redact, normalise → Firehose (warehouse rows)',
      memorySize: props.memorySize ?? DEFAULT_TRANSFORM_MEMORY_MB,
      timeout: props.timeout ?? Duration.seconds(120),
      rolePath: props.rolePath,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      // The local consumer process's nursery too: the bench's CPU per sale, which the capacity planner bills, is measured with it.
      nodeOptions: [consumerSemiSpaceOption()],
      environment: {
        PEPPER_SECRET_ARN: props.pepperSecret.secretArn,
        ...Object.fromEntries(WAREHOUSE_TABLE_KEYS.map((table) => [deliveryStreamVariable(table), props.deliveryStreams[table]])),
      },
    });
    this.function = fn.function;

    this.deadLetterQueue = createDeadLetterQueue(this, "the consumer's on-failure destination");

    this.eventSource = new EventSourceMapping(this, 'StreamSource', {
      target: this.function,
      eventSourceArn: props.stream.streamArn,
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize,
      maxBatchingWindow,
      reportBatchItemFailures: true,
      bisectBatchOnError: true,
      retryAttempts,
      maxRecordAge,
      parallelizationFactor,
      onFailure: new SqsDlq(this.deadLetterQueue),
    });
    // Written as the role's own statements: a grant on the data stack's stream would write this role into the stream's policy.
    allowStreamReads(this.function, props.stream, props.streamKey);

    this.function.addToRolePolicy(
      new PolicyStatement({ sid: 'PutWarehouseRows', actions: ['firehose:PutRecordBatch'], resources: [...props.deliveryStreamArns] }),
    );
    allowSecretRead(this.function, props.pepperSecret, props.pepperKey);
  }
}
