import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { acknowledge } from '../nag.js';
import { Construct } from 'constructs';

export interface AccessLogsBucketProps {
  /** Days to keep access logs and VPC flow logs. */
  readonly retentionDays?: number;
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The one bucket every other bucket sends its server access logs to (and the VPC
 * its flow logs). S3 log delivery cannot write to SSE-KMS buckets, so this one is
 * SSE-S3; it holds request metadata, never file content.
 */
export class AccessLogsBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: AccessLogsBucketProps = {}) {
    super(scope, id);
    const retentionDays = props.retentionDays ?? 90;
    if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new Error(`${id}: retentionDays must be a positive integer, got ${retentionDays}`);

    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(retentionDays), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });

    acknowledge(this.bucket, { id: 'AwsSolutions-S1', reason: 'This is the access-log bucket itself; logging it to itself would loop.' });
  }
}
