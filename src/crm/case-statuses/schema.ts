/**
 * Case statuses (案件のステータス, §8-2): the manual shows 作業中 (in progress) and 完了 (done) and
 * gives no full list, so the list is configurable. The two it shows are built in: they cannot be
 * deleted, and 作業中 is what a new case starts in.
 */
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { auditColumns } from '../../platform/db/columns.js';

export const BUILT_IN_CASE_STATUSES = ['in_progress', 'done'] as const;
export type BuiltInCaseStatus = (typeof BUILT_IN_CASE_STATUSES)[number];

export const BUILT_IN_CASE_STATUS_NAMES: Record<BuiltInCaseStatus, string> = {
  in_progress: '作業中',
  done: '完了',
};

export const caseStatuses = sqliteTable(
  'case_statuses',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** 名称, as the list and the case detail show it. */
    name: text('name').notNull(),
    /** Display order, from 0. */
    position: integer('position').notNull().default(0),
    /** Which built-in status this is; null for one an administrator added. */
    builtIn: text('built_in', { enum: BUILT_IN_CASE_STATUSES }).unique(),
    ...auditColumns(),
  },
  (t) => [uniqueIndex('case_statuses_name_unique').on(t.name)],
);

export type CaseStatusRow = typeof caseStatuses.$inferSelect;
