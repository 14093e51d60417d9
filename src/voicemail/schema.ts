/**
 * Voicemail messages (留守電, §11-6, §9-3): left by a caller after an audio file with voicemail
 * on (or sent straight to voicemail), filed under that file, mailed to its address when its
 * notification mail is on. The audio is fetched from Asterisk once the message ends and kept
 * here, in its own table so that lists never read it — Asterisk may be external and forget it.
 */
import { blob, index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { audioFiles } from '../audio/schema.js';
import { instant } from '../platform/db/columns.js';

/**
 * The mail of a message: `none` (the file's mail is off), `pending` (queued or being retried),
 * `sent`, `failed` (given up), `not_configured` (mail on, but no SMTP server is configured).
 */
export const VOICEMAIL_MAIL_STATUSES = [
  'none',
  'pending',
  'sent',
  'failed',
  'not_configured',
] as const;
export type VoicemailMailStatus = (typeof VOICEMAIL_MAIL_STATUSES)[number];

export const voicemails = sqliteTable(
  'voicemails',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The call it was left on (call_history.call_id). */
    callId: text('call_id').notNull(),
    receivedAt: instant('received_at').notNull(),
    fromNumber: text('from_number').notNull(),
    fromName: text('from_name').notNull().default(''),
    /** Our number the caller called (the DID), if known. */
    toNumber: text('to_number').notNull().default(''),
    /** The audio file it was left after; its name is kept should the file be deleted. */
    audioFileId: integer('audio_file_id').references(() => audioFiles.id, {
      onDelete: 'set null',
    }),
    audioFileName: text('audio_file_name').notNull(),
    seconds: real('seconds').notNull(),
    mailStatus: text('mail_status', { enum: VOICEMAIL_MAIL_STATUSES }).notNull().default('none'),
    /** The queued mail (mail_outbox.id), while there is one. */
    mailId: integer('mail_id'),
    mailTo: text('mail_to'),
  },
  (t) => [index('voicemails_received').on(t.receivedAt), index('voicemails_mail').on(t.mailId)],
);

export const voicemailAudio = sqliteTable('voicemail_audio', {
  voicemailId: integer('voicemail_id')
    .primaryKey()
    .references(() => voicemails.id, { onDelete: 'cascade' }),
  wav: blob('wav', { mode: 'buffer' }).notNull(),
});

export type VoicemailRow = typeof voicemails.$inferSelect;
