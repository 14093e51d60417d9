/**
 * How a case moves through its workflow (§11-11/12), and the log of it. A case given a workflow
 * enters its first step; a button of the current step leads to its next step, or to the end
 * (the case keeps the workflow, at no step); taking the workflow away, or giving another, leaves
 * the current step. Every one of these writes one row of the move log (who, when, from which step
 * entered when, by which button, to which step), in the transaction of the case's own change.
 *
 * The cases module calls these with the case's workflow state and stores what they return; the
 * workflows module knows nothing of cases beyond their id.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { conflict, unprocessable } from '../../platform/http/errors.js';
import { workflowMoves, workflows, workflowSteps, type WorkflowStepRow } from './schema.js';

/** Where a case stands in its workflow. */
export interface WorkflowPosition {
  workflowId: number | null;
  stepId: number | null;
  stepEnteredAt: Date | null;
}

export const NO_WORKFLOW: WorkflowPosition = {
  workflowId: null,
  stepId: null,
  stepEnteredAt: null,
};

interface MoveContext {
  caseId: number;
  actor: string;
  now: Date;
}

function stepOf(tx: DbOrTx, workflowId: number, stepId: number): WorkflowStepRow | undefined {
  return tx
    .select()
    .from(workflowSteps)
    .where(and(eq(workflowSteps.id, stepId), eq(workflowSteps.workflowId, workflowId)))
    .get();
}

function log(
  tx: DbOrTx,
  ctx: MoveContext,
  workflowId: number,
  from: { step: WorkflowStepRow | undefined; enteredAt: Date | null },
  button: { number: number; label: string } | null,
  to: WorkflowStepRow | undefined,
): void {
  tx.insert(workflowMoves)
    .values({
      caseId: ctx.caseId,
      workflowId,
      fromStepId: from.step?.id ?? null,
      fromStepName: from.step?.name ?? null,
      fromEnteredAt: from.step === undefined ? null : from.enteredAt,
      button: button?.number ?? null,
      buttonLabel: button?.label ?? null,
      toStepId: to?.id ?? null,
      toStepName: to?.name ?? null,
      at: ctx.now,
      by: ctx.actor,
    })
    .run();
}

/** Leaves the current step (if any) without a button: the workflow is taken away or replaced. */
function leave(tx: DbOrTx, ctx: MoveContext, current: WorkflowPosition): void {
  if (current.workflowId === null || current.stepId === null) return;
  const step = stepOf(tx, current.workflowId, current.stepId);
  log(tx, ctx, current.workflowId, { step, enteredAt: current.stepEnteredAt }, null, undefined);
}

/**
 * The case's position after it is given `workflowId` (null: none): the same workflow changes
 * nothing; another one is entered at its first step (422 `unknown_workflow`,
 * `workflow_has_no_steps`).
 */
export function assignWorkflow(
  tx: DbOrTx,
  ctx: MoveContext,
  current: WorkflowPosition,
  workflowId: number | null,
): WorkflowPosition {
  if (workflowId === current.workflowId) return current;
  if (workflowId === null) {
    leave(tx, ctx, current);
    return NO_WORKFLOW;
  }
  const workflow = tx.select().from(workflows).where(eq(workflows.id, workflowId)).get();
  if (workflow === undefined)
    throw unprocessable('unknown_workflow', `No workflow ${workflowId}`, { workflowId });
  const first =
    workflow.firstStepId === null ? undefined : stepOf(tx, workflowId, workflow.firstStepId);
  if (first === undefined)
    throw unprocessable('workflow_has_no_steps', `${workflow.name} has no first step`, {
      workflowId,
    });
  leave(tx, ctx, current);
  log(tx, ctx, workflowId, { step: undefined, enteredAt: null }, null, first);
  return { workflowId, stepId: first.id, stepEnteredAt: ctx.now };
}

/**
 * The case's position after pressing button `button` (1–4) of its current step. 409
 * `no_workflow`, `workflow_ended` (at no step), `step_changed` (the caller saw another step
 * than the case is in); 422 `unknown_button` (the step has no such button).
 */
export function pressButton(
  tx: DbOrTx,
  ctx: MoveContext,
  current: WorkflowPosition,
  button: number,
  seenStepId: number | undefined,
): WorkflowPosition {
  if (current.workflowId === null) throw conflict('no_workflow', 'The case has no workflow');
  if (current.stepId === null)
    throw conflict('workflow_ended', 'The case is at the end of its workflow');
  if (seenStepId !== undefined && seenStepId !== current.stepId)
    throw conflict('step_changed', 'The case has moved to another step since', {
      stepId: current.stepId,
    });
  const step = stepOf(tx, current.workflowId, current.stepId);
  if (step === undefined) throw conflict('workflow_ended', 'The case’s step no longer exists');
  const pressed = step.buttons[button - 1];
  if (pressed === undefined)
    throw unprocessable('unknown_button', `${step.name} has no button ${button}`, {
      button,
      buttons: step.buttons.length,
    });
  const next =
    pressed.nextStepId === null ? undefined : stepOf(tx, current.workflowId, pressed.nextStepId);
  log(
    tx,
    ctx,
    current.workflowId,
    { step, enteredAt: current.stepEnteredAt },
    { number: button, label: pressed.label },
    next,
  );
  return next === undefined
    ? { workflowId: current.workflowId, stepId: null, stepEnteredAt: null }
    : { workflowId: current.workflowId, stepId: next.id, stepEnteredAt: ctx.now };
}

/** The case's moves, oldest first. */
export function movesOf(tx: DbOrTx, caseId: number, page: { limit: number; offset: number }) {
  return tx
    .select()
    .from(workflowMoves)
    .where(eq(workflowMoves.caseId, caseId))
    .orderBy(asc(workflowMoves.id))
    .limit(page.limit)
    .offset(page.offset)
    .all();
}
