import { describe, expect, it } from 'vitest';
import { describeChange, describeDays, earlierBy, formatPercent, formatValue } from './format.js';

const pounds = (value: number | null) => formatValue(value, 'currencyGBP', 2);

describe('Function: formatValue', () => {
  it('shows pounds with pence and counts with thousands separators', () => {
    // Assess
    expect(pounds(326469.3)).toBe('£326,469.30');
    expect(formatValue(7021, 'short', 0)).toBe('7,021');
    expect(formatValue(null, 'short')).toBe('–');
  });
});

describe('Function: describeChange', () => {
  it.each([
    [1100, 1000, '▲ 10.0% on a week earlier (£1,000.00)'],
    [900, 1000, '▼ 10.0% on a week earlier (£1,000.00)'],
    [1000, 1000, 'same as a week earlier (£1,000.00)'],
    [1000, 0, 'none a week earlier'],
    [1000, null, 'none a week earlier'],
  ] as const)('%s against %s reads "%s"', (current, previous, expected) => {
    // Assess
    expect(describeChange(current, previous, 'a week earlier', pounds)).toBe(expected);
  });
});

describe('Function: formatPercent / earlierBy / describeDays', () => {
  it('formats shares, shifts and day ranges', () => {
    // Assess
    expect(formatPercent(0.30941)).toBe('30.9%');
    expect(earlierBy(7 * 86_400_000)).toBe('a week earlier');
    expect(earlierBy(86_400_000)).toBe('1 day earlier');
    expect(describeDays(Date.parse('2021-09-02T23:00:00Z'), Date.parse('2021-09-09T22:59:59.999Z'), 'Europe/London')).toBe('Fri 3 Sept 2021 – Thu 9 Sept 2021');
    expect(describeDays(Date.parse('2021-09-08T23:00:00Z'), Date.parse('2021-09-09T22:59:59.999Z'), 'Europe/London')).toBe('Thu 9 Sept 2021');
  });
});
