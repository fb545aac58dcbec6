import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { privateBucketProps } from './private-bucket-props.js';
import { denyReadsExceptRolesUnder } from './raw-bucket.js';

/** Default days the raw event archive keeps each event (it holds names and card numbers). */
export const DEFAULT_RAW_ARCHIVE_RETENTION_DAYS = 90;
/** Where the archive's events go, and where Firehose puts records its transformation could not frame. */
export const RAW_ARCHIVE_PREFIX = 'raw/';
export const RAW_ARCHIVE_ERROR_PREFIX = 'raw-errors/';

export interface RawArchiveBucketProps {
  readonly accessLogsBucket: IBucket;
  /** The personal-data key (`RestrictedKey`). */
  readonly encryptionKey: IKey;
  /** Only roles under this IAM path may read objects (`access.ts`). */
  readonly readerRolePath: string;
  /** Days each raw event is kept, then deleted (1–3650): set it to what the privacy notice states. */
  readonly retentionDays?: number;
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The durable raw event log: every event the stream carried, as Kinesis delivered
 * it (`RawEventArchive` writes it), so normalisation rules can be replayed long
 * after the stream's 24 h. It holds personal data, so it is encrypted with the
 * personal-data key, readable only by roles under the personal-data path (the
 * replay role), unversioned (an expired object is really gone) and every object
 * is deleted `retentionDays` after it was written.
 */
export class RawArchiveBucket extends Construct {
  readonly bucket: Bucket;
  readonly retentionDays: number;
  readonly encryptionKey: IKey;

  constructor(scope: Construct, id: string, props: RawArchiveBucketProps) {
    super(scope, id);
    this.retentionDays = props.retentionDays ?? DEFAULT_RAW_ARCHIVE_RETENTION_DAYS;
    if (!Number.isInteger(this.retentionDays) || this.retentionDays < 1 || this.retentionDays > 3650) {
      throw new Error(`${id}: retentionDays must be a whole number of days from 1 to 3650, got ${this.retentionDays}`);
    }
    this.encryptionKey = props.encryptionKey;
    this.bucket = new Bucket(this, 'Bucket', {
      ...privateBucketProps(props.encryptionKey, props.accessLogsBucket),
      versioned: false,
      serverAccessLogsPrefix: 'raw-archive/',
      lifecycleRules: [{ id: 'ExpirePersonalData', expiration: Duration.days(this.retentionDays), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    denyReadsExceptRolesUnder(this.bucket, props.readerRolePath);
  }
}
