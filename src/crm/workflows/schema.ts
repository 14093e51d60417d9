/**
 * Workflows (ワークフロー, §11-11) and their steps (ワークフローステップ, §11-12). A step has up to
 * four buttons (ボタン1–4), each leading to a next step of the same workflow (次のステップ1–4) or
 * to the end (未設定/終了). The manual forbids no loop, so a button may lead back to an earlier
 * step (a rework) or to its own step.
 *
 * The workflow's first step and the buttons' next steps point at steps by id without a foreign
 * key (a workflow and its steps point at each other); the service keeps them within the
 * workflow and refuses to delete a step anything points at.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { audioFiles } from '../../audio/schema.js';
import { auditColumns, instant } from '../../platform/db/columns.js';

export const MAX_STEP_BUTTONS = 4;

export interface StepButton {
  /** ボタン: the label, e.g. 次へ. */
  label: string;
  /** 次のステップ: a step of the same workflow, or null for the end (終了). */
  nextStepId: number | null;
}

export const workflows = sqliteTable(
  'workflows',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** ワークフロー名称. */
    name: text('name').notNull(),
    /** 最初のステップ: where a case given the workflow starts; null until it has steps. */
    firstStepId: integer('first_step_id'),
    ...auditColumns(),
  },
  (t) => [uniqueIndex('workflows_name_unique').on(t.name)],
);

export const workflowSteps = sqliteTable(
  'workflow_steps',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workflowId: integer('workflow_id')
      .notNull()
      .references(() => workflows.id, { onDelete: 'cascade' }),
    /** 名称. */
    name: text('name').notNull(),
    /** 詳細: what to do in the step. */
    details: text('details').notNull().default(''),
    /** 音声ファイル: e.g. a recording to play (deleting a file in use is refused). */
    audioFileId: integer('audio_file_id').references(() => audioFiles.id, {
      onDelete: 'restrict',
    }),
    /** 色: #rrggbb. */
    color: text('color').notNull(),
    /** The buttons in order: button n is buttons[n - 1]. */
    buttons: text('buttons', { mode: 'json' }).$type<StepButton[]>().notNull(),
    ...auditColumns(),
  },
  (t) => [
    uniqueIndex('workflow_steps_name_unique').on(t.workflowId, t.name),
    index('workflow_steps_audio_idx').on(t.audioFileId),
  ],
);

/**
 * The move log: every time a case entered or left a step. A row with a `fromStepId` closes one
 * stay in that step (entered at `fromEnteredAt`, left at `at`), which is what the workflow
 * statistics (§10-6) add up. Step names are copied, so the log still reads after a step is
 * renamed or deleted.
 */
export const workflowMoves = sqliteTable(
  'workflow_moves',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    caseId: integer('case_id').notNull(),
    workflowId: integer('workflow_id').notNull(),
    /** The step left; null when the case entered the workflow. */
    fromStepId: integer('from_step_id'),
    fromStepName: text('from_step_name'),
    /** When the case entered the step it left. */
    fromEnteredAt: instant('from_entered_at'),
    /** The button pressed (1–4) and its label; null when the workflow was given or taken away. */
    button: integer('button'),
    buttonLabel: text('button_label'),
    /** The step entered; null at the end or when the workflow was taken away. */
    toStepId: integer('to_step_id'),
    toStepName: text('to_step_name'),
    at: instant('at').notNull(),
    by: text('by').notNull(),
  },
  (t) => [
    index('workflow_moves_case_idx').on(t.caseId, t.id),
    index('workflow_moves_stats_idx').on(t.workflowId, t.at),
  ],
);

export type WorkflowRow = typeof workflows.$inferSelect;
export type WorkflowStepRow = typeof workflowSteps.$inferSelect;
export type WorkflowMoveRow = typeof workflowMoves.$inferSelect;
