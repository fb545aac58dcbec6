import { describe, expect, it, vi } from 'vitest';
import { RawSaleSchema, type ParsedSale } from '../../contracts/index.js';
import { rawSale } from '../../test/helpers/factories.js';
import { fileEventId, refundEventId, rejectionEventId, saleContentKey, saleEventId, tillSaleEventId, voidEventId } from './event-id.js';

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

/**
 * The exact ids. The warehouse loads idempotently on event ids, so a change to how
 * any id is made re-keys every fact already loaded and the next replay or
 * re-upload counts it twice: these values may change only with a migration.
 */

const PEPPER = 'pepper-for-tests';
const sale = (overrides: Parameters<typeof rawSale>[0] = {}): ParsedSale => RawSaleSchema.parse(rawSale(overrides));
const HEX32 = /^[0-9a-f]{32}$/;

describe('Event ids: their exact values', () => {
  it('of a file sale, its repeats and a till sale, refund, void, rejection and file account', async () => {
    // Prepare: loaded inside the test, since Stryker (ignoreStatic) credits the module's own helpers only to tests that load it
    vi.resetModules();
    const { fileEventId, refundEventId, rejectionEventId, saleContentKey, saleEventId, tillSaleEventId, voidEventId } = await import('./event-id.js');
    // Act
    const content = saleContentKey(PEPPER, sale());
    const ids = {
      content,
      first: saleEventId(PEPPER, content, 0),
      second: saleEventId(PEPPER, content, 1),
      anonymous: saleContentKey(PEPPER, sale({ customerName: null })),
      tillSale: tillSaleEventId('till_0123456789abcdef', 'S-1'),
      refund: refundEventId('till_0123456789abcdef', 'R-1'),
      void: voidEventId('0123456789abcdef0123456789abcdef'),
      rejection: rejectionEventId('chesterfield.csv', 7, 'total_invalid'),
      file: fileEventId('chesterfield.csv', '2021-08-25T21:00:00.000Z'),
    };
    // Assess
    expect(ids).toEqual(GOLDEN);
  });

  it('are 32 hex digits, and the first of identical sales is its content key cut to 32', () => {
    const content = saleContentKey(PEPPER, sale());
    expect(content).toMatch(/^[0-9a-f]{64}$/);
    expect(saleEventId(PEPPER, content, 0)).toBe(content.slice(0, 32));
    for (const occurrence of [1, 2, 3]) expect(saleEventId(PEPPER, content, occurrence)).toMatch(HEX32);
    expect(new Set([0, 1, 2, 3].map((occurrence) => saleEventId(PEPPER, content, occurrence))).size).toBe(4);
  });
});

describe('Function: saleContentKey', () => {
  it('ignores the case of the branch and of the customer, and the card', () => {
    const key = saleContentKey(PEPPER, sale());
    expect(saleContentKey(PEPPER, sale({ branch: 'CHESTERFIELD', customerName: 'TEST CUSTOMER', cardNumber: '5555555555554444' }))).toBe(key);
  });

  it.each([
    { what: 'the customer', overrides: { customerName: 'Other Customer' } },
    { what: 'no customer', overrides: { customerName: null } },
    { what: 'the basket', overrides: { items: [{ size: 'Large', name: 'Latte', price: '2.45' }, { size: 'Regular', name: 'Flavoured iced latte - Vanilla', price: '2.75' }] } },
    { what: 'a line size', overrides: { items: [{ size: 'Regular', name: 'Latte', price: '2.45' }, { size: 'Regular', name: 'Flavoured iced latte - Hazelnut', price: '2.75' }] } },
    { what: 'a line price', overrides: { items: [{ size: 'Large', name: 'Latte', price: '2.40' }, { size: 'Regular', name: 'Flavoured iced latte - Hazelnut', price: '2.80' }] } },
    { what: 'the minute', overrides: { timestamp: '2021-08-25 09:01' } },
    { what: 'the payment', overrides: { paymentMethod: 'CASH', cardNumber: null } },
  ])('tells apart $what', ({ overrides }) => {
    expect(saleContentKey(PEPPER, sale(overrides as Parameters<typeof rawSale>[0]))).not.toBe(saleContentKey(PEPPER, sale()));
  });

  it('depends on the pepper', () => {
    expect(saleContentKey('another pepper', sale())).not.toBe(saleContentKey(PEPPER, sale()));
  });
});

describe('Functions: rejectionEventId, fileEventId', () => {
  it('tell apart each part of what they are made of', () => {
    const rejection = rejectionEventId('f.csv', 7, 'total_invalid');
    expect([rejectionEventId('g.csv', 7, 'total_invalid'), rejectionEventId('f.csv', 8, 'total_invalid'), rejectionEventId('f.csv', 7, 'price_invalid')]).not.toContain(rejection);
    expect(fileEventId('f.csv', 'a')).not.toBe(fileEventId('f.csv', 'b'));
    expect(fileEventId('f.csv', 'a')).not.toBe(fileEventId('g.csv', 'a'));
  });
});

const GOLDEN = {
  content: 'df4aa13e9846d6a01247096ceea24bf4fab4e35738ac3f2e1f962cf156a2efe8',
  first: 'df4aa13e9846d6a01247096ceea24bf4',
  second: 'be84d59bbb2b727e8e84527722939e4a',
  anonymous: '595315648efddda9a75b329a7cca78504543771305fb153eba45a90b89fc0b0f',
  tillSale: 'ef1df8ab2c4b9932b812ed8c722a8130',
  refund: 'b63816274ec06c2a81a5befcc646906b',
  void: '4525365ce35119d2ddeed5c21b04fb2c',
  rejection: '54672cf813c9fd7d63df1c1988c4d32f',
  file: 'c115defc638bf98899dd2e120076f2fe',
};
