/**
 * System prompts replaced by an uploaded audio file, per language (catalogue.ts lists the
 * prompts; one without a row here plays its default Asterisk sounds).
 */
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { audioFiles } from '../audio/schema.js';
import { auditColumns } from '../platform/db/columns.js';
import { PROMPT_LANGUAGES } from './catalogue.js';

export const systemPrompts = sqliteTable(
  'system_prompts',
  {
    /** A name of catalogue.ts's SYSTEM_PROMPTS. */
    name: text('name').notNull(),
    language: text('language', { enum: PROMPT_LANGUAGES }).notNull(),
    audioFileId: integer('audio_file_id')
      .notNull()
      .references(() => audioFiles.id),
    ...auditColumns(),
  },
  (t) => [primaryKey({ columns: [t.name, t.language] })],
);

export type SystemPromptRow = typeof systemPrompts.$inferSelect;
