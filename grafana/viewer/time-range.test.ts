import { describe, expect, it } from 'vitest';
import { autoInterval, dayOf, daysRange, formatDuration, parseDuration, parseTime, rangeEndingAt, resolveRange } from './time-range.js';

const LONDON = 'Europe/London';

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
    expect(() => parseTime('now-1x', now)).toThrow(RangeError);
    expect(() => parseTime('now/', now)).toThrow(RangeError);
  });

  describe('date math in the dashboard time zone', () => {
    // 10:30 BST on Tuesday 2 June 2026 (09:30 UTC).
    const summer = new Date('2026-06-02T09:30:00Z');

    it.each([
      ['now/d', false, '2026-06-01T23:00:00.000Z'],
      ['now/d', true, '2026-06-02T22:59:59.999Z'],
      ['now-1d/d', false, '2026-05-31T23:00:00.000Z'],
      ['now-1d/d', true, '2026-06-01T22:59:59.999Z'],
      ['now/M', false, '2026-05-31T23:00:00.000Z'],
      ['now/M', true, '2026-06-30T22:59:59.999Z'],
      ['now/w', false, '2026-05-31T23:00:00.000Z'],
      ['now-7d', false, '2026-05-26T09:30:00.000Z'],
      ['now-1M/M', false, '2026-04-30T23:00:00.000Z'],
    ])('%s (round up: %s) is %s in London', (text, roundUp, expected) => {
      // Act / Assess
      expect(parseTime(text, summer, { timeZone: LONDON, roundUp }).toISOString()).toBe(expected);
    });

    it('counts days across the clocks going forward as calendar days, as Grafana does', () => {
      // Prepare: noon BST on Sunday 29 March 2026, the day the clocks go forward.
      const changeDay = new Date('2026-03-29T11:00:00Z');
      // Act / Assess: London midnight that day was still GMT; a week earlier is noon GMT.
      expect(parseTime('now/d', changeDay, { timeZone: LONDON }).toISOString()).toBe('2026-03-29T00:00:00.000Z');
      expect(parseTime('now-7d', changeDay, { timeZone: LONDON }).toISOString()).toBe('2026-03-22T12:00:00.000Z');
    });

    it('rounds in UTC when no time zone is given', () => {
      // Assess
      expect(parseTime('now/d', summer).toISOString()).toBe('2026-06-02T00:00:00.000Z');
    });
  });
});

describe('Function: resolveRange', () => {
  it('rounds the start down and the end up, so "Yesterday" is the whole day', () => {
    // Act
    const range = resolveRange({ from: 'now-1d/d', to: 'now-1d/d' }, new Date('2026-06-02T09:30:00Z'), LONDON);
    // Assess
    expect(range.from.toISOString()).toBe('2026-05-31T23:00:00.000Z');
    expect(range.to.toISOString()).toBe('2026-06-01T22:59:59.999Z');
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

describe('Function: rangeEndingAt', () => {
  const newest = new Date('2021-09-09T16:58:00Z');
  const now = new Date('2026-06-02T09:30:00Z');

  it.each([
    ['Today', 'now/d', 'now', '2021-09-08T23:00:00.000Z', '2021-09-09T22:59:59.999Z'],
    ['Yesterday', 'now-1d/d', 'now-1d/d', '2021-09-08T23:00:00.000Z', '2021-09-09T22:59:59.999Z'],
    ['Last 7 days', 'now-7d', 'now', '2021-09-02T23:00:00.000Z', '2021-09-09T22:59:59.999Z'],
    ['Last 30 days', 'now-30d', 'now', '2021-08-10T23:00:00.000Z', '2021-09-09T22:59:59.999Z'],
    ['This month', 'now/M', 'now', '2021-08-31T23:00:00.000Z', '2021-09-30T22:59:59.999Z'],
  ])('turns %s into the same span of London days ending with the newest sale', (_name, from, to, expectedFrom, expectedTo) => {
    // Prepare
    const spec = { from, to };
    // Act
    const jump = rangeEndingAt(spec, resolveRange(spec, now, LONDON), newest, LONDON);
    // Assess
    expect(new Date(Number(jump.from)).toISOString()).toBe(expectedFrom);
    expect(new Date(Number(jump.to)).toISOString()).toBe(expectedTo);
  });
});

describe('Function: daysRange', () => {
  it('covers whole London days, both ends included', () => {
    // Act
    const range = daysRange('2021-08-28', '2021-09-03', LONDON);
    // Assess
    expect(new Date(Number(range.from)).toISOString()).toBe('2021-08-27T23:00:00.000Z');
    expect(new Date(Number(range.to)).toISOString()).toBe('2021-09-03T22:59:59.999Z');
    expect(dayOf(new Date(Number(range.to)), LONDON)).toBe('2021-09-03');
  });

  it('refuses an end before the start and a malformed date', () => {
    // Assess
    expect(() => daysRange('2021-09-03', '2021-08-28', LONDON)).toThrow(RangeError);
    expect(() => daysRange('3/9/2021', '2021-09-03', LONDON)).toThrow(RangeError);
  });
});
