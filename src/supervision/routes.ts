/** Supervision over REST: `POST /calls/{id}/monitor` and the sessions it makes. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf, type Principal } from '../platform/http/auth.js';
import { errorResponses, forbidden } from '../platform/http/errors.js';
import { instant, security } from '../platform/http/schemas.js';
import { SUPERVISION_MODES } from './modes.js';
import { isSupervisor } from './notifier.js';
import type { Supervision } from './service.js';

export const sessionSchema = z
  .object({
    id: z.string(),
    mode: z.enum(SUPERVISION_MODES),
    status: z.enum(['ringing', 'active']),
    supervisorAgentId: z.number().int().nullable(),
    supervisorCallId: z.string(),
    agentId: z.number().int(),
    callId: z.string(),
    startedAt: instant,
  })
  .describe('MonitoringSession');

const mode = z
  .enum(SUPERVISION_MODES)
  .describe(
    'listen: hear the agent and the other party, unheard; whisper: the agent hears you, the ' +
      'other party does not; barge: both hear you',
  );
const sessionParams = z.object({ id: z.uuid() });

/** A supervisor's own session, or anyone's for whoever may control calls. */
function mayHandle(principal: Principal, supervisorAgentId: number | null | undefined): void {
  const own = principal.kind === 'agent' && supervisorAgentId === principal.id;
  if (!own && !principal.permissions.has('calls.control'))
    throw forbidden('permission_denied', 'Another supervisor’s session', {
      required: 'calls.control',
    });
}

export const supervisionRoutes: FastifyPluginAsyncZod<{ supervision: Supervision }> = async (
  app,
  { supervision },
) => {
  const tags = ['supervision'];

  app.post('/calls/:id/monitor', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      security,
      summary:
        'Supervise an agent on this call: your phones ring, then you listen / whisper / barge',
      description:
        'listen needs call_features.monitor, whisper call_features.whisper, barge both. The ' +
        'supervisor is the agent calling (an API key cannot supervise: it has no phone). ' +
        '`agentId`: which agent of the call, when it has several. During the session the keys ' +
        '4 / 5 / 6 switch to whisper / listen / barge. 202: the phones ring; the session ' +
        'follows on the `monitoring` topic. 409 call_not_up, agent_unreachable (no registered ' +
        'phone of yours); 422 no_agent, agent_required, not_on_this_call, self.',
      params: z.object({ id: z.string().min(1).max(64) }),
      body: z.object({ mode, agentId: z.number().int().positive().optional() }),
      response: { 202: sessionSchema, ...errorResponses(400, 401, 403, 404, 409, 422) },
    },
    handler: async (request, reply) => {
      const principal = principalOf(request);
      if (principal.kind !== 'agent')
        throw forbidden('agent_required', 'Only an agent with a phone can supervise');
      const session = supervision.request(
        request.params.id,
        request.body.mode,
        principal.id,
        principal.permissions,
        request.body.agentId,
      );
      return reply.status(202).send(session);
    },
  });

  app.get('/monitoring-sessions', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      security,
      summary: 'The supervision sessions in progress (supervisors only)',
      response: { 200: z.object({ items: z.array(sessionSchema) }), ...errorResponses(401, 403) },
    },
    handler: async (request) => {
      if (!isSupervisor(principalOf(request).permissions))
        throw forbidden('permission_denied', 'Seeing supervision sessions', {
          required: ['call_features.monitor', 'call_features.whisper'],
        });
      return { items: supervision.list() };
    },
  });

  app.patch('/monitoring-sessions/:id', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      security,
      summary: 'Switch a session to another mode (a new snoop replaces the old one, no gap)',
      params: sessionParams,
      body: z.object({ mode }),
      response: { 200: sessionSchema, ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: async (request) => {
      const principal = principalOf(request);
      supervision.get(request.params.id);
      mayHandle(principal, supervision.supervisorOf(request.params.id));
      return supervision.change(request.params.id, request.body.mode, principal.permissions);
    },
  });

  app.delete('/monitoring-sessions/:id', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      security,
      summary: 'End a session: the supervisor’s call is hung up; the agent’s call goes on',
      params: sessionParams,
      response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request, reply) => {
      supervision.get(request.params.id);
      mayHandle(principalOf(request), supervision.supervisorOf(request.params.id));
      supervision.stop(request.params.id);
      return reply.status(204).send();
    },
  });
};
