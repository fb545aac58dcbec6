import { describe, expect, it } from 'vitest';
import { readCsvIngestConfig } from './config.js';

const ARN = 'arn:aws:secretsmanager:eu-west-2:111111111111:secret:supercafe/pepper-AbCdEf';

describe('Function: readCsvIngestConfig', () => {
  it('reads the stream name and the pepper secret', () => {
    expect(readCsvIngestConfig({ STREAM_NAME: 'sales-events', PEPPER_SECRET_ARN: ARN })).toEqual({ streamName: 'sales-events', pepperSecretArn: ARN });
  });

  it('names what is missing instead of defaulting to an empty string', () => {
    expect(() => readCsvIngestConfig({ PEPPER_SECRET_ARN: ARN })).toThrow('csv-ingest: invalid configuration: STREAM_NAME is not set');
    expect(() => readCsvIngestConfig({ STREAM_NAME: 'sales-events', PEPPER_SECRET_ARN: '' })).toThrow('csv-ingest: invalid configuration: PEPPER_SECRET_ARN is set but empty');
  });
});
