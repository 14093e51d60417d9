/**
 * When a campaign may dial and when a redial is due (§10-8 予約 From / To, §10-9 予約, §7).
 *
 * - The daily window: From and To are `HH:MM` in TIMEZONE, From included and To through the end
 *   of its minute (the default 00:00–23:59 is the whole day). A window may cross midnight
 *   (22:00–06:00); To one minute before From (10:00–09:59) is the whole day too.
 * - Reservations: the recall time keyed by DTMF (result-entry.ts) and the web's 10分後 / 1時間後 /
 *   1日後 buttons. Minutes and hours are elapsed time; days are calendar days in the zone, so
 *   "1 day later" at 10:00 is 10:00 the next day across a DST change too.
 *
 * The calendar arithmetic is platform/calendar.ts'; this file only says what the campaign's
 * words mean in it. Pure: the instant and the zone are arguments.
 */
import {
  HOUR_MS,
  MINUTE_MS,
  addCalendarDays,
  inDailyRange,
  minutesOf,
  nextInDailyRange,
  type DailyRange,
} from '../platform/calendar.js';
import type { RecallDelay } from './result-entry.js';

/** 予約 From / 予約 To as the campaign stores them. */
export interface CampaignWindow {
  from: string;
  to: string;
}

/** The window as a daily range of minutes (To's minute included). Throws on a malformed time. */
export function windowRange(window: CampaignWindow): DailyRange {
  const from = minutesOf(window.from);
  const to = minutesOf(window.to);
  if (from === undefined || to === undefined)
    throw new RangeError(`not a window: ${window.from}–${window.to}`);
  // To is kept through its minute: the range ends at the next one (23:59 → 24:00, midnight).
  return { from, to: to + 1 };
}

/** Whether the campaign may dial at `now`. */
export function inWindow(now: Date, window: CampaignWindow, timeZone: string): boolean {
  return inDailyRange(now, windowRange(window), timeZone);
}

/** The first instant at or after `now` inside the window: `now` itself while it is open. */
export function nextOpening(now: Date, window: CampaignWindow, timeZone: string): Date {
  return nextInDailyRange(now, windowRange(window), timeZone);
}

/** When a recall keyed by DTMF (`分*時*日#`) falls due. */
export function recallAt(now: Date, delay: RecallDelay, timeZone: string): Date {
  const day = addCalendarDays(now, delay.days, timeZone);
  return new Date(day.getTime() + delay.hours * HOUR_MS + delay.minutes * MINUTE_MS);
}

/** The reservation buttons of the autodial detail (§7): 10分後, 1時間後, 1日後. */
export const RESERVATION_SHORTCUTS = ['10m', '1h', '1d'] as const;
export type ReservationShortcut = (typeof RESERVATION_SHORTCUTS)[number];

export const RESERVATION_SHORTCUT_LABELS: Readonly<Record<ReservationShortcut, string>> = {
  '10m': '10分後',
  '1h': '1時間後',
  '1d': '1日後',
};

/** The reservation a button sets, counted from `now`. */
export function reservationAfter(now: Date, shortcut: ReservationShortcut, timeZone: string): Date {
  switch (shortcut) {
    case '10m':
      return recallAt(now, { minutes: 10, hours: 0, days: 0 }, timeZone);
    case '1h':
      return recallAt(now, { minutes: 0, hours: 1, days: 0 }, timeZone);
    case '1d':
      return recallAt(now, { minutes: 0, hours: 0, days: 1 }, timeZone);
  }
}

/** When an entry reserved for `reservedAt` may first be dialled: then, or the window's opening. */
export function firstDialAt(reservedAt: Date, window: CampaignWindow, timeZone: string): Date {
  return nextOpening(reservedAt, window, timeZone);
}
