/** Wire shapes of /agent-statuses and the agent status endpoints. */
import { z } from 'zod';
import type { CustomStatusRow } from './schema.js';
import { BUILT_IN_STATUSES } from './status.js';
import { TOGGLES } from './schema.js';
import { auditFields, instant, singleLine, withAudit } from '../platform/http/schemas.js';

const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, { error: 'must be a colour like #ff0000' });

export const customStatusSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    icon: z.string(),
    fontColor: z.string(),
    backgroundColor: z.string(),
    sortOrder: z.number().int(),
    onLogin: z.boolean().describe('Selected at login (seed 001: 準備中)'),
    afterCall: z.boolean().describe('Selected when an external call ends (ACW / 後処理)'),
    afterCallSeconds: z
      .number()
      .int()
      .describe('How long the after-call status lasts; 0 = until changed'),
    toggle: z
      .enum(TOGGLES)
      .describe(
        'Choosing it again while in it: none (stay), previous (back to the status before, 小休憩), login_status (back to the login status, 昼休憩)',
      ),
    ...auditFields,
  })
  .describe('AgentStatus');

export const toCustomStatus = (r: CustomStatusRow) => withAudit(r);

export const customStatusCreateSchema = z.object({
  name: singleLine(32),
  icon: singleLine(32, 0).optional(),
  fontColor: color.optional(),
  backgroundColor: color.optional(),
  sortOrder: z.number().int().min(0).max(1000).optional(),
  onLogin: z.boolean().optional(),
  afterCall: z.boolean().optional(),
  afterCallSeconds: z.number().int().min(0).max(86_400).optional(),
  toggle: z.enum(TOGGLES).optional(),
});
export const customStatusUpdateSchema = customStatusCreateSchema
  .partial()
  .refine((b) => Object.keys(b).length > 0, { error: 'nothing to change' });

export const agentStatusSchema = z
  .object({
    agentId: z.number().int(),
    status: z
      .enum(BUILT_IN_STATUSES)
      .describe(
        'offline (オフライン), available (待機), ringing (着信中), on_call (通話中), on_hold (保留), unknown (未確認), paused (停止)',
      ),
    customStatusId: z
      .number()
      .int()
      .nullable()
      .describe('The custom status shown when paused by one'),
    since: instant,
    selection: z
      .enum(['available', 'paused'])
      .describe('What was chosen; shows when no call or presence fact overrides it'),
    selectedCustomStatusId: z.number().int().nullable(),
    until: instant.nullable().describe('When a timed status (after-call work) ends'),
    registered: z.boolean().describe('At least one of the agent’s terminals is registered'),
  })
  .describe('AgentStatusNow');

/** What may be chosen: available, paused, or paused with a custom status. */
export const statusChoiceSchema = z.object({
  status: z.enum(['available', 'paused']),
  customStatusId: z.number().int().positive().nullable().optional(),
});
