/**
 * An IVR's schedule (予約, §11-3): numbered rules, each a time range `HH:MM → HH:MM` on ticked
 * weekdays (月 … 日) and/or ★ (the specified dates), tried in order; the first that covers now
 * wins, and none sends the call to the IVR's default routing. On a specified date (the IVR's own
 * list or a holiday calendar it uses) a rule matches only through ★, whatever its weekdays: a
 * schedule whose rules have no ★ sends the whole day to the default routing — the manual's
 * holiday mechanism.
 *
 * Beyond the manual: a range may cross midnight (22:00 → 06:00); its early hours belong to the
 * day it started on, so "Friday 22:00 → 06:00" covers Saturday 02:00 and not Sunday's. A range
 * whose ends are equal covers the whole day. Pure: the instant and the zone are arguments.
 */
import {
  dailyRangePart,
  dayNumber,
  dateKeyOfDayNumber,
  minutesOf,
  wallClock,
  weekdayOfDayNumber,
} from '../platform/calendar.js';

// The times of day are the calendar's; the IVR's routes and tests know them from here.
export { TIME_OF_DAY, minutesOf } from '../platform/calendar.js';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface ScheduleRule {
  /** `HH:MM`, 00:00–23:59; the start is in the range, the end is not. */
  from: string;
  to: string;
  weekdays: readonly Weekday[];
  /** ★: the rule applies on the specified dates. */
  specifiedDates: boolean;
}

/** Whether a rule is for a day: through ★ on a specified date, else through its weekday box. */
function applies(rule: ScheduleRule, day: { weekday: Weekday; specified: boolean }): boolean {
  return day.specified ? rule.specifiedDates : rule.weekdays.includes(day.weekday);
}

/**
 * The index of the first rule that covers `now` in `timeZone`, or null (the default routing).
 * `isSpecifiedDate` says whether a `YYYY-MM-DD` is one of the IVR's specified dates.
 */
export function matchingRule(
  rules: readonly ScheduleRule[],
  now: Date,
  timeZone: string,
  isSpecifiedDate: (date: string) => boolean,
): number | null {
  const wall = wallClock(now, timeZone);
  const minute = wall.hour * 60 + wall.minute;
  const today = dayNumber(wall);
  const dayOf = (day: number) => ({
    weekday: WEEKDAYS[weekdayOfDayNumber(day)] ?? 'mon',
    specified: isSpecifiedDate(dateKeyOfDayNumber(day)),
  });
  const todays = dayOf(today);
  let yesterdays: ReturnType<typeof dayOf> | undefined;

  for (const [index, rule] of rules.entries()) {
    const from = minutesOf(rule.from);
    const to = minutesOf(rule.to);
    if (from === undefined || to === undefined) continue;
    const part = dailyRangePart({ from, to }, minute);
    if (part === 'same_day' && applies(rule, todays)) return index;
    if (part === 'day_before') {
      // Across midnight, the early hours: the rule of the day before.
      yesterdays ??= dayOf(today - 1);
      if (applies(rule, yesterdays)) return index;
    }
  }
  return null;
}
