import { describe, expect, it } from 'vitest';
import { refundEventId, tillSaleEventId, voidEventId } from './event-id.js';

const TILL = 'till_0123456789abcdef';

describe('Function: refundEventId', () => {
  it('is the same for a retry and apart from a sale with the same id', () => {
    // Act
    const refund = refundEventId(TILL, 'R-1');
    // Assess
    expect(refund).toMatch(/^[0-9a-f]{32}$/);
    expect(refundEventId(TILL, 'R-1')).toBe(refund);
    expect(refundEventId(TILL, 'R-2')).not.toBe(refund);
    expect(refundEventId('till_fedcba9876543210', 'R-1')).not.toBe(refund);
    expect(tillSaleEventId(TILL, 'R-1')).not.toBe(refund);
  });
});

describe('Function: voidEventId', () => {
  it('depends on the voided sale alone, so every till voiding it makes one event', () => {
    const sale = tillSaleEventId(TILL, 'S-1');
    expect(voidEventId(sale)).toMatch(/^[0-9a-f]{32}$/);
    expect(voidEventId(sale)).toBe(voidEventId(tillSaleEventId(TILL, 'S-1')));
    expect(voidEventId(sale)).not.toBe(voidEventId(tillSaleEventId(TILL, 'S-2')));
    expect(voidEventId(sale)).not.toBe(sale);
  });
});
