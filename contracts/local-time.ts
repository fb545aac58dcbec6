import { z } from 'zod';

/**
 * Branch clocks are UK local time. Converts a wall-clock reading in Europe/London
 * to the UTC instant, using the ICU time-zone data built into Node (no tz library).
 * In the autumn overlap the first (BST) reading wins; a time in the spring gap
 * moves forward by the gap, as a clock would.
 */
const ZONE = 'Europe/London';

const offsetFormatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

// Offsets change twice a year; caching per UTC hour keeps a million rows cheap.
const offsetCache = new Map<number, number>();

/** Minutes east of UTC that London clocks showed at this instant. */
function londonOffsetMinutes(utcMs: number): number {
  const hourKey = Math.floor(utcMs / 3_600_000);
  return offsetCache.get(hourKey) ?? offsetOfHour(hourKey);
}

/** The offset in force over one UTC hour (hours since the epoch), read from the ICU data and cached. */
function offsetOfHour(hourKey: number): number {
  const parts = Object.fromEntries(offsetFormatter.formatToParts(new Date(hourKey * 3_600_000)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
  const offset = Math.round((wall - hourKey * 3_600_000) / 60_000);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: bounds the cache's memory only; an emptied cache refills with the same offsets
  if (offsetCache.size > 100_000) offsetCache.clear();
  offsetCache.set(hourKey, offset);
  return offset;
}

interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** True when the fields name a real calendar date and time of day. */
function isRealWallClock(w: WallClock): boolean {
  const probe = new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second));
  return (
    w.year >= 1970 &&
    w.year <= 9999 &&
    // Each field is in effect checked twice: Date.UTC carries a field out of range into the next larger one, whose check fails too.
    // Stryker disable next-line ConditionalExpression: a year changes only by a month's carry, which the month check catches
    probe.getUTCFullYear() === w.year &&
    // Stryker disable next-line ConditionalExpression: a month out of range carries into the year, which its check catches
    probe.getUTCMonth() === w.month - 1 &&
    // Stryker disable next-line ConditionalExpression: a day out of range carries into the month, which its check catches
    probe.getUTCDate() === w.day &&
    // Stryker disable next-line ConditionalExpression: an hour out of range carries into the day, which its check catches
    probe.getUTCHours() === w.hour &&
    // Stryker disable next-line ConditionalExpression: a minute out of range carries into the hour, which its check catches
    probe.getUTCMinutes() === w.minute &&
    // Stryker disable next-line ConditionalExpression: a second out of range carries into the minute, which its check catches
    probe.getUTCSeconds() === w.second
  );
}

/** The UTC instant at which London clocks showed this wall-clock time. */
function londonWallClockToUtc(w: WallClock): Date {
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  // The offset in force an hour before the reading decides: it picks BST in the
  // autumn overlap and carries a reading in the spring gap forward by an hour.
  return new Date(asUtc - londonOffsetMinutes(asUtc - 3_600_000) * 60_000);
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** The London calendar date (YYYY-MM-DD) of a UTC instant. */
function londonDateOf(instant: Date): string {
  // Read from the shifted instant's UTC fields: no ISO string is built and cut (it runs per sale).
  const local = new Date(instant.getTime() + londonOffsetMinutes(instant.getTime()) * 60_000);
  return `${local.getUTCFullYear()}-${pad2(local.getUTCMonth() + 1)}-${pad2(local.getUTCDate())}`;
}

const LOCAL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;
const ZONED_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * A sale's time: either a London wall-clock reading `YYYY-MM-DD HH:MM[:SS]` (files)
 * or an ISO 8601 instant with a zone (tills). Gives the UTC instant, or the reason
 * the text is not one.
 */
function parseSaleTimestamp(text: string): Date | 'date_unparsable' | 'date_impossible' {
  const local = LOCAL_PATTERN.exec(text);
  if (local) {
    const wall: WallClock = {
      year: Number(local[1]),
      month: Number(local[2]),
      day: Number(local[3]),
      hour: Number(local[4]),
      minute: Number(local[5]),
      second: Number(local[6] ?? 0),
    };
    return isRealWallClock(wall) ? londonWallClockToUtc(wall) : 'date_impossible';
  }
  if (ZONED_PATTERN.test(text)) {
    const instant = new Date(text);
    const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
    if (Number.isNaN(instant.getTime()) || !isRealWallClock({ year, month, day, hour: 0, minute: 0, second: 0 })) return 'date_impossible';
    return instant;
  }
  return 'date_unparsable';
}

/** `parseSaleTimestamp` as a schema. */
const SaleTimestampSchema = z.string().transform((text, ctx) => {
  const instant = parseSaleTimestamp(text);
  if (instant instanceof Date) return instant;
  ctx.addIssue({ code: 'custom', message: instant });
  return z.NEVER;
});

export { SaleTimestampSchema, parseSaleTimestamp, londonWallClockToUtc, londonDateOf, londonOffsetMinutes, isRealWallClock };
export type { WallClock };
