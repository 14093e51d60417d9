/**
 * FAQ (§8-3): a title, tags and details, searched by title and by a free word over title and
 * details. The full-text index is the FTS5 table `faq_search` (trigram tokenizer, so Japanese
 * text needs no word splitting) of the custom migration faq_search: Drizzle cannot declare a
 * virtual table, so it lives only there, kept in step with `faqs` by triggers.
 */
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { auditColumns } from '../../platform/db/columns.js';
import { tags } from '../tags/schema.js';

export const faqs = sqliteTable(
  'faqs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** 題名. */
    title: text('title').notNull(),
    /** 詳細: free text, searched with the title. */
    details: text('details').notNull().default(''),
    ...auditColumns(),
  },
  (t) => [index('faqs_updated_idx').on(t.updatedAt)],
);

export const faqTags = sqliteTable(
  'faq_tags',
  {
    faqId: integer('faq_id')
      .notNull()
      .references(() => faqs.id, { onDelete: 'cascade' }),
    tagId: integer('tag_id')
      .notNull()
      .references(() => tags.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.faqId, t.tagId] }), index('faq_tags_tag_idx').on(t.tagId)],
);

export type FaqRow = typeof faqs.$inferSelect;
