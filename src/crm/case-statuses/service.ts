/**
 * Case statuses (§8-2 ステータス): the list a case's status is chosen from. Names are unique
 * (409 `name_taken`); the built-in 作業中 and 完了 can be renamed and reordered but not deleted
 * (409 `built_in`); a status some case (deleted ones too) has is not deleted (409
 * `status_in_use`, naming how many).
 */
import { asc, count, eq } from 'drizzle-orm';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/client.js';
import { created, updated } from '../../platform/db/columns.js';
import { conflict, notFound } from '../../platform/http/errors.js';
import { cases } from '../cases/schema.js';
import {
  BUILT_IN_CASE_STATUS_NAMES,
  BUILT_IN_CASE_STATUSES,
  caseStatuses,
  type BuiltInCaseStatus,
  type CaseStatusRow,
} from './schema.js';

export interface CaseStatusInput {
  name: string;
  position?: number | undefined;
}

export interface CaseStatusesService {
  /** Creates the built-in statuses if they are missing (at start). */
  ensureBuiltIns: () => void;
  /** Every status, in display order. */
  list: () => CaseStatusRow[];
  get: (id: number) => CaseStatusRow;
  find: (id: number) => CaseStatusRow | undefined;
  builtInId: (builtIn: BuiltInCaseStatus) => number;
  create: (input: CaseStatusInput, actor: string) => CaseStatusRow;
  update: (id: number, patch: Partial<CaseStatusInput>, actor: string) => CaseStatusRow;
  remove: (id: number) => void;
}

export function createCaseStatusesService(deps: { db: Db; clock: Clock }): CaseStatusesService {
  const { db, clock } = deps;

  const find = (id: number) => db.select().from(caseStatuses).where(eq(caseStatuses.id, id)).get();

  function get(id: number): CaseStatusRow {
    const row = find(id);
    if (row === undefined) throw notFound('Case status');
    return row;
  }

  function assertNameFree(name: string, except?: number): void {
    const holder = db
      .select({ id: caseStatuses.id })
      .from(caseStatuses)
      .where(eq(caseStatuses.name, name))
      .get();
    if (holder !== undefined && holder.id !== except)
      throw conflict('name_taken', `A case status is already named ${name}`);
  }

  return {
    ensureBuiltIns: () => {
      BUILT_IN_CASE_STATUSES.forEach((builtIn, position) => {
        const existing = db
          .select({ id: caseStatuses.id })
          .from(caseStatuses)
          .where(eq(caseStatuses.builtIn, builtIn))
          .get();
        if (existing !== undefined) return;
        db.insert(caseStatuses)
          .values({
            name: BUILT_IN_CASE_STATUS_NAMES[builtIn],
            position,
            builtIn,
            ...created('system', clock.now()),
          })
          .run();
      });
    },
    list: () =>
      db
        .select()
        .from(caseStatuses)
        .orderBy(asc(caseStatuses.position), asc(caseStatuses.id))
        .all(),
    get,
    find,
    builtInId: (builtIn) => {
      const row = db
        .select({ id: caseStatuses.id })
        .from(caseStatuses)
        .where(eq(caseStatuses.builtIn, builtIn))
        .get();
      if (row === undefined) throw new Error(`the built-in case status ${builtIn} is missing`);
      return row.id;
    },
    create: (input, actor) => {
      assertNameFree(input.name);
      return db
        .insert(caseStatuses)
        .values({
          name: input.name,
          position: input.position ?? 0,
          builtIn: null,
          ...created(actor, clock.now()),
        })
        .returning()
        .get();
    },
    update: (id, patch, actor) => {
      get(id);
      if (patch.name !== undefined) assertNameFree(patch.name, id);
      return db
        .update(caseStatuses)
        .set({
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.position !== undefined && { position: patch.position }),
          ...updated(actor, clock.now()),
        })
        .where(eq(caseStatuses.id, id))
        .returning()
        .get();
    },
    remove: (id) => {
      const status = get(id);
      if (status.builtIn !== null)
        throw conflict('built_in', `${status.name} is built in and cannot be deleted`);
      const held =
        db.select({ n: count() }).from(cases).where(eq(cases.statusId, id)).get()?.n ?? 0;
      if (held > 0)
        throw conflict(
          'status_in_use',
          `${held} case${held === 1 ? ' has' : 's have'} the status ${status.name}`,
          { cases: held },
        );
      db.delete(caseStatuses).where(eq(caseStatuses.id, id)).run();
    },
  };
}
