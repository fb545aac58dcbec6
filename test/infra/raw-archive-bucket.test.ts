import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RAW_ARCHIVE_RETENTION_DAYS, RawArchiveBucket } from '../../infra/aws/constructs/raw-archive-bucket.js';
import { rolesUnderJoin, templateOf, testStack } from './helpers.js';

const READERS = '/supercafe/TestData/personal-data/';

describe('Construct: RawArchiveBucket', () => {
  let template: Template;

  beforeAll(() => {
    template = templateOf((stack) => new RawArchiveBucket(stack, 'Archive', { accessLogsBucket: new Bucket(stack, 'Logs'), encryptionKey: new Key(stack, 'PersonalKey'), readerRolePath: READERS }));
  });

  it('keeps every raw event for the stated retention (90 days by default), then deletes it for good', () => {
    // Assess
    expect(DEFAULT_RAW_ARCHIVE_RETENTION_DAYS).toBe(90);
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ Id: 'ExpirePersonalData', ExpirationInDays: 90 })] },
      // Unversioned: an expired object leaves no old version holding personal data.
      VersioningConfiguration: Match.absent(),
    });
  });

  it('is encrypted with the personal-data key and readable by the personal-data role path only', () => {
    // Assess
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PersonalKey'), 'Arn'] } } })] },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'OnlyPersonalDataRolesRead', Effect: 'Deny', Condition: { ArnNotLike: { 'aws:PrincipalArn': rolesUnderJoin(READERS) } } })]) },
    });
  });

  it('is kept on delete but not after a failed first creation', () => {
    // Assess
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'RetainExceptOnCreate', Properties: Match.objectLike({ LoggingConfiguration: Match.anyValue() }) });
  });

  it.each([0, 4000, 1.5])('fails at synth with a retention of %s days', (retentionDays) => {
    // Prepare
    const stack = testStack();

    // Act
    const act = () => new RawArchiveBucket(stack, 'Archive', { accessLogsBucket: new Bucket(stack, 'Logs'), encryptionKey: new Key(stack, 'Key'), readerRolePath: READERS, retentionDays });

    // Assess
    expect(act).toThrow(/retentionDays must be a whole number of days from 1 to 3650/);
  });
});
