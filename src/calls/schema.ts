/**
 * Call history (§9-1 通話履歴): one row per call, written when the call begins and completed
 * when it ends — so a row with no end is a call in progress, which is what a restarted server
 * re-adopts or closes.
 */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { IvrStep } from '../ivr/path.js';
import { agents } from '../accounts/schema.js';
import { phoneNumbers } from '../numbers/schema.js';
import { instant } from '../platform/db/columns.js';

export const CALL_DIRECTIONS = ['inbound', 'outbound', 'internal'] as const;
/** The seed's 区分: 発信, 発信で不在, 着信, 着信で不在. */
export const CALL_TYPES = ['outbound', 'outbound_unanswered', 'inbound', 'inbound_missed'] as const;
/** Why a call ended (or never connected). */
export const END_REASONS = [
  'completed',
  'busy',
  'no_answer',
  'unregistered',
  'unknown_number',
  'blocked',
  'forbidden',
  'restricted',
  /** The far end (a carrier, a phone) refused the call: 403 / 603, Q.850 21. */
  'rejected',
  'cancelled',
  'failed',
  /** A party sent no media for SIP_RTP_TIMEOUT_SECONDS (a phone or line that died). */
  'media_timeout',
  'ended_while_away',
] as const;

export const callHistory = sqliteTable(
  'call_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Our id of the call; also on every channel of it (CC_CALL_ID) and the id of its bridge. */
    callId: text('call_id').notNull().unique(),
    direction: text('direction', { enum: CALL_DIRECTIONS }).notNull(),
    type: text('type', { enum: CALL_TYPES }).notNull(),
    fromNumber: text('from_number').notNull(),
    fromName: text('from_name').notNull().default(''),
    /** The number dialled (or, for a DID call, our number that was called). */
    toNumber: text('to_number').notNull(),
    /** Our number: the DID called, or the caller ID used to call out. */
    ourNumber: text('our_number'),
    phoneNumberId: integer('phone_number_id').references(() => phoneNumbers.id, {
      onDelete: 'set null',
    }),
    /** The agent who made or took the call (for internal calls: the caller). */
    agentId: integer('agent_id').references(() => agents.id, { onDelete: 'set null' }),
    /** For internal calls: the agent who was called. */
    calleeAgentId: integer('callee_agent_id').references(() => agents.id, { onDelete: 'set null' }),
    groupId: integer('group_id'),
    startedAt: instant('started_at').notNull(),
    answeredAt: instant('answered_at'),
    endedAt: instant('ended_at'),
    talkSeconds: integer('talk_seconds').notNull().default(0),
    endReason: text('end_reason', { enum: END_REASONS }),
    /** Q.850 cause of the hang-up, when Asterisk gave one. */
    hangupCause: integer('hangup_cause'),
    /** The stored recording's name (ARI /recordings/stored/{name}), once the call was answered. */
    recordingName: text('recording_name'),
    /** The IVRs the caller went through and how they left each (a rule, a key, the default). */
    ivrPath: text('ivr_path', { mode: 'json' }).$type<IvrStep[]>(),
    /** 留守電: the message the caller left (§9-1), if any. */
    voicemailId: integer('voicemail_id'),
  },
  // One index per filter of the history search, each ending in the start so that a page comes
  // in order; the numbers for the party search by exact match or prefix.
  (t) => [
    index('call_history_started_idx').on(t.startedAt),
    index('call_history_agent_idx').on(t.agentId, t.startedAt),
    index('call_history_callee_idx').on(t.calleeAgentId, t.startedAt),
    index('call_history_group_idx').on(t.groupId, t.startedAt),
    index('call_history_from_idx').on(t.fromNumber, t.startedAt),
    index('call_history_to_idx').on(t.toNumber, t.startedAt),
    index('call_history_open_idx').on(t.endedAt),
  ],
);

export type CallHistoryRow = typeof callHistory.$inferSelect;

/** How an agent came to have a customer's call (the chain of `call_history_agents`). */
export const HANDLED_VIA = ['answered', 'placed', 'transfer', 'pickup'] as const;

/**
 * Every agent who had the customer of a call, in order (§9-1; the transfer chain): the agent who
 * answered or placed it, then each who took it over — a transfer's recipient, whoever picked it
 * up from park. `call_history.agent_id` is the last of them.
 */
export const callHistoryAgents = sqliteTable(
  'call_history_agents',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    callId: text('call_id').notNull(),
    agentId: integer('agent_id').references(() => agents.id, { onDelete: 'set null' }),
    at: instant('at').notNull(),
    via: text('via', { enum: HANDLED_VIA }).notNull(),
  },
  (t) => [
    index('call_history_agents_call_idx').on(t.callId, t.id),
    index('call_history_agents_agent_idx').on(t.agentId, t.at),
  ],
);

export type CallHistoryAgentRow = typeof callHistoryAgents.$inferSelect;
