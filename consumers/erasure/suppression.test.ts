import { describe, expect, it } from 'vitest';
import { saleRecordFactory } from '../../test/helpers/factories.js';
import type { ProjectionBatch } from '../sales-transform/ports.js';
import { isSuppressed, suppressErased, suppressionList } from './suppression.js';

const KEY = 'e'.repeat(64);
const ERASED_AT = '2021-08-27T08:03:00.000Z';
const list = suppressionList([{ customerKey: KEY, erasedAt: ERASED_AT }]);

describe('Function: isSuppressed', () => {
  it.each([
    ['sold before the erasure', '2021-08-27T08:02:59.999Z', true],
    ['sold at the very instant of the erasure', ERASED_AT, true],
    ['sold a millisecond after it (a new purchase)', '2021-08-27T08:03:00.001Z', false],
  ])('a sale of an erased key %s: %s', (_, soldAt, suppressed) => {
    expect(isSuppressed({ customerKey: KEY, soldAt }, list)).toBe(suppressed);
  });

  it('compares instants, not text (an offset or a zone of its own)', () => {
    expect(isSuppressed({ customerKey: KEY, soldAt: '2021-08-27T09:03:00+01:00' }, list)).toBe(true);
    expect(isSuppressed({ customerKey: KEY, soldAt: '2021-08-27T09:03:01+01:00' }, list)).toBe(false);
  });

  it('leaves another key alone', () => {
    expect(isSuppressed({ customerKey: 'f'.repeat(64), soldAt: '2021-01-01T00:00:00.000Z' }, list)).toBe(false);
  });
});

describe('Function: suppressionList', () => {
  it('keeps each key’s latest erasure, in whichever order they come', () => {
    // Act
    const erasures = suppressionList([
      { customerKey: 'a', erasedAt: '2024-06-01T00:00:00Z' },
      { customerKey: 'b', erasedAt: '2024-01-01T00:00:00Z' },
      { customerKey: 'a', erasedAt: '2024-05-01T00:00:00Z' },
    ]);
    // Assess
    expect([...erasures.entries()]).toEqual([
      ['a', { customerKey: 'a', erasedAt: '2024-06-01T00:00:00Z' }],
      ['b', { customerKey: 'b', erasedAt: '2024-01-01T00:00:00Z' }],
    ]);
  });
});

describe('Function: suppressErased', () => {
  it('unties only the sales an erasure covers, and leaves the rest of the batch as it was', () => {
    // Prepare: the factory's sales are sold at 08:03 on 27 August, by key e…e
    const mine = saleRecordFactory(1);
    const theirs = { ...saleRecordFactory(2), sale: { ...saleRecordFactory(2).sale, customerKey: 'f'.repeat(64) } };
    const batch: ProjectionBatch = { sales: [mine, theirs], quarantine: [], files: [], voids: [{ saleEventId: '3'.repeat(32), voidEventId: '4'.repeat(32), recordedAt: ERASED_AT }] };

    // Act
    const suppressed = suppressErased(batch, list);

    // Assess
    expect(suppressed).toEqual({ ...batch, sales: [{ ...mine, sale: { ...mine.sale, customerKey: null } }, theirs] });
    expect(suppressed.sales[1]).toBe(theirs);
    expect(batch.sales[0]?.sale.customerKey).toBe(KEY);
  });
});
