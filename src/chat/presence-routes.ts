/**
 * /presence: the presence panel (§6-1) — the agents of a group with their status, phones and
 * calls, and what the operator can do with each. It shares the chat panel's permission
 * (chat.view): the manual toggles the two together, and it is how operators find whom to chat to.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../platform/http/auth.js';
import { errorResponses } from '../platform/http/errors.js';
import { pageOf, pageQuery } from '../platform/http/pagination.js';
import { id, instant, security } from '../platform/http/schemas.js';
import { PRESENCE_ACTIONS } from './presence.js';
import type { PresenceService } from './presence-service.js';

const agentPresenceSchema = z
  .object({
    agentId: z.number().int(),
    name: z.string().describe('Nickname'),
    extension: z.string().nullable(),
    status: z.string().describe('The agent’s status now (offline, available, on_call …)'),
    customStatusId: z.number().int().nullable(),
    since: instant,
    phones: z.array(
      z.object({
        terminalId: z.number().int(),
        sipUser: z.string(),
        name: z.string(),
        registered: z.boolean(),
      }),
    ),
    registered: z.boolean().describe('Some phone of the agent is registered'),
    onCall: z.boolean().describe('Talking on a connected call'),
    callId: z
      .string()
      .nullable()
      .describe('That call, when the caller may see it (their own call, or realtime.view)'),
    actions: z
      .array(z.enum(PRESENCE_ACTIONS))
      .describe(
        'What the caller can do now: chat (チャット, POST /chat/messages), call (コールバック, ' +
          'POST /calls), transfer / attended_transfer (転送 / 保留転送, POST /calls/{id}/transfer ' +
          'of the caller’s call), monitor / whisper (モニタリング / ウィスパリング)',
      ),
  })
  .describe('AgentPresence');

export const presenceRoutes: FastifyPluginAsyncZod<{ presence: PresenceService }> = async (
  app,
  { presence },
) => {
  const tags = ['chat'];

  app.get('/presence', {
    config: { permission: 'chat.view' },
    schema: {
      tags,
      security,
      summary: 'Presence (プレゼンス): a group’s agents (or every agent) with status and actions',
      description:
        'The members of `groupId` in ring order (404 for no such group), or every agent when ' +
        'it is omitted; each with the status, phones and registration, whether on a call, ' +
        'and the actions the caller can take on them now.',
      querystring: pageQuery.extend({
        groupId: id().optional().describe('The group; omitted: every agent'),
      }),
      response: { 200: pageOf(agentPresenceSchema), ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) => {
      const page = presence.list(principalOf(request), request.query);
      return {
        total: page.total,
        items: page.items.map((a) => ({ ...a, since: a.since.toISOString() })),
      };
    },
  });

  app.get('/presence/groups', {
    config: { permission: 'chat.view' },
    schema: {
      tags,
      security,
      summary: 'The groups the presence panel offers (its group selector)',
      response: {
        200: z.object({
          items: z.array(
            z.object({ id: z.number().int(), name: z.string(), extension: z.string().nullable() }),
          ),
        }),
        ...errorResponses(401, 403),
      },
    },
    handler: async () => ({ items: presence.groups() }),
  });
};
