/**
 * IVRs (§11-3): CRUD of an IVR with its default routing, its schedule (ordered rules, specified
 * dates, a holiday calendar) and its button menu (a prompt, a destination per key), each
 * replaced as a whole when given; and, for the IVR runner, `find`: the whole IVR as a call
 * needs it, with its specified dates merged with its calendar's.
 *
 * A save is checked as a whole before anything is written, so a refused one changes nothing:
 * every destination given must exist (destinations/exists.ts), so must the prompt and the
 * calendar; a rule must tick a weekday or ★; the menu needs its prompt; and the IVR as saved must
 * not close a loop of IVRs (loops.ts). An IVR that a DID, a group or another IVR sends calls to
 * is not deleted (409 naming them).
 *
 * Nothing is kept in memory: a call reads its IVR once on entering it (a handful of indexed
 * reads), so an edit applies to the next call without anyone being told.
 */
import { and, asc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { AudioFileUser } from '../audio/service.js';
import { assertAudioFiles } from '../audio/sounds.js';
import {
  destinationColumns,
  destinationOf,
  type Destination,
  type DestinationType,
} from '../destinations/destination.js';
import { assertDestination } from '../destinations/exists.js';
import { phoneNumbers } from '../numbers/schema.js';
import type { Clock } from '../platform/clock.js';
import type { Db, DbOrTx } from '../platform/db/client.js';
import { created, updated } from '../platform/db/columns.js';
import { contains, countRows } from '../platform/db/query.js';
import { conflict, notFound, unprocessable } from '../platform/http/errors.js';
import type { Page, PageQuery } from '../platform/http/pagination.js';
import { groups } from '../queues/schema.js';
import { normalizeDates } from './dates.js';
import { assertNoIvrLoop } from './loops.js';
import { MENU_KEYS, type MenuKey } from './menu.js';
import { WEEKDAYS, type ScheduleRule, type Weekday } from './schedule.js';
import { holidayCalendars, ivrKeys, ivrRules, ivrs, type IvrRow } from './schema.js';

/** A schedule rule (1番, 2番 …) and where it sends calls. */
export interface IvrRule extends ScheduleRule {
  weekdays: Weekday[];
  destination: Destination;
}

/** Each key's destination; a key without one is an invalid entry. */
export type IvrKeys = Partial<Record<MenuKey, Destination>>;

/** 予約. */
export interface IvrSchedule {
  enabled: boolean;
  /** In the order they are tried. */
  rules: IvrRule[];
  /** The IVR's own specified dates (指定日), `YYYY-MM-DD`, sorted. */
  specifiedDates: string[];
  holidayCalendarId: number | null;
}

/** ボタンルーティング. */
export interface IvrButtons {
  enabled: boolean;
  /** The menu's prompt; set whenever the menu is on. */
  menuAudioFileId: number | null;
  keys: IvrKeys;
  /** Seconds to wait for a key once the prompt has ended. */
  noInputSeconds: number;
  /** How many times the menu is heard before the default routing. */
  attempts: number;
}

/** An IVR as the API shows it and the IVR runner plays it. */
export interface IvrView {
  id: number;
  name: string;
  /** 標準ルーティング: where a call goes when no rule and no key sends it elsewhere. */
  defaultRoute: Destination | null;
  schedule: IvrSchedule;
  buttons: IvrButtons;
  /**
   * Whether a `YYYY-MM-DD` is a specified date of this IVR: one of its own, or of its holiday
   * calendar (as matchingRule in schedule.ts asks).
   */
  isSpecifiedDate: (date: string) => boolean;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  updatedBy: string;
}

/** An IVR as its list shows it (名称, 予約, ボタン, 更新). */
export interface IvrSummary {
  id: number;
  name: string;
  scheduleEnabled: boolean;
  buttonsEnabled: boolean;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  updatedBy: string;
}

export interface IvrRuleInput {
  from: string;
  to: string;
  /** Repeats and order do not matter: stored once each, Monday first. */
  weekdays: Weekday[];
  specifiedDates: boolean;
  destination: Destination;
}

export interface IvrInput {
  name: string;
  defaultRoute?: Destination | null | undefined;
  schedule?:
    | {
        enabled?: boolean | undefined;
        rules?: IvrRuleInput[] | undefined;
        specifiedDates?: string[] | undefined;
        holidayCalendarId?: number | null | undefined;
      }
    | undefined;
  buttons?:
    | {
        enabled?: boolean | undefined;
        menuAudioFileId?: number | null | undefined;
        keys?: IvrKeys | undefined;
        noInputSeconds?: number | undefined;
        attempts?: number | undefined;
      }
    | undefined;
}

/** What a patch gives replaces what was there; rules, keys and dates as a whole. */
export type IvrPatch = Partial<IvrInput>;

export interface IvrFilter extends PageQuery {
  name?: string | undefined;
}

/** Something that sends calls to an IVR, as a 409 names it. */
export interface IvrUser {
  kind: 'phone_number' | 'group' | 'ivr';
  id: number;
  name: string;
  /** Which of its settings names the IVR: `route`, `overflow`, `defaultRoute`, `rule 2`, `key 0` … */
  field: string;
}

export interface IvrsService {
  list(filter: IvrFilter): Page<IvrSummary>;
  get(id: number): IvrView;
  /** The IVR if it exists: for the IVR runner, on each call that enters it. */
  find(id: number): IvrView | undefined;
  create(input: IvrInput, actor: string): IvrView;
  update(id: number, patch: IvrPatch, actor: string): IvrView;
  /** What sends calls to the IVR now. */
  usersOf(id: number): IvrUser[];
  /** Deletes an IVR nothing sends calls to; 409 `ivr_in_use` naming them otherwise. */
  remove(id: number): void;
  /** The IVRs that play an audio file (menu prompt, audio or voicemail destinations). */
  playing(audioFileId: number): AudioFileUser[];
}

export interface IvrsDeps {
  db: Db;
  clock: Clock;
}

const DEFAULT_NO_INPUT_SECONDS = 5;
const DEFAULT_ATTEMPTS = 3;

const byWeekday = (weekdays: readonly Weekday[]): Weekday[] =>
  WEEKDAYS.filter((day) => weekdays.includes(day));

/** Everything an IVR's row and its rules and keys hold, before it is written. */
interface IvrState {
  name: string;
  defaultRoute: Destination | null;
  schedule: Omit<IvrSchedule, 'rules'> & { rules: IvrRuleInput[] };
  buttons: IvrButtons;
}

function stateOf(input: IvrInput, base?: IvrView): IvrState {
  const schedule = input.schedule ?? {};
  const buttons = input.buttons ?? {};
  return {
    name: input.name,
    defaultRoute:
      input.defaultRoute !== undefined ? input.defaultRoute : (base?.defaultRoute ?? null),
    schedule: {
      enabled: schedule.enabled ?? base?.schedule.enabled ?? false,
      rules: schedule.rules ?? base?.schedule.rules ?? [],
      specifiedDates: normalizeDates(
        schedule.specifiedDates ?? base?.schedule.specifiedDates ?? [],
      ),
      holidayCalendarId:
        schedule.holidayCalendarId !== undefined
          ? schedule.holidayCalendarId
          : (base?.schedule.holidayCalendarId ?? null),
    },
    buttons: {
      enabled: buttons.enabled ?? base?.buttons.enabled ?? false,
      menuAudioFileId:
        buttons.menuAudioFileId !== undefined
          ? buttons.menuAudioFileId
          : (base?.buttons.menuAudioFileId ?? null),
      keys: buttons.keys ?? base?.buttons.keys ?? {},
      noInputSeconds:
        buttons.noInputSeconds ?? base?.buttons.noInputSeconds ?? DEFAULT_NO_INPUT_SECONDS,
      attempts: buttons.attempts ?? base?.buttons.attempts ?? DEFAULT_ATTEMPTS,
    },
  };
}

/** Every destination an IVR names: its default, its rules', its keys'. */
function routesOf(state: IvrState): Destination[] {
  return [
    ...(state.defaultRoute === null ? [] : [state.defaultRoute]),
    ...state.schedule.rules.map((rule) => rule.destination),
    ...Object.values(state.buttons.keys),
  ];
}

function rowOf(state: IvrState) {
  const { type, target } = destinationColumns(state.defaultRoute);
  return {
    name: state.name,
    defaultRouteType: type,
    defaultRouteTarget: target,
    scheduleEnabled: state.schedule.enabled,
    specifiedDates: state.schedule.specifiedDates,
    holidayCalendarId: state.schedule.holidayCalendarId,
    buttonsEnabled: state.buttons.enabled,
    menuAudioFileId: state.buttons.menuAudioFileId,
    noInputSeconds: state.buttons.noInputSeconds,
    menuAttempts: state.buttons.attempts,
  };
}

/** A rule's or a key's destination as its row keeps it. */
function routeColumns(destination: Destination): {
  routeType: DestinationType;
  routeTarget: string;
} {
  return { routeType: destination.type, routeTarget: destinationColumns(destination).target ?? '' };
}

/** A stored route back as a destination; the columns are never null for rules and keys. */
function storedRoute(row: { routeType: DestinationType; routeTarget: string }): Destination {
  const destination = destinationOf({ type: row.routeType, target: row.routeTarget });
  if (destination === null) throw new Error('a stored IVR route without its target');
  return destination;
}

export function createIvrsService(deps: IvrsDeps): IvrsService {
  const { db, clock } = deps;

  // Read on every call that enters an IVR: prepared once.
  const selectIvr = db
    .select()
    .from(ivrs)
    .where(eq(ivrs.id, sql.placeholder('id')))
    .prepare();
  const selectRules = db
    .select()
    .from(ivrRules)
    .where(eq(ivrRules.ivrId, sql.placeholder('id')))
    .orderBy(asc(ivrRules.position))
    .prepare();
  const selectKeys = db
    .select()
    .from(ivrKeys)
    .where(eq(ivrKeys.ivrId, sql.placeholder('id')))
    .prepare();
  const selectCalendarDates = db
    .select({ dates: holidayCalendars.dates })
    .from(holidayCalendars)
    .where(eq(holidayCalendars.id, sql.placeholder('id')))
    .prepare();

  function viewOf(row: IvrRow): IvrView {
    const rules = selectRules.all({ id: row.id }).map((rule) => ({
      from: rule.fromTime,
      to: rule.toTime,
      weekdays: rule.weekdays,
      specifiedDates: rule.specifiedDates,
      destination: storedRoute(rule),
    }));
    const stored = new Map(selectKeys.all({ id: row.id }).map((k) => [k.key, storedRoute(k)]));
    const keys: IvrKeys = {};
    for (const key of MENU_KEYS) {
      const destination = stored.get(key);
      if (destination !== undefined) keys[key] = destination;
    }
    const calendarDates =
      row.holidayCalendarId === null
        ? []
        : (selectCalendarDates.get({ id: row.holidayCalendarId })?.dates ?? []);
    const specified = new Set([...row.specifiedDates, ...calendarDates]);
    return {
      id: row.id,
      name: row.name,
      defaultRoute: destinationOf({ type: row.defaultRouteType, target: row.defaultRouteTarget }),
      schedule: {
        enabled: row.scheduleEnabled,
        rules,
        specifiedDates: row.specifiedDates,
        holidayCalendarId: row.holidayCalendarId,
      },
      buttons: {
        enabled: row.buttonsEnabled,
        menuAudioFileId: row.menuAudioFileId,
        keys,
        noInputSeconds: row.noInputSeconds,
        attempts: row.menuAttempts,
      },
      isSpecifiedDate: (date) => specified.has(date),
      createdAt: row.createdAt,
      createdBy: row.createdBy,
      updatedAt: row.updatedAt,
      updatedBy: row.updatedBy,
    };
  }

  function find(id: number): IvrView | undefined {
    const row = selectIvr.get({ id });
    return row === undefined ? undefined : viewOf(row);
  }

  function get(id: number): IvrView {
    const view = find(id);
    if (view === undefined) throw notFound('IVR');
    return view;
  }

  function assertNameFree(name: string, except?: number): void {
    const holder = db.select({ id: ivrs.id }).from(ivrs).where(eq(ivrs.name, name)).get();
    if (holder !== undefined && holder.id !== except)
      throw conflict('name_taken', `An IVR is already named ${name}`);
  }

  /**
   * Refuses what the input gives that cannot be saved: only what it gives is looked up (a
   * destination kept from before is not asked about again), while the rules about the whole are
   * checked on `state`, the IVR as it would be. `self` is the IVR being changed.
   */
  function assertSavable(input: IvrPatch, state: IvrState, self?: number): void {
    if (input.name !== undefined) assertNameFree(input.name, self);
    const calendarId = input.schedule?.holidayCalendarId;
    if (
      calendarId !== undefined &&
      calendarId !== null &&
      selectCalendarDates.get({ id: calendarId }) === undefined
    )
      throw unprocessable('unknown_holiday_calendar', `There is no holiday calendar ${calendarId}`);
    assertAudioFiles(db, [input.buttons?.menuAudioFileId]);
    const given = [
      input.defaultRoute,
      ...(input.schedule?.rules ?? []).map((rule) => rule.destination),
      ...Object.values(input.buttons?.keys ?? {}),
    ];
    for (const destination of given) assertDestination(db, destination);
    (input.schedule?.rules ?? []).forEach((rule, index) => {
      if (rule.weekdays.length === 0 && !rule.specifiedDates)
        throw unprocessable(
          'empty_rule',
          `Rule ${index + 1} ticks no weekday and not ★: it would never apply`,
          { rule: index + 1 },
        );
    });
    if (state.buttons.enabled && state.buttons.menuAudioFileId === null)
      throw unprocessable(
        'menu_prompt_required',
        'Button routing needs a prompt: give menuAudioFileId, or turn the buttons off',
      );
  }

  /** Replaces the rules and the keys that are given. */
  function writeRoutes(
    tx: DbOrTx,
    ivrId: number,
    rules: readonly IvrRuleInput[] | undefined,
    keys: IvrKeys | undefined,
  ): void {
    if (rules !== undefined) {
      tx.delete(ivrRules).where(eq(ivrRules.ivrId, ivrId)).run();
      if (rules.length > 0)
        tx.insert(ivrRules)
          .values(
            rules.map((rule, position) => ({
              ivrId,
              position,
              fromTime: rule.from,
              toTime: rule.to,
              weekdays: byWeekday(rule.weekdays),
              specifiedDates: rule.specifiedDates,
              ...routeColumns(rule.destination),
            })),
          )
          .run();
    }
    if (keys !== undefined) {
      tx.delete(ivrKeys).where(eq(ivrKeys.ivrId, ivrId)).run();
      const values = MENU_KEYS.flatMap((key) => {
        const destination = keys[key];
        return destination === undefined ? [] : [{ ivrId, key, ...routeColumns(destination) }];
      });
      if (values.length > 0) tx.insert(ivrKeys).values(values).run();
    }
  }

  /** The IVRs, with the field, whose default, rules or keys send calls to these destinations. */
  function routingTo(types: readonly DestinationType[], target: string): IvrUser[] {
    const ivrName = new Map<number, string>();
    const nameOf = (id: number) => {
      let name = ivrName.get(id);
      if (name === undefined) {
        name = db.select({ name: ivrs.name }).from(ivrs).where(eq(ivrs.id, id)).get()?.name ?? '';
        ivrName.set(id, name);
      }
      return name;
    };
    const defaults = db
      .select({ id: ivrs.id, name: ivrs.name })
      .from(ivrs)
      .where(and(inArray(ivrs.defaultRouteType, types), eq(ivrs.defaultRouteTarget, target)))
      .orderBy(asc(ivrs.id))
      .all()
      .map((ivr): IvrUser => ({ kind: 'ivr', ...ivr, field: 'defaultRoute' }));
    const rules = db
      .select({ id: ivrRules.ivrId, position: ivrRules.position })
      .from(ivrRules)
      .where(and(inArray(ivrRules.routeType, types), eq(ivrRules.routeTarget, target)))
      .orderBy(asc(ivrRules.ivrId), asc(ivrRules.position))
      .all()
      .map((rule): IvrUser => ({
        kind: 'ivr',
        id: rule.id,
        name: nameOf(rule.id),
        field: `rule ${rule.position + 1}`,
      }));
    const keys = db
      .select({ id: ivrKeys.ivrId, key: ivrKeys.key })
      .from(ivrKeys)
      .where(and(inArray(ivrKeys.routeType, types), eq(ivrKeys.routeTarget, target)))
      .orderBy(asc(ivrKeys.ivrId))
      .all()
      .map((key): IvrUser => ({
        kind: 'ivr',
        id: key.id,
        name: nameOf(key.id),
        field: `key ${key.key}`,
      }));
    return [...defaults, ...rules, ...keys];
  }

  function usersOf(id: number): IvrUser[] {
    const target = String(id);
    const numbers = db
      .select({ id: phoneNumbers.id, number: phoneNumbers.number })
      .from(phoneNumbers)
      .where(and(eq(phoneNumbers.routeType, 'ivr'), eq(phoneNumbers.routeTarget, target)))
      .orderBy(asc(phoneNumbers.number))
      .all()
      .map((n): IvrUser => ({ kind: 'phone_number', id: n.id, name: n.number, field: 'route' }));
    const diverting = db
      .select()
      .from(groups)
      .where(
        or(
          and(eq(groups.overflowRouteType, 'ivr'), eq(groups.overflowRouteTarget, target)),
          and(eq(groups.timeoutRouteType, 'ivr'), eq(groups.timeoutRouteTarget, target)),
        ),
      )
      .orderBy(asc(groups.id))
      .all()
      .flatMap((group) =>
        (['overflow', 'timeout'] as const)
          .filter((field) => group[`${field}RouteType`] === 'ivr')
          .filter((field) => group[`${field}RouteTarget`] === target)
          .map((field): IvrUser => ({ kind: 'group', id: group.id, name: group.name, field })),
      );
    const ivrsHere = routingTo(['ivr'], target).filter((user) => user.id !== id);
    return [...numbers, ...diverting, ...ivrsHere];
  }

  return {
    list: ({ limit, offset, name }) => {
      const where: SQL | undefined = name === undefined ? undefined : contains(ivrs.name, name);
      const rows = db
        .select({
          id: ivrs.id,
          name: ivrs.name,
          scheduleEnabled: ivrs.scheduleEnabled,
          buttonsEnabled: ivrs.buttonsEnabled,
          createdAt: ivrs.createdAt,
          createdBy: ivrs.createdBy,
          updatedAt: ivrs.updatedAt,
          updatedBy: ivrs.updatedBy,
        })
        .from(ivrs)
        .where(where)
        .orderBy(asc(ivrs.name), asc(ivrs.id))
        .limit(limit)
        .offset(offset)
        .all();
      return { items: rows, total: countRows(db, ivrs, where) };
    },
    get,
    find,
    create: (input, actor) => {
      const state = stateOf(input);
      assertSavable(input, state);
      // A new IVR closes no loop: nothing can send calls to it yet.
      const id = db.transaction((tx) => {
        const row = tx
          .insert(ivrs)
          .values({ ...rowOf(state), ...created(actor, clock.now()) })
          .returning({ id: ivrs.id })
          .get();
        writeRoutes(tx, row.id, state.schedule.rules, state.buttons.keys);
        return row.id;
      });
      return get(id);
    },
    update: (id, patch, actor) => {
      const before = get(id);
      const state = stateOf({ ...patch, name: patch.name ?? before.name }, before);
      assertSavable(patch, state, id);
      // Only a change of where calls go can close a loop (the others were refused when closed).
      if (
        patch.defaultRoute !== undefined ||
        patch.schedule?.rules !== undefined ||
        patch.buttons?.keys !== undefined
      )
        assertNoIvrLoop(db, { kind: 'ivr', id, name: state.name, routes: routesOf(state) });
      db.transaction((tx) => {
        tx.update(ivrs)
          .set({ ...rowOf(state), ...updated(actor, clock.now()) })
          .where(eq(ivrs.id, id))
          .run();
        writeRoutes(tx, id, patch.schedule?.rules, patch.buttons?.keys);
      });
      return get(id);
    },
    usersOf,
    remove: (id) => {
      const ivr = get(id);
      const users = usersOf(id);
      if (users.length > 0)
        throw conflict(
          'ivr_in_use',
          `Calls are sent to ${ivr.name} by ${users
            .map((u) => `${u.kind === 'phone_number' ? 'DID' : u.kind} ${u.name} (${u.field})`)
            .join(', ')}`,
          users,
        );
      db.delete(ivrs).where(eq(ivrs.id, id)).run();
    },
    playing: (audioFileId) => {
      const menus = db
        .select({ id: ivrs.id, name: ivrs.name })
        .from(ivrs)
        .where(eq(ivrs.menuAudioFileId, audioFileId))
        .orderBy(asc(ivrs.id))
        .all()
        .map((ivr): AudioFileUser => ({ kind: 'ivr', ...ivr, field: 'menu' }));
      return [...menus, ...routingTo(['audio', 'voicemail'], String(audioFileId))];
    },
  };
}
