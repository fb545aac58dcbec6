import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigurationError, DeliveryStreamName, DynamoTableName, KinesisStreamName, SecretArn, readEnvironment } from './environment.js';

const schema = z.object({ STREAM_NAME: KinesisStreamName, PEPPER_SECRET_ARN: SecretArn });
const ARN = 'arn:aws:secretsmanager:eu-west-2:111111111111:secret:supercafe/pepper-AbCdEf';

describe('Function: readEnvironment', () => {
  it('returns the variables when every one is valid', () => {
    expect(readEnvironment('csv-ingest', schema, { STREAM_NAME: 'sales-events', PEPPER_SECRET_ARN: ARN, OTHER: 'x' })).toEqual({ STREAM_NAME: 'sales-events', PEPPER_SECRET_ARN: ARN });
  });

  it('names every variable that is missing, empty or malformed, and no value', () => {
    // Act
    const act = () => readEnvironment('csv-ingest', schema, { PEPPER_SECRET_ARN: 'my-secret-pepper' });

    // Assess
    expect(act).toThrow(ConfigurationError);
    expect(act).toThrow('csv-ingest: invalid configuration: STREAM_NAME is not set; PEPPER_SECRET_ARN is not a Secrets Manager secret ARN');
    expect(act).not.toThrow(/my-secret-pepper/);
  });

  it('says when a variable is set but empty (the old default)', () => {
    const act = () => readEnvironment('csv-ingest', schema, { STREAM_NAME: '', PEPPER_SECRET_ARN: ARN });
    expect(act).toThrow(new ConfigurationError('csv-ingest', ['STREAM_NAME is set but empty']));
  });

  it('keeps the problems for callers that report them', () => {
    try {
      readEnvironment('till-api', schema, {});
      expect.fail('expected a ConfigurationError');
    } catch (error) {
      expect(error).toMatchObject({ name: 'ConfigurationError', service: 'till-api', problems: ['STREAM_NAME is not set', 'PEPPER_SECRET_ARN is not set'] });
    }
  });
});

describe('Schema: environment values', () => {
  it.each([
    [KinesisStreamName, 'a'.repeat(128), true],
    [KinesisStreamName, 'a'.repeat(129), false],
    [KinesisStreamName, 'sales events', false],
    [DeliveryStreamName, 'sc-sales_v1.0', true],
    [DeliveryStreamName, 'a'.repeat(65), false],
    [DynamoTableName, 'ab', false],
    [DynamoTableName, 'abc', true],
    [SecretArn, ARN, true],
    [SecretArn, 'arn:aws-cn:secretsmanager:cn-north-1:111111111111:secret:p', true],
    [SecretArn, 'arn:aws:ssm:eu-west-2:111111111111:parameter/p', false],
    [SecretArn, `${ARN} `, false],
  ])('%#: %s', (schemaOf, value, valid) => {
    expect(schemaOf.safeParse(value).success).toBe(valid);
  });
});
