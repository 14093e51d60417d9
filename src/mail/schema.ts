/**
 * The outgoing mail queue (queue.ts): every mail the server sends is a row here first, so an SMTP
 * outage or a restart loses nothing, and the row stays afterwards as the mail's status record.
 *
 * Attachments (a voicemail's WAV) are kept beside their mail only while it may still be sent:
 * once it is sent or has finally failed its attachment rows are deleted, the bytes being the
 * recording's copy, not the recording.
 */
import { blob, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { instant } from '../platform/db/columns.js';

/** pending = waiting for its first or next attempt; sent and failed are final. */
export const MAIL_STATUSES = ['pending', 'sent', 'failed'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

export const mailOutbox = sqliteTable(
  'mail_outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The recipient's address (one per mail). */
    to: text('to_address').notNull(),
    subject: text('subject').notNull(),
    /** Plain-text body. */
    body: text('body').notNull(),
    status: text('status', { enum: MAIL_STATUSES }).notNull().default('pending'),
    /** Attempts made so far (each one an SMTP conversation that failed or succeeded). */
    attempts: integer('attempts').notNull().default(0),
    /** When the next attempt is due; null once the mail is sent or failed. */
    nextAttemptAt: instant('next_attempt_at'),
    /** Why the last attempt failed, as the SMTP server or the connection said (never a secret). */
    lastError: text('last_error'),
    createdAt: instant('created_at').notNull(),
    sentAt: instant('sent_at'),
  },
  (t) => [index('mail_outbox_due_idx').on(t.status, t.nextAttemptAt)],
);

export type MailOutboxRow = typeof mailOutbox.$inferSelect;

export const mailAttachments = sqliteTable(
  'mail_attachments',
  {
    mailId: integer('mail_id')
      .notNull()
      .references(() => mailOutbox.id, { onDelete: 'cascade' }),
    /** The attachment's place in the mail, from 0. */
    position: integer('position').notNull(),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    content: blob('content', { mode: 'buffer' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.mailId, t.position] })],
);

export type MailAttachmentRow = typeof mailAttachments.$inferSelect;
