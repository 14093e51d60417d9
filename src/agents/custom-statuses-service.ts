/**
 * Custom statuses (§11-10): admin-defined statuses that all behave as paused, with the rules of
 * agents/status.ts (at most one login status and one after-call status).
 */
import { and, asc, eq, ne } from 'drizzle-orm';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/client.js';
import { created, updated } from '../platform/db/columns.js';
import { conflict, notFound } from '../platform/http/errors.js';
import { customStatuses, type CustomStatusRow } from './schema.js';
import type { StatusRule } from './status.js';

export interface CustomStatusInput {
  name: string;
  icon?: string | undefined;
  fontColor?: string | undefined;
  backgroundColor?: string | undefined;
  sortOrder?: number | undefined;
  onLogin?: boolean | undefined;
  afterCall?: boolean | undefined;
  afterCallSeconds?: number | undefined;
  toggle?: CustomStatusRow['toggle'] | undefined;
}

export interface CustomStatusesService {
  list(): CustomStatusRow[];
  get(id: number): CustomStatusRow;
  exists(id: number): boolean;
  rules(): StatusRule[];
  create(input: CustomStatusInput, actor: string): CustomStatusRow;
  update(id: number, patch: Partial<CustomStatusInput>, actor: string): CustomStatusRow;
  remove(id: number): void;
  onRemoved(listener: (id: number) => void): void;
}

export function createCustomStatusesService(db: Db, clock: Clock): CustomStatusesService {
  const removedListeners: ((id: number) => void)[] = [];
  // Read at every call's end (what the agent's status becomes): prepared once.
  const selectRules = db
    .select({
      id: customStatuses.id,
      onLogin: customStatuses.onLogin,
      afterCall: customStatuses.afterCall,
      afterCallSeconds: customStatuses.afterCallSeconds,
      toggle: customStatuses.toggle,
    })
    .from(customStatuses)
    .prepare();

  function get(id: number): CustomStatusRow {
    const row = db.select().from(customStatuses).where(eq(customStatuses.id, id)).get();
    if (row === undefined) throw notFound('Agent status');
    return row;
  }

  function assertRules(input: Partial<CustomStatusInput>, exceptId?: number): void {
    const others = exceptId === undefined ? undefined : ne(customStatuses.id, exceptId);
    if (input.name !== undefined) {
      const clash = db
        .select({ id: customStatuses.id })
        .from(customStatuses)
        .where(and(eq(customStatuses.name, input.name), others))
        .get();
      if (clash !== undefined)
        throw conflict('status_name_taken', `A status named "${input.name}" exists`);
    }
    if (input.onLogin === true) {
      const clash = db
        .select({ name: customStatuses.name })
        .from(customStatuses)
        .where(and(eq(customStatuses.onLogin, true), others))
        .get();
      if (clash !== undefined)
        throw conflict('login_status_taken', `"${clash.name}" is already the status at login`);
    }
    if (input.afterCall === true) {
      const clash = db
        .select({ name: customStatuses.name })
        .from(customStatuses)
        .where(and(eq(customStatuses.afterCall, true), others))
        .get();
      if (clash !== undefined)
        throw conflict(
          'after_call_status_taken',
          `"${clash.name}" is already the after-call status`,
        );
    }
  }

  return {
    list: () =>
      db
        .select()
        .from(customStatuses)
        .orderBy(asc(customStatuses.sortOrder), asc(customStatuses.id))
        .all(),
    get,
    exists: (id) =>
      db
        .select({ id: customStatuses.id })
        .from(customStatuses)
        .where(eq(customStatuses.id, id))
        .get() !== undefined,
    rules: () => selectRules.all(),
    create(input, actor) {
      assertRules(input);
      return db
        .insert(customStatuses)
        .values({ ...input, ...created(actor, clock.now()) })
        .returning()
        .get();
    },
    update(id, patch, actor) {
      get(id);
      assertRules(patch, id);
      return db
        .update(customStatuses)
        .set({ ...patch, ...updated(actor, clock.now()) })
        .where(eq(customStatuses.id, id))
        .returning()
        .get();
    },
    remove(id) {
      get(id);
      db.delete(customStatuses).where(eq(customStatuses.id, id)).run();
      for (const listener of removedListeners) listener(id);
    },
    onRemoved(listener) {
      removedListeners.push(listener);
    },
  };
}
