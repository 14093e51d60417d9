/**
 * Chat (§6-2 チャット機能): messages to an agent, a group or everyone, with their formatting
 * flags, and the `#C…` / `#T…` references (customer / case links) found in their text.
 *
 * Names are kept as they were when the message was sent (the log shows who wrote it even after
 * the account is gone); the ids are set null when an agent, a group or an API key is deleted.
 */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { agents, apiKeys } from '../accounts/schema.js';
import { instant } from '../platform/db/columns.js';
import { groups } from '../queues/schema.js';
import { AUDIENCES, SENDER_KINDS } from './audience.js';
import { REFERENCE_KINDS } from './references.js';

export const chatMessages = sqliteTable(
  'chat_messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sentAt: instant('sent_at').notNull(),
    senderKind: text('sender_kind', { enum: SENDER_KINDS }).notNull(),
    /** The agent who wrote it, or (an integration) the API key, as `sender_kind` says. */
    senderAgentId: integer('sender_agent_id').references(() => agents.id, {
      onDelete: 'set null',
    }),
    senderApiKeyId: integer('sender_api_key_id').references(() => apiKeys.id, {
      onDelete: 'set null',
    }),
    senderName: text('sender_name').notNull(),
    audience: text('audience', { enum: AUDIENCES }).notNull(),
    toAgentId: integer('to_agent_id').references(() => agents.id, { onDelete: 'set null' }),
    toGroupId: integer('to_group_id').references(() => groups.id, { onDelete: 'set null' }),
    /** The addressee's name when it was sent ('' for everyone). */
    toName: text('to_name').notNull().default(''),
    body: text('body').notNull(),
    /** 太文字 */
    bold: integer('bold', { mode: 'boolean' }).notNull().default(false),
    /** 赤文字 */
    red: integer('red', { mode: 'boolean' }).notNull().default(false),
    /** 🔊: the recipients' clients sound an alert (needs chat.alert). */
    alert: integer('alert', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [
    index('chat_messages_sent_idx').on(t.sentAt),
    index('chat_messages_to_agent_idx').on(t.toAgentId, t.sentAt),
    index('chat_messages_to_group_idx').on(t.toGroupId, t.sentAt),
    index('chat_messages_sender_idx').on(t.senderAgentId, t.sentAt),
  ],
);

export type ChatMessageRow = typeof chatMessages.$inferSelect;

/** The `#C3` / `#T458` references of a message's body, in the order they appear. */
export const chatMessageLinks = sqliteTable(
  'chat_message_links',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    messageId: integer('message_id')
      .notNull()
      .references(() => chatMessages.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: REFERENCE_KINDS }).notNull(),
    /** The customer's or the case's id (the number after #C / #T). */
    refId: integer('ref_id').notNull(),
    /** Where the reference stands in the body: [start, end) in UTF-16 code units. */
    start: integer('start').notNull(),
    end: integer('end').notNull(),
  },
  (t) => [
    index('chat_message_links_message_idx').on(t.messageId, t.start),
    index('chat_message_links_ref_idx').on(t.kind, t.refId),
  ],
);

export type ChatMessageLinkRow = typeof chatMessageLinks.$inferSelect;
