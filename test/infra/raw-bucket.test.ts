import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { BRANCH_PRINCIPAL_TAG, OBJECT_READ_ACTIONS, RawBucket } from '../../infra/aws/constructs/raw-bucket.js';
import { logicalIdOf, templateOf, testStack } from './helpers.js';

const READERS = '/supercafe/TestData/personal-data/';

describe('Construct: RawBucket', () => {
  let template: Template;
  let bucketId: string;

  beforeAll(() => {
    template = templateOf((stack) => {
      new RawBucket(stack, 'Raw', { accessLogsBucket: new Bucket(stack, 'Logs'), encryptionKey: new Key(stack, 'RawKey'), readerRolePath: READERS, rawRetentionDays: 14 });
    });
    bucketId = logicalIdOf(template, 'AWS::S3::Bucket', 'RawBucket');
  });

  it('encrypts uploads with a customer-managed KMS key and an S3 bucket key', () => {
    // Assess
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RawKey'), 'Arn'] } } },
        ],
      },
    });
  });

  it('blocks public access and logs access', () => {
    // Assess
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^Logs') }, LogFilePrefix: 'raw-uploads/' },
      }),
    });
  });

  it('expires uploads (personal data) after the configured days', () => {
    // Assess
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ Id: 'ExpirePersonalData', Status: 'Enabled', ExpirationInDays: 14, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } })] },
    });
  });

  it('refuses plain HTTP and lets only roles under the personal-data path read objects, of any kind', () => {
    // Assess
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Sid: 'OnlyPersonalDataRolesRead',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: [...OBJECT_READ_ACTIONS].sort(),
            Condition: { ArnNotLike: { 'aws:PrincipalArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, `:role${READERS}*`]] } } },
          }),
        ]),
      },
    });
    expect(OBJECT_READ_ACTIONS).toEqual(expect.arrayContaining(['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectVersionForReplication']));
  });

  it('is kept on delete, but not after a failed first creation, and has no fixed name', () => {
    // Assess
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain', Properties: Match.objectLike({ BucketName: Match.absent() }) });
  });

  it("gives branches put-only access to their own prefix, chosen by principal tag", () => {
    // Assess
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'PutOwnPrefixOnly',
            Action: ['s3:AbortMultipartUpload', 's3:PutObject'],
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/uploads/\${aws:PrincipalTag/${BRANCH_PRINCIPAL_TAG}}/*`]] },
          }),
        ]),
      },
    });
    const statements = JSON.stringify(template.findResources('AWS::IAM::ManagedPolicy'));
    expect(statements).not.toContain('s3:GetObject');
  });

  describe.each([
    ['a zero retention', { rawRetentionDays: 0 }, /rawRetentionDays must be a positive whole number/],
    ['a fractional retention', { rawRetentionDays: 1.5 }, /rawRetentionDays must be a positive whole number/],
    ['a prefix without a slash', { uploadPrefix: 'uploads' }, /uploadPrefix must look like/],
  ])('with %s', (_, props, message) => {
    it('fails at synth', () => {
      // Prepare
      const stack = testStack();

      // Act
      const act = () => new RawBucket(stack, 'Raw', { accessLogsBucket: new Bucket(stack, 'Logs'), encryptionKey: new Key(stack, 'Key'), readerRolePath: READERS, ...props });

      // Assess
      expect(act).toThrow(message);
    });
  });
});
