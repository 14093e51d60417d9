/**
 * /calls: live calls and their control (click-to-call, hangup, hold, unhold, DTMF), and
 * /call-history: the record of every call (§9-1) with its recording.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AriPort } from '../platform/asterisk/ari.js';
import type { ReadPool } from '../platform/db/read-pool.js';
import type { AppReadPrograms } from '../read-programs.js';
import { AriError } from '../platform/asterisk/ari.js';
import { principalOf, type Principal } from '../platform/http/auth.js';
import { errorResponses, notFound } from '../platform/http/errors.js';
import { pageOf, pageQuery } from '../platform/http/pagination.js';
import type { HistoryScope } from './history-search.js';
import type { CallHistoryService } from './history-service.js';
import {
  CALL_DIRECTIONS,
  CALL_TYPES,
  END_REASONS,
  HANDLED_VIA,
  type CallHistoryRow,
} from './schema.js';
import type { CallsService } from './service.js';
import { decimalInteger, id, idParams, instant, security } from '../platform/http/schemas.js';

const legSchema = z.object({
  channelId: z.string(),
  role: z.enum(['caller', 'callee']),
  kind: z.enum(['phone', 'trunk']),
  terminal: z.string().nullable(),
  agentId: z.number().int().nullable(),
  state: z.enum(['ringing', 'up', 'gone']),
  held: z.boolean(),
});

export const callSchema = z
  .object({
    id: z.string(),
    direction: z.enum(CALL_DIRECTIONS),
    state: z.enum(['ringing', 'up', 'ended']),
    from: z.object({ number: z.string(), name: z.string() }),
    to: z.string(),
    ourNumber: z.string().nullable(),
    agentIds: z.array(z.number().int()),
    held: z.boolean(),
    startedAt: instant,
    answeredAt: instant.nullable(),
    legs: z.array(legSchema),
    popup: z.object({
      incomingUrl: z.string().nullable(),
      answerUrl: z.string().nullable(),
      message: z.string().nullable(),
    }),
    customers: z
      .array(
        z.object({
          id: z.number().int(),
          displayId: z.string().describe('#C<id>'),
          name: z.string(),
          formatId: z.number().int(),
          formatName: z.string(),
        }),
      )
      .describe(
        'CRM自動検索: the live customers whose phone is the other party’s number, from the ' +
          'business formats the viewer may see (none without customers.view)',
      ),
  })
  .describe('Call');

const callParams = z.object({ id: z.uuid() });

/** Call control is per call: the agent on it, or anyone holding calls.control. */
const ownCallOrControl = 'An agent controls their own calls; anyone else needs `calls.control`.';

export const callsRoutes: FastifyPluginAsyncZod<{ calls: CallsService }> = async (
  app,
  { calls },
) => {
  const tags = ['calls'];

  app.get('/calls', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      security,
      summary: 'Live calls: all of them for supervisors (realtime.view), an agent’s own otherwise',
      response: { 200: z.object({ items: z.array(callSchema) }), ...errorResponses(401) },
    },
    handler: async (request) => {
      const principal = principalOf(request);
      return { items: calls.list(principal).map((c) => calls.viewOf(c, principal)) };
    },
  });

  app.post('/calls', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      security,
      summary: 'Click-to-call (コールバック): ring the agent’s own phones, then the destination',
      description:
        'The destination is what the agent could dial: an extension, a terminal, or a number outside ' +
        '(184/186 and dial prefixes apply; the agent’s caller ID and the restriction list too). ' +
        'Calling for another agent needs calls.originate; so does an API key, which must name the ' +
        'agent (`agentId`: it has no phones of its own). The call proceeds after the response; ' +
        'follow it on the `calls` topic.',
      body: z.object({
        to: z.string().regex(/^[0-9+*#]{2,32}$/, { error: 'must be a number or extension' }),
        agentId: z.number().int().positive().optional(),
      }),
      response: { 202: callSchema, ...errorResponses(400, 401, 403, 409, 422) },
    },
    handler: async (request, reply) => {
      const principal = principalOf(request);
      const call = calls.originate(principal, request.body.to, request.body.agentId);
      return reply.status(202).send(calls.viewOf(call, principal));
    },
  });

  app.get('/calls/:id', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      security,
      summary: 'One live call',
      params: callParams,
      response: { 200: callSchema, ...errorResponses(400, 401, 404) },
    },
    handler: async (request) => {
      const principal = principalOf(request);
      return calls.viewOf(calls.get(request.params.id, principal), principal);
    },
  });

  app.post('/calls/:id/hangup', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      security,
      summary: 'Hang up a call',
      description: ownCallOrControl,
      params: callParams,
      response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request, reply) => {
      calls.hangup(request.params.id, principalOf(request));
      return reply.status(204).send();
    },
  });

  app.post('/calls/:id/hold', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      security,
      summary: 'Hold (保留): the other party hears music on hold; the agent becomes on_hold',
      description: ownCallOrControl,
      params: callParams,
      response: { 200: callSchema, ...errorResponses(400, 401, 403, 404, 409, 503) },
    },
    handler: async (request) => {
      const principal = principalOf(request);
      return calls.viewOf(await calls.hold(request.params.id, principal), principal);
    },
  });

  app.post('/calls/:id/unhold', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      security,
      summary: 'Resume a held call',
      description: ownCallOrControl,
      params: callParams,
      response: { 200: callSchema, ...errorResponses(400, 401, 403, 404, 409, 503) },
    },
    handler: async (request) => {
      const principal = principalOf(request);
      return calls.viewOf(await calls.unhold(request.params.id, principal), principal);
    },
  });

  app.post('/calls/:id/dtmf', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      security,
      summary: 'Send DTMF digits to a party of the call (by default the far end)',
      description: ownCallOrControl,
      params: callParams,
      body: z.object({
        digits: z.string().regex(/^[0-9*#A-D]{1,32}$/, { error: 'digits 0-9, *, #, A-D' }),
        to: z.enum(['caller', 'callee']).optional(),
      }),
      response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 404, 409, 503) },
    },
    handler: async (request, reply) => {
      await calls.dtmf(
        request.params.id,
        request.body.digits,
        principalOf(request),
        request.body.to,
      );
      return reply.status(204).send();
    },
  });

  app.post('/calls/:id/transfer', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      security,
      summary: 'Transfer the call to another number, blind or after a consultation',
      description:
        `${ownCallOrControl} The number is what the agent could dial (an extension, a group's ` +
        'extension, a terminal, a number outside through the trunk with the agent’s caller ID). ' +
        'To a group, blind: the customer joins its queue at their original arrival; attended: the ' +
        'agent waits in its line (in the customer’s place, by its strategy) and talks with the ' +
        'first member who answers. To a conference room, blind only: the customer is put in it. ' +
        'Blind: the agent is let go at once and the ' +
        'customer is the recipient’s on the answer (a recipient who does not answer rings the agent ' +
        'back). Attended: the customer hears music while the recipient rings and then talks with ' +
        'the agent; `POST /transfers/{id}/complete` (or the agent hanging up) hands the customer ' +
        'over, `cancel` returns to them. Follow it on the `calls` topic (transfer_* events). 409 ' +
        'for a call not up or already being transferred, or a recipient who cannot take it now; ' +
        '422 for an unknown number, the agent themselves, or an attended transfer to a room ' +
        '(attended_to_room).',
      params: callParams,
      body: z.object({
        to: z.string().regex(/^[0-9+*#]{2,32}$/, { error: 'must be a number or extension' }),
        mode: z.enum(['blind', 'attended']),
      }),
      response: { 201: transferSchema, ...errorResponses(400, 401, 403, 404, 409, 422, 503) },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(
          calls.transfer(
            request.params.id,
            principalOf(request),
            request.body.to,
            request.body.mode,
          ),
        ),
  });

  const transferParams = z.object({ id: z.uuid() });

  app.get('/transfers/:id', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      security,
      summary: 'A transfer: its mode and state (ringing, answered, completed, cancelled)',
      params: transferParams,
      response: { 200: transferSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) => calls.transferStatus(request.params.id, principalOf(request)),
  });

  app.post('/transfers/:id/complete', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      security,
      summary: 'Complete a transfer: the customer is the recipient’s (while it rings: blind)',
      params: transferParams,
      response: { 200: transferSchema, ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: async (request) => calls.completeTransfer(request.params.id, principalOf(request)),
  });

  app.post('/transfers/:id/cancel', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      security,
      summary: 'Cancel a transfer: the agent is back with the customer, the recipient hung up',
      params: transferParams,
      response: { 200: transferSchema, ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: async (request) => calls.cancelTransfer(request.params.id, principalOf(request)),
  });
};

const transferSchema = z
  .object({
    id: z.string(),
    callId: z.string(),
    mode: z.enum(['blind', 'attended']),
    status: z.enum(['ringing', 'answered', 'completed', 'cancelled']),
    to: z.string(),
    initiatorAgentId: z.number().int().nullable(),
    recipientAgentId: z.number().int().nullable(),
    createdAt: instant,
  })
  .describe('Transfer');

export const historySchema = z
  .object({
    id: z.number().int(),
    callId: z.string(),
    direction: z.enum(CALL_DIRECTIONS),
    type: z
      .enum(CALL_TYPES)
      .describe(
        '区分: outbound 発信, outbound_unanswered 発信で不在, inbound 着信, inbound_missed 着信で不在',
      ),
    fromNumber: z.string(),
    fromName: z.string(),
    toNumber: z.string(),
    ourNumber: z.string().nullable().describe('電話番号: the DID called, or the caller ID used'),
    agentId: z.number().int().nullable(),
    calleeAgentId: z.number().int().nullable(),
    groupId: z.number().int().nullable(),
    startedAt: instant,
    answeredAt: instant.nullable(),
    endedAt: instant.nullable(),
    talkSeconds: z.number().int().describe('秒数'),
    endReason: z.enum(END_REASONS).nullable(),
    hangupCause: z.number().int().nullable(),
    hasRecording: z.boolean(),
    ivrPath: z
      .array(
        z.object({
          ivrId: z.number().int(),
          name: z.string(),
          via: z.enum(['rule', 'key', 'default']),
          rule: z.number().int().optional().describe('The schedule rule (1番 …) that matched'),
          key: z.string().optional().describe('The key pressed'),
          reason: z
            .enum(['no_rule', 'invalid', 'no_input', 'no_menu'])
            .optional()
            .describe(
              'Why the default routing: no rule covered now, the last key was invalid, no key',
            ),
        }),
      )
      .describe('The IVRs the caller went through, and how they left each; empty for none'),
    voicemailId: z
      .number()
      .int()
      .nullable()
      .describe('留守電: the message the caller left (GET /voicemails/{id}), if any'),
  })
  .describe('CallHistory');

const historyDetailSchema = historySchema
  .extend({
    agents: z
      .array(
        z.object({
          agentId: z.number().int().nullable(),
          at: instant,
          via: z.enum(HANDLED_VIA),
        }),
      )
      .describe(
        'Every agent who had the customer, in order: who answered or placed the call, then ' +
          'each who took it over (a transfer, a park pickup). agentId is the last of them.',
      ),
  })
  .describe('CallHistoryDetail');

export const toHistory = (r: CallHistoryRow) => ({
  id: r.id,
  callId: r.callId,
  direction: r.direction,
  type: r.type,
  fromNumber: r.fromNumber,
  fromName: r.fromName,
  toNumber: r.toNumber,
  ourNumber: r.ourNumber,
  agentId: r.agentId,
  calleeAgentId: r.calleeAgentId,
  groupId: r.groupId,
  startedAt: r.startedAt.toISOString(),
  answeredAt: r.answeredAt?.toISOString() ?? null,
  endedAt: r.endedAt?.toISOString() ?? null,
  talkSeconds: r.talkSeconds,
  endReason: r.endReason,
  hangupCause: r.hangupCause,
  hasRecording: r.recordingName !== null,
  ivrPath: r.ivrPath ?? [],
  voicemailId: r.voicemailId,
});

/** Recording names are ours (call-<uuid>); nothing else is ever asked of Asterisk. */
const RECORDING_NAME = /^call-[0-9a-f-]{36}$/;

/** What a principal may see of the history: everyone's calls, or their own (see HistoryScope). */
function scopeOf(principal: Principal): HistoryScope {
  if (principal.permissions.has('call_history.view_all')) return { all: true };
  return { all: false, agentId: principal.kind === 'agent' ? principal.id : null };
}

const ownHistory =
  'Without `call_history.view_all` only the calls the agent took part in are there (as caller, ' +
  'as the agent who took the call, or as the agent called); other rows answer 404.';

export const callHistoryRoutes: FastifyPluginAsyncZod<{
  history: CallHistoryService;
  reads: ReadPool<AppReadPrograms>;
  ari: AriPort;
}> = async (app, { history, reads, ari }) => {
  const tags = ['call-history'];

  app.get('/call-history', {
    config: { permission: 'call_history.view' },
    schema: {
      tags,
      security,
      summary: 'Search the call history (通話履歴), newest first',
      description: ownHistory,
      querystring: pageQuery.extend({
        from: instant.optional().describe('Calls started at or after'),
        to: instant.optional().describe('Calls started before'),
        party: z
          .string()
          .max(40)
          .transform((v) => v.replace(/[\s-]/g, ''))
          .pipe(z.string().regex(/^\+?[0-9]{1,20}$/, { error: 'must be digits (hyphens allowed)' }))
          .optional()
          .describe('相手: the other party’s number, or its first digits (see partyMatch)'),
        partyMatch: z
          .enum(['prefix', 'exact'])
          .default('prefix')
          .describe('prefix: numbers beginning with `party`; exact: that number'),
        ourNumber: z.string().min(1).max(32).optional().describe('電話番号'),
        type: z.enum(CALL_TYPES).optional().describe('区分'),
        agentId: id().optional(),
        minSeconds: decimalInteger().optional().describe('秒数以上'),
        groupId: id().optional(),
      }),
      response: { 200: pageOf(historySchema), ...errorResponses(400, 401, 403) },
    },
    handler: async (request) => {
      const { from, to, ...rest } = request.query;
      const page = await reads.run('historySearch', {
        filter: {
          ...rest,
          ...(from !== undefined && { from: new Date(from) }),
          ...(to !== undefined && { to: new Date(to) }),
        },
        scope: scopeOf(principalOf(request)),
      });
      return { items: page.items.map(toHistory), total: page.total };
    },
  });

  app.get('/call-history/:id', {
    config: { permission: 'call_history.view' },
    schema: {
      tags,
      security,
      summary: 'One call of the history',
      description: ownHistory,
      params: idParams,
      response: { 200: historyDetailSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) => {
      const row = history.get(request.params.id, scopeOf(principalOf(request)));
      return {
        ...toHistory(row),
        agents: history
          .handlers(row.callId)
          .map((h) => ({ agentId: h.agentId, at: h.at.toISOString(), via: h.via })),
      };
    },
  });

  app.get('/call-history/:id/recording', {
    config: { permission: 'call_history.audio' },
    schema: {
      tags,
      security,
      summary: 'The recording of a call (WAV), streamed from Asterisk',
      description: ownHistory,
      params: idParams,
      // The body is the audio itself (audio/wav), streamed as Asterisk sends it.
      response: { 200: z.any().describe('audio/wav'), ...errorResponses(400, 401, 403, 404, 503) },
    },
    handler: async (request, reply) => {
      const row = history.get(request.params.id, scopeOf(principalOf(request)));
      if (row.recordingName === null || !RECORDING_NAME.test(row.recordingName))
        throw notFound('Recording');
      try {
        const file = await ari.recordings.storedFile(row.recordingName);
        reply.header('content-type', file.contentType);
        if (file.size !== null) reply.header('content-length', file.size);
        reply.header('content-disposition', `attachment; filename="${row.recordingName}.wav"`);
        return await reply.send(file.stream);
      } catch (err) {
        // Not found here is the recording missing, not a call that changed.
        if (err instanceof AriError && err.kind === 'not_found') throw notFound('Recording');
        throw err;
      }
    },
  });
};
