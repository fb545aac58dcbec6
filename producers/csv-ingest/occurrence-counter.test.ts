import { describe, expect, it } from 'vitest';
import { OccurrenceCounter } from './occurrence-counter.js';

/** A 64-hex-digit content key (as `saleContentKey` gives) from a number. */
const key = (n: number) => n.toString(16).padStart(16, '0').repeat(4);

describe('Class: OccurrenceCounter', () => {
  it('numbers the sightings of one key from 0, and keeps keys apart', () => {
    const counter = new OccurrenceCounter();
    expect([counter.next(key(1)), counter.next(key(1)), counter.next(key(2)), counter.next(key(1)), counter.next(key(2))]).toEqual([0, 1, 0, 2, 1]);
  });

  it('counts the all-zero fingerprint too (zero marks an empty slot)', () => {
    const counter = new OccurrenceCounter();
    expect([counter.next(key(0)), counter.next(key(0)), counter.next(key(0))]).toEqual([0, 1, 2]);
  });

  it('counts keys that share their 64-bit fingerprint (the first 16 hex digits) as one key', () => {
    // Prepare: three content keys alike in the fingerprint, different after it.
    const counter = new OccurrenceCounter();
    const keys = ['a', 'b', 'c'].map((tail) => 'a1b2c3d4e5f60718'.padEnd(63, '0') + tail);
    // Act / Assess
    expect(keys.map((each) => counter.next(each))).toEqual([0, 1, 2]);
  });

  it('tells keys apart by both halves of the fingerprint', () => {
    // Prepare: pairs sharing the high half, or the low half, that start at the same slot (hi ^ lo alike in its low bits).
    const counter = new OccurrenceCounter();
    const keys = ['a1b2c3d400000001', 'a1b2c3d410000001', '00000005a1b2c3d5', '10000005a1b2c3d5', 'a1b2c3d5a1b2c3d5'].map((fingerprint) => fingerprint.padEnd(64, '0'));
    // Act / Assess
    expect(keys.map((each) => counter.next(each))).toEqual([0, 0, 0, 0, 0]);
    expect(keys.map((each) => counter.next(each))).toEqual([1, 1, 1, 1, 1]);
  });

  it('keeps every count as the table grows past its first 4096 slots', () => {
    // Prepare: 10,000 distinct fingerprints (odd low halves), one in 32 starting at one slot (hi ^ lo the same), each seen twice.
    const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
    const counter = new OccurrenceCounter();
    const keys = Array.from({ length: 10_000 }, (_, n) => {
      const lo = n * 2 + 1;
      const hi = n % 32 === 1 ? lo ^ 0x55 : n * 40_503;
      return `${hex(hi)}${hex(lo)}`.padEnd(64, '0');
    });
    // Act
    const first = keys.map((each) => counter.next(each));
    const second = keys.map((each) => counter.next(each));
    // Assess
    expect(first.filter((count) => count !== 0)).toEqual([]);
    expect(second.filter((count) => count !== 1)).toEqual([]);
    expect(counter.next(keys[0] as string)).toBe(2);
  });
});
