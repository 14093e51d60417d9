/**
 * Workflows (§11-11) and their steps (§11-12): create, read, change, delete; the statistics
 * (§10-6) over the move log.
 *
 * Decided here: a workflow's name is unique, and a step's name within its workflow (409
 * `name_taken`); the first step and every button's next step are steps of the same workflow
 * (422 `unknown_step`); a step's audio file exists (422 `unknown_audio_file`). The first step
 * added becomes the first step. A step is not deleted while it is the first step, a button leads
 * to it or a case is in it, nor a workflow while a case has it (409 `step_in_use`,
 * `workflow_in_use`, naming what holds it). Loops are allowed: the manual forbids none.
 */
import { and, asc, eq, gte, inArray, isNotNull, lt } from 'drizzle-orm';
import type { AudioFileUser } from '../../audio/service.js';
import { audioFiles } from '../../audio/schema.js';
import type { Clock } from '../../platform/clock.js';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { created, updated } from '../../platform/db/columns.js';
import { contains, countRows } from '../../platform/db/query.js';
import { conflict, notFound, unprocessable } from '../../platform/http/errors.js';
import type { Page, PageQuery } from '../../platform/http/pagination.js';
import {
  workflowMoves,
  workflows,
  workflowSteps,
  type StepButton,
  type WorkflowRow,
  type WorkflowStepRow,
} from './schema.js';
import { workflowStatistics, type WorkflowStatistics } from './statistics.js';

export const DEFAULT_STEP_COLOR = '#56afe8';

export interface WorkflowInput {
  name: string;
}

export interface WorkflowPatch {
  name?: string | undefined;
  firstStepId?: number | null | undefined;
}

export interface StepInput {
  name: string;
  details?: string | undefined;
  audioFileId?: number | null | undefined;
  color?: string | undefined;
  buttons?: StepButton[] | undefined;
}

export interface WorkflowView extends WorkflowRow {
  firstStepName: string | null;
  steps: WorkflowStepRow[];
}

export interface WorkflowsService {
  list: (filter: PageQuery & { name?: string | undefined }) => Page<WorkflowView>;
  get: (id: number) => WorkflowView;
  create: (input: WorkflowInput, actor: string) => WorkflowView;
  update: (id: number, patch: WorkflowPatch, actor: string) => WorkflowView;
  remove: (id: number) => void;
  addStep: (workflowId: number, input: StepInput, actor: string) => WorkflowStepRow;
  updateStep: (
    workflowId: number,
    stepId: number,
    patch: Partial<StepInput>,
    actor: string,
  ) => WorkflowStepRow;
  removeStep: (workflowId: number, stepId: number) => void;
  /** The names of workflows and steps, for the case list's ワークフロー column. */
  names: (
    workflowIds: readonly number[],
    stepIds: readonly number[],
  ) => {
    workflows: Map<number, string>;
    steps: Map<number, string>;
  };
  /** The steps that play an audio file (for the audio module's in-use check). */
  playing: (audioFileId: number) => AudioFileUser[];
  statistics: (workflowId: number, range: { from: Date; to: Date }) => WorkflowStatistics;
}

/** Who, among the cases, holds a workflow or a step: the cases module answers. */
export interface CaseHolders {
  onWorkflow: (workflowId: number) => number;
  inStep: (stepId: number) => number;
}

export interface WorkflowsDeps {
  db: Db;
  clock: Clock;
  cases: CaseHolders;
}

export function createWorkflowsService(deps: WorkflowsDeps): WorkflowsService {
  const { db, clock, cases } = deps;

  function row(tx: DbOrTx, id: number): WorkflowRow {
    const found = tx.select().from(workflows).where(eq(workflows.id, id)).get();
    if (found === undefined) throw notFound('Workflow');
    return found;
  }

  function stepsOf(tx: DbOrTx, workflowId: number): WorkflowStepRow[] {
    return tx
      .select()
      .from(workflowSteps)
      .where(eq(workflowSteps.workflowId, workflowId))
      .orderBy(asc(workflowSteps.id))
      .all();
  }

  function view(tx: DbOrTx, w: WorkflowRow): WorkflowView {
    const steps = stepsOf(tx, w.id);
    return {
      ...w,
      firstStepName: steps.find((s) => s.id === w.firstStepId)?.name ?? null,
      steps,
    };
  }

  function stepRow(tx: DbOrTx, workflowId: number, stepId: number): WorkflowStepRow {
    const found = tx
      .select()
      .from(workflowSteps)
      .where(and(eq(workflowSteps.id, stepId), eq(workflowSteps.workflowId, workflowId)))
      .get();
    if (found === undefined) throw notFound('Workflow step');
    return found;
  }

  function assertWorkflowNameFree(tx: DbOrTx, name: string, except?: number): void {
    const holder = tx
      .select({ id: workflows.id })
      .from(workflows)
      .where(eq(workflows.name, name))
      .get();
    if (holder !== undefined && holder.id !== except)
      throw conflict('name_taken', `A workflow is already named ${name}`);
  }

  function assertStepNameFree(tx: DbOrTx, workflowId: number, name: string, except?: number) {
    const holder = tx
      .select({ id: workflowSteps.id })
      .from(workflowSteps)
      .where(and(eq(workflowSteps.workflowId, workflowId), eq(workflowSteps.name, name)))
      .get();
    if (holder !== undefined && holder.id !== except)
      throw conflict('name_taken', `The workflow already has a step named ${name}`);
  }

  /** 422 `unknown_step` unless every id is a step of the workflow. */
  function assertStepsOf(tx: DbOrTx, workflowId: number, ids: readonly number[], field: string) {
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return;
    const known = new Set(
      tx
        .select({ id: workflowSteps.id })
        .from(workflowSteps)
        .where(and(eq(workflowSteps.workflowId, workflowId), inArray(workflowSteps.id, wanted)))
        .all()
        .map((s) => s.id),
    );
    const unknown = wanted.filter((id) => !known.has(id));
    if (unknown.length > 0)
      throw unprocessable(
        'unknown_step',
        `No step ${unknown.join(', ')} in this workflow (${field})`,
        { field, stepIds: unknown },
      );
  }

  function assertAudioFile(tx: DbOrTx, audioFileId: number | null | undefined): void {
    if (audioFileId === null || audioFileId === undefined) return;
    const found = tx
      .select({ id: audioFiles.id })
      .from(audioFiles)
      .where(eq(audioFiles.id, audioFileId))
      .get();
    if (found === undefined)
      throw unprocessable('unknown_audio_file', `No audio file ${audioFileId}`, { audioFileId });
  }

  const nextIds = (buttons: readonly StepButton[]) =>
    buttons.flatMap((b) => (b.nextStepId === null ? [] : [b.nextStepId]));

  return {
    list: ({ limit, offset, name }) => {
      const where = name === undefined ? undefined : contains(workflows.name, name);
      const rows = db
        .select()
        .from(workflows)
        .where(where)
        .orderBy(asc(workflows.name), asc(workflows.id))
        .limit(limit)
        .offset(offset)
        .all();
      return { items: rows.map((w) => view(db, w)), total: countRows(db, workflows, where) };
    },
    get: (id) => view(db, row(db, id)),
    create: (input, actor) =>
      db.transaction((tx) => {
        // A new workflow has no steps: its first step is its first step added, or named later.
        assertWorkflowNameFree(tx, input.name);
        const inserted = tx
          .insert(workflows)
          .values({ name: input.name, firstStepId: null, ...created(actor, clock.now()) })
          .returning()
          .get();
        return view(tx, inserted);
      }),
    update: (id, patch, actor) =>
      db.transaction((tx) => {
        row(tx, id);
        if (patch.name !== undefined) assertWorkflowNameFree(tx, patch.name, id);
        if (patch.firstStepId !== undefined && patch.firstStepId !== null)
          assertStepsOf(tx, id, [patch.firstStepId], 'firstStepId');
        const changed = tx
          .update(workflows)
          .set({
            ...(patch.name !== undefined && { name: patch.name }),
            ...(patch.firstStepId !== undefined && { firstStepId: patch.firstStepId }),
            ...updated(actor, clock.now()),
          })
          .where(eq(workflows.id, id))
          .returning()
          .get();
        return view(tx, changed);
      }),
    remove: (id) => {
      const w = row(db, id);
      const held = cases.onWorkflow(id);
      if (held > 0)
        throw conflict(
          'workflow_in_use',
          `${held} case${held === 1 ? ' has' : 's have'} the workflow ${w.name}`,
          { cases: held },
        );
      db.delete(workflows).where(eq(workflows.id, id)).run();
    },
    addStep: (workflowId, input, actor) =>
      db.transaction((tx) => {
        const w = row(tx, workflowId);
        assertStepNameFree(tx, workflowId, input.name);
        const buttons = input.buttons ?? [];
        assertStepsOf(tx, workflowId, nextIds(buttons), 'buttons');
        assertAudioFile(tx, input.audioFileId);
        const now = clock.now();
        const step = tx
          .insert(workflowSteps)
          .values({
            workflowId,
            name: input.name,
            details: input.details ?? '',
            audioFileId: input.audioFileId ?? null,
            color: input.color ?? DEFAULT_STEP_COLOR,
            buttons,
            ...created(actor, now),
          })
          .returning()
          .get();
        tx.update(workflows)
          .set({ ...(w.firstStepId === null && { firstStepId: step.id }), ...updated(actor, now) })
          .where(eq(workflows.id, workflowId))
          .run();
        return step;
      }),
    updateStep: (workflowId, stepId, patch, actor) =>
      db.transaction((tx) => {
        stepRow(tx, workflowId, stepId);
        if (patch.name !== undefined) assertStepNameFree(tx, workflowId, patch.name, stepId);
        if (patch.buttons !== undefined)
          assertStepsOf(tx, workflowId, nextIds(patch.buttons), 'buttons');
        assertAudioFile(tx, patch.audioFileId);
        const now = clock.now();
        const step = tx
          .update(workflowSteps)
          .set({
            ...(patch.name !== undefined && { name: patch.name }),
            ...(patch.details !== undefined && { details: patch.details }),
            ...(patch.audioFileId !== undefined && { audioFileId: patch.audioFileId }),
            ...(patch.color !== undefined && { color: patch.color }),
            ...(patch.buttons !== undefined && { buttons: patch.buttons }),
            ...updated(actor, now),
          })
          .where(eq(workflowSteps.id, stepId))
          .returning()
          .get();
        tx.update(workflows).set(updated(actor, now)).where(eq(workflows.id, workflowId)).run();
        return step;
      }),
    removeStep: (workflowId, stepId) =>
      db.transaction((tx) => {
        const w = row(tx, workflowId);
        const step = stepRow(tx, workflowId, stepId);
        const holders: string[] = [];
        if (w.firstStepId === stepId) holders.push('the workflow’s first step');
        for (const other of stepsOf(tx, workflowId))
          other.buttons.forEach((b, i) => {
            if (b.nextStepId === stepId && other.id !== stepId)
              holders.push(`button ${i + 1} of ${other.name}`);
          });
        const inStep = cases.inStep(stepId);
        if (inStep > 0) holders.push(`${inStep} case${inStep === 1 ? '' : 's'} in it`);
        if (holders.length > 0)
          throw conflict('step_in_use', `${step.name} is held by ${holders.join(', ')}`, {
            holders,
          });
        tx.delete(workflowSteps).where(eq(workflowSteps.id, stepId)).run();
      }),
    names: (workflowIds, stepIds) => ({
      workflows: new Map(
        workflowIds.length === 0
          ? []
          : db
              .select({ id: workflows.id, name: workflows.name })
              .from(workflows)
              .where(inArray(workflows.id, [...new Set(workflowIds)]))
              .all()
              .map((w) => [w.id, w.name]),
      ),
      steps: new Map(
        stepIds.length === 0
          ? []
          : db
              .select({ id: workflowSteps.id, name: workflowSteps.name })
              .from(workflowSteps)
              .where(inArray(workflowSteps.id, [...new Set(stepIds)]))
              .all()
              .map((s) => [s.id, s.name]),
      ),
    }),
    playing: (audioFileId) =>
      db
        .select({ id: workflowSteps.id, step: workflowSteps.name, workflow: workflows.name })
        .from(workflowSteps)
        .innerJoin(workflows, eq(workflows.id, workflowSteps.workflowId))
        .where(eq(workflowSteps.audioFileId, audioFileId))
        .all()
        .map((s) => ({
          kind: 'workflow_step',
          id: s.id,
          name: `${s.workflow}-${s.step}`,
          field: 'audioFileId',
        })),
    statistics: (workflowId, range) => {
      const w = view(db, row(db, workflowId));
      const stays = db
        .select({
          stepId: workflowMoves.fromStepId,
          stepName: workflowMoves.fromStepName,
          enteredAt: workflowMoves.fromEnteredAt,
          leftAt: workflowMoves.at,
        })
        .from(workflowMoves)
        .where(
          and(
            eq(workflowMoves.workflowId, workflowId),
            gte(workflowMoves.at, range.from),
            lt(workflowMoves.at, range.to),
            isNotNull(workflowMoves.fromStepId),
          ),
        )
        .orderBy(asc(workflowMoves.id))
        .all()
        .flatMap((m) =>
          m.stepId === null || m.enteredAt === null
            ? []
            : [
                {
                  stepId: m.stepId,
                  stepName: m.stepName ?? '',
                  enteredAt: m.enteredAt,
                  leftAt: m.leftAt,
                },
              ],
        );
      return workflowStatistics(w.steps, stays, range);
    },
  };
}
