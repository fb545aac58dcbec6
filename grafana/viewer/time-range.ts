import { TZDate } from '@date-fns/tz';
import {
  addDays,
  addHours,
  addMinutes,
  addMonths,
  addSeconds,
  addWeeks,
  addYears,
  endOfDay,
  endOfHour,
  endOfMinute,
  endOfMonth,
  endOfSecond,
  endOfWeek,
  endOfYear,
  startOfDay,
  startOfHour,
  startOfMinute,
  startOfMonth,
  startOfSecond,
  startOfWeek,
  startOfYear,
} from 'date-fns';

/**
 * Grafana-style time ranges for the localhost viewer: Grafana's date math
 * (`now`, `now-7d`, `now/d`, `now-1d/d`, `now/M`), absolute instants, and the
 * automatic `$__interval`. Date math runs in the dashboard's time zone, as
 * Grafana's does, so `now/d` is London midnight whatever the server's zone.
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  M: 2_592_000_000, // 30 days, as Grafana's interval parser counts a month
  y: 31_536_000_000, // 365 days
};

const DURATION = /^(\d+)(ms|s|m|h|d|w|M|y)$/;

/** Milliseconds in a Grafana duration such as `1m`, `6h`, `10y` (quotes allowed, as macros pass them). */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text.trim().replace(/^'|'$/g, ''));
  if (!match) throw new RangeError(`not a duration: ${text}`);
  return Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? Number.NaN);
}

/** The calendar units of Grafana's date math; weeks start on Monday, as in the UK. */
const DateMathUnit = { s: 's', m: 'm', h: 'h', d: 'd', w: 'w', M: 'M', y: 'y' } as const;
type DateMathUnit = (typeof DateMathUnit)[keyof typeof DateMathUnit];

const WEEK = { weekStartsOn: 1 } as const;

function shift(date: TZDate, unit: DateMathUnit, amount: number): TZDate {
  switch (unit) {
    case 's':
      return addSeconds(date, amount);
    case 'm':
      return addMinutes(date, amount);
    case 'h':
      return addHours(date, amount);
    case 'd':
      return addDays(date, amount);
    case 'w':
      return addWeeks(date, amount);
    case 'M':
      return addMonths(date, amount);
    case 'y':
      return addYears(date, amount);
    default: {
      const unknown: never = unit;
      throw new RangeError(`not a date math unit: ${String(unknown)}`);
    }
  }
}

function round(date: TZDate, unit: DateMathUnit, up: boolean): TZDate {
  switch (unit) {
    case 's':
      return up ? endOfSecond(date) : startOfSecond(date);
    case 'm':
      return up ? endOfMinute(date) : startOfMinute(date);
    case 'h':
      return up ? endOfHour(date) : startOfHour(date);
    case 'd':
      return up ? endOfDay(date) : startOfDay(date);
    case 'w':
      return up ? endOfWeek(date, WEEK) : startOfWeek(date, WEEK);
    case 'M':
      return up ? endOfMonth(date) : startOfMonth(date);
    case 'y':
      return up ? endOfYear(date) : startOfYear(date);
    default: {
      const unknown: never = unit;
      throw new RangeError(`not a date math unit: ${String(unknown)}`);
    }
  }
}

// One step of date math after `now`: `-7d`, `+1h`, `/d`.
const STEP = new RegExp(`^(?:([+-])(\\d*)|\\/)([${Object.values(DateMathUnit).join('')}])`);

export interface ParseTimeOptions {
  /** IANA zone the calendar units are counted in (the dashboard's `timezone`); default UTC. */
  readonly timeZone?: string;
  /** Round `/unit` up to the unit's last millisecond, as Grafana does for the end of a range. */
  readonly roundUp?: boolean;
}

/**
 * Grafana date math (`now`, `now-7d`, `now/d`, `now-1d/d`, `now/M`), an ISO 8601
 * instant, or epoch milliseconds, to an instant. Arithmetic and rounding are in
 * `options.timeZone`; `roundUp` makes `/d` mean the end of the day (the `to` of
 * "Yesterday" is `now-1d/d`). Throws RangeError for anything else.
 */
export function parseTime(text: string, now: Date, options: ParseTimeOptions = {}): Date {
  const value = text.trim();
  if (value.startsWith('now')) {
    let date = new TZDate(now.getTime(), options.timeZone ?? 'UTC');
    let rest = value.slice(3);
    while (rest.length > 0) {
      const step = STEP.exec(rest);
      if (!step) throw new RangeError(`not a time: ${text}`);
      const [whole, sign, count, unit] = step as unknown as [string, string | undefined, string | undefined, DateMathUnit];
      date = sign ? shift(date, unit, (sign === '-' ? -1 : 1) * (count ? Number(count) : 1)) : round(date, unit, options.roundUp ?? false);
      rest = rest.slice(whole.length);
    }
    return new Date(date.getTime());
  }
  const instant = /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value);
  if (Number.isNaN(instant.getTime())) throw new RangeError(`not a time: ${text}`);
  return instant;
}

/** A dashboard range (`from`, `to` as Grafana writes them) resolved to instants; the end rounds up. */
export function resolveRange(range: { readonly from: string; readonly to: string }, now: Date, timeZone?: string): TimeRange {
  return { from: parseTime(range.from, now, { timeZone }), to: parseTime(range.to, now, { timeZone, roundUp: true }) };
}

export interface TimeRange {
  readonly from: Date;
  readonly to: Date;
}

// Grafana's rounding ladder (rangeutil.roundInterval), in ms: [upper bound, interval].
const ROUNDING: readonly (readonly [number, number])[] = [
  [15, 10],
  [35, 20],
  [75, 50],
  [150, 100],
  [350, 200],
  [750, 500],
  [1_500, 1_000],
  [3_500, 2_000],
  [7_500, 5_000],
  [12_500, 10_000],
  [17_500, 15_000],
  [25_000, 20_000],
  [45_000, 30_000],
  [90_000, 60_000],
  [210_000, 120_000],
  [450_000, 300_000],
  [750_000, 600_000],
  [1_050_000, 900_000],
  [1_500_000, 1_200_000],
  [2_700_000, 1_800_000],
  [5_400_000, 3_600_000],
  [9_000_000, 7_200_000],
  [16_200_000, 10_800_000],
  [32_400_000, 21_600_000],
  [86_400_000, 43_200_000],
  [604_800_000, 86_400_000],
  [1_814_400_000, 604_800_000],
  [3_628_800_000, 2_592_000_000],
];

/** Rounds a raw interval to one a person would pick, as Grafana does. */
export function roundInterval(ms: number): number {
  for (const [bound, interval] of ROUNDING) if (ms < bound) return interval;
  return 31_536_000_000;
}

/** Formats milliseconds as the shortest exact Grafana duration (`1d`, `90s`, `250ms`). */
export function formatDuration(ms: number): string {
  for (const unit of ['y', 'w', 'd', 'h', 'm', 's'] as const) {
    const size = UNIT_MS[unit] ?? 1;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/**
 * `$__interval` for a panel: the range spread over `maxDataPoints`, rounded,
 * and never below the panel's minimum interval (its `interval` field).
 */
export function autoInterval(range: TimeRange, maxDataPoints: number, minInterval?: string): number {
  const raw = roundInterval(Math.max(1, range.to.getTime() - range.from.getTime()) / Math.max(1, maxDataPoints));
  return Math.max(raw, minInterval ? parseDuration(minInterval) : 0);
}

/**
 * The range to jump to when the newest sale is older than the range shown: as
 * many whole days (in `timeZone`) as the range covers, ending with the day of
 * the newest sale, or that sale's whole month for a "this month" range (`now/M`).
 * Returned as Grafana writes an absolute range: epoch milliseconds.
 */
export function rangeEndingAt(spec: { readonly from: string }, range: TimeRange, newestSale: Date, timeZone: string): { from: string; to: string } {
  const newest = new TZDate(newestSale.getTime(), timeZone);
  if (spec.from.trim() === 'now/M') return { from: String(startOfMonth(newest).getTime()), to: String(endOfMonth(newest).getTime()) };
  const days = Math.max(1, Math.round((range.to.getTime() - range.from.getTime()) / UNIT_MS.d!));
  return { from: String(startOfDay(addDays(newest, 1 - days)).getTime()), to: String(endOfDay(newest).getTime()) };
}

/**
 * London (or `timeZone`) calendar days as an absolute range: the first day's
 * midnight to the last day's final millisecond, from `yyyy-mm-dd` dates (what a
 * date input gives). Throws RangeError for a malformed date or an end before the start.
 */
export function daysRange(fromDay: string, toDay: string, timeZone: string): { from: string; to: string } {
  const day = (text: string) => {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!match) throw new RangeError(`not a date: ${text}`);
    return new TZDate(Number(match[1]), Number(match[2]) - 1, Number(match[3]), timeZone);
  };
  const from = startOfDay(day(fromDay));
  const to = endOfDay(day(toDay));
  if (to.getTime() < from.getTime()) throw new RangeError('the end date is before the start date');
  return { from: String(from.getTime()), to: String(to.getTime()) };
}

/** The `yyyy-mm-dd` calendar date of an instant in `timeZone` (for date inputs). */
export function dayOf(instant: Date, timeZone: string): string {
  const zoned = new TZDate(instant.getTime(), timeZone);
  return `${zoned.getFullYear()}-${String(zoned.getMonth() + 1).padStart(2, '0')}-${String(zoned.getDate()).padStart(2, '0')}`;
}
