import { describe, expect, it } from 'vitest';
import { looksLikeTimestamp, readTimestamp } from './read-timestamp.js';

describe('Function: readTimestamp', () => {
  it.each([
    ['day first, zero padded', '25/08/2021 09:00', '2021-08-25 09:00'],
    ['day first, with seconds', '25/08/2021 09:00:48', '2021-08-25 09:00:48'],
    ["Excel's d/m/yyyy h:mm", '9/5/2023 9:07', '2023-05-09 09:07'],
    ['an impossible date, left for the contract', '31/02/2021 10:00', '2021-02-31 10:00'],
    ['ISO local with a space', '2021-02-23 09:00', '2021-02-23 09:00'],
    ['ISO local with a T and seconds', '2021-02-23T09:00:48', '2021-02-23 09:00:48'],
  ])('rewrites %s as London wall-clock text', (_name, text, expected) => {
    expect(readTimestamp(text)).toBe(expected);
  });

  it.each([
    ['a date alone', '25/08/2021'],
    ['text before the date', 'x25/08/2021 09:00'],
    ['text after the time', '25/08/2021 09:00 pm'],
    ['a one-digit minute', '25/08/2021 09:0'],
    ['a two-digit year', '25/08/21 09:00'],
    ['a three-digit day', '125/08/2021 09:00'],
    ['a three-digit hour', '25/08/2021 109:00'],
    ['one-digit seconds', '25/08/2021 09:00:4'],
    ['ISO with text after it', '2021-02-23 09:00Z'],
    ['ISO with text before it', 'x2021-02-23 09:00'],
    ['ISO with a one-digit month', '2021-2-23 09:00'],
    ['ISO with one-digit seconds', '2021-02-23 09:00:4'],
    ['ISO with another separator', '2021-02-23_09:00'],
    ['empty text', ''],
  ])('reads %s as no timestamp', (_name, text) => {
    expect(readTimestamp(text)).toBeUndefined();
  });
});

describe('Function: looksLikeTimestamp', () => {
  it('trims the field before reading it', () => {
    expect(looksLikeTimestamp('  25/08/2021 09:00 ')).toBe(true);
    expect(looksLikeTimestamp('Date')).toBe(false);
  });
});
