/**
 * /call-lists/autocall (MOT autocall, A.23): the operator starts a session over the customers
 * they hold (mode `all`, or `recall` = 再架電機能), stops it, reads its state, and dials the next
 * customer by hand (`/next`: the one-click dial, how 切断時のオートコール = しない works). The same
 * permission as retrieval: whoever may retrieve customers may call them.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { agentOf } from '../platform/http/auth.js';
import { errorResponses } from '../platform/http/errors.js';
import { security } from '../platform/http/schemas.js';
import { AUTOCALL_MODES, AUTOCALL_ON_HANGUP, STOP_REASONS } from './autocall-decision.js';
import type { Autocall } from './autocall.js';

const tags = ['call-lists'];

const customer = z
  .object({
    customerId: z.number().int().describe('顧客ID'),
    company: z.string().describe('会社名'),
    phone: z.string().describe('電話番号'),
  })
  .describe('AutocallCustomer');

export const autocallStateSchema = z
  .object({
    running: z.boolean(),
    mode: z.enum(AUTOCALL_MODES).nullable().describe('all 通常 / recall 再架電'),
    setting: z
      .enum(AUTOCALL_ON_HANGUP)
      .describe(
        '切断時のオートコール: all_calls すべての通話 / no_answer_only 不応答のみ / off しない',
      ),
    stage: z
      .enum(['ringing_operator', 'dialing', 'talking', 'waiting'])
      .nullable()
      .describe(
        'ringing_operator: my phone rings; dialing: the customer rings; talking; waiting: between calls',
      ),
    current: customer.nullable(),
    callId: z.string().nullable(),
    next: customer.nullable().describe('Who is dialled next, when known'),
    counts: z.object({
      dialled: z.number().int(),
      answered: z.number().int().describe('応答'),
      noAnswer: z.number().int().describe('不応答'),
      remaining: z.number().int().describe('Held customers still to dial in this session'),
    }),
    stoppedReason: z
      .enum(STOP_REASONS)
      .nullable()
      .describe('Why my last session ended, while none runs'),
  })
  .describe('AutocallState');

export const autocallRoutes: FastifyPluginAsyncZod<{ autocall: Autocall }> = async (
  app,
  { autocall },
) => {
  const config = { permission: 'call_list_operator.claim', sessionOnly: true } as const;

  app.get('/call-lists/autocall', {
    config,
    schema: {
      tags,
      security,
      summary: 'My autocall session',
      response: { 200: autocallStateSchema, ...errorResponses(401, 403) },
    },
    handler: async (request) => autocall.state(agentOf(request).id),
  });

  app.post('/call-lists/autocall', {
    config,
    schema: {
      tags,
      security,
      summary: 'Start autocall over the customers I hold (A.23)',
      description:
        'One call at a time: my phone rings first, then the customer with my caller ID. At each ' +
        'hang-up the setting 切断時のオートコール decides whether the next customer is dialled. ' +
        '`recall` dials only the customers flagged 再架電. 409 `no_claimed_customers`, ' +
        '`nothing_to_call`, `autocall_running`, `agent_unreachable`, `agent_busy` (on a call).',
      body: z.object({ mode: z.enum(AUTOCALL_MODES).default('all') }),
      response: { 200: autocallStateSchema, ...errorResponses(400, 401, 403, 409) },
    },
    handler: async (request) => autocall.start(agentOf(request).id, request.body.mode),
  });

  app.post('/call-lists/autocall/next', {
    config,
    schema: {
      tags,
      security,
      summary: 'Dial the next customer now (one-click dial)',
      description:
        'Between calls of a running session. With nothing left (after the automatic retrieval, ' +
        'when on) the session stops with `list_empty`. 409 `autocall_not_running`, ' +
        '`call_in_progress`.',
      response: { 200: autocallStateSchema, ...errorResponses(401, 403, 409) },
    },
    handler: async (request) => autocall.next(agentOf(request).id),
  });

  app.delete('/call-lists/autocall', {
    config,
    schema: {
      tags,
      security,
      summary: 'Stop my autocall session',
      description:
        'A customer still ringing is let go; a conversation goes on, and nothing is dialled after ' +
        'it. 409 `autocall_not_running`.',
      response: { 200: autocallStateSchema, ...errorResponses(401, 403, 409) },
    },
    handler: async (request) => autocall.stop(agentOf(request).id),
  });
};
