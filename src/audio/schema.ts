/**
 * Audio files (音声ファイル, spec §11-6): the recordings the center plays — a group's greeting,
 * announcement and whisper, an IVR's menu, a DID's or an IVR's message, a system prompt — and,
 * when voicemail is on, the file after which a caller may leave a message, with the address the
 * message is mailed to.
 *
 * The audio itself is kept in SQLite, in its own table so that lists never read it: Asterisk
 * fetches it over HTTP from the server (media-urls.ts), in managed and in external mode alike,
 * so no filesystem is shared. What is stored is always a telephone WAV (8000 Hz mono 16-bit);
 * `source` and `changes` say what was uploaded and what conversion made of it.
 */
import { blob, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { auditColumns } from '../platform/db/columns.js';

export const audioFiles = sqliteTable('audio_files', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  /** The stored WAV's length and size. */
  seconds: real('seconds').notNull(),
  bytes: integer('bytes').notNull(),
  /** SHA-256 of the stored WAV (hex): its version, in its media URL and as its ETag. */
  sha256: text('sha256').notNull(),
  /** What was uploaded, e.g. `WAV 44100 Hz stereo 16-bit` or `MP3`. */
  source: text('source').notNull(),
  /** What conversion changed, as a JSON array of texts; `[]` when stored as uploaded. */
  changes: text('changes', { mode: 'json' }).$type<string[]>().notNull(),
  /** 留守電: after the file plays, the caller may leave a message. */
  voicemail: integer('voicemail', { mode: 'boolean' }).notNull().default(false),
  /** 通知メール: each message is mailed, with its recording, to `notifyAddress`. */
  notifyByEmail: integer('notify_by_email', { mode: 'boolean' }).notNull().default(false),
  notifyAddress: text('notify_address'),
  ...auditColumns(),
});

export const audioFileContents = sqliteTable('audio_file_contents', {
  audioFileId: integer('audio_file_id')
    .primaryKey()
    .references(() => audioFiles.id, { onDelete: 'cascade' }),
  wav: blob('wav', { mode: 'buffer' }).notNull(),
});

export type AudioFileRow = typeof audioFiles.$inferSelect;
