import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as LocalTime from './local-time.js';

// Loaded afresh for each test: the patterns and the time-zone formatter are built at module load,
// and Stryker credits a test only with the code that runs during it (per-test coverage).
let localTime: typeof LocalTime;
beforeEach(async () => {
  vi.resetModules();
  localTime = await import('./local-time.js');
});

const utc = (text: string) => {
  const [date = '', time = ''] = text.split(' ');
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return localTime.londonWallClockToUtc({ year, month, day, hour, minute, second: 0 }).toISOString();
};

/** The instant as ISO text, or the reason the text is not a sale time. */
const parsed = (text: string) => {
  const result = localTime.parseSaleTimestamp(text);
  return result instanceof Date ? result.toISOString() : result;
};

describe('Function: londonWallClockToUtc', () => {
  it('subtracts an hour in British Summer Time', () => expect(utc('2021-08-25 09:00')).toBe('2021-08-25T08:00:00.000Z'));
  it('keeps the hour in winter (GMT)', () => expect(utc('2021-03-23 09:00')).toBe('2021-03-23T09:00:00.000Z'));
  it('reads the first (BST) hour in the autumn overlap', () => expect(utc('2021-10-31 01:30')).toBe('2021-10-31T00:30:00.000Z'));
  it('reads the GMT hour after the autumn change', () => expect(utc('2021-10-31 02:30')).toBe('2021-10-31T02:30:00.000Z'));
  it('moves a time in the spring gap forward', () => expect(utc('2021-03-28 01:30')).toBe('2021-03-28T01:30:00.000Z'));
});

describe('Function: parseSaleTimestamp', () => {
  // Europe/London in 2021: BST from 2021-03-28 01:00 UTC (01:00 GMT becomes 02:00 BST) to 2021-10-31 01:00 UTC (02:00 BST becomes 01:00 GMT).
  it.each([
    ['the last GMT minute before the spring gap', '2021-03-28 00:59', '2021-03-28T00:59:00.000Z'],
    ['the first minute of the spring gap, moved forward an hour', '2021-03-28 01:00', '2021-03-28T01:00:00.000Z'],
    ['the first BST minute after the gap', '2021-03-28 02:00', '2021-03-28T01:00:00.000Z'],
    ['a time in 2024’s spring gap', '2024-03-31 01:30', '2024-03-31T01:30:00.000Z'],
    ['the minute before the autumn overlap (BST)', '2021-10-31 00:59', '2021-10-30T23:59:00.000Z'],
    ['the first minute of the overlap, read as BST', '2021-10-31 01:00', '2021-10-31T00:00:00.000Z'],
    ['the last second of the overlap, read as BST', '2021-10-31 01:59:59', '2021-10-31T00:59:59.000Z'],
    ['the first GMT minute after the overlap', '2021-10-31 02:00', '2021-10-31T02:00:00.000Z'],
    ['midnight in summer (the previous UTC day)', '2021-08-25 00:00', '2021-08-24T23:00:00.000Z'],
    ['a leap day', '2024-02-29 12:00', '2024-02-29T12:00:00.000Z'],
    ['a T between date and time', '2021-08-25T09:00', '2021-08-25T08:00:00.000Z'],
    ['seconds', '2021-08-25 09:00:05', '2021-08-25T08:00:05.000Z'],
    ['the first day of 1970 (London kept BST all year then)', '1970-01-01 00:00', '1969-12-31T23:00:00.000Z'],
    ['the last second of 9999', '9999-12-31 23:59:59', '9999-12-31T23:59:59.000Z'],
  ])('reads a London wall clock: %s', (_, text, instant) => {
    expect(parsed(text)).toBe(instant);
  });

  it.each([
    ['in UTC', '2021-08-25T09:00Z', '2021-08-25T09:00:00.000Z'],
    ['with an offset', '2021-08-25T09:00+01:00', '2021-08-25T08:00:00.000Z'],
    ['with seconds and an offset', '2021-08-25T09:00:00-01:30', '2021-08-25T10:30:00.000Z'],
    ['with nine digits of fraction', '2021-08-25T09:00:00.123456789Z', '2021-08-25T09:00:00.123Z'],
    ['on a leap day', '2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['at the Unix epoch', '1970-01-01T00:00:00Z', '1970-01-01T00:00:00.000Z'],
  ])('reads an ISO instant %s', (_, text, instant) => {
    expect(parsed(text)).toBe(instant);
  });

  it.each([
    ['February 29th of a common year', '2023-02-29 12:00'],
    ['February 31st', '2021-02-31 09:00'],
    ['hour 24', '2021-08-25 24:00'],
    ['minute 60', '2021-08-25 23:60'],
    ['second 60', '2021-08-25 23:59:60'],
    ['a day before 1970', '1969-12-31 23:59'],
    ['an instant on February 31st', '2021-02-31T09:00:00Z'],
    ['an instant on February 29th of a common year', '2021-02-29T00:00Z'],
    ['an instant in month 13', '2021-13-01T00:00Z'],
    ['an instant before 1970', '1969-12-31T23:00:00Z'],
  ])('refuses %s as date_impossible', (_, text) => {
    expect(parsed(text)).toBe('date_impossible');
  });

  it.each([
    ['a word', 'yesterday'],
    ['text before the date', 'x2021-08-25 09:00'],
    ['text after the time', '2021-08-25 09:00x'],
    ['one digit of seconds', '2021-08-25 09:00:5'],
    ['letters for seconds', '2021-08-25 09:00:ab'],
    ['a three-digit year', '202-08-25T09:00Z'],
    ['a one-digit month', '2021-8-25T09:00Z'],
    ['a one-digit day', '2021-08-5T09:00Z'],
    ['a one-digit hour', '2021-08-25T9:00Z'],
    ['a one-digit minute', '2021-08-25T09:0Z'],
    ['a one-digit second', '2021-08-25T09:00:0Z'],
    ['a point without fraction', '2021-08-25T09:00:00.Z'],
    ['ten digits of fraction', '2021-08-25T09:00:00.1234567890Z'],
    ['an offset without a colon', '2021-08-25T09:00+0100'],
    ['an offset without a sign', '2021-08-25T09:00 01:00'],
    ['a one-digit offset hour', '2021-08-25T09:00+1:00'],
    ['a one-digit offset minute', '2021-08-25T09:00+01:0'],
    ['text before an instant', 'x2021-08-25T09:00Z'],
    ['text after an instant', '2021-08-25T09:00Zx'],
    ['letters for an instant’s digits', '2021-0a-25T09:00Z'],
  ])('refuses %s as date_unparsable', (_, text) => {
    expect(parsed(text)).toBe('date_unparsable');
  });
});

describe('Function: isRealWallClock', () => {
  const wall = { year: 2021, month: 8, day: 25, hour: 9, minute: 0, second: 0 };

  it.each([
    ['a plain reading', wall, true],
    ['year 9999', { ...wall, year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59 }, true],
    ['year 10000', { ...wall, year: 10_000 }, false],
    ['year 1969', { ...wall, year: 1969 }, false],
    ['day 0', { ...wall, day: 0 }, false],
    ['month 0', { ...wall, month: 0 }, false],
  ])('judges %s', (_, reading, real) => {
    expect(localTime.isRealWallClock(reading)).toBe(real);
  });
});

describe('Function: londonOffsetMinutes', () => {
  it.each([
    ['2021-03-28T00:59:59Z', 0],
    ['2021-03-28T01:00:00Z', 60],
    ['2021-10-31T00:59:59Z', 60],
    ['2021-10-31T01:00:00Z', 0],
  ])('gives London’s offset at %s', (instant, minutes) => {
    expect(localTime.londonOffsetMinutes(Date.parse(instant))).toBe(minutes);
  });
});

describe('Function: londonDateOf', () => {
  it.each([
    ['a late-evening UTC instant in summer', '2021-08-25T23:30:00Z', '2021-08-26'],
    ['a late-evening UTC instant in winter (single-digit month and day)', '2021-03-04T23:59:59Z', '2021-03-04'],
    ['the last BST hour before the autumn change', '2021-10-30T23:00:00Z', '2021-10-31'],
    ['a second before London’s midnight in summer', '2021-10-30T22:59:59Z', '2021-10-30'],
    ['new year’s eve', '2021-12-31T23:59:59Z', '2021-12-31'],
  ])('gives the London day of %s', (_, instant, day) => {
    expect(localTime.londonDateOf(new Date(instant))).toBe(day);
  });
});

describe('Schema: SaleTimestamp', () => {
  it('gives the instant of a sale time', () => {
    expect(localTime.SaleTimestampSchema.parse('2021-08-25 09:00').toISOString()).toBe('2021-08-25T08:00:00.000Z');
  });

  it.each([
    ['yesterday', 'date_unparsable'],
    ['2021-02-30 10:00', 'date_impossible'],
  ])('refuses %s with the reason as a custom issue', (text, reason) => {
    const result = localTime.SaleTimestampSchema.safeParse(text);
    expect(result.success ? [] : result.error.issues.map((issue) => [issue.code, issue.message])).toEqual([['custom', reason]]);
  });
});
