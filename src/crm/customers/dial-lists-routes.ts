/**
 * GET /customers/{id}/dial-lists: the customer detail's 自動発信 tab (§8-1) — the outbound lists
 * the customer is on: MOT call lists (A.8) with its 配布 and 最終ステータス, MiiTel target
 * lists (B.3) with its 発信対象 flag, and the autodial campaigns' entries (§7: キャンペーン,
 * 発信日時, 予約, 結果, エージェント). POST /customers/{id}/autodial is its + 新規自動発信. The lists
 * are the outbound domains'; they hand their memberships (and the add) in, so the CRM does not
 * depend on them.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf, type Principal } from '../../platform/http/auth.js';
import { errorResponses } from '../../platform/http/errors.js';
import { idParams, instant, security } from '../../platform/http/schemas.js';
import type { CustomersService } from './service.js';
import type { FormatScope } from './visibility.js';

const campaignEntrySchema = z
  .object({
    entryId: z.number().int(),
    campaignId: z.number().int(),
    campaignName: z.string().describe('キャンペーン'),
    phone: z.string().describe('電話番号, digits'),
    lastDialedAt: instant.nullable().describe('発信日時'),
    reservedAt: instant.nullable().describe('予約'),
    result: z.object({ key: z.string(), label: z.string() }).describe('結果'),
    agent: z
      .object({ id: z.number().int(), name: z.string() })
      .nullable()
      .describe('エージェント: who talked to the customer last'),
  })
  .describe('CustomerCampaignEntry');

const dialListsSchema = z
  .object({
    callLists: z.array(
      z.object({
        listId: z.number().int(),
        name: z.string().describe('リスト名'),
        distributed: z.boolean().describe('配布済'),
        finalStatus: z.string().nullable().describe('最終ステータス; null until a result'),
      }),
    ),
    targetLists: z.array(
      z.object({
        listId: z.number().int(),
        name: z.string().describe('リスト名'),
        excluded: z.boolean().describe('発信対象外 in this list'),
      }),
    ),
    campaigns: z
      .array(campaignEntrySchema)
      .describe('The customer’s autodial entries, newest first'),
  })
  .describe('CustomerDialLists');

export type CustomerDialLists = z.infer<typeof dialListsSchema>;
export type CustomerCampaignEntry = z.infer<typeof campaignEntrySchema>;

export const customerDialListsRoutes: FastifyPluginAsyncZod<{
  customers: CustomersService;
  scopeOf: (principal: Principal) => FormatScope;
  dialListsOf: (customerId: number) => CustomerDialLists;
  /** + 新規自動発信: the customer (its first phone) into a campaign. */
  addToCampaign: (
    customerId: number,
    campaignId: number,
    scope: FormatScope,
    actor: string,
  ) => CustomerCampaignEntry;
}> = async (app, { customers, scopeOf, dialListsOf, addToCampaign }) => {
  app.get('/customers/:id/dial-lists', {
    config: { permission: 'customer_autodial.view' },
    schema: {
      tags: ['customers'],
      security,
      summary: 'The outbound lists the customer is on (自動発信 tab)',
      description: 'Live MOT call lists and MiiTel target lists, oldest first.',
      params: idParams,
      response: { 200: dialListsSchema, ...errorResponses(404) },
    },
    handler: async (request) => {
      customers.get(request.params.id, scopeOf(principalOf(request)));
      return dialListsOf(request.params.id);
    },
  });

  app.post('/customers/:id/autodial', {
    config: { permission: 'customer_autodial.update' },
    schema: {
      tags: ['customers'],
      security,
      summary: 'Add the customer to a campaign (+ 新規自動発信)',
      description:
        'With the customer’s first phone. 409 `already_waiting` (it waits in the campaign ' +
        'already); 422 `unknown_campaign`, `no_phone`.',
      params: idParams,
      body: z.object({ campaignId: z.number().int().positive() }),
      response: { 201: campaignEntrySchema, ...errorResponses(404, 409, 422) },
    },
    handler: async (request, reply) => {
      const principal = principalOf(request);
      const scope = scopeOf(principal);
      customers.get(request.params.id, scope);
      return reply
        .status(201)
        .send(addToCampaign(request.params.id, request.body.campaignId, scope, principal.actor));
    },
  });
};
