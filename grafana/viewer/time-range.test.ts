import { describe, expect, it } from 'vitest';
import { autoInterval, formatDuration, parseDuration, parseTime } from './time-range.js';

describe('Function: parseTime', () => {
  const now = new Date('2026-01-01T00:00:00Z');

  it('reads relative, ISO and epoch times', () => {
    // Assess
    expect(parseTime('now', now)).toEqual(now);
    expect(parseTime('now-1h', now)).toEqual(new Date('2025-12-31T23:00:00Z'));
    expect(parseTime('2021-08-25T09:00:00Z', now)).toEqual(new Date('2021-08-25T09:00:00Z'));
    expect(parseTime('1629882000000', now)).toEqual(new Date('2021-08-25T09:00:00Z'));
  });

  it('refuses anything else', () => {
    // Assess
    expect(() => parseTime('yesterday', now)).toThrow(RangeError);
  });
});

describe('Function: autoInterval', () => {
  it('rounds the range per data point like Grafana and honours the panel minimum', () => {
    // Prepare
    const range = { from: new Date('2016-01-01T00:00:00Z'), to: new Date('2026-01-01T00:00:00Z') };
    // Act / Assess
    expect(formatDuration(autoInterval(range, 1000))).toBe('1d');
    expect(formatDuration(autoInterval({ from: range.to, to: new Date(range.to.getTime() + 3_600_000) }, 1000, '1m'))).toBe('1m');
    expect(parseDuration("'5m'")).toBe(300_000);
  });
});
