import { describe, expect, it } from 'vitest';
import { readCsvIngestConfig } from './config.js';

const ARN = 'arn:aws:secretsmanager:eu-west-2:111111111111:secret:supercafe/pepper-AbCdEf';

describe('Function: readCsvIngestConfig', () => {
  it('reads the stream name and the pepper secret', () => {
    expect(readCsvIngestConfig({ STREAM_NAME: 'sales-events', PEPPER_SECRET_ARN: ARN, UPLOAD_PREFIX: 'uploads/' })).toEqual({
      streamName: 'sales-events',
      pepperSecretArn: ARN,
      uploadPrefix: 'uploads/',
    });
  });

  it('names what is missing instead of defaulting to an empty string', () => {
    expect(() => readCsvIngestConfig({ PEPPER_SECRET_ARN: ARN, UPLOAD_PREFIX: 'uploads/' })).toThrow('csv-ingest: invalid configuration: STREAM_NAME is not set');
    expect(() => readCsvIngestConfig({ STREAM_NAME: 'sales-events', PEPPER_SECRET_ARN: '', UPLOAD_PREFIX: 'uploads/' })).toThrow(
      'csv-ingest: invalid configuration: PEPPER_SECRET_ARN is set but empty',
    );
    expect(() => readCsvIngestConfig({ STREAM_NAME: 'sales-events', PEPPER_SECRET_ARN: ARN, UPLOAD_PREFIX: 'uploads' })).toThrow(
      'csv-ingest: invalid configuration: UPLOAD_PREFIX is not an S3 folder prefix ending in /',
    );
  });
});
