import { describe, expect, it } from 'vitest';
import { mergeReceipts, type WriteReceipt } from './ports.js';

describe('Function: mergeReceipts', () => {
  it.each([
    { case: 'a higher sequence number replaces the known one', from: 8n, expected: 8n },
    { case: 'a lower one leaves it', from: 6n, expected: 7n },
    { case: 'an equal one leaves it', from: 7n, expected: 7n },
  ])('keeps the highest per shard: $case', ({ from, expected }) => {
    // Prepare
    const into: WriteReceipt = new Map([['shard-0', 7n]]);
    // Act
    const merged = mergeReceipts(into, new Map([['shard-0', from]]));
    // Assess
    expect(merged).toBe(into);
    expect([...merged]).toEqual([['shard-0', expected]]);
  });

  it('adds a shard it has not seen', () => {
    const merged = mergeReceipts(new Map([['shard-0', 7n]]), new Map([['shard-1', 1n]]));
    expect([...merged]).toEqual([
      ['shard-0', 7n],
      ['shard-1', 1n],
    ]);
  });
});
