import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Bucket, type CfnBucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { acknowledge } from '../nag.js';
import { rolesUnder } from '../access.js';
import { privateBucketProps } from './private-bucket-props.js';
import { Construct } from 'constructs';

/** The principal tag that names a branch uploader's own prefix (ABAC). */
export const BRANCH_PRINCIPAL_TAG = 'supercafe-branch';

export interface RawBucketProps {
  /** Where S3 server access logs go. */
  readonly accessLogsBucket: IBucket;
  /** Days before an upload (it holds names and card numbers) is deleted. */
  readonly rawRetentionDays?: number;
  /** The personal-data key (`RestrictedKey`): only roles under `readerRolePath` may decrypt with it. */
  readonly encryptionKey: IKey;
  /** Only roles under this IAM path may read objects, whatever their IAM policies say (`access.ts`). */
  readonly readerRolePath: string;
  /** The key prefix branches upload under, as `<prefix><branch>/<file>.csv`. */
  readonly uploadPrefix?: string;
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The upload bucket for branch CSVs. The files hold personal data, so the bucket is
 * KMS-encrypted with a customer-managed key, blocks public access, refuses plain
 * HTTP, logs access, and deletes each upload after `rawRetentionDays`. Branches get
 * write-only access to their own prefix (`uploaderPolicy`); the bucket policy lets
 * only roles under the personal-data path read an object (the ingest function).
 */
export class RawBucket extends Construct {
  readonly bucket: Bucket;
  readonly encryptionKey: IKey;
  readonly uploadPrefix: string;
  readonly rawRetentionDays: number;
  /** Attach to a branch's IAM user or role, tagged `supercafe-branch=<prefix name>`: put-only, own prefix only. */
  readonly uploaderPolicy: ManagedPolicy;

  constructor(scope: Construct, id: string, props: RawBucketProps) {
    super(scope, id);
    this.rawRetentionDays = props.rawRetentionDays ?? 30;
    if (!Number.isInteger(this.rawRetentionDays) || this.rawRetentionDays < 1) {
      throw new Error(`${id}: rawRetentionDays must be a positive whole number of days, got ${this.rawRetentionDays}`);
    }
    this.uploadPrefix = props.uploadPrefix ?? 'uploads/';
    if (!/^[a-z0-9][a-z0-9-]*\/$/.test(this.uploadPrefix)) throw new Error(`${id}: uploadPrefix must look like "uploads/", got "${this.uploadPrefix}"`);

    this.encryptionKey = props.encryptionKey;

    this.bucket = new Bucket(this, 'Bucket', {
      ...privateBucketProps(this.encryptionKey, props.accessLogsBucket),
      versioned: false,
      serverAccessLogsPrefix: 'raw-uploads/',
      lifecycleRules: [
        {
          id: 'ExpirePersonalData',
          expiration: Duration.days(this.rawRetentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    denyReadsExceptRolesUnder(this.bucket, props.readerRolePath);

    const region = Stack.of(this).region;
    this.uploaderPolicy = new ManagedPolicy(this, 'UploaderPolicy', {
      description: 'Branch back office: upload CSVs to its own prefix of the raw bucket; no read, no list.',
      statements: [
        new PolicyStatement({
          sid: 'PutOwnPrefixOnly',
          actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
          resources: [this.bucket.arnForObjects(`${this.uploadPrefix}\${aws:PrincipalTag/${BRANCH_PRINCIPAL_TAG}}/*`)],
        }),
        new PolicyStatement({
          sid: 'EncryptUploads',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [this.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
        }),
      ],
    });
    acknowledge(this.uploaderPolicy, {
      id: 'AwsSolutions-IAM5',
      finding: `Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>/${this.uploadPrefix}<aws:PrincipalTag/${BRANCH_PRINCIPAL_TAG}>/*`,
      reason: "The wildcard is the branch's own prefix: the path is fixed by the caller's supercafe-branch principal tag, so a branch can only write under its own name.",
    });
  }
}

/** Object reads of every kind (a replication or a copy reads too). */
export const OBJECT_READ_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectVersionForReplication', 's3:GetObjectAttributes', 's3:RestoreObject'] as const;

/**
 * Denies object reads to every principal but the roles under `path`, whatever
 * their IAM policies say: "only the functions that need personal data read it" is
 * a fact of the bucket, not a convention, and an administrator is refused too.
 */
export function denyReadsExceptRolesUnder(bucket: Bucket, path: string): void {
  bucket.addToResourcePolicy(
    new PolicyStatement({
      sid: 'OnlyPersonalDataRolesRead',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: [...OBJECT_READ_ACTIONS],
      resources: [bucket.arnForObjects('*')],
      conditions: { ArnNotLike: { 'aws:PrincipalArn': rolesUnder(path) } },
    }),
  );
}
