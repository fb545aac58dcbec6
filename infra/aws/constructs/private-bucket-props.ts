import type { IKey } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, BucketEncryption, ObjectOwnership, type BucketProps, type IBucket } from 'aws-cdk-lib/aws-s3';

/**
 * What every bucket of the pipeline holds to: KMS with a customer-managed key and
 * one data key per bucket (far fewer KMS requests on the nightly burst), no public
 * access, TLS 1.2 or later only, no ACLs, access logged.
 */
export function privateBucketProps(encryptionKey: IKey, accessLogsBucket: IBucket) {
  return {
    encryption: BucketEncryption.KMS,
    encryptionKey,
    bucketKeyEnabled: true,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: accessLogsBucket,
  } as const satisfies BucketProps;
}
