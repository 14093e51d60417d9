/**
 * Custom fields (カスタムフィールド, §11-9): fields added to every customer or every case, on
 * top of what the business format gives, and offered in the detailed search of either.
 */
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { auditColumns } from '../../platform/db/columns.js';
import { CUSTOM_FIELD_TYPES } from '../formats/field-types.js';

/** カテゴリ: 顧客 / 案件. */
export const CUSTOM_FIELD_CATEGORIES = ['customer', 'case'] as const;
export type CustomFieldCategory = (typeof CUSTOM_FIELD_CATEGORIES)[number];

export const customFields = sqliteTable(
  'custom_fields',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** 名称. */
    name: text('name').notNull(),
    /** カテゴリ. */
    category: text('category', { enum: CUSTOM_FIELD_CATEGORIES }).notNull(),
    /** 区分. */
    type: text('type', { enum: CUSTOM_FIELD_TYPES }).notNull(),
    /** 選択項目 of a list field, in order, as a JSON array. */
    options: text('options', { mode: 'json' }).$type<string[]>().notNull(),
    /** Display order within the category, from 0. */
    position: integer('position').notNull().default(0),
    ...auditColumns(),
  },
  (t) => [uniqueIndex('custom_fields_name_unique').on(t.category, t.name)],
);

export type CustomFieldRow = typeof customFields.$inferSelect;
