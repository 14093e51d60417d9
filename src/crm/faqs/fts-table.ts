/**
 * The FAQ full-text index `faq_search` (FTS5, trigram tokenizer), as Drizzle sees it for
 * queries. The table itself is created by the custom migration faq_search and kept in step with
 * `faqs` by its triggers: this declaration is deliberately not in schema.ts (nor listed in
 * platform/db/schema.ts), so drizzle-kit never tries to create it as a plain table.
 */
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const faqSearch = sqliteTable('faq_search', {
  /** = faqs.id (content_rowid). */
  rowid: integer('rowid').notNull(),
  title: text('title').notNull(),
  details: text('details').notNull(),
});
