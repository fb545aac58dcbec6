import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Stream } from 'aws-cdk-lib/aws-kinesis';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { RawEventArchive } from '../../infra/aws/constructs/raw-event-archive.js';
import { templateOf } from './helpers.js';

const READERS = '/supercafe/TestData/personal-data/';

describe('Construct: RawEventArchive', () => {
  let template: Template;

  beforeAll(() => {
    template = templateOf((stack) => {
      const key = new Key(stack, 'PersonalKey');
      new RawEventArchive(stack, 'RawArchive', { stream: new Stream(stack, 'Stream', { encryptionKey: key }), bucket: new Bucket(stack, 'Archive'), encryptionKey: key, personalDataRolePath: READERS });
    });
  });

  it('reads every record of the sales-events stream with Firehose', () => {
    // Assess
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamType: 'KinesisStreamAsSource',
      KinesisStreamSourceConfiguration: { KinesisStreamARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Stream'), 'Arn'] }, RoleARN: Match.anyValue() },
    });
  });

  it('frames each record as a line, then writes gzipped, KMS-encrypted objects by hour under raw/', () => {
    // Assess
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      ExtendedS3DestinationConfiguration: Match.objectLike({
        Prefix: 'raw/!{timestamp:yyyy/MM/dd/HH}/',
        ErrorOutputPrefix: 'raw-errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/',
        CompressionFormat: 'GZIP',
        EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PersonalKey'), 'Arn'] } } },
        ProcessingConfiguration: {
          Enabled: true,
          Processors: [
            Match.objectLike({
              Type: 'Lambda',
              Parameters: Match.arrayWith([{ ParameterName: 'LambdaArn', ParameterValue: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RawArchiveFrameFunction'), 'Arn'] } }]),
            }),
          ],
        },
      }),
    });
  });

  it('reads the stream as a role under the personal-data path (the only readers the stream and key allow)', () => {
    // Assess
    template.hasResourceProperties('AWS::IAM::Role', { Path: READERS, AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'firehose.amazonaws.com' } })] } });
  });

  it('runs the framing function outside that path: it never decrypts', () => {
    // Assess
    const roles = Object.values(template.findResources('AWS::IAM::Role')) as { Properties: { Path?: string; AssumeRolePolicyDocument: unknown } }[];
    const lambdaRoles = roles.filter((role) => JSON.stringify(role.Properties.AssumeRolePolicyDocument).includes('lambda.amazonaws.com'));
    expect(lambdaRoles.map((role) => role.Properties.Path)).toEqual([undefined]);
  });
});
