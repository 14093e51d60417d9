/**
 * Tags (タグ, §10-10): a name with a font and a background colour, put on customers, cases and
 * FAQ entries and used as a search keyword for them. Each tagged kind keeps its own join table
 * (customers' is in crm/customers/schema.ts).
 */
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { auditColumns } from '../../platform/db/columns.js';

export const tags = sqliteTable('tags', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** 題名: the tag as it shows on a record. */
  name: text('name').notNull().unique(),
  /** 詳細: free text, searched with the name. */
  details: text('details').notNull().default(''),
  /** 色: `#rrggbb` of the text and of the background. */
  fontColor: text('font_color').notNull().default('#ffffff'),
  backgroundColor: text('background_color').notNull().default('#0505fc'),
  ...auditColumns(),
});

export type TagRow = typeof tags.$inferSelect;
