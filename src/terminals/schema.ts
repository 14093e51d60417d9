/**
 * Terminals (端末): the SIP phones and softphones of the center (spec §11-4, §12-1). A terminal
 * is a PJSIP endpoint whose name is its SIP username; several may belong to one agent.
 *
 * A phone is its linked agent's (`agentId`, エージェント) — or, while an agent is logged in on it
 * by hot-desk (`998` + extension + PIN, §13), that agent's (`hotDeskAgentId`): the agent on the
 * phone is `agentOnTerminal`. An agent is hot-desked on one phone at most (a unique index).
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { agents } from '../accounts/schema.js';
import { auditColumns, instant } from '../platform/db/columns.js';

export const DTMF_MODES = ['rfc4733', 'info', 'inband', 'auto'] as const;
export const CODECS = ['ulaw', 'alaw', 'g722', 'gsm', 'opus'] as const;

export const terminals = sqliteTable(
  'terminals',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The SIP username, which is also the PJSIP endpoint name (ID in the manual). */
    sipUser: text('sip_user').notNull().unique(),
    name: text('name').notNull(),
    /** The SIP password, sealed (platform/secrets.ts); never returned after creation. */
    secretSealed: text('secret_sealed').notNull(),
    agentId: integer('agent_id').references(() => agents.id, { onDelete: 'set null' }),
    codecs: text('codecs', { mode: 'json' }).$type<string[]>().notNull(),
    dtmfMode: text('dtmf_mode', { enum: DTMF_MODES }).notNull().default('rfc4733'),
    /** Phones behind NAT: answer to the address packets come from (rport, symmetric RTP). */
    behindNat: integer('behind_nat', { mode: 'boolean' }).notNull().default(true),
    maxContacts: integer('max_contacts').notNull().default(1),
    /** The browser phone's terminal: a WebRTC endpoint (webrtc=yes) in Asterisk. */
    webrtc: integer('webrtc', { mode: 'boolean' }).notNull().default(false),
    /** The agent logged in on this phone by hot-desk, until `997` or a login elsewhere. */
    hotDeskAgentId: integer('hot_desk_agent_id').references(() => agents.id, {
      onDelete: 'set null',
    }),
    hotDeskSince: instant('hot_desk_since'),
    ...auditColumns(),
  },
  (t) => [
    index('terminals_agent_idx').on(t.agentId),
    uniqueIndex('terminals_hot_desk_agent_unique').on(t.hotDeskAgentId),
  ],
);

export type TerminalRow = typeof terminals.$inferSelect;

/** Whose phone it is now: the agent hot-desked on it, else its linked agent. */
export function agentOnTerminal(
  terminal: Pick<TerminalRow, 'agentId' | 'hotDeskAgentId'>,
): number | null {
  return terminal.hotDeskAgentId ?? terminal.agentId;
}
