/**
 * Agent status: the admin-defined custom statuses (§11-10 エージェントステータス), each agent's
 * current selection (kept across restarts), and the log of every status an agent was in, with
 * its start and end, from which status statistics (§10-5) are computed.
 */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { agents } from '../accounts/schema.js';
import { auditColumns, instant } from '../platform/db/columns.js';
import { BUILT_IN_STATUSES } from './status.js';

export const TOGGLES = ['none', 'previous', 'login_status'] as const;

export const customStatuses = sqliteTable('agent_statuses', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  icon: text('icon').notNull().default(''),
  fontColor: text('font_color').notNull().default('#ffffff'),
  backgroundColor: text('background_color').notNull().default('#777777'),
  sortOrder: integer('sort_order').notNull().default(0),
  onLogin: integer('on_login', { mode: 'boolean' }).notNull().default(false),
  afterCall: integer('after_call', { mode: 'boolean' }).notNull().default(false),
  afterCallSeconds: integer('after_call_seconds').notNull().default(0),
  toggle: text('toggle', { enum: TOGGLES }).notNull().default('none'),
  ...auditColumns(),
});

export const agentSelections = sqliteTable('agent_selections', {
  agentId: integer('agent_id')
    .primaryKey()
    .references(() => agents.id, { onDelete: 'cascade' }),
  kind: text('kind', { enum: ['available', 'paused'] }).notNull(),
  customStatusId: integer('custom_status_id').references(() => customStatuses.id, {
    onDelete: 'set null',
  }),
  previousKind: text('previous_kind', { enum: ['available', 'paused'] }).notNull(),
  previousCustomStatusId: integer('previous_custom_status_id').references(() => customStatuses.id, {
    onDelete: 'set null',
  }),
  until: instant('until'),
  updatedAt: instant('updated_at').notNull(),
  updatedBy: text('updated_by').notNull(),
});

export const agentStatusLog = sqliteTable(
  'agent_status_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    agentId: integer('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    status: text('status', { enum: BUILT_IN_STATUSES }).notNull(),
    customStatusId: integer('custom_status_id').references(() => customStatuses.id, {
      onDelete: 'set null',
    }),
    startedAt: instant('started_at').notNull(),
    /** Null while the agent is still in this status. */
    endedAt: instant('ended_at'),
  },
  (t) => [
    index('agent_status_log_agent_idx').on(t.agentId, t.startedAt),
    // The statistics read the intervals that start inside a window by this one.
    index('agent_status_log_started_idx').on(t.startedAt),
    index('agent_status_log_open_idx').on(t.endedAt),
  ],
);

export type CustomStatusRow = typeof customStatuses.$inferSelect;
