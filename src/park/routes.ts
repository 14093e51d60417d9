/** /parked-calls: the park list (§5-3) and its pickup (コールバック). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../platform/http/auth.js';
import { errorResponses, forbidden, unprocessable } from '../platform/http/errors.js';
import { instant, security } from '../platform/http/schemas.js';
import type { CallsService } from '../calls/service.js';
import type { Parking } from './parking.js';

export const parkedCallSchema = z
  .object({
    slot: z.string(),
    callId: z.string(),
    number: z.string(),
    name: z.string(),
    parkerAgentId: z.number().int().nullable(),
    parkedAt: instant,
    timesOutAt: instant,
  })
  .describe('ParkedCall');

const slotParams = z.object({
  slot: z.string().regex(/^\d{2,6}$/, { error: 'must be a park slot number' }),
});

export const parkRoutes: FastifyPluginAsyncZod<{ parking: Parking; calls: CallsService }> = async (
  app,
  { parking, calls },
) => {
  const tags = ['park'];

  app.post('/calls/:id/park', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      security,
      summary: 'Park (パーク保留) the other party of a call, as #72 does',
      description:
        'The other party goes into the lowest free slot with music on hold; the agent’s phone ' +
        'hears the slot number and is then hung up. An agent parks their own calls; anyone’s ' +
        'needs calls.control. 409 `not_parkable` unless the call has exactly one other party, ' +
        '`park_full` when every slot is taken.',
      params: z.object({ id: z.uuid() }),
      response: { 201: parkedCallSchema, ...errorResponses(400, 401, 403, 404, 409, 503) },
    },
    handler: async (request, reply) => {
      const { call, leg } = calls.agentLegFor(request.params.id, principalOf(request));
      return reply.status(201).send(await parking.park(call, leg));
    },
  });

  app.get('/parked-calls', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      security,
      summary: 'The parked calls, by slot (park is shared: every agent sees them)',
      response: {
        200: z.object({ items: z.array(parkedCallSchema) }),
        ...errorResponses(401),
      },
    },
    handler: async () => ({ items: parking.list() }),
  });

  app.post('/parked-calls/:slot/pickup', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      security,
      summary: 'Pick a parked call up (コールバック): the agent’s phones ring, then connect',
      description:
        'An agent picks up for themselves; picking up for another agent (`agentId`) needs ' +
        'calls.originate, and an API key must name the agent. 202: the phones are ringing; ' +
        'the outcome follows on the `parked` and `calls` topics. 404 for an empty slot, 409 ' +
        'when a phone is already ringing for it or the agent has no registered phone.',
      params: slotParams,
      body: z.object({ agentId: z.number().int().positive().optional() }).optional(),
      response: {
        202: parkedCallSchema,
        ...errorResponses(400, 401, 403, 404, 409, 422),
      },
    },
    handler: async (request, reply) => {
      const principal = principalOf(request);
      const own = principal.kind === 'agent' ? principal.id : undefined;
      const agentId = request.body?.agentId ?? own;
      if (agentId === undefined)
        throw forbidden('agent_required', 'Say which agent picks the call up (agentId)');
      if (agentId !== own && !principal.permissions.has('calls.originate'))
        throw forbidden('permission_denied', 'Picking up for another agent', {
          required: 'calls.originate',
        });
      if (!parking.isSlot(request.params.slot))
        throw unprocessable('not_a_slot', `${request.params.slot} is not a park slot`);
      return reply.status(202).send(parking.pickUpFor(request.params.slot, agentId));
    },
  });
};
