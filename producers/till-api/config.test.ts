import { describe, expect, it } from 'vitest';
import { readTillApiConfig } from './config.js';

describe('Function: readTillApiConfig', () => {
  it('reads the stream name and the credentials table', () => {
    expect(readTillApiConfig({ STREAM_NAME: 'sales-events', TILL_CREDENTIALS_TABLE: 'till-credentials', TILL_IDEMPOTENCY_TABLE: 'till-sale-ids' })).toEqual({
      streamName: 'sales-events',
      credentialsTable: 'till-credentials',
      idempotencyTable: 'till-sale-ids',
    });
  });

  it('names what is missing instead of defaulting to an empty string', () => {
    expect(() => readTillApiConfig({ TILL_CREDENTIALS_TABLE: 'till-credentials', TILL_IDEMPOTENCY_TABLE: 'till-sale-ids' })).toThrow('till-api: invalid configuration: STREAM_NAME is not set');
    expect(() => readTillApiConfig({ STREAM_NAME: 'sales-events' })).toThrow(
      'till-api: invalid configuration: TILL_CREDENTIALS_TABLE is not set; TILL_IDEMPOTENCY_TABLE is not set',
    );
  });
});
