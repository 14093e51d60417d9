/**
 * Numbers: the center's DIDs (§11-5 電話番号) with their routing and who may call out with them,
 * each agent's chosen caller ID (§5-2 発信通知番号), blocked callers (§10-11 着信拒否), restricted
 * destinations (§10-12 発信規制) and external transfer targets (§11-7 外線転送).
 */
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { agents } from '../accounts/schema.js';
import { DESTINATION_TYPES } from '../destinations/destination.js';
import { auditColumns } from '../platform/db/columns.js';
import { trunks } from '../trunks/schema.js';

export const NUMBER_DISPLAYS = ['number_name', 'name', 'number'] as const;

export const externalTransfers = sqliteTable('external_transfers', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  /** 外線転送番号: where the call is forwarded. */
  number: text('number').notNull(),
  /** 発信者番号: the caller ID presented on the forwarded leg (ignored with useCalledNumber). */
  callerNumber: text('caller_number'),
  /** 着信番号を発番に利用: present the number that was called as the caller ID. */
  useCalledNumber: integer('use_called_number', { mode: 'boolean' }).notNull().default(false),
  /** 内線: makes the forward dialable from phones. */
  extension: text('extension').unique(),
  ...auditColumns(),
});

export const phoneNumbers = sqliteTable('phone_numbers', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** The DID, digits only; it cannot be changed. */
  number: text('number').notNull().unique(),
  name: text('name').notNull(),
  /** プレフィックス: dialling this prefix before a number calls out with this number. */
  prefix: text('prefix').unique(),
  routeType: text('route_type', { enum: DESTINATION_TYPES }),
  /** The route's target: an agent, external transfer or group id, or an extension. */
  routeTarget: text('route_target'),
  /** 最大チャンネル: concurrent calls on this number; 0 = no limit. */
  maxChannels: integer('max_channels').notNull().default(0),
  /** 着信ポップアップ / 応答ポップアップ: `@@@@` is replaced by the other party's number. */
  incomingPopupUrl: text('incoming_popup_url'),
  answerPopupUrl: text('answer_popup_url'),
  display: text('display', { enum: NUMBER_DISPLAYS }).notNull().default('number_name'),
  incomingMessage: text('incoming_message'),
  outgoingMessage: text('outgoing_message'),
  /** The trunk outbound calls with this number leave through (default: the preferred trunk). */
  trunkId: integer('trunk_id').references(() => trunks.id, { onDelete: 'set null' }),
  /** The language of the system's prompts its callers hear (voicemail, IVR mistakes). */
  language: text('language', { enum: ['ja', 'en'] })
    .notNull()
    .default('ja'),
  ...auditColumns(),
});

/** The agents who may use a number as their caller ID. */
export const phoneNumberAgents = sqliteTable(
  'phone_number_agents',
  {
    phoneNumberId: integer('phone_number_id')
      .notNull()
      .references(() => phoneNumbers.id, { onDelete: 'cascade' }),
    agentId: integer('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.phoneNumberId, t.agentId] })],
);

/** Each agent's chosen caller ID; no row or a null number means 外線発信禁止 (no outbound calls). */
export const agentCallerIds = sqliteTable('agent_caller_ids', {
  agentId: integer('agent_id')
    .primaryKey()
    .references(() => agents.id, { onDelete: 'cascade' }),
  phoneNumberId: integer('phone_number_id').references(() => phoneNumbers.id, {
    onDelete: 'set null',
  }),
});

export const blockedNumbers = sqliteTable('blocked_numbers', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  number: text('number').notNull().unique(),
  note: text('note').notNull().default(''),
  ...auditColumns(),
});

export const outboundRestrictions = sqliteTable(
  'outbound_restrictions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    number: text('number').notNull(),
    /** Applies only to calls with this caller ID; null = every call. */
    callerNumber: text('caller_number'),
    note: text('note').notNull().default(''),
    ...auditColumns(),
  },
  // (number, caller number) is unique — checked by the service: an expression index over
  // coalesce() is not something drizzle-kit generates correctly.
  (t) => [index('outbound_restrictions_number_idx').on(t.number)],
);

export type PhoneNumberRow = typeof phoneNumbers.$inferSelect;
export type ExternalTransferRow = typeof externalTransfers.$inferSelect;
export type BlockedNumberRow = typeof blockedNumbers.$inferSelect;
export type OutboundRestrictionRow = typeof outboundRestrictions.$inferSelect;
