import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Stack } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PARKED_RETENTION_DAYS, MANIFEST_RETENTION_DAYS, WarehouseArchive, type WarehouseArchiveProps } from '../../infra/aws/constructs/warehouse-archive.js';
import { templateOf, testStack } from './helpers.js';

const build = (stack: Stack, overrides: Partial<WarehouseArchiveProps> = {}) =>
  new WarehouseArchive(stack, 'Rows', { accessLogsBucket: new Bucket(stack, 'Logs'), encryptionKey: new Key(stack, 'Key'), ...overrides });

type Rule = { Id: string; Prefix?: string; ExpirationInDays?: number; Transitions?: { StorageClass: string; TransitionInDays: number }[] };

describe('Construct: WarehouseArchive', () => {
  let template: Template;
  let rules: Rule[];

  beforeAll(() => {
    template = templateOf((stack) => build(stack));
    const [bucket] = Object.values(template.findResources('AWS::S3::Bucket', { Properties: { VersioningConfiguration: { Status: 'Enabled' } } })) as {
      Properties: { LifecycleConfiguration: { Rules: Rule[] } };
    }[];
    rules = bucket?.Properties.LifecycleConfiguration.Rules ?? [];
  });

  it('is encrypted with the warehouse key, versioned, kept on delete and has no fixed name', () => {
    // Assess
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'RetainExceptOnCreate',
      Properties: Match.objectLike({
        BucketName: Match.absent(),
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } })] },
      }),
    });
  });

  it('keeps the clean rows (the rebuild source), moving them to Glacier Instant Retrieval after 90 days', () => {
    // Assess
    const rows = rules.find((rule) => rule.Id === 'ColdRows');
    expect(rows).toMatchObject({ Prefix: 'rows/', Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 90 }] });
    expect(rows?.ExpirationInDays).toBeUndefined();
  });

  it('expires parked-file markers after their retention, and manifests after two weeks', () => {
    // Assess
    expect(rules.find((rule) => rule.Id === 'ExpireParkedMarkers')).toMatchObject({ Prefix: 'errors/', ExpirationInDays: DEFAULT_PARKED_RETENTION_DAYS });
    expect(rules.find((rule) => rule.Id === 'ExpireManifests')).toMatchObject({ Prefix: 'manifests/', ExpirationInDays: MANIFEST_RETENTION_DAYS });
  });

  it('accepts a rows retention that outlives every parked file', () => {
    // Act
    const archive = build(testStack(), { rowsRetentionDays: 400, parkedRetentionDays: 90, lookbackDays: 7 });

    // Assess
    expect(archive.rowsRetentionDays).toBe(400);
  });

  describe.each([
    ['rows kept shorter than a parked file and the lookback', { rowsRetentionDays: 60, parkedRetentionDays: 90 }, /rowsRetentionDays \(60\) must be at least parkedRetentionDays \+ lookbackDays \(97\)/],
    ['a lookback of 60 days', { lookbackDays: 60 }, /lookbackDays must be a whole number of days from 1 to 30/],
    ['parked files kept 3 days', { parkedRetentionDays: 3 }, /parkedRetentionDays must be a whole number of days from 7/],
  ])('with %s', (_, overrides, message) => {
    it('fails at synth (the expiry periods must match)', () => {
      // Act
      const act = () => build(testStack(), overrides);

      // Assess
      expect(act).toThrow(message);
    });
  });
});
