/**
 * MiiTel-style call-target lists (発信先リスト, spec/autocall-lists-000-002.md part B). A target
 * is a CRM customer of the built-in 発信先 format (MiiTel's 連絡先, contact), found and
 * overwritten by its phone on every upload. What MiiTel keeps per target rather than per list —
 * the assignee (発信担当者: "shared across lists") and the categories — is kept per contact in
 * `target_contacts`; a list holds its targets in upload order (autocall dials from the top) with
 * the 発信対象外 flag, which is the list's own.
 */
import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';
import { agents } from '../accounts/schema.js';
import { customers } from '../crm/customers/schema.js';
import { auditColumns, instant } from '../platform/db/columns.js';

export const targetLists = sqliteTable('target_lists', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** リスト名. */
  name: text('name').notNull(),
  ...auditColumns(),
});

export const targetListEntries = sqliteTable(
  'target_list_entries',
  {
    listId: integer('list_id')
      .notNull()
      .references(() => targetLists.id, { onDelete: 'cascade' }),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    /** The dialling order: "from the top down", the upload's row order. */
    position: integer('position').notNull(),
    /** 発信対象外: kept in the list, never dialled by autocall. */
    excluded: integer('excluded', { mode: 'boolean' }).notNull().default(false),
    addedAt: instant('added_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.listId, t.customerId] }),
    uniqueIndex('target_list_entries_order_idx').on(t.listId, t.position),
    index('target_list_entries_customer_idx').on(t.customerId),
  ],
);

export const targetContacts = sqliteTable(
  'target_contacts',
  {
    customerId: integer('customer_id')
      .primaryKey()
      .references(() => customers.id, { onDelete: 'cascade' }),
    /** 発信担当者: the user who calls this target, in every list that has it. */
    assigneeId: integer('assignee_id').references(() => agents.id, { onDelete: 'set null' }),
    /** カテゴリー: free categories, at most 100. */
    categories: text('categories', { mode: 'json' }).$type<string[]>().notNull(),
  },
  (t) => [index('target_contacts_assignee_idx').on(t.assigneeId)],
);

export type TargetListRow = typeof targetLists.$inferSelect;
export type TargetListEntryRow = typeof targetListEntries.$inferSelect;
