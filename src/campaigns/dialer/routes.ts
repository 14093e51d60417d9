/**
 * The agent's side of the dialer: the preview card's 発信 / スキップ / 予約 (§10-8
 * プレビューコール, the preview offered by `preview_offered`), the result entry after a campaign
 * call (`result_requested`; the web's form of 結果をコマンドで入力), and the recall list's 発信
 * (§7: my phone rings, then the customer with the campaign's number).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { FormatScope } from '../../crm/customers/visibility.js';
import type { Clock } from '../../platform/clock.js';
import { principalOf, type Principal } from '../../platform/http/auth.js';
import {
  conflict,
  errorResponses,
  forbidden,
  notFound,
  unprocessable,
} from '../../platform/http/errors.js';
import { idParams, instant, security } from '../../platform/http/schemas.js';
import { entryDetailSchema, reserveBody, toEntry } from '../entries-schemas.js';
import { RESERVE_OFFSETS, type CampaignEntriesService } from '../entries-service.js';
import type { Ledger } from '../ledger.js';
import type { Dialer } from './dialer.js';

const tags = ['campaigns'];
const callParams = z.object({ callId: z.uuid() });

function agentOf(principal: Principal): number {
  if (principal.kind !== 'agent')
    throw forbidden('agent_required', 'Only an agent acts on their own campaign calls');
  return principal.id;
}

const RECALL_REFUSALS = {
  not_found: () => notFound('Autodial entry'),
  not_yours: () => forbidden('not_assignee', 'Only the entry’s 担当 dials it from the recall list'),
  not_waiting: () => conflict('not_waiting', 'The entry is not 発信待機中'),
  in_flight: () => conflict('entry_in_call', 'The entry is being dialled or is on a call'),
  agent_busy: () => conflict('agent_busy', 'You are on a call or being rung'),
  agent_offline: () => conflict('agent_offline', 'None of your phones can be rung (offline)'),
  campaign_off: () => conflict('campaign_unusable', 'The entry’s campaign has no caller ID'),
} as const;

export const dialerRoutes: FastifyPluginAsyncZod<{
  dialer: Dialer;
  ledger: Ledger;
  entries: CampaignEntriesService;
  clock: Clock;
  scopeOf: (principal: Principal) => FormatScope;
}> = async (app, { dialer, ledger, entries, clock, scopeOf }) => {
  app.post('/campaigns/previews/:callId/:choice', {
    config: { permission: 'customer_autodial.update' },
    schema: {
      tags,
      security,
      summary: 'Dial or skip the preview offered to me (プレビューコール: 発信 / スキップ)',
      description:
        'Only the agent the preview was offered to, once they answered it. `dial` rings the ' +
        'customer with the campaign’s number; `skip` hands the entry back untouched. The same ' +
        'choice can be keyed on the phone: 1 dials, 3 skips. 409 `no_preview`.',
      params: callParams.extend({ choice: z.enum(['dial', 'skip']) }),
      response: { 204: z.null(), ...errorResponses(400, 401, 403, 409) },
    },
    handler: async (request, reply) => {
      const { callId, choice } = request.params;
      if (!dialer.choosePreview(callId, agentOf(principalOf(request)), choice))
        throw conflict('no_preview', 'No preview of yours waits for a choice on this call');
      return reply.status(204).send(null);
    },
  });

  app.post('/campaigns/previews/:callId/schedule', {
    config: { permission: 'customer_autodial.update' },
    schema: {
      tags,
      security,
      summary: 'Schedule the preview offered to me for later (予約: 10分後 / 1時間後 / 1日後)',
      description:
        'Skips it now; the campaign dials the entry again at that time. 409 `no_preview`; 422 ' +
        '`reservation_in_past`.',
      params: callParams,
      body: reserveBody,
      response: { 204: z.null(), ...errorResponses(400, 401, 403, 409, 422) },
    },
    handler: async (request, reply) => {
      const now = clock.now();
      const body = request.body;
      const at =
        'at' in body ? new Date(body.at) : new Date(now.getTime() + RESERVE_OFFSETS[body.in]);
      if (at.getTime() <= now.getTime())
        throw unprocessable('reservation_in_past', 'The reservation must be in the future');
      const chosen = dialer.choosePreview(request.params.callId, agentOf(principalOf(request)), {
        reserveAt: at,
      });
      if (!chosen)
        throw conflict('no_preview', 'No preview of yours waits for a choice on this call');
      return reply.status(204).send(null);
    },
  });

  app.put('/campaigns/calls/:callId/result', {
    config: { permission: 'customer_autodial.update' },
    schema: {
      tags,
      security,
      summary: 'Enter the result of my campaign call (結果)',
      description:
        'After the call (`result_requested` lists the choices): one of the campaign’s result ' +
        'numbers, `stopped` (停止), or `waiting` with `reservedAt` for a recall. Only the agent ' +
        'who talked to the customer, or one holding autodial.update. 404 not a campaign call; ' +
        '409 `entry_in_call` (still on the call); 422 `unknown_result`, `reservation_required`.',
      params: callParams,
      body: z
        .object({
          result: z.string().regex(/^(?:[1-9][0-9]{0,5}|waiting|stopped)$/),
          reservedAt: instant.optional().describe('予約: with `waiting`, when to call again'),
        })
        .strict(),
      response: { 200: entryDetailSchema, ...errorResponses(400, 401, 403, 404, 409, 422) },
    },
    handler: async (request) => {
      const principal = principalOf(request);
      const attempt = ledger.attemptOfCall(request.params.callId);
      if (attempt?.entryId == null) throw notFound('Campaign call');
      const mine = principal.kind === 'agent' && principal.id === attempt.agentId;
      if (!mine && !principal.permissions.has('autodial.update'))
        throw forbidden('permission_denied', 'This is not your campaign call', {
          required: 'autodial.update',
        });
      const { result, reservedAt } = request.body;
      if (result === 'waiting' && reservedAt === undefined)
        throw unprocessable('reservation_required', 'A recall (発信待機中) needs its time');
      return toEntry(
        entries.update(
          attempt.entryId,
          {
            result,
            ...(reservedAt !== undefined && { reservedAt: new Date(reservedAt) }),
          },
          scopeOf(principal),
          principal.actor,
        ),
      );
    },
  });

  app.post('/me/recalls/:id/dial', {
    config: { permission: 'recall_gadget.view' },
    schema: {
      tags,
      security,
      summary: 'Dial a recall of mine (再コール一覧: 発信)',
      description:
        'My phone rings first; when I answer, the customer is dialled with the campaign’s ' +
        'number. Follow it on the `calls` and `campaigns` topics. 403 `not_assignee`; 409 ' +
        '`not_waiting`, `entry_in_call`, `agent_busy`, `agent_offline`, `campaign_unusable`.',
      params: idParams,
      response: {
        202: z.object({ callId: z.string() }),
        ...errorResponses(400, 401, 403, 404, 409),
      },
    },
    handler: async (request, reply) => {
      const started = dialer.recall(request.params.id, agentOf(principalOf(request)));
      if ('refused' in started) throw RECALL_REFUSALS[started.refused]();
      return reply.status(202).send(started);
    },
  });
};
