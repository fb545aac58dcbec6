import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccountRootPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Stream, StreamEncryption, StreamMode, type IStream } from 'aws-cdk-lib/aws-kinesis';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { rolesUnder } from '../access.js';
import { acknowledge } from '../nag.js';

/** How the stream is billed and scaled. */
export const StreamCapacity = {
  /** Pay per GB, scales itself: right for a quiet day and a nightly burst. */
  OnDemand: 'ON_DEMAND',
  /** Pay per shard-hour: cheaper when the load is steady and known. */
  Provisioned: 'PROVISIONED',
} as const;

export type StreamCapacity = (typeof StreamCapacity)[keyof typeof StreamCapacity];

/** Kinesis keeps records 24 h at least and 365 days at most. */
export const MIN_RETENTION = Duration.hours(24);
export const MAX_RETENTION = Duration.hours(8760);

export interface SalesStreamProps {
  /** On-demand by default. */
  readonly capacity?: StreamCapacity;
  /** Shards when provisioned (positive integer); not allowed on demand. */
  readonly shardCount?: number;
  /** How long records stay readable (the replay window); 24 h by default, as the raw events hold personal data. */
  readonly retention?: Duration;
  /** The personal-data key (`RestrictedKey`): producers encrypt with it, only personal-data roles decrypt. */
  readonly encryptionKey: IKey;
  /** Only roles under this IAM path may read records (the stream's resource policy, `access.ts`). */
  readonly readerRolePath: string;
  readonly removalPolicy?: RemovalPolicy;
}

/** The Kinesis actions that hand out records. */
export const STREAM_READ_ACTIONS = ['kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:SubscribeToShard'] as const;

/**
 * The "sales events" stream between the producers and the consumer. Its records
 * still carry names and card numbers, so it is encrypted with a customer-managed
 * key and keeps them only as long as re-reading a failed batch needs (the raw
 * archive keeps them longer). Grants stay with the callers: producers get write,
 * the consumer and the raw archive read; the stream's own policy refuses records
 * to every other principal, administrators included.
 */
export class SalesStream extends Construct {
  readonly stream: Stream;
  readonly encryptionKey: IKey;
  readonly capacity: StreamCapacity;
  readonly retention: Duration;

  constructor(scope: Construct, id: string, props: SalesStreamProps) {
    super(scope, id);
    this.capacity = props.capacity ?? StreamCapacity.OnDemand;
    this.retention = props.retention ?? MIN_RETENTION;

    if (this.capacity === StreamCapacity.OnDemand && props.shardCount !== undefined) {
      throw new Error(`${id}: shardCount applies to a provisioned stream only; remove it or set capacity to PROVISIONED`);
    }
    const shardCount = props.shardCount ?? 1;
    if (this.capacity === StreamCapacity.Provisioned && (!Number.isInteger(shardCount) || shardCount < 1)) {
      throw new Error(`${id}: shardCount must be a positive integer, got ${shardCount}`);
    }
    const hours = this.retention.toHours({ integral: false });
    if (!Number.isInteger(hours) || hours < MIN_RETENTION.toHours() || hours > MAX_RETENTION.toHours()) {
      throw new Error(`${id}: retention must be a whole number of hours from 24 to 8760, got ${hours}`);
    }

    this.encryptionKey = props.encryptionKey;

    this.stream = new Stream(this, 'Stream', {
      streamMode: this.capacity === StreamCapacity.OnDemand ? StreamMode.ON_DEMAND : StreamMode.PROVISIONED,
      shardCount: this.capacity === StreamCapacity.Provisioned ? shardCount : undefined,
      retentionPeriod: this.retention,
      encryption: StreamEncryption.KMS,
      encryptionKey: this.encryptionKey,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    this.stream.addToResourcePolicy(
      new PolicyStatement({
        sid: 'OnlyPersonalDataRolesRead',
        effect: Effect.DENY,
        principals: [new AccountRootPrincipal()],
        actions: [...STREAM_READ_ACTIONS],
        resources: [this.stream.streamArn],
        conditions: { ArnNotLike: { 'aws:PrincipalArn': rolesUnder(props.readerRolePath) } },
      }),
    );
    acknowledge(this.stream, {
      id: 'AwsSolutions-KDS3',
      reason: 'A customer-managed key on purpose: its key policy, rotation and CloudTrail trail are ours, and the same key guards the raw uploads that hold the same personal data.',
    });
  }
}

/**
 * What a producer needs to publish to the stream, spelled out (least privilege):
 * put records and find the shards, and a data key from the stream's KMS key.
 */
export function allowStreamWrites(fn: IFunction, stream: IStream, streamKey: IKey): void {
  fn.addToRolePolicy(
    new PolicyStatement({
      sid: 'WriteSalesStream',
      actions: ['kinesis:PutRecord', 'kinesis:PutRecords', 'kinesis:ListShards', 'kinesis:DescribeStreamSummary'],
      resources: [stream.streamArn],
    }),
  );
  fn.addToRolePolicy(new PolicyStatement({ sid: 'EncryptStreamRecords', actions: ['kms:GenerateDataKey'], resources: [streamKey.keyArn] }));
}
