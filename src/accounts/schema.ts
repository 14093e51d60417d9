/**
 * Accounts: who may log in (agents), what they may do (roles), and how they prove it (access
 * tokens, API keys), plus the two logs an administrator audits: authentication events and the
 * per-agent change history (spec/cloudcallcenter-004.md §1, §11-1, §11-13).
 */
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { auditColumns, instant } from '../platform/db/columns.js';

export const roles = sqliteTable('roles', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** system_admin | supervisor | agent for the built-in roles; null for custom roles. */
  builtIn: text('built_in', { enum: ['system_admin', 'supervisor', 'agent'] }).unique(),
  name: text('name').notNull().unique(),
  permissions: text('permissions', { mode: 'json' }).$type<string[]>().notNull(),
  ...auditColumns(),
});

export const agents = sqliteTable(
  'agents',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    loginId: text('login_id').notNull(),
    name: text('name').notNull(),
    nickname: text('nickname').notNull(),
    extension: text('extension').unique(),
    passwordHash: text('password_hash').notNull(),
    pinHash: text('pin_hash'),
    roleId: integer('role_id')
      .notNull()
      .references(() => roles.id, { onDelete: 'restrict' }),
    language: text('language', { enum: ['ja', 'en'] })
      .notNull()
      .default('ja'),
    /** 着信ポップアップ: open the DID's incoming pop-up URL when a call rings (§11-1, §12-3). */
    popupOnIncoming: integer('popup_on_incoming', { mode: 'boolean' }).notNull().default(false),
    /** 応答ポップアップ: open the DID's answer pop-up URL when the agent answers. */
    popupOnAnswer: integer('popup_on_answer', { mode: 'boolean' }).notNull().default(false),
    /** ポップアップの設定: every pop-up in one reused tab, or each in a tab of its own. */
    popupWindow: text('popup_window', { enum: ['same_tab', 'new_tab'] })
      .notNull()
      .default('same_tab'),
    /** Chrome通知(外線着信): a desktop notification when an outside call rings the agent. */
    notifyExternalCalls: integer('notify_external_calls', { mode: 'boolean' })
      .notNull()
      .default(false),
    /** Chrome通知(内線着信): a desktop notification when an internal call rings the agent. */
    notifyInternalCalls: integer('notify_internal_calls', { mode: 'boolean' })
      .notNull()
      .default(false),
    /** CRM自動検索: show the customer whose number is calling (§11-1, §8-1). */
    crmAutoSearch: integer('crm_auto_search', { mode: 'boolean' }).notNull().default(false),
    /** Locked until an administrator unlocks (an administrator's lock, or AUTH_LOCK_MINUTES=0). */
    locked: integer('locked', { mode: 'boolean' }).notNull().default(false),
    /** Locked after too many failed logins, until this instant (AUTH_LOCK_MINUTES). */
    lockedUntil: instant('locked_until'),
    failedLogins: integer('failed_logins').notNull().default(0),
    passwordChangedAt: instant('password_changed_at').notNull(),
    lastLoginAt: instant('last_login_at'),
    ...auditColumns(),
  },
  (t) => [
    // Login IDs are matched without regard to case, so they must be unique that way too.
    uniqueIndex('agents_login_id_unique').on(sql`lower(${t.loginId})`),
    index('agents_role_idx').on(t.roleId),
  ],
);

export const accessTokens = sqliteTable(
  'access_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    agentId: integer('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    /** SHA-256 of the token; the token itself is only ever in the client's hands. */
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: instant('created_at').notNull(),
    expiresAt: instant('expires_at').notNull(),
    lastUsedAt: instant('last_used_at'),
    revokedAt: instant('revoked_at'),
    revokedBy: text('revoked_by'),
    revokedReason: text('revoked_reason', {
      enum: ['logout', 'forced_logout', 'password_changed', 'locked'],
    }),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('access_tokens_agent_idx').on(t.agentId, t.revokedAt)],
);

export const apiKeys = sqliteTable('api_keys', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  /** The first characters of the key, shown so an administrator can tell keys apart. */
  prefix: text('prefix').notNull(),
  keyHash: text('key_hash').notNull().unique(),
  roleId: integer('role_id')
    .notNull()
    .references(() => roles.id, { onDelete: 'restrict' }),
  expiresAt: instant('expires_at'),
  lastUsedAt: instant('last_used_at'),
  ...auditColumns(),
});

export const AUTH_EVENT_KINDS = [
  'login_succeeded',
  'login_failed',
  'login_refused',
  'account_locked',
  'account_unlocked',
  'logout',
  'forced_logout',
  'password_changed',
  /** Hot-desk (998 + extension + PIN) on a phone: logged in, a wrong PIN, logged off. */
  'hot_desk_login',
  'hot_desk_failed',
  'hot_desk_logout',
] as const;
export type AuthEventKind = (typeof AUTH_EVENT_KINDS)[number];

/** Append-only: every login attempt, lock, unlock and logout. */
export const authEvents = sqliteTable(
  'auth_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: instant('at').notNull(),
    agentId: integer('agent_id').references(() => agents.id, { onDelete: 'set null' }),
    loginId: text('login_id').notNull(),
    kind: text('kind', { enum: AUTH_EVENT_KINDS }).notNull(),
    detail: text('detail'),
    ip: text('ip'),
    actor: text('actor'),
  },
  (t) => [index('auth_events_agent_idx').on(t.agentId, t.at)],
);

/** Append-only: one row per changed field of an agent (secrets masked). */
export const agentChanges = sqliteTable(
  'agent_changes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    agentId: integer('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    at: instant('at').notNull(),
    by: text('by').notNull(),
    field: text('field').notNull(),
    oldValue: text('old_value'),
    newValue: text('new_value'),
  },
  (t) => [index('agent_changes_agent_idx').on(t.agentId, t.at)],
);

export type RoleRow = typeof roles.$inferSelect;
export type AgentRow = typeof agents.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
