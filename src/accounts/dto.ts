/**
 * The wire shapes of the accounts API (zod, so they validate requests, serialize responses and
 * become the OpenAPI document) and the mappers from rows to them. No hash, password or PIN ever
 * leaves through these shapes: the response serializer drops anything a schema does not name.
 */
import { z } from 'zod';
import {
  auditFields,
  auditOf,
  id,
  instant,
  isoOf,
  isoOrNull,
  singleLine,
} from '../platform/http/schemas.js';
import { LOGIN_ID_PATTERN, PIN_PATTERN, passwordProblems } from './credentials.js';
import { ALL_PERMISSIONS, type Permission } from './permissions.js';
import type { AgentChange, AgentView, AuthEventRow, SessionRow } from './agents-service.js';
import type { ApiKeyView } from './api-keys-service.js';
import { AUTH_EVENT_KINDS, type RoleRow } from './schema.js';

export const loginIdSchema = z
  .string()
  .regex(LOGIN_ID_PATTERN, { error: 'must be 3-15 half-width letters or digits' })
  .describe('Login ID (ログインID): 3-15 half-width alphanumerics');

export const passwordSchema = z
  .string()
  .superRefine((value, ctx) => {
    for (const problem of passwordProblems(value))
      ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('At least 8 half-width characters with a digit, an upper- and a lower-case letter');

export const pinSchema = z
  .string()
  .regex(PIN_PATTERN, { error: 'must be 4 half-width digits' })
  .describe('PIN code (PINコード) for hot-desk login: 4 digits');

export const extensionSchema = z
  .string()
  .regex(/^[0-9]{2,8}$/, { error: 'must be 2-8 digits' })
  .describe('Extension (内線)');

export const nameSchema = singleLine(64);

export const permissionSchema = z.enum(ALL_PERMISSIONS as [Permission, ...Permission[]]);

// Roles

export const roleSchema = z
  .object({
    id: z.number().int(),
    builtIn: z
      .enum(['system_admin', 'supervisor', 'agent'])
      .nullable()
      .describe(
        'Which built-in role this is (システム管理者 / SV / エージェント); null for custom roles',
      ),
    name: z.string(),
    permissions: z.array(z.string()),
    ...auditFields,
  })
  .describe('Role');

export const toRole = (row: RoleRow) => ({
  id: row.id,
  builtIn: row.builtIn,
  name: row.name,
  permissions: row.permissions,
  ...auditOf(row),
});

export const roleCreateSchema = z.object({
  name: nameSchema,
  permissions: z.array(permissionSchema).max(ALL_PERMISSIONS.length),
});
export const roleUpdateSchema = roleCreateSchema.partial();

// Agents

/** The agent's pop-up and notification settings (§11-1, §12-3), the same on both forms. */
const preferenceFields = {
  popupOnIncoming: z
    .boolean()
    .describe("着信ポップアップ: open the DID's incoming pop-up URL when a call rings me"),
  popupOnAnswer: z
    .boolean()
    .describe("応答ポップアップ: open the DID's answer pop-up URL when I answer"),
  popupWindow: z
    .enum(['same_tab', 'new_tab'])
    .describe('ポップアップの設定: same_tab = 全て同じタブで開く; new_tab = a tab per pop-up'),
  notifyExternalCalls: z
    .boolean()
    .describe('Chrome通知(外線着信): a desktop notification when an outside call rings me'),
  notifyInternalCalls: z
    .boolean()
    .describe('Chrome通知(内線着信): a desktop notification when an internal call rings me'),
  crmAutoSearch: z
    .boolean()
    .describe('CRM自動検索: open the customer whose number calls me (default OFF)'),
};
export const preferencesSchema = z.object(preferenceFields).partial();

export const agentSchema = z
  .object({
    id: z.number().int(),
    loginId: z.string(),
    name: z.string().describe('名称'),
    nickname: z.string().describe('ニックネーム: shown in presence and chat'),
    extension: z.string().nullable(),
    roleId: z.number().int(),
    roleName: z.string(),
    language: z.enum(['ja', 'en']),
    locked: z
      .boolean()
      .describe(
        'ログインロック: locked now — by an administrator, or after too many failed logins',
      ),
    lockedUntil: instant
      .nullable()
      .describe(
        'When a lock after failed logins ends; null when unlocked or locked until unlocked',
      ),
    failedLogins: z.number().int().describe('Consecutive failed logins since the last success'),
    pinSet: z.boolean(),
    passwordChangedAt: instant,
    lastLoginAt: instant.nullable(),
    ...preferenceFields,
    ...auditFields,
  })
  .describe('Agent');

export const toAgent = (row: AgentView) => ({
  id: row.id,
  loginId: row.loginId,
  name: row.name,
  nickname: row.nickname,
  extension: row.extension,
  roleId: row.roleId,
  roleName: row.roleName,
  language: row.language,
  locked: row.lock.locked,
  lockedUntil: row.lock.locked ? isoOrNull(row.lock.until) : null,
  failedLogins: row.failedLogins,
  pinSet: row.pinHash !== null,
  passwordChangedAt: isoOf(row.passwordChangedAt),
  lastLoginAt: isoOrNull(row.lastLoginAt),
  popupOnIncoming: row.popupOnIncoming,
  popupOnAnswer: row.popupOnAnswer,
  popupWindow: row.popupWindow,
  notifyExternalCalls: row.notifyExternalCalls,
  notifyInternalCalls: row.notifyInternalCalls,
  crmAutoSearch: row.crmAutoSearch,
  ...auditOf(row),
});

export const agentCreateSchema = preferencesSchema.extend({
  loginId: loginIdSchema,
  name: nameSchema,
  nickname: nameSchema,
  extension: extensionSchema.nullable().optional(),
  password: passwordSchema,
  pin: pinSchema.nullable().optional(),
  roleId: z.number().int().positive(),
  language: z.enum(['ja', 'en']).optional(),
  locked: z.boolean().optional(),
});

export const agentUpdateSchema = agentCreateSchema
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { error: 'nothing to change' });

export const agentListQuery = z.object({
  loginId: z.string().min(1).max(64).optional().describe('Part of the login ID'),
  name: z.string().min(1).max(64).optional().describe('Part of the name'),
  extension: z.string().min(1).max(16).optional().describe('Part of the extension'),
  roleId: id().optional(),
});

export const agentChangeSchema = z.object({
  id: z.number().int(),
  at: instant,
  by: z.string(),
  field: z.string(),
  oldValue: z.string().nullable(),
  newValue: z.string().nullable(),
});

export const toAgentChange = (row: AgentChange) => ({
  id: row.id,
  at: isoOf(row.at),
  by: row.by,
  field: row.field,
  oldValue: row.oldValue,
  newValue: row.newValue,
});

export const authEventSchema = z.object({
  id: z.number().int(),
  at: instant,
  kind: z.enum(AUTH_EVENT_KINDS),
  loginId: z.string(),
  detail: z.string().nullable(),
  ip: z.string().nullable(),
  actor: z.string().nullable(),
});

export const toAuthEvent = (row: AuthEventRow) => ({
  id: row.id,
  at: isoOf(row.at),
  kind: row.kind,
  loginId: row.loginId,
  detail: row.detail,
  ip: row.ip,
  actor: row.actor,
});

export const sessionSchema = z.object({
  id: z.number().int(),
  createdAt: instant,
  expiresAt: instant,
  lastUsedAt: instant.nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});

export const toSession = (row: SessionRow) => ({
  id: row.id,
  createdAt: isoOf(row.createdAt),
  expiresAt: isoOf(row.expiresAt),
  lastUsedAt: isoOrNull(row.lastUsedAt),
  ip: row.ip,
  userAgent: row.userAgent,
});

// API keys

export const apiKeySchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    prefix: z.string().describe('The first characters of the key'),
    roleId: z.number().int(),
    expiresAt: instant.nullable(),
    lastUsedAt: instant.nullable(),
    ...auditFields,
  })
  .describe('ApiKey');

export const toApiKey = (row: ApiKeyView) => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  roleId: row.roleId,
  expiresAt: isoOrNull(row.expiresAt),
  lastUsedAt: isoOrNull(row.lastUsedAt),
  ...auditOf(row),
});

export const apiKeyCreateSchema = z.object({
  name: nameSchema,
  roleId: z.number().int().positive(),
  expiresAt: instant.nullable().optional(),
});
