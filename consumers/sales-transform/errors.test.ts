import { describe, expect, it } from 'vitest';
import { PepperUnavailableError, RecordFailureReason, SinkLoadError, TransformError } from './errors.js';

describe('Consumer errors', () => {
  it('keeps the reason codes logs group by', () => {
    expect(RecordFailureReason).toEqual({ PepperUnavailable: 'pepper_unavailable', SinkLoadFailed: 'sink_load_failed', Unexpected: 'unexpected' });
  });

  it.each([
    ['PepperUnavailableError', PepperUnavailableError, 'pepper_unavailable'],
    ['SinkLoadError', SinkLoadError, 'sink_load_failed'],
  ] as const)('%s names its reason and stream position, and keeps its cause', (name, ErrorClass, reason) => {
    // Prepare
    const cause = new Error('Rate exceeded');

    // Act
    const error = new ErrorClass('shardId-000000000003', '4959', { cause });

    // Assess
    expect(error).toBeInstanceOf(TransformError);
    expect(error.name).toBe(name);
    expect(error.message).toBe(`record shardId-000000000003:4959 not processed (${reason})`);
    expect({ reason: error.reason, shardId: error.shardId, sequenceNumber: error.sequenceNumber, cause: error.cause }).toEqual({
      reason,
      shardId: 'shardId-000000000003',
      sequenceNumber: '4959',
      cause,
    });
  });

  it('TransformError is named as such', () => {
    expect(new TransformError(RecordFailureReason.Unexpected, 's', '1').name).toBe('TransformError');
  });
});
