import { describe, expect, it } from 'vitest';
import { emptyBatch } from './ports.js';

describe('Function: emptyBatch', () => {
  it('is a batch with nothing in any part, made afresh each time (callers fill it)', () => {
    // Act
    const batch = emptyBatch();
    // Assess
    expect(batch).toStrictEqual({ sales: [], quarantine: [], files: [], voids: [] });
    expect(emptyBatch().sales).not.toBe(batch.sales);
  });
});
