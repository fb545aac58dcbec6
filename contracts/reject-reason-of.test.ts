import { describe, expect, it } from 'vitest';
import { rawSale } from '../test/helpers/factories.js';
import { RawSaleSchema } from './raw-sale.js';
import { RejectReason } from './reject-reason.js';
import { isRejectReason, rejectReasonOf } from './reject-reason-of.js';

describe('Function: rejectReasonOf', () => {
  it('takes the reason code a contract refinement put in the message', () => {
    expect(rejectReasonOf({ message: 'total_mismatch' }, RejectReason.RowMalformed)).toBe('total_mismatch');
  });

  it('falls back for zod’s own messages and for no issue at all', () => {
    expect(rejectReasonOf({ message: 'Invalid input: expected string, received number' }, RejectReason.RowMalformed)).toBe('row_malformed');
    expect(rejectReasonOf({ message: '' }, RejectReason.EventMalformed)).toBe('event_malformed');
    expect(rejectReasonOf(undefined, RejectReason.EventMalformed)).toBe('event_malformed');
  });

  it('maps a real RawSale issue to its reason', () => {
    // Prepare
    const result = RawSaleSchema.safeParse(rawSale({ total: '9.99' }));

    // Act
    const reason = result.success ? 'accepted' : rejectReasonOf(result.error.issues[0], RejectReason.RowMalformed);

    // Assess
    expect(reason).toBe(RejectReason.TotalMismatch);
  });
});

describe('Function: isRejectReason', () => {
  it('knows every code and nothing else', () => {
    for (const code of Object.values(RejectReason)) expect(isRejectReason(code)).toBe(true);
    expect(isRejectReason('Total_Mismatch')).toBe(false);
    expect(isRejectReason('file_empty')).toBe(false);
    expect(isRejectReason(undefined)).toBe(false);
    expect(isRejectReason(7)).toBe(false);
  });
});
