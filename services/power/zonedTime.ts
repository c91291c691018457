/**
 * Wall-clock time in an IANA zone, through `Intl` (the platform's own time zone database): the
 * local date, weekday and hour of an instant, and the instant of a local date and hour. Daylight
 * saving is handled as JavaScript's `Date` and Temporal's `compatible` rule do: a local time that
 * does not exist (skipped by the clocks going forward) means the instant just after the gap, and
 * one that happens twice (the clocks going back) means the first of the two.
 */

/** A local calendar date and hour. `weekday` is 0 for Monday … 6 for Sunday. */
export interface LocalHour {
  year: number;
  month: number;
  day: number;
  hour: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * The wall-clock date and hour of `instant` in `timeZone`.
 *
 * @example
 * localHourOf(Date.parse('2026-03-02T18:30:00Z'), 'Europe/Berlin'); // { year: 2026, month: 3, day: 2, hour: 19, weekday: 0 }
 */
export function localHourOf(instant: number, timeZone: string): LocalHour {
  const fields = wallFields(instant, timeZone);
  return {
    year: fields.year,
    month: fields.month,
    day: fields.day,
    hour: fields.hour,
    weekday: weekdayOf(fields.year, fields.month, fields.day),
  };
}

/**
 * The instant at which the wall clock in `timeZone` first shows `hour`:00 on the given date.
 *
 * @example
 * instantOfLocalHour({ year: 2026, month: 3, day: 29 }, 2, 'Europe/Berlin'); // 2026-03-29T01:00Z (03:00 CEST: 02:00 is skipped)
 */
export function instantOfLocalHour(
  date: { year: number; month: number; day: number },
  hour: number,
  timeZone: string,
): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day, hour);
  // Offsets a day either side bracket any one transition; real zones never have two in 48 hours.
  const before = wall - offsetAt(wall - DAY_MS, timeZone);
  const after = wall - offsetAt(wall + DAY_MS, timeZone);
  const shows = (instant: number) => wallOf(instant, timeZone) === wall;
  const valid = [before, after].filter(shows);
  if (valid.length > 0) return Math.min(...valid);
  // In a gap: the wall time read with the offset before the jump lands just after it.
  return before;
}

/**
 * The local date `days` after (or before, when negative) the given one.
 *
 * @example
 * addDays({ year: 2026, month: 3, day: 1 }, -1); // { year: 2026, month: 2, day: 28, weekday: 5 }
 */
export function addDays(
  date: { year: number; month: number; day: number },
  days: number,
): { year: number; month: number; day: number; weekday: number } {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  return { year, month, day, weekday: weekdayOf(year, month, day) };
}

function weekdayOf(year: number, month: number, day: number): number {
  return (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
}

/** The zone's offset from UTC at `instant`, in milliseconds (east positive). */
function offsetAt(instant: number, timeZone: string): number {
  return wallOf(instant, timeZone) - Math.floor(instant / 1000) * 1000;
}

/** The wall clock at `instant`, as if it were UTC, to the second. */
function wallOf(instant: number, timeZone: string): number {
  const f = wallFields(instant, timeZone);
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
}

function wallFields(instant: number, timeZone: string) {
  const parts = formatter(timeZone).formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((p) => p.type === type)?.value);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}
