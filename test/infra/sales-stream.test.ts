import { Duration } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Stack } from 'aws-cdk-lib';
import { STREAM_READ_ACTIONS, SalesStream, StreamCapacity, type SalesStreamProps } from '../../infra/aws/constructs/sales-stream.js';
import { templateOf, testStack } from './helpers.js';

const READERS = '/supercafe/TestData/personal-data/';
const build = (stack: Stack, props: Partial<SalesStreamProps> = {}) =>
  new SalesStream(stack, 'Sales', { encryptionKey: new Key(stack, 'SalesKey', { enableKeyRotation: true }), readerRolePath: READERS, ...props });

describe('Construct: SalesStream', () => {
  let onDemand: Template;
  let provisioned: Template;

  beforeAll(() => {
    onDemand = templateOf((stack) => build(stack));
    provisioned = templateOf((stack) => build(stack, { capacity: StreamCapacity.Provisioned, shardCount: 3, retention: Duration.hours(48) }));
  });

  it('is on-demand by default, with no shard count', () => {
    // Assess
    onDemand.hasResourceProperties('AWS::Kinesis::Stream', {
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      ShardCount: Match.absent(),
    });
  });

  it('encrypts with the given customer-managed key', () => {
    // Assess
    onDemand.hasResourceProperties('AWS::Kinesis::Stream', {
      StreamEncryption: { EncryptionType: 'KMS', KeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SalesKey'), 'Arn'] } },
    });
  });

  it('refuses records to every principal outside the personal-data role path, in its own policy', () => {
    // Assess
    onDemand.hasResourceProperties('AWS::Kinesis::ResourcePolicy', {
      ResourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SalesStream'), 'Arn'] },
      ResourcePolicy: {
        Statement: [
          Match.objectLike({
            Effect: 'Deny',
            Action: [...STREAM_READ_ACTIONS],
            Condition: { ArnNotLike: { 'aws:PrincipalArn': { 'Fn::Join': ['', Match.arrayWith([`:role${READERS}*`])] } } },
          }),
        ],
      },
    });
    expect(STREAM_READ_ACTIONS).toEqual(['kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:SubscribeToShard']);
  });

  it('is kept on delete, not after a failed first creation, and has no fixed name', () => {
    // Assess
    onDemand.hasResource('AWS::Kinesis::Stream', { DeletionPolicy: 'RetainExceptOnCreate', Properties: Match.objectLike({ Name: Match.absent() }) });
  });

  it('keeps records 24 hours by default (the raw events hold personal data)', () => {
    // Assess
    onDemand.hasResourceProperties('AWS::Kinesis::Stream', { RetentionPeriodHours: 24 });
  });

  it('can be provisioned with a shard count and a longer retention', () => {
    // Assess
    provisioned.hasResourceProperties('AWS::Kinesis::Stream', {
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      ShardCount: 3,
      RetentionPeriodHours: 48,
    });
  });

  describe.each([
    ['a zero shard count', { capacity: StreamCapacity.Provisioned, shardCount: 0 }, /shardCount must be a positive integer/],
    ['a negative shard count', { capacity: StreamCapacity.Provisioned, shardCount: -2 }, /shardCount must be a positive integer/],
    ['a fractional shard count', { capacity: StreamCapacity.Provisioned, shardCount: 1.5 }, /shardCount must be a positive integer/],
    ['a shard count on demand', { shardCount: 2 }, /provisioned stream only/],
    ['a retention under 24 hours', { retention: Duration.hours(12) }, /retention must be a whole number of hours from 24 to 8760/],
    ['a retention over a year', { retention: Duration.hours(9000) }, /retention must be a whole number of hours from 24 to 8760/],
  ])('with %s', (_, props, message) => {
    it('fails at synth', () => {
      // Act
      const act = () => build(testStack(), props);

      // Assess
      expect(act).toThrow(message);
    });
  });
});
