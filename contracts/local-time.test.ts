import { describe, expect, it } from 'vitest';
import { londonDateOf, londonWallClockToUtc } from './local-time.js';

const utc = (text: string) => {
  const [date = '', time = ''] = text.split(' ');
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return londonWallClockToUtc({ year, month, day, hour, minute, second: 0 }).toISOString();
};

describe('Function: londonWallClockToUtc', () => {
  it('subtracts an hour in British Summer Time', () => expect(utc('2021-08-25 09:00')).toBe('2021-08-25T08:00:00.000Z'));
  it('keeps the hour in winter (GMT)', () => expect(utc('2021-03-23 09:00')).toBe('2021-03-23T09:00:00.000Z'));
  it('reads the first (BST) hour in the autumn overlap', () => expect(utc('2021-10-31 01:30')).toBe('2021-10-31T00:30:00.000Z'));
  it('reads the GMT hour after the autumn change', () => expect(utc('2021-10-31 02:30')).toBe('2021-10-31T02:30:00.000Z'));
  it('moves a time in the spring gap forward', () => expect(utc('2021-03-28 01:30')).toBe('2021-03-28T01:30:00.000Z'));
});

describe('Function: londonDateOf', () => {
  it('gives the London day of a late-evening UTC instant in summer', () => {
    expect(londonDateOf(new Date('2021-08-25T23:30:00Z'))).toBe('2021-08-26');
  });
});
