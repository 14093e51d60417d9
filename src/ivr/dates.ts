/**
 * Lists of calendar dates (`YYYY-MM-DD`): an IVR's specified dates (指定日) and a holiday
 * calendar's. Only real dates are accepted (2026-02-30 is refused), and a list is kept sorted
 * without repeats, so that two lists with the same dates are the same list.
 */
import { z } from 'zod';

/** The most dates a list holds: years of holidays, far more than any schedule needs. */
export const MAX_DATES = 1000;

/** A calendar date, `YYYY-MM-DD`, that exists. */
export const calendarDate = z.iso.date().describe('YYYY-MM-DD');

export const dateList = z.array(calendarDate).max(MAX_DATES);

/** The dates sorted, each once (`YYYY-MM-DD` sorts as text in date order). */
export function normalizeDates(dates: readonly string[]): string[] {
  return [...new Set(dates)].sort();
}
