/**
 * Call lists (コールリスト, MOT part A): lists of CRM customers (the built-in `mot_call_list`
 * format) that operators retrieve N at a time, call, and upload results for.
 *
 * - call_lists: the list; soft delete (its customers stay, A.8.3).
 * - call_list_groups: the target groups (配布先グループ) of a list.
 * - call_list_members: which customers a list holds, in its order (CSV order, then appended).
 *   Many-to-many: a re-created list may add customers without moving them (A.12).
 * - call_list_customers: a customer's call-list state — retrieved (配布済) by whom and from which
 *   list, whether its result is still owed, and its final status (最終ステータス). One row per
 *   customer, so a customer on two lists is still handed out once.
 * - call_list_results: the call history operators upload (通話一覧, A.11), 未架電 rows included.
 * - call_list_settings: the switches of A.18 (one row; defaults until saved).
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { agents } from '../accounts/schema.js';
import { customers } from '../crm/customers/schema.js';
import { auditColumns, instant } from '../platform/db/columns.js';
import { groups } from '../queues/schema.js';
import { CALL_RESULTS, CALLED_COUNTS, FINAL_STATUSES } from './outcomes.js';

export const callLists = sqliteTable(
  'call_lists',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** リスト名. */
    name: text('name').notNull(),
    /** 配布: 配布する (operators may retrieve its customers) or 配布しない. */
    distribute: integer('distribute', { mode: 'boolean' }).notNull().default(false),
    deletedAt: instant('deleted_at'),
    deletedBy: text('deleted_by'),
    ...auditColumns(),
  },
  (t) => [index('call_lists_live_idx').on(t.deletedAt, t.id)],
);

export const callListGroups = sqliteTable(
  'call_list_groups',
  {
    listId: integer('list_id')
      .notNull()
      .references(() => callLists.id, { onDelete: 'cascade' }),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.listId, t.groupId] }),
    index('call_list_groups_group_idx').on(t.groupId),
  ],
);

export const callListMembers = sqliteTable(
  'call_list_members',
  {
    listId: integer('list_id')
      .notNull()
      .references(() => callLists.id, { onDelete: 'cascade' }),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    /** The customer's place in the list, from 1 (the retrieval order within a list). */
    position: integer('position').notNull(),
    addedAt: instant('added_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.listId, t.customerId] }),
    index('call_list_members_order_idx').on(t.listId, t.position),
    index('call_list_members_customer_idx').on(t.customerId),
  ],
);

export const callListCustomers = sqliteTable(
  'call_list_customers',
  {
    customerId: integer('customer_id')
      .primaryKey()
      .references(() => customers.id, { onDelete: 'cascade' }),
    /** 配布済 (済): retrieved by an operator; null while undistributed. */
    claimedAt: instant('claimed_at'),
    claimedBy: integer('claimed_by').references(() => agents.id, { onDelete: 'set null' }),
    /** The list it was retrieved from (its history rows name it). */
    claimedFromList: integer('claimed_from_list').references(() => callLists.id, {
      onDelete: 'set null',
    }),
    /** Whether the operator still owes the result of this retrieval. */
    resultPending: integer('result_pending', { mode: 'boolean' }).notNull().default(false),
    /**
     * (自社)担当者 (A.13): the user in charge of the customer — set by an administrator, or the
     * operator who first retrieves it. A general user sees only the customers in their charge
     * unless 担当者が未設定の顧客閲覧 is 許可 (A.18).
     */
    assigneeId: integer('assignee_id').references(() => agents.id, { onDelete: 'set null' }),
    /** 最終ステータス: null until a result is uploaded. */
    finalStatus: text('final_status', { enum: FINAL_STATUSES }),
    lastResultAt: instant('last_result_at'),
  },
  (t) => [
    index('call_list_customers_unclaimed_idx')
      .on(t.customerId)
      .where(sql`${t.claimedAt} IS NULL`),
    index('call_list_customers_assignee_idx').on(t.assigneeId),
    index('call_list_customers_pending_idx')
      .on(t.claimedBy)
      .where(sql`${t.resultPending} = 1`),
  ],
);

export const callListResults = sqliteTable(
  'call_list_results',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    listId: integer('list_id').references(() => callLists.id, { onDelete: 'set null' }),
    agentId: integer('agent_id').references(() => agents.id, { onDelete: 'set null' }),
    /** "UserName(ext)" as 通話一覧 shows the caller, kept when the agent goes. */
    agentLabel: text('agent_label').notNull(),
    /** 架電ステータス as entered. */
    result: text('result', { enum: CALL_RESULTS }).notNull(),
    prospect: integer('prospect', { mode: 'boolean' }).notNull(),
    recall: integer('recall', { mode: 'boolean' }).notNull(),
    /** The final status this row gave the customer. */
    finalStatus: text('final_status', { enum: FINAL_STATUSES }).notNull(),
    /** 架電結果: 架電済 under the setting 架電済対象 at upload time. */
    called: integer('called', { mode: 'boolean' }).notNull(),
    /** 架電メモ. */
    memo: text('memo').notNull().default(''),
    /** 架電日時: null for 未架電. */
    calledAt: instant('called_at'),
    uploadedAt: instant('uploaded_at').notNull(),
    /** データ初期化 without 物理削除. */
    deletedAt: instant('deleted_at'),
  },
  (t) => [
    index('call_list_results_customer_idx').on(t.customerId, t.id),
    index('call_list_results_list_idx').on(t.listId),
    index('call_list_results_agent_idx').on(t.agentId, t.id),
  ],
);

export const callListSettings = sqliteTable('call_list_settings', {
  id: integer('id').primaryKey(),
  /** グループ未関連リストの配布: true = 許可 (every operator gets every distributed list). */
  ungroupedToAll: integer('ungrouped_to_all', { mode: 'boolean' }).notNull().default(true),
  /** 再作成時に顧客重複を許可: true = add to the new list, false = move to it. */
  recreateKeepsMembership: integer('recreate_keeps_membership', { mode: 'boolean' })
    .notNull()
    .default(false),
  /** 1回の取得時に配布する顧客数. */
  claimSize: integer('claim_size').notNull().default(10),
  /** The order customers are handed out in: by list then place in it, or by customer ID. */
  claimOrder: text('claim_order', { enum: ['list_position', 'customer_id'] })
    .notNull()
    .default('list_position'),
  /** 架電済対象. */
  calledCounts: text('called_counts', { enum: CALLED_COUNTS }).notNull().default('answered_only'),
  /** リストの自動取得. */
  autoRetrieve: integer('auto_retrieve', { mode: 'boolean' }).notNull().default(true),
  /** 切断時のオートコール. */
  autocallOnHangup: text('autocall_on_hangup', { enum: ['all_calls', 'no_answer_only', 'off'] })
    .notNull()
    .default('no_answer_only'),
  /** 一般権限: 顧客情報の編集. */
  generalMayEditCustomers: integer('general_may_edit_customers', { mode: 'boolean' })
    .notNull()
    .default(true),
  /** 一般権限: 顧客情報のCSV作成. */
  generalMayExportCustomers: integer('general_may_export_customers', { mode: 'boolean' })
    .notNull()
    .default(false),
  /** 一般権限: リストの登録・編集. */
  generalMayEditLists: integer('general_may_edit_lists', { mode: 'boolean' })
    .notNull()
    .default(false),
  /** 一般権限: 担当者が未設定の顧客閲覧. */
  generalSeesAllCustomers: integer('general_sees_all_customers', { mode: 'boolean' })
    .notNull()
    .default(false),
  ...auditColumns(),
});

export type CallListRow = typeof callLists.$inferSelect;
export type CallListResultRow = typeof callListResults.$inferSelect;
