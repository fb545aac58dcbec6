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
