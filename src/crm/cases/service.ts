/**
 * Cases (案件, §8-2): create, read, change, soft delete and restore, bulk edit, and the moves
 * through a workflow — within what the caller may see (a case of a customer in a hidden format
 * is hidden: search.ts).
 *
 * Every save reads the case as it will be and refuses it with every value problem at once (422
 * `invalid_values`), or for a reference to nothing (422 `unknown_status`, `unknown_customer`,
 * `unknown_agent`, `unknown_tags`, `unknown_workflow`). A new case is 作業中 unless told. Giving
 * a case a workflow puts it at the workflow's first step; its buttons move it on (moves.ts), and
 * every move is logged in the transaction of the case's change: a refused change logs nothing.
 */
import { and, count, eq, isNull, sql } from 'drizzle-orm';
import { agents } from '../../accounts/schema.js';
import type { Clock } from '../../platform/clock.js';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { created, updated } from '../../platform/db/columns.js';
import { countRows } from '../../platform/db/query.js';
import { conflict, HttpError, notFound, unprocessable } from '../../platform/http/errors.js';
import type { Page, PageQuery } from '../../platform/http/pagination.js';
import { caseStatuses } from '../case-statuses/schema.js';
import type { CaseStatusesService } from '../case-statuses/service.js';
import type { CustomFieldsService } from '../custom-fields/service.js';
import { customers } from '../customers/schema.js';
import { mergeValues } from '../customers/values.js';
import { inScope, type FormatScope } from '../customers/visibility.js';
import type { FieldValue } from '../formats/field-types.js';
import { assertTagsExist } from '../tags/service.js';
import { assignWorkflow, movesOf, pressButton, type WorkflowPosition } from '../workflows/moves.js';
import { workflowMoves, type WorkflowMoveRow } from '../workflows/schema.js';
import { cases, caseTags, type CaseRow } from './schema.js';
import { caseScope, searchCases, type CaseFilter } from './search.js';
import { caseDisplayIdOf, caseViews, type CaseView } from './views.js';

export interface CaseInput {
  title: string;
  statusId?: number | undefined;
  customerId?: number | null | undefined;
  assigneeId?: number | null | undefined;
  details?: string | undefined;
  notes?: string | undefined;
  /** Custom field values by custom-field id; null removes one. */
  custom?: Record<string, string | null> | undefined;
  tagIds?: number[] | undefined;
  /** Gives the case this workflow (at its first step), or takes it away (null). */
  workflowId?: number | null | undefined;
}

export type CasePatch = Partial<CaseInput>;

export interface CaseBulkEdit {
  statusId?: number | undefined;
  assigneeId?: number | null | undefined;
  custom?: Record<string, string | null> | undefined;
  addTags?: number[] | undefined;
  removeTags?: number[] | undefined;
  workflowId?: number | null | undefined;
}

export interface CaseBulkEditError {
  id: number;
  displayId: string;
  code: string;
  message: string;
  details?: unknown;
}

export interface CasesService {
  list: (filter: CaseFilter & PageQuery, scope: FormatScope) => Page<CaseView>;
  get: (id: number, scope: FormatScope) => CaseView;
  /** The case's `#T` label for a chat link, or undefined if the reader may not see it. */
  find: (id: number, scope: FormatScope) => CaseView | undefined;
  create: (input: CaseInput, scope: FormatScope, actor: string) => CaseView;
  update: (id: number, patch: CasePatch, scope: FormatScope, actor: string) => CaseView;
  remove: (id: number, scope: FormatScope, actor: string) => CaseView;
  restore: (id: number, scope: FormatScope, actor: string) => CaseView;
  /** Every case changed, or none (422 `bulk_edit_refused` listing each refusal). */
  bulkEdit: (
    ids: number[],
    set: CaseBulkEdit,
    scope: FormatScope,
    actor: string,
  ) => { updated: number };
  /** Presses button `button` of the case's current step (moves.ts). */
  move: (
    id: number,
    move: { button: number; fromStepId?: number | undefined },
    scope: FormatScope,
    actor: string,
  ) => CaseView;
  moves: (id: number, page: PageQuery, scope: FormatScope) => Page<WorkflowMoveRow>;
}

export interface CasesDeps {
  db: Db;
  clock: Clock;
  statuses: CaseStatusesService;
  customFields: CustomFieldsService;
}

/** How many cases (deleted ones too) hold a workflow or a step: the workflows' delete checks. */
export function caseHolders(db: DbOrTx) {
  const countWhere = (where: ReturnType<typeof eq>) =>
    db.select({ n: count() }).from(cases).where(where).get()?.n ?? 0;
  return {
    onWorkflow: (workflowId: number) => countWhere(eq(cases.workflowId, workflowId)),
    inStep: (stepId: number) => countWhere(eq(cases.stepId, stepId)),
  };
}

const stringsOnly = (values: Record<string, FieldValue>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(values).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])),
  );

const positionOf = (c: CaseRow): WorkflowPosition => ({
  workflowId: c.workflowId,
  stepId: c.stepId,
  stepEnteredAt: c.stepEnteredAt,
});

export function createCasesService(deps: CasesDeps): CasesService {
  const { db, clock, statuses, customFields } = deps;

  function row(tx: DbOrTx, id: number, scope: FormatScope): CaseRow {
    const found = tx
      .select()
      .from(cases)
      .where(and(eq(cases.id, id), caseScope(scope)))
      .get();
    if (found === undefined) throw notFound('Case');
    return found;
  }

  function view(tx: DbOrTx, id: number): CaseView {
    const found = tx.select().from(cases).where(eq(cases.id, id)).get();
    const [shown] = found === undefined ? [] : caseViews(tx, [found]);
    if (shown === undefined) throw notFound('Case');
    return shown;
  }

  function assertStatus(tx: DbOrTx, statusId: number): void {
    const found = tx
      .select({ id: caseStatuses.id })
      .from(caseStatuses)
      .where(eq(caseStatuses.id, statusId))
      .get();
    if (found === undefined)
      throw unprocessable('unknown_status', `No case status ${statusId}`, { statusId });
  }

  /** A live customer the actor may see. */
  function assertCustomer(tx: DbOrTx, customerId: number, scope: FormatScope): void {
    const found = tx
      .select({ formatId: customers.formatId })
      .from(customers)
      .where(and(eq(customers.id, customerId), isNull(customers.deletedAt)))
      .get();
    if (found === undefined || !inScope(scope, found.formatId))
      throw unprocessable('unknown_customer', `No customer #C${customerId}`, { customerId });
  }

  function assertAgent(tx: DbOrTx, agentId: number): void {
    const found = tx.select({ id: agents.id }).from(agents).where(eq(agents.id, agentId)).get();
    if (found === undefined)
      throw unprocessable('unknown_agent', `No agent ${agentId}`, { assigneeId: agentId });
  }

  function tagIdsOf(tx: DbOrTx, caseId: number): number[] {
    return tx
      .select({ id: caseTags.tagId })
      .from(caseTags)
      .where(eq(caseTags.caseId, caseId))
      .all()
      .map((t) => t.id);
  }

  /** The new row values of `current` (null: a new case) after `input`, or every problem. */
  function prepare(tx: DbOrTx, current: CaseRow | null, input: CasePatch, scope: FormatScope) {
    const specs = customFields
      .ofCategory('case')
      .map((c) => ({ id: c.id, name: c.name, type: c.type, required: false, options: c.options }));
    const custom = mergeValues(specs, current?.custom ?? {}, input.custom ?? {}, 'custom');
    if (custom.problems.length > 0)
      throw unprocessable(
        'invalid_values',
        custom.problems.map((p) => p.message).join('; '),
        custom.problems,
      );
    const statusId = input.statusId ?? current?.statusId ?? statuses.builtInId('in_progress');
    if (input.statusId !== undefined) assertStatus(tx, input.statusId);
    if (
      input.customerId !== undefined &&
      input.customerId !== null &&
      input.customerId !== current?.customerId
    )
      assertCustomer(tx, input.customerId, scope);
    if (input.assigneeId !== undefined && input.assigneeId !== null)
      assertAgent(tx, input.assigneeId);
    if (input.tagIds !== undefined) assertTagsExist(tx, input.tagIds);
    return {
      title: input.title ?? current?.title ?? '',
      statusId,
      customerId: input.customerId !== undefined ? input.customerId : (current?.customerId ?? null),
      assigneeId: input.assigneeId !== undefined ? input.assigneeId : (current?.assigneeId ?? null),
      details: input.details ?? current?.details ?? '',
      notes: input.notes ?? current?.notes ?? '',
      custom: stringsOnly(custom.values),
    };
  }

  function writeTags(tx: DbOrTx, caseId: number, tagIds: readonly number[] | undefined): void {
    if (tagIds === undefined) return;
    tx.delete(caseTags).where(eq(caseTags.caseId, caseId)).run();
    const unique = [...new Set(tagIds)];
    if (unique.length > 0)
      tx.insert(caseTags)
        .values(unique.map((tagId) => ({ caseId, tagId })))
        .run();
  }

  function change(
    tx: DbOrTx,
    current: CaseRow,
    patch: CasePatch,
    scope: FormatScope,
    actor: string,
  ): void {
    const values = prepare(tx, current, patch, scope);
    const now = clock.now();
    const position =
      patch.workflowId === undefined
        ? positionOf(current)
        : assignWorkflow(
            tx,
            { caseId: current.id, actor, now },
            positionOf(current),
            patch.workflowId,
          );
    tx.update(cases)
      .set({ ...values, ...position, ...updated(actor, now) })
      .where(eq(cases.id, current.id))
      .run();
    writeTags(tx, current.id, patch.tagIds);
  }

  const live = (c: CaseRow) => {
    if (c.deletedAt !== null)
      throw conflict('case_deleted', `${caseDisplayIdOf(c.id)} is deleted`, { id: c.id });
  };

  return {
    list: (filter, scope) => {
      const page = searchCases(db, filter, scope);
      return { items: caseViews(db, page.items), total: page.total };
    },
    get: (id, scope) => {
      row(db, id, scope);
      return view(db, id);
    },
    find: (id, scope) => {
      const found = db
        .select()
        .from(cases)
        .where(and(eq(cases.id, id), caseScope(scope)))
        .get();
      return found === undefined ? undefined : caseViews(db, [found])[0];
    },
    create: (input, scope, actor) =>
      db.transaction((tx) => {
        const values = prepare(tx, null, input, scope);
        const now = clock.now();
        const inserted = tx
          .insert(cases)
          .values({ ...values, ...created(actor, now) })
          .returning({ id: cases.id })
          .get();
        if (input.workflowId !== undefined && input.workflowId !== null) {
          const position = assignWorkflow(
            tx,
            { caseId: inserted.id, actor, now },
            { workflowId: null, stepId: null, stepEnteredAt: null },
            input.workflowId,
          );
          tx.update(cases).set(position).where(eq(cases.id, inserted.id)).run();
        }
        writeTags(tx, inserted.id, input.tagIds ?? []);
        return view(tx, inserted.id);
      }),
    update: (id, patch, scope, actor) =>
      db.transaction((tx) => {
        const current = row(tx, id, scope);
        live(current);
        change(tx, current, patch, scope, actor);
        return view(tx, id);
      }),
    remove: (id, scope, actor) =>
      db.transaction((tx) => {
        const current = row(tx, id, scope);
        if (current.deletedAt === null)
          tx.update(cases)
            .set({ deletedAt: clock.now(), deletedBy: actor })
            .where(eq(cases.id, id))
            .run();
        return view(tx, id);
      }),
    restore: (id, scope, actor) =>
      db.transaction((tx) => {
        const current = row(tx, id, scope);
        if (current.deletedAt !== null)
          tx.update(cases)
            .set({ deletedAt: null, deletedBy: null, ...updated(actor, clock.now()) })
            .where(eq(cases.id, id))
            .run();
        return view(tx, id);
      }),
    bulkEdit: (ids, set, scope, actor) =>
      db.transaction((tx) => {
        const unique = [...new Set(ids)];
        if (set.addTags !== undefined) assertTagsExist(tx, set.addTags);
        if (set.removeTags !== undefined) assertTagsExist(tx, set.removeTags);
        const errors: CaseBulkEditError[] = [];
        for (const id of unique) {
          try {
            const current = row(tx, id, scope);
            live(current);
            const tagIds =
              set.addTags !== undefined || set.removeTags !== undefined
                ? [...tagIdsOf(tx, id), ...(set.addTags ?? [])].filter(
                    (t) => !(set.removeTags ?? []).includes(t),
                  )
                : undefined;
            change(
              tx,
              current,
              {
                ...(set.statusId !== undefined && { statusId: set.statusId }),
                ...(set.assigneeId !== undefined && { assigneeId: set.assigneeId }),
                ...(set.custom !== undefined && { custom: set.custom }),
                ...(set.workflowId !== undefined && { workflowId: set.workflowId }),
                ...(tagIds !== undefined && { tagIds }),
              },
              scope,
              actor,
            );
          } catch (err) {
            if (!(err instanceof HttpError)) throw err;
            errors.push({
              id,
              displayId: caseDisplayIdOf(id),
              code: err.code,
              message: err.message,
              ...(err.details !== undefined && { details: err.details }),
            });
          }
        }
        // Thrown inside the transaction: every change above (and every move logged) rolls back.
        if (errors.length > 0)
          throw unprocessable(
            'bulk_edit_refused',
            `${errors.length} of ${unique.length} cases cannot be changed so; none was`,
            errors,
          );
        return { updated: unique.length };
      }),
    move: (id, { button, fromStepId }, scope, actor) =>
      db.transaction((tx) => {
        const current = row(tx, id, scope);
        live(current);
        const now = clock.now();
        const position = pressButton(
          tx,
          { caseId: id, actor, now },
          positionOf(current),
          button,
          fromStepId,
        );
        tx.update(cases)
          .set({ ...position, ...updated(actor, now) })
          .where(eq(cases.id, id))
          .run();
        return view(tx, id);
      }),
    moves: (id, page, scope) => {
      row(db, id, scope);
      return {
        items: movesOf(db, id, page),
        total: countRows(db, workflowMoves, sql`${workflowMoves.caseId} = ${id}`),
      };
    },
  };
}
