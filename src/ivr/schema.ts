/**
 * IVRs (§11-3): a default routing (標準ルーティング), an optional schedule (予約: ordered rules of
 * a time range, weekday boxes and ★, each with its destination; specified dates, of the IVR's
 * own and of the holiday calendars it uses) and an optional button menu (ボタンルーティング: a
 * prompt and a destination per key), plus what the manual leaves out: keys 0 * #, the no-input
 * timeout and how many times the menu is heard before the default routing.
 *
 * Holiday calendars are shared lists of dates (祝日, 年末年始) that count as specified dates for
 * every IVR that uses them, besides the IVR's own list.
 *
 * Destinations are stored as their (type, target) text pair (destinations/destination.ts).
 */
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { audioFiles } from '../audio/schema.js';
import { DESTINATION_TYPES } from '../destinations/destination.js';
import { auditColumns } from '../platform/db/columns.js';
import type { Weekday } from './schedule.js';

export const holidayCalendars = sqliteTable('holiday_calendars', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  /** `YYYY-MM-DD` dates, sorted, as a JSON array. */
  dates: text('dates', { mode: 'json' }).$type<string[]>().notNull(),
  ...auditColumns(),
});

export const ivrs = sqliteTable('ivrs', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  /** 標準ルーティング: where a call goes when no rule and no key sends it elsewhere. */
  defaultRouteType: text('default_route_type', { enum: DESTINATION_TYPES }),
  defaultRouteTarget: text('default_route_target'),
  /** 予約: the rules are tried (ON) or skipped (OFF). */
  scheduleEnabled: integer('schedule_enabled', { mode: 'boolean' }).notNull().default(false),
  /** 指定日: `YYYY-MM-DD` dates, sorted, as a JSON array. */
  specifiedDates: text('specified_dates', { mode: 'json' }).$type<string[]>().notNull(),
  /** A holiday calendar whose dates are specified dates too. */
  holidayCalendarId: integer('holiday_calendar_id').references(() => holidayCalendars.id, {
    onDelete: 'set null',
  }),
  /** ボタンルーティング: the menu is played (ON) or not (OFF). */
  buttonsEnabled: integer('buttons_enabled', { mode: 'boolean' }).notNull().default(false),
  /** The menu's prompt (音声ファイル). */
  menuAudioFileId: integer('menu_audio_file_id').references(() => audioFiles.id),
  /** Seconds to wait for a key once the prompt has ended. */
  noInputSeconds: integer('no_input_seconds').notNull().default(5),
  /** How many times the menu is heard (after an invalid key or no key) before the default. */
  menuAttempts: integer('menu_attempts').notNull().default(3),
  ...auditColumns(),
});

export const ivrRules = sqliteTable(
  'ivr_rules',
  {
    ivrId: integer('ivr_id')
      .notNull()
      .references(() => ivrs.id, { onDelete: 'cascade' }),
    /** 1番, 2番 …: the order the rules are tried in, from 0. */
    position: integer('position').notNull(),
    /** `HH:MM`; equal ends cover the whole day; a range may cross midnight. */
    fromTime: text('from_time').notNull(),
    toTime: text('to_time').notNull(),
    /** The ticked weekday boxes (月 … 日), as a JSON array of mon … sun. */
    weekdays: text('weekdays', { mode: 'json' }).$type<Weekday[]>().notNull(),
    /** ★: the rule applies on specified dates. */
    specifiedDates: integer('specified_dates', { mode: 'boolean' }).notNull().default(false),
    routeType: text('route_type', { enum: DESTINATION_TYPES }).notNull(),
    routeTarget: text('route_target').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ivrId, t.position] })],
);

export const ivrKeys = sqliteTable(
  'ivr_keys',
  {
    ivrId: integer('ivr_id')
      .notNull()
      .references(() => ivrs.id, { onDelete: 'cascade' }),
    /** 1 … 9 (the manual's), 0, * or #. */
    key: text('key').notNull(),
    routeType: text('route_type', { enum: DESTINATION_TYPES }).notNull(),
    routeTarget: text('route_target').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.ivrId, t.key] }),
    index('ivr_keys_route').on(t.routeType, t.routeTarget),
  ],
);

export type IvrRow = typeof ivrs.$inferSelect;
export type IvrRuleRow = typeof ivrRules.$inferSelect;
export type IvrKeyRow = typeof ivrKeys.$inferSelect;
export type HolidayCalendarRow = typeof holidayCalendars.$inferSelect;
