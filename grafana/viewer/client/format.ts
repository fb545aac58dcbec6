/** Formats values with the Grafana unit ids the dashboards use. */

const relative = new Intl.RelativeTimeFormat('en-GB', { numeric: 'auto' });
const STEPS: readonly [number, Intl.RelativeTimeFormatUnit][] = [
  [60, 'second'],
  [3600, 'minute'],
  [86_400, 'hour'],
  [2_592_000, 'day'],
  [31_536_000, 'month'],
  [Number.POSITIVE_INFINITY, 'year'],
];
const DIVISORS: Readonly<Record<string, number>> = { second: 1, minute: 60, hour: 3600, day: 86_400, month: 2_592_000, year: 31_536_000 };

/** "3 minutes ago", as Grafana's dateTimeFromNow unit shows a time. */
export function fromNow(epochMs: number, now = Date.now()): string {
  const seconds = (epochMs - now) / 1000;
  const [, unit] = STEPS.find(([limit]) => Math.abs(seconds) < limit) ?? STEPS[STEPS.length - 1]!;
  return relative.format(Math.round(seconds / (DIVISORS[unit] ?? 1)), unit);
}

/** A London date-time, for tables and tooltips. */
export function dateTime(epochMs: number): string {
  return new Date(epochMs).toLocaleString('en-GB', { timeZone: 'Europe/London', dateStyle: 'medium', timeStyle: 'short' });
}

/** One value in a unit (currencyGBP, short, ms, dateTimeFromNow, none) with optional decimals. */
export function formatValue(value: number | string | null, unit: string | undefined, decimals?: number): string {
  if (value === null) return '–';
  if (typeof value === 'string') return value;
  switch (unit) {
    case 'currencyGBP':
      return value.toLocaleString('en-GB', { style: 'currency', currency: 'GBP', minimumFractionDigits: decimals ?? 2, maximumFractionDigits: decimals ?? 2 });
    case 'dateTimeFromNow':
      return fromNow(value);
    case 'ms':
      return value >= 1000 ? `${(value / 1000).toLocaleString('en-GB', { maximumFractionDigits: 1 })} s` : `${Math.round(value)} ms`;
    default:
      return value.toLocaleString('en-GB', { maximumFractionDigits: decimals ?? 2 });
  }
}

/** A share as a percentage with one decimal (`30.9%`), as the pie and the comparisons show it. */
export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`;
}

/**
 * How a figure compares with the same period earlier, in words: `▲ 12.3% on a
 * week earlier (£1,100.00)`. Grafana's stat shows the same change (first value
 * to last) as its "percent change"; with nothing to compare with it says so.
 */
export function describeChange(current: number | null, previous: number | null, earlier: string, formatted: (value: number | null) => string): string {
  if (previous === null || previous === 0) return `none ${earlier}`;
  if (current === null) return `${formatted(previous)} ${earlier}`;
  const change = (current - previous) / previous;
  const shown = formatPercent(Math.abs(change));
  if (shown === '0.0%') return `same as ${earlier} (${formatted(previous)})`;
  return `${change > 0 ? '▲' : '▼'} ${shown} on ${earlier} (${formatted(previous)})`;
}

/** Names a shift between two periods: `a week earlier`, `1 day earlier`, `3 days earlier`. */
export function earlierBy(milliseconds: number): string {
  const days = Math.round(milliseconds / 86_400_000);
  if (days === 7) return 'a week earlier';
  return `${days} day${days === 1 ? '' : 's'} earlier`;
}

/** A range as a person reads it, in the dashboard's zone: `Fri 3 Sep 2021 – Thu 9 Sep 2021`, or one day alone. */
export function describeDays(fromMs: number, toMs: number, timeZone: string): string {
  const day = (ms: number) =>
    `${new Date(ms).toLocaleDateString('en-GB', { timeZone, weekday: 'short' })} ${new Date(ms).toLocaleDateString('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric' })}`;
  return day(fromMs) === day(toMs) ? day(fromMs) : `${day(fromMs)} – ${day(toMs)}`;
}
