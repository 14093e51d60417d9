/**
 * Cases (案件, §8-2): shown as `#T<id>`. A case has a title, a status (case-statuses), maybe a
 * customer and an assignee, tags, details (詳細), notes (注記), the case custom fields' values
 * (by custom-field id in `custom`) and maybe a workflow with its current step. A deleted case is
 * kept (soft delete), as customers are, for the chat links and the move log that name it.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { agents } from '../../accounts/schema.js';
import { auditColumns, instant } from '../../platform/db/columns.js';
import { caseStatuses } from '../case-statuses/schema.js';
import { customers } from '../customers/schema.js';
import { tags } from '../tags/schema.js';
import { workflows } from '../workflows/schema.js';

export const cases = sqliteTable(
  'cases',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** 題名. */
    title: text('title').notNull(),
    /** ステータス. */
    statusId: integer('status_id')
      .notNull()
      .references(() => caseStatuses.id, { onDelete: 'restrict' }),
    /** 顧客. Customers are soft-deleted, so the link stays. */
    customerId: integer('customer_id').references(() => customers.id, { onDelete: 'restrict' }),
    /** 担当. */
    assigneeId: integer('assignee_id').references(() => agents.id, { onDelete: 'set null' }),
    /** 詳細: free text, searched. */
    details: text('details').notNull().default(''),
    /** 注記. */
    notes: text('notes').notNull().default(''),
    /** The case custom fields' values, keyed by custom_fields.id. */
    custom: text('custom', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    /** ワークフロー; kept when the case reaches the end (stepId null). */
    workflowId: integer('workflow_id').references(() => workflows.id, { onDelete: 'restrict' }),
    /** The current step; null at the end of the workflow (or without one). */
    stepId: integer('step_id'),
    /** When the case entered its current step. */
    stepEnteredAt: instant('step_entered_at'),
    deletedAt: instant('deleted_at'),
    deletedBy: text('deleted_by'),
    ...auditColumns(),
  },
  (t) => [
    index('cases_customer_idx').on(t.customerId),
    index('cases_assignee_idx').on(t.assigneeId),
    index('cases_status_idx').on(t.statusId),
    index('cases_workflow_idx').on(t.workflowId, t.stepId),
    index('cases_updated_idx').on(t.updatedAt),
    index('cases_live_idx')
      .on(t.id)
      .where(sql`${t.deletedAt} IS NULL`),
  ],
);

export const caseTags = sqliteTable(
  'case_tags',
  {
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    tagId: integer('tag_id')
      .notNull()
      .references(() => tags.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.tagId] }), index('case_tags_tag_idx').on(t.tagId)],
);

export type CaseRow = typeof cases.$inferSelect;
