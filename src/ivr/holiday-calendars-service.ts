/**
 * Holiday calendars (beyond the manual, §11-3): named lists of dates (祝日, 年末年始) that count
 * as specified dates for every IVR that uses one, besides the IVR's own list, so that a new
 * year's holidays are entered once. The dates are kept sorted, each once (dates.ts).
 *
 * A calendar an IVR uses is not deleted (409 naming the IVRs): the IVRs would otherwise lose
 * their holidays without anyone saying so.
 */
import { asc, eq } from 'drizzle-orm';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/client.js';
import { created, updated } from '../platform/db/columns.js';
import { contains, countRows } from '../platform/db/query.js';
import { conflict, notFound } from '../platform/http/errors.js';
import type { Page, PageQuery } from '../platform/http/pagination.js';
import { normalizeDates } from './dates.js';
import { holidayCalendars, ivrs, type HolidayCalendarRow } from './schema.js';

export type HolidayCalendarView = HolidayCalendarRow;

export interface HolidayCalendarInput {
  name: string;
  /** `YYYY-MM-DD` dates, in any order, repeats allowed. */
  dates?: string[] | undefined;
}

export interface HolidayCalendarFilter extends PageQuery {
  name?: string | undefined;
}

/** An IVR that uses a calendar, as a 409 names it. */
export interface CalendarUser {
  kind: 'ivr';
  id: number;
  name: string;
  field: 'schedule.holidayCalendarId';
}

export interface HolidayCalendarsService {
  list(filter: HolidayCalendarFilter): Page<HolidayCalendarView>;
  get(id: number): HolidayCalendarView;
  create(input: HolidayCalendarInput, actor: string): HolidayCalendarView;
  /** Given dates replace the list as a whole. */
  update(id: number, patch: Partial<HolidayCalendarInput>, actor: string): HolidayCalendarView;
  /** The IVRs that use the calendar. */
  usersOf(id: number): CalendarUser[];
  /** Deletes a calendar no IVR uses; 409 `holiday_calendar_in_use` naming them otherwise. */
  remove(id: number): void;
}

export interface HolidayCalendarsDeps {
  db: Db;
  clock: Clock;
}

export function createHolidayCalendarsService(deps: HolidayCalendarsDeps): HolidayCalendarsService {
  const { db, clock } = deps;

  function get(id: number): HolidayCalendarView {
    const row = db.select().from(holidayCalendars).where(eq(holidayCalendars.id, id)).get();
    if (row === undefined) throw notFound('Holiday calendar');
    return row;
  }

  function assertNameFree(name: string, except?: number): void {
    const holder = db
      .select({ id: holidayCalendars.id })
      .from(holidayCalendars)
      .where(eq(holidayCalendars.name, name))
      .get();
    if (holder !== undefined && holder.id !== except)
      throw conflict('name_taken', `A holiday calendar is already named ${name}`);
  }

  function usersOf(id: number): CalendarUser[] {
    return db
      .select({ id: ivrs.id, name: ivrs.name })
      .from(ivrs)
      .where(eq(ivrs.holidayCalendarId, id))
      .orderBy(asc(ivrs.name), asc(ivrs.id))
      .all()
      .map((ivr) => ({ kind: 'ivr', ...ivr, field: 'schedule.holidayCalendarId' }));
  }

  return {
    list: ({ limit, offset, name }) => {
      const where = name === undefined ? undefined : contains(holidayCalendars.name, name);
      return {
        items: db
          .select()
          .from(holidayCalendars)
          .where(where)
          .orderBy(asc(holidayCalendars.name), asc(holidayCalendars.id))
          .limit(limit)
          .offset(offset)
          .all(),
        total: countRows(db, holidayCalendars, where),
      };
    },
    get,
    create: (input, actor) => {
      assertNameFree(input.name);
      return db
        .insert(holidayCalendars)
        .values({
          name: input.name,
          dates: normalizeDates(input.dates ?? []),
          ...created(actor, clock.now()),
        })
        .returning()
        .get();
    },
    update: (id, patch, actor) => {
      get(id);
      if (patch.name !== undefined) assertNameFree(patch.name, id);
      return db
        .update(holidayCalendars)
        .set({
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.dates !== undefined && { dates: normalizeDates(patch.dates) }),
          ...updated(actor, clock.now()),
        })
        .where(eq(holidayCalendars.id, id))
        .returning()
        .get();
    },
    usersOf,
    remove: (id) => {
      const calendar = get(id);
      const users = usersOf(id);
      if (users.length > 0)
        throw conflict(
          'holiday_calendar_in_use',
          `${calendar.name} is used by ${users.map((u) => `IVR ${u.name}`).join(', ')}`,
          users,
        );
      db.delete(holidayCalendars).where(eq(holidayCalendars.id, id)).run();
    },
  };
}
