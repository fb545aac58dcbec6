import { describe, expect, it } from 'vitest';
import { RawSaleSchema } from '../../contracts/index.js';
import { rawSale } from '../../test/helpers/factories.js';
import { redact } from './redact.js';

describe('Function: redact', () => {
  it('keeps exactly the fields that may leave the raw stream, with their values, and nothing personal', () => {
    // Prepare
    const sale = RawSaleSchema.parse(rawSale({ customerName: 'Ada Lovelace', cardNumber: '5555444433332222', cardBrand: 'mastercard' }));

    // Act
    const redacted = redact(sale);

    // Assess: every kept field by name (toStrictEqual fails on a missing or an extra one)
    expect(redacted).toStrictEqual({
      occurredAt: sale.occurredAt,
      businessDate: sale.businessDate,
      branch: 'Chesterfield',
      items: sale.items,
      totalPence: 520,
      paymentMethod: 'CARD',
      cardBrand: 'mastercard',
    });
    expect(JSON.stringify(redacted)).not.toMatch(/Lovelace|5555444433332222/);
  });
});
