/** /conferences: the rooms (§5-1), who is in them, inviting, muting and removing participants. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf, type Principal } from '../platform/http/auth.js';
import { badRequest, errorResponses, forbidden } from '../platform/http/errors.js';
import { instant, security } from '../platform/http/schemas.js';
import type { Conferences } from './conferences.js';

export const participantSchema = z
  .object({
    id: z.string().describe('The participant’s channel'),
    room: z.string(),
    callId: z.string().describe('The participant’s own call, in the call history'),
    number: z.string(),
    name: z.string(),
    agentId: z.number().int().nullable(),
    terminal: z.string().nullable(),
    muted: z.boolean(),
    joinedAt: instant,
  })
  .describe('ConferenceParticipant');

export const roomSchema = z
  .object({ room: z.string(), participants: z.array(participantSchema) })
  .describe('ConferenceRoom');

const roomParams = z.object({
  room: z.string().regex(/^\d{2,6}$/, { error: 'must be a conference room number' }),
});
const participantParams = roomParams.extend({ participantId: z.string().min(1).max(128) });

const inviteBody = z
  .object({
    agentId: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        'Ring this agent’s registered phones (yourself: the browser phone’s 電話会議 buttons)',
      ),
    to: z
      .string()
      .regex(/^[0-9*#+]{2,32}$/, { error: 'must be a number to dial' })
      .optional()
      .describe(
        'Ring this number: an extension, a terminal or a number outside (through the trunk, ' +
          'with your caller ID and outbound restrictions)',
      ),
  })
  .describe('ConferenceInvitation');

export const conferenceRoutes: FastifyPluginAsyncZod<{ conferences: Conferences }> = async (
  app,
  { conferences },
) => {
  const tags = ['conferences'];

  /** Another agent's participation is theirs to change, or a supervisor's (calls.control). */
  function mayControl(principal: Principal, room: string, participantId: string): void {
    const own = conferences
      .get(room)
      .participants.some(
        (p) => p.id === participantId && principal.kind === 'agent' && p.agentId === principal.id,
      );
    if (!own && !principal.permissions.has('calls.control'))
      throw forbidden('permission_denied', 'Changing another participant', {
        required: 'calls.control',
      });
  }

  app.get('/conferences', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      security,
      summary: 'The conference rooms, each with its participants (shared: every agent sees them)',
      response: { 200: z.object({ items: z.array(roomSchema) }), ...errorResponses(401) },
    },
    handler: async () => ({ items: conferences.list() }),
  });

  app.get('/conferences/:room', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      security,
      summary: 'One conference room and its participants',
      params: roomParams,
      response: { 200: roomSchema, ...errorResponses(400, 401, 404) },
    },
    handler: async (request) => conferences.get(request.params.room),
  });

  app.post('/conferences/:room/participants', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      security,
      summary: 'Ring a phone or a number into the room; on answer it is a participant',
      description:
        'Exactly one of `agentId` (that agent’s phones ring) and `to` (a number). Ringing ' +
        'another agent’s phones needs calls.originate; a number outside is dialled with the ' +
        'caller’s caller ID and restrictions, so an API key can ring phones only. 202: ringing; ' +
        'the outcome follows on the `conferences` and `calls` topics. 404 for a room that does ' +
        'not exist, 409 when the agent has no registered phone, 422 for a number that cannot ' +
        'be rung (unknown, restricted, a group).',
      params: roomParams,
      body: inviteBody,
      response: {
        202: z.object({ callId: z.string() }),
        ...errorResponses(400, 401, 403, 404, 409, 422),
      },
    },
    handler: async (request, reply) => {
      const principal = principalOf(request);
      const { agentId, to } = request.body;
      if ((agentId === undefined) === (to === undefined))
        throw badRequest('validation_failed', 'Give exactly one of agentId and to');
      const own = principal.kind === 'agent' ? principal.id : null;
      if (agentId !== undefined && agentId !== own && !principal.permissions.has('calls.originate'))
        throw forbidden('permission_denied', 'Ringing another agent into a room', {
          required: 'calls.originate',
        });
      const call = conferences.invite(
        request.params.room,
        agentId !== undefined ? { agentId } : { to: to ?? '' },
        own,
      );
      return reply.status(202).send({ callId: call.id });
    },
  });

  app.patch('/conferences/:room/participants/:participantId', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      security,
      summary: 'Mute or unmute a participant (the others stop or start hearing them)',
      description: 'Your own participation, or anyone’s with calls.control.',
      params: participantParams,
      body: z.object({ muted: z.boolean() }).describe('ConferenceParticipantChange'),
      response: { 200: participantSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) => {
      const { room, participantId } = request.params;
      mayControl(principalOf(request), room, participantId);
      return request.body.muted
        ? conferences.mute(room, participantId)
        : conferences.unmute(room, participantId);
    },
  });

  app.delete('/conferences/:room/participants/:participantId', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      security,
      summary: 'Remove a participant from the room: their call is hung up',
      description: 'Your own participation, or anyone’s with calls.control.',
      params: participantParams,
      response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request, reply) => {
      const { room, participantId } = request.params;
      mayControl(principalOf(request), room, participantId);
      conferences.kick(room, participantId);
      return reply.status(204).send();
    },
  });
};
