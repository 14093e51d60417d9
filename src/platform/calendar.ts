/**
 * Calendar arithmetic in a time zone, for everything that counts days and hours the way the call
 * center's clock shows them: reports (days, hours), the realtime counters (reset at midnight),
 * and the schedules to come (IVR business hours, campaign windows). Instants are UTC; a zone is an
 * IANA name, and Intl is the only source of its rules (the zone database is the runtime's).
 * Pure: no clock of its own, every instant is an argument.
 */

export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** A calendar date and time of day as a clock in some zone shows it. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

// One formatter per zone: building them is the slow part of Intl. An invalid zone throws a
// RangeError here, on first use.
const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

/** What a clock in `timeZone` shows at `instant`. */
export function wallClock(instant: Date, timeZone: string): WallClock {
  let format = wallClockFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      // h23, not hour12: false, which some ICU versions render midnight as 24.
      hourCycle: 'h23',
    });
    wallClockFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const field = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value);
  return {
    year: field('year'),
    month: field('month'),
    day: field('day'),
    hour: field('hour'),
    minute: field('minute'),
    second: field('second'),
  };
}

/** Days since 1970-01-01 of a calendar date, so that dates compare and step as integers. */
export function dayNumber(date: Pick<WallClock, 'year' | 'month' | 'day'>): number {
  return Date.UTC(date.year, date.month - 1, date.day) / DAY_MS;
}

/** The weekday of a day number, Monday 0 … Sunday 6 (the manuals' 月 … 日 order). */
export function weekdayOfDayNumber(day: number): number {
  // 1970-01-01, day 0, was a Thursday (3 counting from Monday).
  return (((day + 3) % 7) + 7) % 7;
}

export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** `YYYY-MM-DD` of a day number. */
export function dateKeyOfDayNumber(day: number): string {
  const d = new Date(day * DAY_MS);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** The zone's UTC offset at an instant (ms, east positive). */
function offsetMs(instant: number, timeZone: string): number {
  const w = wallClock(new Date(instant), timeZone);
  const wall = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return wall - Math.floor(instant / SECOND_MS) * SECOND_MS;
}

/**
 * The first instant of a calendar date in a zone: its midnight; where a spring-forward change
 * skips midnight (e.g. America/Santiago), the change; where a fall-back change shows 00:00
 * twice, the first.
 */
export function startOfDate(day: number, timeZone: string): Date {
  return instantOfLocalTime(day * DAY_MS, timeZone);
}

/**
 * The start of the calendar day of `instant` in an IANA time zone: its midnight, whatever the
 * day's length (23 or 25 hours on a DST change); where a DST change skips midnight, the first
 * instant of the day (the realtime counters restart then).
 */
export function startOfDay(instant: Date, timeZone: string): Date {
  const at = instant.getTime();
  const known = knownDays.get(timeZone);
  if (known !== undefined && at >= known.from && at < known.to) return new Date(known.from);
  const day = dayNumber(wallClock(instant, timeZone));
  const from = startOfDate(day, timeZone).getTime();
  knownDays.set(timeZone, { from, to: startOfDate(day + 1, timeZone).getTime() });
  return new Date(from);
}

/**
 * Per zone, the instants of the last day asked for: the queue asks for today's start on every
 * call, and working it out takes several time-zone conversions.
 */
const knownDays = new Map<string, { from: number; to: number }>();

/** The day number of a `YYYY-MM-DD` date. */
export function dayNumberOfKey(date: string): number {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  return dayNumber({ year: y, month: m, day: d });
}

/** The first instant of a `YYYY-MM-DD` date in a zone. */
export function startOfDateKey(date: string, timeZone: string): Date {
  return startOfDate(dayNumberOfKey(date), timeZone);
}

/**
 * The instants of a `YYYY-MM-DD` date in a zone: from its first instant to the next date's
 * (exclusive), so a day of a DST change is 23 or 25 hours long.
 */
export function instantsOfDateKey(date: string, timeZone: string): { from: Date; to: Date } {
  const day = dayNumberOfKey(date);
  return { from: startOfDate(day, timeZone), to: startOfDate(day + 1, timeZone) };
}

/** `YYYY-MM-DD` of the calendar day of `instant` in a zone. */
export function dateKeyOf(instant: Date, timeZone: string): string {
  return dateKeyOfDayNumber(dayNumber(wallClock(instant, timeZone)));
}

/** The hour of day ('00'…'23') of `instant` in a zone. */
export function hourKeyOf(instant: Date, timeZone: string): string {
  return pad(wallClock(instant, timeZone).hour, 2);
}

/** Offsets by zone and 15-minute span, as `localTimeMs` has looked them up. */
const offsetsBySpan = new Map<string, Map<number, number | null>>();
const SPAN_MS = 15 * MINUTE_MS;

/**
 * The wall-clock time of `instantMs` in a zone, as milliseconds since a 1970-01-01 00:00 of that
 * clock: `Math.floor(local / HOUR_MS) % 24` is its hour, `local % HOUR_MS` how far into it.
 * The same as wallClock, for code that asks for many instants: the zone's offset is looked up
 * once per 15-minute span (offsets in use change only at such boundaries; a span in which it does
 * change is looked up instant by instant).
 */
export function localTimeMs(instantMs: number, timeZone: string): number {
  let spans = offsetsBySpan.get(timeZone);
  if (spans === undefined) {
    spans = new Map();
    offsetsBySpan.set(timeZone, spans);
  }
  const span = Math.floor(instantMs / SPAN_MS);
  let offset = spans.get(span);
  if (offset === undefined) {
    const first = offsetMs(span * SPAN_MS, timeZone);
    offset = offsetMs((span + 1) * SPAN_MS - 1, timeZone) === first ? first : null;
    if (spans.size > 200_000) spans.clear();
    spans.set(span, offset);
  }
  return instantMs + (offset ?? offsetMs(instantMs, timeZone));
}

/** `HH:MM` on a 24-hour clock, 00:00–23:59, two digits each (9:00 and 24:00 are not times). */
export const TIME_OF_DAY = /^([01][0-9]|2[0-3]):([0-5][0-9])$/;

export const MINUTES_PER_DAY = 24 * 60;

/** Minutes since midnight of an `HH:MM`, or undefined when it is not one. */
export function minutesOf(time: string): number | undefined {
  const match = TIME_OF_DAY.exec(time);
  return match === null ? undefined : Number(match[1]) * 60 + Number(match[2]);
}

/** `HH:MM` of a minute of the day (0 … 1439). */
export function timeOfDayOf(minute: number): string {
  return `${pad(Math.floor(minute / 60), 2)}:${pad(minute % 60, 2)}`;
}

/** The minute of the day (0 … 1439) a clock in `timeZone` shows at `instant`. */
export function minuteOfDay(instant: Date, timeZone: string): number {
  const local = localTimeMs(instant.getTime(), timeZone);
  return Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / MINUTE_MS);
}

/**
 * A daily span of wall-clock minutes, `from` included and `to` excluded, each a minute of the day
 * (0 … 1440, so a span may run to midnight). `from > to` crosses midnight (22:00 → 06:00);
 * `from === to` is the whole day.
 */
export interface DailyRange {
  from: number;
  to: number;
}

/**
 * Whether a minute of the day lies in a daily range, and if so on which day the range started:
 * `'same_day'`, or `'day_before'` for the early hours of a range that crossed midnight. Null when
 * the minute is outside it.
 */
export function dailyRangePart(
  range: DailyRange,
  minute: number,
): 'same_day' | 'day_before' | null {
  const { from, to } = range;
  if (from === to) return 'same_day';
  if (from < to) return minute >= from && minute < to ? 'same_day' : null;
  if (minute >= from) return 'same_day';
  return minute < to ? 'day_before' : null;
}

/** Whether a clock in `timeZone` shows, at `instant`, a minute inside the daily range. */
export function inDailyRange(instant: Date, range: DailyRange, timeZone: string): boolean {
  return dailyRangePart(range, minuteOfDay(instant, timeZone)) !== null;
}

/**
 * The first instant at or after `instant` at which a clock in `timeZone` shows a minute inside
 * the daily range. The clock is followed minute by minute (with the offsets' cache of
 * localTimeMs), so whatever a DST change does is honoured: a range skipped by a spring-forward
 * change opens at the change if the clock jumps into it, or the next day if it jumps over it; a
 * fall-back change that repeats the range's minutes reopens it. Zones' offsets are whole minutes
 * (every offset since 1972), so the clock's minutes begin on UTC minutes.
 */
export function nextInDailyRange(instant: Date, range: DailyRange, timeZone: string): Date {
  if (inDailyRange(instant, range, timeZone)) return instant;
  // The longest wait: a one-minute range skipped by a change one day and found the next.
  const limit = instant.getTime() + 3 * DAY_MS;
  for (
    let at = (Math.floor(instant.getTime() / MINUTE_MS) + 1) * MINUTE_MS;
    at <= limit;
    at += MINUTE_MS
  ) {
    const local = localTimeMs(at, timeZone);
    const minute = Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / MINUTE_MS);
    if (dailyRangePart(range, minute) !== null) return new Date(at);
  }
  throw new RangeError(`the clock of ${timeZone} never shows the range`);
}

/**
 * The instant a clock in `timeZone` first shows a wall time (`local`: ms since 1970-01-01 00:00
 * of that clock, as localTimeMs gives). A time a spring-forward change skips maps to the change
 * itself (the first instant after the gap); one a fall-back change repeats, to its first showing.
 */
export function instantOfLocalTime(local: number, timeZone: string): Date {
  // The wall time lies within ±14 h of the same figures in UTC, so the offsets a day either side
  // (and at it) include the one in force then, even when it changes that day.
  const candidates = [-DAY_MS, 0, DAY_MS].map(
    (shift) => local - (localTimeMs(local + shift, timeZone) - (local + shift)),
  );
  const exact = candidates.filter((c) => localTimeMs(c, timeZone) === local);
  if (exact.length > 0) return new Date(Math.min(...exact));
  let before = Math.min(...candidates);
  let after = Math.max(...candidates);
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (localTimeMs(middle, timeZone) >= local) after = middle;
    else before = middle;
  }
  return new Date(after);
}

/**
 * `days` calendar days after `instant` in `timeZone`: the same wall time that many dates later
 * (so 1 day later at 10:00 is 10:00 the next day, 23 or 25 hours away across a DST change).
 */
export function addCalendarDays(instant: Date, days: number, timeZone: string): Date {
  const local = localTimeMs(instant.getTime(), timeZone);
  return instantOfLocalTime(local + days * DAY_MS, timeZone);
}
