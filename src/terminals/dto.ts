/** Wire shapes of /terminals. The SIP secret appears only in the response that creates (or regenerates) it. */
import { z } from 'zod';
import type { ProvisioningState } from '../platform/asterisk/provisioning.js';
import type { TerminalView } from './service.js';
import { CODECS, DTMF_MODES } from './schema.js';
import { auditFields, auditOf, instant, isoOf, singleLine } from '../platform/http/schemas.js';

export const sipUserSchema = z
  .string()
  .regex(/^[A-Za-z0-9]{3,32}$/, { error: 'must be 3-32 half-width letters or digits' })
  .describe('ID: the SIP username the phone registers with');

const secretSchema = z
  .string()
  .min(12, { error: 'must be at least 12 characters' })
  .max(64)
  .regex(/^[\x21-\x7e]+$/, { error: 'must be half-width printable characters' })
  .describe('SIP password; generated when omitted');

/** Where a phone's or a trunk's objects stand in Asterisk (provisioning.ts). */
export const provisioningSchema = z
  .object({
    state: z
      .enum(['synced', 'pending', 'failed'])
      .describe(
        'synced: Asterisk holds it; pending: stored, Asterisk unreachable, pushed when it is back; ' +
          'failed: Asterisk refused it when it was pushed again',
      ),
    since: instant.nullable().describe('pending: since when'),
    error: z.string().nullable().describe('failed: what Asterisk said'),
  })
  .describe('Provisioning');

export const toProvisioning = (p: ProvisioningState) => ({
  state: p.state,
  since: p.state === 'pending' ? isoOf(p.since) : null,
  error: p.state === 'failed' ? p.error : null,
});

export const terminalSchema = z
  .object({
    id: z.number().int(),
    sipUser: z.string(),
    name: z.string().describe('名称'),
    agentId: z.number().int().nullable().describe('The agent this phone belongs to (エージェント)'),
    codecs: z.array(z.string()),
    dtmfMode: z.enum(DTMF_MODES),
    behindNat: z.boolean(),
    maxContacts: z.number().int(),
    webrtc: z
      .boolean()
      .describe(
        'WebRTC: the browser phone of its agent (ブラウザフォン), registering through ' +
          '/api/v1/sip with DTLS-SRTP media and ICE; a desk phone cannot use it',
      ),
    hotDeskAgentId: z
      .number()
      .int()
      .nullable()
      .describe(
        'The agent logged in on this phone by hot-desk (フリーデスク: 998 + extension + PIN): ' +
          'calls to them ring it until 997, a login elsewhere or DELETE …/hot-desk',
      ),
    hotDeskSince: instant.nullable().describe('When that hot-desk login was made'),
    registered: z.boolean(),
    provisioning: provisioningSchema,
    contacts: z.array(
      z.object({ uri: z.string(), state: z.enum(['reachable', 'unreachable']), since: instant }),
    ),
    ...auditFields,
  })
  .describe('Terminal');

export const toTerminal = (t: TerminalView) => ({
  id: t.id,
  sipUser: t.sipUser,
  name: t.name,
  agentId: t.agentId,
  codecs: t.codecs,
  dtmfMode: t.dtmfMode,
  behindNat: t.behindNat,
  maxContacts: t.maxContacts,
  webrtc: t.webrtc,
  hotDeskAgentId: t.hotDeskAgentId,
  hotDeskSince: t.hotDeskSince === null ? null : isoOf(t.hotDeskSince),
  registered: t.registered,
  provisioning: toProvisioning(t.provisioning),
  contacts: t.contacts.map((c) => ({ uri: c.uri, state: c.state, since: isoOf(c.since) })),
  ...auditOf(t),
});

const settings = {
  name: singleLine(64),
  agentId: z.number().int().positive().nullable().optional(),
  codecs: z
    .array(z.enum(CODECS))
    .min(1)
    .max(CODECS.length)
    .optional()
    .describe('Default ulaw, alaw'),
  dtmfMode: z.enum(DTMF_MODES).optional().describe('Default rfc4733'),
  behindNat: z.boolean().optional().describe('Default true'),
  maxContacts: z.number().int().min(1).max(10).optional().describe('Default 1'),
  webrtc: z.boolean().optional().describe('Default false'),
};

export const terminalCreateSchema = z.object({
  sipUser: sipUserSchema.optional(),
  secret: secretSchema.optional(),
  ...settings,
});

export const terminalUpdateSchema = z
  .object({
    ...settings,
    name: settings.name.optional(),
    secret: secretSchema.optional(),
    regenerateSecret: z.boolean().optional(),
  })
  .refine((b) => !(b.secret !== undefined && b.regenerateSecret === true), {
    error: 'give secret or regenerateSecret, not both',
  })
  .refine((b) => Object.keys(b).length > 0, { error: 'nothing to change' });

export const terminalWithSecretSchema = terminalSchema.extend({
  secret: z.string().describe('The SIP password: shown in this response only'),
});
